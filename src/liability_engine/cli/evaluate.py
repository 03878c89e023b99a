"""`liability evaluate`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from ..i18n import msg
from ..errors import FactsError, LiabilityError, Problem
from ._common import (AsOfOption, BackendOption, Exit, Format, Lang, LangOption, RulesOption, expand_inputs, fail,
                      load_engine, parse_as_of, pick_lang)

__all__ = ["evaluate"]


def evaluate(
    files: Optional[List[str]] = typer.Argument(None, show_default=False),
    fmt: Optional[Format] = typer.Option(None, "--format", "-f", show_default=False),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    jsonl: Optional[str] = typer.Option(None, "--jsonl", show_default=False),
    jobs: int = typer.Option(1, "--jobs", "-j", min=0),
    log: Optional[Path] = typer.Option(None, "--log", show_default=False),
) -> None:
    """Determine the judicial responsibility of each conduct in FILES (or each line of --jsonl)."""
    day = parse_as_of(as_of)
    if jsonl is not None:
        if files:
            fail(LiabilityError(Problem(msg("cli.files_or_jsonl"), field="--jsonl")))
        if log is not None:
            fail(LiabilityError(Problem(msg("cli.log_jsonl"), field="--log")))
        if fmt not in (None, Format.json):
            fail(LiabilityError(Problem(msg("cli.jsonl_format", format=fmt.value), field="--format", value=fmt.value,
                                        allowed=["json"])))
        import datetime as _dt

        from .jsonl import run_jsonl
        from ._common import check_backend, rules_folder

        check_backend(backend)
        engine = load_engine(rules, backend)  # a bad rulebook is reported before any line is read
        code = run_jsonl(jsonl, out=sys.stdout.buffer, folder=str(rules_folder(rules)), backend=backend,
                         as_of=day or _dt.date.today(), jobs=jobs, engine=engine)
        if code:
            raise Exit(code)
        return
    if not files:
        fail(LiabilityError(Problem(msg("cli.no_input"), field="FILES")))
    if jobs != 1:
        fail(LiabilityError(Problem(msg("cli.jobs_without_jsonl"), field="--jobs", value=jobs)))
    fmt = fmt or Format.text
    from ..allocation.casefile import load_any

    engine = load_engine(rules, backend)
    decisions = _open_log(log)
    sources = list(expand_inputs(files))
    batch = len(sources) > 1
    failed = False

    def determine(source: str) -> Any:
        if source != "-" and Path(source).is_dir():
            raise FactsError(Problem(msg("cli.empty_folder"), path=source))
        facts = load_any(source)  # liability-facts/1, or a case file (liability-facts/2)
        det = engine.evaluate(facts, as_of=day)
        if decisions is not None:
            _record(decisions, engine, facts, det, source)
        return det, facts

    if fmt is Format.json and not (batch and sys.stderr.isatty()):
        # The pipeline path: UTF-8 JSON straight to stdout, without loading rich (cold start).
        stdout = sys.stdout.buffer
        for source in sources:
            try:
                det, _ = determine(source)
            except LiabilityError as exc:
                from .. import render

                failed = True
                stdout.flush()
                render.print_error(render.stderr_console(), exc)
                if batch:
                    stdout.write(render.json_line({"schema": "liability-error/1", "source": source,
                                                   "problems": [p.as_dict() for p in exc.problems]}).encode() + b"\n")
                continue
            stdout.write((det.model_dump_json() if batch else det.model_dump_json(indent=2)).encode() + b"\n")
        stdout.flush()
        if failed:
            raise Exit(2)
        return
    from .. import render

    language = pick_lang(lang)
    out = render.stdout_console()
    err = render.stderr_console()
    with render.progress(len(sources), enabled=batch and sys.stderr.isatty()) as advance:
        for source in sources:
            try:
                det, facts = determine(source)
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
            elif fmt is Format.markdown and det.schema_ != "liability-determination/1":
                from ..allocation.render import case_markdown

                out.print(case_markdown(engine.rulebook, det, language, facts), markup=False, crop=False,
                          soft_wrap=True, highlight=False)
            elif fmt is Format.markdown:
                out.print(render.markdown_report(engine.rulebook, det, language), markup=False, crop=False,
                          soft_wrap=True, highlight=False)
            elif det.schema_ != "liability-determination/1":
                from ..allocation.render import case_text

                if batch:
                    out.rule(source)
                case_text(engine.rulebook, det, language, out)
            else:
                if batch:
                    out.rule(source)
                render.text_report(engine.rulebook, [det], language, out)
            advance()
    if failed:
        raise Exit(2)


def _open_log(log: Optional[Path]) -> Any:
    if log is None:
        return None
    from ..decisionlog import DecisionLog

    try:
        return DecisionLog(log)
    except LiabilityError as exc:
        fail(exc)


def _record(decisions: Any, engine: Any, facts: Any, det: Any, source: str) -> None:
    from .. import Facts, __version__

    if not isinstance(facts, Facts):
        raise FactsError(Problem("--log records liability-facts/1 determinations; a case file (liability-facts/2) is "
                                 "not recorded yet（决定日志暂不记录 liability-facts/2 案卷）", path=source,
                                 field="schema", allowed=["liability-facts/1"]))
    decisions.record_determination(facts, det, rulebook_digest=engine.rulebook.digest, engine_version=__version__,
                                   caller=_caller(), channel="cli", endpoint="evaluate")


def _caller() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "cli"
