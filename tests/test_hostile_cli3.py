"""Bad input and odd surroundings the earlier rounds (test_hostile_input.py, test_hostile_cli2.py) did not reach, each
found by probing the installed command: an id YAML reads as another number, a date where text belongs named in
Python's word for it, an output that cannot be written, a terminal too narrow for the blocks, and options whose
range was unbounded. Each: the user's answer (or a located message, exit 2), never a silent change or a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, ROOT, cli_command, refused, run_cli

FORGED = ROOT / "facts" / "forged-interrogation-record.yaml"
CASE = ROOT / "facts" / "cases" / "committee-concealed-fact.yaml"


def _with_case_id(tmp_path: Path, written: str) -> Path:
    path = tmp_path / "case.yaml"
    text = FORGED.read_text(encoding="utf-8")
    assert 'id: "2025-X-0107"' in text
    path.write_text(text.replace('id: "2025-X-0107"', f"id: {written}", 1), encoding="utf-8")
    return path


# --- an id is the text it was written as ---------------------------------------------------------------------


@pytest.mark.parametrize("written", ["0107", "007", "12:30", "0x1F", "1_000", "+12", "17"])
def test_an_id_written_as_a_yaml_number_is_the_text_written(written: str, tmp_path: Path) -> None:
    """`id: 0107` was the case "71" (YAML 1.1 reads 0107 as octal), `id: 12:30` the case "750" (base 60): the
    determination, the decision log and the report named another case, without a word."""
    done = run_cli("evaluate", str(_with_case_id(tmp_path, written)), "-f", "json", "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["case_id"] == written


def test_person_ids_written_as_numbers_keep_their_zeros_in_a_case_file(tmp_path: Path) -> None:
    text = CASE.read_text(encoding="utf-8")
    for n in range(1, 6):
        text = text.replace(f'"P-0{n}"', f"0{n}").replace(f"P-0{n}", f"0{n}")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    done = run_cli("evaluate", str(path), "-f", "json", "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert [p["person_id"] for p in json.loads(done.stdout)["persons"]] == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("written, en, zh", [
    ("2025-03-10", "expected text, found the date 2025-03-10", "此处应为文本，实际为日期 2025-03-10"),
    ("2025-03-10 10:00:00", "found the date and time 2025-03-10 10:00:00", "实际为日期时间 2025-03-10 10:00:00"),
])
def test_a_date_where_text_belongs_is_named_a_date_in_both_languages(written: str, en: str, zh: str,
                                                                     tmp_path: Path) -> None:
    """`id: 2025-03-10` was "expected text, found date" and "此处应为文本，实际为date": Python's type name."""
    path = _with_case_id(tmp_path, written)
    refused(run_cli("evaluate", str(path), "--lang", "en"), "case.yaml:3:3: case.id:", en)
    err = refused(run_cli("evaluate", str(path), "--lang", "zh"), zh)
    assert "date" not in err.split("case.id:", 1)[1]


# --- an output that cannot be written -------------------------------------------------------------------------


def _run_with_stdout(stdout, *args: str, close: bool = False) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LANG="C.UTF-8", COLUMNS="200")
    env.pop("LIABILITY_DEBUG", None)
    return subprocess.run([*cli_command(), *args], stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=120,
                          preexec_fn=(lambda: os.close(1)) if close else None)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_a_closed_standard_output_is_said_not_lost_nor_a_bug(fmt: str) -> None:
    """`liability evaluate case.yaml >&-`: the text report went nowhere and the exit status was 0 (a lost result);
    the JSON was an internal error (AttributeError: 'NoneType' object has no attribute 'buffer'), exit 1."""
    proc = _run_with_stdout(subprocess.DEVNULL, "evaluate", str(FORGED), "-f", fmt, "--lang", "en", close=True)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "the standard output is closed" in err and "internal error" not in err
    zh = _run_with_stdout(subprocess.DEVNULL, "evaluate", str(FORGED), "-f", fmt, "--lang", "zh", close=True)
    assert zh.returncode == 2 and "标准输出已关闭" in zh.stderr.decode()


def test_a_closed_standard_output_does_not_stop_a_command_that_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    proc = _run_with_stdout(subprocess.DEVNULL, "report", str(FORGED), "-o", str(out), "--as-of", AS_OF.isoformat(),
                            close=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("#")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["evaluate", str(FORGED)], ["evaluate", str(FORGED), "-f", "json"],
                                  ["schema", "facts"], ["train", "--key"]])
def test_a_full_disk_under_the_output_is_said_in_the_chosen_language(args: list[str]) -> None:
    """`liability evaluate case.yaml > /mnt/full/out.txt` was "internal error: OSError: [Errno 28] No space left on
    device ... This is a bug", exit 1, in English whatever the language."""
    with open("/dev/full", "wb") as full:
        en = _run_with_stdout(full, *args, "--lang", "en")
        zh = _run_with_stdout(full, *args, "--lang", "zh")
    assert en.returncode == zh.returncode == 2, en.stderr
    assert "cannot write the output (standard output): no space left on the disk" in en.stderr.decode()
    assert "无法写入输出（标准输出）：磁盘空间或配额已满" in zh.stderr.decode()
    assert b"internal error" not in en.stderr + zh.stderr and b"Errno" not in en.stderr + zh.stderr


# --- a narrow terminal ------------------------------------------------------------------------------------------


def _at_width(columns: int, *args: str) -> str:
    env = dict(os.environ, COLUMNS=str(columns), LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([*cli_command(), *args], capture_output=True, text=True, env=env, timeout=180,
                          encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_twenty_columns_every_value_of_a_block_is_printed(lang: str) -> None:
    """COLUMNS=20: the headings of a block took the whole width and `liability versions` printed them with no
    values at all ("version:", "title:", ...), the last heading cut with "…"."""
    out = _at_width(20, "versions", "--lang", lang)
    flat = "".join(out.split())
    for value in ("2015-09-28", "2020-10-18", "2024-07-04", "docs/sources.md"):
        assert value in flat, out
    assert "…" not in out


def test_training_tables_never_cut_a_heading_nor_break_an_exercise_id(tmp_path: Path) -> None:
    """rich's own tables: at 80 columns `train --coverage` broke ids ("art28-current-not-liable-2021-superv" /
    "isory"); at 40 the score table cut its headings ("Fi…", "Re…")."""
    coverage = _at_width(80, "train", "--coverage", "--lang", "en")
    assert "art28-current-not-liable-2021-supervisory" in coverage
    key = run_cli("train", "--key", "--count", "3", "--seed", "1")
    sheet = tmp_path / "key.yaml"
    sheet.write_text(key.stdout, encoding="utf-8")
    for columns in (40, 60):
        env = dict(os.environ, COLUMNS=str(columns), LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
        graded = subprocess.run([*cli_command(), "train", "--answers", str(sheet), "--lang", "en"],
                                capture_output=True, text=True, env=env, timeout=180, encoding="utf-8")
        assert graded.returncode == 0, graded.stderr
        assert "…" not in graded.stdout
        for exercise in yaml.safe_load(key.stdout):
            if not exercise.startswith("_"):
                assert exercise in graded.stdout, (columns, exercise, graded.stdout)


# --- options whose range was unbounded -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["101", "-1", "nan"])
def test_min_coverage_is_a_percentage(value: str) -> None:
    """`--min-coverage 101` failed every version ("under --min-coverage 101: 100% fired") and said nothing on
    stderr; -1 and nan passed any rulebook."""
    refused(run_cli("rules", "test", "--min-coverage", value, "--lang", "en"), "--min-coverage", "0<=x<=100")


def test_jobs_is_bounded_like_the_servers_workers(tmp_path: Path) -> None:
    """`--jobs 100000` asked the pool for that many processes, each building its own engine."""
    batch = tmp_path / "in.jsonl"
    batch.write_text("{}\n", encoding="utf-8")
    refused(run_cli("evaluate", "--jsonl", str(batch), "--jobs", "100000", "--lang", "en"), "--jobs", "0<=x<=64")


# --- the parsers' own English ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, en, zh", [
    ('a: "x\\q"\n', "an escape (what follows \\) in a double-quoted text is not valid", "双引号文本中的转义"),
    ('a: "\\x4"\n', "an escape (what follows \\) in a double-quoted text is not valid", "双引号文本中的转义"),
    ("a:\n  - 1\n  b: 2\n", "a line in a list is not an item starting with '- '", "列表中有一行不是以“- ”开头的项目"),
    ("a: &\n", "& or * without a name after it", "& 或 * 后缺少名称"),
    ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "a % directive or a document end (...) has no place", "% 指令"),
    ("%FOO bar\n---\na: 1\n", "a % directive or a document end (...) has no place", "% 指令"),
    ("a: 1\n...\nb: 2\n", "a % directive or a document end (...) has no place", "% 指令"),
    ("a: 1\n---\nb: 2\n", "another document follows ---", "--- 之后又有一份文档"),
])
def test_what_libyaml_says_is_said_in_the_catalogues_words(text: str, en: str, zh: str, tmp_path: Path) -> None:
    """libyaml's phrases reached the user as they were, inside a Chinese sentence too: "YAML 格式错误：found unknown
    escape character", "…：did not find expected '-' indicator", "…：but found another document"."""
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    refused(run_cli("evaluate", str(path), "--lang", "en"), "facts.yaml:", "invalid YAML: " + en)
    err = refused(run_cli("evaluate", str(path), "--lang", "zh"), zh)
    assert not re.search(r"found|did not|expected", err), err


def test_a_json_number_past_pythons_digits_is_located_and_said_in_both_languages(tmp_path: Path) -> None:
    """It was Python's sentence, in English under --lang zh too, with no place: "Exceeds the limit (4300 digits)
    for integer string conversion ... use sys.set_int_max_str_digits() to increase the limit"."""
    path = tmp_path / "facts.json"
    path.write_text('{"schema": "liability-facts/1",\n "case": {"id": ' + "9" * 5000 + "}}", encoding="utf-8")
    refused(run_cli("evaluate", str(path), "--lang", "en"), "facts.json:2:17:",
            "a number of more than 4,300 digits cannot be read; an id is text, in quotes")
    err = refused(run_cli("evaluate", str(path), "--lang", "zh"), "数字超过 4,300 位")
    assert "sys.set_int_max_str_digits" not in err


# --- a decision log altered by hand ------------------------------------------------------------------------------


def test_a_logged_evaluation_date_that_is_no_date_costs_replay_that_decision_only(tmp_path: Path) -> None:
    """`replay` of a log whose as_of column was altered ("yesterday") was an internal error (ValueError: Invalid
    isoformat string), exit 1, and no report of the other decisions."""
    import sqlite3

    db = tmp_path / "decisions.db"
    for facts in (FORGED, ROOT / "facts" / "careless-leak.yaml"):
        assert run_cli("evaluate", str(facts), "--log", str(db), "--as-of", AS_OF.isoformat()).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE decisions SET as_of = 'yesterday' WHERE seq = 1")
    conn.close()
    done = run_cli("replay", str(db), "-f", "json", "--lang", "en")
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["decisions"] == 2 and report["errors"] == 1 and report["unchanged"] == 1
    bad = next(c for c in report["changes"] if c["status"] == "error")
    assert "the evaluation date logged, 'yesterday', is not a date" in bad["error"][0]["message"]
    zh = run_cli("replay", str(db), "--lang", "zh")
    assert "日志中记录的评估日期 'yesterday' 不是日期" in zh.stdout + zh.stderr


# --- the procedure block ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, found_en", [("true", "found true"), ("-5", "found the number -5"),
                                               ("2.5", "found the number 2.5"), ("13", "found the number 13"),
                                               ('"3"', "found the text '3'")])
def test_extension_months_is_one_sentence_and_true_is_no_month(written: str, found_en: str, tmp_path: Path) -> None:
    """`extension_months: true` was taken for 1 month (a deadline moved without a word); -5 was refused twice,
    once per branch of pydantic's union, in its English and with the branches in the field's name
    ("extension_months.constrained-int: invalid value (Input should be greater than or equal to 1)")."""
    text = (ROOT / "facts" / "county-detention-ten-years.yaml").read_text(encoding="utf-8")
    assert "extension_months: 2" in text
    path = tmp_path / "facts.yaml"
    path.write_text(text.replace("extension_months: 2", f"extension_months: {written}"), encoding="utf-8")
    for command in ("procedure", "report"):
        err = refused(run_cli(command, str(path), "--as-of", "2026-01-05", "--lang", "en"),
                      "procedure.dates.extension_months: expected a whole number of months from 1 to 12, or unknown; "
                      + found_en)
        assert err.count("error:") == 1 and "constrained-int" not in err and "Input should" not in err
    refused(run_cli("procedure", str(path), "--as-of", "2026-01-05", "--lang", "zh"), "应为 1 到 12 之间的整数月数")


def test_a_decision_dated_after_the_evaluation_date_is_refused_as_a_conduct_is(tmp_path: Path) -> None:
    """A conduct dated after --as-of is refused ("cannot be judged before it happens"); a decision dated 2099 was
    judged without a word."""
    text = CASE.read_text(encoding="utf-8")
    assert "    date: 2025-02-12\n" in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("    date: 2025-02-12\n", "    date: 2099-02-12\n", 1), encoding="utf-8")
    for command in ("evaluate", "explain"):
        refused(run_cli(command, str(path), "--as-of", AS_OF.isoformat(), "--lang", "en"),
                "case.yaml:48:5: decisions[0].date: the decision is dated 2099-02-12, after the evaluation date "
                "2026-01-01")
    refused(run_cli("evaluate", str(path), "--as-of", AS_OF.isoformat(), "--lang", "zh"), "决定日期 2099-02-12 晚于评估日期")
    done = run_cli("evaluate", str(CASE), "--as-of", AS_OF.isoformat(), "-f", "json")
    assert done.returncode == 0, done.stderr


def test_a_progress_line_that_is_not_utf8_is_one_line_skipped_not_the_whole_history(tmp_path: Path) -> None:
    """One damaged line (bytes that are not UTF-8) made `train --stats` refuse the whole file, in Python's English
    under --lang zh too ("无法读取进度文件：'utf-8' codec can't decode byte 0xff ...")."""
    progress = tmp_path / "progress.jsonl"
    env = dict(os.environ, LIABILITY_PROGRESS=str(progress), LANG="C.UTF-8", COLUMNS="200")
    session = subprocess.run([*cli_command(), "train", "--count", "1", "--seed", "1", "--lang", "en"],
                             input="1\n7\n1\nyes\n", capture_output=True, text=True, env=env, timeout=120)
    assert session.returncode == 0 and progress.read_bytes().count(b"\n") == 1, session.stderr
    progress.write_bytes(b"\xff\xfe garbage\n" + progress.read_bytes())
    for lang, skipped in (("en", "1 unreadable lines skipped"), ("zh", "1")):
        stats = subprocess.run([*cli_command(), "train", "--stats", "--lang", lang], capture_output=True, text=True,
                               env=env, timeout=120)
        assert stats.returncode == 0, stats.stderr
        assert skipped in stats.stdout and "codec" not in stats.stdout + stats.stderr
        assert "(1)" in stats.stdout  # the record that was readable is counted


def test_a_dangling_link_in_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    """`liability evaluate inbox/` skipped a case.yaml that links to a file since moved: every record written, exit
    0, and one case never judged without a word. A named pipe is still left alone (reading it would wait)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.yaml").write_bytes(FORGED.read_bytes())
    (inbox / "b.yaml").symlink_to(tmp_path / "moved-away.yaml")
    os.mkfifo(inbox / "c.yaml")
    proc = run_cli("evaluate", str(inbox), "-f", "json", "--as-of", AS_OF.isoformat(), "--lang", "en", timeout=60)
    refused(proc, "b.yaml: no such file")
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["schema"] for r in records] == ["liability-determination/1", "liability-error/1"]


@pytest.mark.parametrize("field", ["case", "conduct"])
def test_an_id_of_blanks_only_is_refused_as_an_empty_one_is(field: str, tmp_path: Path) -> None:
    """`id: "   "` named no case and was judged (the web page strips it to "" and refuses it)."""
    text = FORGED.read_text(encoding="utf-8")
    text = text.replace('id: "2025-X-0107"', 'id: "   "') if field == "case" else text.replace("id: C1", 'id: "  "')
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    where = "case.id" if field == "case" else "conducts[0].id"
    refused(run_cli("evaluate", str(path), "--lang", "en"), f"{where}: is only blanks: write the id")
    refused(run_cli("evaluate", str(path), "--lang", "zh"), f"{where}: 不能只有空白")


def test_control_characters_in_the_facts_do_not_stop_a_word_report(tmp_path: Path) -> None:
    """`report -f docx` of facts whose texts hold control characters (a name with \\x07, a summary with \\x0b) was an
    internal error ("All strings must be XML compatible"), exit 1; they are shown escaped, as the terminal does."""
    docx = pytest.importorskip("docx")
    facts = tmp_path / "ctrl.json"
    facts.write_text(json.dumps({
        "schema": "liability-facts/1", "case": {"id": "K\u0001", "kind": "criminal", "summary": "a\u000bb\ufffe"},
        "person": {"id": "P-1", "name": "\u0007Zhang", "role": "procurator", "status": "serving"},
        "conducts": [{"id": "C1", "date": "2025-03-10", "act": "forge_evidence", "fault": "intentional",
                      "summary": "\u001b[31m red"}]}), encoding="utf-8")
    out = tmp_path / "report.docx"
    done = run_cli("report", str(facts), "-f", "docx", "-o", str(out), "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "\\x07Zhang" in text and "K\\x01" in text
