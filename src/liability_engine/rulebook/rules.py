"""One rule of an article file compiled: its references checked (layer, finding, paragraph, item,
fields, acts), its acts and `when:` turned into the one condition that is run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import did_you_mean
from ..facts.documents import Document
from ..facts.fields import Schema
from ..facts.model import Act
from .acts import rule_acts
from .conditions import Any_, Condition, ConditionError, Test, conjoin, parse_condition
from .files import Manifest, RuleSpec, TemporalRuleSpec
from .model import Article, Rule, TemporalRule
from .problems import Collector
from .temporal import temporal_schema
from ..i18n import msg

__all__ = ["RuleContext", "compile_rule", "compile_temporal_rule"]


@dataclass
class RuleContext:
    """What every rule of a rulebook is checked against, and where its problems go."""

    schema: Schema
    findings: list[str]
    out: Collector
    ids: dict[str, str] = field(default_factory=dict)  #: rule id -> the file that defines it (all versions)
    incomplete: bool = False  #: a file of the version being loaded failed: references to its rules are not checked

    def claim(self, rule_id: str, doc: Document, loc: tuple[Any, ...], also: bool = True) -> None:
        """Record a rule id; a second rule with the same id is a problem."""
        if rule_id in self.ids:
            said = msg("rules.duplicate_id_in", id=rule_id, file=self.ids[rule_id]) if also else \
                msg("rules.duplicate_id", id=rule_id)
            self.out.add(doc, loc + ("id",), said, rule_id=rule_id)
        self.ids[rule_id] = doc.path


def compile_rule(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], article: str, manifest: Manifest,
                 articles: dict[str, Article], layers: list[str], by_id: dict[str, RuleSpec],
                 context: RuleContext) -> Rule | None:
    rule = _compile(spec, doc, loc, article, manifest, articles, layers, by_id, context)
    context.claim(spec.id, doc, loc)
    return rule


def _compile(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], article: str, manifest: Manifest,
             articles: dict[str, Article], layers: list[str], by_id: dict[str, RuleSpec],
             context: RuleContext) -> Rule | None:
    art = articles.get(article)
    ok = _references(spec, doc, loc, article, art, layers, context)
    acts = rule_acts(spec, doc, loc, by_id, context.out, context.incomplete)
    when = None
    if spec.when is not None:
        try:
            when = parse_condition(spec.when, context.schema, loc + ("when",))
        except ConditionError as exc:
            _condition_problem(context.out, doc, exc, spec.id)
            ok = False
    ok = _fields_and_layers(spec, doc, loc, layers, context) and ok
    if acts is False or not ok:
        return None
    act_test = None
    if acts is not None:
        act_test = _act_test(acts)
        if act_test is None:
            context.out.add(doc, loc + ("acts",), msg("rules.no_acts"), rule_id=spec.id)
            return None
    readings = tuple(spec.interpretation if isinstance(spec.interpretation, list) else
                     [spec.interpretation] if spec.interpretation else [])
    return Rule(
        id=spec.id, version=manifest.version, article_key=article, article=art.number if art else None,
        paragraph=spec.paragraph, item=spec.item, layer=spec.layer or "", finding=spec.finding, liable=spec.liable,
        acts=frozenset(acts) if acts is not None else None, when=when, condition=conjoin([act_test, when]),
        defeats=tuple(spec.defeats), interpretation=" ".join(i.reason for i in readings) or None,
        interpretation_zh="".join(i.reason_zh for i in readings) or None,
        source_confidence=spec.source_confidence or (art.source_confidence if art else None)
        or manifest.source_confidence,
        source=spec.source, missing=tuple(spec.missing), explains_unmet=tuple(spec.explains_unmet),
        cited=spec.cite != "none", warns_only=spec.role == "warns", explanation=spec.explanation,
        file=doc.path, line=doc.position(loc)[0], interpretations=readings, not_applicable=spec.not_applicable,
        fault_order_exception=spec.fault_order_exception)


def _act_test(acts: set[str]) -> Condition | None:
    """`act` is one of `acts` (in the contract's order), as a condition; None for no act at all."""
    ordered = [a.value for a in Act if a.value in acts]
    if len(ordered) > 1:
        return Any_(tuple(Test("act", "eq", a) for a in ordered))
    return Test("act", "eq", ordered[0]) if ordered else None


def _references(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], article: str, art: Article | None,
                layers: list[str], context: RuleContext) -> bool:
    """Whether the rule's layer, finding, paragraph and item exist (each problem reported)."""
    out, ok = context.out, True
    if spec.layer is None and spec.role == "decides":
        out.add(doc, loc, msg("rules.needs_layer"), rule_id=spec.id,
                allowed=layers)
        ok = False
    elif spec.layer is not None and spec.layer not in layers:
        out.add(doc, loc + ("layer",), msg("rules.unknown_layer_declared", layer=spec.layer),
                rule_id=spec.id, value=spec.layer, allowed=layers, suggestion=did_you_mean(spec.layer, layers))
        ok = False
    if spec.finding not in context.findings:
        out.add(doc, loc + ("finding",), msg("rules.unknown_finding", finding=spec.finding), rule_id=spec.id,
                value=spec.finding, allowed=context.findings, suggestion=did_you_mean(spec.finding, context.findings))
        ok = False
    if art is not None:
        if spec.paragraph is not None and spec.paragraph not in art.paragraphs:
            out.add(doc, loc + ("paragraph",), msg("rules.no_paragraph", article=article, paragraph=spec.paragraph),
                    rule_id=spec.id, allowed=[str(p) for p in art.paragraphs] or None)
            ok = False
        if spec.item is not None and spec.item not in art.items:
            out.add(doc, loc + ("item",), msg("rules.no_item", article=article, item=spec.item),
                    rule_id=spec.id, allowed=[str(p) for p in art.items] or None)
            ok = False
    return ok


def _fields_and_layers(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], layers: list[str],
                       context: RuleContext) -> bool:
    """Whether the fields of `missing:` and the layers of `explains_unmet:` exist."""
    out, schema, ok = context.out, context.schema, True
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
    return ok


def compile_temporal_rule(spec: TemporalRuleSpec, doc: Document, loc: tuple[Any, ...], article: str,
                          version: str, context: RuleContext) -> TemporalRule | None:
    """A rule of the temporal article, over the comparison facts of `temporal`."""
    try:
        cond = parse_condition(spec.when, temporal_schema(), loc + ("when",)) if spec.when is not None else None
    except ConditionError as exc:
        _condition_problem(context.out, doc, exc, spec.id)
        return None
    context.claim(spec.id, doc, loc, also=False)
    return TemporalRule(spec.id, version, article, spec.choose, cond,
                        spec.interpretation.reason if spec.interpretation else None,
                        spec.interpretation.reason_zh if spec.interpretation else None,
                        spec.explanation, doc.path, doc.position(loc)[0])


def _condition_problem(out: Collector, doc: Document, exc: ConditionError, rule_id: str) -> None:
    out.add(doc, exc.where, exc.message, rule_id=rule_id, value=exc.value, allowed=exc.allowed,
            suggestion=exc.suggestion)
