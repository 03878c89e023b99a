"""Progress on the terminal: the bar of several facts files, the bar and the stderr summary of a
JSON Lines batch."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Callable, Iterator

from rich.console import Console
from rich.text import Text

from .console import environ, stderr_console

if TYPE_CHECKING:
    from ..batch.run import BatchSummary

__all__ = ["progress", "BatchProgress", "print_batch_summary"]


@contextlib.contextmanager
def progress(total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when `enabled` (a terminal and several inputs); else nothing."""
    if not enabled:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr_console(), transient=True) as bar:
        task = bar.add_task("evaluate", total=total)
        yield lambda: bar.advance(task)


class BatchProgress:
    """A progress bar on stderr (call only when stderr is a terminal): lines done, rate, bytes read."""

    def __init__(self, total_bytes: int | None):
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
        self._bar = Progress(*columns, console=Console(stderr=True, _environ=environ()), transient=True)
        self._task = self._bar.add_task("evaluate", total=total_bytes or None, lines=0)
        self._lines = 0

    def __enter__(self) -> "BatchProgress":
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, lines: int, size: int) -> None:
        self._lines += lines
        self._bar.update(self._task, advance=size, lines=self._lines)


def print_batch_summary(summary: BatchSummary) -> None:
    """On stderr: the first problems of a batch and how many lines could not be evaluated."""
    failed = summary.bad + summary.bugs
    if not failed:
        return
    from ..i18n import current, text

    lang = current()
    # `file:line: message` stays on one line
    err = Console(stderr=True, highlight=False, soft_wrap=True, _environ=environ())
    for problem in summary.messages:
        err.print(Text(text("error.prefix", lang), style="bold red") + Text(problem.text(lang)), crop=False,
                  overflow="ignore")
    more = failed - len(summary.messages)
    err.print(text("batch.summary", lang, failed=f"{failed:,}", lines=f"{summary.lines:,}")
              + (text("batch.more", lang, more=f"{more:,}") if more > 0 else "")
              + text("batch.records", lang), markup=False, highlight=False)
