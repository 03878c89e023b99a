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
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator

from ..error_record import ERROR_SCHEMA, error_record
from ..errors import FactsError, LiabilityError, Problem
from ..i18n import msg
from ..facts.documents import max_bytes, parse_document

__all__ = ["BatchSummary", "run_batch", "evaluate_chunk", "read_lines", "ERROR_SCHEMA"]

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
    return _json(error_record(source, problems, line=number, kind=kind))


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
        if isinstance(doc.data, dict) and doc.data.get("schema") == "liability-facts/2":  # a case file
            from ..allocation.casefile import case_file_from_data

            det = engine.evaluate_case(case_file_from_data(doc.data, source=doc), as_of=as_of)
            return det.model_dump_json().encode("utf-8"), 0, []
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
    from .pool import Pool

    pool = Pool(jobs, jobs * IN_FLIGHT_PER_JOB, (folder, backend, as_of, source), source)
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
