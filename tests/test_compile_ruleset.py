"""Ruleset compilation (compile/ruleset.py) on its own: durable-rules' limits are checked at load,
never met at evaluation, and a ruleset's name is a function of its content."""

from __future__ import annotations

import pytest

from liability_engine import RulesError
from liability_engine.compile.ruleset import FACT_KIND, MAX_GROUPS, MAX_RULES, compile_ruleset, to_durable
from liability_engine.rulebook.conditions import All, Any_
from liability_engine.rulebook.conditions import Test as Leaf


def test_the_name_is_the_content_same_rules_same_name_other_rules_other_name() -> None:
    one = compile_ruleset("conduct", [("r1", Leaf("fault", "eq", "gross"))], where="x")
    again = compile_ruleset("conduct", [("r1", Leaf("fault", "eq", "gross"))], where="elsewhere")
    other = compile_ruleset("conduct", [("r1", Leaf("fault", "eq", "ordinary"))], where="x")
    assert one.name == again.name != other.name
    assert one.name.startswith("conduct-")


def test_too_many_rules_fail_at_load_with_the_limit() -> None:
    rules = [(f"r{i}", Leaf("fault", "eq", "gross")) for i in range(MAX_RULES + 1)]
    with pytest.raises(RulesError) as caught:
        compile_ruleset("conduct", rules, where="rules/2024")
    assert f"at most {MAX_RULES}" in caught.value.problems[0].message


def test_a_condition_nested_too_deep_names_its_rule_file_and_line() -> None:
    cond: object = Leaf("knowing", "eq", True)
    for i in range(MAX_GROUPS):
        cond = (All if i % 2 else Any_)((cond, Leaf("fault", "eq", f"v{i}")))
    with pytest.raises(RulesError) as caught:
        compile_ruleset("conduct", [("deep", cond)], where="rules/2024",  # type: ignore[list-item]
                        locate=lambda rule_id: ("rules/2024/art08.yaml", 12))
    problem = caught.value.problems[0]
    assert (problem.rule_id, problem.path, problem.line) == ("deep", "rules/2024/art08.yaml", 12)


def test_every_durable_pattern_carries_the_positive_discriminator() -> None:
    ruleset = compile_ruleset("conduct", [("a", None), ("b", Leaf("fault", "ne", "gross"))], where="x")
    definition = to_durable(ruleset)
    assert list(definition) == ["r000", "r001"]  # rule order is name order
    for rule in definition.values():
        assert rule["all"][0]["m"]["$and"][0] == {FACT_KIND: "conduct"}
    assert definition["r001"]["all"][0]["m"]["$and"][1] == {"$neq": {"fault": "gross"}}
