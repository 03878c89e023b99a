"""Art. 28 is determinate over completions: where both versions decide, the temporal rules choose.

The engine decides a conduct with unknown facts over their completions (evaluate/unknowns.py):
each completion is judged by both versions and Art. 28, and the answer stands when they agree.
That needs Art. 28 itself never to leave a comparison undetermined when the versions compared
both reached a finding: an `undetermined` choice is for a side that is undetermined, or for rules
of the time that are not encoded. This check runs every such comparison through the temporal
rules of each version that has them.
"""

from __future__ import annotations

import itertools

from ..errors import Problem
from ..i18n import msg
from ..rulebook.temporal import Comparison, comparison_fact
from ..rulebook.conditions import evaluate
from ..rulebook.model import Rulebook

__all__ = ["art28_problems"]


def art28_problems(rulebook: Rulebook) -> list[Problem]:
    problems: list[Problem] = []
    for version in rulebook.versions:
        if not version.temporal_rules:
            continue
        for old_liable, current_liable, less in itertools.product((False, True), repeat=3):
            comparison = Comparison(False, True, True, old_liable, True, current_liable, less)
            chosen = [t for t in version.temporal_rules if evaluate(t.condition, comparison_fact(comparison))]
            for rule in chosen:
                if rule.choose == "undetermined":
                    problems.append(Problem(
                        msg("check.art28_undetermined", rule=rule.id, old=str(old_liable).lower(),
                            current=str(current_liable).lower(), less=str(less).lower()), path=rule.file, line=rule.line, rule_id=rule.id))
    return problems
