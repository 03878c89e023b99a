"""Allocation exercises (who bears what), graded by the engine: `liability train --topic allocation`.

An exercise is a story (zh, en), a case file (`liability-facts/2`) and questions: for a person and a
decision (or one of their conducts), what do they answer for on one head (the decision, the facts
reported, their vote, the execution, …)? The answer key is the engine's determination; the feedback
is the allocation rule, its source and its confidence. No answer is written in the exercise files.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..facts.documents import read_document
from ..errors import LiabilityError, Problem, did_you_mean
from ..i18n import keys_of, msg, word
from ..resources import PACKAGE_DIR, bundled
from ..rulebook.files import Bilingual
from ..training.bank import ExerciseFileBase, TrainingError
from .casefile import CaseFile, case_file_from_data
from .determination import Allocation, CaseDetermination
from .evaluate import HEAVIEST
from .rules import ANSWERS, RESULTS

__all__ = ["AllocationExercise", "load_allocation_bank", "bundled_allocation_bank", "answer_key", "grade",
           "question_key", "AS_OF"]

AS_OF = _dt.date(2026, 1, 1)  # exercises are judged as of a fixed day, so the key never drifts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    person: str
    decision: str | None = None
    conduct: str | None = None
    answers_for: str


class _File(ExerciseFileBase):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=200)
    topic: str = Field(pattern=r"^allocation(\.[A-Za-z0-9_]+)*$")
    questions: list[Question] = Field(min_length=1)


@dataclass(frozen=True)
class AllocationExercise:
    id: str
    topic: str
    difficulty: int
    narrative: Bilingual
    case: CaseFile
    questions: tuple[Question, ...]
    teaching_note: Bilingual | None
    path: str


def question_key(q: Question) -> str:
    """How a question is named in an answer sheet: person/decision/head (or person/conduct/head)."""
    return f"{q.person}/{q.decision or q.conduct}/{q.answers_for}"


def bundled_allocation_bank() -> Path:
    found = bundled("allocation-exercises", "examples/allocation-exercises")
    if found is None:
        raise TrainingError(Problem(msg("allocation.error.bank_missing"),
                                    path=str(PACKAGE_DIR / "allocation-exercises")))
    return found


def load_allocation_bank(folder: Path | None = None) -> list[AllocationExercise]:
    folder = folder or bundled_allocation_bank()
    problems: list[Problem] = []
    out: list[AllocationExercise] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = read_document(path, TrainingError)
            spec = _File.model_validate(doc.data)
            case = case_file_from_data(spec.facts)
        except ValidationError as exc:
            problems.extend(Problem(e["msg"], path=str(path), field=".".join(map(str, e["loc"])))
                            for e in exc.errors(include_url=False))
            continue
        except LiabilityError as exc:
            problems.extend(Problem(p.message, path=str(path), field=f"facts.{p.field}" if p.field else "facts",
                                    value=p.value, allowed=p.allowed, suggestion=p.suggestion) for p in exc.problems)
            continue
        for i, q in enumerate(spec.questions):
            ids = [p.id for p in case.persons]
            if q.person not in ids:
                problems.append(Problem(msg("allocation.error.no_person", person=q.person), path=str(path), field=f"questions[{i}].person",
                                        allowed=ids, suggestion=did_you_mean(q.person, ids)))
            if q.answers_for not in ANSWERS:
                problems.append(Problem(msg("allocation.error.unknown_head", head=q.answers_for), path=str(path),
                                        field=f"questions[{i}].answers_for", allowed=list(ANSWERS),
                                        suggestion=did_you_mean(q.answers_for, ANSWERS)))
        out.append(AllocationExercise(spec.id, spec.topic, spec.difficulty, spec.narrative, case,
                                      tuple(spec.questions), spec.teaching_note, str(path)))
    if problems:
        raise TrainingError(problems)
    return out


def _found(det: CaseDetermination, q: Question) -> list[Allocation]:
    person = next(p for p in det.persons if p.person_id == q.person)
    return [a for a in person.allocations if a.answers_for == q.answers_for
            and (a.decision_id == q.decision if q.decision else a.conduct_id == q.conduct)]


def answer_key(engine: Any, ex: AllocationExercise) -> dict[str, tuple[str, list[Allocation]]]:
    """question → (the engine's result, the allocations behind it); `none` when no rule speaks to it."""
    det = engine.evaluate_case(ex.case, as_of=AS_OF)
    out = {}
    for q in ex.questions:
        found = _found(det, q)
        # several parts on one head (e.g. reporter and executor): the heaviest result answers the question
        results = sorted({a.result for a in found}, key=HEAVIEST.index)
        out[question_key(q)] = (results[0] if results else "none", found)
    return out


def grade(engine: Any, ex: AllocationExercise, given: dict[str, str]) -> list[tuple[str, str | None, str, bool,
                                                                                    list[Allocation]]]:
    """(question, given, expected, correct, the allocations) for each question."""
    key = answer_key(engine, ex)
    rows = []
    for q, (expected, found) in key.items():
        answer = given.get(q)
        rows.append((q, answer, expected, answer == expected, found))
    return rows


def parse_result(raw: str) -> str | None:
    """A result written as its id or its zh/en words."""
    text = raw.strip().lower()
    for rid in keys_of("allocation.result"):
        key = f"allocation.result.{rid}"
        if text in (rid, word(key, "zh", rid).lower(), word(key, "en", rid).lower()):
            return rid
    return text if text in RESULTS else None
