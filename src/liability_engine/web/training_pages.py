"""`/train`, `/train/progress`, `/train/class`: the trainer of `liability train`, in the browser.

A session's state (the exercises chosen, where the trainee is, the answers so far) travels in the
form, so any worker can serve any step; grading is `Trainer.grade` and the record is the training
module's progress file and graded-sheet report, one folder per class and trainee under the
service's data folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .. import training as tr  # the training package: bank, selection, grading, progress

from . import present
from .routes import WebConfig, dir_name, name_dir, new_sid, valid_name
from .words import say

__all__ = ["add_routes"]

MAX_COUNT = 20
SHEET_PREFIX = "sheet-"


def _trainee_dir(config: WebConfig, klass: str, trainee: str) -> Path:
    return config.data_dir / name_dir(klass) / name_dir(trainee)


def _topics(trainer: Any) -> list[str]:
    """Topic prefixes (art7, art8 …) then the topics themselves, as the bank has them."""
    topics = sorted({e.topic for e in trainer.exercises})
    heads = sorted({t.split(".")[0] for t in topics}, key=lambda t: (len(t), t))
    return heads + [t for t in topics if t not in heads]


def add_routes(router: APIRouter, config: WebConfig, page: Callable[..., Response],
               signed_in: Callable[..., Any], posted: Callable[..., Any], lang_of: Callable[[Request], str]) -> None:

    def state_of(form: Any) -> dict[str, Any]:
        ids = [i for i in str(form.get("ids") or "").split(",") if i][:MAX_COUNT]
        try:
            answers = json.loads(str(form.get("answers") or "[]"))
        except ValueError:
            answers = []
        if not isinstance(answers, list):
            answers = []
        pos = str(form.get("pos") or "0")
        return {"trainee": str(form.get("trainee") or ""), "klass": str(form.get("klass") or ""),
                "ids": ids, "pos": int(pos) if pos.isdigit() else 0, "answers": answers[:MAX_COUNT],
                "sid": str(form.get("sid") or "")[:32], "nlang": str(form.get("nlang") or "")}

    def hidden(state: dict[str, Any]) -> dict[str, str]:
        return {"trainee": state["trainee"], "klass": state["klass"], "ids": ",".join(state["ids"]),
                "pos": str(state["pos"]), "answers": json.dumps(state["answers"], ensure_ascii=False),
                "sid": state["sid"], "nlang": state["nlang"]}

    def answer_choices(trainer: Any, lang: str) -> dict[str, Any]:
        rb = trainer.rulebook
        version = trainer.current
        articles = []
        most = 1
        for key, art in version.articles.items():
            if art.number is None:
                continue
            articles.append({"number": art.number, "label": present.article_label(art.number, lang),
                             "items": len(art.items), "paragraphs": len(art.paragraphs)})
            most = max(most, len(art.items), len(art.paragraphs))
        articles.sort(key=lambda a: a["number"])
        return {"findings": [(f.id, rb.finding_label(f.id, lang)) for f in rb.findings],
                "articles": articles, "items": list(range(1, most + 1))}

    def exercise_page(request: Request, session: Any, state: dict[str, Any], lang: str, *,
                      status: int = 200, message: str | None = None, given: dict[str, str] | None = None) -> Response:
        trainer = config.trainer()
        ex = trainer.get(state["ids"][state["pos"]])
        nlang = state["nlang"] if state["nlang"] in ("zh", "en") else lang
        return page(request, "train_exercise.html", status=status, session=session, lang=lang, ex=ex,
                    narrative=ex.narrative.get(nlang), nlang=nlang, index=state["pos"] + 1, total=len(state["ids"]),
                    stars="★" * ex.difficulty + "☆" * (3 - ex.difficulty), hidden=hidden(state),
                    message=message, given=given or {}, **answer_choices(trainer, lang))

    @router.get("/train", response_class=HTMLResponse)
    def train_start_page(request: Request) -> Response:
        session, refuse = signed_in(request)
        if refuse is not None:
            return refuse
        trainer = config.trainer()
        return page(request, "train_start.html", session=session, topics=_topics(trainer), message=None,
                    values={"trainee": request.query_params.get("trainee", ""),
                            "klass": request.query_params.get("class", ""), "count": "3"})

    @router.post("/train/start", response_class=HTMLResponse)
    async def train_start(request: Request) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        trainer = config.trainer()
        trainee, klass = str(form.get("trainee") or "").strip(), str(form.get("klass") or "").strip()
        topic = str(form.get("topic") or "") or None
        difficulty = str(form.get("difficulty") or "")
        count = str(form.get("count") or "5")
        values = {"trainee": trainee, "klass": klass, "count": count, "topic": topic or "", "difficulty": difficulty}
        if not valid_name(trainee) or (klass and not valid_name(klass)):
            return page(request, "train_start.html", status=422, session=session, topics=_topics(trainer),
                        message=say("name_needed", lang), values=values)
        n = min(max(int(count), 1), MAX_COUNT) if count.isdigit() else 5
        pool = tr.select(trainer.exercises, topic=topic,
                         difficulty=int(difficulty) if difficulty in ("1", "2", "3") else None)
        if not pool:
            return page(request, "train_start.html", status=422, session=session, topics=_topics(trainer),
                        message=say("no_match", lang), values=values)
        chosen = tr.select(pool, count=n, shuffle=True)
        state = {"trainee": trainee, "klass": klass, "ids": [e.id for e in chosen], "pos": 0, "answers": [],
                 "sid": new_sid(), "nlang": ""}
        return exercise_page(request, session, state, lang)

    @router.post("/train/answer", response_class=HTMLResponse)
    async def train_answer(request: Request) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        state = state_of(form)
        if not state["ids"] or state["pos"] >= len(state["ids"]):
            return page(request, "error.html", status=422, message=say("no_match", lang))
        action = str(form.get("action") or "answer")
        given_raw = {k: str(form.get(k) or "") for k in ("finding", "article", "item", "liable")}
        if action in ("nlang:zh", "nlang:en"):
            state["nlang"] = action[6:]
            return exercise_page(request, session, state, lang, given=given_raw)
        trainer = config.trainer()
        rb = trainer.rulebook
        findings = {f.id for f in rb.findings}
        if given_raw["finding"] not in findings or given_raw["liable"] not in ("true", "false"):
            return exercise_page(request, session, state, lang, status=422, message=say("answer_missing", lang),
                                 given=given_raw)
        article = int(given_raw["article"]) if given_raw["article"].isdigit() else None
        item = int(given_raw["item"]) if given_raw["item"].isdigit() else None
        given = tr.Answer(finding=given_raw["finding"], article=article, item=item,
                          liable=given_raw["liable"] == "true")
        ex = trainer.get(state["ids"][state["pos"]])
        result = trainer.grade(ex, given)
        if len(state["answers"]) <= state["pos"]:
            state["answers"].append(given.sheet_entry())
        last = state["pos"] + 1 >= len(state["ids"])
        det_view = present.conduct_view(rb, result.determination, lang)
        note = ex.teaching_note.get(lang) if ex.teaching_note else None
        return page(request, "train_feedback.html", session=session, lang=lang, ex=ex, index=state["pos"] + 1,
                    total=len(state["ids"]), rows=_part_rows(rb, result, lang), correct=result.correct,
                    c=det_view, note=note, last=last, hidden=hidden(state))

    @router.post("/train/next", response_class=HTMLResponse)
    async def train_next(request: Request) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        state = state_of(form)
        state["pos"] = min(state["pos"] + 1, max(len(state["ids"]) - 1, 0))
        if not state["ids"]:
            return page(request, "error.html", status=422, message=say("no_match", lang))
        return exercise_page(request, session, state, lang)

    @router.post("/train/finish", response_class=HTMLResponse)
    async def train_finish(request: Request) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        state = state_of(form)
        trainer = config.trainer()
        rb = trainer.rulebook
        sheet = {}
        for ex_id, entry in zip(state["ids"], state["answers"]):
            answer = _answer_of(entry, rb)
            if answer is not None:
                sheet[ex_id] = answer
        try:
            results = trainer.grade_sheet(sheet)
        except tr.TrainingError:
            results = []
        recorded = False
        if results and valid_name(state["trainee"]) and state["sid"].isalnum():
            recorded = _record(config, state, results)
        rows = [{"n": i, "id": r.exercise.id, "topic": r.exercise.topic, "parts": r.parts, "correct": r.correct}
                for i, r in enumerate(results, 1)]
        correct = sum(r.correct for r in results)
        parts = sum(sum(r.parts.values()) for r in results)
        return page(request, "train_score.html", session=session, lang=lang, rows=rows, correct=correct,
                    n=len(results), parts=parts, percent=round(100 * correct / len(results)) if results else 0,
                    recorded=recorded, trainee=state["trainee"], klass=state["klass"])

    @router.get("/train/progress", response_class=HTMLResponse)
    def progress(request: Request) -> Response:
        session, refuse = signed_in(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        trainee = request.query_params.get("trainee", "").strip()
        klass = request.query_params.get("class", "").strip()
        chart = table = None
        days: list[str] = []
        if trainee and valid_name(trainee) and (not klass or valid_name(klass)):
            records, _ = tr.read_progress(_trainee_dir(config, klass, trainee) / "progress.jsonl")
            rows, days = tr.article_stats(records)
            if rows:
                chart = present.chart_svg_data(rows, days, lang)
                table = [{"label": present.article_label(r.article, lang),
                          "cells": [(f"{r.by_day[d][0]}/{r.by_day[d][1]}" if d in r.by_day else "·") for d in days[-14:]],
                          "total": f"{r.total[0]}/{r.total[1]} ({round(100 * r.total[0] / r.total[1])}%)"}
                         for r in rows]
        return page(request, "train_progress.html", session=session, trainee=trainee, klass=klass, chart=chart,
                    table=table, days=[d[5:] for d in days[-14:]])

    @router.get("/train/class", response_class=HTMLResponse)
    def class_view(request: Request) -> Response:
        session, refuse = signed_in(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        klass = request.query_params.get("class", "").strip()
        trainees = []
        folder = config.data_dir / name_dir(klass)
        if (not klass or valid_name(klass)) and folder.is_dir() and "class" in request.query_params:
            rb = config.engine.rulebook
            for sub in sorted(folder.iterdir()):
                name = dir_name(sub.name)
                if name is None or not sub.is_dir():
                    continue
                sheets = []
                for path in sorted(sub.glob(f"{SHEET_PREFIX}*.json")):
                    try:
                        report = json.loads(path.read_text(encoding="utf-8"))
                    except (OSError, ValueError):
                        continue
                    sheets.append(_sheet_view(rb, report, lang))
                trainees.append({"name": name, "sheets": sheets})
        return page(request, "train_class.html", session=session, klass=klass, trainees=trainees,
                    asked="class" in request.query_params)


def _answer_of(entry: Any, rb: Any) -> Any:
    """An answer this page wrote into the form (`Answer.sheet_entry()`), read back; None if it was altered."""
    if not isinstance(entry, dict):
        return None
    numbers = [entry.get(k) for k in ("article", "paragraph", "item")]
    if not all(n is None or (isinstance(n, int) and not isinstance(n, bool) and 0 < n < 1000) for n in numbers):
        return None
    finding, liable = entry.get("finding"), entry.get("liable")
    if finding not in {f.id for f in rb.findings} or not isinstance(liable, bool):
        return None
    return tr.Answer(finding=finding, article=numbers[0], paragraph=numbers[1], item=numbers[2], liable=liable)


def _record(config: WebConfig, state: dict[str, Any], results: list[Any]) -> bool:
    """The session's progress lines and its graded sheet, once (a resubmitted form records nothing)."""
    folder = _trainee_dir(config, state["klass"], state["trainee"])
    sheet_path = folder / f"{SHEET_PREFIX}{state['sid']}.json"
    if sheet_path.exists():
        return True
    try:
        folder.mkdir(parents=True, exist_ok=True)
        report = tr.sheet_report(results, sheet=state["sid"])
        report["trainee"], report["class"] = state["trainee"], state["klass"]
        sheet_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        tr.append_progress(results, "web", folder / "progress.jsonl")
    except (OSError, tr.TrainingError):
        return False
    return True


def _part_rows(rb: Any, result: Any, lang: str) -> list[dict[str, Any]]:
    given, expected, det = result.given, result.expected, result.determination
    cite = det.citation
    cited = f"{cite.label_zh if lang == 'zh' else cite.label}（{cite.version}）" if cite else say("none", lang)
    return [
        {"part": say("finding", lang), "ok": result.parts["finding"],
         "given": present.finding_text(rb, given.finding, lang), "expected": present.finding_text(rb, expected.finding, lang)},
        {"part": say("citation", lang), "ok": result.parts["citation"],
         "given": present.provision_text(given.article, given.paragraph, given.item, lang), "expected": cited},
        {"part": say("liable", lang), "ok": result.parts["liable"],
         "given": say("yes" if given.liable else "no", lang) if given.liable is not None else say("none", lang),
         "expected": say("yes" if expected.liable else "no", lang)},
    ]


def _sheet_view(rb: Any, report: dict[str, Any], lang: str) -> dict[str, Any]:
    def entry(e: Any) -> str:
        if not isinstance(e, dict):
            return "—"
        liable = e.get("liable")
        return " · ".join([
            present.finding_text(rb, e.get("finding"), lang),
            present.provision_text(e.get("article"), e.get("paragraph"), e.get("item"), lang),
            say("yes" if liable else "no", lang) if isinstance(liable, bool) else "—"])

    score = report.get("score") or {}
    return {
        "when": str(report.get("graded_at", ""))[:16].replace("T", " ") + " UTC",
        "score": f"{score.get('correct', 0)}/{score.get('exercises', 0)} ({score.get('percent', 0)}%)",
        "rows": [{"exercise": r.get("exercise"), "correct": bool(r.get("correct")), "answer": entry(r.get("answer")),
                  "expected": entry(r.get("expected"))} for r in report.get("results", []) if isinstance(r, dict)],
    }



