"""`liability train --topic allocation --answers SHEET`: grade an allocation answer sheet (exercise id → question →
result) against the engine; what cannot be graded is refused where it stands, the rest is still graded."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..errors import LiabilityError, Problem, did_you_mean
from ..i18n import keys_of, msg, word
from ._common import Exit, fail

__all__ = ["grade_allocation_sheet"]


def grade_allocation_sheet(out: Any, engine: Any, exercises: list[Any], answers: str, as_json: bool) -> None:
    """An answer sheet (exercise id → {question: result}) graded against the engine."""
    from ..allocation import training as at
    from ..facts.documents import read_document

    try:
        doc = read_document(answers, at.TrainingError, stdin=lambda: sys.stdin.buffer.read())
    except LiabilityError as exc:
        fail(exc)
        return
    sheet = doc.data
    if not isinstance(sheet, dict):
        fail(LiabilityError(Problem(msg("cli.allocation_sheet"), path=answers)))
    given, problems = _allocation_answers(sheet, exercises, doc, answers)
    graded = []
    for e in exercises:
        if e.id in given:
            graded += [(e.id, *row[:4]) for row in at.grade(engine, e, given[e.id])]
    if problems:  # after the grading, as the Art. 7-9 sheet does: the answers that could be read still count
        from .. import render

        render.print_error(render.stderr_console(), at.TrainingError(problems))
    _allocation_graded(out, graded, as_json)
    if problems:
        raise Exit(2)


def _allocation_answers(sheet: dict[Any, Any], exercises: list[Any], doc: Any,
                        path: str) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The answers that can be read (exercise id → question → result), and a located problem for each that
    cannot: an exercise or a question that does not exist, an entry that is not a mapping, a result that is none
    of the results (it was graded wrong, or silently skipped, or an internal error)."""
    from ..allocation import training as at

    def problem(loc: tuple[Any, ...], message: Any, **extra: Any) -> Problem:
        line, column = doc.position(loc)
        return Problem(message, path=path, line=line, column=column,
                       field=".".join(str(part) for part in loc), **extra)

    by_id = {e.id: e for e in exercises}
    results = list(keys_of("allocation.result"))
    given: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for exercise_id, entry in sheet.items():
        exercise = by_id.get(str(exercise_id))
        if exercise is None:
            problems.append(problem((exercise_id,), msg("input_guard.no_allocation_exercise", id=exercise_id),
                                    value=str(exercise_id), suggestion=did_you_mean(str(exercise_id), by_id)))
            continue
        if not isinstance(entry, dict):
            problems.append(problem((exercise_id,), msg("input_guard.allocation_entry")))
            continue
        questions = [at.question_key(q) for q in exercise.questions]
        answered: dict[str, str] = {}
        for question, value in entry.items():
            if str(question) not in questions:
                problems.append(problem((exercise_id, question), msg("input_guard.no_allocation_question",
                                                                    question=question), value=str(question),
                                        allowed=questions, suggestion=did_you_mean(str(question), questions)))
                continue
            if value is None:  # left blank: not answered, graded as such
                continue
            result = at.parse_result(str(value)) if isinstance(value, (str, int, float)) else None
            if result is None:
                problems.append(problem((exercise_id, question), msg("input_guard.allocation_result", value=value),
                                        value=str(value), allowed=results,
                                        allowed_zh=[word(f"allocation.result.{r}", "zh", r) for r in results],
                                        suggestion=did_you_mean(str(value), results)))
                continue
            answered[str(question)] = result
        given[exercise.id] = answered
    return given, problems


def _allocation_graded(out: Any, graded: list[Any], as_json: bool) -> None:
    right = sum(1 for row in graded if row[4])
    if as_json:
        sys.stdout.write(json.dumps({"correct": right, "total": len(graded), "answers": [
            {"exercise": x, "question": q, "given": g, "expected": exp, "correct": ok}
            for x, q, g, exp, ok in graded]}, ensure_ascii=False, indent=2) + "\n")
        return
    for x, q, g, exp, ok in graded:
        out.print(f"{'✓' if ok else '✗'} {x} {q}: {g or '—'} → {exp}")
    out.print(f"{right}/{len(graded)}")
