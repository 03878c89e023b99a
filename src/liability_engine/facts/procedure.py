"""The optional `procedure:` block of a facts file: what happens after the finding (Arts. 10–27).

It is a block of its own so that it fits `liability-facts/1` (one optional field of `Facts`) and,
later, each person of the several-persons case file. Every fact accepts `unknown`; a date left
out means the event has not happened (or is not known to have happened), a date written
`unknown` means it happened on a day nobody has established. Which fact leads where is legal
content and lives in `rules/<version>/procedure/`.

`liability procedure` reads it (`liability_engine.procedure`); it is part of the facts contract, so it
lives with the facts model, which imports it.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .unknown import DATETIME, UNKNOWN, TriState, Vocabulary, calendar_day
from ..i18n import msg

__all__ = [
    "ProcedureFacts", "ProcedureDates", "Leniency", "Obstruction", "Outcome", "Level", "CadreAuthority",
    "ProcedureStatus", "LeadAssessment", "TriState", "DateOrUnknown", "UNKNOWN", "PROCEDURE_ENUMS", "DATE_FIELDS",
    "BLOCKS", "DESCRIBED",
]


class Level(Vocabulary):
    county = "county"
    city = "city"
    province = "province"
    supreme = "supreme"
    unknown = "unknown"


class CadreAuthority(Vocabulary):
    inside = "inside"
    outside = "outside"
    unknown = "unknown"


class ProcedureStatus(Vocabulary):
    serving = "serving"
    retired = "retired"
    transferred = "transferred"
    expelled = "expelled"
    dismissed = "dismissed"
    deceased = "deceased"
    unknown = "unknown"


class LeadAssessment(Vocabulary):
    no_breach = "no_breach"
    not_ready = "not_ready"
    possible_breach = "possible_breach"
    unknown = "unknown"


def _date_or_unknown(value: Any) -> Any:
    if value == UNKNOWN:
        return value
    day = calendar_day(value)
    if day == DATETIME:
        raise ValueError(msg("procedure.error.date_or_unknown_not_datetime"))
    if day is None:
        raise ValueError(msg("procedure.error.date_or_unknown"))
    return day


DateOrUnknown = Annotated[_dt.date | Literal["unknown"], BeforeValidator(_date_or_unknown)]


FEWEST_MONTHS, MOST_MONTHS = 1, 12  # an extension's months, as the contract (its JSON Schema) bounds them


def _months_or_unknown(value: Any) -> Any:
    """A whole number of months, 1 to 12, or `unknown`, said in one sentence: pydantic took `true` for 1 month (a
    silent answer), and refused -5 twice, once per branch of the union, in its English ("constrained-int: ... Input
    should be greater than or equal to 1", "literal['unknown']: unsupported value")."""
    if value is None or value == UNKNOWN:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and FEWEST_MONTHS <= value <= MOST_MONTHS:
        return int(value)
    from .validation import found_words

    raise ValueError(msg("input_hunt.months_or_unknown", fewest=FEWEST_MONTHS, most=MOST_MONTHS,
                         found=found_words(value)))


MonthsOrUnknown = Annotated[Annotated[int, Field(ge=FEWEST_MONTHS, le=MOST_MONTHS)] | Literal["unknown"],
                            BeforeValidator(_months_or_unknown)]


def _described(schema: dict[str, Any], cls: type) -> None:
    """pydantic's `json_schema_extra` hook: a block's description and its facts' are the rule files' words
    (`labels.descriptions` of the newest `rules/<version>/procedure/procedure.yaml`), Chinese then English,
    in the JSON Schemas of the facts and in the service's OpenAPI document alike."""
    from ..i18n.descriptions import contract_descriptions, described_as

    path = BLOCKS.get(cls)
    if path is None:
        return
    words = contract_descriptions()
    if path in words:
        schema["description"] = described_as(words[path])
    blocks = set(BLOCKS.values())
    for name, prop in schema.get("properties", {}).items():
        said = words.get(f"{path}.{name}")
        if said is not None and f"{path}.{name}" not in blocks:  # a block is described at its own definition
            prop["description"] = described_as(said)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_described)


class ProcedureDates(_Strict):
    """The days that start or end a period. Left out: not (known to have) happened; `unknown`: happened, day unknown."""

    lead_received: DateOrUnknown | None = None
    investigation_approved: DateOrUnknown | None = None
    investigation_decision: DateOrUnknown | None = None
    decision_filed: DateOrUnknown | None = None
    extension_approved: DateOrUnknown | None = None
    extension_months: MonthsOrUnknown | None = None
    report: DateOrUnknown | None = None
    handling_decision_served: DateOrUnknown | None = None
    review_asked: DateOrUnknown | None = None
    review_decided: DateOrUnknown | None = None
    review_decision_served: DateOrUnknown | None = None
    appeal_filed: DateOrUnknown | None = None
    appeal_extended: DateOrUnknown | None = None
    appeal_decided: DateOrUnknown | None = None


DATE_FIELDS = tuple(n for n in ProcedureDates.model_fields if n != "extension_months")


class Leniency(_Strict):
    """Art. 24 ¶2: the facts that may make the handling lenient."""

    corrected_on_own_initiative: TriState = UNKNOWN
    explained: TriState = UNKNOWN
    recorded_interference: TriState = UNKNOWN


class Obstruction(_Strict):
    """Art. 24 ¶3: the facts that shall make the handling strict."""

    resisted: TriState = UNKNOWN
    had_others_obstruct: TriState = UNKNOWN


class Outcome(_Strict):
    """Art. 20 ¶2: what the case led to (it decides whether the review goes to the SPP)."""

    wrongful_death_execution: TriState = UNKNOWN
    wrongful_detention_10y: TriState = UNKNOWN
    other_serious_or_bad_influence: TriState = UNKNOWN


class ProcedureFacts(_Strict):
    """What the route after the finding depends on. Every fact accepts `unknown` (the default).

    What each fact means (the regulation's words, with the article) is in the rule files, `labels.descriptions`
    of `rules/<version>/procedure/procedure.yaml`; the JSON Schemas and the OpenAPI document take it from there."""

    procuratorate_level: Level = Level.unknown
    leadership: TriState = UNKNOWN
    procurator_post: TriState = UNKNOWN
    cadre_authority: CadreAuthority = CadreAuthority.unknown
    status: ProcedureStatus | None = None
    has_unit: TriState = UNKNOWN
    lead_assessment: LeadAssessment = LeadAssessment.unknown
    lead_source: str | None = Field(default=None, max_length=10_000)
    handled_by_discipline_organs: TriState = UNKNOWN
    suspected_duty_crime: TriState = UNKNOWN
    leniency: Leniency = Field(default_factory=Leniency)
    obstruction: Obstruction = Field(default_factory=Obstruction)
    outcome: Outcome = Field(default_factory=Outcome)
    dates: ProcedureDates = Field(default_factory=ProcedureDates)


# each block of the `procedure:` block (itself included) → its path in the facts (`procedure.dates`)
BLOCKS: dict[type, str] = {ProcedureFacts: "procedure", **{
    info.annotation: f"procedure.{name}" for name, info in ProcedureFacts.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)}}
# every path that has a description: each block and each fact of it (`procedure.dates.report`)
DESCRIBED: tuple[str, ...] = tuple(path for cls, at in BLOCKS.items() for path in (at, *(
    f"{at}.{name}" for name, info in cls.model_fields.items()
    if not (isinstance(info.annotation, type) and info.annotation in BLOCKS))))


PROCEDURE_ENUMS: dict[str, type[Enum]] = {
    "procedure.procuratorate_level": Level, "procedure.cadre_authority": CadreAuthority,
    "procedure.status": ProcedureStatus, "procedure.lead_assessment": LeadAssessment,
}
