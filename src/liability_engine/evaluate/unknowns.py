"""Unknown is a value (SPEC §4, issue #14): deciding a conduct over the completions of its unknown facts.

A fact nobody established is `unknown` (or null), never a silent false. The engine runs the rules
over every completion of the unknown facts that the rules for the act read: when every value
leads to the same choice and outcome (Art. 28 included), that is the answer and the trace says so;
when they differ, the conduct is undetermined and `missing` names each fact with the finding each
of its values gives. A fact that was simply left out keeps its documented default; where another
value would change the outcome, the determination warns by name.

Pure functions over a `decide(fact) -> decision` callable: the engine supplies it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..facts.fields import NULL, Schema

__all__ = ["UNKNOWN", "DEFAULTS", "NO_DEFAULT", "MAX_COMPLETIONS", "Completion", "domain", "unknown_keys",
           "complete", "possible", "agree", "summary"]

UNKNOWN = "unknown"
# The documented default of a fact left out (facts contract): read so, with a warning where it decides.
DEFAULTS: dict[str, Any] = {
    "knowing": False, "effects__wrongful_handling": False, "effects__serious_consequence": False,
    "effects__bad_influence": False, "effects__major_loss": False, "effects__conclusion_affected": True,
}
# Facts the regulation gives no default for: left out and deciding, they make the conduct undetermined.
NO_DEFAULT = ("case__kind",)
MAX_COMPLETIONS = 4_096


def domain(schema: Schema, key: str) -> list[Any]:
    """The values a completion may give the fact (never `unknown` itself)."""
    spec = next(s for s in schema.values() if s.key == key)
    if spec.kind == "bool":
        return [True, False]
    values = [v for v in spec.values if v != UNKNOWN]
    if spec.nullable and key not in NO_DEFAULT and key != "outcome_change__cause":
        values.append(NULL)  # e.g. no accident at all
    return values


def unknown_keys(fact: dict[str, Any], read: Sequence[str]) -> list[str]:
    """The facts that are unknown and that the rules concerned read (only those can decide)."""
    return [k for k in read if fact.get(k) == UNKNOWN]


def possible(schema: Schema, keys: Sequence[str]) -> int:
    """How many completions `keys` have, allowed by the established facts or not."""
    return math.prod(len(domain(schema, k)) for k in keys)


@dataclass(frozen=True)
class Completion:
    values: tuple[Any, ...]
    decision: Any


def complete(fact: dict[str, Any], keys: list[str], schema: Schema, decide: Callable[[dict[str, Any]], Any],
             contradicts: Callable[[dict[str, Any]], bool] = lambda f: False) -> list[Completion] | None:
    """The decision for every completion of `keys` that the established facts allow; None when there are too many
    to try.

    A value that would contradict the established facts (`contradicts`: a declared contradiction holds) is not
    one the fact can have, so no completion gives it: a wrongly handled case whose conclusion is unknown is
    completed with its conclusion affected only (rules/contradictions.yaml: a wrongly handled case is one whose
    conclusion was affected; SPEC §4, contradictory facts are not evidence). When every value would contradict
    them, every value is tried, as before: the contradiction is then the established facts' own."""
    if possible(schema, keys) > MAX_COMPLETIONS:
        return None
    filled = [(combo, {**fact, **dict(zip(keys, combo))})
              for combo in itertools.product(*(domain(schema, k) for k in keys))]
    allowed = [(combo, f) for combo, f in filled if not contradicts(f)] or filled
    return [Completion(combo, decide(f)) for combo, f in allowed]


def summary(decision: Any) -> tuple[Any, ...]:
    """What must agree across completions: the finding, the liability, the version applied, the citation."""
    return (decision.finding, decision.liable, decision.version_applied,
            decision.citation.label if decision.citation else None)


def _standing(decision: Any) -> set[str]:
    """The rules of the version applied that decide or concur (same finding) in one decision."""
    applied = decision.applied
    if applied is None or applied.rule is None:
        return set()
    return {applied.rule.id, *applied.resolution.concurring}


def agree(completions: Sequence[Completion], undetermined: str) -> tuple[Any, str] | None:
    """The decision every completion leads to, and how it was reached (`same` or `not_pursued`);
    None when the completions differ.

    `same`: every completion gives the same finding, liability, version and citation; or the same finding,
    liability and version, with one rule standing (deciding or concurring) in every completion: it is cited.
    `not_pursued`: no completion is liable, and the current version gives one and the same
    finding for all of them: whatever the missing facts, Art. 28 leads to no responsibility
    (old not liable: the old rules apply and do not pursue; old liable: the current rules apply),
    so the current version's finding is the answer (as Art. 28's second clause, SPEC §5); shown by
    a completion where the current rules apply, or, where the old rules apply to every completion,
    by one whose finding is the current version's.
    """
    if not completions:
        return None
    first = completions[0].decision
    if all(summary(c.decision) == summary(first) for c in completions) and first.finding != undetermined:
        return first, "same"
    if first.finding != undetermined and all(summary(c.decision)[:3] == summary(first)[:3] for c in completions):
        # The same finding, liability and version, but not the same item cited: the unknown fact only adds or
        # removes a concurring item (e.g. an accident, Art. 8(4), beside a wrong decision with bad influence,
        # Art. 8(5)). A rule that stands in every completion is the basis whatever the value; cite it, from a
        # completion where it decides. (None stands in all, or it never decides: undetermined, as before.)
        common = set.intersection(*(_standing(c.decision) for c in completions))
        basis = next((c.decision for c in completions
                      if c.decision.applied is not None and c.decision.applied.rule is not None
                      and c.decision.applied.rule.id in common), None)
        if basis is not None:
            return basis, "same"
    if any(c.decision.liable for c in completions):
        return None
    nows = {(c.decision.now.finding, c.decision.now.rule.id if c.decision.now.rule else None) for c in completions}
    if len(nows) == 1 and first.now.finding != undetermined and not first.now.liable:
        chosen = next((c.decision for c in completions if c.decision.choice.choose == "current"), None)
        if chosen is None:
            # Art. 28's first clause for every value: the rules of the time pursue none of them and apply. Their
            # finding may differ with the value (a supervisory failure of 2022 with its fault unknown: not liable
            # whatever the fault, SPEC §5), the outcome does not: a completion whose finding is this regulation's
            # stands for them; without one, the finding stays open.
            chosen = next((c.decision for c in completions if c.decision.finding == first.now.finding), None)
        if chosen is not None:
            return chosen, "not_pursued"
    return None
