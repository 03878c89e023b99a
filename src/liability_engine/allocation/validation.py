"""Checking a case file (`liability-facts/2`): its fields and values, in this contract's words, with a
did-you-mean; what its ids refer to is `references.py`."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import FactsError, Problem, did_you_mean
from ..facts.documents import Document
from ..facts.model import SCHEMA as FACTS_V1
from ..facts.model import Status, validation_problems
from ..facts.validation import found_words
from ..i18n import msg
from .casefile import SCHEMA, CaseFile, Defect, Role, VoteValue
from .references import references

__all__ = ["case_file_from_data"]


def _v2_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """The facts loader's problems, with this contract's fields and values for the did-you-mean."""
    from ..facts.model import _ENUMS_BY_FIELD

    enums: dict[str, type[Enum]] = dict(_ENUMS_BY_FIELD)
    enums.update({"person.role": Role, "person.status": Status, "defect": Defect, "vote": VoteValue})
    out = []
    for p in validation_problems(exc, doc):
        field = p.field or ""
        loc = _loc_of(field)
        generic = ".".join(str(x) for x in loc if not isinstance(x, int))
        if generic.startswith("persons.conducts."):
            generic = generic[len("persons.conducts."):]
        elif generic.startswith("persons."):
            generic = "person." + generic[len("persons."):]
        elif generic.startswith("decisions."):
            generic = generic.rsplit(".", 1)[-1]
        where = dict(path=p.path, line=p.line, column=p.column, field=p.field)
        if p.message.startswith("unknown field"):
            parent = _model_at_v2(loc[:-1])
            if parent is not None:
                allowed = [i.alias or n for n, i in parent.model_fields.items()]
                p = Problem(p.message, allowed=allowed, suggestion=did_you_mean(loc[-1], allowed), **where)
        elif "'yes', 'no' or 'unknown'" in p.message or p.allowed == ["yes", "no", "unknown"]:
            allowed = ["true", "false", "unknown"]
            p = Problem(msg("facts.expected_flag", value=repr(p.value)), value=p.value, allowed=allowed,
                        suggestion=did_you_mean(p.value, allowed), **where)
        elif generic in enums and not p.message.startswith("required field is missing") and p.allowed is None:
            allowed = [m.value for m in enums[generic]]
            p = Problem(msg("facts.unknown_value", value=repr(p.value)), value=p.value, allowed=allowed,
                        suggestion=did_you_mean(p.value, allowed), **where)
        elif generic in enums and p.allowed is not None and field.startswith(("persons", "decisions")):
            allowed = [m.value for m in enums[generic]]
            p = Problem(p.message, value=p.value, allowed=allowed, suggestion=did_you_mean(p.value, allowed),
                        **where)
        out.append(p)
    return out


def _loc_of(field: str) -> tuple[Any, ...]:
    out: list[Any] = []
    for part in field.replace("]", "").replace("[", ".").split("."):
        if part:
            out.append(int(part) if part.isdigit() else part)
    return tuple(out)


def _model_at_v2(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    from ..facts.validation import inner_model

    model: type[BaseModel] | None = CaseFile
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next((f for f in model.model_fields.values() if f.alias == part), None)
        if info is None:
            return None
        model = inner_model(info.annotation)
    return model


def case_file_from_data(data: Any, *, source: Document | None = None) -> CaseFile:
    """Validate already-parsed data as liability-facts/2, raising FactsError with located problems."""
    doc = source or Document(data=data, path="<data>")
    if not isinstance(data, dict):
        raise FactsError(Problem(msg("allocation.error.not_a_mapping", got=found_words(data)), path=doc.path, line=1))
    if data.get("schema") != SCHEMA:
        line, column = doc.position(("schema",))
        raise FactsError(Problem(msg("facts.unsupported_schema", value=repr(data.get("schema"))), path=doc.path, line=line, column=column,
                                 field="schema", allowed=[FACTS_V1, SCHEMA]))
    if "persons" not in data and ("person" in data or "conducts" in data):
        line, column = doc.position(("schema",))
        raise FactsError(Problem(msg("allocation.error.v1_shape"),
                                 path=doc.path, line=line, column=column, field="schema", value=SCHEMA,
                                 allowed=[FACTS_V1, SCHEMA], suggestion=FACTS_V1))
    try:
        case = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise FactsError(_v2_problems(exc, doc)) from None
    problems = references(case, doc)
    if problems:
        raise FactsError(problems)
    case._source = doc
    return case

