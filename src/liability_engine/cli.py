"""The `liability` command line: thin commands over the library.

Exit status: 0 when every input was evaluated (whatever the finding), 2 when any input (facts,
rules, options) was invalid — the valid inputs are still evaluated and printed — and 1 for a bug.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, List, Optional

import typer

from .engine import Engine
from .errors import FactsError, LiabilityError, Problem, RulesError

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Judicial responsibility of procuratorate staff (人民检察院司法责任追究条例).")


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


FACT_SUFFIXES = (".yaml", ".yml", ".json")


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


def _as_of(value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        _fail(LiabilityError(Problem(f"'{value}' is not a date; write it YYYY-MM-DD", field="--as-of",
                                     value=value)))
    return None


def _fail(error: LiabilityError) -> None:
    from .render import print_error, stderr_console

    print_error(stderr_console(), error)
    raise _Exit(2)


def _engine(rules: Optional[Path], backend: str) -> Engine:
    try:
        if rules is None:
            return Engine.default(backend=backend)  # type: ignore[arg-type]
        return Engine.from_path(rules, backend=backend)  # type: ignore[arg-type]
    except RulesError as exc:
        _fail(exc)
        raise  # unreachable


def _inputs(paths: List[str]) -> Iterator[str]:
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FACT_SUFFIXES)
            if not found:
                yield raw  # reported as "no facts files in this folder"
            yield from (str(p) for p in found)
        else:
            yield raw


def _lang(lang: Optional[Lang]) -> str:
    from .render import default_lang

    return lang.value if lang else default_lang()


RulesOption = typer.Option(None, "--rules", help="A rulebook folder to use instead of the bundled rules.",
                           show_default=False)
BackendOption = typer.Option("durable", "--backend", help="durable (default) or python (the reference evaluator).")
AsOfOption = typer.Option(None, "--as-of", help="Evaluate as if on this date (YYYY-MM-DD); default today.",
                          show_default=False)
LangOption = typer.Option(None, "--lang", help="zh or en (default: from the locale).", show_default=False)


@app.command()
def evaluate(
    files: List[str] = typer.Argument(..., help="Facts files (YAML or JSON), folders of them, or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text, json or markdown."),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """Determine the judicial responsibility of each conduct in FILES."""
    from . import render
    from .facts import load_facts

    day = _as_of(as_of)
    engine = _engine(rules, backend)
    language = _lang(lang)
    sources = list(_inputs(files))
    out = render.stdout_console()
    err = render.stderr_console()
    batch = len(sources) > 1
    failed = False
    with render.progress(len(sources), enabled=batch and sys.stderr.isatty()) as advance:
        for source in sources:
            try:
                if source != "-" and Path(source).is_dir():
                    raise FactsError(Problem("no facts files (*.yaml, *.yml, *.json) in this folder", path=source))
                det = engine.evaluate(load_facts(source), as_of=day)
            except LiabilityError as exc:
                failed = True
                render.print_error(err, exc)
                if fmt is Format.json and batch:
                    out.print(render.json_line({"schema": "liability-error/1", "source": source,
                                                "problems": [p.as_dict() for p in exc.problems]}),
                              markup=False, crop=False, soft_wrap=True)
                advance()
                continue
            if fmt is Format.json:
                text = det.model_dump_json() if batch else det.model_dump_json(indent=2)
                out.print(text, markup=False, crop=False, soft_wrap=True, highlight=False)
            elif fmt is Format.markdown:
                out.print(render.markdown_report(engine.rulebook, det, language), markup=False, crop=False,
                          soft_wrap=True, highlight=False)
            else:
                if batch:
                    out.rule(source)
                render.text_report(engine.rulebook, [det], language, out)
            advance()
    if failed:
        raise _Exit(2)


@app.command()
def explain(
    file: str = typer.Argument(..., help="A facts file (YAML or JSON), or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (a tree), json or markdown."),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """Show the full reasoning for FILE: every rule considered, as a tree."""
    from . import render
    from .facts import load_facts

    day = _as_of(as_of)
    engine = _engine(rules, backend)
    language = _lang(lang)
    try:
        det = engine.evaluate(load_facts(file), as_of=day)
    except LiabilityError as exc:
        _fail(exc)
        return
    out = render.stdout_console()
    if fmt is Format.json:
        out.print(det.model_dump_json(indent=2), markup=False, crop=False, soft_wrap=True, highlight=False)
    elif fmt is Format.markdown:
        out.print(render.markdown_report(engine.rulebook, det, language), markup=False, crop=False, soft_wrap=True)
    else:
        out.print(render.explain_tree(engine.rulebook, det, language))


class SchemaKind(str, Enum):
    facts = "facts"
    determination = "determination"


@app.command()
def schema(kind: SchemaKind = typer.Argument(..., help="facts or determination")) -> None:
    """Print the JSON Schema of a contract."""
    from .determination import Determination
    from .facts import Facts

    model: Any = Facts if kind is SchemaKind.facts else Determination
    mode = "validation" if kind is SchemaKind.facts else "serialization"
    data = model.model_json_schema(by_alias=True, mode=mode)
    data["$id"] = f"liability-{kind.value}/1"
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def main(argv: Optional[List[str]] = None) -> None:
    """Console-script entry point: maps errors to exit statuses; never a traceback for bad input."""
    try:
        app(args=argv, prog_name="liability", standalone_mode=False)
    except _Exit as done:
        sys.exit(done.code)
    except LiabilityError as exc:
        from .render import print_error, stderr_console

        print_error(stderr_console(), exc)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # click's usage errors carry their own exit status
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        if os.environ.get("LIABILITY_DEBUG"):
            raise
        sys.stderr.write(f"liability: internal error: {type(exc).__name__}: {exc}\n"
                         "This is a bug, not a problem with your input. Run again with LIABILITY_DEBUG=1 "
                         "for the traceback and report it.\n")
        sys.exit(1)
