"""What each person answers for, summed up: their allocations and trace under each fact of theirs, their
overall result (the heaviest), the sentence that says it, and the case's overall."""

from __future__ import annotations

from typing import Any

from ..determination.model import Determination
from .casefile import CasePerson
from .determination import Allocation, AllocationTrace, CaseOverall, PersonDetermination, PersonOverall, Text2
from ..i18n import Message, join, join_each, msg, pair, word
from .firing import KEYS, allocation, checks, fire
from .rules import AllocationRule, AllocationRules

__all__ = ["HEAVIEST", "BEARING", "person_determination", "case_overall"]

# Heaviest first: which allocation result sums up a person (mechanism: an order, not a legal rule).
HEAVIEST = ("bears_mainly", "bears", "bears_corresponding", "not_determined", "separate_track", "does_not_bear")
BEARING = ("bears_mainly", "bears", "bears_corresponding")


def person_determination(person: CasePerson, own: Determination | None, facts: list[Any],
                         rules: dict[str, AllocationRules | None], rb: Any) -> PersonDetermination:
    allocations: list[Allocation] = []
    trace: list[AllocationTrace] = []
    warnings: list[tuple[str, str]] = []
    for fact, decision_id, conduct_id, version, conditional in facts:
        book = rules.get(version)
        part = fact[KEYS["part"]]
        where = msg("allocation.decision_ref", id=decision_id) if decision_id else \
            msg("allocation.conduct_ref", id=conduct_id)
        if book is None:
            _warn(warnings, "allocation.warning.version_not_encoded", where=where, part=part, version=version)
            continue
        relevant, fired_ids, defeated, standing = fire(book, fact)
        conflicts: set[str] = set()
        by_head: dict[str, list[AllocationRule]] = {}
        for r in standing:
            by_head.setdefault(r.answers_for, []).append(r)
        for head, rs in by_head.items():
            if len({r.result for r in rs}) > 1:
                conflicts.update(r.id for r in rs)
                ids = [r.id for r in rs]
                _warn(warnings, "allocation.warning.conflict", where=where, head=head,
                      rules=join("determination.list", ids))
        for r in relevant:
            outcome = ("conflict" if r.id in conflicts else "defeated" if r.id in defeated
                       else "fired" if r.id in fired_ids else "unmet")
            trace.append(AllocationTrace(rule=r.id, version=r.version, point=r.point, part=part, decision_id=decision_id,
                                         conduct_id=conduct_id, outcome=outcome, defeated_by=defeated.get(r.id),
                                         answers_for=r.answers_for, result=r.result, checks=checks(r, fact),
                                         source_confidence=r.source_confidence))
        for r in standing:
            allocations.append(allocation(r, decision_id, conduct_id, part, conditional and decision_id is not None,
                                           conflict=r.id in conflicts))
            if r.provisional:
                assumed = r.assumption
                _warn(warnings, "allocation.warning.provisional", where=where, rule=r.id,
                      assumption=Message(assumed.en, assumed.zh) if assumed else "")
            if conditional and decision_id is not None and r.result in BEARING:
                _warn(warnings, "allocation.warning.conditional", where=where, rule=r.id)
        if not standing and relevant:
            _warn(warnings, "allocation.warning.no_rule_applies", where=where, part=part)
    if own is None and any(a.part == "decider" and a.result in BEARING for a in allocations):
        _warn(warnings, "allocation.warning.decider_without_conduct")
    overall = _person_overall(own, allocations, rb)
    summary = _summary(person, own, allocations, overall, rb)
    seen: set[str] = set()
    uniq = [w for w in warnings if not (w[0] in seen or seen.add(w[0]))]  # type: ignore[func-returns-value]
    return PersonDetermination(person_id=person.id, name=person.name, role=person.role.value, own=own,
                               allocations=allocations, trace=trace, overall=overall, summary=summary,
                               warnings=[w for w, _ in uniq], warnings_zh=[z for _, z in uniq])


def _person_overall(own: Determination | None, allocations: list[Allocation], rb: Any) -> PersonOverall:
    conduct_results = [a for a in allocations if a.decision_id is None and a.answers_for == "own_conduct"]
    liable: bool | None
    if own is None:
        liable = False
    elif any(a.result in BEARING for a in conduct_results):
        liable = True
    elif any(a.result == "not_determined" for a in conduct_results):
        liable = None
    else:
        liable = False
    results = [a.result for a in allocations]
    heaviest = min(results, key=HEAVIEST.index) if results else None
    return PersonOverall(finding=own.overall.finding if own else None, liable=liable, allocation=heaviest,
                         provisional=any(a.provisional for a in allocations))


def _summary(person: CasePerson, own: Determination | None, allocations: list[Allocation], overall: PersonOverall,
             rb: Any) -> Text2:
    said: list[Message] = []
    if own is not None:
        finding = own.overall.finding
        said.append(msg("allocation.summary.own", finding=Message(rb.finding_label(finding, "en"),
                                                                   rb.finding_label(finding, "zh"))))
    for a in allocations:
        if a.decision_id is None:
            continue
        part, head = f"allocation.part.{a.part}", f"allocation.head.{a.answers_for}"
        said.append(msg("allocation.summary.decision", id=a.decision_id,
                        part=pair(word(part, "en", a.part), word(part, "zh", a.part)),
                        head=pair(word(head, "en", a.answers_for), word(head, "zh", a.answers_for)),
                        explanation=Message(a.explanation.en, a.explanation.zh)))
    if not said:
        said.append(msg("allocation.summary.nothing"))
    if overall.provisional:
        said.append(msg("allocation.summary.provisional"))
    summary = join_each("report.sep", said)
    return Text2(zh=summary.zh, en=str(summary))


def case_overall(persons: list[PersonDetermination], rb: Any) -> CaseOverall:
    findings = [p.own.overall.finding for p in persons if p.own is not None]
    if any(f == rb.undetermined for f in findings):
        finding = rb.undetermined
    elif findings:
        finding = max(findings, key=rb.severity)
    else:
        finding = "no_liability"
    liables = [p.overall.liable for p in persons]
    liable = True if any(x is True for x in liables) else (None if any(x is None for x in liables) else False)
    return CaseOverall(
        finding=finding, liable=liable,
        bearing=[p.person_id for p in persons if p.overall.liable
                 or any(a.result in BEARING and not a.conditional for a in p.allocations)],
        not_determined=[p.person_id for p in persons if p.overall.liable is None
                        or any(a.result == "not_determined" or a.conditional for a in p.allocations)],
        separate_track=[p.person_id for p in persons if any(a.result == "separate_track" for a in p.allocations)],
        provisional=any(p.overall.provisional for p in persons))


def _warn(warnings: list[tuple[str, str]], key: str, **params: object) -> None:
    """A warning of the catalogue, as the (en, zh) pair the determination carries."""
    said = msg(key, **params)
    warnings.append((str(said), said.zh))
