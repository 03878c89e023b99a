"""`/train`: the trainer of `liability train`, in the browser — start, answer, feedback, next, score.

A session's state (the exercises chosen, where the trainee is, the answers so far) travels in the
form, so any worker can serve any step; grading is `Trainer.grade` and the record is the training
module's progress file and graded-sheet report (records.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from .. import training as tr  # the training package: bank, selection, grading, progress
from . import present, records
from .config import WebConfig
from .pages import Pages, Visit
from .words import say

__all__ = ["add_routes", "TrainState"]

MAX_COUNT = 20
PARTS = ("finding", "article", "item", "liable")


@dataclass
class TrainState:
    """Where a training session is; it travels in the form's hidden fields.

    The exercises travel as opaque tags, never as ids: an id names the article and item (and a
    variant's, the fact changed), so it would give the answer away before the trainee gives it — in
    the page source as much as on screen. A tag is the HMAC of the session's `sid` and the id under
    the web session key (`Sessions.tag`): the server tells which exercise it names by tagging the
    bank's; the trainee cannot, and a fresh `sid` per session means a tag seen beside its id after an
    answer says nothing about the next session. The id is shown with the feedback, after the answer.
    """

    trainee: str
    klass: str
    ids: list[str]
    pos: int = 0
    answers: list[Any] = field(default_factory=list)
    sid: str = ""
    nlang: str = ""  # the narrative's language, when the trainee switched it

    @classmethod
    def from_form(cls, visit: Visit, config: WebConfig) -> "TrainState":
        """The state the form carries; `ids` is empty when a tag names no exercise of the bank (an altered
        form, or one from before the server's restart: the key is drawn per start)."""
        try:
            answers = json.loads(visit.field("answers", "[]"))
        except ValueError:
            answers = []
        pos, sid = visit.field("pos", "0"), visit.field("sid")[:32]
        tags = [t for t in visit.field("exercises").split(",") if t][:MAX_COUNT]
        named = {_tag(config, sid, e.id): e.id for e in config.trainer().exercises} if tags else {}
        ids = [named[t] for t in tags if t in named]
        return cls(trainee=visit.field("trainee"), klass=visit.field("klass"),
                   ids=ids if len(ids) == len(tags) else [],
                   pos=int(pos) if pos.isdigit() else 0,
                   answers=answers[:MAX_COUNT] if isinstance(answers, list) else [],
                   sid=sid, nlang=visit.field("nlang"))

    def hidden(self, config: WebConfig) -> dict[str, str]:
        return {"trainee": self.trainee, "klass": self.klass,
                "exercises": ",".join(_tag(config, self.sid, i) for i in self.ids), "pos": str(self.pos),
                "answers": json.dumps(self.answers, ensure_ascii=False), "sid": self.sid, "nlang": self.nlang}


def _tag(config: WebConfig, sid: str, exercise_id: str) -> str:
    """The opaque name of an exercise in the training session `sid` (see TrainState)."""
    return config.sessions.tag("exercise", sid, exercise_id)


class _Training:
    """The trainer's pages of one configuration: the start form and an exercise."""

    def __init__(self, pages: Pages):
        self.pages, self.config = pages, pages.config

    def start_page(self, visit: Visit, values: dict[str, str], *, status: int = 200,
                   problem: str | None = None) -> Response:
        return self.pages.render(visit, "train_start.html", status=status, topics=_topics(self.config.trainer()),
                                 message=visit.say(problem) if problem else None, values=values)

    def exercise_page(self, visit: Visit, state: TrainState, *, status: int = 200, problem: str | None = None,
                      given: dict[str, str] | None = None) -> Response:
        trainer = self.config.trainer()
        ex = trainer.get(state.ids[state.pos])
        nlang = state.nlang if state.nlang in ("zh", "en") else visit.lang
        return self.pages.render(
            visit, "train_exercise.html", status=status, ex=ex, narrative=ex.narrative.get(nlang), nlang=nlang,
            narrative_switch=say("lang_other", nlang), index=state.pos + 1, total=len(state.ids),
            stars="★" * ex.difficulty + "☆" * (3 - ex.difficulty), hidden=state.hidden(self.config),
            message=visit.say(problem) if problem else None, given=given or {}, **_answer_choices(trainer, visit.lang))


def add_routes(router: APIRouter, pages: Pages) -> None:
    page = _Training(pages)
    _add_start_routes(router, pages, page)
    _add_exercise_routes(router, pages, page)


def _add_start_routes(router: APIRouter, pages: Pages, page: _Training) -> None:
    config = pages.config

    @router.get("/train", response_class=HTMLResponse)
    def train_start_page(visit: Visit = Depends(pages.signed_in)) -> Response:
        return page.start_page(visit, {"trainee": visit.query("trainee"), "klass": visit.query("class"), "count": "3"})

    @router.post("/train/start", response_class=HTMLResponse)
    def train_start(visit: Visit = Depends(pages.posted)) -> Response:
        trainee, klass = visit.field("trainee").strip(), visit.field("klass").strip()
        topic, difficulty, count = visit.field("topic") or None, visit.field("difficulty"), visit.field("count", "5")
        values = {"trainee": trainee, "klass": klass, "count": count, "topic": topic or "", "difficulty": difficulty}
        if not records.valid_name(trainee) or (klass and not records.valid_name(klass)):
            return page.start_page(visit, values, status=422, problem="name_needed")
        pool = tr.select(config.trainer().exercises, topic=topic,
                         difficulty=int(difficulty) if difficulty in ("1", "2", "3") else None)
        if not pool:
            return page.start_page(visit, values, status=422, problem="no_match")
        n = min(max(int(count), 1), MAX_COUNT) if count.isdigit() else 5
        chosen = tr.select(pool, count=n, shuffle=True)
        return page.exercise_page(visit, TrainState(trainee, klass, [e.id for e in chosen], sid=records.new_sid()))


def _add_exercise_routes(router: APIRouter, pages: Pages, page: _Training) -> None:
    config = pages.config

    @router.post("/train/answer", response_class=HTMLResponse)
    def train_answer(visit: Visit = Depends(pages.posted)) -> Response:
        state = TrainState.from_form(visit, config)
        if not state.ids or state.pos >= len(state.ids):
            return pages.error(visit, 422, "no_match")
        given = {k: visit.field(k) for k in PARTS}
        action = visit.field("action", "answer")
        if action in ("nlang:zh", "nlang:en"):
            state.nlang = action[6:]
            return page.exercise_page(visit, state, given=given)
        trainer = config.trainer()
        answer = _answer(given, trainer.rulebook)
        if answer is None:
            return page.exercise_page(visit, state, status=422, problem="answer_missing", given=given)
        ex = trainer.get(state.ids[state.pos])
        result = trainer.grade(ex, answer)
        if len(state.answers) <= state.pos:
            state.answers.append(answer.sheet_entry())
        return pages.render(visit, "train_feedback.html", ex=ex, index=state.pos + 1, total=len(state.ids),
                            rows=_part_rows(trainer.rulebook, result, visit.lang), correct=result.correct,
                            c=present.conduct_view(trainer.rulebook, result.determination, visit.lang),
                            note=ex.teaching_note.get(visit.lang) if ex.teaching_note else None,
                            last=state.pos + 1 >= len(state.ids), hidden=state.hidden(config))

    @router.post("/train/next", response_class=HTMLResponse)
    def train_next(visit: Visit = Depends(pages.posted)) -> Response:
        state = TrainState.from_form(visit, config)
        if not state.ids:
            return pages.error(visit, 422, "no_match")
        state.pos = min(state.pos + 1, len(state.ids) - 1)
        return page.exercise_page(visit, state)

    @router.post("/train/finish", response_class=HTMLResponse)
    def train_finish(visit: Visit = Depends(pages.posted)) -> Response:
        state = TrainState.from_form(visit, config)
        if not state.ids:
            return pages.error(visit, 422, "no_match")
        trainer = config.trainer()
        sheet = {ex_id: a for ex_id, a in ((i, _answer_of(e, trainer.rulebook))
                                          for i, e in zip(state.ids, state.answers)) if a is not None}
        try:
            results = trainer.grade_sheet(sheet)
        except tr.TrainingError:
            results = []
        recorded = bool(results) and records.valid_name(state.trainee) and state.sid.isalnum() and records.record(
            config.data_dir, state.trainee, state.klass, state.sid, results)
        correct = sum(r.correct for r in results)
        return pages.render(
            visit, "train_score.html", correct=correct, n=len(results),
            rows=[{"n": i, "id": r.exercise.id, "topic": r.exercise.topic, "parts": r.parts, "correct": r.correct}
                  for i, r in enumerate(results, 1)],
            parts=sum(sum(r.parts.values()) for r in results),
            percent=round(100 * correct / len(results)) if results else 0,
            recorded=recorded, trainee=state.trainee, klass=state.klass)


def _topics(trainer: Any) -> list[str]:
    """Topic prefixes (art7, art8 …) then the topics themselves, as the bank has them."""
    topics = sorted({e.topic for e in trainer.exercises})
    heads = sorted({t.split(".")[0] for t in topics}, key=lambda t: (len(t), t))
    return heads + [t for t in topics if t not in heads]


def _answer_choices(trainer: Any, lang: str) -> dict[str, Any]:
    """The findings to click, and the articles (with how many items or paragraphs each has) to pick."""
    rb = trainer.rulebook
    articles = sorted(({"number": art.number, "label": present.article_label(art.number, lang),
                        "items": len(art.items), "paragraphs": len(art.paragraphs)}
                       for art in trainer.current.articles.values() if art.number is not None),
                      key=lambda a: a["number"])
    most = max([1, *(max(a["items"], a["paragraphs"]) for a in articles)])
    return {"findings": [(f.id, rb.finding_label(f.id, lang)) for f in rb.findings],
            "articles": articles, "items": [(str(n), str(n)) for n in range(1, most + 1)]}


def _answer(given: dict[str, str], rb: Any) -> Any:
    """The answer the form gives, or None when the finding or the liability is not answered."""
    if given["finding"] not in {f.id for f in rb.findings} or given["liable"] not in ("true", "false"):
        return None
    return tr.Answer(finding=given["finding"],
                     article=int(given["article"]) if given["article"].isdigit() else None,
                     item=int(given["item"]) if given["item"].isdigit() else None,
                     liable=given["liable"] == "true")


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


def _part_rows(rb: Any, result: Any, lang: str) -> list[dict[str, Any]]:
    """The feedback table: each part of the answer, the trainee's and the correct one, right or wrong."""
    given, expected, cite = result.given, result.expected, result.determination.citation
    cited = say("paren", lang, text=cite.label_text.get(lang), note=cite.version) if cite else say("none", lang)

    return [
        {"part": say("finding", lang), "ok": result.parts["finding"],
         "given": present.finding_text(rb, given.finding, lang), "expected": present.finding_text(rb, expected.finding, lang)},
        {"part": say("citation", lang), "ok": result.parts["citation"],
         "given": present.provision_text(given.article, given.paragraph, given.item, lang), "expected": cited},
        {"part": say("liable", lang), "ok": result.parts["liable"],
         "given": say("yes" if given.liable else "no", lang) if given.liable is not None else say("none", lang),
         "expected": say("yes" if expected.liable else "no", lang)},
    ]
