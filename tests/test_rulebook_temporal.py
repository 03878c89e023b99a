"""Art. 28's comparison language (rulebook/temporal.py) on its own: the temporal rules must decide
every possible comparison exactly once; a gap or an overlap is a load-time error."""

from __future__ import annotations

import itertools

from liability_engine import bundled_rules_path, load_rulebook
from liability_engine.rulebook.conditions import evaluate, parse_condition
from liability_engine.rulebook.temporal import Comparison, check_exhaustive, comparison_fact, temporal_schema

SCHEMA = temporal_schema()


def rules(*whens: object) -> list[tuple[str, object]]:
    return [(f"t{i}", parse_condition(w, SCHEMA)) for i, w in enumerate(whens)]


def test_the_bundled_temporal_rules_decide_every_comparison_exactly_once() -> None:
    for version in load_rulebook(bundled_rules_path()).versions:
        if version.temporal_rules:
            assert check_exhaustive([(t.id, t.condition) for t in version.temporal_rules]) == [], version.id


def test_a_comparison_no_rule_decides_is_named() -> None:
    gaps = check_exhaustive(rules({"conduct.in_current_version": True}))
    assert gaps and all(g.startswith("no temporal rule decide") for g in gaps)
    assert any("conduct.in_current_version=false" in g for g in gaps)


def test_a_comparison_two_rules_decide_is_named_with_both() -> None:
    problems = check_exhaustive(rules({"conduct.in_current_version": True}, {"conduct.in_current_version": True},
                                      {"conduct.in_current_version": False}))
    assert problems and all("several temporal rules (t0, t1)" in p for p in problems)


def test_two_rules_that_split_every_comparison_are_exhaustive() -> None:
    assert check_exhaustive(rules({"conduct.in_current_version": True}, {"conduct.in_current_version": False})) == []


def test_the_comparison_fact_has_one_key_per_field_of_the_schema() -> None:
    for values in itertools.product((False, True), repeat=7):
        fact = comparison_fact(Comparison(*values))
        assert list(fact) == [spec.key for spec in SCHEMA.values()]
        assert list(fact.values()) == list(values)
        assert evaluate(parse_condition({"old.liable": values[3]}, SCHEMA), fact)
