"""The text report on a terminal: per case a headline, per conduct a panel with its trace table."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..determination.model import ConductDetermination, Determination, TraceEntry
from ..rulebook.model import Rulebook
from .console import safe
from .words import alternatives, entry_text, finding_text, liable_text, outcome_text, value_text, word

__all__ = ["text_report"]


def text_report(rb: Rulebook, results: Iterable[Determination], lang: str, console: Console) -> None:
    for det in results:
        console.print(Text(f"{word('case', lang)} {safe(det.case_id)} · {word('person', lang)} {safe(det.person_id)} · "
                           f"{word('overall', lang)}: {finding_text(rb, det.overall.finding, lang)}, "
                           f"{word('liable', lang)}: {liable_text(rb, det.overall.finding, det.overall.liable, lang)}",
                           style="bold"))
        for c in det.conducts:
            console.print(_conduct_panel(rb, c, lang))


def _conduct_panel(rb: Rulebook, c: ConductDetermination, lang: str) -> Panel:
    lines: list[Any] = []
    head = Text()
    head.append(f"{word('finding', lang)}: ", style="bold")
    head.append(finding_text(rb, c.finding, lang), style="bold yellow" if c.finding == rb.undetermined else "bold")
    head.append(f"   {word('liable', lang)}: ", style="bold")
    head.append(liable_text(rb, c.finding, c.liable, lang), style="bold red" if c.liable else "bold green")
    lines.append(head)
    lines.append(Text(f"{word('act', lang)}: {value_text(rb, 'act', c.act, lang)}   "
                      f"{word('fault', lang)}: {value_text(rb, 'fault', c.fault, lang)}   {word('date', lang)}: {c.date}"))
    if c.citation:
        lines.append(Text(f"{word('basis', lang)}: {c.citation.label_text.get(lang)} ({c.citation.version})", style="bold"))
        lines.append(Text("  " + c.citation.quote.get(lang), style="italic"))
    lines.append(Text(f"{word('version', lang)}: {c.version_applied or '—'}"))
    lines.append(Text(f"{word('reasoning', lang)}: {c.explanation_text.get(lang)}"))
    if c.temporal.compares_versions:
        lines.append(Text(f"{word('temporal', lang)}: " + "; ".join(
            f"{e.version}: {rb.finding_label(e.finding, lang)}" + (f" [{e.citation.label_text.get(lang)}]" if e.citation else "")
            for e in c.temporal.evaluations)))
    for m in c.missing:
        alts = "; ".join(alternatives(rb, m, lang, ids=False))
        lines.append(Text(f"{word('missing', lang)}: {m.question_text.get(lang) or m.field} {alts}", style="yellow"))
    for warning in (c.warnings_zh if lang == "zh" else c.warnings):
        lines.append(Text(f"⚠ {warning}", style="yellow"))
    lines.append(_trace_table(rb, c.trace, lang))
    return Panel(Group(*lines), title=Text(f"{word('conduct', lang)} {safe(c.conduct_id)}"), title_align="left")


def _trace_table(rb: Rulebook, trace: Sequence[TraceEntry], lang: str) -> Table:
    table = Table(title=word("trace", lang), show_lines=False, expand=False, title_justify="left")
    table.add_column(word("rule", lang))
    table.add_column(word("outcome", lang))
    table.add_column(word("conditions", lang))
    for entry in trace:
        table.add_row(Text(entry.rule), Text(outcome_text(entry, lang)), Text(entry_text(rb, entry, lang)))
    return table
