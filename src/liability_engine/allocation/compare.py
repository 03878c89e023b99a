"""Comparing two versions' allocation rules over case files: where a revision changes what a person
answers for (e.g. A4's 主要由检察官承担 in 2020, not seen in 2024). Each decision is judged by each
version's allocation rules alone (Art. 28 plays no part: the question is what the revision changed)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from .casefile import CaseFile, Tri
from .evaluate import decision_facts, fire
from .rules import allocation_rules_for

__all__ = ["AllocationDifference", "compare_allocation"]


class AllocationDifference(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    case_id: str
    decision_id: str
    person_id: str
    part: str
    answers_for: str
    old: list[str]  # results left standing under the old version ("rule: result")
    new: list[str]


def compare_allocation(engine: Any, case: CaseFile, old: str, new: str, source: str = "") -> list[AllocationDifference]:
    books = allocation_rules_for(engine.rulebook)
    a, b = books.get(old), books.get(new)
    out: list[AllocationDifference] = []
    for d in case.decisions:
        if d.wrong is Tri.no:
            continue
        for pid, fact in decision_facts(case, d):
            heads: dict[str, tuple[list[str], list[str]]] = {}
            for side, book in ((0, a), (1, b)):
                if book is None:
                    continue
                for r in fire(book, fact)[3]:
                    heads.setdefault(r.answers_for, ([], []))[side].append(f"{r.id}: {r.result}")
            for head, (x, y) in sorted(heads.items()):
                if sorted(s.split(": ")[1] for s in x) != sorted(s.split(": ")[1] for s in y):
                    out.append(AllocationDifference(source=source, case_id=case.case.id, decision_id=d.id,
                                                    person_id=pid, part=fact["part"], answers_for=head,
                                                    old=sorted(x), new=sorted(y)))
    return out
