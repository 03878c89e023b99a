"""The condition language of rule files: parsed, checked against a field schema, normalised.

A condition in YAML is one of
  - `field: value`                 equal (`null` for "not given")
  - `field: [v1, v2]`              any of (also `field: {in: [...]}`)
  - `field: {not_in: [...]}`, `field: {not: value}`, `field: {present: true|false}`
  - `all: [...]`, `any: [...]`, `not: condition`, or a list (= all)
A mapping with several keys means all of them.

Parsing yields a small tree (`All`, `Any`, `Test`) with negation pushed down to the leaves, so
every backend (durable-rules, the pure-Python evaluator) sees the same normalised conditions.
Only `eq`/`ne` leaves exist; fields have one type each (enum text or boolean), and facts are
normalised to the same types (`NULL` for an absent value), which durable-rules needs to compare
deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable, Iterable, Literal, Union

from ..errors import did_you_mean
from ..facts.fields import NULL, FieldSpec, Schema, field_key, show_value
from ..i18n import msg

__all__ = [
    "NULL", "FieldSpec", "Schema", "Test", "All", "Any_", "Condition", "ConditionError",
    "parse_condition", "evaluate", "failing_tests", "tests_of", "values_of", "values_read", "describe",
]


@dataclass(frozen=True)
class Test:
    field: str
    op: Literal["eq", "ne"]
    value: str | bool

    def holds(self, fact: dict[str, Any]) -> bool:
        actual = fact.get(field_key(self.field), NULL)
        return (actual == self.value) if self.op == "eq" else (actual != self.value)


@dataclass(frozen=True)
class All:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Any_:
    items: tuple["Condition", ...]


Condition = Union[Test, All, Any_]


class ConditionError(ValueError):
    """A condition that does not fit the schema; `where` is the path inside the condition."""

    def __init__(self, message: str, where: tuple[Any, ...] = (), *, value: Any = None,
                 allowed: list[str] | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.value = value
        self.allowed = allowed
        self.suggestion = suggestion


_OPS = ("in", "not_in", "not", "present")
_COMBINATORS = ("all", "any", "not")


def parse_condition(raw: Any, schema: Schema, where: tuple[Any, ...] = ()) -> Condition:
    """Parse and check a YAML condition; raise ConditionError naming the offending part."""
    return _normalise(_parse(raw, schema, where), negate=False)


def _parse(raw: Any, schema: Schema, where: tuple[Any, ...]) -> Any:
    if isinstance(raw, list):
        if not raw:
            raise ConditionError(msg("rules.empty_conditions"), where)
        return ("all", [_parse(item, schema, where + (i,)) for i, item in enumerate(raw)])
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(msg("rules.condition_shape"), where,
                             value=raw)
    parts = []
    for key, value in raw.items():
        here = where + (key,)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(msg("rules.combinator_list", key=key), here)
            parts.append((key, [_parse(item, schema, here + (i,)) for i, item in enumerate(value)]))
        elif key == "not":
            parts.append(("not", _parse(value, schema, here)))
        else:
            parts.append(_parse_field(str(key), value, schema, here))
    return parts[0] if len(parts) == 1 else ("all", parts)


def _parse_field(name: str, value: Any, schema: Schema, where: tuple[Any, ...]) -> Any:
    spec = schema.get(name)
    if spec is None:
        allowed = sorted(schema) + list(_COMBINATORS)
        raise ConditionError(msg("facts.unknown_field", name=name), where, value=name, allowed=allowed,
                             suggestion=did_you_mean(name, allowed) or _suffix_match(name, schema))
    if isinstance(value, list):
        return ("any", [_leaf(spec, v, "eq", where + (i,)) for i, v in enumerate(_non_empty(value, where))])
    if isinstance(value, dict):
        if len(value) != 1:
            raise ConditionError(msg("rules.one_operator", name=name), where, allowed=list(_OPS))
        (op, arg), = value.items()
        here = where + (op,)
        if op == "in":
            return ("any", [_leaf(spec, v, "eq", here + (i,)) for i, v in enumerate(_non_empty(arg, here))])
        if op == "not_in":
            return ("all", [_leaf(spec, v, "ne", here + (i,)) for i, v in enumerate(_non_empty(arg, here))])
        if op == "not":
            return _leaf(spec, arg, "ne", here)
        if op == "present":
            if not isinstance(arg, bool) or not spec.nullable:
                raise ConditionError(msg("rules.present_nullable" if spec.nullable else "rules.present_not_nullable",
                                         name=name), here, value=arg)
            return Test(spec.name, "ne" if arg else "eq", NULL)
        raise ConditionError(msg("rules.unknown_operator", op=op), here, value=op, allowed=list(_OPS),
                             suggestion=did_you_mean(op, _OPS))
    return _leaf(spec, value, "eq", where)


def _suffix_match(name: str, schema: Schema) -> str | None:
    tail = name.rsplit(".", 1)[-1]
    hits = [f for f in schema if f.rsplit(".", 1)[-1] == tail or
            did_you_mean(tail, [f.rsplit(".", 1)[-1]]) is not None]
    return hits[0] if len(hits) == 1 else None


def _non_empty(value: Any, where: tuple[Any, ...]) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ConditionError(msg("rules.empty_values"), where, value=value)
    return value


def _leaf(spec: FieldSpec, value: Any, op: Literal["eq", "ne"], where: tuple[Any, ...]) -> Test:
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ConditionError(msg("rules.bool_field", name=spec.name, value=repr(value)), where, value=value,
                                 allowed=spec.allowed())
        return Test(spec.name, op, value)
    if value is None:
        if not spec.nullable:
            raise ConditionError(msg("rules.not_nullable", name=spec.name), where,
                                 allowed=spec.allowed())
        return Test(spec.name, op, NULL)
    if not isinstance(value, str) or value not in spec.values:
        raise ConditionError(msg("rules.not_a_value", value=value, name=spec.name), where, value=value,
                             allowed=spec.allowed(), suggestion=did_you_mean(value, spec.values))
    return Test(spec.name, op, value)


def _normalise(node: Any, negate: bool) -> Condition:
    if isinstance(node, Test):
        if not negate:
            return node
        return Test(node.field, "ne" if node.op == "eq" else "eq", node.value)
    kind, body = node
    if kind == "not":
        return _normalise(body, not negate)
    is_all = (kind == "all") != negate
    items: list[Condition] = []
    for child in body:
        norm = _normalise(child, negate)
        same = All if is_all else Any_
        if isinstance(norm, same):  # flatten all-in-all / any-in-any
            items.extend(norm.items)
        else:
            items.append(norm)
    deduped = tuple(dict.fromkeys(items))
    if len(deduped) == 1:
        return deduped[0]
    return All(deduped) if is_all else Any_(deduped)


def conjoin(conditions: Iterable[Condition | None]) -> Condition | None:
    """All of the given conditions (flattened), or None when there are none."""
    items: list[Condition] = []
    for c in conditions:
        if c is None:
            continue
        items.extend(c.items if isinstance(c, All) else (c,))
    if not items:
        return None
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else All(tuple(items))


def evaluate(cond: Condition | None, fact: dict[str, Any]) -> bool:
    """The pure-Python meaning of a condition on a normalised fact."""
    if cond is None:
        return True
    predicate = cond.__dict__.get("_predicate")
    if predicate is None:
        predicate = _compiled(cond)
    return predicate(fact)


def _compiled(cond: Condition) -> Callable[[dict[str, Any]], bool]:
    """A condition as a Python function, kept on the (immutable) condition for the next call."""
    predicate = _compile(cond)
    object.__setattr__(cond, "_predicate", predicate)
    return predicate


def _compile(cond: Condition) -> Callable[[dict[str, Any]], bool]:
    if isinstance(cond, Test):
        key, value = field_key(cond.field), cond.value
        if cond.op == "eq":
            return lambda fact: fact.get(key, NULL) == value
        return lambda fact: fact.get(key, NULL) != value
    tests = [c for c in cond.items if isinstance(c, Test)]
    if len(tests) == len(cond.items) and len({t.field for t in tests}) == 1 \
            and len({t.op for t in tests}) == 1 and all(isinstance(t.value, str) for t in tests):
        key = field_key(tests[0].field)
        values = frozenset(t.value for t in tests)
        if isinstance(cond, Any_) and tests[0].op == "eq":  # a list of values, e.g. an item's acts
            return lambda fact: fact.get(key, NULL) in values
        if isinstance(cond, All) and tests[0].op == "ne":  # `not_in`
            return lambda fact: fact.get(key, NULL) not in values
    parts = tuple(_compiled(c) for c in cond.items)
    if isinstance(cond, All):
        return lambda fact: all(p(fact) for p in parts)
    return lambda fact: any(p(fact) for p in parts)


def failing_tests(cond: Condition | None, fact: dict[str, Any]) -> list[Condition]:
    """The parts of `cond` that fail on `fact`: for `all`, each failing part; else the whole."""
    if cond is None:
        return []
    parts = cond.__dict__.get("_parts")
    if parts is None:  # each part with its compiled predicate, kept on the immutable condition
        parts = tuple((c, c.__dict__.get("_predicate") or _compiled(c))
                      for c in (cond.items if isinstance(cond, All) else (cond,)))
        object.__setattr__(cond, "_parts", parts)
    return [c for c, holds in parts if not holds(fact)]


def values_of(keys: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The values of these keys in a normalised fact (which has every field of the schema), as a tuple."""
    if not keys:
        return lambda fact: ()
    get = itemgetter(*keys)
    return (lambda fact: (get(fact),)) if len(keys) == 1 else get  # type: ignore[return-value]


def values_read(cond: Condition | None, fact: dict[str, Any]) -> tuple[Any, ...]:
    """The values of the fields a condition tests: what its outcome and its description depend on
    (the getter is kept on the immutable condition after the first call)."""
    if cond is None:
        return ()
    get = cond.__dict__.get("_values")
    if get is None:
        get = values_of(list(dict.fromkeys(field_key(t.field) for t in tests_of(cond))))
        object.__setattr__(cond, "_values", get)
    return get(fact)  # type: ignore[no-any-return]


def tests_of(cond: Condition | None) -> list[Test]:
    """Every leaf test of a condition, in order (kept on the immutable condition after the first call)."""
    if cond is None:
        return []
    if isinstance(cond, Test):
        return [cond]
    found = cond.__dict__.get("_tests")
    if found is None:
        found = tuple(t for c in cond.items for t in tests_of(c))
        object.__setattr__(cond, "_tests", found)
    return list(found)


def describe(cond: Condition | None, label: Callable[[str, Any], str] | None = None) -> str:
    """A short readable form: `fault = gross and (a or b)`."""
    show = label or (lambda f, v: f"{f} = {show_value(v)}")
    if cond is None:
        return "always"
    if isinstance(cond, Test):
        if cond.op == "eq":
            return show(cond.field, cond.value)
        return f"not {show(cond.field, cond.value)}"
    if isinstance(cond, Any_) and all(isinstance(c, Test) and c.op == "eq" for c in cond.items) \
            and len({c.field for c in cond.items}) == 1:  # type: ignore[union-attr]
        field = cond.items[0].field  # type: ignore[union-attr]
        return f"{field} in [{', '.join(show_value(c.value) for c in cond.items)}]"  # type: ignore[union-attr]
    if isinstance(cond, All) and all(isinstance(c, Test) and c.op == "ne" for c in cond.items) \
            and len({c.field for c in cond.items}) == 1:  # type: ignore[union-attr]
        field = cond.items[0].field  # type: ignore[union-attr]
        return f"{field} not in [{', '.join(show_value(c.value) for c in cond.items)}]"  # type: ignore[union-attr]
    joiner = " and " if isinstance(cond, All) else " or "
    return joiner.join(
        f"({describe(c, label)})" if not isinstance(c, Test) else describe(c, label) for c in cond.items)
