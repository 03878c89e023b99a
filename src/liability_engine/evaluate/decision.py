"""What the versions say about one normalised fact, and which one Art. 28 applies.

`Outcome` is one version's answer; `Decision` is the answer for a conduct: the version in force on
its date (if an older one), the current version, and the Art. 28 choice between them. `Decider`
computes both: each version's ruleset fired through the backend, resolved by precedence
(resolution.py), then the Art. 28 choice (article28.py).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from ..compile.backend import Backend
from ..compile.ruleset import Ruleset
from ..determination.citations import citation_for
from ..determination.model import Citation, Evaluation
from ..facts.fields import field_key
from ..rulebook.conditions import tests_of
from ..rulebook.model import Rule, Rulebook, Version
from .article28 import Article28, Choice
from .memo import Memo
from .resolution import Resolution, resolve

__all__ = ["Outcome", "Decision", "Decider", "values_of"]


@dataclass(frozen=True)
class Outcome:
    """One version's answer for one conduct."""

    version: Version
    resolution: Resolution  #: the rules that fired and which of them decides
    finding: str
    liable: bool
    rule: Rule | None  #: the deciding rule; None when undetermined


@dataclass(frozen=True)
class Decision:
    """What the versions say about one fact and which one Art. 28 applies."""

    now: Outcome  #: the answer of the version current on the evaluation date
    old: Outcome | None  #: the answer of the older version in force on the conduct date, if any
    old_version: Version | None  #: that older version (also when it is not encoded: then None)
    choice: Choice
    applied: Outcome | None  #: the outcome Art. 28 applies; None when it leaves the conduct undetermined
    finding: str
    liable: bool
    citation: Citation | None
    version_applied: str | None

    @property
    def outcomes(self) -> list[Outcome]:
        """The versions' answers, oldest first."""
        return [o for o in (self.old, self.now) if o is not None]


_ABSENT = object()


def values_of(fact: dict[str, Any], keys: tuple[str, ...]) -> tuple[tuple[Any, ...], tuple[type, ...]]:
    """The values of `keys` in `fact` (an absent one marked so), and their types: part of a memo's key."""
    values = tuple(map(fact.get, keys, repeat(_ABSENT)))  # loops in C: this runs for every decision asked
    return values, tuple(map(type, values))


class Decider:
    """Runs the versions of a rulebook over normalised facts. Its memos hold pure functions of their keys.

    A decision reads few facts: a rule whose `acts:` leave out the conduct's act cannot fire (its condition
    begins with the acts test), and the others read only the fields they test. So `decide` remembers each
    decision by the versions, the act and the values of those fields (`reads`), not by the whole fact: facts
    that differ elsewhere (another case, person, date in the same period, a field no rule for this act reads)
    share it. A value's type is part of the key (True and 1 are equal in Python, not to the rules)."""

    def __init__(self, rulebook: Rulebook, backend: Backend, rulesets: dict[str, Ruleset], article28: Article28):
        self.rulebook, self.backend, self.rulesets, self.article28 = rulebook, backend, rulesets, article28
        self._resolutions: Memo[Resolution] = Memo(1_024)
        self._evaluations: Memo[Evaluation] = Memo(1_024)
        self._decisions: Memo[Decision] = Memo(8_192)
        self._reads: dict[tuple[str, str | None, Any], tuple[str, ...]] = {}

    def period(self, date: _dt.date, current: Version) -> Version | None:
        """The older version in force on `date`, when the conduct predates `current` (None when it does not, or
        when no version in force then is encoded)."""
        if date >= current.in_force_from:
            return None
        return next((v for v in self.rulebook.versions if v is not current and v.in_force_on(date)), None)

    def reads(self, act: Any, old: Version | None, current: Version) -> tuple[str, ...]:
        """The fields (but `act`) that the rules for `act` test, in `old` (if any) and `current`: all that a
        decision on a conduct of this act and period reads."""
        key = (current.id, old.id if old else None, act)
        found = self._reads.get(key)
        if found is None:
            keys: dict[str, None] = {}
            for version in (v for v in (old, current) if v is not None):
                for rule in version.rules:
                    if rule.acts is None or act in rule.acts:
                        for test in tests_of(rule.condition):
                            keys.setdefault(field_key(test.field))
            keys.pop("act", None)
            found = self._reads[key] = tuple(keys)
        return found

    def run(self, version: Version, fact: dict[str, Any]) -> Outcome:
        """One version's answer: its rules fired, resolved by precedence."""
        fired = self.backend.fire(self.rulesets[version.id], fact)
        res = self._resolutions.get((version.id, *fired), lambda: resolve(version, fired))
        if res.decisive is None:
            return Outcome(version, res, self.rulebook.undetermined, False, None)
        return Outcome(version, res, res.decisive.finding, res.decisive.liable, res.decisive)

    def decide(self, fact: dict[str, Any], date: _dt.date, current: Version) -> Decision:
        """The finding for one normalised fact on one date: each version in force, then Art. 28."""
        in_current = date >= current.in_force_from
        old_version = self.period(date, current)
        act = fact.get("act", _ABSENT)
        key = (current.id, in_current, old_version.id if old_version else None, act.__class__, act,
               values_of(fact, self.reads(act, old_version, current)))
        return self._decisions.get(key, lambda: self._decide(fact, current, in_current, old_version))

    def _decide(self, fact: dict[str, Any], current: Version, in_current: bool,
                old_version: Version | None) -> Decision:
        now = self.run(current, fact)
        old = self.run(old_version, fact) if old_version is not None else None
        choice = self.article28.choose(current, in_current, old, now)
        applied = now if choice.choose == "current" else old if choice.choose == "old" else None
        if applied is None or applied.finding == self.rulebook.undetermined:
            return Decision(now, old, old_version, choice, applied, self.rulebook.undetermined, False, None, None)
        citation = citation_for(applied.rule, applied.version) if applied.rule else None
        return Decision(now, old, old_version, choice, applied, applied.finding, applied.liable, citation,
                        applied.version.id)

    def evaluation(self, o: Outcome) -> Evaluation:
        """An outcome as the determination reports it."""
        key = (o.version.id, o.finding, o.liable, o.rule.id if o.rule else None)
        return self._evaluations.get(key, lambda: Evaluation(
            version=o.version.id, finding=o.finding, liable=o.liable,
            citation=citation_for(o.rule, o.version) if o.rule else None, decided_by=o.rule.id if o.rule else None))
