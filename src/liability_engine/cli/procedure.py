"""`liability procedure`: the route after the finding (Arts. 10–27), with its deadlines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LiabilityError
from .opening import open_command
from ._common import (AsOfOption, BackendOption, Format, Lang, LangOption, RulesOption, fail)

__all__ = ["procedure"]


def procedure(
    file: str = typer.Argument(...),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """The route from here / 追责程序路线: who investigates, reviews, gives the opinion, decides; measures, referrals, leniency, deadlines."""
    from ..facts.model import load_facts
    from ..procedure.evaluate import procedure as route_of
    from ..procedure.render import route_markdown, route_text

    day, engine, language = open_command(as_of, lang, rules, backend)
    try:
        facts = load_facts(file)
        route = route_of(engine, facts, as_of=day)
    except LiabilityError as exc:
        fail(exc)
        return
    if fmt is Format.json:
        sys.stdout.write(route.to_json() + "\n")
    elif fmt is Format.markdown:
        sys.stdout.write(route_markdown(route, language))
    else:
        sys.stdout.write(route_text(route, language))
