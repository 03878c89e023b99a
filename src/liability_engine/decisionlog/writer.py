"""Group commit for the service: the rows of the requests of one turn of the event loop go in together, as one
multi-row INSERT (one SQLite transaction), and each request waits for the commit of its own row before it is
answered.

A decision is never served unlogged: `await writer.record(row)` returns once the row is committed, and raises
DecisionLogError (the service answers 503) when it cannot be.

Where the commit runs. At the end of the turn, on the event loop itself, when the log is free: SQLite is asked
not to wait for a lock there (busy timeout 0), so the loop never sleeps on one. Measured (benchmarks/
bench_server.py, one worker, 32 clients): logging cost a third of the throughput when every group went through
a writer thread — each group woke the thread, which then waited for the GIL the busy event loop holds (up to the
5 ms switch interval, several times a group), and woke the loop back — and a few percent inline. The writer
thread remains for what must wait:
- a group that finds the log locked by another process (workers of one server share it) is tried again on the
  loop after RETRY_DELAYS (the rows of the turns meanwhile join it: under contention the groups grow, and the
  commits get fewer), then goes to the thread, which waits with the busy timeout and retries; while any group of
  a loop waits there, that loop's next groups follow it, so that rows are committed in the order they were taken;
- the WAL's checkpoints (which copy pages into the database and fsync it) run in the thread, PASSIVE (writers
  go on meanwhile), after every CHECKPOINT_BYTES of rows; SQLite's automatic checkpoint, which would run in the
  committing connection — on the event loop — is off for both connections of the writer.
- under steady load a PASSIVE checkpoint never catches up: rows committed while it copies leave the WAL not wholly
  copied, and SQLite starts the WAL again from its beginning only once it is. The WAL then grew by every row
  (208 MB in 8 s of one worker at 1,140 requests/s, never reused). So once the WAL file is over WAL_RESTART_BYTES,
  the thread's PASSIVE checkpoint is followed by a RESTART: it waits for the commit under way, holds new commits
  back while it copies what the PASSIVE one left (~12 ms), and the next commit starts the WAL again from its
  beginning; the file is then reused in place, and `journal_size_limit` cuts it back to WAL_RESTART_BYTES. A
  reader still reading what the WAL holds would keep RESTART (and so every commit) waiting: it waits for one
  RESTART_WAIT_MS at most, then gives up until the next checkpoint.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..i18n import msg
from . import (BUSY_TIMEOUT_MS, INSERT_INTO, ROW_COLUMNS, ROW_PLACES, DecisionLogError, busy, chmod_private,
               retry_while_busy, write_error)
from .files import sqlite_reason

__all__ = ["GroupWriter", "MAX_GROUP", "CHECKPOINT_BYTES", "WAL_RESTART_BYTES", "RESTART_WAIT_MS", "RETRY_DELAYS"]

log = logging.getLogger("liability.decisionlog")
# SQLite binds at most 32,766 values a statement (999 before 3.32): 16 columns a row
MAX_GROUP = 500 if sqlite3.sqlite_version_info >= (3, 32, 0) else 60
CHECKPOINT_BYTES = 4 * 1024 * 1024  # about SQLite's own default (1,000 pages of 4 KiB)
# The WAL file's size past which a checkpoint starts it again (RESTART). Each RESTART costs the answers of the moment
# (two workers, 32 clients, the sample: p99 16.0 ms never restarted, 16.9 ms at 512 MiB, 23.4 ms at 64 MiB): rare
# under steady load, never reached where the load pauses (a PASSIVE checkpoint then copies everything)
WAL_RESTART_BYTES = 512 * 1024 * 1024
RESTART_WAIT_MS = 50  # how long RESTART, holding the writers back, waits for the commit under way or a reader
# When another worker holds the log (its commit takes about a millisecond), the event loop tries again after each
# of these delays (seconds, 31.5 ms in all) before it hands the rows to the thread, which waits for the lock
RETRY_DELAYS = (0.0005, 0.001, 0.002, 0.004, 0.008, 0.016)
_STOP = object()
_CHECKPOINT = object()
_FACTS, _DETERMINATION = ROW_COLUMNS.index("facts"), ROW_COLUMNS.index("determination")  # the large values


class GroupWriter:
    """The decision log's writer of one process: two connections of its own (the event loop's, which never waits
    for a lock, and the writer thread's, which does), and the thread."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._statements: dict[int, str] = {}
        self._pending: dict[Any, list[tuple[tuple[Any, ...], Any]]] = {}  # event loop -> its rows of this turn
        self._behind: dict[Any, int] = {}  # event loop -> its groups handed to the thread and not yet committed
        self._unchecked = 0  # bytes of rows committed since the last checkpoint was asked for
        self._private = False
        self._loop_db = self._connect(busy_ms=0)
        self._db = self._connect(busy_ms=BUSY_TIMEOUT_MS)
        self._thread = threading.Thread(target=self._run, name="liability-decision-log", daemon=True)
        self._thread.start()

    def _connect(self, busy_ms: int) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(str(self.path), timeout=busy_ms / 1000, check_same_thread=False,
                                 isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {busy_ms}")
            db.execute("PRAGMA synchronous = NORMAL")  # as DecisionLog: durable at each WAL checkpoint
            db.execute("PRAGMA wal_autocheckpoint = 0")  # the thread checkpoints (see the module's text)
            db.execute(f"PRAGMA journal_size_limit = {WAL_RESTART_BYTES}")
        except sqlite3.DatabaseError as exc:
            raise DecisionLogError(Problem(msg("decisionlog.cannot_open", reason=sqlite_reason(exc)),
                                           path=str(self.path))) from None
        return db

    async def record(self, row: tuple[Any, ...]) -> None:
        """Queue `row` (decision_row's tuple) and wait until it is committed. The rows queued during one turn of
        the event loop are committed together, at the end of the turn."""
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        pending = self._pending.get(loop)
        if pending is None:
            pending = self._pending[loop] = []
            loop.call_soon(self._flush, loop)
        pending.append((row, done))
        await done

    def _flush(self, loop: Any, attempt: int = 0) -> None:
        """The end of a turn: commit its rows here if the log is free; what is left goes to the thread."""
        group = self._pending.pop(loop)
        if not self._behind.get(loop):
            group = self._commit_here(loop, group, attempt)
            if not group:
                return
        self._behind[loop] = self._behind.get(loop, 0) + 1
        self._queue.put((loop, group))

    def _commit_here(self, loop: Any, group: list[tuple[tuple[Any, ...], Any]],
                     attempt: int) -> list[tuple[tuple[Any, ...], Any]]:
        """Commit `group` on the event loop, chunk by chunk, and answer the requests of what went in (or failed).
        If another process holds the log, what is left is tried again after RETRY_DELAYS[attempt], without waiting
        (the rows of the turns meanwhile join it); returns what is left for the thread once the delays are over."""
        committed, left, error = 0, group, None
        try:
            for start in range(0, len(group), MAX_GROUP):
                chunk = [row for row, _ in group[start:start + MAX_GROUP]]
                self._insert(self._loop_db, chunk)
                committed = start + len(chunk)
            left = []
        except sqlite3.DatabaseError as exc:
            left = group[committed:]
            if not busy(exc):
                error = write_error(exc, self.path)
            elif attempt < len(RETRY_DELAYS):
                self._pending[loop] = left
                loop.call_later(RETRY_DELAYS[attempt], self._flush, loop, attempt + 1)
                left = []
        except Exception as exc:  # a bug: every waiting request gets it (an answer in the error shape), none hangs
            log.exception("decision log writer")
            left, error = group[committed:], exc
        _settle([done for _, done in group[:committed]], None)
        self._written([row for row, _ in group[:committed]])
        if error is not None:
            _settle([done for _, done in left], error)
            return []
        return left

    def _written(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if not self._private:  # SQLite may have created the -wal and -shm files with the umask's mode
            chmod_private(self.path)
            self._private = True
        self._unchecked += sum(len(row[_FACTS]) + len(row[_DETERMINATION]) for row in rows)
        if self._unchecked >= CHECKPOINT_BYTES:
            self._unchecked = 0
            self._queue.put(_CHECKPOINT)

    def close(self, timeout: float = 10.0) -> None:
        """Commit what is queued, then stop the thread and close the connections."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)
        for db in (self._loop_db, self._db):
            try:
                db.close()
            except sqlite3.Error:  # pragma: no cover - closing a connection the thread still uses
                pass

    # --- the thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if item is _CHECKPOINT:
                self._checkpoint()
                continue
            loop, group = item
            error: BaseException | None = None
            try:
                rows = [row for row, _ in group]
                for start in range(0, len(rows), MAX_GROUP):
                    chunk = rows[start:start + MAX_GROUP]
                    retry_while_busy(lambda: self._insert(self._db, chunk))
            except sqlite3.DatabaseError as exc:
                error = write_error(exc, self.path)
            except BaseException as exc:  # pragma: no cover - a bug: every waiting request gets it, none hangs
                log.exception("decision log writer")
                error = exc
            try:  # one wake-up of the event loop per group
                loop.call_soon_threadsafe(self._committed_in_thread, loop, group, error)
            except RuntimeError:  # the loop is closed: nobody waits any more
                pass

    def _committed_in_thread(self, loop: Any, group: list[tuple[tuple[Any, ...], Any]],
                             error: BaseException | None) -> None:
        """On the event loop: a group the thread wrote (or could not)."""
        self._behind[loop] -= 1
        _settle([done for _, done in group], error)
        if error is None:
            self._written([row for row, _ in group])

    def _checkpoint(self) -> None:
        try:
            wal = os.path.getsize(str(self.path) + "-wal")
        except OSError:
            wal = 0
        try:
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            if wal > WAL_RESTART_BYTES:  # what the PASSIVE one could not copy is what RESTART holds commits back for
                self._restart()
        except sqlite3.DatabaseError as exc:  # the next one will try again; the rows are safe in the WAL
            log.warning("decision log checkpoint: %s", exc)

    def _restart(self) -> None:
        """The RESTART checkpoint, which holds every writer back while it waits, so it waits little: for a reader
        still reading what the WAL holds (`liability log` on the live log, a backup tool), it gives up after
        RESTART_WAIT_MS, and a later checkpoint tries again."""
        self._db.execute(f"PRAGMA busy_timeout = {RESTART_WAIT_MS}")
        try:
            self._db.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()  # (busy, frames, copied): busy = gave up
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _insert(self, db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        sql = self._statements.get(len(rows))
        if sql is None:
            sql = self._statements[len(rows)] = INSERT_INTO + ", ".join([ROW_PLACES] * len(rows))
        db.execute(sql, [v for row in rows for v in row])


def _settle(futures: list[Any], error: BaseException | None) -> None:
    for done in futures:
        if not done.done():
            if error is None:
                done.set_result(None)
            else:
                done.set_exception(error)
