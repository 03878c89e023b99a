"""The facts contract's words for pydantic's validation errors (en and zh): what `load_facts` and
`parse_facts` say about an invalid facts document, through the one translator in `validation.py`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import Problem, did_you_mean
from .documents import Document
from .model import _ENUMS_BY_FIELD, _FLAGS, _UNKNOWN_ALLOWED, MAX_PROBLEMS, Facts
from .validation import Said, found_words, keys_at, literal_allowed, problems_of, short, type_words

__all__ = ["validation_problems"]

def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """A facts document's validation errors in the words of the facts contract (at most MAX_PROBLEMS)."""
    return problems_of(exc, doc, _describe, limit=MAX_PROBLEMS)


def _describe(err: dict[str, Any], loc: tuple[Any, ...]) -> Said:
    """A facts file's validation error in the words of the facts contract (en and zh)."""
    kind, value, message = err["type"], err.get("input"), err["msg"]
    generic = ".".join(str(p) for p in loc if not isinstance(p, int))
    generic = generic.replace("conducts.", "", 1) if generic.startswith("conducts.") else generic
    enum = _ENUMS_BY_FIELD.get(generic)
    if kind == "extra_forbidden":
        allowed = keys_at(Facts, loc[:-1])
        return Said(f"unknown field '{loc[-1]}'", message_zh=f"未知字段 '{loc[-1]}'", allowed=allowed,
                    suggestion=did_you_mean(loc[-1], allowed or []))
    if kind == "missing":
        words = type_words(err, loc)
        return Said(words.en, message_zh=words.zh, allowed=[m.value for m in enum] if enum else None)  # type: ignore[union-attr]
    if enum is not None:
        allowed = [m.value for m in enum] + (["unknown"] if generic in _UNKNOWN_ALLOWED else [])
        if value is None:
            return Said("no value given: choose one of the allowed values (or leave the field out for its default)",
                        message_zh="未给出取值：请从允许的取值中选择（或删去该字段以使用默认值）", allowed=allowed)
        return Said(f"unknown value {short(value)}", message_zh=f"未知取值 {short(value)}", value=value,
                    allowed=allowed, suggestion=did_you_mean(value, allowed))
    if kind in ("enum", "literal_error"):
        return Said(f"unsupported value {short(value)}", message_zh=f"不支持的取值 {short(value)}", value=value,
                    allowed=literal_allowed(err))
    if kind in ("bool_type", "bool_parsing") or generic in _FLAGS:  # a flag: unknown is a value too
        found = found_words(value)
        return Said(f"expected true, false or unknown, found {found.en}", value=value,
                    message_zh=f"此处应为 true、false 或 unknown，实际为{found.zh}", allowed=["true", "false", "unknown"])
    words = type_words(err, loc)
    if words is not None:
        return Said(words.en, message_zh=words.zh, value=value)
    if message.startswith("Value error, "):  # the project's own validators: their words stand
        return Said(message[len("Value error, "):], value=value)
    return Said(f"{message[0].lower()}{message[1:]} (found {found_words(value).en})", value=value)
