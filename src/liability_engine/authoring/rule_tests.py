"""YAML test cases beside the rules (`rules/<version>/tests/*.yaml`), OpenFisca style.

Each file is a list of cases:

    - name: A grossly negligent leak that caused bad influence is gross negligence under Art. 8(9)
      facts: {act: leak_case_information, fault: gross, effects: {bad_influence: true}}
      expect: {finding: gross_negligence, liable: true, rule: 2024.art8.item9, citation: Art. 8(9)}

`facts` is a whole liability-facts/1 document, or the short form: the fields of one conduct
(`date` defaults to the day the folder's version took effect). `as_of` defaults to 2026-01-01.
Expectations about the finding (`finding`, `liable`, `rule`, `citation`, `fired`, `not_fired`,
`misses`) concern the evaluation under the folder's version; `version_applied`, `applied_finding`
and `applied_liable` concern the final determination after Art. 28; `warnings` is a count.
`misses: [rule]` asserts the rule did not fire *and* that exactly one of its conditions failed:
the case is a near miss of that rule, which is what law coverage counts.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..rulebook.conditions import All, failing_tests
from ..facts.documents import Document
from ..facts.validation import Said, problems_of, pydantic_message
from ..evaluate.engine import Engine
from ..errors import FactsError, Problem, RulesError
from ..facts.model import Facts, facts_from_data
from ..rulebook.cases import CaseSpecBase, case_items, short_form
from ..i18n import Message, msg

__all__ = ["RuleCase", "CaseResult", "load_cases", "run_case", "DEFAULT_AS_OF", "coverage"]

DEFAULT_AS_OF = _dt.date(2026, 1, 1)


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: str | None = None
    liable: bool | None = None
    rule: str | None = None
    citation: str | None = None
    fired: list[str] = Field(default_factory=list)
    not_fired: list[str] = Field(default_factory=list)
    misses: list[str] = Field(default_factory=list)
    version_applied: str | None = None
    applied_finding: str | None = None
    applied_liable: bool | None = None
    warnings: int | None = None


class CaseSpec(CaseSpecBase):
    as_of: _dt.date | None = None
    expect: Expect


@dataclass
class RuleCase:
    name: str
    file: str
    line: int | None
    version: str
    facts: Facts
    as_of: _dt.date
    expect: Expect


@dataclass
class CaseResult:
    case: RuleCase
    differences: list[Message] = field(default_factory=list)
    decided_by: str | None = None
    fired: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


def load_cases(engine: Engine, pattern: str | None = None, files: list[Path] | None = None) -> list[RuleCase]:
    """All test cases of the engine's rulebook (or of `files`), filtered by a `-k` style pattern."""
    root = Path(engine.rulebook.folder)
    problems: list[Problem] = []
    cases: list[RuleCase] = []
    versions = {v.folder: v for v in engine.rulebook.versions}
    paths = files if files is not None else sorted(p for p in root.glob("*/tests/*.yaml")
                                                   if not p.name.startswith("allocation-"))  # allocation/cases.py
    for path in paths:
        version = versions.get(path.parent.parent.name)
        if version is None:
            problems.append(Problem(msg("ruletest.outside_version"), path=str(path)))
            continue
        for i, raw, doc in case_items(path, problems, msg("ruletest.not_a_list")):
            case = _case(raw, i, doc, version.id, version.in_force_from, problems)
            if case is not None and (pattern is None or _matches(pattern, case)):
                cases.append(case)
    if problems:
        raise RulesError(problems)
    return cases


def _matches(pattern: str, case: RuleCase) -> bool:
    text = f"{case.file} {case.name}".lower()
    pat = pattern.lower()
    return pat in text or fnmatch.fnmatch(text, f"*{pat}*")


def _case(raw: Any, i: int, doc: Document, version: str, default_date: _dt.date,
          problems: list[Problem]) -> RuleCase | None:
    line = doc.position((i,))[0]
    try:
        spec = CaseSpec.model_validate(raw)
    except ValidationError as exc:
        problems.extend(problems_of(exc, doc, lambda err, loc: Said(pydantic_message(err)), prefix=(i,),
                                    columns=False, field=lambda loc, err_loc: ".".join(str(p) for p in err_loc)))
        return None
    try:
        facts = facts_from_data(short_form(spec.facts, default_date),
                                source=Document(spec.facts, doc.path, {}))
    except FactsError as exc:
        for p in exc.problems:
            problems.append(Problem(msg("ruletest.facts", problem=p.message), path=doc.path, line=line, field=p.field,
                                    allowed=p.allowed, suggestion=p.suggestion))
        return None
    return RuleCase(spec.name, doc.path, line, version, facts, spec.as_of or DEFAULT_AS_OF, spec.expect)


def run_case(engine: Engine, case: RuleCase) -> CaseResult:
    result = CaseResult(case)
    try:
        det = engine.evaluate(case.facts, as_of=case.as_of)
    except FactsError as exc:
        result.differences.extend(msg("ruletest.facts_invalid", problem=p.message) for p in exc.problems)
        return result
    conduct = det.conducts[0]
    version = engine.rulebook.version(case.version)
    evaluation = next((e for e in conduct.temporal.evaluations if e.version == case.version), None)
    if evaluation is None:
        result.differences.append(msg("ruletest.not_evaluated", version=case.version, date=conduct.date,
                                      since=version.in_force_from))
        return result
    exp = case.expect
    fired = [t.rule for t in conduct.trace if t.version == case.version and t.outcome in ("fired", "defeated",
                                                                                             "advisory")]
    result.fired, result.decided_by = fired, evaluation.decided_by
    diff = result.differences

    def check(what: str, expected: Any, got: Any) -> None:
        if expected is not None and expected != got:
            diff.append(msg("ruletest.expected", what=what, expected=repr(expected), got=repr(got)))

    check("finding", exp.finding, evaluation.finding)
    check("liable", exp.liable, evaluation.liable)
    check("rule", exp.rule, evaluation.decided_by)
    check("citation", exp.citation, evaluation.citation.label if evaluation.citation else None)
    check("version_applied", exp.version_applied, conduct.version_applied)
    check("applied_finding", exp.applied_finding, conduct.finding)
    check("applied_liable", exp.applied_liable, conduct.liable)
    check("warnings", exp.warnings, len(conduct.warnings) if exp.warnings is not None else None)
    for rid in exp.fired:
        if rid not in fired:
            diff.append(msg("ruletest.should_fire", rule=rid, fired=", ".join(fired) or "—"))
    for rid in exp.not_fired:
        if rid in fired:
            diff.append(msg("ruletest.should_not_fire", rule=rid))
    fact = engine.fact_of(case.facts.conducts[0], case.facts)
    for rid in exp.misses:
        try:
            rule = version.rule(rid)
        except KeyError:
            diff.append(msg("ruletest.no_rule", rule=rid, version=case.version))
            continue
        failing = failing_tests(rule.condition, fact)
        if rid in fired:
            diff.append(msg("ruletest.missed_but_fired", rule=rid))
        elif len(failing) != 1:
            parts = len(rule.condition.items) if isinstance(rule.condition, All) else 1
            diff.append(msg("ruletest.not_one_failing", rule=rid, parts=parts, failing=len(failing)))
        else:
            result.missed.append(rid)
    if not any([exp.finding, exp.liable is not None, exp.rule, exp.citation, exp.fired, exp.not_fired,
                exp.misses, exp.version_applied, exp.applied_finding, exp.applied_liable is not None,
                exp.warnings is not None]):
        diff.append(msg("ruletest.expects_nothing"))
    return result


@dataclass
class Coverage:
    version: str
    rule: str
    label: str
    fired_by: list[str]
    missed_by: list[str]
    label_zh: str = "—"


def coverage(engine: Engine, results: list[CaseResult]) -> list[Coverage]:
    """Per rule of every version: the passing cases in which it decides, and those that just miss it."""
    out = []
    for version in engine.rulebook.versions:
        for rule in version.rules:
            fired_by = [r.case.name for r in results if r.passed and r.case.version == version.id
                        and (r.decided_by == rule.id or (rule.warns_only and rule.id in r.fired))]
            missed_by = [r.case.name for r in results if r.passed and r.case.version == version.id
                         and rule.id in r.missed]
            cite = _citation(rule, version)
            out.append(Coverage(version.id, rule.id, cite.label if cite else "—", fired_by, missed_by,
                                cite.label_zh if cite else "—"))
    return out


def _citation(rule: Any, version: Any) -> Any:
    from ..determination.citations import citation_for

    return citation_for(rule, version)

