"""Problems found while loading a rulebook, gathered across files so that one check reports them all;
and the file models' validation errors turned into them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, RulesError, did_you_mean
from ..facts.documents import Document, dotted, read_document
from ..facts.validation import Said, keys_at, literal_allowed, problems_of, pydantic_message
from ..i18n import Message, msg

__all__ = ["Collector", "validate", "read"]


class Collector:
    """Gathers problems across files so one check reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, doc: Document | None, loc: tuple[Any, ...], message: Message, *, rule_id: str | None = None,
            value: Any = None, allowed: list[str] | None = None, suggestion: str | None = None,
            path: str | None = None) -> None:
        line, column = doc.position(loc) if doc else (None, None)
        self.problems.append(Problem(message, path=doc.path if doc else path, line=line, column=column,
                                     field=dotted(loc) or None, rule_id=rule_id,
                                     value=value if isinstance(value, (str, int, float, bool)) else None,
                                     allowed=allowed, suggestion=suggestion))


def read(path: Path, out: Collector, limit: int = 2 * 1024 * 1024) -> Document | None:
    """The rule file at `path` read safely, or None with its problems added to `out`."""
    try:
        return read_document(path, RulesError, limit=limit)
    except RulesError as exc:
        out.problems.extend(exc.problems)
        return None


def validate(model: type[BaseModel], doc: Document, out: Collector) -> Any:
    """The file's model, or None with its problems in `out`."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        def describe(err: dict[str, Any], loc: tuple[Any, ...]) -> Said:
            return _describe(model, doc, err, loc)

        out.problems.extend(problems_of(exc, doc, describe))
        return None


def _describe(model: type[BaseModel], doc: Document, err: dict[str, Any], loc: tuple[Any, ...]) -> Said:
    """A rule file's validation error in the words of the rule files."""
    rule_id = _rule_id_at(doc.data, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = keys_at(model, loc[:-1])
        return Said(msg("rules.unknown_key", key=loc[-1]), rule_id=rule_id, allowed=allowed,
                    suggestion=did_you_mean(str(loc[-1]), allowed or []))
    if kind == "missing":
        return Said(msg("rules.missing_key"), rule_id=rule_id)
    value = err.get("input")
    message = pydantic_message(err)
    if isinstance(value, (str, int, float, bool)):
        message = message + msg("facts.got", value=repr(value))
    allowed = literal_allowed(err) if kind == "literal_error" else None
    return Said(message, rule_id=rule_id, value=value, allowed=allowed,
                suggestion=did_you_mean(value, allowed or []) if isinstance(value, str) else None)


def _rule_id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] in ("rules", "temporal_rules") and isinstance(loc[1], int):
        try:
            rid = data[loc[0]][loc[1]].get("id")
            return str(rid) if rid is not None else None
        except (KeyError, IndexError, AttributeError, TypeError):
            return None
    return None
