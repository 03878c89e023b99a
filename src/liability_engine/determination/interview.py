"""Interviews: ask for exactly the facts that would decide an undetermined conduct, one at a time.

The questions and the words for each answer come from the rulebook (vocabulary.yaml); which facts
are asked comes from the `missing:` of the rules that left the conduct undetermined. No legal
content here: only the loop of evaluate → ask → re-evaluate.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ..evaluate.engine import Engine
from .explain import Words
from ..facts.model import SCHEMA, Facts, facts_from_data
from ..i18n import text

__all__ = ["Question", "Choice", "next_question", "answer", "start_facts", "facts_document"]


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    leads_to: str | None  # the finding this answer gives, when known


@dataclass(frozen=True)
class Question:
    conduct_index: int
    conduct_id: str
    field: str
    text: str
    choices: list[Choice]


def _cite(alternative: Any, lang: str) -> str:
    label = alternative.label_in(lang)
    return text("report.paren", lang, text=label) if label else ""


def next_question(engine: Engine, facts: Facts, as_of: _dt.date | None, lang: str) -> Question | None:
    """The first fact still missing, with its possible answers and where each leads; None when decided."""
    det = engine.evaluate(facts, as_of=as_of)
    words = Words(engine.rulebook)
    for index, c in enumerate(det.conducts):
        for missing in c.missing:
            question = (missing.question_zh if lang == "zh" else missing.question) or words.field(missing.field, lang)
            choices = [Choice(_parse(a.value), words.value(missing.field, a.value, lang),
                              engine.rulebook.finding_label(a.finding, lang) + _cite(a, lang))
                       for a in missing.alternatives]
            if choices:
                return Question(index, c.conduct_id, missing.field, question, choices)
    return None


def _parse(value: str) -> Any:
    return {"true": True, "false": False}.get(value, value)


def facts_document(facts: Facts) -> dict[str, Any]:
    return facts.model_dump(mode="json", by_alias=True, exclude_none=True)


def answer(facts: Facts, conduct_index: int, field: str, value: Any) -> Facts:
    """The facts with one conduct's field set (validated like any facts file)."""
    data = facts_document(facts)
    target = data["conducts"][conduct_index]
    *path, last = field.split(".")
    for part in path:
        target = target.setdefault(part, {})
    target[last] = value
    return facts_from_data(data)


def start_facts(act: str, date: _dt.date, fault: str = "unknown") -> Facts:
    """A one-conduct facts document to start an interview from nothing."""
    return facts_from_data({"schema": SCHEMA, "case": {"id": "INTERVIEW"}, "person": {"id": "P"},
                            "conducts": [{"id": "C1", "date": date, "act": act, "fault": fault}]})
