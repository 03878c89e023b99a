"""Evaluating a case file: each person's own conducts, then what each person answers for.

Mechanism only: which part a person plays in a decision is read from the case file (decided_by,
facts_reported.by, votes, reviewed_by, team, executed_by, the owners of the conducts the decision
led to); what follows from a part is read from `rules/<version>/allocation.yaml`. The version is
the one Art. 28 applied to the conducts the decision led to (the rest of the engine decides it).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import NULL, describe, evaluate, failing_tests
from ..rulebook.conditions import All as _All
from ..determination.model import Determination, RulebookInfo
from .casefile import CaseFile, CasePerson, Decision, Tri, person_facts
from .determination import (Allocation, AllocationTrace, CaseDetermination, CaseOverall, Check, DecisionRecord,
                            PersonDetermination, PersonOverall, Text2)
from .rules import AllocationRule, AllocationRules, allocation_rules_for, allocation_schema

if TYPE_CHECKING:
    from ..evaluate.engine import Engine

__all__ = ["evaluate_case", "explain_case", "fire", "make_fact", "decision_facts", "HEAVIEST"]

# Heaviest first: which allocation result sums up a person (mechanism: an order, not a legal rule).
HEAVIEST = ("bears_mainly", "bears", "bears_corresponding", "not_determined", "separate_track", "does_not_bear")
BEARING = ("bears_mainly", "bears", "bears_corresponding")
_KEYS = {name: spec.key for name, spec in allocation_schema().items()}


def make_fact(**values: Any) -> dict[str, Any]:
    fact = {key: NULL for key in _KEYS.values()}
    for name, value in values.items():
        fact[_KEYS[name.replace("__", ".")]] = NULL if value is None else getattr(value, "value", value)
    return fact


def evaluate_case(engine: "Engine", case: CaseFile, *, as_of: _dt.date | None = None) -> CaseDetermination:
    rb = engine.rulebook
    rules = allocation_rules_for(rb)
    own: dict[str, Determination | None] = {}
    evaluated_on = as_of
    for person in case.persons:
        facts = person_facts(case, person)
        det = engine.evaluate(facts, as_of=as_of) if facts is not None else None
        own[person.id] = det
        if det is not None:
            evaluated_on = det.evaluated_on
    evaluated_on = evaluated_on or as_of or _dt.date.today()
    if as_of is None and not any(own.values()):
        engine.rulebook.in_force(evaluated_on)  # the same check of the evaluation date as for conducts
    current = engine.rulebook.in_force(evaluated_on).id
    conduct_det = {c.conduct_id: c for d in own.values() if d is not None for c in d.conducts}

    case_warnings: list[tuple[str, str]] = []
    records: list[DecisionRecord] = []
    facts_of: dict[str, list[tuple[dict[str, Any], str | None, str | None, str, bool]]] = {
        p.id: [] for p in case.persons}  # person → (fact, decision id, conduct id, version, conditional)

    for person in case.persons:
        det = own[person.id]
        for c in (det.conducts if det else []):
            liable = Tri.unknown if c.finding == rb.undetermined else (Tri.yes if c.liable else Tri.no)
            version = c.version_applied or current
            fact = make_fact(part="own_conduct", person__role=person.role, person__procurator_post=person.procurator_post,
                         person__leadership=person.leadership, conduct__act=c.act, conduct__liable=liable,
                         choice__auxiliary_staff=case.choices.auxiliary_staff)
            facts_of[person.id].append((fact, None, c.conduct_id, version, False))

    for d in case.decisions:
        version, reason = _decision_version(d, conduct_det, rb, current, evaluated_on)
        parts = _parts(case, d)
        body: list[Allocation] = []
        if d.wrong is not Tri.no and version is not None and d.decider_kind.value in ("committee",
                                                                                      "upper_procuratorate"):
            book = rules.get(version)
            if book is not None:  # the deciding body itself, as a decider with no person
                fact = make_fact(part="decider", decided_by=d.decider_kind, person__role="unknown",
                                 person__procurator_post="unknown", person__leadership="unknown",
                                 decision__within_powers=d.within_powers, decision__changed_opinion=d.changed_opinion,
                                 decision__manifestly_unlawful=d.manifestly_unlawful,
                                 outcome__cause=d.outcome.cause if d.outcome else None,
                                 choice__auxiliary_staff=case.choices.auxiliary_staff)
                body = [_allocation(r, d.id, None, "decider", d.wrong is Tri.unknown) for r in fire(book, fact)[3]]
        records.append(DecisionRecord(
            decision_id=d.id, matter=d.matter, date=d.date, decided_by=d.decided_by, wrong=d.wrong.value,
            version_applied=version, version_reason=reason, led_to_conducts=list(d.led_to_conducts),
            parts={pid: sorted(ps) for pid, ps in parts.items()}, body=body))
        if d.wrong is Tri.no:
            continue
        if version is None:
            case_warnings.append((f"decision {d.id}: no version of the allocation rules applies ({reason.en})",
                                  f"决定{d.id}：无可适用的责任划分规则版本（{reason.zh}）"))
            continue
        for pid, fact in decision_facts(case, d):
            facts_of[pid].append((fact, d.id, None, version, d.wrong is Tri.unknown))

    persons = [_person(person, own[person.id], facts_of[person.id], rules, rb) for person in case.persons]
    overall = _case_overall(persons, rb)
    info = own_info(own.values()) or RulebookInfo(digest=rb.digest[:16], backend=engine.backend,
                                                  versions=[v.id for v in rb.versions if v.in_force_from <= evaluated_on])
    return CaseDetermination(case_id=case.case.id, evaluated_on=evaluated_on, overall=overall, persons=persons,
                             decisions=records, rulebook=info, engine=engine._engine_info, warnings=[w for w, _ in case_warnings],
                             warnings_zh=[z for _, z in case_warnings])


def decision_facts(case: CaseFile, d: Decision) -> list[tuple[str, dict[str, Any]]]:
    """One allocation fact per person and part they play in the decision."""
    decider = case.person(d.decided_by) if d.decider_kind.value == "person" else None
    objectors = {o.by: o for o in d.objections}
    votes = {v.member: v.vote for v in d.votes}
    out = []
    for pid, ps in _parts(case, d).items():
        person = case.person(pid)
        assert person is not None
        obj = objectors.get(pid)
        for part in sorted(ps):
            out.append((pid, make_fact(
                part=part, decided_by=d.decider_kind, person__role=person.role,
                person__procurator_post=person.procurator_post, person__leadership=person.leadership,
                decider__role=decider.role if decider else None, decision__within_powers=d.within_powers,
                decision__changed_opinion=d.changed_opinion, decision__manifestly_unlawful=d.manifestly_unlawful,
                report__truthful_complete=d.facts_reported.truthful_complete, report__defect=d.facts_reported.defect,
                vote=votes.get(pid) if part == "committee_member" else None, objected=Tri.yes if obj else Tri.no,
                objection__in_writing=obj.in_writing if obj else None,
                outcome__cause=d.outcome.cause if d.outcome else None,
                choice__auxiliary_staff=case.choices.auxiliary_staff)))
    return out


def own_info(dets: Any) -> RulebookInfo | None:
    return next((d.rulebook for d in dets if d is not None), None)


def _parts(case: CaseFile, d: Decision) -> dict[str, set[str]]:
    """Each person's parts in a decision, as the case file records them."""
    parts: dict[str, set[str]] = {}

    def add(pid: str | None, part: str) -> None:
        if pid is not None and case.person(pid) is not None:
            parts.setdefault(pid, set()).add(part)

    decider = d.decided_by if d.decider_kind.value == "person" else None
    add(decider, "decider")
    if d.proposed_by != decider:
        add(d.proposed_by, "proposer")
    add(d.facts_reported.by, "reporter")
    for v in d.votes:
        add(v.member, "committee_member")
    for pid in d.reviewed_by:
        add(pid, "reviewer")
    for pid in d.team:
        if pid != decider:
            add(pid, "team_member")
    executors = list(d.executed_by)
    for cid in d.led_to_conducts:
        owner = case.owner_of(cid)
        if owner is not None:
            executors.append(owner.id)
    for pid in executors:
        if pid != decider:
            add(pid, "executor")
    return parts


def _decision_version(d: Decision, conduct_det: dict[str, Any], rb: Any, current: str,
                      evaluated_on: _dt.date) -> tuple[str | None, Text2]:
    """Art. 28 as the rest of the engine applied it: the version applied to the conducts the decision led to."""
    applied = sorted({conduct_det[c].version_applied for c in d.led_to_conducts
                      if c in conduct_det and conduct_det[c].version_applied})
    if len(applied) == 1:
        return applied[0], Text2(zh=f"按第二十八条适用于该决定所致行为的版本（{applied[0]}）",
                                 en=f"the version Art. 28 applied to the conducts the decision led to ({applied[0]})")
    if len(applied) > 1:
        return None, Text2(zh=f"该决定所致行为适用了不同版本（{'、'.join(applied)}），责任划分的版本无法确定",
                           en=f"the conducts the decision led to were judged under different versions "
                           f"({', '.join(applied)}); the allocation version is not determined")
    if d.date is not None:
        in_force = [v for v in rb.versions if v.in_force_on(d.date)]
        if in_force and d.date <= evaluated_on:
            vid = in_force[-1].id
            return vid, Text2(zh=f"该决定未关联可认定的行为，按决定日期{d.date}施行的版本（{vid}）",
                              en=f"no judged conduct is linked to the decision: the version in force on its date "
                              f"{d.date} ({vid})")
    return current, Text2(zh=f"该决定未关联可认定的行为且日期不明，按现行版本（{current}）",
                          en=f"no judged conduct is linked to the decision and its date is unknown: the current "
                          f"version ({current})")


def _checks(rule: AllocationRule, fact: dict[str, Any]) -> list[Check]:
    cond = rule.when
    if cond is None:
        return []
    parts = cond.items if isinstance(cond, _All) else (cond,)
    failing = set(map(id, failing_tests(cond, fact)))

    def label(field: str, value: Any) -> str:
        actual = fact.get(field.replace(".", "__"), NULL)
        return f"{field} = {value}" + ("" if actual == value else f" ({actual})")

    return [Check(text=describe(p, label), holds=id(p) not in failing) for p in parts]


def _t(b: Any) -> Text2 | None:
    return Text2(zh=b.zh, en=b.en) if b is not None else None


def _interp(rule: AllocationRule) -> Text2 | None:
    i = rule.interpretation
    return Text2(zh=i.reason_zh, en=i.reason) if i is not None else None


def fire(book: AllocationRules, fact: dict[str, Any]) -> tuple[list[AllocationRule], set[str], dict[str, str],
                                                             list[AllocationRule]]:
    """The rules for the fact's part; those that fired; the defeated (→ by whom); those left standing."""
    part = fact[_KEYS["part"]]
    relevant = [r for r in book.rules if part in r.parts]
    fired = [r for r in relevant if evaluate(r.condition, fact)]
    fired_ids = {r.id for r in fired}
    defeated: dict[str, str] = {}
    for r in fired:
        for loser in r.defeats:
            if loser in fired_ids:
                defeated.setdefault(loser, r.id)
    return relevant, fired_ids, defeated, [r for r in fired if r.id not in defeated]


def _allocation(r: AllocationRule, decision_id: str | None, conduct_id: str | None, part: str, conditional: bool,
                conflict: bool = False) -> Allocation:
    return Allocation(
        decision_id=decision_id, conduct_id=conduct_id, part=part, answers_for=r.answers_for,
        result="not_determined" if conflict else r.result, rule=r.id, point=r.point, version=r.version,
        source=_t(r.source), source_confidence=r.source_confidence, provisional=r.provisional, note=r.note,
        interpretation=_interp(r), assumption=_t(r.assumption), explanation=_t(r.explanation),
        missing=list(r.missing), missing_provision=_t(r.missing_provision), conditional=conditional)


def _person(person: CasePerson, own: Determination | None, facts: list[Any], rules: dict[str, AllocationRules | None],
            rb: Any) -> PersonDetermination:
    allocations: list[Allocation] = []
    trace: list[AllocationTrace] = []
    warnings: list[tuple[str, str]] = []
    for fact, decision_id, conduct_id, version, conditional in facts:
        book = rules.get(version)
        part = fact[_KEYS["part"]]
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
                                         answers_for=r.answers_for, result=r.result, checks=_checks(r, fact),
                                         source_confidence=r.source_confidence))
        for r in standing:
            allocations.append(_allocation(r, decision_id, conduct_id, part, conditional and decision_id is not None,
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


def _case_overall(persons: list[PersonDetermination], rb: Any) -> CaseOverall:
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


def explain_case(engine: "Engine", case: CaseFile, *, as_of: _dt.date | None = None,
                 person: str | None = None) -> CaseDetermination:
    """`evaluate_case`, with each person's own conducts explained (`Engine.explain`: why not, what would
    change); `person` keeps that person alone (the decisions stay, for context)."""
    from ..errors import FactsError, Problem, did_you_mean

    ids = [p.id for p in case.persons]
    if person is not None and person not in ids:
        raise FactsError(Problem(f"no person '{person}' in this case file", field="--person", value=person,
                                 allowed=ids, suggestion=did_you_mean(person, ids)))
    det = evaluate_case(engine, case, as_of=as_of)
    persons = []
    for p, result in zip(case.persons, det.persons):
        if person is not None and p.id != person:
            continue
        facts = person_facts(case, p)
        own = engine.explain(facts, as_of=det.evaluated_on) if facts is not None else None
        persons.append(result.model_copy(update={"own": own}))
    return det.model_copy(update={"persons": persons})
