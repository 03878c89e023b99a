"""Resolving the rules that fired into one decision, by the precedence declared in YAML.

A fired rule is defeated by a fired rule that names it in `defeats:`, and by any fired rule of a
stronger layer (precedence.yaml order) that it does not itself name in `defeats:`: a declared
defeat overrides the order of layers, so a rule of a weaker layer (Art. 9) can defeat exactly the
stronger rules it names (its declared scope) and stand below every other. What is left undefeated decides; if rules with different
findings are left, the facts meet two rules without a declared precedence: that is reported as
a conflict (the conduct is undetermined), never settled silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rulebook.model import Rule, Version

__all__ = ["Resolution", "resolve", "beats"]


def beats(o: Rule, rule: Rule, rank: dict[str, int]) -> bool:
    """Whether fired rule `o` defeats fired rule `rule`: declared (`defeats:`) first, then layer order."""
    if rule.id in o.defeats:
        return True
    return rank[o.layer] < rank[rule.layer] and o.id not in rule.defeats


@dataclass(frozen=True)
class Resolution:
    """Frozen: the engine shares one per (version, rules fired)."""

    decisive: Rule | None
    fired: list[Rule]
    defeated: dict[str, str] = field(default_factory=dict)  # rule id -> the rule that defeated it
    conflict: list[Rule] = field(default_factory=list)
    advisory: list[Rule] = field(default_factory=list)
    concurring: dict[str, str] = field(default_factory=dict)  # same finding as the decisive rule, which came first


def resolve(version: Version, fired_ids: list[str]) -> Resolution:
    rank = {layer.id: i for i, layer in enumerate(version.layers)}
    by_id = {r.id: r for r in version.rules}
    fired = [by_id[i] for i in fired_ids]
    deciding = [r for r in fired if not r.warns_only]
    advisory = [r for r in fired if r.warns_only]

    def defeaters(rule: Rule) -> list[Rule]:
        return [o for o in deciding if o is not rule and beats(o, rule, rank)]

    standing = [r for r in deciding if not defeaters(r)]
    defeated: dict[str, str] = {}
    for rule in deciding:
        beaten_by = defeaters(rule)
        if beaten_by:
            # name the defeater that itself stands (the strongest), else the strongest defeater
            winners = [o for o in beaten_by if o in standing] or beaten_by
            defeated[rule.id] = min(winners, key=lambda o: rank[o.layer]).id
    findings = {(r.finding, r.liable) for r in standing}
    if len(findings) > 1:
        return Resolution(None, fired, defeated, conflict=standing, advisory=advisory)
    decisive = standing[0] if standing else None
    concurring = {other.id: standing[0].id for other in standing[1:]}  # same finding: the first in rule order cites
    return Resolution(decisive, fired, defeated, advisory=advisory, concurring=concurring)
