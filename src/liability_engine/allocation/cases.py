"""YAML cases beside the allocation rules: `rules/<version>/tests/allocation-*.yaml`.

Each file is a list of cases over one allocation fact (one person's part in one decision, or one
own conduct), its fields written as in the rules (`liability schema allocation`):

    - name: A reporter who concealed a fact from the committee answers for the facts reported (A3)
      facts: {part: reporter, decided_by: committee, report.defect: concealed}
      expect: {fired: [2024.alloc.A3.reporter_defect], results: {facts_reported: bears}}

Fields left out are absent (null), except `person.role`, `person.procurator_post`,
`person.leadership` (unknown) and `choice.auxiliary_staff` (unset). `fired`, `not_fired`,
`defeated` list rule ids; `misses: [rule]` asserts the rule did not fire and exactly one of its
conditions failed (a near miss); `results` maps a head (answers_for) to the result left standing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..rulebook.conditions import ConditionError, NULL, failing_tests, parse_condition
from ..facts.documents import Document
from ..rulebook.cases import CaseSpecBase, read_cases, spec_problems
from ..errors import Problem, did_you_mean
from ..i18n import msg
from .evaluate import fire
from .rules import AllocationRules, allocation_schema

__all__ = ["AllocationCase", "load_allocation_cases", "run_allocation_case", "is_allocation_case_file",
           "CaseSpec"]

PREFIX = "allocation-"


def is_allocation_case_file(path: Path) -> bool:
    return path.name.startswith(PREFIX) and path.suffix == ".yaml"


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fired: list[str] = Field(default_factory=list)
    not_fired: list[str] = Field(default_factory=list)
    defeated: list[str] = Field(default_factory=list)
    misses: list[str] = Field(default_factory=list)
    results: dict[str, str] = Field(default_factory=dict)


class CaseSpec(CaseSpecBase):
    expect: Expect


@dataclass
class AllocationCase:
    name: str
    file: str
    line: int | None
    version: str
    fact: dict[str, Any]
    expect: Expect


@dataclass
class Outcome:
    case: AllocationCase
    differences: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


_DEFAULTS = {"person.role": "unknown", "person.procurator_post": "unknown", "person.leadership": "unknown",
             "choice.auxiliary_staff": "unset"}


def _fact(raw: dict[str, Any], where: tuple[Any, ...]) -> dict[str, Any]:
    schema = allocation_schema()
    fact = {spec.key: _DEFAULTS.get(name, NULL) for name, spec in schema.items()}
    for name, value in raw.items():
        if name not in schema:
            raise ConditionError(msg("facts.unknown_field", name=name), where + (name,), value=name, allowed=sorted(schema),
                                 suggestion=did_you_mean(name, list(schema)))
        if isinstance(value, bool):  # YAML reads yes/no/true/false as booleans
            value = "yes" if value else "no"
        parse_condition({name: value}, schema, where + (name,))  # checks the value
        fact[schema[name].key] = NULL if value is None else value
    if fact["part"] == NULL:
        raise ConditionError(msg("allocation.error.case_needs_part"), where, allowed=list(schema["part"].values))
    return fact


def load_allocation_cases(folder: Path, files: list[Path] | None = None) -> list[AllocationCase]:
    """The allocation cases of a rulebook folder (or of `files`); raises RulesError with located problems."""
    paths = files if files is not None else sorted(p for p in folder.glob(f"*/tests/{PREFIX}*.yaml"))
    return read_cases(paths, _case, "an allocation test file is a list of cases")


def _case(i: int, raw: Any, doc: Document, problems: list[Problem]) -> AllocationCase | None:
    try:
        spec = CaseSpec.model_validate(raw)
        fact = _fact(spec.facts, (i, "facts"))
    except ValidationError as exc:
        problems.extend(spec_problems(exc, doc, i, columns=True))
        return None
    except ConditionError as exc:
        ln, col = doc.position(exc.where)
        problems.append(Problem(exc.message, path=doc.path, line=ln, column=col, value=exc.value,
                                allowed=exc.allowed, suggestion=exc.suggestion))
        return None
    return AllocationCase(spec.name, doc.path, doc.position((i,))[0], Path(doc.path).parent.parent.name, fact,
                          spec.expect)


def run_allocation_case(book: AllocationRules | None, case: AllocationCase) -> Outcome:
    out = Outcome(case)
    if book is None:
        out.differences.append(f"version {case.version} has no allocation.yaml")
        return out
    ids = {r.id for r in book.rules}
    relevant, fired, defeated, standing = fire(book, case.fact)
    out.fired = sorted(fired)
    e = case.expect
    for rid in e.fired + e.not_fired + e.defeated + e.misses:
        if rid not in ids:
            out.differences.append(f"no rule '{rid}' in {book.file}"
                                   + (f" (did you mean '{did_you_mean(rid, ids)}'?)" if did_you_mean(rid, ids) else ""))
    for rid in e.fired:
        if rid not in fired:
            out.differences.append(f"expected {rid} to fire; fired: {', '.join(sorted(fired)) or 'none'}")
    for rid in e.not_fired:
        if rid in fired:
            out.differences.append(f"expected {rid} not to fire")
    for rid in e.defeated:
        if rid not in defeated:
            out.differences.append(f"expected {rid} to be defeated")
    for rid in e.misses:
        if rid not in ids:
            continue
        rule = book.rule(rid)
        failing = failing_tests(rule.condition, case.fact)
        if rid in fired or len(failing) != 1:
            out.differences.append(f"expected a near miss of {rid} (not fired, exactly one condition false); "
                                   f"{'it fired' if rid in fired else f'{len(failing)} conditions failed'}")
        else:
            out.missed.append(rid)
    for head, result in e.results.items():
        got = sorted({r.result for r in standing if r.answers_for == head})
        if got != [result]:
            out.differences.append(f"expected {head}: {result}; got {', '.join(got) or 'nothing'}")
    return out
