"""pydantic's validation errors of a document as `Problem`s: the one translator, for every contract.

Each contract says in its own words what one error means (`Describe`: facts files speak of fields,
rule files of keys and rules, exercise files of their own patterns); what every contract shares —
where the error is (line, column, field), which keys were allowed, how many problems are shown —
is done here once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..i18n import Message, msg
from ..wording import Bilingual
from .documents import Document, dotted

__all__ = ["Said", "Describe", "problems_of", "keys_at", "inner_model", "literal_allowed", "short", "found_words",
           "type_words", "pydantic_message"]


@dataclass
class Said:
    """What a contract says about one validation error."""

    message: str
    value: Any = None  #: the offending value, shown when it is a scalar
    allowed: list[str] | None = None
    suggestion: str | None = None
    rule_id: str | None = None
    #: the allowed values and the suggestion in Chinese words (values of the facts contract)
    allowed_zh: list[str] | None = None
    suggestion_zh: str | None = None


#: (pydantic's error, its location in the document) → what the contract says about it.
Describe = Callable[[dict[str, Any], tuple[Any, ...]], Said]


def problems_of(exc: ValidationError, doc: Document, describe: Describe, *, prefix: tuple[Any, ...] = (),
                limit: int | None = None, columns: bool = True,
                field: Callable[[tuple[Any, ...], tuple[Any, ...]], str | None] | None = None) -> list[Problem]:
    """The problems of a document that failed validation. `prefix`: where the validated data sits in the
    document; `limit`: at most that many, and a line saying how many more; `field(loc, err_loc)`: the
    field a problem names (default: the dotted location in the document)."""
    errors = exc.errors(include_url=False)
    problems = []
    for err in errors[:limit]:
        loc = prefix + tuple(err["loc"])
        said = describe(err, loc)
        line, column = doc.position(loc)
        problems.append(Problem(
            said.message, path=doc.path, line=line, column=column if columns else None,
            field=field(loc, tuple(err["loc"])) if field else dotted(loc) or None, rule_id=said.rule_id,
            value=said.value if isinstance(said.value, (str, int, float, bool)) else None,
            allowed=said.allowed, suggestion=said.suggestion, allowed_zh=said.allowed_zh,
            suggestion_zh=said.suggestion_zh))
    if limit is not None and len(errors) > limit:
        problems.append(Problem(msg("facts.more_problems", count=f"{len(errors) - limit:,}", shown=limit),
                                path=doc.path))
    return problems


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a field's annotation (`Effects`, `Case | None`, `list[Conduct]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The keys allowed in the mapping at `loc` of a document of `model` (None when that is no model):
    list indexes and the keys of dict-valued fields are stepped through; aliases are the keys."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = current.model_fields if hasattr(current, "model_fields") else {}
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if info is None:
            continue  # dict-valued fields (items: {1: ...}) have their own keys: step through
        current = inner_model(info.annotation)
    if current is None or not hasattr(current, "model_fields"):
        return None
    return [info.alias or name for name, info in current.model_fields.items()]


def literal_allowed(err: dict[str, Any]) -> list[str]:
    """The values a `literal_error` allowed (pydantic writes them as "'a', 'b' or 'c'")."""
    allowed = [e.strip(" '") for e in str((err.get("ctx") or {}).get("expected", "")).split(",")]
    allowed = [a for part in allowed for a in part.split(" or ")]
    return [a.strip(" '") for a in allowed if a.strip(" '")]


def short(value: Any) -> str:
    """A value as a message quotes it: its repr, cut at 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# pydantic's error types, said in the catalogue's words (key, the context values it needs)
_PYDANTIC: dict[str, tuple[str, tuple[str, ...]]] = {
    "string_type": ("facts.expected_text", ()), "string_too_long": ("facts.text_too_long", ("max_length",)),
    "string_too_short": ("facts.text_empty", ()), "dict_type": ("facts.expected_mapping", ()),
    "model_type": ("facts.expected_mapping", ()), "model_attributes_type": ("facts.expected_mapping", ()),
    "list_type": ("facts.expected_list", ()), "too_short": ("facts.too_few", ("min_length",)),
    "too_long": ("facts.too_many", ("max_length",)), "date_type": ("facts.date_expected", ()),
    "date_parsing": ("facts.date_expected", ()), "date_from_datetime_parsing": ("facts.date_expected", ()),
    "int_type": ("facts.expected_integer", ()), "int_parsing": ("facts.expected_integer", ()),
    "frozen_instance": ("facts.frozen", ()),
}


def pydantic_message(err: dict[str, Any]) -> Message:
    """pydantic's error in the catalogue's words (both languages): a validator's own Message, else the
    error type's sentence, else pydantic's English in the catalogue's frame."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    error = ctx.get("error")
    if kind == "value_error" and isinstance(error, ValueError) and error.args and isinstance(error.args[0], Message):
        return error.args[0]
    if kind in _PYDANTIC:
        key, names = _PYDANTIC[kind]
        return msg(key, **{name: ctx.get(name, "?") for name in names})
    detail = err["msg"]
    return msg("facts.invalid", detail=detail[len("Value error, "):] if detail.startswith("Value error, ") else detail)
def found_words(value: Any) -> Bilingual:
    """What was found, for a message: in words, not as pydantic's repr."""
    if value is None:
        return msg("facts.found_null").bilingual()
    if isinstance(value, bool):
        return Bilingual.pair(str(value).lower(), str(value).lower())
    if isinstance(value, (int, float)):
        return msg("facts.found_number", value=value).bilingual()
    if isinstance(value, str):
        return msg("facts.found_text", value=short(value)).bilingual()
    if isinstance(value, (list, tuple)):
        return msg("facts.found_list").bilingual()
    if isinstance(value, dict):
        return msg("facts.found_mapping").bilingual()
    if isinstance(value, _dt.datetime):  # a YAML timestamp: in words, not Python's type name ("found date")
        return msg("input_hunt.found_datetime", value=value.isoformat(sep=" ")).bilingual()
    if isinstance(value, _dt.date):
        return msg("input_hunt.found_date", value=value.isoformat()).bilingual()
    return Bilingual.pair(type(value).__name__, type(value).__name__)


def type_words(err: Any, loc: tuple[Any, ...]) -> Bilingual | None:
    """pydantic's error types in words for people; None where the message is the project's own."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    found = found_words(value)
    last = loc[-1] if loc else ""
    if kind == "missing":
        key, params = "facts.type_missing", {}
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        key, params = "facts.type_mapping", {"found": found}
    elif kind == "list_type":
        key, params = "facts.type_list", {"found": found}
    elif kind == "too_short" and last == "conducts":
        key, params = "facts.type_no_conduct", {}
    elif kind == "too_long" and last == "conducts":
        key, params = "facts.type_too_many_conducts", {"max_length": ctx.get("max_length")}
    elif kind in ("string_too_short", "too_short"):
        key, params = "facts.text_empty", {}
    elif kind in ("string_too_long", "too_long"):
        key, params = "facts.type_too_long", {"max_length": ctx.get("max_length")}
    elif kind in ("string_type", "string_unicode"):
        key, params = "facts.type_text", {"found": found}
    elif kind in ("bool_type", "bool_parsing"):
        key, params = "facts.type_bool", {"found": found}
    else:
        return None
    return msg(key, **params).bilingual()
