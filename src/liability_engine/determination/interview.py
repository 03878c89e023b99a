"""Interviews: ask for exactly the facts that would decide an undetermined conduct, one at a time.

The questions and the words for each answer come from the rulebook (vocabulary.yaml); which facts
are asked comes from the determination's `missing` (the unknown facts whose values lead to
different outcomes, and what the rules that left the conduct undetermined name), the fact that
decides most first. Started from nothing, every fact a rule reads is `unknown` (unknown is a
value): the interview asks until the outcome is determined, and what it saves holds only what was
answered (`unknown` where the user said so). No legal content here: only the loop of
evaluate → ask → re-evaluate.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ..evaluate.engine import Engine
from .explain import Words
from ..facts.model import SCHEMA, Facts, facts_from_data
from ..i18n import text

__all__ = ["Question", "Choice", "next_question", "answer", "start_facts", "facts_document", "start_document",
           "saved_document", "UNKNOWN_FACTS"]

# What nobody has established when an interview starts from nothing (every fact a rule may read).
UNKNOWN_FACTS = {"knowing": "unknown", "effects": {
    "wrongful_handling": "unknown", "serious_consequence": "unknown", "bad_influence": "unknown",
    "major_loss": "unknown", "conclusion_affected": "unknown", "accident": "unknown", "execution_incident": "unknown"}}


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


def next_question(engine: Engine, facts: Facts, as_of: _dt.date | None, lang: str,
                  asked: frozenset[tuple[int, str]] = frozenset()) -> Question | None:
    """The fact that decides most among those still missing (not yet asked), with its possible answers
    and where each leads, and `unknown`; None when the outcome is determined or nothing is left to ask."""
    det = engine.evaluate(facts, as_of=as_of)
    words = Words(engine.rulebook)
    undetermined = engine.rulebook.undetermined
    for index, c in enumerate(det.conducts):
        candidates = [m for m in c.missing if (index, m.field) not in asked and m.alternatives]

        def weight(m: Any) -> tuple[int, int]:  # more distinct outcomes, then more answers that decide
            outcomes = {(a.finding, a.liable) for a in m.alternatives}
            return (-len(outcomes), -sum(a.finding != undetermined for a in m.alternatives))

        for missing in sorted(candidates, key=weight):
            question = (missing.question_zh if lang == "zh" else missing.question) or words.question(missing.field, lang)
            choices = [Choice(_parse(a.value), words.value(missing.field, a.value, lang),
                              a.leads_to(engine.rulebook, engine.rulebook.finding_label(a.finding, lang), lang))
                       for a in missing.alternatives]
            choices.append(Choice("unknown", text("facts.unknown_word", lang), None))
            return Question(index, c.conduct_id, missing.field, question, choices)
    return None


def _parse(value: str) -> Any:
    return {"true": True, "false": False}.get(value, value)


def facts_document(facts: Facts) -> dict[str, Any]:
    return facts.model_dump(mode="json", by_alias=True, exclude_none=True)


def answer(document: dict[str, Any], conduct_index: int, field: str, value: Any) -> tuple[dict[str, Any], Facts]:
    """The document with one conduct's field set, and its facts (validated like any facts file)."""
    data = copy.deepcopy(document)
    target = data["conducts"][conduct_index] if not field.startswith("case.") else data
    *path, last = field.split(".")
    for part in path:
        target = target.setdefault(part, {})
    target[last] = value
    return data, facts_from_data(data)


def start_document(act: str, date: _dt.date) -> dict[str, Any]:
    """A one-conduct facts document for an interview from nothing: only the act and the date are
    known; every fact a rule may read is `unknown` (the fault, 明知, the effects, the kind of case)."""
    return {"schema": SCHEMA, "case": {"id": "INTERVIEW", "kind": "unknown"}, "person": {"id": "P"},
            "conducts": [{"id": "C1", "date": date.isoformat(), "act": act, "fault": "unknown",
                          **copy.deepcopy(UNKNOWN_FACTS)}]}


def start_facts(act: str, date: _dt.date, fault: str = "unknown") -> Facts:
    """The facts of `start_document` (with the fault, if known)."""
    data = start_document(act, date)
    data["conducts"][0]["fault"] = fault
    return facts_from_data(data)


def saved_document(document: dict[str, Any], answered: dict[tuple[int, str], Any],
                   from_nothing: bool) -> dict[str, Any]:
    """What an interview saves: the document as given (or, from nothing, its act and date) and the
    answers — never a value nobody stated (`unknown` only where the user answered so)."""
    data = copy.deepcopy(document)
    if from_nothing:
        kept = {(i, f) for (i, f), v in answered.items()}
        conduct = data["conducts"][0]
        for key in ("fault", "knowing"):
            if conduct.get(key) == "unknown" and (0, key) not in kept:
                conduct.pop(key)
        effects = conduct.get("effects", {})
        for key in list(effects):
            if effects[key] == "unknown" and (0, f"effects.{key}") not in kept:
                effects.pop(key)
        if not effects:
            conduct.pop("effects", None)
        if data["case"].get("kind") == "unknown" and not any(f == "case.kind" for _, f in kept):
            data["case"].pop("kind")
    return data
