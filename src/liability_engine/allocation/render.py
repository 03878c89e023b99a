"""Reports of a case determination: markdown (a section per person) and text, in zh and en."""

from __future__ import annotations

import io
from typing import Any

from ..determination.explain import Words, condition_words
from ..i18n import catalogue, text
from .determination import Allocation, AllocationTrace, CaseDetermination, Check, PersonDetermination

__all__ = ["case_markdown", "case_text", "WORDS"]

def _table(name: str) -> dict[str, tuple[str, str]]:
    """The catalogue's words `allocation.<name>.*` as {key: (zh, en)}, in the catalogue's order."""
    prefix = f"allocation.{name}."
    return {key[len(prefix):]: (entry["zh"], entry["en"]) for key, entry in catalogue().items() if key.startswith(prefix)}


# The words of a case report (rules/messages.yaml, `allocation:`), as (zh, en) by key.
WORDS = _table("words")
RESULT_WORDS = _table("result")
PART_WORDS = _table("part")
HEAD_WORDS = _table("head")
OUTCOME_WORDS = _table("outcome")


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
            return _w(PART_WORDS, str(value), lang)
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
    return _w(OUTCOME_WORDS, e.outcome, lang) + (f" ← {e.defeated_by}" if e.defeated_by else "")


def _w(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    return key if pair is None else pair[0 if lang == "zh" else 1]


def _safe(text: Any) -> str:
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def _role(rb: Any, role: str, lang: str) -> str:
    return CaseWords(rb).value("role", role, lang)


def _alloc_line(rb: Any, a: Allocation, lang: str) -> str:
    zh = lang == "zh"
    where = text("allocation.decision_ref", lang, id=a.decision_id) if a.decision_id else \
        text("allocation.conduct_ref", lang, id=a.conduct_id)
    head = f"{where} · {_w(PART_WORDS, a.part, lang)} · {_w(HEAD_WORDS, a.answers_for, lang)}"
    line = f"- **{head}: {_w(RESULT_WORDS, a.result, lang)}** — {a.explanation.zh if zh else a.explanation.en}\n"
    line += (f"  - {_w(WORDS, 'source', lang)}: {a.source.zh if zh else a.source.en} "
             f"(`{a.rule}`, {a.point}, {_confidence(a.source_confidence, lang)})\n")
    line += f"  - > {_safe(a.note)}\n"
    if a.interpretation:
        line += f"  - {_w(WORDS, 'interpretation', lang)}: {a.interpretation.zh if zh else a.interpretation.en}\n"
    if a.assumption:
        line += f"  - ⚠ {_w(WORDS, 'assumption', lang)}: {a.assumption.zh if zh else a.assumption.en}\n"
    if a.missing_provision:
        line += (f"  - {_w(WORDS, 'missing_provision', lang)}: "
                 f"{a.missing_provision.zh if zh else a.missing_provision.en}\n")
    if a.missing:
        line += f"  - {_w(WORDS, 'missing', lang)}: {', '.join(CaseWords(rb).field(m, lang) for m in a.missing)}\n"
    if a.conditional:
        line += f"  - ⚠ {_w(WORDS, 'conditional', lang)}\n"
    return line


def _person_md(rb: Any, p: PersonDetermination, lang: str, w: Any) -> None:
    zh = lang == "zh"
    name = text("allocation.person_name", lang, name=_safe(p.name), id=p.person_id) if p.name else p.person_id
    w(f"## {_w(WORDS, 'person', lang)} {name} · {_role(rb, p.role, lang)}\n\n")
    w(f"{p.summary.zh if zh else p.summary.en}\n\n")
    liable = {True: _w(WORDS, 'yes', lang), False: _w(WORDS, 'no', lang), None: _w(WORDS, 'unknown', lang)}
    if p.own is not None:
        w(f"- **{_w(WORDS, 'liable_own', lang)}:** {liable[p.overall.liable]}\n")
    if p.overall.allocation:
        w(f"- **{_w(WORDS, 'answers', lang)}:** {_w(RESULT_WORDS, p.overall.allocation, lang)}\n")
    if p.overall.provisional:
        w(f"- ⚠ {_w(WORDS, 'provisional', lang)}\n")
    w("\n")
    if p.own is not None:
        w(f"### {_w(WORDS, 'own', lang)}\n\n")
        for c in p.own.conducts:
            cite = (c.citation.label_zh if zh else c.citation.label) if c.citation else "—"
            w(f"- {c.conduct_id} ({c.date}, {c.act}): **{rb.finding_label(c.finding, lang)}**"
              f"{'' if rb.says_liability(c.finding) else ' — ' + _w(WORDS, 'liable', lang) + ': ' + liable[c.liable]}"
              f"; {cite}; {c.version_applied or '—'} — {c.explanation_zh if zh else c.explanation}\n")
        w("\n")
    if p.allocations:
        w(f"### {_w(WORDS, 'answers', lang)}\n\n")
        for a in p.allocations:
            w(_alloc_line(rb, a, lang))
        w("\n")
    if p.trace:
        w(f"### {_w(WORDS, 'trace', lang)}\n\n| {_w(WORDS, 'trace_rule', lang)} | {_w(WORDS, 'trace_part', lang)}"
          f" | {_w(WORDS, 'trace_outcome', lang)} | {_w(WORDS, 'trace_conditions', lang)} |\n|---|---|---|---|\n")
        for e in p.trace:
            where = e.decision_id or e.conduct_id or ""
            checks = "; ".join(_check(rb, c, lang) for c in e.checks) or "—"
            outcome = _outcome(e, lang)
            w(f"| {e.rule} | {where} {_w(PART_WORDS, e.part, lang)} | {outcome} → {_w(RESULT_WORDS, e.result, lang)} "
              f"| {checks.replace('|', '/')} |\n")
        w("\n")
    warnings = p.warnings_zh if zh else p.warnings
    if warnings:
        w(f"### {_w(WORDS, 'warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")


def case_markdown(rb: Any, det: CaseDetermination, lang: str, case: Any = None) -> str:
    out = io.StringIO()
    w = out.write
    zh = lang == "zh"
    w(f"# {_w(WORDS, 'title', lang)}: {_w(WORDS, 'case', lang)} {_safe(det.case_id)}\n\n")
    if case is not None and case.case.summary:
        w(f"> {_safe(case.case.summary)}\n\n")
    w(f"{_w(WORDS, 'evaluated_on', lang)}: {det.evaluated_on}\n\n## {_w(WORDS, 'overall', lang)}\n\n")
    o = det.overall
    none = _w(WORDS, "none", lang)
    w(f"- {_w(WORDS, 'most_severe', lang)}: **{rb.finding_label(o.finding, lang)}**\n")
    w(f"- {_w(WORDS, 'bearing', lang)}: {', '.join(o.bearing) or none}\n")
    w(f"- {_w(WORDS, 'not_determined', lang)}: {', '.join(o.not_determined) or none}\n")
    w(f"- {_w(WORDS, 'separate_track', lang)}: {', '.join(o.separate_track) or none}\n")
    if o.provisional:
        w(f"- ⚠ {_w(WORDS, 'provisional', lang)}\n")
    w("\n")
    if det.decisions:
        w(f"## {_w(WORDS, 'decisions', lang)}\n\n")
        for d in det.decisions:
            deciders = rb.vocabulary.case_values.get("decided_by", {})
            decider = deciders[d.decided_by].get(lang) if d.decided_by in deciders else d.decided_by
            w(f"- **{d.decision_id}** {_safe(d.matter or '')} ({d.date or '—'}): {_w(WORDS, 'decided_by', lang)} "
              f"{decider}; {_w(WORDS, 'wrong', lang)}: {_w(WORDS, d.wrong, lang)}; {_w(WORDS, 'version', lang)}: "
              f"{d.version_applied or '—'} — {d.version_reason.zh if zh else d.version_reason.en}\n")
            for pid, parts in d.parts.items():
                w(f"  - {pid}: {', '.join(_w(PART_WORDS, x, lang) for x in parts)}\n")
            for a in d.body:
                w(f"  - {decider}: **{_w(RESULT_WORDS, a.result, lang)}** — {a.explanation.zh if zh else a.explanation.en} "
                  f"(`{a.rule}`, {a.point}, {_confidence(a.source_confidence, lang)})\n")
        w("\n")
    for p in det.persons:
        _person_md(rb, p, lang, w)
    warnings = det.warnings_zh if zh else det.warnings
    if warnings:
        w(f"## {_w(WORDS, 'warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")
    return out.getvalue()


def case_tree(rb: Any, det: CaseDetermination, lang: str) -> Any:
    """`liability explain` on a case file: per person, the own conducts' trees and why each allocation
    rule went to the person or passed them by."""
    from rich.text import Text
    from rich.tree import Tree

    from ..render import explain_tree

    zh = lang == "zh"
    root = Tree(Text(f"{_w(WORDS, 'case', lang)} {det.case_id} · {_w(WORDS, 'most_severe', lang)}: "
                     f"{rb.finding_label(det.overall.finding, lang)}", style="bold"))
    for p in det.persons:
        node = root.add(Text(f"{_w(WORDS, 'person', lang)} {p.person_id} ({_role(rb, p.role, lang)}): "
                             f"{p.summary.zh if zh else p.summary.en}", style="bold"))
        if p.own is not None:
            node.add(explain_tree(rb, p.own, lang))
        groups: dict[tuple[str, str], Any] = {}
        for e in p.trace:
            key = (e.decision_id or e.conduct_id or "", e.part)
            if key not in groups:
                groups[key] = node.add(Text(f"{key[0]} · {_w(PART_WORDS, e.part, lang)}"))
            mark = {"fired": "✓", "defeated": "✗", "unmet": "·", "conflict": "!"}[e.outcome]
            line = groups[key].add(Text(f"{mark} {e.rule} [{e.point}, {_confidence(e.source_confidence, lang)}] "
                                        f"{_outcome(e, lang)} → "
                                        f"{_w(HEAD_WORDS, e.answers_for, lang)}: {_w(RESULT_WORDS, e.result, lang)}"))
            for c in e.checks:
                line.add(Text(_check(rb, c, lang)))
        for x in (p.warnings_zh if zh else p.warnings):
            node.add(Text("⚠ " + x, style="yellow"))
    return root


def case_text(rb: Any, det: CaseDetermination, lang: str, console: Any) -> None:
    """The terminal report: the markdown report, its tables never cut (render.layout)."""
    from ..render.layout import markdown_renderable

    console.print(markdown_renderable(case_markdown(rb, det, lang), console.width))


def allocation_diff_table(rows: list[Any], old: str, new: str, lang: str, console: Any) -> None:
    """Where two versions' allocation rules differ for the persons of case files."""
    from ..render.layout import show_table

    heads = [_w(_table("diff"), key, lang) for key in ("source", "decision", "person", "part", "answers_for")] + [old, new]
    cells = [[r.source, r.decision_id, r.person_id, _w(PART_WORDS, r.part, lang), _w(HEAD_WORDS, r.answers_for, lang),
              "\n".join(r.old) or "—", "\n".join(r.new) or "—"] for r in rows]
    # a table where it fits, else one block per row: rule ids are never folded (render/layout.py)
    show_table(console, text("allocation.diff_title", lang, old=old, new=new), heads, cells)
