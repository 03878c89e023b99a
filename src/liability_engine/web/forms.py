"""The evaluate form: its state (what the user entered, as text) to facts and back.

Which fields a conduct has, and their values, come from the rulebook's schema (derived from the
facts models) and the words from its vocabulary; nothing legal is listed here. A yes/no fact
answered “unknown” is sent as `unknown` when the facts format accepts it for that field; where it
does not (yet), the field is left out, its documented default applies, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from pydantic import ValidationError

from .. import Conduct, Facts
from ..determination.explain import dotted_value  # a dotted field's value in facts data
from ..facts.model import SCHEMA
from ..facts.validation import inner_model
from ..rulebook import Rulebook

__all__ = ["FormState", "conduct_fields", "parse_form", "from_facts", "to_data", "accepts_unknown", "default_of",
           "MAX_CONDUCTS", "UNKNOWN"]

UNKNOWN = "unknown"
MAX_CONDUCTS = 50
_TEXT_LIMIT = 100_000
CASE_FIELDS = ("id", "kind", "summary")
PERSON_FIELDS = ("id", "name", "role", "status")


@dataclass
class FormState:
    case: dict[str, str] = field(default_factory=dict)
    person: dict[str, str] = field(default_factory=dict)
    conducts: list[dict[str, str]] = field(default_factory=lambda: [{}])

    def copy(self) -> "FormState":
        return FormState(dict(self.case), dict(self.person), [dict(c) for c in self.conducts])


def conduct_fields(rb: Rulebook) -> list[str]:
    """The conduct's facts a rule may read, in the schema's order (act, fault, knowing, effects…)."""
    return [name for name in rb.schema if not name.startswith(("case.", "person."))]


def _clip(value: str) -> str:
    """Bounded, but one character over the facts' limit kept: a text over it is refused by the facts' own check
    ("is too long (more than 100000 characters)"), not cut to the limit without a word (a pasted summary lost
    its end, in the page and in the facts file downloaded)."""
    return value[:_TEXT_LIMIT + 1]


def parse_form(items: Iterable[tuple[str, str]], rb: Rulebook) -> FormState:
    """`case.id`, `person.role`, `c0.act`, `c1.effects.bad_influence` … into a FormState."""
    state = FormState(conducts=[])
    conducts: dict[int, dict[str, str]] = {}
    allowed = {"id", "date", "summary", *conduct_fields(rb)}
    for key, value in items:
        if not isinstance(value, str):
            continue
        head, _, rest = key.partition(".")
        if head == "case" and rest in CASE_FIELDS:
            state.case[rest] = _clip(value)
        elif head == "person" and rest in PERSON_FIELDS:
            state.person[rest] = _clip(value)
        elif head[:1] == "c" and head[1:].isdigit() and rest in allowed:
            index = int(head[1:])
            if index < MAX_CONDUCTS:
                conducts.setdefault(index, {})[rest] = _clip(value)
    state.conducts = [conducts[i] for i in sorted(conducts)] or [{}]
    return state


def from_facts(facts: Facts, rb: Rulebook) -> FormState:
    """The form showing a facts document (an uploaded file): what the file says, not the defaults it left
    out (a field the file did not state stays “not given” in the form)."""
    source = getattr(facts, "_source", None)
    raw = getattr(source, "data", None)
    data = raw if isinstance(raw, Mapping) else facts.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    state = FormState(conducts=[])
    for name in CASE_FIELDS:
        state.case[name] = _text(dotted_value(data, f"case.{name}"))
    for name in PERSON_FIELDS:
        state.person[name] = _text(dotted_value(data, f"person.{name}"))
    for conduct in data.get("conducts") or []:
        if not isinstance(conduct, Mapping):
            continue
        row = {"id": _text(conduct.get("id")), "date": _text(conduct.get("date")),
               "summary": _text(conduct.get("summary"))}
        for name in conduct_fields(rb):
            row[name] = _text(dotted_value(conduct, name))
        if not conduct.get("outcome_change"):
            row.pop("outcome_change.cause", None)
        state.conducts.append(row)
    return state


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def _set(target: dict[str, Any], dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    for part in path:
        target = target.setdefault(part, {})
    target[last] = value


@lru_cache(maxsize=None)
def _minimal_act() -> str:
    annotation = Conduct.model_fields["act"].annotation
    return next(iter(annotation)).value  # type: ignore[call-overload]


@lru_cache(maxsize=None)
def accepts_unknown(name: str) -> bool:
    """Whether the facts format takes `unknown` for this conduct field."""
    data: dict[str, Any] = {"id": "x", "date": "2020-01-01", "act": _minimal_act()}
    if name.startswith("outcome_change.") and name != "outcome_change.kind":
        data["outcome_change"] = {"kind": _first_value("outcome_change.kind")}
    _set(data, name, UNKNOWN)
    try:
        Conduct.model_validate(data)
    except ValidationError:
        return False
    return True


def _first_value(name: str) -> str:
    model: Any = Conduct
    *path, last = name.split(".")
    for part in path:
        model = inner_model(model.model_fields[part].annotation)
    annotation = model.model_fields[last].annotation
    for arg in getattr(annotation, "__args__", (annotation,)):
        if isinstance(arg, type) and hasattr(arg, "__members__"):
            return next(iter(arg)).value
    raise KeyError(name)


def default_of(name: str) -> Any:
    """The documented default of a conduct field (what a field left out is read as)."""
    model: Any = Conduct
    *path, last = name.split(".")
    for part in path:
        model = inner_model(model.model_fields[part].annotation)
        if model is None:
            return None
    info = model.model_fields.get(last)
    if info is None or info.is_required():
        return None
    value = info.get_default(call_default_factory=True)
    return getattr(value, "value", value)


@dataclass(frozen=True)
class LeftOut:
    """A fact the user called unknown that the format cannot say yet: left out, read as its default."""

    conduct: str
    field: str
    default: Any


def to_data(state: FormState, rb: Rulebook) -> tuple[dict[str, Any], list[LeftOut]]:
    """The facts document the form says (validated by the caller, like any facts file)."""
    case = {k: v.strip() if k == "id" else v for k, v in state.case.items() if k in CASE_FIELDS and v.strip()}
    person = {k: v.strip() if k == "id" else v for k, v in state.person.items() if k in PERSON_FIELDS and v.strip()}
    conducts = []
    left_out: list[LeftOut] = []
    names = conduct_fields(rb)
    for index, row in enumerate(state.conducts):
        conduct: dict[str, Any] = {}
        for key in ("id", "date", "summary"):
            value = row.get(key, "").strip() if key != "summary" else row.get(key, "")
            if value.strip():
                conduct[key] = value
        has_change = bool(row.get("outcome_change.kind", "").strip())
        for name in names:
            raw = row.get(name, "").strip()
            if not raw or (name.startswith("outcome_change.") and not has_change):
                continue
            spec = rb.schema[name]
            if raw == UNKNOWN and not accepts_unknown(name):
                left_out.append(LeftOut(conduct.get("id") or f"#{index + 1}", name, default_of(name)))
                continue
            value: Any = raw
            if spec.kind == "bool" and raw in ("true", "false"):
                value = raw == "true"
            _set(conduct, name, value)
        conducts.append(conduct)
    data = {"schema": SCHEMA, "case": case, "person": person, "conducts": conducts}
    return data, left_out

