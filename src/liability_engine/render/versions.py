"""Rendering the version list and version differences."""

from __future__ import annotations

from typing import Any, Sequence

from rich.console import Console
from rich.text import Text

from ..i18n import text
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


def diff_table(rb: Rulebook, rows: Sequence[Any], old: str, new: str, total: int, lang: str,
               console: Console) -> None:
    from ..determination.explain import Words

    words = Words(rb)
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
    show_table(console, text("versions.title_diff", lang, old=old, new=new, count=len(rows), total=total),
               headings, cells, show_lines=True)


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
                     r["source"], text(f"versions.confidence_{r['source_confidence']}", lang),
                     f"{r['rules']} ({c['confirmed']}/{c['moderate']}/{c['low']})",
                     text("versions.yes", lang) if r["temporal_article"] else "—"])
    return (f"## {text('versions.title_list', lang)}\n\n" + _table(head, body) + "\n"
            + " · ".join(version_lines(lang)) + "\n")


def diff_markdown(rb: Rulebook, rows: Sequence[Any], old: str, new: str, total: int, lang: str) -> str:
    def side(e: Any) -> str:
        label = (e.citation.label_zh if lang == "zh" else e.citation.label) if e.citation else "—"
        liable = text("versions.liable" if e.liable else "versions.not_liable", lang)
        return f"{rb.finding_label(e.finding, lang)}\n{liable}\n{label}"

    title = text("versions.title_diff", lang, old=old, new=new, count=len(rows), total=total)
    head = [text("versions.conduct", lang), text("versions.act_fault", lang), text("versions.changed", lang), old, new,
            text("versions.why", lang)]
    no_rule = text("versions.no_rule", lang)
    body = [[f"{r.case_id} / {r.conduct_id}\n{r.source}", f"{r.act}\n{r.fault}", ", ".join(r.changed), side(r.old),
             side(r.new), f"{old}: {r.old.decided_by or no_rule}\n{new}: {r.new.decided_by or no_rule}"]
            for r in rows]
    return f"## {title}\n\n" + (_table(head, body) if body else text("versions.agree", lang) + "\n")
