"""Comparing two versions across a docket: where a revision changes the finding, liability or item of
a conduct, and — for the case files (liability-facts/2) — what a person answers for among several
(e.g. A4's 主要由检察官承担 in 2020, not seen in 2024).

Each conduct is judged by each version alone, and each decision by each version's allocation rules
alone (Art. 28 plays no part: the question is what the revision changed, not which version applies).
Both kinds of difference have one shape: where it is (the source file, the case), what changed, and
the old and the new side; `compare_source` compares one input of either contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from pydantic import BaseModel, ConfigDict

from ..determination.model import Evaluation
from ..facts.model import Facts

__all__ = ["Difference", "VersionDifference", "AllocationDifference", "Comparison", "compare_versions",
           "compare_allocation", "compare_source"]


class Difference(BaseModel):
    """What a revision changed, somewhere in a docket."""

    model_config = ConfigDict(frozen=True)

    source: str
    case_id: str


class VersionDifference(Difference):
    conduct_id: str
    act: str
    fault: str
    changed: list[str]  # of: finding, liable, citation
    old: Evaluation
    new: Evaluation
    old_fired: list[str]
    new_fired: list[str]


class AllocationDifference(Difference):
    decision_id: str
    person_id: str
    part: str
    answers_for: str
    old: list[str]  # results left standing under the old version ("rule: result")
    new: list[str]


@dataclass
class Comparison:
    """Two versions compared over a docket: the conducts compared and every difference of either kind."""

    old: str
    new: str
    conducts_compared: int = 0
    differences: list[VersionDifference] = field(default_factory=list)
    allocation_differences: list[AllocationDifference] = field(default_factory=list)

    def add(self, engine: Any, found: Any, source: str) -> None:
        """One input (liability-facts/1, or a case file: each person's conducts, and the allocation)."""
        conducts, rows, allocation = compare_source(engine, found, self.old, self.new, source)
        self.conducts_compared += conducts
        self.differences.extend(rows)
        self.allocation_differences.extend(allocation)

    def as_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "conducts_compared": self.conducts_compared,
                "differences": [r.model_dump(mode="json") for r in self.differences],
                "allocation_differences": [r.model_dump(mode="json") for r in self.allocation_differences]}


def compare_versions(engine: Any, facts: Facts, old: str, new: str, source: str = "") -> list[VersionDifference]:
    """The conducts of `facts` on which versions `old` and `new` differ."""
    out = []
    pairs = zip(facts.conducts, engine.evaluate_under(facts, old), engine.evaluate_under(facts, new))
    for conduct, (a, a_fired), (b, b_fired) in pairs:
        changed = _changed(((a.finding, b.finding), "finding"), ((a.liable, b.liable), "liable"),
                           ((_item(a), _item(b)), "citation"))
        if changed:
            out.append(VersionDifference(source=source, case_id=facts.case.id, conduct_id=conduct.id,
                                         act=conduct.act.value, fault=conduct.fault.value, changed=changed,
                                         old=a, new=b, old_fired=a_fired, new_fired=b_fired))
    return out


def compare_allocation(engine: Any, case: Any, old: str, new: str, source: str = "") -> list[AllocationDifference]:
    """The persons and parts of a case file's decisions whose results differ under `old` and `new`."""
    from ..allocation.casefile import Tri
    from ..allocation.evaluate import decision_facts, fire
    from ..allocation.rules import allocation_rules_for

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
                if _changed(((_results(x), _results(y)), "result")):
                    out.append(AllocationDifference(source=source, case_id=case.case.id, decision_id=d.id,
                                                    person_id=pid, part=fact["part"], answers_for=head,
                                                    old=sorted(x), new=sorted(y)))
    return out


def compare_source(engine: Any, found: Any, old: str, new: str,
                   source: str) -> tuple[int, list[VersionDifference], list[AllocationDifference]]:
    """One input of either contract: the conducts compared, their differences, the allocation's differences."""
    from ..allocation.casefile import CaseFile, person_facts

    if isinstance(found, CaseFile):
        allocation = compare_allocation(engine, found, old, new, source)
        dockets = [(f, f"{source}#{p.id}") for p in found.persons if (f := person_facts(found, p))]
    else:
        allocation, dockets = [], [(found, source)]
    rows: list[VersionDifference] = []
    for facts, where in dockets:
        rows.extend(compare_versions(engine, facts, old, new, where))
    return sum(len(f.conducts) for f, _ in dockets), rows, allocation


def _changed(*pairs: tuple[tuple[Any, Any], str]) -> list[str]:
    """The names of the pairs whose old and new sides differ."""
    return [name for (a, b), name in pairs if a != b]


def _results(standing: Sequence[str]) -> list[str]:
    """The results of "rule: result" entries, rules aside (a renamed rule with the same result is no change)."""
    return sorted(s.split(": ")[1] for s in standing)


def _item(e: Evaluation) -> tuple[object, ...] | None:
    c = e.citation
    return (c.article, c.paragraph, c.item, c.label) if c else None
