"""Unknown is a value of the facts contract (SPEC §4, issue #14): the types of the fields that may be
`unknown` — a flag that is true, false or unknown, and a value of a vocabulary or unknown.

One reading of a yes/no fact that may be unknown (`tri`) serves every contract; each contract spells
the answer as it always has: `Flag` (liability-facts/1: true, false, unknown, null read as unknown),
`TriState` (the `procedure:` block: true, false or unknown) and `TriField` (liability-facts/2: the
words yes, no, unknown of `Tri`, read from true/false/null as well)."""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainValidator, WithJsonSchema

from ..i18n import msg
from .validation import short

__all__ = ["Unknown", "UNKNOWN", "Vocabulary", "Tri", "tri", "Flag", "TriState", "TriField", "flag", "or_unknown",
           "maybe", "calendar_day", "DATETIME"]

Unknown = Literal["unknown"]
"""A fact nobody established: a value of its own, never read as false (SPEC §4, issue #14)."""

UNKNOWN = "unknown"

_NOT_TRI = object()
_WORDS = {"yes": True, "true": True, "no": False, "false": False}


class Vocabulary(str, Enum):
    """The words of a contract's field: compared and printed as their value."""

    def __str__(self) -> str:
        return self.value


class Tri(Vocabulary):
    """A yes/no fact that may not be established: `true`/`false`/`unknown` (also yes/no, null)."""

    yes = "yes"
    no = "no"
    unknown = "unknown"

    @classmethod
    def of(cls, value: bool | str) -> "Tri":
        """True → yes, False → no, unknown → unknown."""
        return cls.unknown if value == UNKNOWN else cls.yes if value is True else cls.no


def tri(value: Any, *, null: bool = True, words: bool = False) -> Any:
    """The one reading of a yes/no fact that may be unknown: True, False or "unknown" (null is unknown unless
    `null` is False; with `words`, also the words yes/true/no/false); `_NOT_TRI` for anything else."""
    if value is None:
        return UNKNOWN if null else _NOT_TRI
    if value is True or value is False or value == UNKNOWN:
        return value
    if words and isinstance(value, str) and value.strip().lower() in _WORDS:
        return _WORDS[value.strip().lower()]
    return _NOT_TRI


def flag(value: Any) -> Any:
    found = tri(value)
    if found is _NOT_TRI:
        raise ValueError(msg("facts.expected_flag", value=short(value)))
    return found


def _strict_flag(value: Any) -> Any:
    """true, false or unknown (a YAML boolean, or the word)."""
    found = tri(value, null=False)
    if found is _NOT_TRI:
        raise ValueError(msg("facts.flag_expected"))
    return found


def _tri_word(value: Any) -> Any:
    found = tri(value, words=True)
    return value if found is _NOT_TRI else Tri.of(found).value


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
TriState = Annotated[bool | Literal["unknown"], BeforeValidator(_strict_flag)]
TriField = Annotated[Tri, BeforeValidator(_tri_word, json_schema_input_type=bool | Tri | None)]


def maybe(enum: type[Enum], none: str) -> Any:
    return Annotated[enum | str | None, PlainValidator(or_unknown(enum)), WithJsonSchema({
        "anyOf": [{"enum": [m.value for m in enum] + ["unknown"]}, {"type": "null"}], "description": none})]


DATETIME = "datetime"


def calendar_day(value: Any) -> _dt.date | str | None:
    """The one reading of a day: a YAML date or an ISO 'YYYY-MM-DD' text is that day; a date and time is not a
    day (`DATETIME`); anything else is None. Each contract says in its own words what it expected."""
    if isinstance(value, _dt.datetime):
        return DATETIME
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
