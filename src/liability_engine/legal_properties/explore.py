"""Exploring a rulebook's facts: distinguishable facts, one version's outcome, and Art. 28's choice."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterator

from ..evaluate.resolution import resolve
from ..rulebook.temporal import Comparison, comparison_fact
from ..rulebook.conditions import NULL, Schema, Test, evaluate, tests_of
from ..rulebook.model import Rule, Rulebook, Version

__all__ = ["Outcome", "distinguishable_facts", "outcome", "through_art28", "field_classes"]


@dataclass(frozen=True)
class Outcome:
    finding: str
    liable: bool
    rules: tuple[Rule, ...]  # the deciding rule of each version that decided (one, or two through Art. 28)
    choice: str | None = None  # Art. 28's choice (current / old / undetermined) when two versions were compared


def field_classes(schema: Schema, rules: list[Rule], skip: tuple[str, ...] = (),
                  extra: list[Any] = ()) -> dict[str, list[Any]]:  # type: ignore[assignment]
    """For each tested field, one representative value per class of values no test (of the rules, or
    of the `extra` conditions, e.g. the declared contradictions) tells apart."""
    tests: dict[str, set[Test]] = defaultdict(set)
    for cond in [r.condition for r in rules] + list(extra):
        for test in tests_of(cond):
            tests[test.field].add(test)
    out: dict[str, list[Any]] = {}
    for name, field_tests in tests.items():
        if name in skip:
            continue
        spec = schema[name]
        domain: list[Any] = [True, False] if spec.kind == "bool" else list(spec.values) + (
            [NULL] if spec.nullable else [])
        ordered = sorted(field_tests, key=lambda t: (t.op, str(t.value)))
        seen: dict[tuple[bool, ...], Any] = {}
        for value in domain:
            seen.setdefault(tuple(t.holds({spec.key: value}) for t in ordered), value)
        out[name] = list(seen.values())
    return out


def distinguishable_facts(schema: Schema, versions: list[Version], *, skip: tuple[str, ...] = (),
                          extra: list[Any] = ()) -> Iterator[dict[str, Any]]:  # type: ignore[assignment]
    """Every distinguishable fact for the rules of `versions` (fields in `skip` left out), act by act."""
    rules = [r for v in versions for r in v.rules if not r.warns_only]
    acts = sorted({t.value for r in rules for t in tests_of(r.condition) if t.field == "act"} |
                  ({"__other__"} if any(r.acts is None for r in rules) else set()))
    acts = [a for a in (schema["act"].values if "act" in schema else ()) if a in acts or "__other__" in acts] \
        or list(acts)
    for act in acts:
        relevant = [r for r in rules if r.acts is None or act in r.acts]
        local = field_classes(schema, relevant, skip=("act", *skip), extra=extra)  # classes the rules for this act tell apart
        fields = sorted(local)
        for combo in itertools.product(*(local[f] for f in fields)):
            fact = {"act": act}
            fact.update({f.replace(".", "__"): v for f, v in zip(fields, combo)})
            yield fact


_relevant: dict[tuple[int, str], tuple[list[Rule], tuple[str, ...]]] = {}
_outcomes: dict[tuple[Any, ...], "Outcome"] = {}
_resolutions: dict[tuple[Any, ...], Any] = {}
_choices: dict[tuple[Any, ...], str] = {}


def outcome(rulebook: Rulebook, version: Version, fact: dict[str, Any]) -> Outcome:
    """One version's finding for one normalised fact (the pure-Python evaluator, no engine),
    remembered on the values of the fields that version's rules for the act read."""
    act = fact.get("act", NULL)
    key = (id(version), act)
    known = _relevant.get(key)
    if known is None:
        rules = [r for r in version.rules if r.acts is None or act in r.acts]
        keys = tuple(sorted({t.field.replace(".", "__") for r in rules for t in tests_of(r.condition)}))
        known = _relevant[key] = (rules, keys)
    rules, keys = known
    memo_key = (id(rulebook), id(version), act, *(fact.get(k, NULL) for k in keys))
    found = _outcomes.get(memo_key)
    if found is not None:
        return found
    if any(evaluate(c.condition, fact) for c in rulebook.contradictions):
        found = _outcomes[memo_key] = Outcome(rulebook.undetermined, False, ())
        return found
    fired = tuple(r.id for r in rules if evaluate(r.condition, fact))
    res = _resolutions.get((id(version), fired))
    if res is None:
        res = _resolutions[(id(version), fired)] = resolve(version, list(fired))
    if res.decisive is None:
        found = Outcome(rulebook.undetermined, False, ())
    else:
        found = Outcome(res.decisive.finding, res.decisive.liable, (res.decisive,))
    if len(_outcomes) > 200_000:
        _outcomes.clear()
        _resolutions.clear()
    _outcomes[memo_key] = found
    return found


def through_art28(rulebook: Rulebook, current: Version, old: Version, fact: dict[str, Any]) -> Outcome:
    """The outcome Art. 28 (current's temporal rules) applies to a conduct of old's period."""
    now, then = outcome(rulebook, current, fact), outcome(rulebook, old, fact)
    undetermined = rulebook.undetermined
    o_det, n_det = then.finding != undetermined, now.finding != undetermined
    less = o_det and n_det and rulebook.severity(now.finding) < rulebook.severity(then.finding)
    comparison = Comparison(False, True, o_det, o_det and then.liable, n_det, n_det and now.liable, less)
    choice = _choices.get((id(current), comparison))
    if choice is None:
        cfact = comparison_fact(comparison)
        chosen = [t for t in current.temporal_rules if evaluate(t.condition, cfact)]
        choice = _choices[(id(current), comparison)] = chosen[0].choose if len(chosen) == 1 else "undetermined"
    rules = then.rules + now.rules
    if choice == "current":
        return Outcome(now.finding, now.liable, rules, choice)
    if choice == "old":
        return Outcome(then.finding, then.liable, rules, choice)
    return Outcome(undetermined, False, rules, choice)
