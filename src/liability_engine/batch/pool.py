"""The worker processes of a batch: each builds its own Engine; chunks go out, results come back in
input order, and a worker that dies costs only the line that kills it."""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import signal
from collections import deque
from typing import Any

from ..errors import Problem
from .run import REPORTED, _Chunk, _Done, _error_record, evaluate_chunk
from ..i18n import msg

__all__ = ["Pool"]


# --- worker processes ----------------------------------------------------------------------------

_worker: tuple[Any, _dt.date, str] | None = None
_worker_error: BaseException | None = None


def _init_worker(folder: str, backend: str, as_of: _dt.date, source: str) -> None:
    """Pool initializer: this process's own Engine (durable-rules sessions are per process)."""
    global _worker, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    try:
        from ..compile.rulecache import engine_for

        _worker = (engine_for(folder, backend), as_of, source)
    except BaseException as exc:  # noqa: BLE001 - reported by the first task, not a respawn loop
        _worker_error = exc


def _ready() -> bool:
    if _worker is None:
        raise RuntimeError(f"a worker process could not build its engine: {_worker_error!r}")
    return True


def _work(chunk: _Chunk) -> _Done:
    _ready()
    assert _worker is not None
    engine, as_of, source = _worker
    return evaluate_chunk(engine, chunk, as_of, source)


def _context() -> Any:
    """forkserver: workers fork from a clean single-threaded server that has imported this module (fast, and
    never a fork of a process with threads, such as the progress bar's); spawn where it does not exist."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__, "liability_engine.compile.rulecache", "liability_engine.evaluate.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


def _lost(chunk: _Chunk, source: str) -> _Done:
    """Records for lines whose worker process died (a crash in the C engine): internal errors, in place."""
    out = bytearray()
    messages = []
    for number, _raw in chunk.lines:
        problem = Problem(msg("batch.worker_died"), path=source, line=number)
        out += _error_record(source, number, [problem], kind="internal") + b"\n"
        messages.append(problem)
    return _Done(bytes(out), 0, len(chunk.lines), messages[:REPORTED], chunk.size)


class Pool:
    """Chunks to worker processes; results back in input order, at most `window` chunks in flight.

    If a worker dies, the pool is rebuilt and the chunks that were in flight run again one at a time;
    the chunk that kills a worker on its own is split into single lines, so exactly the line that crashes
    gets an internal-error record and every other line its determination.
    """

    def __init__(self, jobs: int, window: int, initargs: tuple[Any, ...], source: str):
        self.jobs, self.window, self.initargs, self.source = jobs, window, initargs, source
        self.pending: deque[list[Any]] = deque()  # [chunk, future or None]
        self.alone = 0  # chunks to run one at a time, after a crash
        self.executor: Any = None
        self._start()

    def _start(self) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.executor = ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=_init_worker,
                                            initargs=self.initargs)
        self.executor.submit(_ready).result()  # workers up (and their engines built) before anything else

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def add(self, chunk: _Chunk) -> None:
        self.pending.append([chunk, None])
        self._launch()

    def full(self) -> bool:
        return len(self.pending) >= self.window

    def _launch(self) -> None:
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        limit = 1 if self.alone else self.window
        in_flight = sum(1 for entry in self.pending if entry[1] is not None)
        for entry in self.pending:
            if in_flight >= limit:
                break
            if entry[1] is None:
                try:
                    entry[1] = self.executor.submit(_work, entry[0])
                except BrokenProcessPool as exc:  # a worker died before `take` saw it: `take` handles it there
                    entry[1] = Future()
                    entry[1].set_exception(exc)
                in_flight += 1

    def take(self) -> tuple[_Done, int]:
        """The next result in input order (and its number of lines)."""
        from concurrent.futures.process import BrokenProcessPool

        while True:
            self._launch()
            entry = self.pending[0]
            try:
                done = entry[1].result()
            except BrokenProcessPool:
                running_alone = self.alone > 0
                self.close()
                self._start()
                for other in self.pending:
                    other[1] = None
                if not running_alone:  # somebody in flight crashed: run them again, one at a time
                    self.alone = len(self.pending)
                    continue
                chunk = self.pending.popleft()[0]
                self.alone -= 1
                if len(chunk.lines) > 1:  # find the line: each line on its own
                    singles = [_Chunk([line], chunk.size if i == 0 else 0) for i, line in enumerate(chunk.lines)]
                    self.pending.extendleft(reversed([[c, None] for c in singles]))
                    self.alone += len(singles)
                    continue
                return _lost(chunk, self.source), 1
            self.pending.popleft()
            if self.alone:
                self.alone -= 1
            return done, len(entry[0].lines)
