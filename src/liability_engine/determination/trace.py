"""The trace of a determination: one entry per rule that fired (and per unmet rule a decisive rule
asks to show), each with its conditions checked against the facts, and the Art. 28 choice."""

from __future__ import annotations

from typing import Any

from ..evaluate.memo import Memo
from ..evaluate.resolution import Resolution
from ..facts.fields import NULL, field_key, show_value
from ..rulebook.conditions import All, Any_, Condition, describe, evaluate, tests_of, values_read
from ..rulebook.model import Rule, Rulebook, TemporalRule, Version
from .citations import article_citation, citation_for
from .explain import field_tests
from .model import Citation, ConditionCheck, Temporal, TraceEntry

__all__ = ["TraceBuilder"]


class TraceBuilder:
    """Builds trace entries. An entry reads its rule and the values of the fields the rule tests:
    remembered on those (a pure function of them)."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook
        self._entries: Memo[TraceEntry] = Memo(2_048)
        self._article_citations: dict[tuple[str, str], Citation | None] = {}

    def trace(self, resolution: Resolution, version: Version, fact: dict[str, Any]) -> list[TraceEntry]:
        """The entries of one version's answer: what fired (and how it fared), then the unmet rules of
        the layers the decisive rule explains."""
        entries = []
        for rule in resolution.fired:
            if rule.warns_only:
                state = "advisory"
            elif resolution.decisive is rule:
                state = "fired"
            elif rule.id in resolution.concurring:
                state = "concurring"
            else:
                state = "defeated"
            entries.append(self._entry(rule, version, state, fact, defeated_by=resolution.defeated.get(rule.id)
                                       or resolution.concurring.get(rule.id)))
        decisive = resolution.decisive
        if decisive is not None and decisive.explains_unmet:
            act = fact.get("act")
            for rule in version.rules:
                if rule.layer in decisive.explains_unmet and rule.acts is not None and act in rule.acts \
                        and rule not in resolution.fired:
                    entries.append(self._entry(rule, version, "unmet", fact))
        return entries

    def chosen(self, rule: TemporalRule, temporal: Temporal) -> TraceEntry:
        """The entry of the temporal rule that chose the version applied."""
        return self._entries.get(("chosen", rule.version, rule.id), lambda: TraceEntry(
            rule=rule.id, version=rule.version, outcome="chosen",
            explanation=temporal.reason, explanation_zh=temporal.reason_zh,
            interpretation=rule.interpretation is not None, interpretation_reason=rule.interpretation,
            interpretation_reason_zh=rule.interpretation_zh,
            citation=self.article_citation(rule.version, rule.article_key)))

    def article_citation(self, version_id: str, key: str) -> Citation | None:
        if (version_id, key) not in self._article_citations:
            self._article_citations[(version_id, key)] = article_citation(self.rulebook.version(version_id), key)
        return self._article_citations[(version_id, key)]

    def _entry(self, rule: Rule, version: Version, outcome: str, fact: dict[str, Any],
               defeated_by: str | None = None) -> TraceEntry:
        key = (rule.id, outcome, defeated_by, values_read(rule.condition, fact))
        return self._entries.get(key, lambda: self._new_entry(rule, version, outcome, fact, defeated_by))

    def _new_entry(self, rule: Rule, version: Version, outcome: str, fact: dict[str, Any],
                   defeated_by: str | None) -> TraceEntry:
        cond = rule.condition
        checks = []
        if cond is not None:
            for part in (cond.items if isinstance(cond, All) else (cond,)):
                tests = field_tests(part, fact)
                checks.append(ConditionCheck(text=_describe(part, fact), holds=evaluate(part, fact), tests=tests,
                                             alternative=isinstance(part, Any_) and len(tests) > 1))
        article = version.articles[rule.article_key]
        return TraceEntry(
            rule=rule.id, version=version.id, outcome=outcome, layer=rule.layer, finding=rule.finding,  # type: ignore[arg-type]
            liable=rule.liable,
            citation=citation_for(rule, version) or self.article_citation(version.id, rule.article_key),
            conditions=checks, defeated_by=defeated_by,
            interpretation=rule.interpretation is not None, interpretation_reason=rule.interpretation,
            interpretation_reason_zh=rule.interpretation_zh,
            explanation=rule.explanation.en if rule.explanation else None,
            explanation_zh=rule.explanation.zh if rule.explanation else None,
            source_confidence=rule.source_confidence, errata=article.errata_for(rule.item, rule.paragraph))  # type: ignore[arg-type]


def _describe(cond: Condition, fact: dict[str, Any]) -> str:
    """The condition in the rule language; a long list of acts shows only the act that matched."""
    tests = tests_of(cond)
    fields = {t.field for t in tests}
    if len(fields) == 1 and len(tests) > 3 and evaluate(cond, fact) and isinstance(cond, Any_):
        (name,) = fields
        return f"{name} = {show_value(fact.get(field_key(name), NULL))}"
    return describe(cond)
