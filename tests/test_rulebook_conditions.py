"""The condition language (rulebook/conditions.py) on its own: parsing against the facts fields,
negation pushed to the leaves, the meaning of a condition on a normalised fact, and the errors a
rule author sees."""

from __future__ import annotations

import pytest

from liability_engine.facts.fields import NULL, conduct_schema
from liability_engine.rulebook.conditions import All, Any_, ConditionError, conjoin, describe, evaluate, failing_tests
from liability_engine.rulebook.conditions import Test as Leaf
from liability_engine.rulebook.conditions import parse_condition, values_read
from liability_engine.rulebook.conditions import tests_of as leaves

SCHEMA = conduct_schema()


def fact(**values: object) -> dict[str, object]:
    """A normalised fact: every field absent (NULL) but those given (dotted names as keys)."""
    out: dict[str, object] = {spec.key: NULL for spec in SCHEMA.values()}
    out.update({name.replace(".", "__"): value for name, value in values.items()})
    return out


def test_a_field_equal_to_a_value_is_one_test() -> None:
    assert parse_condition({"fault": "gross"}, SCHEMA) == Leaf("fault", "eq", "gross")


def test_a_list_of_values_is_any_of_them_and_holds_for_each() -> None:
    cond = parse_condition({"fault": ["gross", "intentional"]}, SCHEMA)
    assert cond == Any_((Leaf("fault", "eq", "gross"), Leaf("fault", "eq", "intentional")))
    assert evaluate(cond, fact(fault="gross")) and evaluate(cond, fact(fault="intentional"))
    assert not evaluate(cond, fact(fault="ordinary"))


def test_not_is_pushed_down_to_the_leaves() -> None:
    cond = parse_condition({"not": {"any": [{"fault": "gross"}, {"knowing": True}]}}, SCHEMA)
    assert cond == All((Leaf("fault", "ne", "gross"), Leaf("knowing", "ne", True)))
    assert evaluate(cond, fact(fault="ordinary", knowing=False))
    assert not evaluate(cond, fact(fault="ordinary", knowing=True))


def test_not_in_holds_for_every_other_value_and_for_an_absent_one() -> None:
    cond = parse_condition({"effects.accident": {"not_in": ["suicide", "escape"]}}, SCHEMA)
    assert evaluate(cond, fact(**{"effects.accident": "violence"}))
    assert evaluate(cond, fact())  # absent is NULL, which is neither
    assert not evaluate(cond, fact(**{"effects.accident": "escape"}))


def test_present_tests_an_optional_field_for_null() -> None:
    given = parse_condition({"outcome_change.kind": {"present": True}}, SCHEMA)
    assert given == Leaf("outcome_change.kind", "ne", NULL)
    assert not evaluate(given, fact())
    assert evaluate(given, fact(**{"outcome_change.kind": "acquittal"}))


def test_a_mapping_of_several_fields_means_all_of_them() -> None:
    cond = parse_condition({"fault": "gross", "knowing": True}, SCHEMA)
    assert isinstance(cond, All) and [t.field for t in leaves(cond)] == ["fault", "knowing"]
    assert failing_tests(cond, fact(fault="gross", knowing=False)) == [Leaf("knowing", "eq", True)]


def test_conjoin_flattens_and_drops_none() -> None:
    a, b = Leaf("fault", "eq", "gross"), Leaf("knowing", "eq", True)
    assert conjoin([None, a, All((b, a))]) == All((a, b))
    assert conjoin([None]) is None


def test_values_read_are_the_values_of_the_fields_tested_in_order() -> None:
    cond = parse_condition({"knowing": True, "fault": "gross"}, SCHEMA)
    assert values_read(cond, fact(fault="ordinary", knowing=True)) == (True, "ordinary")


def test_describe_writes_a_list_of_values_as_in() -> None:
    assert describe(parse_condition({"fault": ["gross", "intentional"]}, SCHEMA)) == "fault in [gross, intentional]"
    assert describe(parse_condition({"knowing": False}, SCHEMA)) == "knowing = false"


@pytest.mark.parametrize("raw, says, suggestion", [
    ({"fautl": "gross"}, "unknown field 'fautl'", "fault"),
    ({"fault": "grosss"}, "'grosss' is not a value of 'fault'", "gross"),
    ({"knowing": "yes"}, "'knowing' is true or false", None),
    ({"fault": {"in": []}}, "expected a non-empty list of values", None),
    ({"fault": {"between": ["a", "b"]}}, "unknown operator 'between'", None),
    ({"act": None}, "'act' is always given: null is not a value of it", None),
    ([], "an empty list of conditions", None),
])
def test_a_wrong_condition_says_what_and_where(raw: object, says: str, suggestion: str | None) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(raw, SCHEMA, ("rules", 0, "when"))
    assert says in caught.value.message
    assert caught.value.where[:3] == ("rules", 0, "when")
    if suggestion is not None:
        assert caught.value.suggestion == suggestion
