"""Resolution (evaluate/resolution.py) on its own: which of the rules that fired decides, by the
layers of precedence.yaml and `defeats:`, and when the facts meet two rules with no precedence."""

from __future__ import annotations

import dataclasses

import pytest

from liability_engine import bundled_rules_path, load_rulebook
from liability_engine.evaluate.resolution import resolve
from liability_engine.rulebook.model import Rule, Version


@pytest.fixture(scope="module")
def version() -> Version:
    return load_rulebook(bundled_rules_path()).version("2024")


def rule(version: Version, rule_id: str, layer: str, finding: str, *, defeats: tuple[str, ...] = (),
         warns_only: bool = False, liable: bool = True) -> Rule:
    """A rule of the 2024 version with the parts resolution reads replaced."""
    return dataclasses.replace(version.rules[0], id=rule_id, layer=layer, finding=finding, liable=liable,
                               defeats=defeats, warns_only=warns_only)


def with_rules(version: Version, *rules: Rule) -> Version:
    return dataclasses.replace(version, rules=list(rules))


def test_a_stronger_layer_defeats_a_weaker_one(version: Version) -> None:
    strong, weak = (layer.id for layer in version.layers[:2])
    v = with_rules(version, rule(version, "w", weak, "gross"), rule(version, "s", strong, "intent"))
    res = resolve(v, ["w", "s"])
    assert res.decisive is not None and res.decisive.id == "s"
    assert res.defeated == {"w": "s"}


def test_defeats_settles_two_rules_of_one_layer(version: Version) -> None:
    layer = version.layers[0].id
    v = with_rules(version, rule(version, "a", layer, "intent"), rule(version, "b", layer, "gross", defeats=("a",)))
    res = resolve(v, ["a", "b"])
    assert res.decisive is not None and res.decisive.id == "b"
    assert res.defeated == {"a": "b"} and not res.conflict


def test_a_declared_defeats_overrides_the_layer_order(version: Version) -> None:
    """A rule of a weaker layer that names a stronger one in `defeats:` prevails over it: the declaration
    is the more specific precedence (e.g. Art. 9's exemptions defeat exactly the rules they reach, below
    gross negligence in the layers); the stronger rule does not defeat it back."""
    strong, weak = (layer.id for layer in version.layers[:2])
    v = with_rules(version, rule(version, "s", strong, "intent"), rule(version, "w", weak, "gross", defeats=("s",)))
    res = resolve(v, ["s", "w"])
    assert res.decisive is not None and res.decisive.id == "w"
    assert res.defeated == {"s": "w"}


def test_two_findings_without_precedence_are_a_conflict_never_settled_silently(version: Version) -> None:
    layer = version.layers[0].id
    v = with_rules(version, rule(version, "a", layer, "intent"), rule(version, "b", layer, "gross"))
    res = resolve(v, ["a", "b"])
    assert res.decisive is None
    assert [r.id for r in res.conflict] == ["a", "b"]


def test_the_same_finding_twice_concurs_and_the_first_cites(version: Version) -> None:
    layer = version.layers[0].id
    v = with_rules(version, rule(version, "a", layer, "intent"), rule(version, "b", layer, "intent"))
    res = resolve(v, ["a", "b"])
    assert res.decisive is not None and res.decisive.id == "a"
    assert res.concurring == {"b": "a"}


def test_a_rule_that_warns_never_decides(version: Version) -> None:
    layer = version.layers[0].id
    v = with_rules(version, rule(version, "warn", layer, "intent", warns_only=True),
                   rule(version, "d", layer, "gross"))
    res = resolve(v, ["warn", "d"])
    assert res.decisive is not None and res.decisive.id == "d"
    assert [r.id for r in res.advisory] == ["warn"]


def test_nothing_fired_decides_nothing(version: Version) -> None:
    res = resolve(version, [])
    assert res.decisive is None and not res.conflict and not res.fired
