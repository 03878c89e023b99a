"""The case determination contract, `liability-case-determination/1` (docs/casefile.md).

For each person: the determination of their own conducts (the `liability-determination/1` of today),
and for each decision they took part in, what they answer for under which allocation rule, with
its source and confidence; the trace of every allocation rule that fired, was defeated or passed
them by; an overall per person and for the case.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..determination.model import Determination, EngineInfo, FieldTest, RulebookInfo

__all__ = ["SCHEMA", "Text2", "Check", "Allocation", "AllocationTrace", "PersonOverall", "PersonDetermination",
           "DecisionRecord", "CaseOverall", "CaseDetermination"]

SCHEMA = "liability-case-determination/1"

Result = Literal["bears", "bears_mainly", "bears_corresponding", "does_not_bear", "not_determined", "separate_track"]
Confidence = Literal["confirmed", "moderate", "low"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class Text2(_Out):
    zh: str
    en: str


class Check(_Out):
    text: str = Field(description="the condition in the rule language, with the value in the facts")
    holds: bool
    tests: list[FieldTest] = Field(default_factory=list, description="what the condition tests, per field, "
                                   "with the value in the facts (shown in words by the reports)")
    alternative: bool = Field(default=False, description="true when any one of the tests suffices (an `any`)")


class Allocation(_Out):
    """What one person answers for, on one head (the decision, the facts reported, the vote, …)."""

    decision_id: str | None = Field(description="null for the person's own conduct")
    conduct_id: str | None = Field(default=None, description="for the person's own conduct")
    part: str = Field(description="own_conduct, decider, proposer, reporter, committee_member, executor, reviewer "
                      "or team_member")
    answers_for: str
    result: Result
    rule: str
    point: str = Field(description="the point of the allocation sources (A1–A12) or art4")
    version: str
    source: Text2
    source_confidence: Confidence
    provisional: bool = Field(description="rests on a low-confidence rule (a labelled assumption): warns")
    note: str
    interpretation: Text2 | None = None
    assumption: Text2 | None = None
    explanation: Text2
    missing: list[str] = Field(default_factory=list, description="facts whose value would decide")
    missing_provision: Text2 | None = Field(default=None, description="for not_determined: the provision the "
                                            "sources lack")
    conditional: bool = Field(default=False, description="the decision's wrongness is unknown: this holds if it was "
                              "wrong")


class AllocationTrace(_Out):
    rule: str
    version: str
    point: str
    part: str
    decision_id: str | None = None
    conduct_id: str | None = None
    outcome: Literal["fired", "defeated", "unmet", "conflict"]
    defeated_by: str | None = None
    answers_for: str
    result: Result
    checks: list[Check] = Field(default_factory=list)
    source_confidence: Confidence


class PersonOverall(_Out):
    finding: str | None = Field(description="the most severe finding of the person's own conducts (null: none)")
    liable: bool | None = Field(description="whether the person bears judicial responsibility for own conducts "
                                "after allocation (null: not determined)")
    allocation: Result | None = Field(description="the heaviest allocation result for the decisions and conducts")
    provisional: bool


class PersonDetermination(_Out):
    person_id: str
    name: str | None = None
    role: str
    own: Determination | None = Field(description="liability-determination/1 of the person's own conducts")
    allocations: list[Allocation]
    trace: list[AllocationTrace]
    overall: PersonOverall
    summary: Text2
    warnings: list[str] = Field(default_factory=list)
    warnings_zh: list[str] = Field(default_factory=list)


class DecisionRecord(_Out):
    decision_id: str
    matter: str | None = None
    date: _dt.date | None = None
    decided_by: str
    wrong: str
    version_applied: str | None
    version_reason: Text2
    led_to_conducts: list[str] = Field(default_factory=list)
    parts: dict[str, list[str]] = Field(default_factory=dict, description="person id → parts in this decision")
    body: list[Allocation] = Field(default_factory=list, description="what the deciding body answers for, when "
                                   "the decider is the committee or an upper procuratorate (not a person)")


class CaseOverall(_Out):
    finding: str
    liable: bool | None
    bearing: list[str] = Field(description="persons who bear responsibility (own conducts or a decision)")
    not_determined: list[str] = Field(description="persons for whom something is not determined")
    separate_track: list[str] = Field(description="persons referred to the supervisory-management track")
    provisional: bool


class CaseDetermination(_Out):
    schema_: Literal["liability-case-determination/1"] = Field(default=SCHEMA, alias="schema")
    case_id: str
    evaluated_on: _dt.date
    overall: CaseOverall
    persons: list[PersonDetermination]
    decisions: list[DecisionRecord]
    rulebook: RulebookInfo
    engine: EngineInfo
    warnings: list[str] = Field(default_factory=list)
    warnings_zh: list[str] = Field(default_factory=list)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
