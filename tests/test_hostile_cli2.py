"""The command line's answers to bad input a user or an integrator produces, beyond tests/test_hostile_input.py:
mistyped commands and unreadable path arguments said in the chosen language, text in another encoding named
as such, a document that is not a mapping described in words, and a decision log given as a folder, with an
id past SQLite's integers, or read with --lang. Each: a clear message, exit 2, no traceback (docs/errors.md).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, refused, run_cli

FORGED = ROOT / "facts" / "forged-interrogation-record.yaml"


# --- usage errors in the chosen language -------------------------------------------------------------------


def test_a_mistyped_command_is_said_in_chinese_with_its_suggestion() -> None:
    """typer glues "Did you mean" to click's sentence; that sentence was printed in English under --lang zh."""
    zh = refused(run_cli("evalute", str(FORGED), "--lang", "zh"),
                 "错误：没有命令 'evalute'；您是否要用 'evaluate'？")
    assert "No such command" not in zh and "Did you mean" not in zh
    refused(run_cli("rules", "chek", "--lang", "zh"), "没有命令 'chek'；您是否要用 'check'？")
    refused(run_cli("evalute", str(FORGED), "--lang", "en"),
            "error: no such command 'evalute'; did you mean 'evaluate'?")


@pytest.mark.parametrize("lang, expected", [("zh", "没有命令 'list'；允许：diff"),
                                            ("en", "no such command 'list'; allowed: diff")])
def test_a_command_with_no_close_match_lists_the_commands_allowed(lang: str, expected: str) -> None:
    """`liability versions list` (the help says "the encoded versions (list)"): say which commands there are."""
    refused(run_cli("versions", "list", "--lang", lang), expected)


def test_an_unknown_option_is_said_with_chinese_punctuation() -> None:
    err = refused(run_cli("evaluate", str(FORGED), "--jbos", "2", "--lang", "zh"), "没有选项 --jbos；")
    assert "; " not in err.split("没有选项", 1)[1]


@pytest.mark.parametrize("problem, lang, expected", [
    ("File 'x.db' is not readable.", "en", "DB: 'x.db' is not readable by this user; have its owner grant read"),
    ("File 'x.db' is not readable.", "zh", "日志：无权读取 'x.db'；请让文件所有者授予读权限"),
    ("Path 'x.db' does not exist.", "en", "DB: 'x.db' does not exist; check the path"),
    ("File 'x.db' is a directory.", "zh", "日志：'x.db' 是文件夹，此处需要文件"),
])
def test_typers_own_path_checks_say_why_in_the_chosen_language(problem: str, lang: str, expected: str) -> None:
    """typer refuses a path argument it cannot read before the command runs; the message was "invalid value for
    DB", without the reason (seen as another user: `liability log list /var/log/decisions.db`, mode 0600)."""
    from typer._click import exceptions as click_errors
    from typer.main import get_command

    from liability_engine.cli import build_app
    from liability_engine.i18n.clicktext import localize, usage_error

    log_list = localize(get_command(build_app("log")), lang).commands["log"].commands["list"]
    db = next(p for p in log_list.params if p.name == "db")
    assert expected in usage_error(click_errors.BadParameter(problem, param=db), lang)


# --- documents: encodings and shapes ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, named", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                             ("utf-32", "UTF-32")])
def test_a_facts_file_saved_as_utf16_is_named_so_not_called_binary(encoding: str, named: str, tmp_path: Path) -> None:
    """Notepad's "Unicode" and PowerShell's `>` write UTF-16: it is text, in another encoding; say which and how to
    convert, in both languages (it was "contains a NUL byte: this is not a text file")."""
    path = tmp_path / "case.yaml"
    path.write_bytes(FORGED.read_text(encoding="utf-8").encode(encoding))
    en = refused(run_cli("evaluate", str(path), "--lang", "en", "--as-of", AS_OF.isoformat()),
                 f"case.yaml: is {named} text, not UTF-8; save the file as UTF-8 (e.g. iconv -f {named} -t UTF-8)")
    assert "NUL" not in en
    refused(run_cli("explain", str(path), "--lang", "zh", "--as-of", AS_OF.isoformat()),
            f"case.yaml: 是 {named} 编码的文本，不是 UTF-8；请以 UTF-8 编码另存")
    refused(run_cli("train", "--answers", str(path), "--lang", "en"), f"is {named} text, not UTF-8")


def test_binary_with_nul_bytes_is_still_not_text(tmp_path: Path) -> None:
    path = tmp_path / "photo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    refused(run_cli("evaluate", str(path), "--lang", "en"), "contains a NUL byte: this is not a text file")


@pytest.mark.parametrize("document, en, zh", [
    ("null", "got nothing (an empty value)", "实为 空值"),
    ("42", "got the number 42", "实为 数字 42"),
    ('"hello"', "got the text 'hello'", "实为 文本 'hello'"),
    ("[1, 2]", "got a list", "实为 列表"),
    ("true", "got true", "实为 true"),
])
def test_a_document_that_is_not_a_mapping_is_described_in_words(document: str, en: str, zh: str,
                                                                 tmp_path: Path) -> None:
    """Not Python's type names ("got NoneType", "实为 int"), in either language, for a person's facts or a case."""
    path = tmp_path / "facts.json"
    path.write_text(document, encoding="utf-8")
    for lang, words in (("en", en), ("zh", zh)):
        err = refused(run_cli("evaluate", str(path), "--lang", lang), words)
        assert not re.search(r"NoneType|\bint\b|\bstr\b|\bbool\b", err), err


def test_a_case_file_that_is_not_a_mapping_is_described_in_words() -> None:
    from liability_engine import FactsError
    from liability_engine.allocation.validation import case_file_from_data

    with pytest.raises(FactsError) as caught:
        case_file_from_data(None)
    assert "NoneType" not in str(caught.value) and "nothing (an empty value)" in str(caught.value)


# --- the decision log --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("log") / "decisions.db"
    done = run_cli("evaluate", str(FORGED), "--log", str(db), "--as-of", AS_OF.isoformat(), "-f", "json")
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("args", [["log", "list"], ["log", "export"], ["log", "show", "{db}", "1"], ["replay"],
                                  ["evaluate", str(FORGED), "--log"]])
def test_a_folder_given_as_the_decision_log_is_called_a_folder(args: list[str], tmp_path: Path) -> None:
    """It was "no decision log here (the file does not exist)" of a folder that exists (or SQLite's "unable to
    open database file" for evaluate --log)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    argv = [str(folder) if a == "{db}" else a for a in args] + ([] if "{db}" in args else [str(folder)])
    err = refused(run_cli(*argv, "--lang", "en"), "logs: this is a folder, and a decision log is one file")
    assert "does not exist" not in err and "unable to open" not in err
    refused(run_cli(*argv, "--lang", "zh"), "这是文件夹，而决定日志是一个文件")


def test_a_decision_number_past_sqlites_integers_is_no_such_decision(logged: Path) -> None:
    """`log show DB 99999999999999999999999` was an internal error (OverflowError), exit 1."""
    refused(run_cli("log", "show", str(logged), "9" * 23, "--lang", "en"), f"no decision '{'9' * 23}' in this log")


@pytest.mark.parametrize("command", [["show", "{db}", "no-such-id"], ["export", "{db}", "--no-jsonl"]])
def test_log_show_and_export_take_lang_like_every_other_command(command: list[str], logged: Path) -> None:
    """They had no --lang ("no such option: --lang"): their errors followed the locale only."""
    argv = ["log", *[str(logged) if a == "{db}" else a for a in command]]
    en = refused(run_cli(*argv, "--lang", "en"))
    zh = refused(run_cli(*argv, "--lang", "zh"))
    assert en.startswith("error: ") and zh.startswith("错误：")
    shown = run_cli("log", "show", str(logged), "1", "--lang", "en")
    assert shown.returncode == 0 and json.loads(shown.stdout)["seq"] == 1


# --- an output that would destroy the input ----------------------------------------------------------------


def test_report_refuses_to_write_over_its_own_facts_file(tmp_path: Path) -> None:
    """`liability report case.yaml -o case.yaml` replaced the facts with the report, and exited 0."""
    facts = tmp_path / "case.yaml"
    facts.write_bytes(FORGED.read_bytes())
    (tmp_path / "link.yaml").symlink_to(facts)
    for given, out in ((facts, facts), (tmp_path / "link.yaml", tmp_path / "." / "case.yaml")):
        refused(run_cli("report", str(given), "-o", str(out), "--lang", "en", "--as-of", AS_OF.isoformat()),
                "--output: the output file is the input file", "choose another output file")
    refused(run_cli("report", str(facts), "-o", str(facts), "-f", "docx", "--lang", "zh"),
            "输出文件就是输入文件")
    assert facts.read_bytes() == FORGED.read_bytes()
    elsewhere = tmp_path / "report.md"
    done = run_cli("report", str(facts), "-o", str(elsewhere), "--lang", "en", "--as-of", AS_OF.isoformat())
    assert done.returncode == 0 and elsewhere.read_text(encoding="utf-8").startswith("#")


def test_train_refuses_to_write_its_report_over_the_answer_sheet(tmp_path: Path) -> None:
    key = run_cli("train", "--key", "--count", "2", "--seed", "1", "--lang", "en")
    assert key.returncode == 0
    sheet = tmp_path / "answers.yaml"
    sheet.write_text(key.stdout, encoding="utf-8")
    refused(run_cli("train", "--answers", str(sheet), "--report", str(sheet), "--lang", "en"),
            "--report: the output file is the input file")
    assert sheet.read_text(encoding="utf-8") == key.stdout


# --- rules test -k that selects nothing --------------------------------------------------------------------


@pytest.mark.parametrize("lang, expected", [
    ("en", "-k: no test case's file or name contains 'art8'; run without -k to run them all"),
    ("zh", "-k: 没有文件名或名称包含 'art8' 的测试用例；去掉 -k 可运行全部用例"),
])
def test_rules_test_with_a_pattern_that_selects_nothing_says_so(lang: str, expected: str) -> None:
    """The files are art08.yaml: `-k art8` chose none, and the answer was "no test cases found
    (rules/<version>/tests/*.yaml)" on stdout, as if the rulebook had none."""
    proc = run_cli("rules", "test", "-k", "art8", "--lang", lang)
    err = refused(proc, expected)
    assert "no test cases found" not in proc.stdout + err


# --- the operating system's refusals, in the chosen language -----------------------------------------------


def test_a_folder_where_a_file_is_written_or_read_is_said_in_the_chosen_language(tmp_path: Path) -> None:
    """The reason was the system's English ("Is a directory") inside a Chinese sentence, or Python's
    "[Errno 21] Is a directory: '/path'" for the progress file."""
    folder = tmp_path / "out"
    folder.mkdir()
    zh = refused(run_cli("report", str(FORGED), "-o", str(folder), "--lang", "zh", "--as-of", AS_OF.isoformat()),
                 "无法写入报告：这是文件夹，此处需要文件")
    assert "Is a directory" not in zh
    import os
    import subprocess

    from conftest import cli_command

    env = dict(os.environ, LIABILITY_PROGRESS=str(folder), LANG="C.UTF-8")
    proc = subprocess.run([*cli_command(), "train", "--stats", "--lang", "en"], capture_output=True, text=True,
                          env=env, timeout=120)
    err = refused(proc, "cannot read the progress file: this is a folder, and a file is needed here")
    assert "Errno" not in err


@pytest.mark.parametrize("code, en, zh", [
    ("EACCES", "permission denied (have the owner grant access", "权限不足"),
    ("ENOENT", "no such file or folder", "文件或文件夹不存在"),
    ("ENOSPC", "no space left on the disk", "磁盘空间或配额已满"),
])
def test_an_os_refusal_is_worded_by_the_catalogue_in_both_languages(code: str, en: str, zh: str) -> None:
    """`chmod 000 case.yaml` as another user read "无法读取：Permission denied" (run as root here, the test
    builds the error the system gives)."""
    import errno

    from liability_engine.errors import FactsError, Problem, os_reason
    from liability_engine.i18n import msg

    error = FactsError(Problem(msg("input.cannot_read", reason=os_reason(OSError(getattr(errno, code), "x"))),
                               path="case.yaml"))
    assert en in error.problems[0].text("en") and zh in error.problems[0].text("zh")
    assert os_reason(OSError(0, "something else")) == "something else"


# --- the environment ---------------------------------------------------------------------------------------


def _run_env(*args: str, **env: str):
    import os
    import subprocess

    from conftest import cli_command

    full = dict(os.environ, LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    full.pop("COLUMNS", None)
    full.update(env)
    return subprocess.run([*cli_command(), *args], capture_output=True, timeout=120, env=full)


@pytest.mark.parametrize("columns", ["0", "-3", "abc", ""])
@pytest.mark.parametrize("args", [["evaluate", str(FORGED)], ["explain", str(FORGED)],
                                  ["evaluate", str(FORGED), "-f", "markdown"]])
def test_a_columns_that_is_no_width_prints_as_when_piped(columns: str, args: list[str]) -> None:
    """rich took COLUMNS=0 as a width of 0: the report was empty and the exit status 0 (a lost result)."""
    plain = _run_env(*args, "--as-of", AS_OF.isoformat(), "--lang", "en")
    odd = _run_env(*args, "--as-of", AS_OF.isoformat(), "--lang", "en", COLUMNS=columns)
    assert plain.returncode == odd.returncode == 0, odd.stderr
    assert odd.stdout == plain.stdout and len(odd.stdout) > 500


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_chinese_on_a_stream_that_cannot_encode_it_is_escaped_not_a_crash(encoding: str) -> None:
    """PYTHONIOENCODING=ascii (or a Latin-1 locale) with Chinese output was an internal error (UnicodeEncodeError,
    exit 1) and no result; the text is written with escapes, the JSON (bytes, UTF-8) as ever."""
    text = _run_env("evaluate", str(FORGED), "--as-of", AS_OF.isoformat(), "--lang", "zh",
                    PYTHONIOENCODING=encoding)
    assert text.returncode == 0, text.stderr
    assert b"\\u" in text.stdout and b"internal error" not in text.stderr
    out = _run_env("evaluate", str(FORGED), "--as-of", AS_OF.isoformat(), "-f", "json", PYTHONIOENCODING=encoding)
    utf8 = _run_env("evaluate", str(FORGED), "--as-of", AS_OF.isoformat(), "-f", "json")
    assert out.returncode == 0 and json.loads(out.stdout) == json.loads(utf8.stdout)  # JSON is written as UTF-8 bytes
    error = _run_env("evaluate", "no-such.yaml", "--lang", "zh", PYTHONIOENCODING=encoding)
    assert error.returncode == 2 and b"Traceback" not in error.stderr


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_size_limit_of_zero_or_less_falls_back_to_the_default(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """LIABILITY_MAX_BYTES=0 refused every file ("over the limit of 0 bytes"); like a limit that is not a number,
    it is no limit anyone means."""
    from liability_engine.facts.documents import DEFAULT_MAX_BYTES, max_bytes

    monkeypatch.setenv("LIABILITY_MAX_BYTES", value)
    assert max_bytes() == DEFAULT_MAX_BYTES
    done = _run_env("evaluate", str(FORGED), "--as-of", AS_OF.isoformat(), LIABILITY_MAX_BYTES=value)
    assert done.returncode == 0, done.stderr


def test_log_list_never_calls_an_undetermined_decision_not_liable(tmp_path: Path) -> None:
    """The determination of an undetermined conduct carries liable: false; `log list` printed "undetermined (not
    liable)" / "无法认定（无责）" where the report itself says the responsibility is undetermined."""
    db = tmp_path / "log.db"
    done = run_cli("evaluate", str(ROOT / "facts" / "fault-unknown.yaml"), "--log", str(db), "--as-of",
                   AS_OF.isoformat(), "-f", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["overall"]["finding"] == "undetermined"
    en = run_cli("log", "list", str(db), "--lang", "en")
    zh = run_cli("log", "list", str(db), "--lang", "zh")
    assert en.returncode == zh.returncode == 0
    assert "not liable" not in en.stdout and "undetermined (not determined)" in en.stdout
    assert "无责" not in zh.stdout and "无法认定" in zh.stdout


# --- what a Chinese input method types into YAML -----------------------------------------------------------


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = FORGED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_full_width_colon_after_a_key_is_named_where_it_stands(tmp_path: Path) -> None:
    """`fault：intentional` was "a ':' is missing" on the NEXT line, column 1, with nothing about the '：'."""
    path = _edited(tmp_path, "    fault: intentional", "    fault：intentional")
    refused(run_cli("evaluate", str(path), "--lang", "zh", "--as-of", AS_OF.isoformat()),
            "case.yaml:16:10: YAML 格式错误：键后是全角冒号“：”；请改为半角冒号“:”")
    refused(run_cli("evaluate", str(path), "--lang", "en", "--as-of", AS_OF.isoformat()),
            "case.yaml:16:10: invalid YAML: the key is followed by a full-width colon '：'")


def test_an_ideographic_space_indenting_a_key_is_named(tmp_path: Path) -> None:
    """Indenting with U+3000 made the key "　　fault", refused as an unknown field of the document."""
    path = _edited(tmp_path, "    fault: intentional", "\u3000\u3000fault: intentional")
    err = refused(run_cli("evaluate", str(path), "--lang", "en", "--as-of", AS_OF.isoformat()),
                  "case.yaml:16:1:", "an ideographic (full-width) space, U+3000: YAML indents with ASCII spaces only")
    assert "unknown field" not in err
    refused(run_cli("evaluate", str(path), "--lang", "zh"), "全角空格（U+3000）")


def test_full_width_punctuation_inside_text_is_still_text(tmp_path: Path) -> None:
    """Chinese text keeps its own colons and paragraph indents (a summary's 　　 and ：) untouched."""
    path = _edited(tmp_path, "  summary: 某故意伤害案",
                   "  summary: |\n    　　第一段：事实。\n    Note：某故意伤害案")
    done = run_cli("evaluate", str(path), "--lang", "en", "--as-of", AS_OF.isoformat(), "-f", "json")
    assert done.returncode == 0, done.stderr


# --- file names that are not UTF-8 -------------------------------------------------------------------------


def _run_bytes(*args: bytes | str):
    import os
    import subprocess

    from conftest import cli_command

    env = dict(os.environ, LANG="C.UTF-8", COLUMNS="200")
    return subprocess.run([*cli_command(), *args], capture_output=True, timeout=120, env=env)


@pytest.fixture
def gbk_names(tmp_path: Path) -> Path:
    """A folder as unzip leaves an archive made on Chinese Windows: names in GBK bytes, not UTF-8."""
    import os

    folder = tmp_path / "inbox"
    folder.mkdir()
    base = os.fsencode(folder)
    with open(base + b"/" + "案件".encode("gbk") + b".yaml", "wb") as good:
        good.write(FORGED.read_bytes())
    with open(base + b"/" + "坏".encode("gbk") + b".json", "wb") as bad:
        bad.write(b"null")
    return folder


def test_a_bad_file_with_a_gbk_name_costs_only_its_own_record(gbk_names: Path) -> None:
    """The error record's `source` could not be written as UTF-8: internal error, exit 1, and the good file's
    determination lost with it."""
    proc = _run_bytes("evaluate", str(gbk_names), "-f", "json", "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert b"internal error" not in proc.stderr and b"Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sorted(r["schema"] for r in records) == ["liability-determination/1", "liability-error/1"]
    error = next(r for r in records if r["schema"] == "liability-error/1")
    escaped = "".join(f"\\udc{b:02x}" for b in "坏".encode("gbk"))
    assert error["source"].endswith(escaped + ".json")  # as stderr writes it: escaped, not lost
    assert "got nothing (an empty value)" in error["problems"][0]["message"]
    single = _run_bytes("explain", os.fsencode(gbk_names) + b"/" + "坏".encode("gbk") + b".json", "-f", "json")
    assert single.returncode == 2 and json.loads(single.stdout)["schema"] == "liability-error/1"


def test_a_training_report_and_a_replay_name_a_gbk_path_without_failing(gbk_names: Path, tmp_path: Path) -> None:
    import os
    import shutil

    key = run_cli("train", "--key", "--count", "1", "--seed", "1")
    sheet = os.fsencode(gbk_names) + b"/" + "答卷".encode("gbk") + b".yaml"
    with open(sheet, "wb") as handle:
        handle.write(key.stdout.encode("utf-8"))
    report = tmp_path / "report.json"
    graded = _run_bytes("train", "--answers", sheet, "--report", str(report), "--lang", "en")
    assert graded.returncode == 0, graded.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["sheet"].endswith(".yaml")
    db = tmp_path / "log.db"
    assert run_cli("evaluate", str(FORGED), "--log", str(db), "--as-of", AS_OF.isoformat()).returncode == 0
    renamed = os.fsencode(tmp_path) + b"/" + "日志".encode("gbk") + b".db"
    shutil.copy(db, renamed)  # the log is one file once evaluate has closed it
    replayed = _run_bytes("replay", renamed, "-f", "json")
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout)["decisions"] == 1


# --- the decision log written by evaluate --log is one file ----------------------------------------------------


def test_the_log_evaluate_writes_is_whole_in_its_one_file(tmp_path: Path) -> None:
    """`evaluate --log DB` left every decision in DB-wal (the connection was never closed, so never
    checkpointed): a copy of DB alone, the one file the user named, read "no such table: meta"."""
    import shutil

    db = tmp_path / "decisions.db"
    done = run_cli("evaluate", str(FORGED), str(ROOT / "facts" / "careless-leak.yaml"), "--log", str(db),
                   "--as-of", AS_OF.isoformat(), "-f", "json")
    assert done.returncode == 0, done.stderr
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    archived = tmp_path / "archive" / "decisions.db"
    archived.parent.mkdir()
    shutil.copy(db, archived)
    listed = run_cli("log", "list", str(archived), "-f", "json")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 2


# --- the allocation answer sheet (train --topic allocation --answers) ----------------------------------------


def _allocation_sheet(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "allocation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("entry", ["[1, 2]", "bears"])
def test_an_allocation_entry_that_is_not_a_mapping_is_refused_not_a_crash(entry: str, tmp_path: Path) -> None:
    """It was an internal error (AttributeError: 'list' object has no attribute 'items'), exit 1."""
    sheet = _allocation_sheet(tmp_path, f"chief-changed-decision: {entry}\n")
    refused(run_cli("train", "--topic", "allocation", "--answers", str(sheet), "--lang", "en"),
            "allocation.yaml:1:1: chief-changed-decision: expected a mapping of question → result")


def test_an_unknown_allocation_exercise_is_named_not_silently_skipped(tmp_path: Path) -> None:
    """A misspelt exercise id was skipped: "0/0" and exit 0, the trainee's answers lost without a word."""
    sheet = _allocation_sheet(tmp_path, "chief-changed-decisoin:\n  P-2/D1/decision: bears_corresponding\n")
    refused(run_cli("train", "--topic", "allocation", "--answers", str(sheet), "--lang", "en"),
            "no allocation exercise 'chief-changed-decisoin'", "did you mean 'chief-changed-decision'?")
    refused(run_cli("train", "--topic", "allocation", "--answers", str(sheet), "--lang", "zh"),
            "没有编号为 'chief-changed-decisoin' 的责任分配练习")


def test_unknown_questions_and_results_are_refused_with_what_is_allowed_and_the_rest_graded(tmp_path: Path) -> None:
    """An unknown question was ignored and a result that is none ("bearz", a mapping) graded as a wrong answer,
    exit 0; now each is refused where it stands, the readable answers are still graded, and the exit is 2."""
    sheet = _allocation_sheet(tmp_path, "chief-changed-decision:\n  P-9/D9/nothing: bears\n"
                                        "  P-2/D1/decision: bearz\n  P-1/D1/execution: does_not_bear\n")
    proc = run_cli("train", "--topic", "allocation", "--answers", str(sheet), "--lang", "en", "-f", "json")
    refused(proc, "allocation.yaml:2:3: chief-changed-decision.P-9/D9/nothing: this exercise has no question",
            "allowed: P-2/D1/decision, P-1/D1/execution",
            "allocation.yaml:3:3: chief-changed-decision.P-2/D1/decision: 'bearz' is not a result of the allocation",
            "did you mean 'bears'?")
    report = json.loads(proc.stdout)
    assert report["correct"] == 1 and report["total"] == 2
    zh = refused(run_cli("train", "--topic", "allocation", "--answers", str(sheet), "--lang", "zh"),
                 "'bearz' 不是责任分配的回答；允许：承担责任")
    assert "bears_mainly" not in zh


def test_the_allocation_key_is_still_graded_in_full() -> None:
    key = run_cli("train", "--topic", "allocation", "--key", "-f", "json")
    assert key.returncode == 0
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        handle.write(key.stdout)
    graded = run_cli("train", "--topic", "allocation", "--answers", handle.name, "-f", "json")
    Path(handle.name).unlink()
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    assert report["correct"] == report["total"] > 0
