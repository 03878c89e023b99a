"""Unknown is a value of the facts contract (SPEC §4, issue #14): the types of the fields that may be
`unknown` — a flag that is true, false or unknown, and a value of a vocabulary or unknown."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import PlainValidator, WithJsonSchema

from ..i18n import msg
from .validation import short

__all__ = ["Unknown", "Flag", "flag", "or_unknown", "maybe"]

Unknown = Literal["unknown"]
"""A fact nobody established: a value of its own, never read as false (SPEC §4, issue #14)."""


def flag(value: Any) -> Any:
    if value is None or value is True or value is False or value == "unknown":
        return "unknown" if value is None else value
    raise ValueError(msg("facts.expected_flag", value=short(value)))


def or_unknown(enum: type[Enum]) -> Any:
    def check(value: Any) -> Any:
        if value is None or value == "unknown":
            return value
        if isinstance(value, enum):
            return value
        if isinstance(value, str) and value in enum._value2member_map_:
            return enum(value)
        raise ValueError(msg("facts.unknown_value", value=short(value)))
    return check


Flag = Annotated[bool | str, PlainValidator(flag), WithJsonSchema({
    "enum": [True, False, "unknown", None],
    "description": "true, false or unknown (null is read as unknown); left out, it keeps its documented default "
                   "and the determination warns by name where that default decides"})]


def maybe(enum: type[Enum], none: str) -> Any:
    return Annotated[enum | str | None, PlainValidator(or_unknown(enum)), WithJsonSchema({
        "anyOf": [{"enum": [m.value for m in enum] + ["unknown"]}, {"type": "null"}], "description": none})]
