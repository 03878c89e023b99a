"""Firing the allocation rules over one allocation fact (one person's part in one decision, or one own
conduct): the rules for the part, those that fired, those defeated and by whom, those left standing;
and a standing rule as the `Allocation` it gives, with the checks of its conditions."""

from __future__ import annotations

from typing import Any

from ..rulebook.conditions import NULL, describe, evaluate, failing_tests
from ..rulebook.conditions import All as _All
from ..rulebook.conditions import Any_
from ..determination.explain import field_tests
from .determination import Allocation, Check, Text2
from .rules import AllocationRule, AllocationRules, allocation_schema

__all__ = ["KEYS", "make_fact", "fire", "allocation", "checks"]

KEYS = {name: spec.key for name, spec in allocation_schema().items()}


def make_fact(**values: Any) -> dict[str, Any]:
    fact = {key: NULL for key in KEYS.values()}
    for name, value in values.items():
        fact[KEYS[name.replace("__", ".")]] = NULL if value is None else getattr(value, "value", value)
    return fact


def checks(rule: AllocationRule, fact: dict[str, Any]) -> list[Check]:
    cond = rule.when
    if cond is None:
        return []
    parts = cond.items if isinstance(cond, _All) else (cond,)
    failing = set(map(id, failing_tests(cond, fact)))

    def label(field: str, value: Any) -> str:
        actual = fact.get(field.replace(".", "__"), NULL)
        return f"{field} = {value}" + ("" if actual == value else f" ({actual})")

    return [Check(text=describe(p, label), holds=id(p) not in failing, tests=field_tests(p, fact),
                  alternative=isinstance(p, Any_)) for p in parts]


def _t(b: Any) -> Text2 | None:
    return Text2(zh=b.zh, en=b.en) if b is not None else None


def _interp(rule: AllocationRule) -> Text2 | None:
    i = rule.interpretation
    return Text2(zh=i.reason_zh, en=i.reason) if i is not None else None


def fire(book: AllocationRules, fact: dict[str, Any]) -> tuple[list[AllocationRule], set[str], dict[str, str],
                                                             list[AllocationRule]]:
    """The rules for the fact's part; those that fired; the defeated (→ by whom); those left standing."""
    part = fact[KEYS["part"]]
    relevant = [r for r in book.rules if part in r.parts]
    fired = [r for r in relevant if evaluate(r.condition, fact)]
    fired_ids = {r.id for r in fired}
    defeated: dict[str, str] = {}
    for r in fired:
        for loser in r.defeats:
            if loser in fired_ids:
                defeated.setdefault(loser, r.id)
    return relevant, fired_ids, defeated, [r for r in fired if r.id not in defeated]


def allocation(r: AllocationRule, decision_id: str | None, conduct_id: str | None, part: str, conditional: bool,
                conflict: bool = False) -> Allocation:
    return Allocation(
        decision_id=decision_id, conduct_id=conduct_id, part=part, answers_for=r.answers_for,
        result="not_determined" if conflict else r.result, rule=r.id, point=r.point, version=r.version,
        source=_t(r.source), source_confidence=r.source_confidence, provisional=r.provisional, note=r.note,
        interpretation=_interp(r), assumption=_t(r.assumption), explanation=_t(r.explanation),
        missing=list(r.missing), missing_provision=_t(r.missing_provision), conditional=conditional)
