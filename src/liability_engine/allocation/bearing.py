"""What each person answers for, summed up: their allocations and trace under each fact of theirs, their
overall result (the heaviest), the sentence that says it, and the case's overall."""

from __future__ import annotations

from typing import Any

from ..determination.model import Determination
from .casefile import CasePerson
from .determination import Allocation, AllocationTrace, CaseOverall, PersonDetermination, PersonOverall, Text2
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
        where_en = f"decision {decision_id}" if decision_id else f"conduct {conduct_id}"
        where_zh = f"决定{decision_id}" if decision_id else f"行为{conduct_id}"
        if book is None:
            warnings.append((f"{where_en} ({part}): no allocation rules are encoded for version {version}; not "
                             "determined by the encoded sources",
                             f"{where_zh}（{part}）：{version}年版本未编码责任划分规则，现有规则来源未作规定"))
            continue
        relevant, fired_ids, defeated, standing = fire(book, fact)
        conflicts: set[str] = set()
        by_head: dict[str, list[AllocationRule]] = {}
        for r in standing:
            by_head.setdefault(r.answers_for, []).append(r)
        for head, rs in by_head.items():
            if len({r.result for r in rs}) > 1:
                conflicts.update(r.id for r in rs)
                warnings.append((f"{where_en}: rules {', '.join(r.id for r in rs)} disagree on {head} with no declared "
                                 "precedence (liability rules check reports it); not determined",
                                 f"{where_zh}：规则{'、'.join(r.id for r in rs)}对“{head}”结论冲突且无优先规定，无法确定"))
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
                warnings.append((f"{where_en}: {r.id} rests on a low-confidence source (a labelled assumption): "
                                 f"{assumed.en if assumed else ''} The result is provisional.",
                                 f"{where_zh}：{r.id}依据低可信度来源（标明的假定）：{assumed.zh if assumed else ''}"
                                 "该结论为暂定。"))
            if conditional and decision_id is not None and r.result in BEARING:
                warnings.append((f"{where_en}: whether the decision was wrong is not established; {r.id} holds only "
                                 "if it was", f"{where_zh}：决定是否错误尚未查明；{r.id}仅在决定错误时成立"))
        if not standing and relevant:
            warnings.append((f"{where_en} ({part}): no allocation rule applies; not determined by the encoded sources",
                             f"{where_zh}（{part}）：无适用的责任划分规则，现有规则来源未作规定"))
    if own is None and any(a.part == "decider" and a.result in BEARING for a in allocations):
        warnings.append(("the person answers for a decision but no conduct of theirs is recorded: their degree of fault "
                         "(Arts. 7–8) is judged on conducts; record the deciding as a conduct to have it judged",
                         "该人员对决定负责，但未记录其本人行为：过错程度（第七条、第八条）依行为认定；如需认定，请将作出决定记录为行为"))
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
    zh: list[str] = []
    en: list[str] = []
    if own is not None:
        zh.append(f"本人行为：{rb.finding_label(own.overall.finding, 'zh')}")
        en.append(f"own conducts: {rb.finding_label(own.overall.finding, 'en')}")
    from .render import HEAD_WORDS, PART_WORDS

    for a in allocations:
        if a.decision_id is None:
            continue
        part, head = PART_WORDS.get(a.part, (a.part, a.part)), HEAD_WORDS.get(a.answers_for, (a.answers_for,) * 2)
        zh.append(f"决定{a.decision_id}（{part[0]}，{head[0]}）：{a.explanation.zh}")
        en.append(f"decision {a.decision_id} ({part[1]}, {head[1]}): {a.explanation.en}")
    if not zh:
        zh.append("未涉及任何行为或决定")
        en.append("no conduct or decision concerns this person")
    if overall.provisional:
        zh.append("（部分结论依据低可信度来源，为暂定）")
        en.append("(some results rest on low-confidence sources and are provisional)")
    return Text2(zh="；".join(zh), en="; ".join(en))


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
