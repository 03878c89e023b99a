"""`liability schema`: the JSON Schemas of the contracts and of the rule files."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from ..errors import LiabilityError, Problem
from ..i18n import msg
from ._common import Lang, LangOption, fail

__all__ = ["schema"]


def schema(kind: str = typer.Argument(...), lang: Optional[Lang] = LangOption) -> None:
    """Print a JSON Schema: of the facts or determination contract, or of a kind of rule file."""
    from ..errors import did_you_mean
    from ..authoring.schemas import SCHEMA_KINDS, render_schema

    if kind not in SCHEMA_KINDS:
        fail(LiabilityError(Problem(msg("cli.unknown_schema", kind=kind), field="KIND", value=kind,
                                    allowed=list(SCHEMA_KINDS),
                                    suggestion=did_you_mean(kind, SCHEMA_KINDS))))
    sys.stdout.write(render_schema(kind))
