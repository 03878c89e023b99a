"""The route after the finding, `liability-procedure/1`, as pydantic models (what the library returns)."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..determination.citations import provision_label

__all__ = ["SCHEMA", "ProvisionRef", "FactUsed", "StepOutcome", "Alternative", "MissingFact", "RouteStep",
           "DayMoved", "Deadline", "Counting", "Finding", "ProcedureRoute"]

SCHEMA = "liability-procedure/1"
# the provisions the contract's JSON Schema gives as examples of its labels, written by the citation grammar that
# writes every label (`determination.citations`), so that the examples are the labels the route gives
_EXAMPLES = (provision_label(20, 2, None, para=" ¶"), provision_label(21, None, 2, para=" ¶"))


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class ProvisionRef(_Out):
    """The article, paragraph or item a step rests on, with its text quoted (corrected per the errata)."""

    version: str
    article: int
    paragraph: int | None = None
    item: int | None = None
    label: str = Field(description=f"e.g. '{_EXAMPLES[0].en}', '{_EXAMPLES[1].en}'")
    label_zh: str = Field(description=f"e.g. '{_EXAMPLES[0].zh}', '{_EXAMPLES[1].zh}'")
    text: str = Field(description="the text quoted in Chinese")
    text_en: str
    errata: list[str] = Field(default_factory=list)
    source_confidence: Literal["confirmed", "moderate", "low"] = "confirmed"


class FactUsed(_Out):
    """A fact a rule tested and that held: what triggered it."""

    field: str
    value: str
    label: str = Field(description="the fact as people read it, e.g. 'member of the leadership = no'")
    label_zh: str


class StepOutcome(_Out):
    rule: str
    role: Literal["decides", "note"]
    text: str = Field(description="what follows, in English")
    text_zh: str
    body: str | None = Field(default=None, description="the level of the body concerned: county, city, province, supreme")
    body_label: str | None = None
    body_label_zh: str | None = None
    measures: list[str] = Field(default_factory=list)
    measures_zh: list[str] = Field(default_factory=list)
    because: list[FactUsed] = Field(default_factory=list, description="the facts that triggered the rule")
    provision: ProvisionRef
    interpretation: bool = False
    interpretation_reason: str | None = None
    interpretation_reason_zh: str | None = None
    source: str | None = None
    ends_route: bool = False


class Alternative(_Out):
    value: str
    value_label: str
    value_label_zh: str
    rules: list[str] = Field(description="the rules that would apply with this value (other unknowns completed too)")
    text: str
    text_zh: str


class MissingFact(_Out):
    """An unknown fact that decides the step, and what each of its values would give."""

    field: str
    label: str
    label_zh: str
    alternatives: list[Alternative]


class RouteStep(_Out):
    step: str
    title: str
    title_zh: str
    status: Literal["decided", "undetermined", "none", "skipped"] = Field(
        description="decided; undetermined (see missing); none (no rule of this step applies); skipped (an "
                    "earlier step ended the route)")
    outcomes: list[StepOutcome] = Field(default_factory=list)
    missing: list[MissingFact] = Field(default_factory=list)
    skipped_because: str | None = Field(default=None, description="the rule that ended the route")


class DayMoved(_Out):
    day: _dt.date
    reason: str
    reason_zh: str


class Deadline(_Out):
    id: str
    kind: Literal["duty", "window"] = Field(description="duty: a body must act in time; window: the person may act")
    title: str
    title_zh: str
    who: str
    who_zh: str
    provision: ProvisionRef
    status: Literal["not_applicable", "not_started", "undetermined", "running", "overdue", "lapsed", "met", "late",
                    "done"] = Field(description="not_started: its triggering day is not given; undetermined: the "
                                    "triggering day is unknown; overdue (a duty) / lapsed (a window): not done and "
                                    "the end has passed; met / late: done on or before / after the end; done: done "
                                    "on an unknown day")
    trigger_field: str
    trigger_date: _dt.date | None = None
    period: str
    period_zh: str
    starts: _dt.date | None = Field(default=None, description="the first day counted: the day after the trigger")
    nominal_end: _dt.date | None = Field(default=None, description="the last day before any move to a working day")
    ends: _dt.date | None = Field(default=None, description="the last day of the period")
    moved_over: list[DayMoved] = Field(default_factory=list)
    extension: str | None = None
    extension_zh: str | None = None
    done_field: str | None = None
    done_on: _dt.date | None = None
    days_left: int | None = Field(default=None, description="running: days from the as-of day to the end")
    days_over: int | None = Field(default=None, description="overdue/lapsed: days since the end; late: days after it")
    interpretation: bool = False
    interpretation_reason: str | None = None
    interpretation_reason_zh: str | None = None
    warnings: list[str] = Field(default_factory=list)
    warnings_zh: list[str] = Field(default_factory=list)


class Counting(_Out):
    """How the periods were counted: the rule, its interpretation and the calendar's limits."""

    days: str
    days_zh: str
    months: str
    months_zh: str
    interpretation: bool = True
    interpretation_reason: str
    interpretation_reason_zh: str
    source_confidence: Literal["confirmed", "moderate", "low"]
    calendar: str = Field(description="the calendar library and its version")
    calendar_known_until: int | None = Field(
        description="the last year whose holiday arrangement (the days off moved and the weekends made working days) "
                    "the calendar knows")
    calendar_limits: str
    calendar_limits_zh: str


class Finding(_Out):
    """The determination's finding that drives the route (Engine.evaluate, overall)."""

    finding: str
    liable: bool
    label: str
    label_zh: str
    citations: list[str] = Field(default_factory=list)
    citations_zh: list[str] = Field(default_factory=list)


class ProcedureRoute(_Out):
    schema_: Literal["liability-procedure/1"] = Field(default=SCHEMA, alias="schema")
    case_id: str
    person_id: str
    version: str
    as_of: _dt.date
    finding: Finding
    facts_given: bool = Field(description="whether the facts had a `procedure:` block (if not, every procedure fact is unknown)")
    steps: list[RouteStep]
    deadlines: list[Deadline]
    counting: Counting
    warnings: list[str] = Field(default_factory=list)
    warnings_zh: list[str] = Field(default_factory=list)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
