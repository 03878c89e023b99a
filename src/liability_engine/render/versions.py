"""Rendering the version list and version differences."""

from __future__ import annotations

from typing import Any, Sequence

from rich.console import Console
from rich.text import Text

from ..i18n import text, word
from ..rulebook.model import Rulebook
from .layout import show_table

__all__ = ["versions_table", "diff_table", "engine_line", "versions_markdown", "diff_markdown"]


def versions_table(rows: Sequence[dict[str, Any]], console: Console, lang: str) -> None:
    headings = [text(f"versions.{h}", lang) for h in ("version", "title", "in_force", "source", "confidence",
                                                          "rules", "temporal")]
    cells = []
    for r in rows:
        c = r["rules_by_confidence"]
        cells.append([r["version"], r["title"],
                      f"{r['in_force_from']} – {r['in_force_until'] or text('versions.now', lang)}",
                      (r.get("source_zh") or r["source"]) if lang == "zh" else r["source"], text(f"versions.confidence_{r['source_confidence']}", lang),
                      f"{r['rules']} ({c['confirmed']}/{c['moderate']}/{c['low']})",
                      text("versions.yes", lang) if r["temporal_article"] else "—"])
    show_table(console, text("versions.title_list", lang), headings, cells)


def engine_line(lang: str, console: Console) -> None:
    """One line under the version list: which evaluator runs these rules here (and why, when not durable-rules)."""
    from ..runtime import version_lines

    console.print(Text(" · ".join(version_lines(lang))), soft_wrap=True)


def _diff_cells(rb: Rulebook, comparison: Any, lang: str) -> tuple[str, list[str], list[list[str]]]:
    """The conducts whose finding, liability or item differ: title, headings, one row each (text and markdown)."""
    from ..determination.explain import Words

    words = Words(rb)
    old, new, rows = comparison.old, comparison.new, comparison.differences
    headings = [text("versions.conduct", lang), text("versions.act_fault", lang), text("versions.changed", lang),
                old, new, text("versions.why", lang)]

    def side(e: Any) -> str:
        label = (e.citation.label_zh if lang == "zh" else e.citation.label) if e.citation else "—"
        return "\n".join([rb.finding_label(e.finding, lang),
                          text("versions.liable" if e.liable else "versions.not_liable", lang), label])

    cells = []
    for r in rows:
        none = text("versions.no_rule", lang)
        cells.append([f"{r.case_id} / {r.conduct_id}\n{r.source}",
                      f"{words.value('act', r.act, lang)}\n{words.value('fault', r.fault, lang)}",
                      text("versions.list_sep", lang).join(text(f"versions.changed_{c}", lang) for c in r.changed),
                      side(r.old), side(r.new),
                      f"{old}: {r.old.decided_by or none}\n{new}: {r.new.decided_by or none}"])
    title = text("versions.title_diff", lang, old=old, new=new, count=len(rows), total=comparison.conducts_compared)
    return title, headings, cells


def _allocation_cells(comparison: Any, lang: str) -> tuple[str, list[str], list[list[str]]]:
    """Where the allocation rules differ for the persons of case files: title, headings, one row each."""
    old, new = comparison.old, comparison.new
    headings = [text(f"versions.alloc_{h}", lang) for h in ("source", "decision", "person", "part", "answers_for")]

    def results(standing: Sequence[str]) -> str:
        out = []
        for entry in standing:
            rule, _, result = entry.partition(": ")
            out.append(text("versions.alloc_result", lang, rule=rule,
                            result=word(f"allocation.result.{result}", lang, result)))
        return "\n".join(out) or "—"

    cells = [[r.source, r.decision_id, r.person_id, word(f"allocation.part.{r.part}", lang, r.part),
              word(f"allocation.head.{r.answers_for}", lang, r.answers_for), results(r.old), results(r.new)]
             for r in comparison.allocation_differences]
    return text("versions.alloc_title", lang, old=old, new=new), [*headings, old, new], cells


def diff_table(rb: Rulebook, comparison: Any, lang: str, console: Console) -> None:
    title, headings, cells = _diff_cells(rb, comparison, lang)
    show_table(console, title, headings, cells, show_lines=True)
    if comparison.allocation_differences:
        # a table where it fits, else one block per row: rule ids are never folded (render/layout.py)
        show_table(console, *_allocation_cells(comparison, lang))


# Markdown, for a report or an investigation file, in the catalogue's words (versions.*).
def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", "<br>")


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def versions_markdown(rows: Sequence[dict[str, Any]], lang: str) -> str:
    from ..runtime import version_lines

    head = [text(f"versions.{h}", lang) for h in ("version", "title", "in_force", "source", "confidence", "rules",
                                                   "temporal")]
    body = []
    for r in rows:
        c = r["rules_by_confidence"]
        body.append([r["version"], r["title"], f"{r['in_force_from']} – {r['in_force_until'] or text('versions.now', lang)}",
                     (r.get("source_zh") or r["source"]) if lang == "zh" else r["source"],
                     text(f"versions.confidence_{r['source_confidence']}", lang),
                     f"{r['rules']} ({c['confirmed']}/{c['moderate']}/{c['low']})",
                     text("versions.yes", lang) if r["temporal_article"] else "—"])
    return (f"## {text('versions.title_list', lang)}\n\n" + _table(head, body) + "\n"
            + " · ".join(version_lines(lang)) + "\n")


def diff_markdown(rb: Rulebook, comparison: Any, lang: str) -> str:
    title, head, body = _diff_cells(rb, comparison, lang)
    out = f"## {title}\n\n" + (_table(head, body) if body else text("versions.agree", lang) + "\n")
    if comparison.allocation_differences:
        title, head, body = _allocation_cells(comparison, lang)
        out += f"\n## {title}\n\n" + _table(head, body)
    return out
