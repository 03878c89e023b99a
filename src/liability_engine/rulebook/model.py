"""The compiled rulebook: versions, their articles and rules, checked and ready to run.

`load.load_rulebook` builds it from a `rules/` folder (the file models of `files`); everything here is
plain data, which is why a checked rulebook can be cached (compile/rulecache.py).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..errors import FactsError, Problem
from ..facts.fields import Schema
from .conditions import Condition
from ..i18n import msg
from ..wording import Bilingual
from .files import Erratum, FindingSpec, Interpretation, Layer, Manifest, VocabularyFile

__all__ = ["Rulebook", "Version", "Rule", "TemporalRule", "Article"]


@dataclass(frozen=True)
class Article:
    """An article (or a clause cited by name) of one version: its text, as quoted in citations."""

    key: str  #: the article number as text, or its `ref:` name when the number is not known
    number: int | None
    label: Bilingual | None  #: how to cite it when it is not cited as `Art. N`
    text: Bilingual
    paragraphs: dict[int, Bilingual]
    items: dict[int, Bilingual]
    errata: tuple[Erratum, ...]
    file: str
    source_confidence: str | None = None

    def errata_for(self, item: int | None, paragraph: int | None) -> list[str]:
        """The corrections in the quoted text of that item or paragraph (or of the lead-in)."""
        return [e.note for e in self.errata
                if (e.item is None or e.item == item) and (e.paragraph is None or e.paragraph == paragraph)]


@dataclass(frozen=True)
class Rule:
    """One rule of one version, compiled from a `rules:` entry of an article file."""

    id: str
    version: str  #: the id of the version it belongs to
    article_key: str  #: the `Article.key` of the article it formalises
    article: int | None  #: that article's number (None for a clause cited by name)
    paragraph: int | None
    item: int | None
    layer: str  #: its place in the version's precedence.yaml ("" for a rule that only warns)
    finding: str  #: the finding it gives when it decides
    liable: bool  #: whether judicial responsibility attaches under that finding
    acts: frozenset[str] | None  #: the acts it covers (`acts:` resolved); None: every act
    when: Condition | None  #: its `when:` condition as written (without the acts test)
    condition: Condition | None  #: what is run: the acts test and `when:` together
    defeats: tuple[str, ...]  #: ids of rules it prevails over, whatever their layer
    interpretation: str | None  #: why the reading goes beyond the words of the text (en), if it does
    interpretation_zh: str | None
    source_confidence: str  #: confirmed / moderate / low: the rule's, else its article's, else the version's
    source: str | None  #: where the rule's text comes from, when not from the version's source
    missing: tuple[str, ...]  #: for an undetermined finding: the facts fields whose values would decide it
    explains_unmet: tuple[str, ...]  #: layers whose unmet rules for the same act the trace shows, when it decides
    cited: bool  #: whether a determination cites it (`cite: none` makes it False)
    warns_only: bool  #: `role: warns`: it never decides, it adds a warning when it fires
    explanation: Bilingual | None  #: the sentence a determination adds when it decides
    file: str
    line: int | None
    interpretations: tuple[Interpretation, ...] = ()  #: each reading beyond the words (docs/interpretations.md)
    not_applicable: Bilingual | None = None  #: why it does not reach facts outside its scope (why-not)
    fault_order_exception: Interpretation | None = None  #: why a more culpable fault may be lighter here


@dataclass(frozen=True)
class Contradiction:
    """One entry of rules/contradictions.yaml: facts that contradict each other."""

    id: str
    condition: Condition
    fields: tuple[str, ...]  #: the facts it names, in order of mention
    reason: Bilingual
    file: str
    line: int | None


@dataclass(frozen=True)
class TemporalRule:
    """One rule of a version's temporal article (Art. 28): which version applies to a comparison."""

    id: str
    version: str
    article_key: str
    choose: str  #: current / old / undetermined
    condition: Condition | None  #: over the comparison facts of `temporal`
    interpretation: str | None
    interpretation_zh: str | None
    explanation: Bilingual
    file: str
    line: int | None


@dataclass
class Version:
    """One encoded version of the law (a folder of the rulebook)."""

    id: str
    manifest: Manifest
    articles: dict[str, Article]
    rules: list[Rule]
    layers: list[Layer]
    temporal_rules: list[TemporalRule]
    folder: str

    @property
    def in_force_from(self) -> _dt.date:
        return self.manifest.in_force_from

    def in_force_on(self, day: _dt.date) -> bool:
        until = self.manifest.in_force_until
        return self.manifest.in_force_from <= day and (until is None or day <= until)

    def locate(self, rule_id: str) -> tuple[str | None, int | None]:
        for r in self.rules:
            if r.id == rule_id:
                return r.file, r.line
        for t in self.temporal_rules:
            if t.id == rule_id:
                return t.file, t.line
        return None, None

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


@dataclass
class Rulebook:
    folder: str
    versions: list[Version]  #: oldest first
    findings: list[FindingSpec]  #: most severe first
    undetermined: str
    vocabulary: VocabularyFile
    digest: str
    schema: Schema = field(default_factory=dict)  #: the facts fields rules may test
    contradictions: list["Contradiction"] = field(default_factory=list)  #: rules/contradictions.yaml

    def version(self, vid: str) -> Version:
        for v in self.versions:
            if v.id == vid:
                return v
        raise KeyError(vid)

    def in_force(self, day: _dt.date) -> Version:
        """The latest version in force on `day` (the one the law applies on that date); FactsError when
        `day` is before the first encoded version."""
        in_force = [v for v in self.versions if v.in_force_from <= day]
        if not in_force:
            first = self.versions[0]
            raise FactsError(Problem(msg("facts.no_version_in_force", as_of=day, first=first.id,
                                         since=first.in_force_from), field="as_of", value=str(day)))
        return in_force[-1]

    def finding_label(self, finding: str, lang: str) -> str:
        for f in self.findings:
            if f.id == finding:
                return f.label.get(lang)
        return finding

    def says_liability(self, finding: str) -> bool:
        """Whether the finding's label already says whether responsibility attaches (avoid saying it twice)."""
        return any(f.id == finding and f.states_liability for f in self.findings)

    def leaves_liability_unsaid(self, finding: str) -> bool:
        """Whether an answer with this finding must say whether responsibility attaches: its label does not (gross
        negligence is liable with its consequence, not without), and it is not undetermined."""
        return finding != self.undetermined and not self.says_liability(finding)

    def severity(self, finding: str) -> int:
        """Higher is more severe; `undetermined` is not on the scale (-1)."""
        ids = [f.id for f in self.findings]
        return len(ids) - ids.index(finding) if finding in ids else -1
