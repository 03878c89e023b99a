"""`liability rules check` for allocation rules: rules that never fire, that never decide (always
defeated), and pairs that fire together on one head with different results and no declared
precedence. Cycles of `defeats:` and unknown ids are caught at load (rules.py)."""

from __future__ import annotations

import itertools
from typing import Any

from ..rulebook.conditions import NULL, evaluate, tests_of
from ..errors import Problem, RulesError
from ..i18n import msg
from .rules import AllocationRule, AllocationRules, allocation_rules_for, allocation_schema

__all__ = ["allocation_problems"]


def _facts(rules: list[AllocationRule]) -> Any:
    """Every distinguishable fact over the fields these rules test (other fields absent)."""
    schema = allocation_schema()
    fields = sorted({t.field for r in rules for t in tests_of(r.condition)})
    doms = []
    for name in fields:
        spec = schema[name]
        domain = list(spec.values) + ([NULL] if spec.nullable else [])
        tests = sorted({t for r in rules for t in tests_of(r.condition) if t.field == name}, key=str)
        seen: dict[tuple[bool, ...], Any] = {}
        for v in domain:
            seen.setdefault(tuple(t.holds({spec.key: v}) for t in tests), v)
        doms.append(list(seen.values()))
    base = {spec.key: NULL for spec in schema.values()}
    for combo in itertools.product(*doms):
        fact = dict(base)
        fact.update({schema[n].key: v for n, v in zip(fields, combo)})
        yield fact


def _book_problems(book: AllocationRules) -> list[Problem]:
    problems = []
    defeaters = {r.id: [o for o in book.rules if r.id in o.defeats] for r in book.rules}
    for r in book.rules:
        fires = decides = False
        for fact in _facts([r, *defeaters[r.id]]):
            if evaluate(r.condition, fact):
                fires = True
                if not any(evaluate(o.condition, fact) for o in defeaters[r.id]):
                    decides = True
                    break
        if not fires:
            problems.append(Problem(msg("allocation.error.never_fires"),
                                    path=r.file, line=r.line, rule_id=r.id))
        elif not decides:
            problems.append(Problem(msg("allocation.error.never_decides", rules=", ".join(o.id for o in defeaters[r.id])), path=r.file,
                                    line=r.line, rule_id=r.id))
    for a, b in itertools.combinations(book.rules, 2):
        if a.answers_for != b.answers_for or a.result == b.result or not set(a.parts) & set(b.parts):
            continue
        if a.id in b.defeats or b.id in a.defeats:
            continue
        others = [o for o in book.rules if a.id in o.defeats or b.id in o.defeats]
        for fact in _facts([a, b, *others]):
            if evaluate(a.condition, fact) and evaluate(b.condition, fact):
                beaten = {x for o in others if evaluate(o.condition, fact) for x in o.defeats}
                if a.id in beaten or b.id in beaten:
                    continue
                shown = ", ".join(f"{n}={fact[s.key]}" for n, s in allocation_schema().items()
                                  if fact[s.key] != NULL)
                problems.append(Problem(
                    msg("check.allocation_conflict", a=a.id, a_result=a.result, b=b.id, b_result=b.result,
                        head=a.answers_for, facts=shown), path=a.file, line=a.line, rule_id=a.id))
                break
    return problems


def allocation_problems(rulebook: Any) -> list[Problem]:
    """Every problem of the rulebook's allocation files (load errors included)."""
    try:
        books = allocation_rules_for(rulebook)
    except RulesError as exc:
        return list(exc.problems)
    out: list[Problem] = []
    for book in books.values():
        if book is not None:
            out.extend(_book_problems(book))
    return out
