"""The command line's help and usage errors in the chosen language.

typer builds the command tree from the command functions; `localize()` then walks it and takes every
command's and parameter's help and metavar from the catalogue (`help.<command path>._`,
`help.<command path>.<parameter>` or `help.option.<parameter>`, `meta.<parameter>`), and gives every
command a context whose help formatter says click's own words ("Usage:", "Options", the help
option, "[default: …]") from the catalogue too. typer's vendored click has no message catalogue of its
own (its words are plain English strings), so they are replaced where they are written out:
`usage_error()` says a usage error from the exception's data, not from click's English sentence.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from typer import _click
from typer._click import exceptions as click_errors

from . import has, text

__all__ = ["localize", "usage_error", "walk"]


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, command) for a click command and every command under it."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, path + (name,))


def help_key(path: tuple[str, ...], param: str | None = None) -> str | None:
    """The catalogue key of a command's help (param None) or of one of its parameters' help."""
    base = "help." + (".".join(path) if path else "liability")
    if param is None:
        return base + "._" if has(base + "._") else base if has(base) else None
    for key in (f"{base}.{param}", f"help.option.{param}"):
        if has(key):
            return key
    return None


def localize(command: Any, lang: str) -> Any:
    """Put the catalogue's help, metavars and click words in `lang` on a click command tree."""
    for path, cmd in walk(command):
        key = help_key(path)
        if key:
            cmd.help = cmd.short_help = text(key, lang)  # the whole sentence in a group's list, not cut at "..."
        cmd.context_class = _context_class(lang)
        if getattr(cmd, "options_metavar", None) == "[OPTIONS]":
            cmd.options_metavar = text("click.options_metavar", lang)
        if getattr(cmd, "subcommand_metavar", None) is not None or getattr(cmd, "commands", None):
            cmd.subcommand_metavar = text("meta.command", lang)
        for param in cmd.params:
            key = help_key(path, param.name)
            if key:
                param.help = text(key, lang)
            if has(f"meta.{param.name}") and not getattr(param, "is_flag", False):
                param.metavar = text(f"meta.{param.name}", lang)
                if not getattr(param, "opts", [""])[0].startswith("-"):
                    # an argument's help line shows its value type (`<list[str]>`) beside the metavar
                    param.display_type_rich = _no_type
    return command


def _no_type(ctx: Any) -> None:
    return None


_CONTEXTS: dict[str, type] = {}


def _context_class(lang: str) -> type:
    """A click Context whose help formatter writes click's words in `lang`."""
    if lang not in _CONTEXTS:
        formatter = type(f"HelpFormatter_{lang}", (_Formatter,), {"lang": lang})
        _CONTEXTS[lang] = type(f"Context_{lang}", (_click.Context,), {"formatter_class": formatter})
    return _CONTEXTS[lang]


_HEADINGS = {"Arguments": "click.arguments", "Options": "click.options", "Commands": "click.commands"}
_EXTRA = re.compile(r"\s*\[([^\[\]]*)\]\s*$")


def wrap(line: str, width: int) -> list[str]:
    """`line` wrapped to `width` terminal cells: between words, and between any two Chinese characters
    (click's wrapping counts characters and breaks only at spaces)."""
    from rich.cells import cell_len

    out: list[str] = []
    current = ""
    for token in re.findall(r"[ ]+|[\x21-\x7e]+|.", line):
        if current and cell_len(current + token.rstrip()) > width:
            out.append(current.rstrip())
            current = "" if token.isspace() else token
        else:
            current += token
    if current.strip():
        out.append(current.rstrip())
    return out or [""]


class _Formatter(_click.HelpFormatter):
    lang = "en"

    def write_text(self, text_: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text_.split("\n\n"):
            for line in wrap(" ".join(paragraph.split()), max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")
            self.write("\n") if paragraph is not text_.split("\n\n")[-1] else None

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, text("click.usage", self.lang) if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        key = _HEADINGS.get(heading)
        self.write(" " * self.current_indent + (text(key, self.lang) if key else heading + ":") + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        from rich.cells import cell_len

        rows = [(first, self._help(second or "")) for first, second in rows]
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - 2, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")

    def _help(self, help_text: str) -> str:
        if help_text == "Show this message and exit.":
            return text("click.help_option", self.lang)
        found = _EXTRA.search(help_text)
        if not found:
            return help_text
        parts = []
        for part in found.group(1).split("; "):
            if part.startswith("default: "):
                part = text("click.default", self.lang, value=part[len("default: "):])
            elif part == "required":
                part = text("click.required", self.lang)
            parts.append(part)
        return help_text[:found.start()] + "  [" + "; ".join(parts) + "]"


def _name(param: Any) -> str:
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    return " / ".join(opts) if opts else (param.metavar or param.name or "").strip("[].")


def usage_error(exc: Exception, lang: str) -> str:
    """What to print for a click usage error: the usage line, where to find help, and the error."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(text("click.try_help", lang, command=ctx.command_path))
    lines.append(text("error.prefix", lang) + _message(exc, lang))
    return "\n".join(lines)


_PATTERNS = [
    # typer glues its suggestion to click's sentence ("No such command 'evalute'. Did you mean 'evaluate'?")
    (re.compile(r"^No such command '(?P<command>.*?)'\.(?: Did you mean .*\?)?$"), "click.no_such_command"),
    (re.compile(r"^Missing command\.$"), "click.missing_command"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<arguments>.*)\)$"), "click.extra_arguments"),
    (re.compile(r"^Option '(?P<option>.*)' requires an argument\.$"), "click.requires_value"),
    (re.compile(r"^Option '(?P<option>.*)' does not take a value\.$"), "click.takes_no_value"),
]


def _message(exc: Exception, lang: str) -> str:
    param = getattr(exc, "param", None)
    if isinstance(exc, click_errors.NoSuchOption):
        out = text("click.no_such_option", lang, option=exc.option_name)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            out += text("input_guard.clause", lang) + text("click.possible_options", lang, options=options)
        return out
    if isinstance(exc, click_errors.MissingParameter):
        kind = "click.missing_option" if getattr(param, "opts", None) and str(param.opts[0]).startswith("-") \
            else "click.missing_argument"
        return text(kind, lang, name=_name(param))
    if isinstance(exc, click_errors.BadParameter) and param is not None:
        return _bad_value(exc, param, lang)
    message = str(getattr(exc, "message", exc))
    head = message.partition("\n")[0]
    for pattern, key in _PATTERNS:
        found = pattern.match(head.strip())
        if found:
            out = text(key, lang, **found.groupdict())
            close = re.search(r"Did you mean '([^']*)'", message)
            if close:
                out += text("input_guard.clause", lang) + text("click.did_you_mean", lang, suggestion=close.group(1))
            elif key == "click.no_such_command":
                out += _commands_allowed(exc, lang)
            return out
    return text("click.usage_error", lang, message=message)


def _commands_allowed(exc: Exception, lang: str) -> str:
    """`; allowed: check, show, test`: the commands of the group the mistyped name was given to."""
    ctx = getattr(exc, "ctx", None)
    names = sorted(getattr(getattr(ctx, "command", None), "commands", None) or ())
    return text("problem.allowed", lang, values=", ".join(names)) if names else ""


# typer checks a path argument itself (it must be readable unless told otherwise) and says why in English
_PATH_PROBLEMS = [
    (re.compile(r"^\w+ (?P<path>'.*') does not exist\.$"), "input_guard.path_missing"),
    (re.compile(r"^\w+ (?P<path>'.*') is a file\.$"), "input_guard.path_is_file"),
    (re.compile(r"^\w+ (?P<path>'.*') is a directory\.$"), "input_guard.path_is_directory"),
    (re.compile(r"^\w+ (?P<path>'.*') is not readable\.$"), "input_guard.path_unreadable"),
    (re.compile(r"^\w+ (?P<path>'.*') is not writable\.$"), "input_guard.path_unwritable"),
]


def _bad_value(exc: Exception, param: Any, lang: str) -> str:
    """typer reports a bad value in pydantic's words ("Input should be a valid integer", "Value error, 'x'
    is not one of …"); say it from the parameter's type instead."""
    message = str(getattr(exc, "message", ""))
    name = _name(param)
    desc = getattr(param, "type_descriptor", None)
    choices = getattr(desc, "choices", None) if desc is not None and getattr(desc, "is_choice", False) else None
    if choices:
        quoted = re.search(r"'(?P<value>[^']*)' is not one of", message)
        allowed = ", ".join(str(getattr(c, "value", c)) for c in choices)
        return text("click.invalid_choice", lang, name=name, value=repr(quoted.group("value")) if quoted else "",
                    allowed=allowed)
    if "than or equal to" in message or "range" in message:
        span = getattr(param, "_get_number_range_help_str", lambda: None)() or ""
        return text("click.out_of_range", lang, name=name, range=span)
    if "valid integer" in message:
        return text("click.not_integer", lang, name=name)
    if "valid number" in message or "valid float" in message:
        return text("click.not_number", lang, name=name)
    for pattern, key in _PATH_PROBLEMS:
        found = pattern.match(message.strip())
        if found:
            return text(key, lang, name=name, path=found.group("path"))
    return text("click.invalid_value", lang, name=name)
