"""`liability explain`: the full reasoning, why not, and what would change the finding."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LiabilityError, Problem
from ..i18n import msg
from .opening import open_command
from ._common import (AsOfOption, BackendOption, Format, Lang, LangOption, RulesOption, fail)

__all__ = ["explain"]


def explain(
    file: str = typer.Argument(...),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    person: Optional[str] = typer.Option(None, "--person", show_default=False),
) -> None:
    """Explain FILE: the rules considered, why not other findings, what would change it, what is missing."""
    from .. import render
    from ..allocation.reading import load_any
    from ..facts.model import Facts

    day, engine, language = open_command(as_of, lang, rules, backend)
    try:
        facts = load_any(file)
        if not isinstance(facts, Facts):  # a case file: per person, own conducts explained and the allocation trace
            from ..allocation.evaluate import explain_case
            from ..allocation.render import case_markdown, case_tree

            case_det = explain_case(engine, facts, as_of=day, person=person)
        elif person is not None:
            fail(LiabilityError(Problem(msg("cli.person_needs_case_file"), field="--person",
                                        value=person)))
            return
        else:
            det = engine.explain(facts, as_of=day)
    except LiabilityError as exc:
        if fmt is Format.json:  # one input, one JSON document: the error record in place of the determination
            from .evaluate import _error_json

            sys.stdout.write(_error_json(file, exc, False) + "\n")
        fail(exc)
        return
    if not isinstance(facts, Facts):
        if fmt is Format.json:
            sys.stdout.write(case_det.model_dump_json(indent=2) + "\n")
        elif fmt is Format.markdown:
            sys.stdout.write(case_markdown(engine.rulebook, case_det, language, facts))
        else:
            render.stdout_console().print(case_tree(engine.rulebook, case_det, language))
        return
    if fmt is Format.json:
        sys.stdout.write(det.model_dump_json(indent=2) + "\n")
    elif fmt is Format.markdown:
        sys.stdout.write(render.markdown_report(engine.rulebook, det, language, facts))
    else:
        render.stdout_console().print(render.explain_tree(engine.rulebook, det, language))
