"""The declared contradictions (rules/contradictions.yaml), checked over every distinguishable fact.

- each can be reached: some fact meets it (a contradiction no fact can meet is dead text);
- none hides a rule: every rule that can fire at all can fire on facts that contradict nothing
  (a rule that could fire only on contradictory facts would never decide anything).
"""

from __future__ import annotations

import itertools
from typing import Any

from ..errors import Problem
from ..i18n import msg
from ..rulebook.conditions import evaluate, tests_of
from ..rulebook.model import Rulebook
from .explore import distinguishable_facts, field_classes

__all__ = ["contradiction_problems"]


def contradiction_problems(rulebook: Rulebook) -> list[Problem]:
    problems: list[Problem] = []
    schema = rulebook.schema
    for c in rulebook.contradictions:
        fields = sorted({t.field for t in tests_of(c.condition)})
        classes = field_classes(schema, [], extra=[c.condition])
        reachable = any(evaluate(c.condition, {f.replace(".", "__"): v for f, v in zip(fields, combo)})
                        for combo in itertools.product(*(classes[f] for f in fields)))
        if not reachable:
            problems.append(Problem(msg("check.contradiction_never_met", id=c.id), path=c.file, line=c.line))
    if not rulebook.contradictions:
        return problems
    extra = [c.condition for c in rulebook.contradictions]
    for version in rulebook.versions:
        rules = [r for r in version.rules if not r.warns_only]
        fires: dict[str, bool] = {}  # rule -> fires on some non-contradictory fact
        hidden_by: dict[str, set[str]] = {}
        for fact in distinguishable_facts(schema, [version], extra=extra):
            met = [c.id for c in rulebook.contradictions if evaluate(c.condition, fact)]
            for rule in rules:
                if (rule.acts is None or fact["act"] in rule.acts) and evaluate(rule.condition, fact):
                    if not met:
                        fires[rule.id] = True
                    else:
                        fires.setdefault(rule.id, False)
                        hidden_by.setdefault(rule.id, set()).update(met)
        for rule in rules:
            if fires.get(rule.id) is False:
                problems.append(Problem(
                    msg("check.hidden_by_contradiction", rule=rule.id,
                        contradictions=", ".join(sorted(hidden_by[rule.id]))), path=rule.file, line=rule.line, rule_id=rule.id))
    return problems
