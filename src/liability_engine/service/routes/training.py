"""GET /v1/training/exercises and POST /v1/training/grade: exercises for new inspectors, and grading."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ...errors import did_you_mean
from ..errors import ApiError
from ..models import ExercisesResponse, GradeResponse
from .common import BODY_ERRORS, NOT_FOUND, answer, body, document, state_of

__all__ = ["router"]

router = APIRouter()

_ENTRY = {"type": "object", "additionalProperties": False, "properties": {
    "finding": {"type": ["string", "null"]}, "article": {"type": ["string", "integer", "null"]},
    "paragraph": {"type": ["string", "integer", "null"]}, "item": {"type": ["string", "integer", "null"]},
    "liable": {"type": ["boolean", "string", "null"]}}}
_SHEET = {"type": "object", "additionalProperties": _ENTRY, "minProperties": 1}
SHEET_BODY = {"requestBody": {"required": True, "description": "An answer sheet: exercise id → answer", "content": {
    "application/json": {"schema": _SHEET}, "application/yaml": {"schema": _SHEET}}}}


@router.get("/training/exercises", response_model=ExercisesResponse, responses=NOT_FOUND,
            summary="Exercises for new inspectors: the story and the facts, not the answer")
async def exercises(request: Request,
                    topic: Optional[str] = Query(None, max_length=64, description="art8, art7.item2, art28 …"),
                    difficulty: Optional[int] = Query(None, ge=1, le=3),
                    count: Optional[int] = Query(None, ge=1, le=1000),
                    seed: Optional[int] = Query(None, ge=0, le=2**32, description="same seed, same exercises")
                    ) -> Response:
    from ... import training as tr

    state = state_of(request)
    trainer = await state.run(state.trainer)
    pool = tr.select(trainer.exercises, topic=topic, difficulty=difficulty)
    if not pool:
        topics = sorted({e.topic for e in trainer.exercises})
        raise ApiError.message(404, "not_found", "no_exercise", field="topic", value=topic, allowed=topics,
                               suggestion=did_you_mean(topic, topics) if topic else None)
    chosen = tr.select(pool, count=count, seed=seed, shuffle=seed is not None)
    out = []
    for ex in chosen:
        data = ex.as_file()
        data.pop("teaching_note", None)  # it gives the answer away
        out.append(data)
    return answer({"exercises": out}, state)


@router.post("/training/grade", response_model=GradeResponse, responses=BODY_ERRORS, openapi_extra=SHEET_BODY,
             summary="Grade an answer sheet (exercise id → finding, article, item, liable)")
async def grade(request: Request) -> Response:
    from ... import training as tr

    state = state_of(request)
    raw, is_json = await body(request, sheet=True)

    def work() -> dict[str, Any]:
        trainer = state.trainer()
        sheet = tr.sheet_from_document(document(raw, is_json, tr.TrainingError), state.engine.rulebook)
        return tr.sheet_report(trainer.grade_sheet(sheet))

    return answer({"report": await state.run(work)}, state)
