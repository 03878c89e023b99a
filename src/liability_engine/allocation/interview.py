"""Interviews on a case file: ask for exactly the facts that would decide an allocation.

Which facts are asked comes from the `missing:` of the allocation rules that left something not
determined (and from each person's undetermined conducts, through the conduct interview); each
answer shows what it would lead to, found by re-evaluating the case with that value. No legal content.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ..i18n import text as text_of, word
from .casefile import CaseFile, Tri, case_file_from_data, person_facts
from .render import CaseWords

__all__ = ["CaseQuestion", "next_case_question", "answer_case", "case_document"]

# allocation field → (the decision's key in the case file, the answers); the questions and the answers' words
# are in rules/vocabulary.yaml (`case_questions`, `case_values`)
_DECISION_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "decision.within_powers": ("within_powers", ("yes", "no")),
    "decision.manifestly_unlawful": ("manifestly_unlawful", ("yes", "no")),
    "report.defect": ("facts_reported.defect", ("none", "concealed", "distorted", "omitted")),
    "decided_by": ("decided_by", ("committee", "upper_procuratorate")),
}
_WRONG = ("decision.wrong", "wrong", ("yes", "no"))
_VOTE = ("for", "against", "abstain")


@dataclass(frozen=True)
class CaseQuestion:
    path: tuple[Any, ...]  # where the answer goes in the case file
    text: str
    choices: list[tuple[Any, str, str | None]]  # (value, label, what it leads to)


def case_document(case: CaseFile) -> dict[str, Any]:
    return case.model_dump(mode="json", by_alias=True, exclude_none=True)


def answer_case(case: CaseFile, path: tuple[Any, ...], value: Any) -> CaseFile:
    """The case file with one value set (validated like any case file)."""
    data = case_document(case)
    target: Any = data
    for part in path[:-1]:
        target = target[part] if isinstance(part, int) else target.setdefault(part, {})
    target[path[-1]] = value
    return case_file_from_data(data)


def _word(engine: Any, field: str, value: str, lang: str) -> str:
    return CaseWords(engine.rulebook).value(field, value, lang)


def _asked(engine: Any, field: str, lang: str) -> str:
    return engine.rulebook.vocabulary.case_questions[field].get(lang)


def _leads(engine: Any, case: CaseFile, path: tuple[Any, ...], value: Any, pid: str, decision: str, head: str,
           as_of: _dt.date | None, lang: str) -> str | None:
    det = engine.evaluate_case(answer_case(case, path, value), as_of=as_of)
    p = next(p for p in det.persons if p.person_id == pid)
    got = sorted({a.result for a in p.allocations if a.decision_id == decision and a.answers_for == head})
    if not got:
        return None
    words = text_of("determination.list", lang).join
    return f"{pid} · {word(f'allocation.head.{head}', lang, head)}: " + words(
        word(f"allocation.result.{r}", lang, r) for r in got)


def next_case_question(engine: Any, case: CaseFile, as_of: _dt.date | None, lang: str) -> CaseQuestion | None:
    """The first fact still missing (a conduct's, then a decision's), with where each answer leads; None when
    nothing more can be decided by answering."""
    from ..determination.interview import next_question

    for i, person in enumerate(case.persons):
        facts = person_facts(case, person)
        q = next_question(engine, facts, as_of, lang) if facts is not None else None
        if q is not None:
            path = ("persons", i, "conducts", q.conduct_index, *q.field.split("."))
            return CaseQuestion(path, f"[{person.id} · {q.conduct_id}] {q.text}",
                                [(c.value, c.label, c.leads_to) for c in q.choices])
    det = engine.evaluate_case(case, as_of=as_of)
    index = {d.id: n for n, d in enumerate(case.decisions)}
    for n, d in enumerate(case.decisions):
        if d.wrong is Tri.unknown:
            field, key, values = _WRONG
            return CaseQuestion(("decisions", n, key), f"[{d.id}] {_asked(engine, field, lang)}",
                                [(v, _word(engine, field, v, lang), None) for v in values])
    for p in det.persons:
        for a in p.allocations:
            if a.result != "not_determined" or a.decision_id is None:
                continue
            n = index[a.decision_id]
            d = case.decisions[n]
            for field in a.missing:
                if field == "vote":
                    j = next(j for j, v in enumerate(d.votes) if v.member == p.person_id)
                    path: tuple[Any, ...] = ("decisions", n, "votes", j, "vote")
                    values = _VOTE
                    text = f"[{d.id} · {p.person_id}] {_asked(engine, field, lang)}"
                elif field in _DECISION_FIELDS:
                    key, values = _DECISION_FIELDS[field]
                    if field == "decided_by":
                        values = tuple(x.id for x in case.persons) + values
                    path = ("decisions", n, *key.split("."))
                    text = f"[{d.id}] {_asked(engine, field, lang)}"
                else:
                    continue
                choices = [(v, _word(engine, field, v, lang), _leads(engine, case, path, v, p.person_id, a.decision_id,
                                                      a.answers_for, as_of, lang)) for v in values]
                return CaseQuestion(path, text, choices)
    return None
