"""The procedure rule files, `rules/<version>/procedure/*.yaml`: validated at load into checked rules.

Layout of a version's `procedure/` folder:
  procedure.yaml   the levels of procuratorates (lowest first), the steps of the route in order,
                   and how periods are counted (with its interpretation and the calendar's limits)
  artNN.yaml       one file per article: its text (corrected per the errata), paragraphs, items,
                   the `rules:` that place a person on the route and the `deadlines:` it sets
  tests/*.yaml     the YAML cases of these rules (`procedure.cases`)

Conditions are written in the project's condition language (`conditions.parse_condition`) over the
fields of `procedure_schema()`; every field that can be unknown has the value `unknown`, which rules
never test: the evaluator completes it (see `evaluate`). A bad file fails here, with file, line,
rule id and a fix.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..rulebook.conditions import Condition, ConditionError, Schema, parse_condition, tests_of
from ..facts.documents import Document
from ..errors import Problem, RulesError, did_you_mean
from ..i18n import msg, text
from ..determination.citations import provision_label, quote_item
from ..rulebook.files import Interpretation
from ..rulebook.problems import Collector as _Collector, read as _read, validate as _validate  # the rulebook loader's
from ..wording import Bilingual
from .model import ProvisionRef
from .fields import DERIVED, LEVEL_FIELDS, UNKNOWN_MARKER, booleans_as_text, procedure_schema
from ..facts.procedure import DATE_FIELDS, DESCRIBED
from .files import (CountingSpec, DeadlineSpec, ExtensionSpec, LabelsSpec, LevelExpr, LevelSpec, PeriodSpec,
                    ProcArticleFile, ProcRuleSpec, SetupFile)

__all__ = ["ProcedureRules", "ProcRule", "ProcDeadline", "Step", "load_procedure_rules", "provision_labels",
           "check_procedure_rules"]


# --- compiled, checked forms ---------------------------------------------------------------------


def provision_labels(article: int, paragraph: int | None, item: int | None) -> tuple[str, str]:
    """`Art. 20 ¶2`, `Art. 21(2)` and `第二十条第二款`, `第二十一条第（二）项` (en, zh)."""
    label = provision_label(article, paragraph, item, para=" ¶")
    return label.en, label.zh


@dataclass(frozen=True)
class Provision:
    """What a rule or deadline cites: the article, paragraph or item, labelled and quoted."""

    article: int
    paragraph: int | None
    item: int | None
    label: str
    label_zh: str
    text: str
    text_en: str
    errata: tuple[str, ...]
    source_confidence: str

    def ref(self, version: str) -> ProvisionRef:
        """This provision as the route cites it (`liability-procedure/1`)."""
        return ProvisionRef(version=version, article=self.article, paragraph=self.paragraph, item=self.item,
                            label=self.label, label_zh=self.label_zh, text=self.text, text_en=self.text_en,
                            errata=list(self.errata), source_confidence=self.source_confidence)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ProcRule:
    id: str
    version: str
    step: str
    role: str
    condition: Condition | None
    body: LevelExpr | None
    sets: dict[str, LevelExpr]
    ends_route: bool
    outcome: Bilingual
    measures: tuple[Bilingual, ...]
    interpretation: Interpretation | None
    source_confidence: str
    source: str | None
    note: str | None
    provision: Provision
    file: str
    line: int | None


@dataclass(frozen=True)
class ProcDeadline:
    id: str
    version: str
    kind: str
    title: Bilingual
    who: Bilingual
    from_field: str
    period: PeriodSpec
    extension: ExtensionSpec | None
    done_by: str | None
    condition: Condition | None
    interpretation: Interpretation | None
    source_confidence: str
    note: str | None
    provision: Provision
    file: str
    line: int | None


@dataclass(frozen=True)
class Step:
    id: str
    title: Bilingual


@dataclass
class ProcedureRules:
    version: str
    folder: str
    levels: list[LevelSpec]
    steps: list[Step]
    counting: CountingSpec
    rules: list[ProcRule]
    deadlines: list[ProcDeadline]
    schema: Schema = field(default_factory=dict)
    articles: dict[int, ProcArticleFile] = field(default_factory=dict)
    labels: LabelsSpec = field(default_factory=LabelsSpec)

    def field_label(self, name: str, lang: str) -> str:
        entry = self.labels.fields.get(name) or self.labels.fields.get(f"{name}.finding")
        return entry.get(lang) if entry else name

    def value_label(self, name: str, value: str, lang: str) -> str:
        """A value as people read it: a level's name, yes/no, a status; else the value itself."""
        if name in LEVEL_FIELDS or value in {l.id for l in self.levels}:
            return self.level_label(value, lang)
        entry = self.labels.values.get(value)
        return entry.get(lang) if entry else value

    def quote(self, article: int, paragraph: int | None = None) -> Provision | None:
        """An article (or paragraph) of this folder, labelled and quoted; None when it is not here."""
        art = self.articles.get(article)
        if art is None or (paragraph is not None and paragraph not in art.paragraphs):
            return None
        return _provision(art, paragraph, None, art.source_confidence)

    def report_article(self) -> Any:
        """The article that lists the investigation report's contents (`report_sections:`, Art. 19 ¶2), or None."""
        return next((art for art in self.articles.values() if art.report_sections), None)

    def level_label(self, level: str | None, lang: str) -> str:
        for spec in self.levels:
            if spec.id == level:
                return spec.label.get(lang)
        return text("procedure.level_unknown", lang) if level in (None, "unknown") else str(level)

    def next_higher(self, level: str) -> str | None:
        ids = [l.id for l in self.levels]
        if level not in ids:
            return None
        i = ids.index(level)
        return ids[i + 1] if i + 1 < len(ids) else None

    def rules_of(self, step: str) -> list[ProcRule]:
        return [r for r in self.rules if r.step == step]


def _provision(art: ProcArticleFile, paragraph: int | None, item: int | None, confidence: str) -> Provision:
    en, zh = provision_labels(art.article, paragraph, item)
    quoted = art.paragraphs[paragraph] if paragraph is not None else art.text
    if item is not None:
        quoted = quote_item(quoted, item, art.items[item])
    text_zh, text_en = quoted.zh, quoted.en
    errata = tuple(e.note for e in art.errata
                   if (e.item is None or e.item == item) and (e.paragraph is None or e.paragraph == paragraph))
    return Provision(art.article, paragraph, item, en, zh, text_zh, text_en, errata, confidence)


def procedure_folder(rulebook_folder: str | Path, version: str) -> Path:
    return Path(rulebook_folder) / version / "procedure"


def load_procedure_rules(rulebook_folder: str | Path, version: str = "2024",
                         findings: tuple[str, ...] = ()) -> ProcedureRules:
    """Load and check `<rulebook>/<version>/procedure/`; raise RulesError listing every problem found."""
    folder = procedure_folder(rulebook_folder, version).resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))) \
        if folder.is_dir() else ()
    return _load(str(folder), version, tuple(findings), stamp)


@functools.lru_cache(maxsize=8)
def _load(folder_name: str, version: str, findings: tuple[str, ...], stamp: tuple[Any, ...]) -> ProcedureRules:
    folder = Path(folder_name)
    out = _Collector()
    if not folder.is_dir():
        raise RulesError(Problem(msg("procedure.error.no_rules", version=version), path=str(folder)))
    schema = procedure_schema(findings)
    setup_doc = _read(folder / "procedure.yaml", out)
    setup = _validate(SetupFile, setup_doc, out) if setup_doc is not None else None
    if setup is None:
        raise RulesError(out.problems or [Problem(msg("procedure.error.setup_missing"), path=str(folder))])
    for name in setup.labels.fields:  # a label of a field no rule can test is a typo
        if name not in schema:
            out.add(setup_doc, ("labels", "fields", name), msg("facts.unknown_field", name=name), allowed=sorted(schema),
                    suggestion=did_you_mean(name, list(schema)))
    for name in setup.labels.descriptions:  # a description of no part of the facts' `procedure:` block is a typo
        if name not in DESCRIBED:
            out.add(setup_doc, ("labels", "descriptions", name), msg("facts.unknown_field", name=name),
                    allowed=list(DESCRIBED), suggestion=did_you_mean(name, list(DESCRIBED)))
    level_ids = [l.id for l in setup.levels]
    step_ids = [s.id for s in setup.steps]
    rules: list[ProcRule] = []
    deadlines: list[ProcDeadline] = []
    seen: dict[str, str] = {}
    articles: dict[int, str] = {}
    texts: dict[int, ProcArticleFile] = {}
    for path in sorted(p for p in folder.glob("*.yaml") if p.name != "procedure.yaml"):
        doc = _read(path, out)
        art = _validate(ProcArticleFile, doc, out) if doc is not None else None
        if art is None or doc is None:
            continue
        if art.article in articles:
            out.add(doc, ("article",), msg("procedure.error.article_twice", article=art.article, file=articles[art.article]))
            continue
        articles[art.article] = str(path)
        from .report import SECTIONS

        for key in art.report_sections:
            if key not in SECTIONS:
                out.add(doc, ("report_sections", key), msg("rules.unknown_key", key=key), allowed=list(SECTIONS),
                        suggestion=did_you_mean(key, list(SECTIONS)))
        texts[art.article] = art
        for i, spec in enumerate(art.rules):
            loc = ("rules", i)
            _unique(spec.id, doc, loc, seen, out)
            rule = _compile_rule(spec, art, doc, loc, version, schema, level_ids, step_ids, out)
            if rule is not None:
                rules.append(rule)
        for i, dspec in enumerate(art.deadlines):
            loc = ("deadlines", i)
            _unique(dspec.id, doc, loc, seen, out)
            dl = _compile_deadline(dspec, art, doc, loc, version, schema, out)
            if dl is not None:
                deadlines.append(dl)
    if out.problems:
        raise RulesError(out.problems)
    order = {s: i for i, s in enumerate(step_ids)}
    rules.sort(key=lambda r: order[r.step])  # stable: within a step, article then file order
    return ProcedureRules(version, str(folder), list(setup.levels), [Step(s.id, s.title) for s in setup.steps],
                          setup.counting, rules, deadlines, schema, texts, setup.labels)


def _unique(rid: str, doc: Document, loc: tuple[Any, ...], seen: dict[str, str], out: _Collector) -> None:
    if rid in seen:
        out.add(doc, loc + ("id",), msg("procedure.error.duplicate_id", id=rid, file=seen[rid]), rule_id=rid)
    seen[rid] = doc.path


def _where(art: ProcArticleFile, doc: Document, loc: tuple[Any, ...], rid: str, paragraph: int | None,
           item: int | None, out: _Collector) -> bool:
    ok = True
    if paragraph is not None and paragraph not in art.paragraphs:
        out.add(doc, loc + ("paragraph",), msg("procedure.error.no_paragraph", article=art.article, paragraph=paragraph), rule_id=rid, allowed=[str(p) for p in art.paragraphs] or None)
        ok = False
    if item is not None and item not in art.items:
        out.add(doc, loc + ("item",), msg("procedure.error.no_item", article=art.article, item=item), rule_id=rid,
                allowed=[str(p) for p in art.items] or None)
        ok = False
    return ok


def _condition(raw: Any, schema: Schema, doc: Document, loc: tuple[Any, ...], rid: str,
               out: _Collector) -> tuple[bool, Condition | None]:
    if raw is None:
        return True, None
    try:
        cond = parse_condition(booleans_as_text(raw), schema, loc + ("when",))
    except ConditionError as exc:
        out.add(doc, exc.where, exc.message, rule_id=rid, value=exc.value, allowed=exc.allowed,
                suggestion=exc.suggestion)
        return False, None
    for test in tests_of(cond):
        if test.value == UNKNOWN_MARKER.get(test.field):
            out.add(doc, loc + ("when",), msg("procedure.error.tests_unknown", field=test.field, value=test.value), rule_id=rid)
            return False, None
    return True, cond


def _level_expr(expr: Any, doc: Document, loc: tuple[Any, ...], rid: str, levels: list[str],
                out: _Collector) -> bool:
    if isinstance(expr, str):
        if expr not in levels:
            out.add(doc, loc, msg("procedure.error.unknown_level", level=expr), rule_id=rid, value=expr, allowed=levels,
                    suggestion=did_you_mean(expr, levels))
            return False
        return True
    target = expr.same_as or expr.next_higher_of
    if target not in LEVEL_FIELDS:
        key = "same_as" if expr.same_as else "next_higher_of"
        out.add(doc, loc + (key,), msg("procedure.error.not_a_level_field", field=target), rule_id=rid, value=target,
                allowed=list(LEVEL_FIELDS), suggestion=did_you_mean(target, LEVEL_FIELDS))
        return False
    return True


def _compile_rule(spec: ProcRuleSpec, art: ProcArticleFile, doc: Document, loc: tuple[Any, ...], version: str,
                  schema: Schema, levels: list[str], steps: list[str], out: _Collector) -> ProcRule | None:
    ok = _where(art, doc, loc, spec.id, spec.paragraph, spec.item, out)
    if spec.step not in steps:
        out.add(doc, loc + ("step",), msg("procedure.error.unknown_step", step=spec.step),
                rule_id=spec.id, value=spec.step, allowed=steps, suggestion=did_you_mean(spec.step, steps))
        ok = False
    good, cond = _condition(spec.when, schema, doc, loc, spec.id, out)
    ok = ok and good
    if spec.body is not None:
        ok = _level_expr(spec.body, doc, loc + ("body",), spec.id, levels, out) and ok
    for name, expr in spec.sets.items():
        if name not in DERIVED:
            out.add(doc, loc + ("sets", name), msg("procedure.error.not_settable", field=name), rule_id=spec.id,
                    value=name, allowed=list(DERIVED), suggestion=did_you_mean(name, DERIVED))
            ok = False
        ok = _level_expr(expr, doc, loc + ("sets", name), spec.id, levels, out) and ok
    if spec.role == "note" and (spec.sets or spec.ends_route):
        out.add(doc, loc + ("role",), msg("procedure.error.note_acts"), rule_id=spec.id)
        ok = False
    if not ok:
        return None
    confidence = spec.source_confidence or art.source_confidence
    return ProcRule(spec.id, version, spec.step, spec.role, cond, spec.body, dict(spec.sets), spec.ends_route,
                    spec.outcome, tuple(spec.measures), spec.interpretation, confidence, spec.source, spec.note,
                    _provision(art, spec.paragraph, spec.item, confidence), doc.path, doc.position(loc)[0])


def _compile_deadline(spec: DeadlineSpec, art: ProcArticleFile, doc: Document, loc: tuple[Any, ...], version: str,
                      schema: Schema, out: _Collector) -> ProcDeadline | None:
    ok = _where(art, doc, loc, spec.id, spec.paragraph, spec.item, out)
    dates = list(DATE_FIELDS)
    refs: list[tuple[tuple[str, ...], str | None]] = [(("from",), spec.from_), (("done_by",), spec.done_by)]
    if spec.extension is not None:
        refs.append((("extension", "approved"), spec.extension.approved))
    for key, name in refs:
        if name is not None and name not in dates:
            where = loc + key
            out.add(doc, where, msg("procedure.error.not_a_date", name=name), rule_id=spec.id, value=name,
                    allowed=dates, suggestion=did_you_mean(name, dates))
            ok = False
    if spec.extension is not None and spec.extension.amount not in (None, "extension_months"):
        out.add(doc, loc + ("extension", "amount"), msg("procedure.error.not_an_amount", name=spec.extension.amount),
                rule_id=spec.id, allowed=["extension_months"])
        ok = False
    if spec.extension is not None and spec.extension.amount is not None and spec.extension.by.months is None:
        out.add(doc, loc + ("extension", "amount"), msg("procedure.error.months_need_by"),
                rule_id=spec.id)
        ok = False
    good, cond = _condition(spec.when, schema, doc, loc, spec.id, out)
    if not (ok and good):
        return None
    confidence = spec.source_confidence or art.source_confidence
    return ProcDeadline(spec.id, version, spec.kind, spec.title, spec.who, spec.from_, spec.period, spec.extension,
                        spec.done_by, cond, spec.interpretation, confidence, spec.note,
                        _provision(art, spec.paragraph, spec.item, confidence), doc.path, doc.position(loc)[0])


def check_procedure_rules(rulebook: Any) -> tuple[int, list[Problem]]:
    """Load every version's procedure rules (for `liability rules check`): how many, and the problems."""
    count, problems = 0, []
    findings = tuple(f.id for f in rulebook.findings)
    for version in rulebook.versions:
        if procedure_folder(rulebook.folder, version.folder).is_dir():
            try:
                loaded = load_procedure_rules(rulebook.folder, version.folder, findings)
                count += len(loaded.rules) + len(loaded.deadlines)
            except RulesError as exc:
                problems.extend(exc.problems)
    return count, problems

