"""Art. 28: which version applies to a conduct that happened under an older one.

The choice is legal content: the temporal article's rules (for 2024, `rules/2024/art28.yaml`) run
like any other ruleset, over the comparison of the two versions' answers (rulebook/temporal.py).
Each version's temporal rules are checked at construction to decide every comparison exactly once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..compile.backend import Backend
from ..compile.ruleset import Ruleset, compile_ruleset
from ..determination.model import Evaluation, Temporal
from ..errors import Problem, RulesError
from ..rulebook.model import Rulebook, TemporalRule, Version
from ..rulebook.temporal import Comparison, check_exhaustive, comparison_fact
from ..i18n import msg
from ..wording import Bilingual

if TYPE_CHECKING:
    from .decision import Outcome

__all__ = ["Article28", "Choice", "temporal_record"]


@dataclass(frozen=True)
class Choice:
    """The Art. 28 choice between the version in force on the conduct date and the current one."""

    choose: str  #: current / old / undetermined
    rule: TemporalRule | None  #: the temporal rule that chose; None when no temporal article is encoded
    warnings: tuple[Bilingual, ...] = ()


class Article28:
    """The temporal rulesets of a rulebook's versions, and the choice they make."""

    def __init__(self, rulebook: Rulebook, backend: Backend):
        self.rulebook, self.backend = rulebook, backend
        self.rulesets: dict[str, Ruleset] = {}
        self._answers: dict[tuple[str, Comparison], TemporalRule] = {}  # at most 2^7 per version

    def add(self, version: Version, where: str) -> None:
        """Compile the version's temporal rules, if it has any; RulesError if they leave a comparison
        undecided or decide one twice."""
        if version.temporal_rules:
            rules = [(t.id, t.condition) for t in version.temporal_rules]
            gaps = check_exhaustive(rules)
            if gaps:
                first = version.temporal_rules[0]
                raise RulesError([Problem(g, path=first.file) for g in gaps[:10]])
            self.rulesets[version.id] = compile_ruleset("comparison", rules, where=where)

    def choose(self, current: Version, in_current: bool, old: Outcome | None, now: Outcome) -> Choice:
        """The version to apply: the current one, the old one, or neither (undetermined)."""
        ruleset = self.rulesets.get(current.id)
        if ruleset is None:
            # The version in force on the evaluation date encodes no temporal article (e.g. an
            # evaluation as of 2022): the version in force when the conduct happened applies.
            if in_current:
                return Choice("current", None)
            warning = msg("warning.no_temporal", version=current.id).bilingual()
            return Choice("old" if old is not None else "undetermined", None, (warning,))
        comparison = self._comparison(in_current, old, now)
        key = (current.id, comparison)
        rule = self._answers.get(key)
        if rule is None:  # the temporal ruleset is pure: each comparison is run once, then remembered
            fired = self.backend.fire(ruleset, comparison_fact(comparison))
            if len(fired) != 1:  # load-time check makes this unreachable; refuse to guess if it is not
                raise RulesError(Problem(msg("check.temporal_fired", rules=", ".join(fired) or "—")))
            rule = self._answers[key] = next(t for t in current.temporal_rules if t.id == fired[0])
        return Choice(rule.choose, rule)

    def _comparison(self, in_current: bool, old: Outcome | None, now: Outcome) -> Comparison:
        undetermined = self.rulebook.undetermined
        o_det = old is not None and old.finding != undetermined
        n_det = now.finding != undetermined
        less = (o_det and n_det and old is not None and
                self.rulebook.severity(now.finding) < self.rulebook.severity(old.finding))
        return Comparison(in_current, old is not None, o_det, bool(o_det and old and old.liable),
                          n_det, n_det and now.liable, bool(less))


def temporal_record(choice: Choice, conduct_date: _dt.date, current: Version, old_version: Version | None,
                    evaluations: list[Evaluation]) -> Temporal:
    """The determination's record of the choice: the versions compared, the rule, and why."""
    rule = choice.rule
    compared = [v.id for v in (old_version, current) if v is not None]
    if rule is not None:
        reason = rule.explanation
    elif choice.choose == "current":
        reason = msg("determination.temporal_current", version=current.id).bilingual()
    else:
        reason = msg("determination.temporal_in_force").bilingual()
    return Temporal(conduct_date=conduct_date, versions_compared=compared, rule=rule.id if rule else None,
                    choice=choice.choose, reason=reason.en, reason_zh=reason.zh,  # type: ignore[arg-type]
                    interpretation=bool(rule is not None and rule.interpretation), evaluations=evaluations)
