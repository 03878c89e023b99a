"""Replay: every logged decision re-evaluated under the current (or another) rulebook, and the decisions
whose finding, liability or citation would change, with the deciding rules on each side.

This is how a rule author sees what an edit does to real past decisions. A case file (`liability-facts/2`) is
replayed as a case: the persons whose finding, liability, citation or allocated share would change, with the
deciding rules on each side (their own conducts' and the allocation rules'). A decision is replayed with
its own `as_of` (the law in force then is chosen as it was), on the normalised facts recorded. A
decision logged under a rulebook other than the one replayed with says so (`rulebook_changed`), and
is replayed under the one given all the same: the old rulebook is not kept, only its hash.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import LiabilityError
from ..facts.model import NONE_WHEN_LEFT_OUT

__all__ = ["REPLAY_SCHEMA", "ConductSide", "ConductChange", "PersonSide", "PersonChange", "DecisionReplay",
           "ReplayReport", "replay"]

REPLAY_SCHEMA = "liability-replay/1"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True, populate_by_name=True)


class ConductSide(_Out):
    """What one rulebook says about one conduct."""

    finding: str
    liable: bool
    citation: str | None = Field(description="the citation's label, e.g. Art. 7(2)")
    citation_zh: str | None = None
    version_applied: str | None
    deciding_rules: list[str] = Field(description="the Art. 28 rule that chose the version, then the rule that "
                                      "decided under the version applied")


class ConductChange(_Out):
    conduct_id: str
    changed: list[Literal["finding", "liable", "citation", "missing"]]
    logged: ConductSide | None
    replayed: ConductSide | None


class PersonSide(_Out):
    """What one rulebook says about one person of a case file."""

    finding: str | None = Field(description="the most severe finding of the person's own conducts")
    liable: bool | None
    citations: list[str] = Field(description="the citations of the person's own conducts, e.g. Art. 7(2)")
    share: str | None = Field(description="the heaviest allocation result (bears, bears_corresponding, …)")
    allocations: list[str] = Field(description="each allocation: decision or conduct, part, result, rule")
    deciding_rules: list[str] = Field(description="the rules that decided the person's own conducts, then the "
                                      "allocation rules that fired")


class PersonChange(_Out):
    person_id: str
    changed: list[Literal["finding", "liable", "citation", "share", "missing"]]
    logged: PersonSide | None
    replayed: PersonSide | None
    conducts: list[ConductChange] = Field(default_factory=list, description="the person's own conducts that changed")


class DecisionReplay(_Out):
    decision_id: str
    logged_at: str
    case_id: str | None
    as_of: str
    caller: str | None
    logged_rulebook: str
    replayed_rulebook: str
    rulebook_changed: bool = Field(description="the decision was logged under another rulebook content than "
                                   "the one replayed with (that rulebook is no longer the one installed)")
    note: str | None = None
    note_zh: str | None = None
    status: Literal["changed", "unchanged", "error"]
    changes: list[ConductChange] = Field(default_factory=list)
    persons: list[PersonChange] = Field(default_factory=list, description="a case file: the persons that changed")
    error: list[dict[str, Any]] | None = Field(default=None, description="the problems, when the logged facts "
                                               "cannot be evaluated any more")


class ReplayReport(_Out):
    schema_: Literal["liability-replay/1"] = Field(default=REPLAY_SCHEMA, alias="schema")
    log: str
    rulebook: str = Field(description="the content hash of the rulebook replayed with")
    rules_folder: str
    engine_version: str
    replayed_at: str
    decisions: int
    changed: int
    unchanged: int
    errors: int
    logged_under_other_rulebooks: int
    changes: list[DecisionReplay] = Field(description="the decisions that changed or could not be replayed")


def side(conduct: dict[str, Any]) -> ConductSide:
    """The parts of a conduct determination (as JSON data) that replay compares."""
    temporal = conduct.get("temporal") or {}
    rules = [temporal["rule"]] if temporal.get("rule") else []
    applied = conduct.get("version_applied")
    rules += [e["decided_by"] for e in temporal.get("evaluations") or []
              if e.get("version") == applied and e.get("decided_by")]
    cite = conduct.get("citation") or None
    return ConductSide(finding=conduct["finding"], liable=bool(conduct["liable"]),
                       citation=cite.get("label") if cite else None, citation_zh=cite.get("label_zh") if cite else None,
                       version_applied=applied, deciding_rules=rules)


def compare(logged: dict[str, Any], replayed: dict[str, Any]) -> list[ConductChange]:
    """The conducts whose finding, liability or citation differ between two determinations (JSON data)."""
    before = {c["conduct_id"]: c for c in logged.get("conducts") or []}
    after = {c["conduct_id"]: c for c in replayed.get("conducts") or []}
    changes = []
    for cid in list(before) + [c for c in after if c not in before]:
        old = side(before[cid]) if cid in before else None
        new = side(after[cid]) if cid in after else None
        if old is None or new is None:
            changes.append(ConductChange(conduct_id=cid, changed=["missing"], logged=old, replayed=new))
            continue
        changed: list[Any] = [name for name, a, b in (("finding", old.finding, new.finding),
                                                      ("liable", old.liable, new.liable),
                                                      ("citation", old.citation, new.citation)) if a != b]
        if changed:
            changes.append(ConductChange(conduct_id=cid, changed=changed, logged=old, replayed=new))
    return changes


def person_side(person: dict[str, Any]) -> PersonSide:
    """The parts of a person's case determination (as JSON data) that replay compares."""
    own = person.get("own") or {}
    conducts = [side(c) for c in own.get("conducts") or []]
    allocations = person.get("allocations") or []
    overall = person.get("overall") or {}
    fired = [t["rule"] for t in person.get("trace") or [] if t.get("outcome") == "fired"]
    return PersonSide(finding=overall.get("finding"), liable=overall.get("liable"),
                      citations=[c.citation for c in conducts if c.citation],
                      share=overall.get("allocation"),
                      allocations=[f"{a.get('decision_id') or a.get('conduct_id') or '-'} {a['part']}: {a['result']} "
                                   f"({a['rule']})" for a in allocations],
                      deciding_rules=[r for c in conducts for r in c.deciding_rules] + fired)


def compare_case(logged: dict[str, Any], replayed: dict[str, Any]) -> list[PersonChange]:
    """The persons of the logged case determination whose finding, liability, citations or allocated share differ
    in the replayed one (JSON data), with their own conducts that changed."""
    before = {p["person_id"]: p for p in logged.get("persons") or []}
    after = {p["person_id"]: p for p in replayed.get("persons") or []}
    changes = []
    # a person absent from the logged determination was left out on purpose (explained for one person alone)
    for pid in before:
        old = person_side(before[pid])
        new = person_side(after[pid]) if pid in after else None
        if new is None:
            changes.append(PersonChange(person_id=pid, changed=["missing"], logged=old, replayed=None))
            continue
        changed: list[Any] = [name for name, a, b in (("finding", old.finding, new.finding),
                                                      ("liable", old.liable, new.liable),
                                                      ("citation", old.citations, new.citations),
                                                      ("share", (old.share, old.allocations),
                                                       (new.share, new.allocations))) if a != b]
        if changed:
            conducts = compare(before[pid].get("own") or {}, after[pid].get("own") or {})
            changes.append(PersonChange(person_id=pid, changed=changed, logged=old, replayed=new, conducts=conducts))
    return changes


def as_logged(data: Any) -> Any:
    """Logged facts as they were meant: the engine once wrote an accident or execution incident that did not happen
    as null, which now reads as unknown (null means unknown, SPEC §2); it now leaves such a field out, so a null
    in the log is one of those rows, and means none happened."""
    if isinstance(data, list):
        return [as_logged(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key == "effects" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if not (v is None and k in NONE_WHEN_LEFT_OUT)}
        out[key] = as_logged(value)
    return out


def _replayed(d: Any, engine: Any) -> tuple[list[ConductChange], list[PersonChange]]:
    """The changes of one logged decision, evaluated again at its own as_of (a case file as a case)."""
    from ..allocation.reading import from_document
    from ..facts.documents import Document

    try:
        as_of = _dt.date.fromisoformat(d.as_of)
    except (TypeError, ValueError):  # a row altered by hand: this decision cannot be replayed (was an internal error)
        from .. import FactsError
        from ..errors import Problem
        from ..i18n import msg

        raise FactsError(Problem(msg("input_hunt.logged_as_of", value=d.as_of), field="as_of")) from None
    facts = from_document(Document(data=as_logged(d.facts), path=f"decision {d.decision_id}"))  # either contract
    if getattr(facts, "persons", None) is not None:  # a case file
        det = engine.evaluate_case(facts, as_of=as_of)
        return [], compare_case(d.determination, json.loads(det.model_dump_json()))
    det = engine.evaluate(facts, as_of=as_of)
    return compare(d.determination, json.loads(det.model_dump_json())), []


def replay(decisions: Iterable[Any], engine: Any, *, log_name: str, rules_folder: str,
           engine_version: str) -> ReplayReport:
    """Re-evaluate each LoggedDecision with `engine` at its own as_of; the report lists what changed."""
    from ..i18n import msg

    digest = engine.rulebook.digest
    total = changed = errors = other = 0
    rows: list[DecisionReplay] = []
    for d in decisions:
        total += 1
        moved = d.rulebook_digest != digest
        other += moved
        note = msg("decisionlog.note_moved", logged=d.rulebook_digest[:16], replayed=digest[:16]) if moved else None
        base = dict(decision_id=d.decision_id, logged_at=d.logged_at, case_id=d.case_id, as_of=d.as_of,
                    caller=d.caller, logged_rulebook=d.rulebook_digest, replayed_rulebook=digest,
                    rulebook_changed=moved, note=str(note) if note else None, note_zh=note.zh if note else None)
        try:
            conducts, persons = _replayed(d, engine)
        except LiabilityError as exc:
            errors += 1
            rows.append(DecisionReplay(**base, status="error", error=[p.as_dict() for p in exc.problems]))
            continue
        if conducts or persons:
            changed += 1
            rows.append(DecisionReplay(**base, status="changed", changes=conducts, persons=persons))
    return ReplayReport(log=log_name, rulebook=digest, rules_folder=rules_folder, engine_version=engine_version,
                        replayed_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                        decisions=total, changed=changed, unchanged=total - changed - errors, errors=errors,
                        logged_under_other_rulebooks=other, changes=rows)
