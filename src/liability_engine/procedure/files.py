"""The procedure rule files as they are written, `rules/<version>/procedure/*.yaml`: the setup
(`procedure.yaml`: levels, steps, how periods are counted) and one file per article (its text, its
rules and its deadlines), as strict models. `rules.py` checks and compiles them."""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..rulebook.files import Erratum, Interpretation
from ..wording import Bilingual
from ..i18n import msg

__all__ = ["Confidence", "LevelSpec", "StepSpec", "CountingSpec", "LabelsSpec", "SetupFile", "LevelRef",
           "LevelExpr", "ProcRuleSpec", "PeriodSpec", "ExtensionSpec", "DeadlineSpec", "ProcArticleFile"]

Confidence = Literal["confirmed", "moderate", "low"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LevelSpec(_Model):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: Bilingual


class StepSpec(_Model):
    id: str = Field(pattern=r"^[a-z_]+$")
    title: Bilingual


class CountingSpec(_Model):
    days: Bilingual
    months: Bilingual
    interpretation: Interpretation
    source_confidence: Confidence
    calendar: Bilingual


class LabelsSpec(_Model):
    fields: dict[str, Bilingual] = Field(default_factory=dict)
    values: dict[str, Bilingual] = Field(default_factory=dict)
    descriptions: dict[str, Bilingual] = Field(
        default_factory=dict, description="what each part and fact of the facts' `procedure:` block means (the "
        "regulation's words, with the article), by its path (`procedure.dates.report`): the descriptions of the "
        "facts contract's JSON Schema and of the service's OpenAPI document")


class SetupFile(_Model):
    levels: list[LevelSpec] = Field(min_length=2)
    steps: list[StepSpec] = Field(min_length=1)
    counting: CountingSpec
    labels: LabelsSpec = Field(default_factory=LabelsSpec)


class LevelRef(_Model):
    same_as: str | None = None
    next_higher_of: str | None = None

    @model_validator(mode="after")
    def _one(self) -> "LevelRef":
        if (self.same_as is None) == (self.next_higher_of is None):
            raise ValueError(msg("procedure.error.level_shape"))
        return self


LevelExpr = Union[str, LevelRef]


class ProcRuleSpec(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=3, max_length=120)
    step: str
    paragraph: int | None = Field(default=None, ge=1)
    item: int | None = Field(default=None, ge=1)
    role: Literal["decides", "note"] = "decides"
    when: Any = None
    body: LevelExpr | None = None
    sets: dict[str, LevelExpr] = Field(default_factory=dict)
    ends_route: bool = False
    outcome: Bilingual
    measures: list[Bilingual] = Field(default_factory=list)
    interpretation: Interpretation | None = None
    source_confidence: Confidence | None = None
    source: str | None = None
    note: str | None = None


class PeriodSpec(_Model):
    days: int | None = Field(default=None, ge=1, le=3660)
    months: int | None = Field(default=None, ge=1, le=120)

    @model_validator(mode="after")
    def _one(self) -> "PeriodSpec":
        if (self.days is None) == (self.months is None):
            raise ValueError(msg("procedure.error.period_shape"))
        return self


class ExtensionSpec(_Model):
    by: PeriodSpec
    approved: str
    amount: str | None = None


class DeadlineSpec(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=3, max_length=120)
    paragraph: int | None = Field(default=None, ge=1)
    item: int | None = Field(default=None, ge=1)
    kind: Literal["duty", "window"]
    title: Bilingual
    who: Bilingual
    from_: str = Field(alias="from")
    period: PeriodSpec
    extension: ExtensionSpec | None = None
    done_by: str | None = None
    when: Any = None
    interpretation: Interpretation | None = None
    source_confidence: Confidence | None = None
    note: str | None = None


class ProcArticleFile(_Model):
    article: int = Field(ge=1)
    text: Bilingual
    paragraphs: dict[int, Bilingual] = Field(default_factory=dict)
    items: dict[int, Bilingual] = Field(default_factory=dict)
    errata: list[Erratum] = Field(default_factory=list)
    source_confidence: Confidence = "confirmed"
    note: str | None = None
    report_sections: dict[str, Bilingual] = Field(
        default_factory=dict, description="the contents of the investigation report this article lists, as the "
        "headings of the draft's sections, by the key of what the draft fills in (lead, case, error, person, "
        "breach, attitude, finding)")
    report_paragraph: int | None = Field(default=None, ge=1, description="the paragraph that lists the report's "
                                         "contents, quoted at the head of the draft")
    rules: list[ProcRuleSpec] = Field(default_factory=list)
    deadlines: list[DeadlineSpec] = Field(default_factory=list)


