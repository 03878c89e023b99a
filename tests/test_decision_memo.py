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


def _said(d: Any) -> tuple[Any, ...]:
    """All that a decision tells: the finding and its grounds in each version (every rule that fired, warnings
    included), and the Art. 28 choice."""
    return (d.finding, d.liable, d.version_applied, d.citation.label if d.citation else None,
            d.old_version.id if d.old_version else None, d.choice.choose, d.choice.warnings,
            *((o.version.id, o.finding, o.liable, o.rule.id if o.rule else None,
               tuple(r.id for r in o.resolution.fired)) for o in d.outcomes))


def test_every_remembered_answer_is_the_answer_recomputed_for_each_field_act_and_period() -> None:
    """An engine that remembers, asked in turn about facts one field apart (every value of every field, for every act,
    in the 2015, 2020 and current periods), against one that recomputes everything: the same answers. A key that
    left out the older version, a field only an older version or a rule for every act reads, or a field of a
    declared contradiction would hand one of these facts its neighbour's answer."""
    from liability_engine.evaluate.unknowns import UNKNOWN

    rulebook = load_rulebook(bundled_rules_path())
    remembering, forgetful = Engine(rulebook), Engine(rulebook)
    forgetful._decider._decisions.limit = forgetful._judge._fulls.limit = 1
    current = rulebook.versions[-1]
    # before any version, then in the periods of 2015, 2020 and the current version
    dates = [_dt.date(2014, 6, 1), _dt.date(2019, 6, 1), _dt.date(2022, 6, 1), _dt.date(2025, 3, 10)]
    assert [remembering._decider.period(d, current).id if remembering._decider.period(d, current) else None
            for d in dates] == [None, "2015", "2020", None]
    specs = [s for s in rulebook.schema.values() if s.key != "act"]
    bases = [dict(fault="gross", knowing=False, effects__wrongful_handling=True, effects__serious_consequence=True,
                  effects__bad_influence=False, effects__major_loss=False, effects__conclusion_affected=True),
             dict(fault="intentional", knowing=True, effects__wrongful_handling=False,
                  effects__serious_consequence=False, effects__bad_influence=True, effects__major_loss=True,
                  effects__conclusion_affected=True),
             dict(fault="gross", knowing=False, effects__wrongful_handling=True, effects__serious_consequence=True,
                  effects__bad_influence=False, effects__major_loss=False, effects__conclusion_affected=True,
                  outcome_change__kind="acquittal", outcome_change__cause="procurator_error")]
    compared = 0
    for act in rulebook.schema["act"].values:
        for base in bases:
            first = {**{s.key: "null" for s in specs if s.kind == "enum"}, "case__kind": "criminal",
                     "person__role": "procurator", "person__status": "serving", **base, "act": act}
            facts = [first]
            for spec in specs:
                values = [True, False] if spec.kind == "bool" else [*spec.values, "null"]
                facts += [{**first, spec.key: v} for v in values if v != first[spec.key] and v != UNKNOWN]
            for date in dates:
                for fact in facts:
                    assert _said(remembering._decider.decide(fact, date, current)) == \
                        _said(forgetful._decider.decide(fact, date, current)), (act, date, fact)
                    assert remembering._judge._full(fact, date, current) == \
                        forgetful._judge._full(fact, date, current), (act, date, fact)
                    compared += 1
    assert compared > 20_000  # 25,704 with the bundled rulebook
