"""`liability report`: a draft of the Art. 19 investigation report, as markdown or .docx."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import LiabilityError, Problem, os_reason
from .opening import open_command
from ._common import AsOfOption, BackendOption, Lang, LangOption, RulesOption, fail, refuse_writing_over_input
from ..i18n import msg

__all__ = ["report"]


class ReportFormat(str, Enum):
    markdown = "markdown"
    docx = "docx"


def report(
    file: str = typer.Argument(...),
    fmt: ReportFormat = typer.Option(ReportFormat.markdown, "--format", "-f"),
    out: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """A draft investigation report (Art. 19) / 调查报告草稿, with blanks for what only the investigator can write."""
    from ..facts.model import load_facts
    from ..procedure.evaluate import procedure as route_of
    from ..procedure.report import build_report, report_docx, report_markdown

    refuse_writing_over_input(out, file, "--output")
    day, engine, language = open_command(as_of, lang, rules, backend)
    if fmt is ReportFormat.docx and out is None and sys.stdout.isatty():
        fail(LiabilityError(Problem(msg("cli.docx_binary"), field="--output")))
    try:
        facts = load_facts(file)
        det = engine.evaluate(facts, as_of=day)
        route = route_of(engine, facts, as_of=day, determination=det)
    except LiabilityError as exc:
        fail(exc)
        return
    draft = build_report(engine, facts, det, route, language)
    data = report_docx(draft) if fmt is ReportFormat.docx else report_markdown(draft).encode("utf-8")
    try:
        if out is not None:
            out.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    except OSError as exc:
        fail(LiabilityError(Problem(msg("cli.cannot_write_report", reason=os_reason(exc)), path=str(out))))
