"""The decision log from the command line: `evaluate --log` records a person's facts and a case file alike (as the
service does), `log list` names each decision in full when piped (never cut) with the finding in words, and
`replay` re-evaluates both kinds."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import ART7_ITEM1_KNOWING, ROOT, edited_rules, run_cli

PERSON = ROOT / "facts" / "forged-interrogation-record.yaml"
CASE = ROOT / "facts" / "cases" / "committee-concealed-fact.yaml"


def _logged(tmp_path: Path) -> Path:
    db = tmp_path / "decisions.db"
    for facts in (PERSON, CASE):
        done = run_cli("evaluate", str(facts), "--log", str(db), "--format", "json")
        assert done.returncode == 0, done.stderr
    return db


def test_evaluate_log_records_a_case_file_as_well_as_a_persons_facts(tmp_path: Path) -> None:
    db = _logged(tmp_path)
    listed = run_cli("log", "list", str(db), "--format", "json")
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["case_id"] for r in records] == ["2025-X-0107", "2025-C-0301"]
    shown = run_cli("log", "show", str(db), records[1]["decision_id"])
    assert shown.returncode == 0 and "liability-case-determination/1" in shown.stdout


def test_log_list_piped_names_every_decision_in_full_and_the_finding_in_words(tmp_path: Path) -> None:
    db = _logged(tmp_path)
    ids = [json.loads(line)["decision_id"]
           for line in run_cli("log", "list", str(db), "--format", "json").stdout.splitlines()]
    for lang, finding in (("zh", "故意违反检察职责"), ("en", "intentional violation of duty")):
        out = run_cli("log", "list", str(db), "--lang", lang).stdout
        assert "…" not in out, out
        assert all(i in out for i in ids), out
        assert finding in out, out


def test_replay_reports_a_changed_case_decision_after_a_rule_edit(tmp_path: Path) -> None:
    db = _logged(tmp_path)
    unchanged = run_cli("replay", str(db), "--format", "json")
    assert unchanged.returncode == 0, unchanged.stderr
    rules = edited_rules(tmp_path, {"2024/art07.yaml": ART7_ITEM1_KNOWING})  # the committee case's conduct
    replayed = run_cli("replay", str(db), "--rules", str(rules), "--format", "json")
    assert replayed.returncode == 0, replayed.stderr
    report = json.loads(replayed.stdout)
    assert report["decisions"] == 2 and report["changed"] == 1, report
    assert [c["case_id"] for c in report["changes"]] == ["2025-C-0301"]  # the case file's decision, not the person's
    assert json.loads(unchanged.stdout)["changed"] == 0


def test_decision_ids_are_version_7_uuids_that_sort_by_time_and_are_stored_as_text(tmp_path: Path) -> None:
    """The ids the log hands out (docs/service.md): RFC 4122 variant, version 7, the time in their first 48 bits;
    and the facts and the determination stored as text, whichever form (text or UTF-8 bytes) they were given in."""
    import sqlite3
    import time
    import uuid

    from liability_engine.decisionlog import new_decision_id

    before = time.time_ns() // 1_000_000
    ids = [new_decision_id() for _ in range(200)]
    after = time.time_ns() // 1_000_000
    for value in ids:
        parsed = uuid.UUID(value)
        assert str(parsed) == value and parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert before <= parsed.int >> 80 <= after
    assert len(set(ids)) == len(ids)
    db = _logged(tmp_path)
    with sqlite3.connect(db) as conn:
        kinds = conn.execute("SELECT typeof(facts), typeof(determination) FROM decisions").fetchall()
    assert kinds == [("text", "text"), ("text", "text")]


def test_a_null_accident_in_a_log_written_before_is_replayed_as_none_happened(tmp_path: Path) -> None:
    """An accident that did not happen was once logged as null, which now reads as unknown (SPEC §2); the engine
    now leaves it out, and replay reads a logged null as it was meant. A wrong decision with gross fault and no
    effect: not liable with no accident, undetermined were the accident unknown (Art. 8(4) would decide)."""
    import sqlite3

    facts = tmp_path / "wrong-decision.yaml"
    facts.write_text("schema: liability-facts/1\ncase: {id: T-1, kind: criminal}\nperson: {id: P-1}\nconducts:\n"
                     "  - {id: C1, date: 2025-03-10, act: wrong_decision, fault: gross}\n", encoding="utf-8")
    db = tmp_path / "decisions.db"
    assert run_cli("evaluate", str(facts), "--log", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT facts FROM decisions").fetchone()
        assert "accident" not in json.loads(stored)["conducts"][0]["effects"]  # none happened: left out
        conn.execute("UPDATE decisions SET facts = json_set(facts, '$.conducts[0].effects.accident', json('null'))")
    report = json.loads(run_cli("replay", str(db), "--format", "json").stdout)
    assert (report["decisions"], report["changed"]) == (1, 0), report
    # the same null given now is not established: the accident would decide
    facts.write_text(facts.read_text(encoding="utf-8").replace("fault: gross}", "fault: gross, "
                                                               "effects: {accident: null}}"), encoding="utf-8")
    out = json.loads(run_cli("evaluate", str(facts), "--format", "json").stdout)
    assert out["conducts"][0]["finding"] == "undetermined"
    assert [m["field"] for m in out["conducts"][0]["missing"]] == ["effects.accident"]


def test_a_damaged_row_is_reported_as_such_by_every_reader(tmp_path: Path) -> None:
    """A row whose stored JSON was altered outside the engine: `log list`, `log export` and `replay` say which
    decision is damaged and what to do (exit 2, both languages), instead of an internal error."""
    import sqlite3

    db = _logged(tmp_path)
    with sqlite3.connect(db) as conn:
        (decision_id,) = conn.execute("SELECT decision_id FROM decisions WHERE seq = 1").fetchone()
        conn.execute("UPDATE decisions SET facts = '{x' WHERE seq = 1")
    for args in (("log", "list", str(db)), ("log", "export", str(db), "--jsonl"), ("replay", str(db))):
        for lang, words in (("en", "is damaged"), ("zh", "已损坏")):
            done = run_cli(*args, "--lang", lang)
            assert done.returncode == 2, (args, done.stderr)
            assert words in done.stderr and decision_id in done.stderr and "Traceback" not in done.stderr, args


def test_a_file_that_is_not_a_decision_log_is_said_to_be_so_and_never_written_into(tmp_path: Path) -> None:
    """Another program's SQLite database, a file that is not SQLite, an empty file: the readers say it is not a
    decision log (in the chosen language, not SQLite's English), and `evaluate --log` does not add its tables to
    another program's database."""
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER)")
    (tmp_path / "text.db").write_text("hello", encoding="utf-8")
    (tmp_path / "empty.db").write_bytes(b"")
    said = {"other": ("another program's SQLite database", "其他程序的 SQLite 数据库"),
            "text": ("not an SQLite database", "不是 SQLite 数据库"), "empty": ("the file is empty", "文件为空")}
    for name, (en, zh) in said.items():
        for args in (("log", "list"), ("replay",)):
            done = run_cli(*args, str(tmp_path / f"{name}.db"), "--lang", "en")
            assert done.returncode == 2 and "not a decision log" in done.stderr and en in done.stderr, done.stderr
            done = run_cli(*args, str(tmp_path / f"{name}.db"), "--lang", "zh")
            assert done.returncode == 2 and "不是决定日志" in done.stderr and zh in done.stderr, done.stderr
            assert "no such table" not in done.stderr and "file is not a database" not in done.stderr
    written = run_cli("evaluate", str(PERSON), "--log", str(other), "--format", "json")
    assert written.returncode == 2 and ("not a decision log" in written.stderr or "不是决定日志" in written.stderr)
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["accounts"]


def test_a_damaged_log_file_is_said_to_be_so_in_the_users_words(tmp_path: Path) -> None:
    """A log file whose pages were damaged (a disk fault, a copy cut short): every reader and `evaluate --log` say
    the file is damaged and to restore it from a copy, in the chosen language, not SQLite's English."""
    db = _logged(tmp_path)
    damaged = bytearray(db.read_bytes())
    damaged[4096 * 2:4096 * 3] = b"\xa5" * 4096  # a page of the table of decisions
    db.write_bytes(bytes(damaged))
    for args in (("log", "list", str(db)), ("replay", str(db)),
                 ("evaluate", str(PERSON), "--log", str(db), "--format", "json")):
        for lang, words in (("en", "the log file is damaged; restore it from a copy"),
                            ("zh", "日志文件已损坏；请从备份恢复")):
            done = run_cli(*args, "--lang", lang)
            assert done.returncode == 2 and words in done.stderr, (args, done.stderr)
            assert "malformed" not in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)


def test_sqlites_refusals_are_said_in_both_languages_and_others_in_sqlites_words() -> None:
    """What SQLite says (its result code, extended codes included) becomes the catalogue's words; a code the
    catalogue has no words for keeps SQLite's own."""
    import sqlite3

    from liability_engine.decisionlog.files import sqlite_reason

    def refusal(code: int, text: str) -> sqlite3.Error:
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        return exc

    said = {(5, "database is locked"): ("held the log locked", "锁定了该日志"),
            (8 | (2 << 8), "attempt to write a readonly database"): ("read-only", "只读"),  # SQLITE_READONLY_CANTLOCK
            (13, "database or disk is full"): ("no space left", "磁盘空间"),
            (10 | (3 << 8), "disk I/O error"): ("input/output error", "输入输出错误"),  # SQLITE_IOERR_WRITE
            (14, "unable to open database file"): ("cannot be opened", "无法打开该文件")}
    for (code, text), (en, zh) in said.items():
        reason = sqlite_reason(refusal(code, text))
        assert en in str(reason) and zh in reason.zh and text not in str(reason), code
    assert str(sqlite_reason(refusal(1, "no such table: x"))) == "no such table: x"
    assert str(sqlite_reason(ValueError("x"))) == "x"


def test_the_default_log_is_the_users_wherever_the_server_starts(monkeypatch: Any, tmp_path: Path) -> None:
    """`liability serve` without --log records in $LIABILITY_DECISION_LOG, else $XDG_DATA_HOME/liability-engine/
    decisions.db (a relative XDG_DATA_HOME is ignored, as the XDG specification says), else ~/.local/share/…"""
    from liability_engine.decisionlog.files import default_log_path

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("LIABILITY_DECISION_LOG", raising=False)
    assert default_log_path() == tmp_path / "home" / ".local" / "share" / "liability-engine" / "decisions.db"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert default_log_path() == tmp_path / "home" / ".local" / "share" / "liability-engine" / "decisions.db"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_log_path() == tmp_path / "data" / "liability-engine" / "decisions.db"
    monkeypatch.setenv("LIABILITY_DECISION_LOG", str(tmp_path / "audit.db"))
    assert default_log_path() == tmp_path / "audit.db"


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """`folder` and what is in it read-only while inside: by its mode, or for root (whom modes do not stop) with
    the immutable attribute; a test that cannot have either here is skipped, with the reason."""
    files = [folder, *folder.iterdir()]
    if os.geteuid() != 0:
        for f in files:
            f.chmod(0o500 if f.is_dir() else 0o400)
        try:
            yield
        finally:
            for f in files:
                f.chmod(0o700 if f.is_dir() else 0o600)
        return
    done = subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True)
    if done.returncode != 0:
        subprocess.run(["chattr", "-i", *map(str, files)], capture_output=True)
        pytest.skip("cannot make a folder read-only here (root, and no chattr +i on this file system)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], check=True)


def test_a_reader_leaves_the_log_as_it_found_it(tmp_path: Path) -> None:
    """`log list` and `replay` on a stopped server's log: no -wal or -shm left beside it (owned by whoever read
    it), the file's mode untouched, and the log unchanged."""
    db = _logged(tmp_path)
    db.chmod(0o640)
    before = (sorted(p.name for p in tmp_path.iterdir()), db.read_bytes())
    for args in (("log", "list", str(db)), ("replay", str(db)), ("log", "export", str(db), "--jsonl")):
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr
    assert (sorted(p.name for p in tmp_path.iterdir()), db.read_bytes()) == before
    assert db.stat().st_mode & 0o777 == 0o640


def test_a_log_on_read_only_storage_is_read_and_nothing_is_written_beside_it(tmp_path: Path) -> None:
    """An archived log, on a read-only mount or a folder one may only read: `log list`, `log show` and `replay`
    read it (they write nothing: not even SQLite's -shm beside it)."""
    db = _logged(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with _read_only(tmp_path):
        listed = run_cli("log", "list", str(db), "--format", "json")
        assert listed.returncode == 0, listed.stderr
        records = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [r["case_id"] for r in records] == ["2025-X-0107", "2025-C-0301"]
        shown = run_cli("log", "show", str(db), records[0]["decision_id"])
        assert shown.returncode == 0 and json.loads(shown.stdout)["decision_id"] == records[0]["decision_id"]
        replayed = run_cli("replay", str(db), "--format", "json")
        assert replayed.returncode == 0, replayed.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_archived_log_whose_wal_holds_rows_is_read_whole_or_said_to_need_a_writable_copy(tmp_path: Path) -> None:
    """A copy taken while a server wrote: rows still in the -wal beside the log. With SQLite's -shm copied too, they
    are read; without it, in a read-only folder, they could not be: the readers say so (zh and en) rather than
    list the log without them."""
    import shutil
    import sqlite3

    db = _logged(tmp_path)
    live = sqlite3.connect(db, isolation_level=None)
    live.execute("PRAGMA wal_autocheckpoint = 0")
    live.execute("INSERT INTO decisions (decision_id, logged_at, caller, channel, endpoint, rulebook_digest, "
                 "rulebook_versions, engine_version, backend, as_of, case_id, person_id, overall_finding, "
                 "overall_liable, facts, determination) SELECT 'copy-of-' || decision_id, logged_at, caller, channel, "
                 "endpoint, rulebook_digest, rulebook_versions, engine_version, backend, as_of, case_id, person_id, "
                 "overall_finding, overall_liable, facts, determination FROM decisions WHERE seq = 1")
    archive = tmp_path / "archive"
    archive.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{db}{suffix}", archive / f"decisions.db{suffix}")
    live.close()
    copy = archive / "decisions.db"
    with _read_only(archive):
        listed = run_cli("log", "list", str(copy), "--format", "json")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 3  # the row in the -wal too
    (archive / "decisions.db-shm").unlink()
    with _read_only(archive):
        for lang, words in (("en", "may hold rows not yet copied into the log file"),
                            ("zh", "尚未写入日志文件的记录")):
            done = run_cli("log", "list", str(copy), "--lang", lang)
            assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr, done.stderr
