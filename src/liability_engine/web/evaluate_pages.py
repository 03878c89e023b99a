"""`/`, `/upload`, `/download/…`: evaluate one case — a form, or an uploaded facts file — with the
interview in place (an undetermined conduct's missing facts are buttons that answer and evaluate again).

The engine is the CLI's (`Engine.explain`); this module turns the form into facts (forms.py) and the
determination into the page (present.py). Every determination shown goes to the decision log.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from .. import Engine, FactsError, parse_facts
from ..determination.explain import Words
from ..errors import Problem
from ..facts import facts_from_data
from ..i18n import localized, msg
from . import forms, present
from .pages import SECURITY_HEADERS, Pages, Visit, remember_lang

__all__ = ["add_routes"]

MAX_UPLOAD = 1024 * 1024


class _Evaluation:
    """The evaluate page of one configuration: the form, and its determination when asked."""

    def __init__(self, pages: Pages):
        self.pages, self.config = pages, pages.config

    def show(self, visit: Visit, state: forms.FormState, *, evaluate: bool, status: int = 200,
             problems: list[Problem] | None = None) -> Response:
        """The form (and, when asked, its determination) in the visit's language."""
        rb, lang = self.config.engine.rulebook, visit.lang
        ctx: dict[str, Any] = {"state": state, "problems": problems or [], "left_out": [], "result": None}
        if evaluate and not problems:
            outcome = _evaluate(self.config.engine, state)
            self.log(visit, outcome)
            if isinstance(outcome, FactsError):
                ctx["problems"], status = outcome.problems, 422
            else:
                det, left_out, _, _ = outcome
                ctx["result"] = present.determination_view(rb, det, lang)
                ctx["left_out"] = present.left_out_view(rb, left_out, lang)
        ctx["problems"] = [problem_view(p, lang) for p in ctx["problems"]]
        ctx.update(_form_context(rb, lang))
        return self.pages.render(visit, "evaluate.html", status=status, **ctx)

    def log(self, visit: Visit, outcome: Any) -> None:
        """The determination shown, into the service's decision log (caller: the token's name)."""
        if self.config.record is not None and not isinstance(outcome, FactsError):
            det, _, facts, _ = outcome
            caller = (visit.session.user if visit.session else None) or "anonymous"
            self.config.record(facts, det, caller, visit.request.url.path)


def add_routes(router: APIRouter, pages: Pages) -> None:
    page = _Evaluation(pages)
    _add_form_routes(router, pages, page)
    _add_file_routes(router, pages, page)


def _add_form_routes(router: APIRouter, pages: Pages, page: _Evaluation) -> None:
    @router.get("/", response_class=HTMLResponse)
    def evaluate_form(visit: Visit = Depends(pages.signed_in)) -> Response:
        return page.show(visit, forms.FormState(conducts=[{"id": "C1"}]), evaluate=False)

    @router.post("/", response_class=HTMLResponse)
    def evaluate_post(visit: Visit = Depends(pages.posted)) -> Response:
        state = forms.parse_form(visit.form.multi_items(), pages.config.engine.rulebook)
        action = visit.field("action", "evaluate")
        evaluate = _apply(state, action, pages.config.engine.rulebook, evaluated=visit.field("evaluated") == "1")
        if action not in ("lang:zh", "lang:en"):
            return page.show(visit, state, evaluate=evaluate)
        visit.lang = action[5:]  # the language switch that keeps what was entered
        response = page.show(visit, state, evaluate=evaluate)
        remember_lang(response, visit.lang)
        return response


def _add_file_routes(router: APIRouter, pages: Pages, page: _Evaluation) -> None:
    config = pages.config

    @router.post("/upload", response_class=HTMLResponse)
    def upload(visit: Visit = Depends(pages.posted)) -> Response:
        file = visit.form.get("facts_file")
        raw = file.file.read(MAX_UPLOAD + 1) if isinstance(file, UploadFile) else b""
        name = getattr(file, "filename", None) or "upload"
        try:
            if len(raw) > MAX_UPLOAD:
                raise FactsError(Problem(msg("web.file_too_large", kib=MAX_UPLOAD // 1024), path=name))
            facts = parse_facts(raw, Path(name).name)
        except FactsError as exc:
            return page.show(visit, forms.FormState(conducts=[{"id": "C1"}]), evaluate=False, status=422,
                             problems=exc.problems)
        return page.show(visit, forms.from_facts(facts, config.engine.rulebook), evaluate=True)

    @router.post("/download/{what}")
    def download(what: str, visit: Visit = Depends(pages.posted)) -> Response:
        rb = config.engine.rulebook
        state = forms.parse_form(visit.form.multi_items(), rb)
        outcome = _evaluate(config.engine, state)
        if isinstance(outcome, FactsError):
            return page.show(visit, state, evaluate=False, status=422, problems=outcome.problems)
        page.log(visit, outcome)
        det, _, facts, data = outcome
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", det.case_id)[:60].strip("._") or "case"
        if what == "facts.yaml":
            # what the form said, no more: defaults nobody stated are not written out as facts
            body = yaml.safe_dump(_dated(data), allow_unicode=True, sort_keys=False)
            return _attachment(body, f"{stem}.facts.yaml", "application/yaml; charset=utf-8")
        if what == "report.md":
            from ..render import markdown_report

            return _attachment(markdown_report(rb, det, visit.lang, facts), f"{stem}.report.{visit.lang}.md",
                               "text/markdown; charset=utf-8")
        return pages.error(visit, 404, "not_found")


def _apply(state: forms.FormState, action: str, rb: Any, *, evaluated: bool) -> bool:
    """What the button pressed does to the form; whether the page then evaluates it."""
    if action == "add" and len(state.conducts) < forms.MAX_CONDUCTS:
        state.conducts.append({"id": _next_id(state)})
        return False
    if action.startswith("remove:") and len(state.conducts) > 1:
        index = _int(action[7:])
        if index is not None and 0 <= index < len(state.conducts):
            del state.conducts[index]
        return False
    if action.startswith("answer:"):  # a missing fact answered: answer:<conduct>:<field>:<value>
        parts = action.split(":", 3)
        index = _int(parts[1]) if len(parts) == 4 else None
        if index is not None and 0 <= index < len(state.conducts) and parts[2] in forms.conduct_fields(rb):
            state.conducts[index][parts[2]] = parts[3]
        return True
    return action == "evaluate" or evaluated


def _evaluate(engine: Engine, state: forms.FormState) -> Any:
    """(determination with explanations, the unknowns left out, the facts, their data) or the FactsError."""
    data, left_out = forms.to_data(state, engine.rulebook)
    try:
        facts = facts_from_data(data)
        det = engine.explain(facts)
    except FactsError as exc:
        return exc
    return det, left_out, facts, data


def problem_view(problem: Problem, lang: str) -> dict[str, Any]:
    """A problem with the facts, in the page's language (the allowed values in the vocabulary's words)."""
    zh = lang == "zh"
    allowed = problem.allowed_zh if zh and problem.allowed_zh else problem.allowed
    suggestion = problem.suggestion_zh if zh and problem.suggestion_zh else problem.suggestion
    return {"field": problem.field, "message": localized(problem.message, lang), "line": problem.line,
            "allowed": list(allowed or []), "suggestion": suggestion}


def _dated(data: dict[str, Any]) -> dict[str, Any]:
    """The facts data with each conduct's date as a date (YAML writes it unquoted, as people do)."""
    out = dict(data)
    out["conducts"] = [{**c, "date": _dt.date.fromisoformat(c["date"])} if isinstance(c.get("date"), str) else c
                       for c in data["conducts"]]
    return out


def _form_context(rb: Any, lang: str) -> dict[str, Any]:
    """The form's choices: each conduct field with its words and values, in the rulebook's words."""
    words = Words(rb)

    def options(name: str) -> list[tuple[str, str]]:
        return [(v, words.value(name, v, lang)) for v in rb.schema[name].values]

    fields = [{"name": name, "label": words.field(name, lang), "kind": rb.schema[name].kind,
               "options": options(name)}
              for name in forms.conduct_fields(rb) if name != "act"]
    return {"acts": present.act_groups(rb, lang), "fields": fields,
            "case_kinds": options("case.kind"), "roles": options("person.role"), "statuses": options("person.status")}


def _next_id(state: forms.FormState) -> str:
    taken = {c.get("id") for c in state.conducts}
    n = len(state.conducts) + 1
    while f"C{n}" in taken:
        n += 1
    return f"C{n}"


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 6 else None


def _attachment(body: str, filename: str, media_type: str) -> Response:
    headers = dict(SECURITY_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body.encode("utf-8"), media_type=media_type, headers=headers)
