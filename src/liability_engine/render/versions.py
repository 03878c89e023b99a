"""Rendering the version list and version differences."""

from __future__ import annotations

from typing import Any, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..rulebook.model import Rulebook

__all__ = ["versions_table", "diff_table", "engine_line"]


def versions_table(rows: Sequence[dict[str, Any]], console: Console) -> None:
    table = Table(title="Encoded versions", title_justify="left")
    for head in ("version", "title", "in force", "source", "confidence", "rules (confirmed/moderate/low)", "Art. 28"):
        table.add_column(head)
    for r in rows:
        c = r["rules_by_confidence"]
        table.add_row(r["version"], Text(r["title"]), f"{r['in_force_from']} – {r['in_force_until'] or 'now'}",
                      Text(r["source"]), r["source_confidence"],
                      f"{r['rules']} ({c['confirmed']}/{c['moderate']}/{c['low']})",
                      "yes" if r["temporal_article"] else "—")
    console.print(table)


def engine_line(info: dict[str, Any], lang: str, console: Console) -> None:
    """One line under the version list: which evaluator runs these rules here (and why, when not durable-rules)."""
    from ..runtime import version_lines

    console.print(Text(" · ".join(version_lines(lang))), soft_wrap=True)


def diff_table(rb: Rulebook, rows: Sequence[Any], old: str, new: str, total: int, lang: str,
               console: Console) -> None:
    table = Table(title=f"Where {old} and {new} differ ({len(rows)} of {total} conducts)", title_justify="left",
                  show_lines=True)
    for head in ("case / conduct", "act, fault", "changed", old, new, "why (deciding rules)"):
        table.add_column(head)
    for r in rows:
        def side(e: Any) -> Text:
            label = e.citation.label if e.citation else "—"
            return Text(f"{rb.finding_label(e.finding, lang)}\n{'liable' if e.liable else 'not liable'}\n{label}")
        why = Text(f"{old}: {r.old.decided_by or 'no rule'}\n{new}: {r.new.decided_by or 'no rule'}")
        table.add_row(Text(f"{r.case_id} / {r.conduct_id}\n{r.source}"), Text(f"{r.act}\n{r.fault}"),
                      ", ".join(r.changed), side(r.old), side(r.new), why)
    console.print(table)
