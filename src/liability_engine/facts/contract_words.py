"""The facts contract's words for pydantic's validation errors (en and zh): what `load_facts` and
`parse_facts` say about an invalid facts document, through the one translator in `validation.py`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import Problem, did_you_mean
from .documents import Document
from .model import _ENUMS_BY_FIELD, _FLAGS, _UNKNOWN_ALLOWED, MAX_PROBLEMS, Facts
from .validation import (Said, found_words, keys_at, literal_allowed, problems_of, pydantic_message, short,
                         type_words)
from ..i18n import Message, msg, text
from ..i18n.vocabulary import code_for, value_words

__all__ = ["validation_problems"]

def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """A facts document's validation errors in the words of the facts contract (at most MAX_PROBLEMS)."""
    return problems_of(exc, doc, _describe, limit=MAX_PROBLEMS)


def _words(pair: Any) -> Message:
    return Message(pair.en, pair.zh)


def _describe(err: dict[str, Any], loc: tuple[Any, ...]) -> Said:
    """A facts file's validation error in the words of the facts contract (the catalogue's, en and zh; a
    contract value also by its Chinese word)."""
    kind, value = err["type"], err.get("input")
    generic = ".".join(str(p) for p in loc if not isinstance(p, int))
    generic = generic.replace("conducts.", "", 1) if generic.startswith("conducts.") else generic
    enum = _ENUMS_BY_FIELD.get(generic)
    if kind == "extra_forbidden":
        allowed = keys_at(Facts, loc[:-1])
        return Said(msg("facts.unknown_field", name=loc[-1]), allowed=allowed,
                    suggestion=did_you_mean(loc[-1], allowed or []))
    if kind == "missing":
        words = type_words(err, loc)
        return Said(_words(words), allowed=[m.value for m in enum] if enum else None)  # type: ignore[union-attr]
    if enum is not None:
        allowed = [m.value for m in enum] + (["unknown"] if generic in _UNKNOWN_ALLOWED else [])
        if value is None:
            return Said(msg("facts.no_value"), allowed=allowed)
        words_zh = value_words().get(generic, {})
        allowed_zh = [words_zh.get(a) or (text("facts.unknown_word", "zh") if a == "unknown" else a) for a in allowed]
        suggestion = did_you_mean(value, allowed)
        if suggestion is None and isinstance(value, str):  # a Chinese word: the nearest Chinese word
            word = did_you_mean(value, allowed_zh)
            suggestion = code_for(generic, word) if word else None
        return Said(msg("facts.unknown_value", value=short(value)), value=value, allowed=allowed,
                    suggestion=suggestion, allowed_zh=allowed_zh,
                    suggestion_zh=words_zh.get(suggestion) if suggestion else None)
    if kind in ("enum", "literal_error"):
        return Said(msg("facts.unsupported_value", value=short(value)), value=value, allowed=literal_allowed(err))
    if kind in ("bool_type", "bool_parsing") or generic in _FLAGS:  # a flag: unknown is a value too
        return Said(msg("facts.expected_flag", value=_words(found_words(value))), value=value,
                    allowed=["true", "false", "unknown"])
    words = type_words(err, loc)
    if words is not None:
        return Said(_words(words), value=value)
    return Said(pydantic_message(err), value=value)
