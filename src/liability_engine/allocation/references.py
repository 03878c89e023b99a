"""What a case file's ids refer to: every id unique where it must be, every person or conduct a
decision names one of the file (located, with a did-you-mean), and the report of the facts not
contradicting itself."""

from __future__ import annotations

from typing import Any

from ..errors import Problem, did_you_mean
from ..facts.documents import Document, dotted
from .casefile import RESERVED_DECIDERS, CaseFile, Decision, Defect, Tri

__all__ = ["references"]


def references(case: CaseFile, doc: Document) -> list[Problem]:
    """Every problem of the ids of `case`: its persons and conducts, then each decision."""
    problems: list[Problem] = []
    conduct_ids = _persons(case, doc, problems)
    refs = _Refs(doc, [p.id for p in case.persons], problems)
    seen: set[str] = set()
    for i, d in enumerate(case.decisions):
        base = ("decisions", i)
        if d.id in seen:
            problems.append(_at(doc, base + ("id",), f"duplicate decision id '{d.id}'", value=d.id))
        seen.add(d.id)
        _decision(d, base, refs, conduct_ids)
        _report(d, base, doc, problems)
    return problems


def _persons(case: CaseFile, doc: Document, problems: list[Problem]) -> list[str]:
    """Person ids unique and not a reserved word of `decided_by`; conduct ids unique in the file. The conduct ids."""
    conduct_ids: list[str] = []
    seen_p: dict[str, int] = {}
    for i, p in enumerate(case.persons):
        if p.id in seen_p:
            problems.append(_at(doc, ("persons", i, "id"), f"duplicate person id '{p.id}' (also persons[{seen_p[p.id]}])"
                                ": each person needs its own id", value=p.id))
        seen_p.setdefault(p.id, i)
        if p.id in RESERVED_DECIDERS:
            problems.append(_at(doc, ("persons", i, "id"), f"'{p.id}' is a reserved word of decided_by; give the "
                                "person another id", value=p.id))
        for j, c in enumerate(p.conducts):
            if c.id in conduct_ids:
                problems.append(_at(doc, ("persons", i, "conducts", j, "id"), f"duplicate conduct id '{c.id}': "
                                    "conduct ids are unique in the whole case file (decisions refer to them)",
                                    value=c.id))
            conduct_ids.append(c.id)
    return conduct_ids


class _Refs:
    """Checks that a reference names a person of the file (or one of `extra`)."""

    def __init__(self, doc: Document, person_ids: list[str], problems: list[Problem]):
        self.doc, self.person_ids, self.problems = doc, person_ids, problems

    def person(self, value: str | None, loc: tuple[Any, ...], extra: tuple[str, ...] = ()) -> None:
        if value is None or value in self.person_ids or value in extra:
            return
        allowed = self.person_ids + list(extra)
        self.problems.append(_at(self.doc, loc, f"no person '{value}' in this case file", value=value, allowed=allowed,
                                 suggestion=did_you_mean(value, allowed)))


def _decision(d: Decision, base: tuple[Any, ...], refs: _Refs, conduct_ids: list[str]) -> None:
    """Who a decision names (proposer, decider, reporter, objectors, voters, reviewers, team, executors) and the
    conducts it led to."""
    doc, problems = refs.doc, refs.problems
    refs.person(d.proposed_by, base + ("proposed_by",))
    refs.person(d.decided_by, base + ("decided_by",), RESERVED_DECIDERS)
    refs.person(d.facts_reported.by, base + ("facts_reported", "by"))
    for j, o in enumerate(d.objections):
        refs.person(o.by, base + ("objections", j, "by"))
    voters: set[str] = set()
    for j, v in enumerate(d.votes):
        refs.person(v.member, base + ("votes", j, "member"))
        if v.member in voters:
            problems.append(_at(doc, base + ("votes", j, "member"), f"'{v.member}' votes twice on this decision",
                                value=v.member))
        voters.add(v.member)
    if d.votes and d.decided_by not in ("committee", "unknown"):
        problems.append(_at(doc, base + ("votes",), "votes are recorded for a committee decision: set decided_by "
                            "to committee (or remove the votes)", allowed=["committee"]))
    for key in ("reviewed_by", "team", "executed_by"):
        for j, ref in enumerate(getattr(d, key)):
            refs.person(ref, base + (key, j))
    for j, ref in enumerate(d.led_to_conducts):
        if ref not in conduct_ids:
            problems.append(_at(doc, base + ("led_to_conducts", j), f"no conduct '{ref}' in this case file",
                                value=ref, allowed=conduct_ids, suggestion=did_you_mean(ref, conduct_ids)))


def _report(d: Decision, base: tuple[Any, ...], doc: Document, problems: list[Problem]) -> None:
    """`truthful_complete` and `defect` of the facts reported must not contradict each other."""
    t = d.facts_reported
    if t.truthful_complete is Tri.yes and t.defect not in (Defect.none, Defect.unknown):
        problems.append(_at(doc, base + ("facts_reported",), f"contradictory: truthful_complete is true but the "
                            f"defect is '{t.defect.value}'; correct one of them"))
    if t.truthful_complete is Tri.no and t.defect is Defect.none:
        problems.append(_at(doc, base + ("facts_reported",), "contradictory: truthful_complete is false but the "
                            "defect is 'none'; say what was wrong (concealed, distorted, omitted) or unknown"))


def _at(doc: Document, loc: tuple[Any, ...], message: str, **extra: Any) -> Problem:
    line, column = doc.position(loc)
    return Problem(message, path=doc.path, line=line, column=column, field=dotted(loc), **extra)
