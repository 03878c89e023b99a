"""What a decision is remembered by (evaluate/decision.py): the versions, the act and the values of the fields the
rules for that act test — never more (facts that differ elsewhere share it), never less (a field that a rule for the
act tests, or a value of another type, is decided anew). That an engine which remembers nothing answers alike is
test_properties.py's; this file pins the key itself."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest

from liability_engine import Engine, load_rulebook
from liability_engine.evaluate.engine import bundled_rules_path
from liability_engine.evaluate.decision import values_of
from liability_engine.rulebook.conditions import All, evaluate


class CountingBackend:
    """The engine's backend, counting the facts it is asked to fire."""

    def __init__(self, inner: Any):
        self.inner, self.name, self.fired = inner, inner.name, 0

    def prepare(self, ruleset: Any) -> None:
        self.inner.prepare(ruleset)

    def fire(self, ruleset: Any, fact: dict[str, Any]) -> list[str]:
        self.fired += 1
        return self.inner.fire(ruleset, fact)


@pytest.fixture()
def engine() -> Engine:
    """An engine of its own (Engine.default() is shared), whose memos are empty."""
    eng = Engine(load_rulebook(bundled_rules_path()))
    eng._decider.backend = CountingBackend(eng._decider.backend)
    return eng


def _fact(engine: Engine, **changed: Any) -> dict[str, Any]:
    from liability_engine import parse_facts

    facts = parse_facts("schema: liability-facts/1\ncase: {id: T, kind: criminal}\nperson: {id: P, role: procurator}\n"
                        "conducts:\n  - {id: C1, date: 2025-03-10, act: misapply_law, fault: gross, "
                        "effects: {wrongful_handling: true, serious_consequence: true}}\n")
    return {**engine.fact_of(facts.conducts[0], facts), **changed}


def test_facts_that_differ_only_where_no_rule_for_the_act_looks_share_one_decision(engine: Engine) -> None:
    decider, current = engine._decider, engine.rulebook.versions[-1]
    date = _dt.date(2025, 3, 10)
    first = _fact(engine)
    reads = decider.reads(first["act"], decider.period(date, current), current)
    unread = next(k for k, v in first.items() if k not in reads and k != "act" and isinstance(v, bool))
    a = decider.decide(first, date, current)
    fired = decider.backend.fired
    assert fired >= 1
    b = decider.decide({**first, unread: not first[unread]}, _dt.date(2024, 12, 1), current)  # same period
    assert decider.backend.fired == fired  # nothing fired again
    assert (b.finding, b.liable, b.citation) == (a.finding, a.liable, a.citation)


def test_a_field_a_rule_for_the_act_tests_is_decided_anew(engine: Engine) -> None:
    decider, current = engine._decider, engine.rulebook.versions[-1]
    date = _dt.date(2025, 3, 10)
    first = _fact(engine)
    a = decider.decide(first, date, current)
    fired = decider.backend.fired
    b = decider.decide({**first, "effects__serious_consequence": False}, date, current)
    assert decider.backend.fired > fired
    assert (a.finding, a.liable, a.citation.label) == ("gross_negligence", True, "Art. 8(1)")
    assert (b.finding, b.liable) == ("gross_negligence", False)


def test_another_act_or_another_period_is_decided_anew(engine: Engine) -> None:
    decider, current = engine._decider, engine.rulebook.versions[-1]
    first = _fact(engine)
    decider.decide(first, _dt.date(2025, 3, 10), current)
    fired = decider.backend.fired
    decider.decide({**first, "act": "fact_finding_error"}, _dt.date(2025, 3, 10), current)
    assert decider.backend.fired > fired
    fired = decider.backend.fired
    old = decider.decide(first, _dt.date(2019, 6, 1), current)  # before the current version: Art. 28 compares
    assert decider.backend.fired > fired
    assert old.old is not None


def test_a_value_of_another_type_is_another_key() -> None:
    # True == 1 and hash(True) == hash(1) in Python; to the rules (and in JSON) they differ
    assert values_of({"x": True}, ("x",)) != values_of({"x": 1}, ("x",))
    assert values_of({}, ("x",)) != values_of({"x": None}, ("x",))  # absent is not null


def test_a_rule_for_some_acts_cannot_fire_for_another_whatever_the_other_facts() -> None:
    """What `Decider.reads` rests on: a rule's condition begins with its acts test (rulebook/rules.py), so the
    fields it tests are read only for the acts it covers."""
    rulebook = Engine.default().rulebook
    acts = {a for v in rulebook.versions for r in v.rules if r.acts for a in r.acts}
    checked = 0
    for version in rulebook.versions:
        for rule in version.rules:
            if rule.acts is None:
                continue
            first = rule.condition.items[0] if isinstance(rule.condition, All) else rule.condition
            for act in acts - rule.acts:
                assert not evaluate(first, {"act": act}), (rule.id, act)
            checked += 1
    assert checked > 20
