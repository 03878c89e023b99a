"""Checks of a whole rulebook beyond what loading checks: for `liability rules check`.

Loading already rejects YAML errors, unknown keys, unknown fields and values, duplicate ids,
dangling and cyclic `defeats:`, and citations of items the article text lacks; compiling rejects
conditions durable-rules cannot run. On top of that, this module explores every distinguishable
fact (each field's values are grouped into classes that no condition can tell apart) and finds:
- rules that can never fire (their conditions contradict each other);
- rules that can never decide, because whenever they fire a rule that precedes them fires too;
- pairs of rules without declared precedence that fire on the same facts with different findings;
and then the legal properties of legal_properties/ (the more culpable fault is never lighter).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..compile.ruleset import compile_ruleset
from ..rulebook.conditions import All, Condition, Schema, Test, evaluate, tests_of
from ..errors import Problem, RulesError
from ..evaluate.resolution import beats, resolve
from ..rulebook.load import load_rulebook
from ..rulebook.model import Rule, Rulebook, Version
from ..facts.fields import field_key, field_name, show_value
from ..i18n import msg
from ..legal_properties.explore import field_classes

__all__ = ["check_rulebook", "semantic_problems"]


def check_rulebook(folder: str | Path) -> tuple[Rulebook | None, list[Problem]]:
    """Every problem of a rulebook folder, in file order; the rulebook when it loads."""
    try:
        rulebook = load_rulebook(folder)
    except RulesError as exc:
        return None, _ordered(exc.problems)
    problems: list[Problem] = []
    for version in rulebook.versions:
        where = str(Path(rulebook.folder) / version.folder)
        for kind, rules in (("conduct", [(r.id, r.condition) for r in version.rules]),
                            ("comparison", [(t.id, t.condition) for t in version.temporal_rules])):
            try:
                compile_ruleset(kind, rules, where=where, locate=version.locate)
            except RulesError as exc:
                problems.extend(exc.problems)
        if version.temporal_rules:
            from ..rulebook.temporal import check_exhaustive

            first = version.temporal_rules[0]
            problems.extend(Problem(g, path=first.file, line=first.line)
                            for g in check_exhaustive([(t.id, t.condition) for t in version.temporal_rules]))
        problems.extend(semantic_problems(version, rulebook.schema))
    from ..allocation.checks import allocation_problems  # rules/<version>/allocation.yaml

    problems.extend(allocation_problems(rulebook))
    if not problems:  # legal properties over the whole rulebook, once its rules are sound one by one
        from ..legal_properties import art28_problems, contradiction_problems, monotonicity_problems

        problems.extend(art28_problems(rulebook))
        problems.extend(contradiction_problems(rulebook))
        if not problems:
            problems.extend(monotonicity_problems(rulebook))
    return rulebook, _ordered(problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path or "", p.line or 0, p.column or 0, str(p.message)))


def _partial(cond: Condition | None, fact: dict[str, Any]) -> bool | None:
    """Three-valued evaluation: None where a field the condition needs is not in `fact`."""
    if cond is None:
        return True
    if isinstance(cond, Test):
        key = field_key(cond.field)
        return cond.holds(fact) if key in fact else None
    results = [_partial(c, fact) for c in cond.items]
    if isinstance(cond, All):
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


class _Survey:
    """What every fact of a version's classes of facts fired and how precedence resolved it."""

    def __init__(self, version: Version, rules: list[Rule]):
        self.version = version
        self.rank = {layer.id: i for i, layer in enumerate(version.layers)}
        self.by_id = {r.id: r for r in rules}
        self.fired_somewhere: set[str] = set()
        self.decided_somewhere: set[str] = set()
        self.beaten_by: dict[str, Counter[str]] = defaultdict(Counter)
        self.concurs_with: dict[str, Counter[str]] = defaultdict(Counter)
        self.always_before: dict[str, set[str]] = {}  # rule -> rules that fire and precede it on every fact it fires on
        self.conflicts: dict[tuple[str, str], dict[str, Any]] = {}

    def record(self, fired: list[str], fact: dict[str, Any]) -> None:
        res = resolve(self.version, fired)
        self.fired_somewhere.update(fired)
        if res.decisive is not None:
            self.decided_somewhere.add(res.decisive.id)
        self.decided_somewhere.update(r.id for r in res.conflict)  # undefeated, if undecided
        for loser, winner in res.defeated.items():
            self.beaten_by[loser][winner] += 1
        for later, first in res.concurring.items():
            self.concurs_with[later][first] += 1
        by_id, rank = self.by_id, self.rank
        for rid in fired:
            r = by_id[rid]
            before = {o for o in fired if o != rid and beats(by_id[o], r, rank)}
            self.always_before[rid] = before if rid not in self.always_before else self.always_before[rid] & before
        if res.conflict:
            for a, b in itertools.combinations(sorted(r.id for r in res.conflict), 2):
                if (by_id[a].finding, by_id[a].liable) != (by_id[b].finding, by_id[b].liable):
                    self.conflicts.setdefault((a, b), fact)


def semantic_problems(version: Version, schema: Schema) -> list[Problem]:
    rules = [r for r in version.rules if not r.warns_only]
    classes = field_classes(schema, rules)
    acts = classes.pop("act", [None])
    survey = _Survey(version, rules)
    for act in acts:
        base = {} if act is None else {"act": act}
        relevant = [r for r in rules if _partial(r.condition, base) is not False]
        fields = sorted({t.field for r in relevant for t in tests_of(r.condition)} - {"act"})
        for combo in itertools.product(*(classes[f] for f in fields)):
            fact = dict(base)
            fact.update({field_key(f): v for f, v in zip(fields, combo)})
            fired = [r.id for r in relevant if evaluate(r.condition, fact)]
            if fired:
                survey.record(fired, fact)
    return [p for rule in rules for p in _rule_problems(rule, survey)] + _conflict_problems(survey)


def _rule_problems(rule: Rule, survey: _Survey) -> list[Problem]:
    """A rule that never fires, never decides on its own, or never decides at all."""
    if rule.id not in survey.fired_somewhere:
        return [Problem(msg("check.never_fires"), path=rule.file, line=rule.line, rule_id=rule.id)]
    if rule.id in survey.decided_somewhere:
        return []
    if survey.concurs_with[rule.id]:
        firsts = ", ".join(w for w, _ in survey.concurs_with[rule.id].most_common(3))
        return [Problem(msg("check.redundant", rules=firsts), path=rule.file, line=rule.line, rule_id=rule.id)]
    always = sorted(survey.always_before.get(rule.id, ()))
    winners = ", ".join(always) if always else ", ".join(w for w, _ in survey.beaten_by[rule.id].most_common(3))
    return [Problem(msg("check.never_decides_always" if always else "check.never_decides", rules=winners),
                    path=rule.file, line=rule.line, rule_id=rule.id)]


def _conflict_problems(survey: _Survey) -> list[Problem]:
    problems = []
    for (a, b), fact in sorted(survey.conflicts.items()):
        ra, rb = survey.by_id[a], survey.by_id[b]
        shown = ", ".join(f"{field_name(k)}={show_value(v)}" for k, v in sorted(fact.items()))
        problems.append(Problem(
            msg("check.conflict", a=a, a_finding=ra.finding, b=b, b_finding=rb.finding, facts=shown), path=ra.file, line=ra.line, rule_id=a))
    return problems
