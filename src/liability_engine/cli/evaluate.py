"""`liability evaluate`."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from ..i18n import msg
from ..errors import FactsError, LiabilityError, Problem
from ._common import (AsOfOption, BackendOption, Exit, Format, Lang, LangOption, RulesOption, expand_inputs, fail,
                      load_engine, parse_as_of, pick_lang, refuse_folder_as_log)

__all__ = ["evaluate"]


def evaluate(
    files: Optional[List[str]] = typer.Argument(None, show_default=False),
    fmt: Optional[Format] = typer.Option(None, "--format", "-f", show_default=False),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    jsonl: Optional[str] = typer.Option(None, "--jsonl", show_default=False),
    jobs: int = typer.Option(1, "--jobs", "-j", min=0, max=64),  # as serve --workers: --jobs 100000 forked that many
    log: Optional[Path] = typer.Option(None, "--log", show_default=False),
) -> None:
    """Determine the judicial responsibility of each conduct in FILES (or each line of --jsonl)."""
    day = parse_as_of(as_of)
    if jsonl is not None:
        _jsonl(jsonl, files, fmt, day, rules, backend, jobs, log)
        return
    if not files:
        fail(LiabilityError(Problem(msg("cli.no_input"), field="FILES")))
    if jobs != 1:
        fail(LiabilityError(Problem(msg("cli.jobs_without_jsonl"), field="--jobs", value=jobs)))
    fmt = fmt or Format.text
    from ..allocation.reading import load_any

    engine = load_engine(rules, backend)
    decisions = _open_log(log)
    sources = list(expand_inputs(files))
    # One output shape per format (docs/errors.md): one input file gives one JSON document (its
    # determination, or a liability-error/1 record); a folder or several files give JSON Lines, one
    # record per input, the error record in place of an invalid one.
    batch = len(files) > 1 or any(f != "-" and Path(f).is_dir() for f in files)

    def determine(source: str) -> Any:
        if source != "-" and Path(source).is_dir():
            raise FactsError(Problem(msg("cli.empty_folder"), path=source))
        facts = load_any(source)  # liability-facts/1, or a case file (liability-facts/2)
        det = engine.evaluate(facts, as_of=day)
        if decisions is not None:
            _record(decisions, engine, facts, det)
        return det, facts

    try:
        if fmt is Format.json and not (batch and sys.stderr.isatty()):
            failed = _pipeline_json(sources, determine, batch, pick_lang(lang))
        else:
            failed = _rendered(sources, determine, batch, fmt, engine.rulebook, pick_lang(lang))
    finally:
        if decisions is not None:
            # closed, the log is checkpointed into its one file: left open at exit, every decision stayed in
            # DB-wal, and a copy of DB alone (the file the user named) was a log without its decisions
            decisions.close()
    if failed:
        raise Exit(2)


def _jsonl(jsonl: str, files: Optional[List[str]], fmt: Optional[Format], day: Optional[_dt.date],
           rules: Optional[Path], backend: str, jobs: int, log: Optional[Path]) -> None:
    """`--jsonl`: the batch, after the options and the rulebook are checked."""
    if files:
        fail(LiabilityError(Problem(msg("cli.files_or_jsonl"), field="--jsonl")))
    if log is not None:
        fail(LiabilityError(Problem(msg("cli.log_jsonl"), field="--log")))
    if fmt not in (None, Format.json):
        fail(LiabilityError(Problem(msg("cli.jsonl_format", format=fmt.value), field="--format", value=fmt.value,
                                    allowed=["json"])))
    from ._common import check_backend, rules_folder
    from .jsonl import run_jsonl

    check_backend(backend)
    engine = load_engine(rules, backend)  # a bad rulebook is reported before any line is read
    code = run_jsonl(jsonl, out=sys.stdout.buffer, folder=str(rules_folder(rules)), backend=backend,
                     as_of=day or _dt.date.today(), jobs=jobs, engine=engine)
    if code:
        raise Exit(code)


def _error_json(source: str, exc: LiabilityError, line_per_record: bool) -> str:
    """The liability-error/1 record standing for an input that could not be evaluated."""
    import json

    from ..error_record import error_record

    record = error_record(source, exc.problems)
    if line_per_record:
        from .. import render

        return render.json_line(record)
    return json.dumps(record, ensure_ascii=False, indent=2)


def _pipeline_json(sources: List[str], determine: Callable[[str], Any], batch: bool, language: str) -> bool:
    """The pipeline path: UTF-8 JSON straight to stdout, without loading rich (cold start). Whether any failed."""
    stdout = sys.stdout.buffer
    failed = False
    for source in sources:
        try:
            det, _ = determine(source)
        except LiabilityError as exc:
            from .. import render

            failed = True
            stdout.flush()
            render.print_error(render.stderr_console(), exc, language)
            stdout.write(_error_json(source, exc, batch).encode() + b"\n")
            continue
        stdout.write((det.model_dump_json() if batch else det.model_dump_json(indent=2)).encode() + b"\n")
    stdout.flush()
    return failed


def _rendered(sources: List[str], determine: Callable[[str], Any], batch: bool, fmt: Format, rulebook: Any,
              language: str) -> bool:
    """Text, markdown, or JSON through the console (with a progress bar on a terminal). Whether any failed."""
    from .. import render

    out = render.stdout_console()
    err = render.stderr_console()
    failed = False
    with render.progress(len(sources), enabled=batch and sys.stderr.isatty()) as advance:
        for source in sources:
            try:
                det, facts = determine(source)
            except LiabilityError as exc:
                failed = True
                render.print_error(err, exc, language)
                if fmt is Format.json:
                    out.print(_error_json(source, exc, batch), markup=False, crop=False, soft_wrap=True,
                              highlight=False)
                advance()
                continue
            _show(out, rulebook, det, facts, fmt, language, source if batch else None)
            advance()
    return failed


def _show(out: Any, rulebook: Any, det: Any, facts: Any, fmt: Format, language: str, heading: Optional[str]) -> None:
    """One determination on the console; `heading`: the source's name, above a text report of several."""
    from .. import render

    case = det.schema_ != "liability-determination/1"  # a case file's determination
    if fmt is Format.json:
        text = det.model_dump_json() if heading is not None else det.model_dump_json(indent=2)
        out.print(text, markup=False, crop=False, soft_wrap=True, highlight=False)
    elif fmt is Format.markdown:
        if case:
            from ..allocation.render import case_markdown

            report = case_markdown(rulebook, det, language, facts)
        else:
            report = render.markdown_report(rulebook, det, language)
        out.print(report, markup=False, crop=False, soft_wrap=True, highlight=False)
    else:
        if heading is not None:
            out.rule(heading)
        if case:
            from ..allocation.render import case_text

            case_text(rulebook, det, language, out)
        else:
            render.text_report(rulebook, [det], language, out)


def _open_log(log: Optional[Path]) -> Any:
    if log is None:
        return None
    from ..decisionlog import DecisionLog

    refuse_folder_as_log(log)
    try:
        return DecisionLog(log)
    except LiabilityError as exc:
        fail(exc)


def _record(decisions: Any, engine: Any, facts: Any, det: Any) -> None:
    """Log a person's determination or a case file's (the service logs both alike; `liability replay` replays both)."""
    from .. import __version__

    decisions.record_determination(facts, det, rulebook_digest=engine.rulebook.digest, engine_version=__version__,
                                   caller=_caller(), channel="cli", endpoint="evaluate")


def _caller() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "cli"
