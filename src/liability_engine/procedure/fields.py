"""The fields a procedure condition may test (`procedure_schema`), derived from the facts models, and the
values that mean "not established" (`UNKNOWN_MARKER`), which rules never test: the evaluator completes them."""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..facts.model import Role
from ..facts.procedure import DATE_FIELDS, Leniency, Level, Obstruction, Outcome, ProcedureFacts, ProcedureStatus
from ..rulebook.conditions import FieldSpec, Schema

__all__ = ["procedure_schema", "UNKNOWN_MARKER", "GIVEN", "DERIVED", "LEVEL_FIELDS", "booleans_as_text"]

GIVEN = "given"  # the value of a date field that is present (a day, or `unknown`)
DERIVED = ("route.investigation_level",)  # fields set by rules (`sets:`), read by later steps
LEVEL_FIELDS = ("procedure.procuratorate_level", "route.investigation_level")
UNKNOWN_MARKER: dict[str, str] = {}  # field -> the value that means "not established" (filled below)


def _enum_values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


@functools.lru_cache(maxsize=8)
def procedure_schema(findings: tuple[str, ...] = ()) -> Schema:
    """The fields procedure rules may test, derived from the facts models (never listed by hand)."""
    schema: Schema = {}
    tri = ("true", "false", "unknown")

    def add(prefix: str, model: type[BaseModel]) -> None:
        for name, info in model.model_fields.items():
            full = prefix + name
            text = str(info.annotation)
            if name in ("leniency", "obstruction", "outcome", "dates", "lead_source"):
                continue
            if name == "status":
                schema[full] = FieldSpec(full, "enum", _enum_values(ProcedureStatus))
            elif isinstance(info.annotation, type) and issubclass(info.annotation, Enum):
                schema[full] = FieldSpec(full, "enum", _enum_values(info.annotation))
            elif "Literal['unknown']" in text and "bool" in text:
                schema[full] = FieldSpec(full, "enum", tri)

    add("procedure.", ProcedureFacts)
    add("procedure.leniency.", Leniency)
    add("procedure.obstruction.", Obstruction)
    add("procedure.outcome.", Outcome)
    for name in DATE_FIELDS:
        schema[f"procedure.dates.{name}"] = FieldSpec(f"procedure.dates.{name}", "enum", (GIVEN,), nullable=True)
    schema["person.role"] = FieldSpec("person.role", "enum", _enum_values(Role) + ("unknown",))
    schema["determination.finding"] = FieldSpec("determination.finding", "enum", tuple(findings) + ("undetermined",))
    schema["determination.liable"] = FieldSpec("determination.liable", "enum", tri)
    schema["route.investigation_level"] = FieldSpec("route.investigation_level", "enum", _enum_values(Level))
    for name, spec in schema.items():
        if "unknown" in spec.values:
            UNKNOWN_MARKER[name] = "unknown"
    UNKNOWN_MARKER["determination.finding"] = "undetermined"
    return schema


def booleans_as_text(raw: Any) -> Any:
    """`leadership: true` in a condition is the enum value "true" (tri-state fields are enums here)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, list):
        return [booleans_as_text(v) for v in raw]
    if isinstance(raw, dict):
        return {k: (v if k == "present" else booleans_as_text(v)) for k, v in raw.items()}
    return raw

