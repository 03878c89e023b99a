"""Showing determinations and errors to people: the terminal (console, progress), the text report
(text), the markdown report (markdown), the explanation tree (tree), and the words they share
(words). The only package that imports rich."""

from .console import default_lang, json_line, print_error, safe, stderr_console, stdout_console
from .markdown import markdown_report
from .progress import progress
from .text import text_report
from .tree import explain_tree

__all__ = ["default_lang", "text_report", "markdown_report", "explain_tree", "print_error", "stdout_console",
           "stderr_console", "json_line", "progress", "safe"]
