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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProcedureDates(_Strict):
    """The days that start or end a period. Left out: not (known to have) happened; `unknown`: happened, day unknown."""

    lead_received: DateOrUnknown | None = Field(default=None, description="线索受理之日 (Art. 11)")
    investigation_approved: DateOrUnknown | None = Field(
        default=None, description="检察长批准调查之日: starts Art. 16's three months")
    investigation_decision: DateOrUnknown | None = Field(
        default=None, description="调查决定书作出之日: starts Art. 14's seven days")
    decision_filed: DateOrUnknown | None = Field(
        default=None, description="调查决定书报上一级检务督察部门备案之日 (Art. 14)")
    extension_approved: DateOrUnknown | None = Field(
        default=None, description="检察长批准延长调查期限之日 (Art. 16)")
    extension_months: Annotated[int, Field(ge=1, le=12)] | Literal["unknown"] | None = Field(
        default=None, description="the extension approved, in months (Art. 16 allows at most 3)")
    report: DateOrUnknown | None = Field(default=None, description="调查报告形成之日 (Art. 19): ends the investigation")
    handling_decision_served: DateOrUnknown | None = Field(
        default=None, description="收到处理决定书之日: starts Art. 27's review and direct-appeal windows")
    review_asked: DateOrUnknown | None = Field(default=None, description="申请复核之日 (Art. 27)")
    review_decided: DateOrUnknown | None = Field(default=None, description="复核决定作出之日 (Art. 27)")
    review_decision_served: DateOrUnknown | None = Field(
        default=None, description="收到复核决定书之日: starts Art. 27's appeal window")
    appeal_filed: DateOrUnknown | None = Field(default=None, description="提出申诉之日 (Art. 27)")
    appeal_extended: DateOrUnknown | None = Field(
        default=None, description="情况复杂延长申诉处理期限之日 (Art. 27)")
    appeal_decided: DateOrUnknown | None = Field(default=None, description="申诉处理决定作出之日 (Art. 27)")


DATE_FIELDS = tuple(n for n in ProcedureDates.model_fields if n != "extension_months")


class Leniency(_Strict):
    """Art. 24 ¶2: the facts that may make the handling lenient."""

    corrected_on_own_initiative: TriState = Field(default=UNKNOWN, description="主动纠错")
    explained: TriState = Field(default=UNKNOWN, description="说明情况")
    recorded_interference: TriState = Field(
        default=UNKNOWN, description="如实记录报告干预司法活动、插手具体案件处理、违规过问案件、不当接触交往等情况")


class Obstruction(_Strict):
    """Art. 24 ¶3: the facts that shall make the handling strict."""

    resisted: TriState = Field(default=UNKNOWN, description="对抗、阻碍司法责任调查和追究")
    had_others_obstruct: TriState = Field(default=UNKNOWN, description="指使他人对抗、阻碍司法责任调查和追究")


class Outcome(_Strict):
    """Art. 20 ¶2: what the case led to (it decides whether the review goes to the SPP)."""

    wrongful_death_execution: TriState = Field(default=UNKNOWN, description="错误执行死刑")
    wrongful_detention_10y: TriState = Field(default=UNKNOWN, description="错误羁押十年以上")
    other_serious_or_bad_influence: TriState = Field(
        default=UNKNOWN, description="其他造成严重后果或者恶劣影响")


class ProcedureFacts(_Strict):
    """What the route after the finding depends on. Every fact accepts `unknown` (the default)."""

    procuratorate_level: Level = Field(default=Level.unknown,
                                       description="the level of the procuratorate where the breach occurred")
    leadership: TriState = Field(default=UNKNOWN, description="院领导班子成员及相当职务人员 (Art. 10)")
    procurator_post: TriState = Field(default=UNKNOWN, description="holds a procurator post (员额检察官; Art. 21(1))")
    cadre_authority: CadreAuthority = Field(
        default=CadreAuthority.unknown, description="干部管理权限 in the procuratorate (inside) or not (outside) (Art. 22)")
    status: ProcedureStatus | None = Field(
        default=None, description="the person's status now; left out: person.status; `expelled` is 开除, "
                                  "`dismissed` 辞退 (Art. 21(3))")
    has_unit: TriState = Field(default=UNKNOWN,
                               description="an expelled or dismissed person still has a unit (相关单位; Art. 21(3))")
    lead_assessment: LeadAssessment = Field(
        default=LeadAssessment.unknown, description="the inspection department's analysis of the lead (Art. 13)")
    lead_source: str | None = Field(default=None, max_length=10_000,
                                    description="where the lead came from (Art. 11), for the report")
    handled_by_discipline_organs: TriState = Field(
        default=UNKNOWN, description="纪检监察机关已经审查调查处理 the same conduct (Art. 26)")
    suspected_duty_crime: TriState = Field(default=UNKNOWN, description="涉嫌职务犯罪 (Art. 23)")
    leniency: Leniency = Field(default_factory=Leniency)
    obstruction: Obstruction = Field(default_factory=Obstruction)
    outcome: Outcome = Field(default_factory=Outcome)
    dates: ProcedureDates = Field(default_factory=ProcedureDates)


PROCEDURE_ENUMS: dict[str, type[Enum]] = {
    "procedure.procuratorate_level": Level, "procedure.cadre_authority": CadreAuthority,
    "procedure.status": ProcedureStatus, "procedure.lead_assessment": LeadAssessment,
}
