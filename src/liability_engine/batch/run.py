"""Batch evaluation of JSON Lines: one facts document per input line, one JSON record per output line.

`liability evaluate --jsonl IN.jsonl [--jobs N]` is a thin layer over `run_batch`:

- **Order and count.** Output line *k* answers input line *k*: a `liability-determination/1`
  record, or, for a line that cannot be evaluated, a `liability-error/1` record naming the line
  (`{"schema": "liability-error/1", "source": ..., "line": k, "problems": [...]}`). A bad line
  never stops the batch; output lines = input lines.
- **Constant memory.** Lines are read lazily and evaluated in chunks; at most a fixed number of
  chunks (a few per worker) are in flight at once, and each finished chunk is written out, in
  input order, as soon as every chunk before it is written. Memory does not grow with the input.
- **Processes.** With `jobs > 1` the chunks go to a pool of worker processes; each worker builds
  its own `Engine` in the pool initializer (durable-rules holds the GIL, so threads would not
  help, and its sessions are per process). Workers fork from a forkserver (never from a process
  with threads). A worker that dies (a crash in the C engine) costs only the line that kills it:
  the pool is rebuilt, the chunks in flight run again one at a time, and the crashing line gets
  an internal-error record. `jobs == 1` evaluates in this process with the same code, so both give
  byte-identical output.
- **Exit status** (`BatchSummary.exit_code`): 0 when every line was evaluated, 2 when any line was
  invalid input, 1 when any line hit an internal error.
- **Determinism.** The evaluation date is fixed once, in the parent (`as_of`, default today), and
  passed to every worker.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import multiprocessing
import os
import signal
import sys
from collections import deque
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator

from ..facts.documents import max_bytes, parse_document
from ..errors import FactsError, LiabilityError, Problem
from ..i18n import msg

__all__ = ["BatchSummary", "run_batch", "evaluate_chunk", "read_lines", "ERROR_SCHEMA"]

ERROR_SCHEMA = "liability-error/1"
CHUNK_LINES = 64  # lines per unit of work: large enough to amortise IPC, small enough to stream
CHUNK_BYTES = 1 << 20  # a chunk also closes at this many input bytes
IN_FLIGHT_PER_JOB = 4  # chunks submitted ahead of the writer, per worker: bounds memory
REPORTED = 10  # bad lines echoed on stderr (all of them are in the output)


@dataclass
class BatchSummary:
    lines: int = 0
    bad: int = 0  # lines that were invalid input: exit status 2
    bugs: int = 0  # lines that hit an internal error: exit status 1
    messages: list[Problem] = field(default_factory=list)  # the first few problems, for stderr

    @property
    def exit_code(self) -> int:
        return 1 if self.bugs else 2 if self.bad else 0


@dataclass
class _Chunk:
    lines: list[tuple[int, bytes | None]]  # (line number, raw bytes; None = over the size limit)
    size: int  # input bytes consumed, for the progress bar


@dataclass
class _Done:
    output: bytes
    bad: int
    bugs: int
    messages: list[Problem]
    size: int


# --- reading -------------------------------------------------------------------------------------


def read_lines(stream: IO[bytes], limit: int | None = None) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, the line without its newline or None if over `limit` bytes, bytes consumed)."""
    limit = max_bytes() if limit is None else limit
    number = 0
    while True:
        raw = stream.readline(limit + 2)  # room for the line, "\r\n", and one byte to tell it is too long
        if not raw:
            return
        number += 1
        consumed = len(raw)
        if len(raw) == limit + 2 and not raw.endswith(b"\n"):
            while True:  # skip the rest of an oversized line, in bounded reads
                more = stream.readline(1 << 20)
                consumed += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield number, None, consumed
            continue
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        yield number, (raw if len(raw) <= limit else None), consumed


def _chunks(lines: Iterable[tuple[int, bytes | None, int]]) -> Iterator[_Chunk]:
    batch: list[tuple[int, bytes | None]] = []
    size = 0
    for number, raw, consumed in lines:
        batch.append((number, raw))
        size += consumed
        if len(batch) >= CHUNK_LINES or size >= CHUNK_BYTES:
            yield _Chunk(batch, size)
            batch, size = [], 0
    if batch:
        yield _Chunk(batch, size)


# --- evaluating ------------------------------------------------------------------------------------


def _json(data: Any) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _error_record(source: str, number: int, problems: list[Problem], kind: str | None = None) -> bytes:
    record: dict[str, Any] = {"schema": ERROR_SCHEMA, "source": source, "line": number}
    if kind:
        record["error"] = kind
    record["problems"] = [p.as_dict() for p in problems]
    return _json(record)


def _at_line(problems: list[Problem], source: str, number: int) -> list[Problem]:
    """The problems of one line, located in the batch file (a line's own line number is always 1)."""
    return [dataclasses.replace(p, path=source, line=number) for p in problems]


def evaluate_line(engine: Any, number: int, raw: bytes | None, as_of: _dt.date,
                  source: str) -> tuple[bytes, int, list[Problem]]:
    """One output record for one input line: (JSON bytes, status 0/2/1, the problems if any)."""
    from ..facts.model import facts_from_data

    try:
        if raw is None:
            limit = max_bytes()
            raise FactsError(Problem(msg("batch.line_too_big", limit=f"{limit:,}")))
        doc = parse_document(raw, source, FactsError, json_hint=True)
        facts = facts_from_data(doc.data, source=doc)
        det = engine.evaluate(facts, as_of=as_of)
        return det.model_dump_json().encode("utf-8"), 0, []
    except LiabilityError as exc:
        problems = _at_line(exc.problems, source, number)
        return _error_record(source, number, problems), 2, problems
    except Exception as exc:  # a bug: recorded in place, and the batch exits 1
        problem = Problem(msg("batch.internal", error=f"{type(exc).__name__}: {exc}"), path=source, line=number)
        return _error_record(source, number, [problem], kind="internal"), 1, [problem]


def evaluate_chunk(engine: Any, chunk: _Chunk, as_of: _dt.date, source: str) -> _Done:
    out = bytearray()
    bad = bugs = 0
    messages: list[Problem] = []
    for number, raw in chunk.lines:
        record, status, problems = evaluate_line(engine, number, raw, as_of, source)
        out += record
        out += b"\n"
        if status:
            bad += status == 2
            bugs += status == 1
            if len(messages) < REPORTED:
                messages.extend(problems[:REPORTED - len(messages)])
    return _Done(bytes(out), bad, bugs, messages, chunk.size)


# --- worker processes ----------------------------------------------------------------------------

_worker: tuple[Any, _dt.date, str] | None = None
_worker_error: BaseException | None = None
_crash_marker: bytes | None = None


def _init_worker(folder: str, backend: str, as_of: _dt.date, source: str, crash_marker: bytes | None = None) -> None:
    """Pool initializer: this process's own Engine (durable-rules sessions are per process)."""
    global _worker, _worker_error, _crash_marker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    _crash_marker = crash_marker
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
    if _crash_marker is not None and any(raw and _crash_marker in raw for _, raw in chunk.lines):
        os.kill(os.getpid(), signal.SIGKILL)  # tests only: a worker that dies as a C crash would kill it
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


class _Pool:
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


# --- the driver -------------------------------------------------------------------------------------


def run_batch(
    stream: IO[bytes],
    output: IO[bytes],
    *,
    folder: str,
    backend: str,
    as_of: _dt.date,
    source: str,
    jobs: int = 1,
    engine: Any = None,
    progress: Callable[[], Any] | None = None,
    _crash_marker: bytes | None = None,
) -> BatchSummary:
    """Evaluate every line of `stream`, writing one record per line to `output`, in order.

    `engine` is used when `jobs == 1` (else each worker builds its own from `folder`). `progress` is a
    factory of a context manager whose value is called as `(lines, bytes)` after each chunk is written;
    it is entered once the workers are running (never fork a process with a live progress thread).
    """
    summary = BatchSummary()
    chunks = _chunks(read_lines(stream))

    def emit(done: _Done, count: int, advance: Any) -> None:
        output.write(done.output)
        output.flush()
        summary.lines += count
        summary.bad += done.bad
        summary.bugs += done.bugs
        room = REPORTED - len(summary.messages)
        if room > 0:
            summary.messages.extend(done.messages[:room])
        if advance is not None:
            advance(count, done.size)

    bar = progress() if progress is not None else contextlib.nullcontext()
    if jobs <= 1:
        if engine is None:
            from ..compile.rulecache import engine_for

            engine = engine_for(folder, backend)
        with bar as advance:
            for chunk in chunks:
                emit(evaluate_chunk(engine, chunk, as_of, source), len(chunk.lines), advance)
        return summary

    output.flush()
    pool = _Pool(jobs, jobs * IN_FLIGHT_PER_JOB, (folder, backend, as_of, source, _crash_marker), source)
    try:
        with bar as advance:
            for chunk in chunks:
                pool.add(chunk)
                while pool.full():
                    emit(*pool.take(), advance)
            while pool.pending:
                emit(*pool.take(), advance)
    finally:
        pool.close()
    return summary


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


class ProgressBar:
    """A progress bar on stderr (call only when stderr is a terminal): lines done, rate, bytes read."""

    def __init__(self, total_bytes: int | None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns: list[Any] = [TextColumn("evaluating"), BarColumn()]
        if total_bytes:
            columns += [TaskProgressColumn(), TimeRemainingColumn()]
        else:
            columns += [TimeElapsedColumn()]
        columns.append(TextColumn("{task.fields[lines]:,} lines"))
        self._bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task("evaluate", total=total_bytes or None, lines=0)
        self._lines = 0

    def __enter__(self) -> "ProgressBar":
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, lines: int, size: int) -> None:
        self._lines += lines
        self._bar.update(self._task, advance=size, lines=self._lines)


def run_jsonl(path: str, *, out: IO[bytes], folder: str, backend: str, as_of: _dt.date, jobs: int,
              engine: Any = None) -> int:
    """`liability evaluate --jsonl PATH`: the batch, its progress bar and its stderr summary; the exit status."""
    from pathlib import Path

    if path == "-":
        stream: IO[bytes] = sys.stdin.buffer
        source, total = "<stdin>", None
    else:
        if Path(path).is_dir():
            raise FactsError(Problem(msg("batch.is_directory"), path=path))
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise FactsError(Problem(msg("input.cannot_read", reason=exc.strerror or exc), path=path)) from None
        source = path
        total = os.fstat(stream.fileno()).st_size if Path(path).is_file() else None
    workers = jobs or default_jobs()
    try:
        kwargs: dict[str, Any] = dict(folder=folder, backend=backend, as_of=as_of, source=source, jobs=workers,
                                      engine=engine)
        bar = (lambda: ProgressBar(total)) if sys.stderr.isatty() else None  # a bar only on a terminal
        summary = run_batch(stream, out, progress=bar, **kwargs)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    failed = summary.bad + summary.bugs
    if failed:
        from rich.console import Console
        from rich.text import Text

        from ..i18n import current, text

        lang = current()
        err = Console(stderr=True, highlight=False)
        for problem in summary.messages:
            err.print(Text(text("error.prefix", lang), style="bold red") + Text(problem.text(lang)))
        more = failed - len(summary.messages)
        err.print(text("batch.summary", lang, failed=f"{failed:,}", lines=f"{summary.lines:,}")
                  + (text("batch.more", lang, more=f"{more:,}") if more > 0 else "")
                  + text("batch.records", lang), markup=False, highlight=False)
    return summary.exit_code
