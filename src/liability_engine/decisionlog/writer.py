"""Group commit for the service: one writer thread appends the rows of many requests in one statement (one
transaction), and each request waits for the commit of its own row before it is answered.

A decision is never served unlogged: `await writer.record(row)` returns once the row is committed, and raises
DecisionLogError (the service answers 503) when it cannot be. What is grouped is only the commit: while the
writer commits one group, the event loop goes on evaluating the next requests, whose rows make the next group.
The rows go in as one multi-row INSERT, a single statement in autocommit mode: one SQLite transaction and one
write lock per group, and few switches of the GIL between the writer and the event loop (the `sqlite3`
module releases the GIL around each statement it runs; an `executemany` of N rows would switch N times).
Other processes writing the same log (workers of one server) take turns through SQLite's own locking, with
the busy timeout and the retries of `DecisionLog`.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..i18n import msg
from . import BUSY_TIMEOUT_MS, INSERT_INTO, ROW_PLACES, DecisionLogError, chmod_private

__all__ = ["GroupWriter", "MAX_GROUP"]

log = logging.getLogger("liability.decisionlog")
# SQLite binds at most 32,766 values a statement (999 before 3.32): 16 columns a row
MAX_GROUP = 500 if sqlite3.sqlite_version_info >= (3, 32, 0) else 60
_STOP = object()


class GroupWriter:
    """The writer thread of one process (one connection of its own to the log)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._statements: dict[int, str] = {}
        self._pending: dict[Any, list[tuple[tuple[Any, ...], Any]]] = {}  # event loop -> its rows of this turn
        try:
            self._db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA synchronous = NORMAL")  # as DecisionLog: durable at each WAL checkpoint
        except sqlite3.DatabaseError as exc:
            raise DecisionLogError(Problem(msg("decisionlog.cannot_open", reason=exc), path=str(self.path))) from None
        self._private = False
        self._thread = threading.Thread(target=self._run, name="liability-decision-log", daemon=True)
        self._thread.start()

    async def record(self, row: tuple[Any, ...]) -> None:
        """Queue `row` (decision_row's tuple) and wait until it is committed. The rows queued during one turn of
        the event loop are handed to the writer together, at the end of the turn: one wake-up of the writer
        thread (one GIL hand-over) for all of them, not one per request."""
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        pending = self._pending.get(loop)
        if pending is None:
            pending = self._pending[loop] = []
            loop.call_soon(self._hand_over, loop)
        pending.append((row, done))
        await done

    def _hand_over(self, loop: Any) -> None:
        self._queue.put((loop, self._pending.pop(loop)))

    def close(self, timeout: float = 10.0) -> None:
        """Commit what is queued, then stop the thread and close the connection."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)
        try:
            self._db.close()
        except sqlite3.Error:  # pragma: no cover - closing a connection the thread still uses
            pass

    # --- the thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            stop = first is _STOP
            handed = [] if stop else [first]
            while not stop:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                else:
                    handed.append(item)
            group = [(row, loop, done) for loop, rows in handed for row, done in rows]
            for start in range(0, len(group), MAX_GROUP):
                self._commit(group[start:start + MAX_GROUP])
            if stop:
                return

    def _commit(self, group: list[tuple[Any, Any, Any]]) -> None:
        error: BaseException | None = None
        try:
            self._insert([row for row, _, _ in group])
        except sqlite3.DatabaseError as exc:
            error = DecisionLogError(Problem(msg("decisionlog.cannot_write", reason=exc), path=str(self.path)))
        except BaseException as exc:  # pragma: no cover - a bug: every waiting request gets it, none hangs
            log.exception("decision log writer")
            error = exc
        by_loop: dict[Any, list[Any]] = {}
        for _, loop, done in group:
            by_loop.setdefault(loop, []).append(done)
        for loop, futures in by_loop.items():  # one wake-up of each event loop per group
            try:
                loop.call_soon_threadsafe(_settle, futures, error)
            except RuntimeError:  # the loop is closed: nobody waits any more
                pass

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        sql = self._statements.get(len(rows))
        if sql is None:
            sql = self._statements[len(rows)] = INSERT_INTO + ", ".join([ROW_PLACES] * len(rows))
        values = [v for row in rows for v in row]
        delay = 0.01
        for attempt in range(8):  # beyond the busy timeout's own wait, as DecisionLog._retry
            try:
                self._db.execute(sql, values)
                break
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or attempt == 7:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        if not self._private:  # SQLite may have created the -wal and -shm files with the umask's mode
            chmod_private(self.path)
            self._private = True


def _settle(futures: list[Any], error: BaseException | None) -> None:
    for done in futures:
        if not done.done():
            if error is None:
                done.set_result(None)
            else:
                done.set_exception(error)
