"""Chinese everywhere: every command's output and every kind of error, in Chinese mode (`--lang zh`, and
LANG=zh_CN.UTF-8 with no --lang), holds no English prose.

A word counts as English prose when it is an ASCII word of more than 3 letters that is not an
identifier: not a token with `.`, `_`, `-`, `/` or digits (rule ids, paths, dates, field paths),
not a command, option or option value of the command line, not a field name or value of the facts
contract, not a key of the formats a user writes (answer sheets, rule-case expectations), and not the
name of a product (Python, durable-rules, YAML, JSON, Markdown). Echoed input (a misspelt value) is
named by the test that provokes it. Not covered: `schema` prints JSON Schemas, a machine contract.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, cli_command

FACTS = sorted((ROOT / "facts").glob("*.yaml"))
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[._/\-0-9][A-Za-z0-9._/\-]*)?")


def _allowed() -> set[str]:
    from typer.main import get_command

    from liability_engine import Engine
    from liability_engine.cli import build_app
    from liability_engine.i18n.clicktext import walk

    words = {"json", "jsonl", "yaml", "markdown", "text", "python", "cpython", "durable", "liability", "auto",
             "utf", "lines", "help", "holidays", "docx", "sqlite"}  # formats, products (the holidays calendar), --help
    for path, cmd in walk(get_command(build_app())):
        words.update(path)
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                words.update(re.findall(r"[A-Za-z]+", opt))
            desc = getattr(param, "type_descriptor", None)
            for choice in (getattr(desc, "choices", None) or []):
                words.add(str(getattr(choice, "value", choice)))
    rb = Engine.default().rulebook
    for field, spec in rb.schema.items():
        words.update(re.findall(r"[A-Za-z]+", field))
        words.update(str(v) for v in getattr(spec, "values", ()) or ())
    words.update(("schema", "case", "person", "conducts", "summary", "date", "true", "false", "null", "none"))
    words.update(("finding", "article", "paragraph", "item", "liable", "facts", "expect", "name"))  # sheets, cases
    from liability_engine.training.parsing import KEY_MARK, key_sheet

    words.update(key_sheet({})[KEY_MARK])  # the mark of the answer key (`digest`)
    words.update(_case_file_words())
    for version in rb.versions:
        for rule in version.rules:
            words.update(re.findall(r"[A-Za-z]+", rule.id))
        words.update(layer.id for layer in version.layers)
    words.update(f.id for f in rb.findings)
    from liability_engine.authoring.schemas import SCHEMA_KINDS
    import importlib

    words.update(re.findall(r"[A-Za-z]+", " ".join(SCHEMA_KINDS)))  # `schema KIND`
    for module in ("liability_engine.rulebook.files", "liability_engine.rulebook.model"):
        rules_model = importlib.import_module(module)
        for name in dir(rules_model):  # the keys of the rule files a rule author writes
            fields = getattr(getattr(rules_model, name), "model_fields", None)
            if isinstance(fields, dict):
                words.update(fields)
    return {w.lower() for w in words}


def _case_file_words() -> set[str]:
    """The field names and values of case files (liability-facts/2), and the results an allocation answer
    sheet gives (`bears`, typed or chosen by number)."""
    import enum
    import inspect
    import typing

    from pydantic import BaseModel

    from liability_engine.allocation import casefile
    from liability_engine.i18n import keys_of

    words = set(keys_of("allocation.result"))
    for obj in vars(casefile).values():
        if inspect.isclass(obj) and obj.__module__ == casefile.__name__:
            if issubclass(obj, BaseModel):
                words.update(obj.model_fields)
                for field in obj.model_fields.values():  # values written as a Literal (choices.auxiliary_staff)
                    if typing.get_origin(field.annotation) is typing.Literal:
                        words.update(map(str, typing.get_args(field.annotation)))
            elif issubclass(obj, enum.Enum):
                words.update(str(m.value) for m in obj)
    return words


ALLOWED: set[str] | None = None


def english_prose(out: str) -> list[str]:
    global ALLOWED
    if ALLOWED is None:
        ALLOWED = _allowed()
    found = []
    for tok in WORD.findall(out):
        tok = tok.strip("'’")
        if re.search(r"[._/\-0-9]", tok) or len(tok) <= 3 or tok.lower() in ALLOWED:
            continue
        found.append(tok)
    return found


def run(args: list[str], how: str, stdin: str | None = None, env_extra: dict | None = None,
        cwd: Path | None = None) -> str:
    """What the user reads: stdout and stderr; for --jsonl, stderr (stdout is the JSON Lines contract)."""
    env = dict(os.environ, COLUMNS="100", PYTHONIOENCODING="utf-8", **(env_extra or {}))
    for var in ("LIABILITY_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "LIABILITY_DEBUG"):
        env.pop(var, None)
    if how == "option":
        env["LANG"] = "C.UTF-8"
        args = [*args, "--lang", "zh"] if "--lang" not in args else args
    else:
        env["LANG"] = "zh_CN.UTF-8"
    proc = subprocess.run([*cli_command(), *args], input=stdin, capture_output=True, text=True, env=env,
                          encoding="utf-8", timeout=180, cwd=cwd)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr if "--jsonl" in args else proc.stdout + proc.stderr


def _commands(tmp: Path) -> list[list[str]]:
    from typer.main import get_command

    from liability_engine.cli import build_app
    from liability_engine.i18n.clicktext import walk

    cmds = [[*path, "--help"] for path, _ in walk(get_command(build_app()))]
    cmds += [["versions"], ["versions", "diff", "2020", "2024", str(ROOT / "facts")], ["rules", "show"],
             ["rules", "show", "2024", "--article", "8"], ["rules", "show", "--format", "markdown"],
             ["rules", "check"], ["rules", "test"], ["rules", "test", "--coverage"], ["--version"],
             ["train", "--coverage"], ["train", "--stats"]]
    for f in FACTS:
        if "procedure:" in f.read_text(encoding="utf-8"):
            cmds += [["procedure", str(f)], ["procedure", str(f), "-f", "markdown"], ["report", str(f)]]
        cmds += [["evaluate", str(f)], ["evaluate", str(f), "-f", "markdown"], ["explain", str(f)],
                 ["explain", str(f), "-f", "markdown"]]
    return cmds


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("zh")


@pytest.mark.parametrize("how", ["option", "locale"])
def test_every_command_speaks_chinese(how, work):
    env = {"LIABILITY_PROGRESS": str(work / "progress.jsonl")}
    bad = {}
    for args in _commands(work):
        # the root group takes no --lang; `liability --help --lang zh` is accepted all the same
        words = english_prose(run(args, how, env_extra=env))
        if words:
            bad[" ".join(args)] = words[:8]
    assert not bad, f"English prose in Chinese mode: {bad}"


def test_interview_and_training_prompts_speak_chinese(work):
    env = {"LIABILITY_PROGRESS": str(work / "progress.jsonl")}
    out = run(["interview", str(ROOT / "facts" / "fault-unknown.yaml"), "--as-of", "2026-01-01"], "option",
              stdin="2\n", env_extra=env)
    assert "请选择编号或输入取值" in out and not english_prose(out), english_prose(out)
    out = run(["train", "--topic", "art8", "--count", "1", "--seed", "1"], "locale", stdin="2\n8\n1\n1\n",
              env_extra=env)
    assert "练习" in out and "得分" in out
    # the exercise id (its words are rule-like identifiers) is shown; the narrative and feedback are Chinese
    assert not english_prose(out), english_prose(out)


def _bad_facts(tmp: Path) -> dict[str, tuple[str, set[str]]]:
    """name → (file content, the echoed input words the message may quote)."""
    return {
        "unknown-values.yaml": ("schema: liability-facts/1\ncase: {id: X, kind: crimnal}\n"
                                "person: {id: P, role: procuratr}\nconducts:\n"
                                " - {id: C1, date: 2025-13-01, act: forge_evidence, knowing: maybe, fault: gros}\n",
                                {"crimnal", "procuratr", "maybe", "gros"}),
        "structure.yaml": ("schema: liability-facts/1\ncase: {id: X}\nperson: {id: P, role: procurator}\n"
                           "conducts:\n - {id: C1, date: '2025-01-01x', act: 泄露案件消息, extra: 1}\n"
                           " - {id: C1, date: 2025-01-01, act: forge_evidence}\n", {"extra"}),
        "not-a-mapping.yaml": ("- just\n- a list\n", {"just", "list"}),
        "empty.yaml": ("\n", set()),
        "tabs.yaml": ("schema: liability-facts/1\ncase:\n\tid: X\n", set()),
        "bad.json": ('{"schema": "liability-facts/1", "case": ', set()),
    }


@pytest.mark.parametrize("how", ["option", "locale"])
def test_every_kind_of_error_speaks_chinese(how, work):
    files = {}
    for name, (content, echoed) in _bad_facts(work).items():
        path = work / name
        path.write_text(content, encoding="utf-8")
        files[name] = (path, echoed)
    cases: list[tuple[list[str], set[str]]] = [
        (["evaluate", str(p)], echoed) for p, echoed in files.values()]
    cases += [
        (["evaluate", str(work / "nonexistent.yaml")], {"nonexistent"}),
        (["evaluate", str(FACTS[0]), "--as-of", "2099-01-01"], set()),
        (["evaluate", str(FACTS[0]), "--as-of", "someday"], {"someday"}),
        (["evaluate", "--bogus"], {"bogus"}),
        (["evaluate", "-f", "xml", str(FACTS[0])], set()),
        (["evaluate", "--jobs", "x", str(FACTS[0])], set()),
        (["evaluate"], set()),
        (["explain"], set()),
        (["versions", "diff", "2020", "2042", str(FACTS[0])], set()),
        (["rules", "show", "2024", "extra"], {"extra"}),
        (["rules", "check", str(work / "no-such-rules")], set()),
        (["schema", "fact"], {"fact"}),
        (["bogus"], {"bogus"}),
        (["train", "--difficulty", "9"], set()),
        (["train", "--key", "--stats"], set()),
        (["evaluate", "--jsonl", str(files["bad.json"][0])], set()),  # stdout: a liability-error/1 record
    ]
    sheet = work / "sheet.yaml"
    sheet.write_text("no-such-exercise: {finding: gros, article: x, liable: perhaps}\n", encoding="utf-8")
    cases.append((["train", "--answers", str(sheet)], {"perhaps", "gros"}))
    rules = work / "rules"
    if not rules.exists():
        shutil.copytree(ROOT / "rules", rules)
        art = rules / "2024" / "art08.yaml"
        art.write_text(art.read_text(encoding="utf-8").replace("finding: gross", "finding: grss", 1)
                       .replace("layer: gross", "layr: gross", 1), encoding="utf-8")
    cases.append((["rules", "check", str(rules)], {"grss", "layr"}))
    cases.append((["evaluate", str(FACTS[0]), "--rules", str(rules)], {"grss", "layr"}))
    bad = {}
    for args, echoed in cases:
        out = run(args, how)
        assert "错误" in out, (args, out)
        words = [w for w in english_prose(out) if w.lower() not in {e.lower() for e in echoed}]
        if words:
            bad[" ".join(args)] = words[:8]
    assert not bad, f"English prose in Chinese errors: {bad}"


def test_the_counter_finds_english():
    """The test can fail: English prose is found, identifiers are not."""
    assert english_prose("the finding rests upon 2024.art8.item1") == ["rests", "upon"]
    assert english_prose("错误：facts.yaml:3: act: 未知取值 forge_evidense") == []


def test_chinese_values_in_facts_files(tmp_path):
    from liability_engine import load_facts, FactsError, Engine

    path = tmp_path / "zh.yaml"
    path.write_text("schema: liability-facts/1\ncase: {id: X, kind: 刑事}\nperson: {id: P, role: 检察官}\n"
                    "conducts:\n - {id: C1, date: 2025-01-01, act: 泄露案件信息, fault: 重大过失}\n", encoding="utf-8")
    facts = load_facts(str(path))
    c = facts.conducts[0]
    assert (c.act.value, c.fault.value, facts.case.kind.value, facts.person.role.value) == \
        ("leak_case_information", "gross", "criminal", "procurator")
    assert Engine.default().evaluate(facts).conducts[0].finding == "gross_negligence"
    path.write_text(path.read_text(encoding="utf-8").replace("泄露案件信息", "泄露案件消息"), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(str(path))
    problem = err.value.problems[0]
    assert problem.field == "conducts[0].act"
    assert problem.suggestion == "leak_case_information" and problem.suggestion_zh == "泄露案件信息"
    assert "您是否要写 '泄露案件信息'（leak_case_information）？" in problem.text("zh")
    assert "did you mean 'leak_case_information' (泄露案件信息)?" in problem.text("en")
    data = {"schema": "liability-facts/1", "case": {"id": "X"}, "person": {"id": "P"},
            "conducts": [{"id": "C1", "date": "2025-01-01", "act": "泄露案件信息", "fault": "重大过失"}]}
    from liability_engine.facts.model import facts_from_data

    assert facts_from_data(data).conducts[0].fault.value == "gross"
    assert data["conducts"][0]["fault"] == "重大过失"  # the caller's data is not changed


CASE_FILES = sorted((ROOT / "facts" / "cases").glob("*.yaml"))


def _more_commands(work: Path) -> list[tuple[list[str], str | None]]:
    """The outputs the walk above does not reach: case files (liability-facts/2) and their allocation,
    the version list and differences as markdown, training's key, sheets and allocation exercises, the
    decision log and its replay. (command, standard input)"""
    db = work / "decisions.db"
    sheet = work / "good-sheet.yaml"  # one answer graded, one rejected (no such exercise: a did-you-mean)
    sheet.write_text("art8-item1-wrong-arrest: {finding: 重大过失, article: 第八条, item: 1, liable: 是}\n"
                     "art7-item2-forged-record: {finding: gross_negligence, article: 8, item: 2, liable: 否}\n",
                     encoding="utf-8")
    cmds: list[tuple[list[str], str | None]] = [(["versions", "-f", "markdown"], None),
             (["versions", "diff", "2020", "2024", str(ROOT / "facts" / "cases")], None),
             (["versions", "diff", "2020", "2024", str(ROOT / "facts" / "cases"), "-f", "markdown"], None),
             (["versions", "diff", "2015", "2024", str(ROOT / "facts"), "-f", "markdown"], None),
             (["train", "--key", "--topic", "art8"], None), (["train", "--answers", str(sheet)], None),
             (["train", "--topic", "allocation", "--count", "2", "--seed", "1"], "1\n2\n3\n4\n5\n6\n1\n2\n3\n"),
             (["train", "--topic", "allocation", "--key"], None),
             (["evaluate", str(FACTS[0]), "--log", str(db)], None), (["log", "list", str(db)], None),
             (["replay", str(db)], None)]
    for f in FACTS:
        if "procedure:" in f.read_text(encoding="utf-8"):
            cmds += [(["procedure", str(f), "--as-of", "2026-01-05"], None),
                     (["report", str(f), "-f", "markdown"], None)]
            break
    return cmds


def _speak_chinese(commands: list[tuple[list[str], str | None]], work: Path, echoed: set[str] = frozenset()) -> None:
    env = {"LIABILITY_PROGRESS": str(work / "progress-more.jsonl")}
    bad = {}
    for args, stdin in commands:
        words = [w for w in english_prose(run(args, "locale", stdin=stdin, env_extra=env)) if w not in echoed]
        if words:
            bad[" ".join(args)] = words[:8]
    assert not bad, f"English prose in Chinese mode: {bad}"


def test_more_commands_speak_chinese(work):
    """The allocation differences, markdown, training, the decision log: Chinese, with LANG=zh_CN.UTF-8."""
    import getpass

    _speak_chinese(_more_commands(work), work, echoed={getpass.getuser()})  # the log's caller: cli:USER


@pytest.mark.parametrize("case_file", [f.name for f in CASE_FILES])
def test_case_files_speak_chinese(case_file, work):
    f = str(ROOT / "facts" / "cases" / case_file)
    _speak_chinese([(["evaluate", f], None), (["evaluate", f, "-f", "markdown"], None), (["explain", f], None),
                    (["explain", f, "-f", "markdown"], None)], work)


@pytest.mark.parametrize("args, echoed", [
    (["train", "--bank", "{work}/empty-bank"], set()),
    (["interview", str(FACTS[0]), "--save", "/nonexistent-folder/x.yaml"], {"nonexistent"}),
    (["evaluate", "--jsonl", str(FACTS[0]), "-f", "markdown"], set()),
    (["versions", "diff", "2020", "2024", "{work}/unknown-values.yaml"], {"crimnal", "procuratr", "maybe", "gros"}),
    (["procedure", "{work}/empty.yaml"], set()),
    (["report", "{work}/not-a-mapping.yaml", "-f", "markdown"], {"just", "list"}),
])
def test_more_errors_speak_chinese(args, echoed, work):
    for name, (content, _) in _bad_facts(work).items():
        (work / name).write_text(content, encoding="utf-8")
    (work / "empty-bank").mkdir(exist_ok=True)
    out = run([a.replace("{work}", str(work)) for a in args], "locale")
    assert "错误" in out, out
    words = [w for w in english_prose(out) if w.lower() not in echoed]
    assert not words, f"English prose in Chinese errors: {words}"


@pytest.mark.parametrize("command", [["log", "list"], ["replay"]])
def test_a_missing_decision_log_is_reported_in_chinese(command, work):
    out = run([*command, str(work / "no-such.db")], "locale")
    assert "错误" in out, out
    words = [w for w in english_prose(out) if w.lower() not in {"such"}]
    assert not words, f"English prose in Chinese errors: {words}"


@pytest.mark.parametrize("what", ["v1-shape-under-v2", "person-on-v1", "person-nobody"])
def test_case_file_errors_speak_chinese(what, work):
    """The errors of case files and of `--person`, once English-only: in Chinese, with the catalogue's words."""
    v1 = FACTS[0].read_text(encoding="utf-8")
    (work / "v1-shape.yaml").write_text(re.sub(r"(?m)^schema:.*$", "schema: liability-facts/2", v1), encoding="utf-8")
    args, said, echoed = {
        "v1-shape-under-v2": (["evaluate", str(work / "v1-shape.yaml")], "liability-facts/1 的格式", set()),
        "person-on-v1": (["explain", str(FACTS[0]), "--person", "zhang"], "只用于案卷", {"zhang"}),
        "person-nobody": (["explain", str(CASE_FILES[0]), "--person", "nobody"], "没有人员 'nobody'", {"nobody"}),
    }[what]
    out = run(args, "locale")
    assert "错误" in out and said in out, out
    words = [w for w in english_prose(out) if w.lower() not in echoed]
    assert not words, f"English prose in Chinese errors: {words}"
