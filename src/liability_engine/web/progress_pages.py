"""`/train/progress` (one trainee's accuracy per article and per day) and `/train/class` (the
instructor's view: every trainee's graded answer sheets), read from the records the trainer page keeps."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from . import records
from .pages import Pages, Visit

__all__ = ["add_routes"]


def add_routes(router: APIRouter, pages: Pages) -> None:
    config = pages.config

    @router.get("/train/progress", response_class=HTMLResponse)
    def progress(visit: Visit = Depends(pages.signed_in)) -> Response:
        trainee, klass = visit.query("trainee").strip(), visit.query("class").strip()
        view = {"chart": None, "table": None, "days": []}
        if trainee and records.valid_name(trainee) and (not klass or records.valid_name(klass)):
            view = records.progress_view(config.data_dir, klass, trainee, visit.lang)
        return pages.render(visit, "train_progress.html", trainee=trainee, klass=klass, **view)

    @router.get("/train/class", response_class=HTMLResponse)
    def class_view(visit: Visit = Depends(pages.signed_in)) -> Response:
        klass = visit.query("class").strip()
        asked = "class" in visit.request.query_params
        trainees = []
        if asked and (not klass or records.valid_name(klass)):
            trainees = records.class_sheets(config.data_dir, klass, config.engine.rulebook, visit.lang)
        return pages.render(visit, "train_class.html", klass=klass, trainees=trainees, asked=asked)
