"""Issue #12: every sentence the program says exists in zh and en in ONE place, the catalogue
(rules/messages.yaml); legal words live in the rule files. Python code holds no Chinese string — no
inline zh/en pair — apart from docstrings and comments, which no user reads.

GRAMMAR: files whose Chinese is a grammar or an example, not a sentence: the Chinese numerals and the
shape of a citation, `第七条第（二）项`, read from what a trainee types (training/parsing.py) and written
into every citation label (determination/citations.py: `zh_number`, `第…条第…款第（…）项`, the same in
every version and language of the rules, so not a word of any one rule file); a citation given as an
example in the determination's JSON Schema.
KNOWN: files that still hold inline zh/en pairs: listed so that they move to the catalogue one by one
(remove an entry when its file is clean), and so that any new offender fails here. Empty: the procedure
facts' descriptions now come from the rule files (`labels.descriptions` of procedure.yaml), the procedure
contract's examples from the citation grammar, an error's list separator from the catalogue.
PUNCTUATION: the same for Chinese punctuation alone (`"、".join`, `'：' if zh else ': '`), which the first
guard cannot see: the colons, lists, parentheses and commas of the reports come from the catalogue
(report.colon, determination.list, report.paren, punctuation.*). Allowed: the GRAMMAR files, and the few
literals of PUNCTUATION_READ, each with its reason.
"""

from __future__ import annotations

import ast
import re

from conftest import ROOT

SRC = ROOT / "src" / "liability_engine"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

GRAMMAR = {"training/parsing.py", "determination/model.py", "determination/citations.py"}
KNOWN: set[str] = set()
PUNCTUATION = re.compile(r"[、。，；：？！（）〔〕【】《》／]")
PUNCTUATION_READ = {  # (file, the literal): why it is not a word of the output
    ("procedure/report.py", "。；;. "): "the marks stripped from the end of the facts' own summary (reads input)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _sources() -> dict[str, str]:
    return {p.relative_to(SRC).as_posix(): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))}


def literals_matching(pattern: re.Pattern[str], sources: dict[str, str]) -> dict[str, list[tuple[int, str]]]:
    """file → (line, value) of its string literals (not docstrings; the pieces of f-strings too) that match."""
    found: dict[str, list[tuple[int, str]]] = {}
    for name, source in sources.items():
        tree = ast.parse(source)
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                    and pattern.search(node.value):
                found.setdefault(name, []).append((node.lineno, node.value))
    return found


def chinese_strings() -> dict[str, list[int]]:
    """file → the lines of its string literals (not docstrings) that hold Chinese."""
    return {f: [line for line, _ in hits] for f, hits in literals_matching(CHINESE, _sources()).items()}


def punctuation_written(sources: dict[str, str]) -> dict[str, list[tuple[int, str]]]:
    """file → the literals holding Chinese punctuation that neither GRAMMAR nor PUNCTUATION_READ allows."""
    found = {}
    for name, hits in literals_matching(PUNCTUATION, sources).items():
        left = [(line, value) for line, value in hits if (name, value) not in PUNCTUATION_READ]
        if left and name not in GRAMMAR:
            found[name] = left
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


def _error_classes(trees: dict[str, ast.AST]) -> set[str]:
    """Problem and the error classes of liability_engine.errors, with every class of the package derived
    from one of them (TrainingError, …): what carries a message to the user."""
    import inspect

    from liability_engine import errors

    names = {"Problem"} | {n for n, c in vars(errors).items() if inspect.isclass(c) and issubclass(c, Exception)
                           and c.__module__ == errors.__name__}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        (b.id if isinstance(b, ast.Name) else getattr(b, "attr", None)) in names for b in node.bases):
                    names.add(node.name)
                    grew = True
    return names


def _literal(node: ast.AST | None) -> bool:
    """A sentence written in the code: a str literal, an f-string, or one joined to another with +."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left) or _literal(node.right)
    return False


def literal_messages(trees: dict[str, ast.AST]) -> list[str]:
    """file:line of every Problem(...) or error class built with a message written in the code."""
    classes = _error_classes(trees)
    found = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if callee not in classes:
                continue
            message = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg in ("message", "problems")), None)
            if _literal(message):
                found.append((name, node.lineno))
    return [f"{n}:{line}" for n, line in sorted(found)]


def _trees() -> dict[str, ast.AST]:
    return {p.relative_to(SRC).as_posix(): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))}


def test_the_message_guard_finds_a_literal() -> None:
    """The guard can fail: a literal or an f-string given to Problem or to an error class (or a subclass
    defined in the package) is found; a catalogue message is not."""
    tree = ast.parse('class TrainingError(LiabilityError): pass\n'
                     'Problem("no such file")\nraise FactsError(Problem(f"bad {x}"))\n'
                     'raise TrainingError(Problem(message="x" + y))\nProblem(msg("input.no_such_file"))\n'
                     'raise EngineFailure("boom")\n')
    assert literal_messages({"t.py": tree}) == ["t.py:2", "t.py:3", "t.py:4", "t.py:6"]


def test_no_error_message_is_written_in_python() -> None:
    """Issue #12: every error a user can meet is said in zh and en, so no Problem and no error of the
    package is built from an English sentence in the code (its message comes from `msg(...)`)."""
    found = literal_messages(_trees())
    assert not found, f"errors built from a literal (put the sentence in rules/messages.yaml, use msg()): {found}"


def test_the_known_list_only_names_files_that_still_hold_chinese() -> None:
    """A file made clean leaves KNOWN, so that it cannot quietly take inline Chinese back."""
    found = chinese_strings()
    assert not [f for f in KNOWN if f not in found]


def test_no_punctuation_is_written_in_python() -> None:
    """The reports' Chinese punctuation (and its English twin) comes from the catalogue, not from literals."""
    found = punctuation_written(_sources())
    assert not found, ("Chinese punctuation in Python (use report.colon, determination.list, report.paren, "
                       f"punctuation.* in rules/messages.yaml, or render/words.py's helpers): {found}")


def test_the_punctuation_guard_finds_a_join() -> None:
    """The guard can fail: `"、".join` put back into the route's renderer is found, in an f-string too; the
    same marks in a docstring or a comment are not."""
    render = (SRC / "procedure" / "render.py").read_text(encoding="utf-8")
    assert punctuation_written({"procedure/render.py": render}) == {}
    added = render + '\n\ndef _cites(c, zh):\n    """甲、乙；丙。"""  # 、\n' \
                     '    return "、".join(c) if zh else f"{c[0]}：{c[1]}"\n'
    lines = len(added.splitlines())
    assert sorted(punctuation_written({"procedure/render.py": added})["procedure/render.py"]) == \
        [(lines, "、"), (lines, "：")]


def test_every_allowed_punctuation_literal_is_still_there() -> None:
    """An entry of PUNCTUATION_READ whose literal is gone leaves the list, so it cannot excuse a new one."""
    found = literals_matching(PUNCTUATION, _sources())
    assert [key for key in PUNCTUATION_READ if key[1] not in [v for _, v in found.get(key[0], [])]] == []
