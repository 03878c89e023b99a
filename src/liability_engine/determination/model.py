"""The determination contract, `liability-determination/1` (SPEC §3), as pydantic models."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..wording import Bilingual

__all__ = [
    "FieldTest", "ConditionCheck", "WhyNot", "FactChange", "Counterfactual",
    "SCHEMA", "Citation", "TraceEntry", "Evaluation", "Temporal", "Alternative", "Missing",
    "ConductDetermination", "Overall", "RulebookInfo", "EngineInfo", "Determination",
]

SCHEMA = "liability-determination/1"


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class Citation(_Out):
    """The article (and paragraph or item) that decides, in the version applied."""

    article: int | None = Field(description="the article number; null where the version's numbering is not known")
    paragraph: int | None = None
    item: int | None = None
    version: str
    label: str = Field(description="e.g. 'Art. 7(2)'")
    label_zh: str = Field(description="e.g. '第七条第（二）项'")
    text: str = Field(description="the article text quoted (Chinese, corrected per the errata)")
    text_en: str = Field(description="an English rendering of the same text")

    @property
    def label_text(self) -> Bilingual:
        return Bilingual.pair(self.label_zh, self.label)

    @property
    def quote(self) -> Bilingual:
        """The text cited (`text` is the Chinese, `text_en` the English)."""
        return Bilingual.pair(self.text, self.text_en)
    source_confidence: Literal["confirmed", "moderate", "low"] = "confirmed"


class FieldTest(_Out):
    field: str
    value: str = Field(description="the value in the facts")
    expected: list[str] = Field(description="the values the rule needs (any of them; `not x` excludes x)")


class ConditionCheck(_Out):
    """One top-level condition of a rule, checked against the facts."""

    text: str = Field(description="the condition in the rule language, e.g. `fault = gross`")
    holds: bool
    tests: list[FieldTest]
    alternative: bool = Field(default=False, description="true when any one of the tests suffices (an `any`)")


class TraceEntry(_Out):
    """One rule's part in a determination."""

    rule: str
    version: str
    outcome: Literal["fired", "defeated", "concurring", "unmet", "advisory", "chosen", "completed"]
    layer: str | None = None
    finding: str | None = None
    liable: bool | None = None
    citation: Citation | None = None
    conditions: list[ConditionCheck] = Field(default_factory=list,
                                             description="the rule's conditions: which held, which failed")
    defeated_by: str | None = Field(default=None, description="for defeated: the rule that prevailed; for "
                                    "concurring: the rule with the same finding that is cited instead")
    interpretation: bool = False
    interpretation_reason: str | None = None
    interpretation_reason_zh: str | None = None
    explanation: str | None = None
    explanation_zh: str | None = None
    source_confidence: Literal["confirmed", "moderate", "low"] = "confirmed"
    errata: list[str] = Field(default_factory=list)

    @property
    def explanation_text(self) -> Bilingual:
        """Empty when the entry has no explanation."""
        return Bilingual.pair(self.explanation_zh or "", self.explanation or "")


class Evaluation(_Out):
    """What one version says about the conduct."""

    version: str
    finding: str
    liable: bool
    citation: Citation | None = None
    decided_by: str | None = None


class Temporal(_Out):
    """Art. 28: which versions were compared and why one was applied."""

    conduct_date: _dt.date
    versions_compared: list[str]
    rule: str | None = None
    choice: Literal["current", "old", "undetermined"]
    reason: str
    reason_zh: str
    interpretation: bool = False
    evaluations: list[Evaluation]

    @property
    def reason_text(self) -> Bilingual:
        return Bilingual.pair(self.reason_zh, self.reason)

    @property
    def compares_versions(self) -> bool:
        """Whether the choice is worth telling: two versions were compared, or none could be applied."""
        return len(self.versions_compared) > 1 or self.choice == "undetermined"


class Alternative(_Out):
    value: str
    finding: str
    liable: bool
    citation_label: str | None = None
    citation_label_zh: str | None = None
    citation_version: str | None = Field(
        default=None, description="the version whose article `citation_label` names: the one Art. 28 applies "
                                  "for this value (an older version's Art. 8(7) is not 2024's)")

    def label_in(self, lang: str) -> str | None:
        """The citation's label in `lang` (`Art. 7(1)` / `第七条第（一）项`), if the alternative cites one."""
        return (self.citation_label_zh or self.citation_label) if lang == "zh" else self.citation_label

    def cite_in(self, lang: str) -> str | None:
        """The label with the version it belongs to (`Art. 8(7), 2020` / `第八条第（七）项，2020年版本`)."""
        from ..i18n import text

        label = self.label_in(lang)
        if label is None or self.citation_version is None:
            return label
        return text("legal_time_review.cited_in_version", lang, label=label, version=self.citation_version)

    def leads_to(self, rb: Any, finding_words: str, lang: str) -> str:
        """What this value leads to, after `finding_words` (its finding, as the caller names it): whether liable
        where the finding's words do not say it, then the article with its version in parentheses
        (`gross negligence, liable (Art. 8(7), 2020)` / `重大过失，应当承担司法责任（第八条第（七）项，2020年版本）`)."""
        from ..i18n import text

        said = finding_words
        if rb.leaves_liability_unsaid(self.finding):
            said += text("determination.then_liable" if self.liable else "determination.then_not_liable", lang)
        label = self.cite_in(lang)
        return said + text("report.paren", lang, text=label) if label else said


class Missing(_Out):
    """A fact whose value would decide an undetermined conduct, with what each value gives."""

    field: str
    question: str | None = None
    question_zh: str | None = None

    @property
    def question_text(self) -> Bilingual:
        """Empty when the vocabulary has no question for the field."""
        return Bilingual.pair(self.question_zh or "", self.question or "")
    alternatives: list[Alternative]


class Contradiction(_Out):
    """Facts that contradict each other (rules/contradictions.yaml): the conduct is undetermined."""

    id: str
    fields: list[str]
    reason: str
    reason_zh: str


class WhyNot(_Out):
    """Why the conduct did not get a finding: the nearest rules with it, and what stopped them."""

    finding: str
    rules: list[str]
    citations: list[str]
    failed: list[FieldTest] = Field(default_factory=list)
    alternative: bool = False
    defeated_by: str | None = None
    reason: str
    reason_zh: str

    @property
    def reason_text(self) -> Bilingual:
        return Bilingual.pair(self.reason_zh, self.reason)


class FactChange(_Out):
    field: str
    old: str = Field(alias="from")
    new: str = Field(alias="to")


class Counterfactual(_Out):
    """A smallest change of the facts that changes the finding or the liability, and what then decides."""

    changes: list[FactChange]
    finding: str
    liable: bool
    citation: str | None = None
    decided_by: str | None = None
    version_applied: str | None = None
    summary: str
    summary_zh: str

    @property
    def summary_text(self) -> Bilingual:
        return Bilingual.pair(self.summary_zh, self.summary)


class ConductDetermination(_Out):
    conduct_id: str
    date: _dt.date
    act: str
    fault: str
    finding: str
    liable: bool
    provisional: bool = Field(default=False, description=(
        "true when the finding rests on a rule of low source confidence (an assumption where the official "
        "text was not available): it holds only until that text is checked"))
    citation: Citation | None
    version_applied: str | None
    temporal: Temporal
    trace: list[TraceEntry]
    missing: list[Missing] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list, description=(
        "the declared contradictions the facts meet (rules/contradictions.yaml); the conduct is then undetermined"))
    facts_considered: dict[str, str] = Field(default_factory=dict,
                                             description="the facts the rules tested, as the rules saw them")
    why_not: list[WhyNot] = Field(default_factory=list)
    what_would_change: list[Counterfactual] | None = Field(
        default=None, description="computed by `liability explain` / Engine.explain (it re-evaluates variations)")
    explanation: str
    explanation_zh: str
    warnings: list[str] = Field(default_factory=list)
    warnings_zh: list[str] = Field(default_factory=list)

    @property
    def explanation_text(self) -> Bilingual:
        return Bilingual.pair(self.explanation_zh, self.explanation)


class Overall(_Out):
    finding: str
    liable: bool
    provisional: bool = Field(default=False, description="true when any conduct's finding is provisional")


class RulebookInfo(_Out):
    digest: str
    versions: list[str]
    backend: str = Field(description="the evaluator that ran the rules (the same as engine.backend)")


class EngineInfo(_Out):
    """The program that answered, and the evaluator that ran the rules."""

    program: Literal["liability-engine"] = "liability-engine"
    version: str = Field(description="the program's version")
    backend: Literal["durable", "python"] = Field(
        description="durable: the durable-rules C engine; python: the reference evaluator, which fires the same "
                    "rules and gives the same findings (used where durable-rules cannot be imported, e.g. Python 3.13)")
    note: str | None = Field(default=None, description="why the reference evaluator ran, when durable-rules could "
                                                       "not; null otherwise")
    note_zh: str | None = None


class Determination(_Out):
    schema_: Literal["liability-determination/1"] = Field(default=SCHEMA, alias="schema")
    case_id: str
    person_id: str
    evaluated_on: _dt.date
    overall: Overall
    conducts: list[ConductDetermination]
    rulebook: RulebookInfo
    engine: EngineInfo
