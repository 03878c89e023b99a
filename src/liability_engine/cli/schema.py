"""`liability schema`: the JSON Schemas of the contracts and of the rule files."""

from __future__ import annotations

import sys

import typer

from ..errors import LiabilityError, Problem
from ._common import fail

__all__ = ["schema"]


def schema(kind: str = typer.Argument(..., help="facts, determination, rules, manifest, precedence, findings, "
                                               "vocabulary, rule-tests, contradictions, case (liability-facts/2), "
                                               "case-determination, allocation, procedure, procedure-rules, "
                                               "procedure-setup, procedure-tests, error, decision or replay")) -> None:
    """Print a JSON Schema: of a contract (facts, determination, error, decision, replay) or of a kind of rule
    file. 输出 JSON Schema。"""
    from ..errors import did_you_mean
    from ..authoring.schemas import SCHEMA_KINDS, render_schema

    if kind not in SCHEMA_KINDS:
        fail(LiabilityError(Problem(f"unknown schema '{kind}'", field="KIND", value=kind, allowed=list(SCHEMA_KINDS),
                                    suggestion=did_you_mean(kind, SCHEMA_KINDS))))
    sys.stdout.write(render_schema(kind))
