"""The facts fields rules may test, and the normalised fact the rules see.

The fields are derived from the facts models (never listed by hand): every boolean or enum field
of a conduct, its effects and outcome change, its case and its person. A normalised fact is a flat
dict keyed by `FieldSpec.key`, one value of one type per field, `NULL` for an absent value.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .model import Case, Conduct, Effects, Facts, OutcomeChange, Person

__all__ = ["NULL", "FieldSpec", "Schema", "conduct_schema", "field_key", "field_name", "show_value", "FactReader", "fact_with", "conduct_with"]

NULL = "null"  # how an absent optional value is written in a normalised fact


def show_value(value: Any) -> str:
    """A fact's value as rule files write it: `true`, `false`, or the value's text."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def field_key(name: str) -> str:
    """A field's key in a normalised fact: `effects.bad_influence` → `effects__bad_influence`."""
    return name.replace(".", "__")


def field_name(key: str) -> str:
    """A field's name from its key in a normalised fact (the inverse of `field_key`)."""
    return key.replace("__", ".")


@dataclass(frozen=True)
class FieldSpec:
    """A field a condition may test: its name in rule files, its key in normalised facts."""

    name: str
    kind: Literal["enum", "bool"]
    values: tuple[str, ...] = ()
    nullable: bool = False

    @property
    def key(self) -> str:
        return field_key(self.name)

    def allowed(self) -> list[str]:
        if self.kind == "bool":
            return ["true", "false"]
        return list(self.values) + (["null"] if self.nullable else [])


Schema = dict[str, FieldSpec]


def _admits(annotation: Any) -> tuple[list[Any], bool]:
    """The types a field's annotation admits (Annotated and unions unwrapped), and whether None is one."""
    found: list[Any] = []
    nullable = False
    pending = [annotation]
    while pending:
        current = pending.pop(0)
        origin = get_origin(current)
        if origin is Annotated:
            pending.insert(0, get_args(current)[0])
        elif origin is Union or origin is types.UnionType:
            pending[0:0] = list(get_args(current))
        elif current is type(None):
            nullable = True
        else:
            found.append(current)
    return found, nullable


def _spec(name: str, annotation: Any) -> FieldSpec | None:
    admits, nullable = _admits(annotation)
    if any(isinstance(t, type) and issubclass(t, BaseModel) for t in admits):
        return None  # a nested model: its own fields are added under its name
    if bool in admits:
        return FieldSpec(name, "bool")
    enum = next((t for t in admits if isinstance(t, type) and issubclass(t, Enum)), None)
    return FieldSpec(name, "enum", tuple(m.value for m in enum), nullable) if enum is not None else None


def conduct_schema() -> Schema:
    """The fields rules may test, derived from the facts models."""
    schema: Schema = {}
    parts: list[tuple[str, type[BaseModel], set[str]]] = [
        ("", Conduct, {"id", "date", "summary"}), ("effects.", Effects, set()),
        ("outcome_change.", OutcomeChange, set()), ("case.", Case, {"id", "summary"}), ("person.", Person, {"id", "name"})]
    for prefix, model, skip in parts:
        for name, info in model.model_fields.items():
            spec = None if name in skip else _spec(prefix + name, info.annotation)
            if spec is not None:
                # an outcome change may be absent altogether: its fields are then null
                nullable = spec.nullable or prefix == "outcome_change."
                schema[spec.name] = FieldSpec(spec.name, spec.kind, spec.values, nullable)
    return schema


#: Where a field is read from: the conduct itself, its case, or its person.
CONDUCT, CASE, PERSON = 0, 1, 2
_ROOTS = {"case": CASE, "person": PERSON}


class FactReader:
    """Builds the normalised facts of conducts for one schema."""

    def __init__(self, schema: Schema):
        # where each schema field is read: (fact key, CONDUCT / CASE / PERSON, attribute path)
        self._paths: list[tuple[str, int, tuple[str, ...]]] = []
        for name, spec in schema.items():
            head, *rest = name.split(".")
            root = _ROOTS.get(head, CONDUCT)
            self._paths.append((spec.key, root, tuple(rest) if root != CONDUCT else (head, *rest)))

    def fact_of(self, conduct: Conduct, facts: Facts) -> dict[str, Any]:
        """The normalised fact rules see: one value of one type per field, NULL when absent."""
        out: dict[str, Any] = {}
        roots = (conduct, facts.case, facts.person)
        for key, root, parts in self._paths:
            obj: Any = roots[root]
            for part in parts:
                obj = getattr(obj, part, None)
                if obj is None:
                    break
            if isinstance(obj, Enum):
                obj = obj._value_  # `.value` is a descriptor call; this is the same attribute, direct
            out[key] = NULL if obj is None else obj
        if out.get("case__kind") == NULL:
            out["case__kind"] = "unknown"  # not stated: never defaulted where it decides (evaluate/unknowns.py)
        if out.get("outcome_change__cause") == NULL and out.get("outcome_change__kind") != NULL:
            out["outcome_change__cause"] = "unknown"
        return out


def fact_with(conduct: Conduct, fact: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """The normalised fact of the conduct with one field changed; unchanged where the field's parent
    is absent (an `outcome_change.cause` without an outcome change), as `conduct_with` does."""
    parent: Any = conduct
    for part in field.split(".")[:-1]:
        parent = getattr(parent, part, None)
        if parent is None:
            return fact
    return {**fact, field_key(field): value}


def conduct_with(conduct: Conduct, field: str, value: Any) -> Conduct:
    """The same conduct with one field changed (dotted names reach into effects/outcome_change)."""
    data = conduct.model_dump()
    *path, last = field.split(".")
    target = data
    for part in path:
        if target.get(part) is None:
            return conduct
        target = target[part]
    target[last] = value
    return Conduct.model_validate(data)
