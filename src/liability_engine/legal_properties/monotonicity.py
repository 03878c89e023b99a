"""The more culpable fault is never lighter (举轻以明重): a check over every distinguishable fact."""

from __future__ import annotations

import itertools
from typing import Any

from ..errors import Problem
from ..i18n import Message, msg
from ..rulebook.model import Rulebook, Version
from .explore import Outcome, distinguishable_facts, outcome, through_art28

__all__ = ["FAULT_ORDER", "monotonicity_problems", "lighter"]

FAULT_ORDER = ("none", "ordinary", "gross", "intentional")  # least to most culpable


def lighter(rulebook: Rulebook, less: Outcome, more: Outcome) -> str | None:
    """Why `more` (at the more culpable fault) is lighter than `less`, or None when it is not.

    Liability is never taken away (liable → not liable, or liable → undetermined); when both are
    liable the finding's severity never drops. Among findings without liability severity is not
    compared: like Art. 28's 从轻, it weighs the responsibility pursued, not the label of a fault
    that is not pursued.
    """
    if less.liable and not more.liable:
        return msg("check.lighter_takes_away") if more.finding != rulebook.undetermined else \
            msg("check.lighter_undetermined")
    if less.liable and more.liable and rulebook.severity(more.finding) < rulebook.severity(less.finding):
        return msg("check.lighter_severity")
    return None


def _excused(more: Outcome) -> bool:
    return any(r.fault_order_exception is not None for r in more.rules)


def _shown(fact: dict[str, Any]) -> str:
    def show(v: Any) -> str:
        return "true" if v is True else "false" if v is False else str(v)
    return ", ".join(f"{k.replace('__', '.')}={show(v)}" for k, v in sorted(fact.items()))


def monotonicity_problems(rulebook: Rulebook, limit: int = 20) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str, str, str]] = set()

    def check(where: Message, art28: bool, versions: list[Version], judge: Any, file: str) -> None:
        for base in distinguishable_facts(rulebook.schema, versions, skip=("fault",)):
            results = {f: judge({**base, "fault": f}) for f in FAULT_ORDER}
            for f_less, f_more in itertools.combinations(FAULT_ORDER, 2):
                less, more = results[f_less], results[f_more]
                why = lighter(rulebook, less, more)
                if why is None or _excused(more):
                    continue
                key = (where, f_less, f_more, base["act"])
                if key in seen or len(problems) >= limit:
                    continue
                seen.add(key)
                decided = ", ".join(r.id for r in more.rules) or msg("check.lighter_no_rule")
                at = (more.rules or less.rules or (None,))[-1 if art28 else 0]
                liable = msg("check.lighter_liable")
                problems.append(Problem(
                    msg("check.lighter", where=where, more=f_more, why=why, less=f_less, less_finding=less.finding,
                        less_liable=liable if less.liable else "", more_finding=more.finding,
                        more_liable=liable if more.liable else "", decided=decided, facts=_shown(base)), path=at.file if at else file, line=at.line if at else None,
                    rule_id=at.id if at else None))

    for version in rulebook.versions:
        rules = [r for r in version.rules if not r.warns_only]
        if not rules:
            continue
        check(msg("check.lighter_in_version", version=version.id), False, [version], lambda fact, v=version: outcome(rulebook, v, fact), rules[0].file)
    for current in rulebook.versions:
        if not current.temporal_rules:
            continue
        for old in rulebook.versions:
            if old is current or old.in_force_from >= current.in_force_from:
                continue
            check(msg("check.lighter_through_art28", old=old.id, current=current.id), True, [old, current],
                  lambda fact, o=old, c=current: through_art28(rulebook, c, o, fact),
                  current.temporal_rules[0].file)
    return problems
