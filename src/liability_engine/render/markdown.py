"""The markdown report an inspector can attach to an investigation file: the overall finding, the
facts, and per conduct its basis, reasoning, what was rejected and why, the Art. 28 comparison, what
would change it, missing facts, warnings and the trace."""

from __future__ import annotations

import io
from typing import Any, Callable

from ..determination.model import ConductDetermination, Determination
from ..determination.explain import Words
from ..i18n import text
from ..rulebook.model import Rulebook
from .console import safe
from .words import (alternatives, colon, condition_checks, entry_text, finding_text, interpretation, liable_text,
                    outcome_text, paren, value_text, word)

__all__ = ["markdown_report"]

Write = Callable[[str], Any]


def markdown_report(rb: Rulebook, det: Determination, lang: str, facts: Any = None) -> str:
    """A report an inspector can attach to an investigation file."""
    out = io.StringIO()
    w = out.write
    title = word("report_title", lang)
    w(f"# {title}: {word('case', lang)} {safe(det.case_id)}, {word('person', lang)} {safe(det.person_id)}\n\n")
    w(f"**{word('overall', lang)}:** {finding_text(rb, det.overall.finding, lang)}; "
      f"**{word('liable', lang)}:** {liable_text(rb, det.overall.finding, det.overall.liable, lang)}  \n")
    w(f"{word('evaluated_on', lang)}: {det.evaluated_on}\n\n")
    if facts is not None:
        _facts(w, rb, facts, lang)
    conduct_facts = {c.id: c for c in facts.conducts} if facts is not None else {}
    for c in det.conducts:
        _conduct(w, rb, c, conduct_facts.get(c.conduct_id), lang)
    return out.getvalue()


def _facts(w: Write, rb: Rulebook, facts: Any, lang: str) -> None:
    w(f"## {word('facts', lang)}\n\n")
    if facts.case.summary:
        w(f"- **{word('summary', lang)}:** {safe(facts.case.summary)}\n")
    if facts.person.role:
        w(f"- **{word('role', lang)}:** {value_text(rb, 'person.role', facts.person.role.value, lang)}\n")
    w("\n")


def _conduct(w: Write, rb: Rulebook, c: ConductDetermination, source: Any, lang: str) -> None:
    w(f"## {word('conduct', lang)} {safe(c.conduct_id)} ({c.date})\n\n")
    if source is not None and source.summary:
        w(f"> {safe(source.summary)}\n\n")
    w(f"- **{word('act', lang)}:** {value_text(rb, 'act', c.act, lang)}\n")
    w(f"- **{word('fault', lang)}:** {value_text(rb, 'fault', c.fault, lang)}\n")
    w(f"- **{word('finding', lang)}:** {finding_text(rb, c.finding, lang)}\n")
    w(f"- **{word('liable', lang)}:** {liable_text(rb, c.finding, c.liable, lang)}\n")
    w(f"- **{word('version', lang)}:** {c.version_applied or '—'}\n")
    if c.provisional:
        w(f"- **{word('provisional', lang)}**\n")
    w("\n")
    if c.facts_considered:
        words = Words(rb)
        w(f"### {word('facts_considered', lang)}\n\n")
        for field, value in c.facts_considered.items():
            w(f"- {words.field(field, lang)}: {words.value(field, value, lang)}\n")
        w("\n")
    _basis(w, rb, c, lang)
    _why_not(w, c, lang)
    _temporal(w, rb, c, lang)
    _changes_and_missing(w, rb, c, lang)
    warnings = c.warnings_zh if lang == "zh" else c.warnings
    if warnings:
        w(f"### {word('warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")
    w(f"### {word('trace', lang)}\n\n| {word('rule', lang)} | {word('outcome', lang)} | {word('conditions', lang)} |\n"
      "|---|---|---|\n")
    for e in c.trace:
        cell = entry_text(rb, e, lang).replace("|", "\\|")
        w(f"| {e.rule} | {outcome_text(e, lang)} | {cell} |\n")
    w("\n")


def _basis(w: Write, rb: Rulebook, c: ConductDetermination, lang: str) -> None:
    """The provision applied, quoted; the reasoning; the conditions of the rule that decided."""
    if c.citation:
        w(f"### {word('basis', lang)}{colon(lang)}{c.citation.label_text.get(lang)}{paren(c.citation.version, lang)}\n\n")
        w(f"> {c.citation.quote.get(lang)}\n\n")
    w(f"### {word('reasoning', lang)}\n\n{c.explanation_text.get(lang)}\n\n")
    explanation = c.explanation_text.get(lang)
    for e in c.trace:  # how unknown facts were decided (or why they leave it undetermined)
        if e.outcome == "completed" and e.explanation_text.get(lang) not in explanation:
            w(f"- {e.explanation_text.get(lang)}\n\n")
    if c.contradictions:
        w(f"### {word('contradictions', lang)}\n\n")
        for x in c.contradictions:
            w(f"- {x.id} ({', '.join(x.fields)}): {x.reason_zh if lang == 'zh' else x.reason}\n")
        w("\n")
    decisive = [e for e in c.trace if e.outcome == "fired" and e.version == c.version_applied]
    for e in decisive:
        for ok, text in condition_checks(rb, e, lang):
            w(f"- {'✓' if ok else '✗'} {text}\n")
        if e.interpretation and e.interpretation_reason:
            w(f"- {word('interpretation', lang)}{colon(lang)}{interpretation(e, lang)}\n")
    if decisive:
        w("\n")


def _why_not(w: Write, c: ConductDetermination, lang: str) -> None:
    if not (c.why_not or any(e.outcome == "defeated" for e in c.trace)):
        return
    w(f"### {word('why_not', lang)}\n\n")
    for e in c.trace:
        if e.outcome == "defeated" and e.citation:
            w("- " + text("report.defeated_line", lang, version=e.version, label=e.citation.label_text.get(lang),
                          rule=e.rule, outcome=outcome_text(e, lang)) + "\n")
    for why in c.why_not:
        w(f"- {why.reason_text.get(lang)}\n")
    w("\n")


def _temporal(w: Write, rb: Rulebook, c: ConductDetermination, lang: str) -> None:
    if not c.temporal.compares_versions:
        return
    w(f"### {word('temporal', lang)}\n\n")
    for e in c.temporal.evaluations:
        cite = e.citation.label_text.get(lang) if e.citation else "—"
        w(f"- {e.version}: {finding_text(rb, e.finding, lang)} ({cite})\n")
    w(f"\n{c.temporal.reason_text.get(lang)}\n\n")


def _changes_and_missing(w: Write, rb: Rulebook, c: ConductDetermination, lang: str) -> None:
    if c.what_would_change is not None:
        w(f"### {word('changes', lang)}\n\n")
        for change in c.what_would_change:
            w(f"- {change.summary_text.get(lang)}\n")
        if not c.what_would_change:
            w(f"- {word('no_changes', lang)}\n")
        w("\n")
    if c.missing:
        w(f"### {word('missing', lang)}\n\n")
        for m in c.missing:
            w(f"- {m.question_text.get(lang) or m.field}\n")
            for alternative in alternatives(rb, m, lang):
                w(f"  - {alternative}\n")
        w("\n")
