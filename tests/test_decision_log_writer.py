"""The service's group commit (decisionlog/writer.py): the rows of one turn of the event loop are committed
together on the loop when the log is free; a log locked by another process never makes the loop wait (the group
goes to the writer thread, which waits for the lock), rows keep their order, nothing is lost, a write that fails
reaches every waiting request, and the WAL is checkpointed by the thread."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from liability_engine.decisionlog import DecisionLog, DecisionLogError, decision_row
from liability_engine.decisionlog import writer as writer_module
from liability_engine.decisionlog.writer import GroupWriter


def _row(n: int, size: int = 10) -> tuple:
    return decision_row(facts_json=f'{{"n": {n}}}'.encode(), determination_json=("{" + "x" * size + "}").encode(),
                        rulebook_digest="0" * 64, rulebook_versions=["2024"], engine_version="test",
                        backend="python", as_of=dt.date(2025, 1, 1), case_id=f"case-{n}", person_id="P-1",
                        overall_finding="intent", overall_liable=True, caller="test", endpoint="/v1/evaluate")


def _case_ids(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT case_id FROM decisions ORDER BY seq")]


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    path = tmp_path / "decisions.db"
    DecisionLog(path)  # the schema, as the service creates it before its writer
    return path


def _serve(path: Path, main, *others: sqlite3.Connection):
    """Await `main(writer)` (a coroutine or a future, made inside the loop) on a fresh event loop with a GroupWriter
    of `path`; close the writer (and `others`)."""
    writer = GroupWriter(path)

    async def run():
        return await main(writer)

    try:
        return asyncio.run(run())
    finally:
        writer.close()
        for other in others:
            other.close()


def _record(writer: GroupWriter, numbers: range, **row: int) -> asyncio.Future:
    """The requests of one turn: a row each, answered once committed."""
    return asyncio.gather(*(writer.record(_row(n, **row)) for n in numbers), return_exceptions=True)


@pytest.fixture
def commits(monkeypatch) -> list[tuple[str, int]]:
    """The INSERTs that went in, as (where: loop or thread, rows); a refused one (a lock) is not counted."""
    found: list[tuple[str, int]] = []
    insert = GroupWriter._insert

    def counted(self, db, rows):
        insert(self, db, rows)
        found.append(("loop" if db is self._loop_db else "thread", len(rows)))

    monkeypatch.setattr(GroupWriter, "_insert", counted)
    return found


def test_the_rows_of_one_turn_are_committed_together_on_the_loop(log_path: Path, commits) -> None:
    _serve(log_path, lambda writer: _record(writer, range(20)))
    assert commits == [("loop", 20)]
    assert _case_ids(log_path) == [f"case-{n}" for n in range(20)]


def test_a_log_locked_by_another_process_never_stalls_the_loop_and_loses_nothing(log_path: Path) -> None:
    other = sqlite3.connect(log_path, isolation_level=None)
    ticks = []

    async def main(writer: GroupWriter) -> None:
        other.execute("BEGIN IMMEDIATE")  # another worker holds the write lock
        first = _record(writer, range(5))
        await asyncio.sleep(0)
        second = _record(writer, range(5, 8))  # a later turn: queued behind
        for _ in range(20):  # the loop goes on while the rows wait for the lock
            ticks.append(1)
            await asyncio.sleep(0.01)
        assert not first.done() and not second.done()  # not answered before they are written
        other.execute("COMMIT")
        assert await asyncio.wait_for(asyncio.gather(first, second), 30) == [[None] * 5, [None] * 3]

    _serve(log_path, main, other)
    assert len(ticks) == 20
    assert _case_ids(log_path) == [f"case-{n}" for n in range(8)]  # in the order they were taken


def test_a_briefly_locked_log_is_tried_again_on_the_loop_and_the_rows_meanwhile_join_the_group(
        log_path: Path, commits) -> None:
    other = sqlite3.connect(log_path, isolation_level=None)

    async def main(writer: GroupWriter) -> None:
        other.execute("BEGIN IMMEDIATE")  # another worker commits
        first = _record(writer, range(5))
        await asyncio.sleep(0)
        second = _record(writer, range(5, 8))
        await asyncio.sleep(0.002)
        other.execute("COMMIT")  # a couple of milliseconds later, well within the retries
        assert await asyncio.wait_for(asyncio.gather(first, second), 30) == [[None] * 5, [None] * 3]

    _serve(log_path, main, other)
    assert commits == [("loop", 8)]  # one commit on the loop, none through the thread
    assert _case_ids(log_path) == [f"case-{n}" for n in range(8)]


def test_a_write_that_fails_reaches_every_waiting_request(log_path: Path) -> None:
    with sqlite3.connect(log_path) as db:
        db.execute("DROP TABLE decisions")
    results = _serve(log_path, lambda writer: _record(writer, range(3)))
    assert all(isinstance(r, DecisionLogError) for r in results), results
    assert "decisions" in str(results[0])


def test_a_bug_in_the_write_reaches_every_waiting_request_instead_of_leaving_it_waiting(log_path: Path,
                                                                                         monkeypatch) -> None:
    def broken(self, db, rows):
        raise ValueError("not a database error")

    monkeypatch.setattr(GroupWriter, "_insert", broken)
    results = _serve(log_path, lambda writer: asyncio.wait_for(_record(writer, range(3)), 10))
    assert [type(r) for r in results] == [ValueError] * 3


def test_the_thread_checkpoints_the_wal_after_enough_rows(log_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(writer_module, "CHECKPOINT_BYTES", 50_000)
    checkpoints: list[int] = []
    real = GroupWriter._checkpoint

    def counted(self) -> None:
        real(self)
        with sqlite3.connect(log_path) as db:  # what the checkpoint left in the WAL: nothing, when it is alone
            checkpoints.append(db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[0])

    monkeypatch.setattr(GroupWriter, "_checkpoint", counted)

    async def main(writer: GroupWriter) -> None:
        for start in range(0, 60, 6):  # 10 turns of 6 rows of about 10 KB: 600 KB
            await _record(writer, range(start, start + 6), size=10_000)

    _serve(log_path, main)
    assert len(checkpoints) >= 8 and checkpoints.count(0) == len(checkpoints)  # none was refused as busy
    assert log_path.stat().st_size > 400_000  # the pages were copied from the WAL into the database
    with sqlite3.connect(log_path) as db:
        assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 60


def test_without_rows_the_thread_does_not_checkpoint(log_path: Path, monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(GroupWriter, "_checkpoint", lambda self: calls.append(1))
    _serve(log_path, lambda writer: _record(writer, range(5)))
    assert calls == []  # 5 small rows are far from CHECKPOINT_BYTES


def test_a_determinations_row_holds_what_decision_row_would(engine) -> None:
    """determination_row (the service's, built directly) and decision_row (by keywords) give the same row, for a
    person's facts and for a case file: the columns in INSERT's order."""
    from liability_engine.allocation.reading import load_any
    from liability_engine.decisionlog import determination_row

    root = Path(__file__).resolve().parents[1]
    for path in (root / "facts" / "forged-interrogation-record.yaml",
                 root / "facts" / "cases" / "committee-concealed-fact.yaml"):
        facts = load_any(path)
        det = engine.evaluate_case(facts) if hasattr(facts, "persons") else engine.evaluate(facts)
        row = determination_row(facts, det, rulebook_digest="d" * 64, engine_version="v", caller="c", channel="http",
                                endpoint="/v1/evaluate")
        case = hasattr(det, "persons")
        expected = decision_row(
            facts_json=facts.model_dump_json(by_alias=True, exclude_none=False).encode(),
            determination_json=det.model_dump_json().encode(), rulebook_digest="d" * 64,
            rulebook_versions=list(det.rulebook.versions), engine_version="v", backend=det.rulebook.backend,
            as_of=det.evaluated_on, case_id=det.case_id, person_id=None if case else det.person_id,
            overall_finding=det.overall.finding, overall_liable=det.overall.liable, caller="c", channel="http",
            endpoint="/v1/evaluate", decision_id=row[0])
        assert row[2:] == expected[2:] and row[0] == expected[0]
        assert row[1][:16] == expected[1][:16]  # logged_at: the same minute


def test_past_the_limit_the_checkpoint_starts_the_wal_again(log_path: Path, monkeypatch) -> None:
    """Rows committed while a PASSIVE checkpoint copies leave the WAL never wholly copied, and SQLite starts it
    again only once it is: under steady load the WAL grew by every row (a worker at 1,140 requests/s: 208 MB in
    8 s, never reused). So once the WAL file is past WAL_RESTART_BYTES, the thread's PASSIVE checkpoint is followed
    by a RESTART (which holds commits back while it copies what PASSIVE could not, and has the next commit write
    the WAL from its beginning); below it, PASSIVE alone. No row is lost."""
    monkeypatch.setattr(writer_module, "CHECKPOINT_BYTES", 1 << 40)  # the test says when to checkpoint
    monkeypatch.setattr(writer_module, "WAL_RESTART_BYTES", 500_000)
    wal = Path(str(log_path) + "-wal")
    said: list[list[str]] = []

    class Told:  # the thread's connection, which says what it is asked
        def __init__(self, db: sqlite3.Connection):
            self.db = db

        def execute(self, sql: str, *args: Any) -> Any:
            if sql.startswith("PRAGMA wal_checkpoint"):
                said[-1].append(sql.removeprefix("PRAGMA wal_checkpoint"))
            return self.db.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.db, name)

    async def main(writer: GroupWriter) -> list[int]:
        writer._db = Told(writer._db)  # type: ignore[assignment]
        sizes, start = [], 0
        for rows in (20, 60, 20):  # ~200 KB, ~600 KB, ~200 KB of rows into the WAL, then the thread checkpoints
            await _record(writer, range(start, start + rows), size=10_000)
            start += rows
            sizes.append(wal.stat().st_size)
            said.append([])
            await asyncio.get_running_loop().run_in_executor(None, writer._checkpoint)
        return sizes

    sizes = _serve(log_path, main)
    # the WAL written again from its start, and cut back to the limit (journal_size_limit) when it restarted
    assert sizes[0] < 500_000 < sizes[1] and sizes[2] <= 500_000, sizes
    assert said == [["(PASSIVE)"], ["(PASSIVE)", "(RESTART)"], ["(PASSIVE)"]]
    with sqlite3.connect(log_path) as db:
        assert db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 100


def test_a_reader_of_the_live_log_never_holds_the_writers_back_for_long(log_path: Path, monkeypatch) -> None:
    """RESTART holds every commit back while it waits; a reader still reading what the WAL holds (`liability log`
    on the live log, a backup tool) would keep it waiting for the whole busy timeout (30 s). It waits for one
    RESTART_WAIT_MS, gives up (a later checkpoint tries again), and the thread's busy timeout is as before."""
    import concurrent.futures

    monkeypatch.setattr(writer_module, "CHECKPOINT_BYTES", 1 << 40)
    monkeypatch.setattr(writer_module, "WAL_RESTART_BYTES", 100_000)
    reader = sqlite3.connect(log_path, isolation_level=None)

    async def main(writer: GroupWriter) -> int:
        await _record(writer, range(20), size=10_000)  # ~200 KB in the WAL
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM decisions").fetchone()  # reads from the WAL, and stays
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(writer._checkpoint).result(timeout=10)  # not the 30 s of the busy timeout
        await _record(writer, range(20, 25))  # commits go on, on the loop
        return writer._db.execute("PRAGMA busy_timeout").fetchone()[0]

    assert _serve(log_path, main, reader) == writer_module.BUSY_TIMEOUT_MS
    assert _case_ids(log_path) == [f"case-{n}" for n in range(25)]
