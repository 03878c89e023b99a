"""YAML cases beside the procedure rules (`rules/<version>/procedure/tests/*.yaml`), run by pytest.

Each file is a list of cases:

    - name: A county procurator who is not in the leadership is investigated by the county procuratorate (Art. 10)
      facts: {act: wrong_decision, fault: gross, effects: {serious_consequence: true},
              procedure: {procuratorate_level: county, leadership: false}}
      expect: {fired: [2024.art10.own], bodies: {2024.art10.own: county}, misses: [2024.art10.leadership]}

`facts` is a whole liability-facts/1 document, or the short form: the fields of one conduct plus
optional `case`, `person` and `procedure` (`date` defaults to 2025-01-02). `as_of` defaults to
2026-01-01. Expectations:
  fired / not_fired     rule ids that did / did not apply (decisions and notes alike)
  misses                the rule did not apply and exactly one of its conditions failed (a near miss);
                        a rule without conditions is missed when an earlier step ended the route
  steps                 {step: decided | undetermined | none | skipped}
  missing               {step: [fields]}: the unknown facts that leave the step undetermined
  bodies                {rule: level}: the body (level) the rule names
  deadlines             {deadline id: {status, ends, nominal_end, days_left, days_over}}; a deadline
                        is fired when computed and missed when not_applicable or not_started
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..rulebook.conditions import failing_tests
from ..facts.documents import Document
from ..errors import FactsError, Problem
from ..i18n import msg
from ..facts.model import Facts, facts_from_data
from ..rulebook.cases import CaseSpecBase, read_cases, short_form, spec_problems

__all__ = ["ProcCaseSpec", "ProcCase", "load_cases", "run_case", "DEFAULT_AS_OF", "case_outcomes"]

DEFAULT_AS_OF = _dt.date(2026, 1, 1)
DEFAULT_DATE = _dt.date(2025, 1, 2)


class DeadlineExpect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: str | None = None
    ends: _dt.date | None = None
    nominal_end: _dt.date | None = None
    days_left: int | None = None
    days_over: int | None = None


class ProcExpect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fired: list[str] = Field(default_factory=list)
    not_fired: list[str] = Field(default_factory=list)
    misses: list[str] = Field(default_factory=list)
    steps: dict[str, Literal["decided", "undetermined", "none", "skipped"]] = Field(default_factory=dict)
    missing: dict[str, list[str]] = Field(default_factory=dict)
    bodies: dict[str, str | None] = Field(default_factory=dict)
    deadlines: dict[str, DeadlineExpect] = Field(default_factory=dict)


class ProcCaseSpec(CaseSpecBase):
    as_of: _dt.date | None = None
    expect: ProcExpect


@dataclass
class ProcCase:
    name: str
    file: str
    line: int | None
    facts: Facts
    as_of: _dt.date
    expect: ProcExpect


def load_cases(files: list[Path]) -> list[ProcCase]:
    """The cases of these files; every problem (file, line, what) is raised together."""
    return read_cases(files, _case, "a test file is a list of cases (- name: … facts: … expect: …)")


def _case(i: int, raw: Any, doc: Document, problems: list[Problem]) -> ProcCase | None:
    line = doc.position((i,))[0]
    try:
        spec = ProcCaseSpec.model_validate(raw)
        facts = facts_from_data(short_form(spec.facts, DEFAULT_DATE, blocks=("procedure",), act="wrong_decision"))
    except ValidationError as exc:
        problems.extend(spec_problems(exc, doc, i, columns=False))
        return None
    except FactsError as exc:
        problems.extend(Problem(msg("ruletest.facts", problem=p.message), path=doc.path, line=line, field=p.field, allowed=p.allowed,
                                suggestion=p.suggestion) for p in exc.problems)
        return None
    return ProcCase(spec.name, doc.path, line, facts, spec.as_of or DEFAULT_AS_OF, spec.expect)


def case_outcomes(engine: Any, case: ProcCase) -> dict[str, Any]:
    """What the case gives: the route, the rules fired and missed, the deadlines computed and not."""
    from .evaluate import evaluate_route

    route, fact, rules = evaluate_route(engine, case.facts, as_of=case.as_of)
    status = {s.step: s for s in route.steps}
    fired = {o.rule: o for s in route.steps for o in s.outcomes}
    missed = set()
    for rule in rules.rules:
        if rule.id in fired:
            continue
        step = status[rule.step]
        if rule.condition is None:
            if step.status == "skipped":
                missed.add(rule.id)
        elif step.status != "skipped" and len(failing_tests(rule.condition, fact)) == 1:
            missed.add(rule.id)
    deadlines = {d.id: d for d in route.deadlines}
    for d in route.deadlines:
        if d.status in ("not_applicable", "not_started"):
            missed.add(d.id)
    computed = {d.id for d in route.deadlines if d.status not in ("not_applicable", "not_started")}
    return {"route": route, "fired": set(fired) | computed, "outcomes": fired, "missed": missed, "steps": status,
            "deadlines": deadlines}


def run_case(engine: Any, case: ProcCase) -> list[str]:
    """The differences between what the case expects and what the rules give (empty: it passes)."""
    got = case_outcomes(engine, case)
    e = case.expect
    diffs: list[str] = []
    for rid in e.fired:
        if rid not in got["fired"]:
            diffs.append(f"expected {rid} to apply; applied: {sorted(got['fired']) or 'none'}")
    for rid in e.not_fired:
        if rid in got["fired"]:
            diffs.append(f"expected {rid} not to apply, but it did")
    for rid in e.misses:
        if rid not in got["missed"]:
            diffs.append(f"expected a near miss of {rid} (not applied, exactly one condition failing); it "
                         f"{'applied' if rid in got['fired'] else 'failed on more than one condition'}")
    for step, status in e.steps.items():
        have = got["steps"].get(step)
        if have is None or have.status != status:
            diffs.append(f"step {step}: expected {status}, got {have.status if have else 'no such step'}")
    for step, fields in e.missing.items():
        have = got["steps"].get(step)
        names = [m.field for m in have.missing] if have else []
        if sorted(names) != sorted(fields):
            diffs.append(f"step {step}: expected missing {sorted(fields)}, got {sorted(names)}")
    for rid, level in e.bodies.items():
        out = got["outcomes"].get(rid)
        if out is None or out.body != level:
            diffs.append(f"{rid}: expected body {level}, got {out.body if out else 'the rule did not apply'}")
    for did, want in e.deadlines.items():
        have = got["deadlines"].get(did)
        if have is None:
            diffs.append(f"no deadline {did}")
            continue
        for key, value in want.model_dump(exclude_none=True).items():
            if getattr(have, key) != value:
                diffs.append(f"{did}.{key}: expected {value}, got {getattr(have, key)}")
    return diffs
