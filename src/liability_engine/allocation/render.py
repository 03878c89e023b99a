"""Reports of a case determination: markdown (a section per person) and text, in zh and en."""

from __future__ import annotations

import io
from typing import Any

from ..determination.explain import Words, condition_words
from ..i18n import text, word
from .determination import Allocation, AllocationTrace, CaseDetermination, Check, PersonDetermination

__all__ = ["case_markdown", "case_text"]


class CaseWords(Words):
    """How the fields and values of a case file's allocation facts read (rules/vocabulary.yaml
    `case_fields`, `case_values`), falling back to the conduct's words."""

    # an allocation field that holds a value of another field of the contracts reads with that field's words
    SAME = {"conduct.act": "act", "outcome.cause": "outcome_change.cause", "person.role": "role",
            "decider.role": "role"}

    def field(self, name: str, lang: str) -> str:
        label = self.rb.vocabulary.case_fields.get(name)
        return label.get(lang) if label else super().field(name, lang)

    def value(self, name: str, value: Any, lang: str) -> str:
        voc = self.rb.vocabulary
        key = self.SAME.get(name, name)
        table = voc.case_values.get(key) or voc.values.get(key)
        if table is None and name == "part":
            return _part(str(value), lang)
        if table is None and str(value) in voc.case_values.get("yes_no", {}):
            table = voc.case_values["yes_no"]
        label = table.get(str(value)) if table else None
        return label.get(lang) if label else super().value(name, value, lang)


def _check(rb: Any, c: Check, lang: str) -> str:
    """A checked condition in words (in the rule language for a determination written before its tests were)."""
    said = condition_words(c.tests, c.holds, c.alternative, CaseWords(rb), lang) if c.tests else c.text
    return ("✓ " if c.holds else "✗ ") + said


def _confidence(level: str, lang: str) -> str:
    return text(f"versions.confidence_{level}", lang)


def _outcome(e: AllocationTrace, lang: str) -> str:
    said = word(f"allocation.outcome.{e.outcome}", lang, e.outcome)
    return said + (f" ← {e.defeated_by}" if e.defeated_by else "")


def _part(part: str, lang: str) -> str:
    return word(f"allocation.part.{part}", lang, part)


def _head(head: str, lang: str) -> str:
    return word(f"allocation.head.{head}", lang, head)


def _result(result: str, lang: str) -> str:
    return word(f"allocation.result.{result}", lang, result)


def _safe(text: Any) -> str:
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def _role(rb: Any, role: str, lang: str) -> str:
    return CaseWords(rb).value("role", role, lang)


def _alloc_line(rb: Any, a: Allocation, lang: str) -> str:
    zh = lang == "zh"
    where = text("allocation.decision_ref", lang, id=a.decision_id) if a.decision_id else \
        text("allocation.conduct_ref", lang, id=a.conduct_id)
    head = f"{where} · {_part(a.part, lang)} · {_head(a.answers_for, lang)}"
    line = f"- **{head}: {_result(a.result, lang)}** — {a.explanation.zh if zh else a.explanation.en}\n"
    line += (f"  - {text('allocation.words.source', lang)}: {a.source.zh if zh else a.source.en} "
             f"(`{a.rule}`, {a.point}, {_confidence(a.source_confidence, lang)})\n")
    line += f"  - > {_safe(a.note)}\n"
    if a.interpretation:
        line += (f"  - {text('allocation.words.interpretation', lang)}: "
                 f"{a.interpretation.zh if zh else a.interpretation.en}\n")
    if a.assumption:
        line += f"  - ⚠ {text('allocation.words.assumption', lang)}: {a.assumption.zh if zh else a.assumption.en}\n"
    if a.missing_provision:
        line += (f"  - {text('allocation.words.missing_provision', lang)}: "
                 f"{a.missing_provision.zh if zh else a.missing_provision.en}\n")
    if a.missing:
        missing = ", ".join(CaseWords(rb).field(m, lang) for m in a.missing)
        line += f"  - {text('allocation.words.missing', lang)}: {missing}\n"
    if a.conditional:
        line += f"  - ⚠ {text('allocation.words.conditional', lang)}\n"
    return line


def _person_md(rb: Any, p: PersonDetermination, lang: str, w: Any) -> None:
    zh = lang == "zh"
    name = text("allocation.person_name", lang, name=_safe(p.name), id=p.person_id) if p.name else p.person_id
    w(f"## {text('allocation.words.person', lang)} {name} · {_role(rb, p.role, lang)}\n\n")
    w(f"{p.summary.zh if zh else p.summary.en}\n\n")
    liable = {True: text("allocation.words.yes", lang), False: text("allocation.words.no", lang),
              None: text("allocation.words.unknown", lang)}
    if p.own is not None:
        w(f"- **{text('allocation.words.liable_own', lang)}:** {liable[p.overall.liable]}\n")
    if p.overall.allocation:
        w(f"- **{text('allocation.words.answers', lang)}:** {_result(p.overall.allocation, lang)}\n")
    if p.overall.provisional:
        w(f"- ⚠ {text('allocation.words.provisional', lang)}\n")
    w("\n")
    if p.own is not None:
        w(f"### {text('allocation.words.own', lang)}\n\n")
        for c in p.own.conducts:
            cite = (c.citation.label_zh if zh else c.citation.label) if c.citation else "—"
            liability = "" if rb.says_liability(c.finding) else \
                f" — {text('allocation.words.liable', lang)}: {liable[c.liable]}"
            w(f"- {c.conduct_id} ({c.date}, {c.act}): **{rb.finding_label(c.finding, lang)}**{liability}"
              f"; {cite}; {c.version_applied or '—'} — {c.explanation_zh if zh else c.explanation}\n")
        w("\n")
    if p.allocations:
        w(f"### {text('allocation.words.answers', lang)}\n\n")
        for a in p.allocations:
            w(_alloc_line(rb, a, lang))
        w("\n")
    if p.trace:
        heads = [text(f"allocation.words.trace_{h}", lang) for h in ("rule", "part", "outcome", "conditions")]
        w(f"### {text('allocation.words.trace', lang)}\n\n| " + " | ".join(heads) + " |\n|---|---|---|---|\n")
        for e in p.trace:
            where = e.decision_id or e.conduct_id or ""
            checks = "; ".join(_check(rb, c, lang) for c in e.checks) or "—"
            outcome = _outcome(e, lang)
            w(f"| {e.rule} | {where} {_part(e.part, lang)} | {outcome} → {_result(e.result, lang)} "
              f"| {checks.replace('|', '/')} |\n")
        w("\n")
    warnings = p.warnings_zh if zh else p.warnings
    if warnings:
        w(f"### {text('allocation.words.warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")


def case_markdown(rb: Any, det: CaseDetermination, lang: str, case: Any = None) -> str:
    out = io.StringIO()
    w = out.write
    zh = lang == "zh"
    w(f"# {text('allocation.words.title', lang)}: {text('allocation.words.case', lang)} {_safe(det.case_id)}\n\n")
    if case is not None and case.case.summary:
        w(f"> {_safe(case.case.summary)}\n\n")
    w(f"{text('allocation.words.evaluated_on', lang)}: {det.evaluated_on}\n\n"
      f"## {text('allocation.words.overall', lang)}\n\n")
    o = det.overall
    none = text("allocation.words.none", lang)
    w(f"- {text('allocation.words.most_severe', lang)}: **{rb.finding_label(o.finding, lang)}**\n")
    w(f"- {text('allocation.words.bearing', lang)}: {', '.join(o.bearing) or none}\n")
    w(f"- {text('allocation.words.not_determined', lang)}: {', '.join(o.not_determined) or none}\n")
    w(f"- {text('allocation.words.separate_track', lang)}: {', '.join(o.separate_track) or none}\n")
    if o.provisional:
        w(f"- ⚠ {text('allocation.words.provisional', lang)}\n")
    w("\n")
    if det.decisions:
        w(f"## {text('allocation.words.decisions', lang)}\n\n")
        for d in det.decisions:
            deciders = rb.vocabulary.case_values.get("decided_by", {})
            decider = deciders[d.decided_by].get(lang) if d.decided_by in deciders else d.decided_by
            wrong = word(f"allocation.words.{d.wrong}", lang, d.wrong)
            w(f"- **{d.decision_id}** {_safe(d.matter or '')} ({d.date or '—'}): "
              f"{text('allocation.words.decided_by', lang)} {decider}; {text('allocation.words.wrong', lang)}: {wrong}; "
              f"{text('allocation.words.version', lang)}: {d.version_applied or '—'} — "
              f"{d.version_reason.zh if zh else d.version_reason.en}\n")
            for pid, parts in d.parts.items():
                w(f"  - {pid}: {', '.join(_part(x, lang) for x in parts)}\n")
            for a in d.body:
                w(f"  - {decider}: **{_result(a.result, lang)}** — {a.explanation.zh if zh else a.explanation.en} "
                  f"(`{a.rule}`, {a.point}, {_confidence(a.source_confidence, lang)})\n")
        w("\n")
    for p in det.persons:
        _person_md(rb, p, lang, w)
    warnings = det.warnings_zh if zh else det.warnings
    if warnings:
        w(f"## {text('allocation.words.warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")
    return out.getvalue()


def case_tree(rb: Any, det: CaseDetermination, lang: str) -> Any:
    """`liability explain` on a case file: per person, the own conducts' trees and why each allocation
    rule went to the person or passed them by."""
    from rich.text import Text
    from rich.tree import Tree

    from ..render import explain_tree

    zh = lang == "zh"
    root = Tree(Text(f"{text('allocation.words.case', lang)} {det.case_id} · "
                     f"{text('allocation.words.most_severe', lang)}: {rb.finding_label(det.overall.finding, lang)}",
                     style="bold"))
    for p in det.persons:
        node = root.add(Text(f"{text('allocation.words.person', lang)} {p.person_id} ({_role(rb, p.role, lang)}): "
                             f"{p.summary.zh if zh else p.summary.en}", style="bold"))
        if p.own is not None:
            node.add(explain_tree(rb, p.own, lang))
        groups: dict[tuple[str, str], Any] = {}
        for e in p.trace:
            key = (e.decision_id or e.conduct_id or "", e.part)
            if key not in groups:
                groups[key] = node.add(Text(f"{key[0]} · {_part(e.part, lang)}"))
            mark = {"fired": "✓", "defeated": "✗", "unmet": "·", "conflict": "!"}[e.outcome]
            line = groups[key].add(Text(f"{mark} {e.rule} [{e.point}, {_confidence(e.source_confidence, lang)}] "
                                        f"{_outcome(e, lang)} → "
                                        f"{_head(e.answers_for, lang)}: {_result(e.result, lang)}"))
            for c in e.checks:
                line.add(Text(_check(rb, c, lang)))
        for x in (p.warnings_zh if zh else p.warnings):
            node.add(Text("⚠ " + x, style="yellow"))
    return root


def case_text(rb: Any, det: CaseDetermination, lang: str, console: Any) -> None:
    """The terminal report: the markdown report, its tables never cut (render.layout)."""
    from ..render.layout import markdown_renderable

    console.print(markdown_renderable(case_markdown(rb, det, lang), console.width))
