"""The language of the temporal article (Art. 28): the comparison facts its rules are written over.

The choice itself is legal content: it is the temporal article's rules in YAML (for 2024,
`rules/2024/art28.yaml`), run like any other ruleset over a *comparison fact* built here from
the two evaluations. This module only states what the comparison facts are, and checks at load
that the temporal rules decide every possible comparison exactly once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ..facts.fields import FieldSpec, Schema, field_key, field_name, show_value
from .conditions import evaluate
from ..i18n import Message, msg

__all__ = ["temporal_schema", "Comparison", "comparison_fact", "check_exhaustive"]

_FIELDS = (
    "conduct.in_current_version",  # the conduct happened while the current version was in force
    "old.encoded",                 # a version in force on the conduct date is encoded
    "old.determined",              # the old version reached a finding other than undetermined
    "old.liable",
    "current.determined",
    "current.liable",
    "current.less_severe",         # the current finding is strictly less severe than the old one
)


def temporal_schema() -> Schema:
    return {name: FieldSpec(name, "bool") for name in _FIELDS}


@dataclass(frozen=True)
class Comparison:
    in_current_version: bool
    old_encoded: bool
    old_determined: bool
    old_liable: bool
    current_determined: bool
    current_liable: bool
    current_less_severe: bool


def comparison_fact(c: Comparison) -> dict[str, Any]:
    values = (c.in_current_version, c.old_encoded, c.old_determined, c.old_liable,
              c.current_determined, c.current_liable, c.current_less_severe)
    return {field_key(name): value for name, value in zip(_FIELDS, values)}


def check_exhaustive(rules: list[tuple[str, Any]]) -> list[Message]:
    """Problems: comparisons that no temporal rule, or more than one, decides."""
    problems = []
    for values in itertools.product((False, True), repeat=len(_FIELDS)):
        fact = {field_key(name): v for name, v in zip(_FIELDS, values)}
        if not fact["old__encoded"] and (fact["old__determined"] or fact["old__liable"]):
            continue  # impossible: nothing to evaluate
        if not fact["old__determined"] and fact["old__liable"]:
            continue
        if not fact["current__determined"] and fact["current__liable"]:
            continue
        if fact["conduct__in_current_version"] and fact["old__encoded"]:
            continue
        hits = [rid for rid, cond in rules if evaluate(cond, fact)]
        if len(hits) != 1:
            shown = ", ".join(f"{field_name(k)}={show_value(v)}" for k, v in fact.items())
            problems.append(msg("check.temporal_gap", facts=shown) if not hits else
                            msg("check.temporal_overlap", rules=", ".join(hits), facts=shown))
    return problems
