"""The `liability` command line: thin commands over the library, one module per command group.

Exit status (docs/errors.md): 0 when every input was evaluated (whatever the finding), 2 when any
input (facts, rules, options, an answer sheet, or input that ended before the command had its
answers) was invalid — the valid inputs are still evaluated and printed — and 1 for a bug. When
the reader of the output goes away (`liability … | head -1`), the program stops quietly with 141,
as a Unix tool killed by SIGPIPE does; Ctrl-C gives 130.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import List, Optional

import typer

from .. import i18n
from ..errors import LiabilityError
from ._common import Exit

__all__ = ["build_app", "main", "run"]

# name -> (module of this package, what it holds: a command function, or `app`, a group of commands)
COMMANDS: dict[str, tuple[str, str]] = {
    "evaluate": ("evaluate", "evaluate"), "explain": ("explain", "explain"), "interview": ("interview", "interview"),
    "schema": ("schema", "schema"), "rules": ("rules", "app"), "versions": ("versions", "app"),
    "train": ("train", "train"), "procedure": ("procedure", "procedure"), "report": ("report", "report"),
    "serve": ("serve", "serve"), "log": ("log", "app"), "replay": ("replay", "replay"),
}


def build_app(command: str | None = None) -> typer.Typer:
    """The command tree; with a known `command`, the tree with that command alone.

    typer turns every command's signature into click parameters on each run (~10 ms for the whole
    tree against ~1 ms for one command, of a ~400 ms start), and each command module is imported
    only when its command is in the tree. A tree of one command keeps a group callback, so that
    `liability evaluate …` parses, helps and fails exactly as in the whole tree. The help texts are
    not in the command modules: `main()` takes them from the catalogue (i18n.clicktext.localize).
    """
    app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None)
    names = [command] if command in COMMANDS else list(COMMANDS)
    for name in names:
        module, attr = COMMANDS[name]
        target = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        if attr == "app":
            app.add_typer(target, name=name)
        else:
            app.command()(target)
    app.callback(invoke_without_command=True)(_group)
    return app


def _show_version(value: bool) -> None:
    if value:
        from ..render import default_lang
        from ..runtime import version_lines

        sys.stdout.write("\n".join(version_lines(default_lang())) + "\n")
        raise Exit(0)


def _group(ctx: typer.Context, version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_show_version)) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


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


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what the shell reports for `yes | head -1`'s `yes`


def _quiet_after_broken_pipe() -> None:
    """The reader has gone: nothing more can be written, and nothing should be said about it."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass


def _caused_by_broken_pipe(exc: BaseException) -> bool:
    import errno

    seen = exc.__context__
    while seen is not None:
        if isinstance(seen, BrokenPipeError) or (isinstance(seen, OSError) and seen.errno == errno.EPIPE):
            return True
        seen = seen.__context__
    return False


def _never_fail_to_encode() -> None:
    """A stream whose encoding cannot write Chinese (PYTHONIOENCODING=ascii, a Latin-1 locale) writes what it
    cannot as \\uXXXX escapes instead of ending the program with UnicodeEncodeError (still valid JSON)."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or unusual stream: left as it is
                pass


class _ClosedOutput:
    """Standing for a standard output the program was started without (`liability evaluate case.yaml >&-`: Python
    then sets sys.stdout to None, and rich writes to nowhere): every write fails as writing to a closed descriptor
    does, so that the determination is not lost without a word (exit 0) nor an internal error (exit 1)."""

    encoding = "utf-8"
    errors = "strict"
    closed = False

    @property
    def buffer(self) -> "_ClosedOutput":
        return self

    def write(self, data: object) -> int:
        import errno

        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("fileno")


# errors of writing the output that are no bug: said in words, exit 2 (as `report -o` a file that cannot be written)
_OUTPUT_ERRORS = frozenset({"EBADF", "ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS"})


def _output_error(exc: OSError, lang: str) -> bool:
    """Say why the output could not be written, if that is what `exc` is (no file name: a standard stream)."""
    import errno

    name = errno.errorcode.get(exc.errno or -1)
    if exc.filename is not None or name not in _OUTPUT_ERRORS:
        return False
    from ..errors import Problem, os_reason

    if name == "EBADF":
        problem = Problem(i18n.msg("input_hunt.stdout_closed"))
    else:
        problem = Problem(i18n.msg("input_hunt.cannot_write_output", reason=os_reason(exc)))
    try:
        sys.stderr.write(i18n.text("error.prefix", lang) + problem.text(lang) + "\n")
    except (OSError, ValueError, AttributeError):  # stderr is gone too: the exit status says it
        pass
    return True


def _flush_output() -> None:
    """Written now, where a failure can still be said (not by the interpreter at exit, as "Exception ignored")."""
    if sys.stdout is not None:
        sys.stdout.flush()


def _run_command(args: List[str], lang: str) -> int | None:
    """Run the command `args` name, in `lang`; the status it ended with by `Exit`, None when it returned."""
    from typer.main import get_command

    from ..i18n.clicktext import localize

    command = localize(get_command(build_app(args[0] if args else None)), lang)
    try:
        command.main(args=args, prog_name="liability", standalone_mode=False)
    except Exit as done:
        return done.code
    return None


def main(argv: Optional[List[str]] = None) -> None:
    """Console-script entry point: maps errors to exit statuses; never a traceback for bad input."""
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()  # type: ignore[assignment]
    _never_fail_to_encode()
    # The language first: the help texts are built (from the catalogue) before the options are parsed.
    lang = i18n.choose_lang(i18n.lang_from_argv(args))
    i18n.use(lang)
    if not args or args[0] not in COMMANDS:  # `liability --help --lang zh`: the group itself has no --lang
        args = i18n.without_lang(args)
    try:
        code = _run_command(args, lang)
        _flush_output()  # here, where a stream that cannot be written is said below (141, or 2 in words)
        if code is not None:
            sys.exit(code)
    except SystemExit as done:
        # typer (on EPIPE) and rich (on BrokenPipeError) end the program with status 1 themselves
        if done.code == 1 and _caused_by_broken_pipe(done):
            _quiet_after_broken_pipe()
            sys.exit(EXIT_BROKEN_PIPE)
        raise
    except LiabilityError as exc:
        from ..render import print_error, stderr_console

        print_error(stderr_console(), exc)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        _quiet_after_broken_pipe()
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as exc:
        if _output_error(exc, lang):
            sys.exit(2)
        _internal(exc, lang)
    except Exception as exc:
        # typer's (vendored) click reports usage errors as exceptions that know how to show themselves
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            from typer._click.exceptions import NoArgsIsHelpError, UsageError

            if isinstance(exc, UsageError) and not isinstance(exc, NoArgsIsHelpError):
                from ..i18n.clicktext import usage_error

                sys.stderr.write(usage_error(exc, lang) + "\n")
            else:
                show()
            sys.exit(code)
        if type(exc).__name__ == "Abort":
            sys.exit(130)
        _internal(exc, lang)


def _internal(exc: Exception, lang: str) -> None:
    """A bug: said as one, exit 1 (the traceback with LIABILITY_DEBUG=1)."""
    if os.environ.get("LIABILITY_DEBUG"):
        raise exc
    error = f"{type(exc).__name__}: {exc}"
    try:
        sys.stderr.write(i18n.text("error.internal", lang, error=error) + "\n")
    except Exception:  # the catalogue itself is broken: say so in the words of no catalogue
        sys.stderr.write(f"liability: internal error: {error}\n")
    sys.exit(1)
