"""`liability evaluate --jsonl`: the batch of batch/ on the terminal — its input file, its progress bar
and its stderr summary."""

from __future__ import annotations

import datetime as _dt
import os
import sys
from pathlib import Path
from typing import IO, Any

from ..batch.run import run_batch
from ..errors import FactsError, Problem, os_reason
from ..render.progress import BatchProgress, print_batch_summary
from ..i18n import msg

__all__ = ["run_jsonl", "default_jobs"]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def run_jsonl(path: str, *, out: IO[bytes], folder: str, backend: str, as_of: _dt.date, jobs: int,
              engine: Any = None) -> int:
    """`liability evaluate --jsonl PATH`: the batch, its progress bar and its stderr summary; the exit status."""
    if path == "-":
        stream: IO[bytes] = sys.stdin.buffer
        source, total = "<stdin>", None
    else:
        if Path(path).is_dir():
            raise FactsError(Problem(msg("batch.is_directory"), path=path))
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise FactsError(Problem(msg("input.cannot_read", reason=os_reason(exc)), path=path)) from None
        source = path
        total = os.fstat(stream.fileno()).st_size if Path(path).is_file() else None
    workers = jobs or default_jobs()
    try:
        kwargs: dict[str, Any] = dict(folder=folder, backend=backend, as_of=as_of, source=source, jobs=workers,
                                      engine=engine)
        bar = (lambda: BatchProgress(total)) if sys.stderr.isatty() else None  # a bar only on a terminal
        summary = run_batch(stream, out, progress=bar, **kwargs)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    print_batch_summary(summary)
    return summary.exit_code
