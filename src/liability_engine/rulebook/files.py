"""The rule files as written: one pydantic model per kind of YAML file of a rulebook folder, checked
strictly (unknown keys are errors). `load` turns them into the compiled model of `model`."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..wording import Bilingual

__all__ = [
    "Confidence", "Interpretation", "ContradictionSpec", "ContradictionsFile", "RuleSpec", "TemporalRuleSpec",
    "Erratum", "ArticleFile",
    "Manifest", "Layer", "PrecedenceFile", "FindingSpec", "FindingsFile", "VocabularyFile",
]

Confidence = Literal["confirmed", "moderate", "low"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Interpretation(_Model):
    """Marks a reading that goes beyond the words of the text (SPEC §4), with its one-line reason."""

    reason: str = Field(min_length=1)
    reason_zh: str = Field(min_length=1)


class RuleSpec(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=3, max_length=120)
    paragraph: int | None = Field(default=None, ge=1)
    item: int | None = Field(default=None, ge=1)
    layer: str | None = None
    finding: str
    liable: bool
    acts: list[str] | dict[str, list[str]] | None = None
    when: Any = None
    defeats: list[str] = Field(default_factory=list)
    interpretation: Interpretation | list[Interpretation] | None = None  # one reading, or several
    source_confidence: Confidence | None = None
    source: str | None = None
    missing: list[str] = Field(default_factory=list)
    explains_unmet: list[str] = Field(default_factory=list)
    cite: Literal["item", "article", "none"] = "item"
    role: Literal["decides", "warns"] = "decides"
    explanation: Bilingual | None = None
    not_applicable: Bilingual | None = None  # why the rule does not reach facts outside its scope (why-not)
    fault_order_exception: Interpretation | None = None  # why a more culpable fault may be lighter here
    note: str | None = None


class TemporalRuleSpec(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=3, max_length=120)
    choose: Literal["current", "old", "undetermined"]
    when: Any = None
    interpretation: Interpretation | None = None
    explanation: Bilingual
    note: str | None = None


class Erratum(_Model):
    """A correction of the text as received (docs/sources.md), applied in the quotation."""

    item: int | None = None
    paragraph: int | None = None
    note: str


class ArticleFile(_Model):
    article: int | None = Field(default=None, ge=1)  # null when the text's number is not known
    ref: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")  # a name, for texts without a number
    label: Bilingual | None = None  # how to cite it when it is not cited as `Art. N`
    title: Bilingual | None = None
    text: Bilingual
    paragraphs: dict[int, Bilingual] = Field(default_factory=dict)
    items: dict[int, Bilingual] = Field(default_factory=dict)
    errata: list[Erratum] = Field(default_factory=list)
    source_confidence: Confidence | None = None
    note: str | None = None
    rules: list[RuleSpec] = Field(default_factory=list)
    temporal_rules: list[TemporalRuleSpec] = Field(default_factory=list)


class Manifest(_Model):
    version: str = Field(pattern=r"^[A-Za-z0-9_\-]+$")
    title: Bilingual
    short: Bilingual
    issuer: str
    document_number: str | None = None
    in_force_from: _dt.date
    in_force_until: _dt.date | None = None
    source: str
    source_zh: str | None = None  # the same in Chinese (shown by `liability versions --lang zh`)
    source_confidence: Confidence
    errata_applied: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


class Layer(_Model):
    id: str
    title: Bilingual
    note: str | None = None
    interpretation: Interpretation | None = None


class PrecedenceFile(_Model):
    layers: list[Layer] = Field(min_length=1)


class FindingSpec(_Model):
    id: str
    label: Bilingual
    description: Bilingual | None = None
    states_liability: bool = False  # the label itself says whether responsibility attaches


class FindingsFile(_Model):
    undetermined: str
    findings: list[FindingSpec] = Field(min_length=2)
    note: str | None = None


class VocabularyFile(_Model):
    fields: dict[str, Bilingual]
    values: dict[str, dict[str, Bilingual]]
    questions: dict[str, Bilingual] = Field(default_factory=dict)
    # the case file (liability-facts/2) and its allocation facts: fields, values, interview questions
    case_fields: dict[str, Bilingual] = Field(default_factory=dict)
    case_values: dict[str, dict[str, Bilingual]] = Field(default_factory=dict)
    case_questions: dict[str, Bilingual] = Field(default_factory=dict)


class ContradictionSpec(_Model):
    id: str = Field(pattern=r"^[a-z0-9_]+$", min_length=3, max_length=120)
    when: Any
    reason: Bilingual
    note: str | None = None


class ContradictionsFile(_Model):
    """rules/contradictions.yaml: facts that contradict each other are not evidence (SPEC §4)."""

    contradictions: list[ContradictionSpec] = Field(default_factory=list)
