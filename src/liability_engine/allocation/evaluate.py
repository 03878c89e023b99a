"""Evaluating a case file: each person's own conducts, then what each person answers for.

Mechanism only: which part a person plays in a decision is read from the case file (decided_by,
facts_reported.by, votes, reviewed_by, team, executed_by, the owners of the conducts the decision
led to); what follows from a part is read from `rules/<version>/allocation.yaml`. The version is
the one Art. 28 applied to the conducts the decision led to (the rest of the engine decides it).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from ..determination.model import Determination, RulebookInfo
from ..errors import FactsError
from ..i18n import Message, join, msg
from .bearing import HEAVIEST, case_overall, person_determination
from .casefile import CaseFile, Decision, Tri, person_facts
from .determination import Allocation, CaseDetermination, DecisionRecord, Text2
from .firing import allocation, fire, make_fact
from .rules import AllocationRules, allocation_rules_for

if TYPE_CHECKING:
    from ..evaluate.engine import Engine

__all__ = ["evaluate_case", "explain_case", "fire", "make_fact", "decision_facts", "HEAVIEST"]

Owned = list[tuple[dict[str, Any], str | None, str | None, str, bool]]  # (fact, decision id, conduct id, version,
#                                                                         conditional) of one person


def evaluate_case(engine: "Engine", case: CaseFile, *, as_of: _dt.date | None = None) -> CaseDetermination:
    """Each person's own conducts (through the engine), then what each answers for, decision by decision."""
    rb = engine.rulebook
    rules = allocation_rules_for(rb)
    own, evaluated_on = _own_determinations(engine, case, as_of)
    current = engine.rulebook.in_force(evaluated_on).id
    conduct_det = {c.conduct_id: c for d in own.values() if d is not None for c in d.conducts}
    case_warnings: list[tuple[str, str]] = []
    facts_of = _own_facts(case, own, rb, current)
    records = [_decision(case, d, rules, facts_of, case_warnings, conduct_det, rb, current, evaluated_on)
               for d in case.decisions]
    persons = [person_determination(person, own[person.id], facts_of[person.id], rules, rb) for person in case.persons]
    overall = case_overall(persons, rb)
    info = own_info(own.values()) or RulebookInfo(digest=rb.digest[:16], backend=engine.backend,
                                                  versions=[v.id for v in rb.versions if v.in_force_from <= evaluated_on])
    return CaseDetermination(case_id=case.case.id, evaluated_on=evaluated_on, overall=overall, persons=persons,
                             decisions=records, rulebook=info, engine=engine._engine_info, warnings=[w for w, _ in case_warnings],
                             warnings_zh=[z for _, z in case_warnings])


def _own_determinations(engine: "Engine", case: CaseFile,
                        as_of: _dt.date | None) -> tuple[dict[str, Determination | None], _dt.date]:
    """Each person's own conducts through `Engine.evaluate` (None without conducts), and the evaluation date."""
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
    later = [case.located(("decisions", i, "date"), msg("input_hunt.decision_after_as_of", date=d.date,
                                                        as_of=evaluated_on), value=str(d.date))
             for i, d in enumerate(case.decisions) if d.date is not None and d.date > evaluated_on]
    if later:  # as a conduct dated after it: a decision dated 2099 was judged without a word
        raise FactsError(later)
    return own, evaluated_on


def _own_facts(case: CaseFile, own: dict[str, Determination | None], rb: Any, current: str) -> dict[str, Owned]:
    """For each person, one allocation fact per own conduct (under the version Art. 28 applied to it)."""
    facts_of: dict[str, Owned] = {p.id: [] for p in case.persons}
    for person in case.persons:
        det = own[person.id]
        for c in (det.conducts if det else []):
            liable = Tri.unknown if c.finding == rb.undetermined else (Tri.yes if c.liable else Tri.no)
            version = c.version_applied or current
            fact = make_fact(part="own_conduct", person__role=person.role, person__procurator_post=person.procurator_post,
                             person__leadership=person.leadership, conduct__act=c.act, conduct__liable=liable,
                             choice__auxiliary_staff=case.choices.auxiliary_staff)
            facts_of[person.id].append((fact, None, c.conduct_id, version, False))
    return facts_of


def _decision(case: CaseFile, d: Decision, rules: dict[str, AllocationRules | None], facts_of: dict[str, Owned],
              case_warnings: list[tuple[str, str]], conduct_det: dict[str, Any], rb: Any, current: str,
              evaluated_on: _dt.date) -> DecisionRecord:
    """One decision's record (its version, the parts played, what a deciding body answers for); the facts of the
    persons' parts go to `facts_of` (unless the decision was not wrong)."""
    version, reason = _decision_version(d, conduct_det, rb, current, evaluated_on)
    parts = _parts(case, d)
    record = DecisionRecord(
        decision_id=d.id, matter=d.matter, date=d.date, decided_by=d.decided_by, wrong=d.wrong.value,
        version_applied=version, version_reason=reason, led_to_conducts=list(d.led_to_conducts),
        parts={pid: sorted(ps) for pid, ps in parts.items()}, body=_body(case, d, rules, version))
    if d.wrong is Tri.no:
        return record
    if version is None:
        said = msg("allocation.warning.no_version", id=d.id, reason=Message(reason.en, reason.zh))
        case_warnings.append((str(said), said.zh))
        return record
    for pid, fact in decision_facts(case, d):
        facts_of[pid].append((fact, d.id, None, version, d.wrong is Tri.unknown))
    return record


def _body(case: CaseFile, d: Decision, rules: dict[str, AllocationRules | None],
          version: str | None) -> list[Allocation]:
    """What the deciding body answers for when the decider is the committee or an upper procuratorate."""
    if d.wrong is Tri.no or version is None or d.decider_kind.value not in ("committee", "upper_procuratorate"):
        return []
    book = rules.get(version)
    if book is None:
        return []
    fact = make_fact(part="decider", decided_by=d.decider_kind, person__role="unknown",
                     person__procurator_post="unknown", person__leadership="unknown",
                     decision__within_powers=d.within_powers, decision__changed_opinion=d.changed_opinion,
                     decision__manifestly_unlawful=d.manifestly_unlawful,
                     outcome__cause=d.outcome.cause if d.outcome else None,
                     choice__auxiliary_staff=case.choices.auxiliary_staff)
    return [allocation(r, d.id, None, "decider", d.wrong is Tri.unknown) for r in fire(book, fact)[3]]


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
        return applied[0], _text2(msg("allocation.version.applied", version=applied[0]))
    if len(applied) > 1:
        return None, _text2(msg("allocation.version.mixed", versions=join("determination.list", applied)))
    if d.date is not None:
        in_force = [v for v in rb.versions if v.in_force_on(d.date)]
        if in_force and d.date <= evaluated_on:
            vid = in_force[-1].id
            return vid, _text2(msg("allocation.version.on_date", date=d.date, version=vid))
    return current, _text2(msg("allocation.version.current", version=current))


def _text2(m: Message) -> Text2:
    return Text2(zh=m.zh, en=str(m))


def explain_case(engine: "Engine", case: CaseFile, *, as_of: _dt.date | None = None,
                 person: str | None = None) -> CaseDetermination:
    """`evaluate_case`, with each person's own conducts explained (`Engine.explain`: why not, what would
    change); `person` keeps that person alone (the decisions stay, for context)."""
    from ..errors import FactsError, Problem, did_you_mean

    ids = [p.id for p in case.persons]
    if person is not None and person not in ids:
        raise FactsError(Problem(msg("allocation.error.no_person_in_case", person=person), field="--person", value=person,
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
