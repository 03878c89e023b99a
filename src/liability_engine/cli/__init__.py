"""The `liability` command line: thin commands over the library, one module per command group.

Exit status: 0 when every input was evaluated (whatever the finding), 2 when any input (facts,
rules, options) was invalid — the valid inputs are still evaluated and printed — and 1 for a bug.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import List, Optional

import typer

from ..errors import LiabilityError
from ._common import Exit
from .evaluate import evaluate
from .explain import explain
from .interview import interview
from . import rules as rules_cli
from . import versions as versions_cli
from .schema import schema
from .train import train

__all__ = ["app", "main", "run"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Judicial responsibility of procuratorate staff (人民检察院司法责任追究条例).")
app.command()(evaluate)
app.command()(explain)
app.command()(interview)
app.command()(schema)
app.add_typer(rules_cli.app, name="rules")
app.add_typer(versions_cli.app, name="versions")
app.command()(train)


def run() -> None:
    """The `liability` program (console script and `python -m liability_engine`): `main()`, then exit
    without the interpreter's final garbage collection.

    At exit CPython collects garbage once more over every object still alive: for this program,
    mostly pydantic's validators and schemas, which nothing needs finalised. That walk cost ~100 ms
    of a ~500 ms `liability evaluate` (benchmarks/README.md, cold start); `gc.freeze()` moves every
    object out of the collector's reach, so it is skipped. Streams are still flushed and atexit
    handlers still run, as on any exit. Only for the program: a caller of `main()` keeps its collector.
    """
    try:
        main()
    finally:
        gc.freeze()


def main(argv: Optional[List[str]] = None) -> None:
    """Console-script entry point: maps errors to exit statuses; never a traceback for bad input."""
    try:
        app(args=argv, prog_name="liability", standalone_mode=False)
    except Exit as done:
        sys.exit(done.code)
    except LiabilityError as exc:
        from ..render import print_error, stderr_console

        print_error(stderr_console(), exc)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:
        # typer's (vendored) click reports usage errors as exceptions that know how to show themselves
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        if type(exc).__name__ == "Abort":
            sys.exit(130)
        if os.environ.get("LIABILITY_DEBUG"):
            raise
        sys.stderr.write(f"liability: internal error: {type(exc).__name__}: {exc}\n"
                         "This is a bug, not a problem with your input. Run again with LIABILITY_DEBUG=1 "
                         "for the traceback and report it.\n")
        sys.exit(1)
