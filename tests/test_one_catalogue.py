"""Issue #12: every sentence the program says exists in zh and en in ONE place, the catalogue
(rules/messages.yaml); legal words live in the rule files. Python code holds no Chinese string — no
inline zh/en pair — apart from docstrings and comments, which no user reads.

GRAMMAR: files whose Chinese is a grammar or an example, not a sentence (the Chinese numerals and the
shape of a citation, `第七条第（二）项`, read from what a trainee types; a citation given as an example in
the determination's JSON Schema).
KNOWN: files that still hold inline zh/en pairs, owned by the work that wrote them (allocation,
procedure, the service, the web pages, the decision log, including the names they are being moved to):
listed so that they move to the catalogue one by one (remove an entry when its file is clean), and so
that any new offender fails here.
"""

from __future__ import annotations

import ast
import re

from conftest import ROOT

SRC = ROOT / "src" / "liability_engine"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

GRAMMAR = {"training/parsing.py", "determination/model.py"}
KNOWN = {"web/words.py", "allocation/render.py", "allocation/evaluate.py", "allocation/interview.py",
         "procedure/report.py", "procedure/render.py", "procedure/facts.py", "procedure/evaluate.py",
         "procedure/rules.py", "procedure/calendar.py", "procedure/model.py", "procedure/deadlines.py",
         "facts/procedure.py", "service/messages.py",
         "service/routes.py", "service/auth.py", "service/app.py", "cli/replay.py", "cli/log.py", "cli/serve.py",
         "decisionlog/replay.py", "determination/citations.py", "errors.py"}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def chinese_strings() -> dict[str, list[int]]:
    """file → the lines of its string literals (not docstrings) that hold Chinese."""
    found: dict[str, list[int]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                    and CHINESE.search(node.value):
                found.setdefault(path.relative_to(SRC).as_posix(), []).append(node.lineno)
    return found


def test_the_counter_finds_an_inline_pair(tmp_path) -> None:
    """The test can fail: a Chinese literal is found, a Chinese docstring or comment is not."""
    tree = ast.parse('"""文档。"""\n# 注释\nx = "是" if zh else "yes"\n')
    docs = _docstrings(tree)
    assert [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docs
            and CHINESE.search(str(n.value))] == [3]


def test_no_sentence_is_written_in_python() -> None:
    found = chinese_strings()
    new = {f: lines for f, lines in found.items() if f not in KNOWN | GRAMMAR}
    assert not new, f"Chinese strings in Python (put them in rules/messages.yaml, legal words in the rule files): {new}"
