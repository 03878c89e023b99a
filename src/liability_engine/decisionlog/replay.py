"""Replay: every logged decision re-evaluated under the current (or another) rulebook, and the decisions
whose finding, liability or citation would change, with the deciding rules on each side.

This is how a rule author sees what an edit does to real past decisions. A decision is replayed with
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

__all__ = ["REPLAY_SCHEMA", "ConductSide", "ConductChange", "DecisionReplay", "ReplayReport", "replay"]

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


def replay(decisions: Iterable[Any], engine: Any, *, log_name: str, rules_folder: str,
           engine_version: str) -> ReplayReport:
    """Re-evaluate each LoggedDecision with `engine` at its own as_of; the report lists what changed."""
    from ..facts import facts_from_data

    digest = engine.rulebook.digest
    total = changed = errors = other = 0
    rows: list[DecisionReplay] = []
    for d in decisions:
        total += 1
        moved = d.rulebook_digest != digest
        other += moved
        note = note_zh = None
        if moved:
            note = (f"logged under rulebook {d.rulebook_digest[:16]}, which is not the one replayed with; "
                    f"replayed under {digest[:16]}")
            note_zh = f"记录时所用规则库为 {d.rulebook_digest[:16]}，已非本次重放所用规则库；按 {digest[:16]} 重放"
        base = dict(decision_id=d.decision_id, logged_at=d.logged_at, case_id=d.case_id, as_of=d.as_of,
                    caller=d.caller, logged_rulebook=d.rulebook_digest, replayed_rulebook=digest,
                    rulebook_changed=moved, note=note, note_zh=note_zh)
        try:
            facts = facts_from_data(d.facts)
            det = engine.evaluate(facts, as_of=_dt.date.fromisoformat(d.as_of))
        except LiabilityError as exc:
            errors += 1
            rows.append(DecisionReplay(**base, status="error", error=[p.as_dict() for p in exc.problems]))
            continue
        diff = compare(d.determination, json.loads(det.model_dump_json()))
        if diff:
            changed += 1
            rows.append(DecisionReplay(**base, status="changed", changes=diff))
    return ReplayReport(log=log_name, rulebook=digest, rules_folder=rules_folder, engine_version=engine_version,
                        replayed_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                        decisions=total, changed=changed, unchanged=total - changed - errors, errors=errors,
                        logged_under_other_rulebooks=other, changes=rows)
