"""Rulebooks: `rules/` folders of YAML, validated at load into typed, checked rule models.

Layout of a rulebook folder:
  findings.yaml            the findings, most severe first, with zh/en labels
  vocabulary.yaml          zh/en labels of the facts' fields and values (for people, not logic)
  <version>/manifest.yaml  identity, issuer, in-force dates, source and its confidence, errata
  <version>/precedence.yaml  the layers of precedence, strongest first (SPEC §4 order)
  <version>/*.yaml         one file per article (or clause): its text, items, and the rules formalising it
A bad file fails here, at load, with file, line, rule id and a fix: never mid-evaluation.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .conditions import Any_, Condition, ConditionError, FieldSpec, Schema, Test, conjoin, parse_condition
from ..facts.documents import Document, dotted, read_document
from ..errors import Problem, RulesError, did_you_mean
from ..facts.model import Act, Case, Conduct, Effects, OutcomeChange, Person, inner_model, pydantic_message
from ..i18n import Message, join, msg

__all__ = [
    "Rulebook", "Version", "Rule", "TemporalRule", "Article", "Bilingual", "conduct_schema",
    "load_rulebook", "CONFIDENCE",
]

CONFIDENCE = ("confirmed", "moderate", "low")
Confidence = Literal["confirmed", "moderate", "low"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Bilingual(_Model):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


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
    interpretation: Interpretation | None = None
    source_confidence: Confidence | None = None
    source: str | None = None
    missing: list[str] = Field(default_factory=list)
    explains_unmet: list[str] = Field(default_factory=list)
    cite: Literal["item", "article", "none"] = "item"
    role: Literal["decides", "warns"] = "decides"
    explanation: Bilingual | None = None
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


# --- compiled, checked forms -----------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    key: str
    number: int | None
    label: Bilingual | None
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
    id: str
    version: str
    article_key: str
    article: int | None
    paragraph: int | None
    item: int | None
    layer: str
    finding: str
    liable: bool
    acts: frozenset[str] | None
    when: Condition | None
    condition: Condition | None
    defeats: tuple[str, ...]
    interpretation: str | None
    interpretation_zh: str | None
    source_confidence: str
    source: str | None
    missing: tuple[str, ...]
    explains_unmet: tuple[str, ...]
    cited: bool
    warns_only: bool
    explanation: Bilingual | None
    note: str | None
    file: str
    line: int | None


@dataclass(frozen=True)
class TemporalRule:
    id: str
    version: str
    article_key: str
    choose: str
    condition: Condition | None
    interpretation: str | None
    interpretation_zh: str | None
    explanation: Bilingual
    note: str | None
    file: str
    line: int | None


@dataclass
class Version:
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

    def layer_rank(self, layer: str) -> int:
        return [l.id for l in self.layers].index(layer)

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
    versions: list[Version]  # oldest first
    findings: list[FindingSpec]  # most severe first
    undetermined: str
    vocabulary: VocabularyFile
    digest: str
    schema: Schema = field(default_factory=dict)

    def version(self, vid: str) -> Version:
        for v in self.versions:
            if v.id == vid:
                return v
        raise KeyError(vid)

    def finding_label(self, finding: str, lang: str) -> str:
        for f in self.findings:
            if f.id == finding:
                return f.label.get(lang)
        return finding

    def says_liability(self, finding: str) -> bool:
        """Whether the finding's label already says whether responsibility attaches (avoid saying it twice)."""
        return any(f.id == finding and f.states_liability for f in self.findings)

    def severity(self, finding: str) -> int:
        """Higher is more severe; `undetermined` is not on the scale (-1)."""
        ids = [f.id for f in self.findings]
        return len(ids) - ids.index(finding) if finding in ids else -1


# --- the facts fields a rule may test ----------------------------------------------------------


def _enum_values(annotation: Any) -> tuple[tuple[str, ...], bool]:
    args = getattr(annotation, "__args__", None) or (annotation,)
    nullable = type(None) in args
    for a in args:
        if isinstance(a, type) and issubclass(a, __import__("enum").Enum):
            return tuple(m.value for m in a), nullable
    return (), nullable


def conduct_schema() -> Schema:
    """The fields rules may test, derived from the facts models (never listed by hand)."""
    schema: Schema = {}

    def add(prefix: str, model: type[BaseModel], skip: set[str]) -> None:
        for name, info in model.model_fields.items():
            if name in skip:
                continue
            ann = info.annotation
            full = prefix + name
            inner = getattr(ann, "__args__", None) or (ann,)
            if any(isinstance(a, type) and issubclass(a, BaseModel) for a in inner):
                continue
            if ann is bool or "StrictBool" in str(ann) or ann == bool:
                schema[full] = FieldSpec(full, "bool")
                continue
            values, nullable = _enum_values(ann)
            if values:
                schema[full] = FieldSpec(full, "enum", values, nullable)
            elif info.annotation is not None and "bool" in str(info.annotation):
                schema[full] = FieldSpec(full, "bool")

    add("", Conduct, {"id", "date", "summary"})
    add("effects.", Effects, set())
    add("outcome_change.", OutcomeChange, set())
    for key in ("outcome_change.kind", "outcome_change.cause"):
        spec = schema[key]
        schema[key] = FieldSpec(spec.name, spec.kind, spec.values, True)
    add("case.", Case, {"id", "summary"})
    add("person.", Person, {"id", "name"})
    return schema


# --- loading -----------------------------------------------------------------------------------


class _Collector:
    """Gathers problems across files so one check reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, doc: Document | None, loc: tuple[Any, ...], message: Message, *, rule_id: str | None = None,
            value: Any = None, allowed: list[str] | None = None, suggestion: str | None = None,
            path: str | None = None) -> None:
        line, column = doc.position(loc) if doc else (None, None)
        self.problems.append(Problem(message, path=doc.path if doc else path, line=line, column=column,
                                     field=dotted(loc) or None, rule_id=rule_id,
                                     value=value if isinstance(value, (str, int, float, bool)) else None,
                                     allowed=allowed, suggestion=suggestion))


def _validate(model: type[_Model], doc: Document, out: _Collector) -> Any:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            rule_id = _rule_id_at(doc.data, loc)
            kind = err["type"]
            if kind == "extra_forbidden":
                allowed = _allowed_keys(model, loc[:-1])
                out.add(doc, loc, msg("rules.unknown_key", key=loc[-1]), rule_id=rule_id, allowed=allowed,
                        suggestion=did_you_mean(str(loc[-1]), allowed or []))
            elif kind == "missing":
                out.add(doc, loc, msg("rules.missing_key"), rule_id=rule_id)
            else:
                value = err.get("input")
                message = pydantic_message(err)
                if isinstance(value, (str, int, float, bool)):
                    message = message + msg("facts.got", value=repr(value))
                allowed = None
                if kind == "literal_error":
                    allowed = [e.strip(" '") for e in str((err.get("ctx") or {}).get("expected", "")).split(",")]
                    allowed = [a for part in allowed for a in part.split(" or ")]
                    allowed = [a.strip(" '") for a in allowed if a.strip(" '")]
                out.add(doc, loc, message, rule_id=rule_id, value=value, allowed=allowed,
                        suggestion=did_you_mean(value, allowed or []) if isinstance(value, str) else None)
        return None


def _rule_id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] in ("rules", "temporal_rules") and isinstance(loc[1], int):
        try:
            rid = data[loc[0]][loc[1]].get("id")
            return str(rid) if rid is not None else None
        except (KeyError, IndexError, AttributeError, TypeError):
            return None
    return None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            # dict-valued fields (items: {1: ...}) have int-ish keys: step through
            continue
        current = inner_model(info.annotation)
    return list(current.model_fields) if current is not None and hasattr(current, "model_fields") else None


def _read(path: Path, out: _Collector) -> Document | None:
    try:
        return read_document(path, RulesError, limit=2 * 1024 * 1024)
    except RulesError as exc:
        out.problems.extend(exc.problems)
        return None


VERSION_FILES = ("manifest.yaml", "precedence.yaml")


def load_rulebook(folder: str | Path) -> Rulebook:
    """Load and check a whole rulebook; raise RulesError listing every problem found."""
    root = Path(folder)
    out = _Collector()
    if not root.is_dir():
        raise RulesError(Problem(msg("rules.folder_not_found"), path=str(root)))
    schema = conduct_schema()
    digest = hashlib.sha256()

    def load(path: Path, model: type[_Model]) -> tuple[Any, Document | None]:
        doc = _read(path, out)
        if doc is None:
            return None, None
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        return _validate(model, doc, out), doc

    findings_file, _ = load(root / "findings.yaml", FindingsFile)
    vocabulary, _ = load(root / "vocabulary.yaml", VocabularyFile)
    finding_ids = [f.id for f in findings_file.findings] if findings_file else []

    versions: list[Version] = []
    version_dirs = sorted(p for p in root.iterdir() if p.is_dir() and (p / "manifest.yaml").exists())
    if not version_dirs:
        out.add(None, (), msg("rules.no_versions"), path=str(root))
    all_ids: dict[str, str] = {}
    for vdir in version_dirs:
        version = _load_version(vdir, load, schema, finding_ids, all_ids, out)
        if version is not None:
            versions.append(version)
    if out.problems:
        raise RulesError(out.problems)
    versions.sort(key=lambda v: v.in_force_from)
    _check_dates(versions, root, out)
    if out.problems:
        raise RulesError(out.problems)
    assert findings_file is not None and vocabulary is not None
    return Rulebook(folder=str(root), versions=versions, findings=list(findings_file.findings),
                    undetermined=findings_file.undetermined, vocabulary=vocabulary,
                    digest=digest.hexdigest(), schema=schema)


def _check_dates(versions: list[Version], root: Path, out: _Collector) -> None:
    for older, newer in zip(versions, versions[1:]):
        until = older.manifest.in_force_until
        if until is None or until >= newer.in_force_from:
            out.add(None, (), msg("rules.versions_overlap", older=older.id, newer=newer.id,
                                  starts=newer.in_force_from), path=str(root / older.folder / "manifest.yaml"),
                    suggestion=str(newer.in_force_from - _dt.timedelta(days=1)))


def _load_version(vdir: Path, load: Any, schema: Schema, finding_ids: list[str],
                  all_ids: dict[str, str], out: _Collector) -> Version | None:
    manifest, mdoc = load(vdir / "manifest.yaml", Manifest)
    precedence, pdoc = load(vdir / "precedence.yaml", PrecedenceFile)
    if manifest is None or precedence is None:
        return None
    if manifest.version != vdir.name:
        out.add(mdoc, ("version",), msg("rules.version_folder", version=manifest.version, folder=vdir.name),
                suggestion=vdir.name)
    layer_ids = [l.id for l in precedence.layers]
    articles: dict[str, Article] = {}
    specs: list[tuple[RuleSpec, Document, int, int]] = []
    temporal_specs: list[tuple[TemporalRuleSpec, Document, int, int]] = []
    for path in sorted(p for p in vdir.glob("*.yaml") if p.name not in VERSION_FILES):
        art, doc = load(path, ArticleFile)
        if art is None or doc is None:
            continue
        key = art.ref or (str(art.article) if art.article is not None else None)
        if key is None or (art.article is None and art.label is None):
            out.add(doc, ("article",), msg("rules.article_needs_number"))
            continue
        if key in articles:
            out.add(doc, ("article",), msg("rules.article_twice", article=key, file=articles[key].file))
            continue
        articles[key] = Article(key, art.article, art.label, art.text, dict(art.paragraphs), dict(art.items),
                                tuple(art.errata), str(path), art.source_confidence)
        for i, spec in enumerate(art.rules):
            specs.append((spec, doc, key, i))
        for i, tspec in enumerate(art.temporal_rules):
            temporal_specs.append((tspec, doc, key, i))
    default_conf = manifest.source_confidence
    rules: list[Rule] = []
    by_id = {spec.id: spec for spec, *_ in specs}
    for spec, doc, article, i in specs:
        loc = ("rules", i)
        rule = _compile_rule(spec, doc, loc, article, manifest.version, articles, layer_ids, finding_ids,
                             schema, default_conf, by_id, out)
        if spec.id in all_ids:
            out.add(doc, loc + ("id",), msg("rules.duplicate_id_in", id=spec.id, file=all_ids[spec.id]),
                    rule_id=spec.id)
        all_ids[spec.id] = doc.path
        if rule is not None:
            rules.append(rule)
    temporal: list[TemporalRule] = []
    for tspec, doc, article, i in temporal_specs:
        from ..evaluate.temporal import temporal_schema  # the comparison facts of the temporal article

        loc = ("temporal_rules", i)
        try:
            cond = parse_condition(tspec.when, temporal_schema(), loc + ("when",)) if tspec.when is not None else None
        except ConditionError as exc:
            _condition_problem(out, doc, exc, tspec.id)
            continue
        if tspec.id in all_ids:
            out.add(doc, loc + ("id",), msg("rules.duplicate_id", id=tspec.id), rule_id=tspec.id)
        all_ids[tspec.id] = doc.path
        temporal.append(TemporalRule(tspec.id, manifest.version, article, tspec.choose, cond,
                                     tspec.interpretation.reason if tspec.interpretation else None,
                                     tspec.interpretation.reason_zh if tspec.interpretation else None,
                                     tspec.explanation, tspec.note, doc.path, doc.position(loc)[0]))
    _check_defeats(rules, specs, out)
    return Version(manifest.version, manifest, articles, rules, list(precedence.layers), temporal, vdir.name)


def _condition_problem(out: _Collector, doc: Document, exc: ConditionError, rule_id: str) -> None:
    out.add(doc, exc.where, exc.message, rule_id=rule_id, value=exc.value, allowed=exc.allowed,
            suggestion=exc.suggestion)


def _compile_rule(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], article: str, version: str,
                  articles: dict[str, Article], layers: list[str], findings: list[str], schema: Schema,
                  default_conf: str, by_id: dict[str, RuleSpec], out: _Collector) -> Rule | None:
    ok = True
    if spec.layer is None and spec.role == "decides":
        out.add(doc, loc, msg("rules.needs_layer"), rule_id=spec.id,
                allowed=layers)
        ok = False
    elif spec.layer is not None and spec.layer not in layers:
        out.add(doc, loc + ("layer",), msg("rules.unknown_layer_declared", layer=spec.layer),
                rule_id=spec.id, value=spec.layer, allowed=layers, suggestion=did_you_mean(spec.layer, layers))
        ok = False
    if spec.finding not in findings:
        out.add(doc, loc + ("finding",), msg("rules.unknown_finding", finding=spec.finding), rule_id=spec.id,
                value=spec.finding, allowed=findings, suggestion=did_you_mean(spec.finding, findings))
        ok = False
    art = articles.get(article)
    if art is not None:
        if spec.paragraph is not None and spec.paragraph not in art.paragraphs:
            out.add(doc, loc + ("paragraph",), msg("rules.no_paragraph", article=article, paragraph=spec.paragraph),
                    rule_id=spec.id, allowed=[str(p) for p in art.paragraphs] or None)
            ok = False
        if spec.item is not None and spec.item not in art.items:
            out.add(doc, loc + ("item",), msg("rules.no_item", article=article, item=spec.item),
                    rule_id=spec.id, allowed=[str(p) for p in art.items] or None)
            ok = False
    acts = _resolve_acts(spec, doc, loc, by_id, out)
    when = None
    if spec.when is not None:
        try:
            when = parse_condition(spec.when, schema, loc + ("when",))
        except ConditionError as exc:
            _condition_problem(out, doc, exc, spec.id)
            ok = False
    for i, name in enumerate(spec.missing):
        if name not in schema:
            out.add(doc, loc + ("missing", i), msg("facts.unknown_field", name=name), rule_id=spec.id,
                    allowed=sorted(schema), suggestion=did_you_mean(name, list(schema)))
            ok = False
    for i, name in enumerate(spec.explains_unmet):
        if name not in layers:
            out.add(doc, loc + ("explains_unmet", i), msg("rules.unknown_layer", layer=name), rule_id=spec.id,
                    allowed=layers, suggestion=did_you_mean(name, layers))
            ok = False
    if acts is False or not ok:
        return None
    act_test = None
    if acts is not None:
        ordered = [a.value for a in Act if a.value in acts]
        act_test = Any_(tuple(Test("act", "eq", a) for a in ordered)) if len(ordered) > 1 else \
            Test("act", "eq", ordered[0]) if ordered else None
        if act_test is None:
            out.add(doc, loc + ("acts",), msg("rules.no_acts"), rule_id=spec.id)
            return None
    condition = conjoin([act_test, when])
    return Rule(
        id=spec.id, version=version, article_key=article, article=art.number if art else None, paragraph=spec.paragraph, item=spec.item,
        layer=spec.layer or "", finding=spec.finding, liable=spec.liable,
        acts=frozenset(acts) if acts is not None else None, when=when, condition=condition,
        defeats=tuple(spec.defeats), interpretation=spec.interpretation.reason if spec.interpretation else None,
        interpretation_zh=spec.interpretation.reason_zh if spec.interpretation else None,
        source_confidence=spec.source_confidence or (art.source_confidence if art else None) or default_conf,
        source=spec.source, missing=tuple(spec.missing), explains_unmet=tuple(spec.explains_unmet),
        cited=spec.cite != "none", warns_only=spec.role == "warns", explanation=spec.explanation, note=spec.note,
        file=doc.path, line=doc.position(loc)[0])


def _resolve_acts(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], by_id: dict[str, RuleSpec],
                  out: _Collector) -> set[str] | None | Literal[False]:
    """`acts:` is a list, `{of_rules: [...]}` or `{except_rules: [...], except: [...]}`."""
    raw = spec.acts
    if raw is None:
        return None
    every = [a.value for a in Act]

    def check_acts(names: list[str], where: tuple[Any, ...]) -> bool:
        good = True
        for i, name in enumerate(names):
            if name not in every:
                out.add(doc, where + (i,), msg("rules.not_an_act", act=name), rule_id=spec.id,
                        value=name, allowed=every, suggestion=did_you_mean(name, every))
                good = False
        return good

    def acts_of(ids: list[str], where: tuple[Any, ...], seen: frozenset[str]) -> set[str] | None:
        found: set[str] = set()
        for i, rid in enumerate(ids):
            other = by_id.get(rid)
            if other is None:
                out.add(doc, where + (i,), msg("rules.no_such_rule", rule=rid), rule_id=spec.id, value=rid,
                        allowed=None, suggestion=did_you_mean(rid, list(by_id)))
                return None
            if rid in seen:
                out.add(doc, where + (i,), msg("rules.acts_cycle", cycle=" → ".join([*seen, rid])),
                        rule_id=spec.id)
                return None
            sub = _acts_value(other, lambda ids2, w: acts_of(ids2, w, seen | {rid}), where + (i,))
            if sub is None:
                out.add(doc, where + (i,), msg("rules.acts_unlimited", rule=rid), rule_id=spec.id)
                return None
            found |= sub
        return found

    if isinstance(raw, list):
        return set(raw) if check_acts(raw, loc + ("acts",)) else False
    keys = set(raw)
    allowed_keys = ["of_rules", "except_rules", "except"]
    unknown = keys - set(allowed_keys)
    if unknown or not keys or ("of_rules" in keys and keys & {"except_rules", "except"}):
        bad = sorted(unknown)[0] if unknown else None
        out.add(doc, loc + ("acts",) + ((bad,) if bad else ()),
                msg("rules.acts_shape"),
                rule_id=spec.id, allowed=allowed_keys, suggestion=did_you_mean(bad, allowed_keys) if bad else None)
        return False
    if "of_rules" in raw:
        got = acts_of(raw["of_rules"], loc + ("acts", "of_rules"), frozenset({spec.id}))
        return False if got is None else got
    excluded: set[str] = set()
    if "except_rules" in raw:
        got = acts_of(raw["except_rules"], loc + ("acts", "except_rules"), frozenset({spec.id}))
        if got is None:
            return False
        excluded |= got
    if "except" in raw:
        if not check_acts(raw["except"], loc + ("acts", "except")):
            return False
        excluded |= set(raw["except"])
    return set(every) - excluded


def _acts_value(spec: RuleSpec, resolve: Any, where: tuple[Any, ...]) -> set[str] | None:
    raw = spec.acts
    if raw is None:
        return None
    if isinstance(raw, list):
        return set(raw)
    if "of_rules" in raw:
        return resolve(raw["of_rules"], where)
    excluded: set[str] = set(raw.get("except", []))
    if "except_rules" in raw:
        sub = resolve(raw["except_rules"], where)
        if sub is None:
            return None
        excluded |= sub
    return {a.value for a in Act} - excluded


def _check_defeats(rules: list[Rule], specs: list[Any], out: _Collector) -> None:
    ids = {r.id for r in rules}
    where = {s.id: (doc, ("rules", i)) for s, doc, _, i in specs}
    for rule in rules:
        doc, loc = where[rule.id]
        for j, target in enumerate(rule.defeats):
            if target not in ids:
                out.add(doc, loc + ("defeats", j), msg("rules.defeats_unknown", rule=target),
                        rule_id=rule.id, value=target, suggestion=did_you_mean(target, sorted(ids)))
    graph = {r.id: [t for t in r.defeats if t in ids] for r in rules}
    cycle = _find_cycle(graph)
    if cycle:
        doc, loc = where[cycle[0]]
        out.add(doc, loc + ("defeats",), msg("rules.precedence_cycle", cycle=join("rules.defeats", cycle + [cycle[0]])),
                rule_id=cycle[0])


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None
