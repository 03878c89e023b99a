"""The text report on a terminal: per case a headline, per conduct a panel with its trace table."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from ..determination.model import ConductDetermination, Determination, TraceEntry
from ..i18n import text
from ..rulebook.model import Rulebook
from .console import safe
from .layout import renderable_table
from .words import alternatives, colon, entry_text, finding_text, liable_text, outcome_text, value_text, word

__all__ = ["text_report"]


def text_report(rb: Rulebook, results: Iterable[Determination], lang: str, console: Console) -> None:
    for det in results:
        console.print(Text(f"{word('case', lang)} {safe(det.case_id)} · {word('person', lang)} {safe(det.person_id)} · "
                           f"{word('overall', lang)}{colon(lang)}{finding_text(rb, det.overall.finding, lang)}, "
                           f"{word('liable', lang)}{colon(lang)}{liable_text(rb, det.overall.finding, det.overall.liable, lang)}",
                           style="bold"))
        for c in det.conducts:
            console.print(_conduct_panel(rb, c, lang, console.width))


def _conduct_panel(rb: Rulebook, c: ConductDetermination, lang: str, width: int) -> Panel:
    lines: list[Any] = []
    head = Text()
    head.append(f"{word('finding', lang)}{colon(lang)}", style="bold")
    head.append(finding_text(rb, c.finding, lang), style="bold yellow" if c.finding == rb.undetermined else "bold")
    head.append(f"   {word('liable', lang)}{colon(lang)}", style="bold")
    head.append(liable_text(rb, c.finding, c.liable, lang), style="bold red" if c.liable else "bold green")
    lines.append(head)
    lines.append(Text(f"{word('act', lang)}{colon(lang)}{value_text(rb, 'act', c.act, lang)}   "
                      f"{word('fault', lang)}{colon(lang)}{value_text(rb, 'fault', c.fault, lang)}   {word('date', lang)}{colon(lang)}{c.date}"))
    if c.citation:
        lines.append(Text(f"{word('basis', lang)}{colon(lang)}{c.citation.label_text.get(lang)} ({c.citation.version})",
                          style="bold"))
        lines.append(Text("  " + c.citation.quote.get(lang), style="italic"))
    lines.append(Text(f"{word('version', lang)}{colon(lang)}{c.version_applied or '—'}"))
    lines.append(Text(f"{word('reasoning', lang)}{colon(lang)}{c.explanation_text.get(lang)}"))
    if c.temporal.compares_versions:
        lines.append(Text(f"{word('temporal', lang)}{colon(lang)}" + "; ".join(
            f"{e.version}: {rb.finding_label(e.finding, lang)}" + (f" [{e.citation.label_text.get(lang)}]" if e.citation else "")
            for e in c.temporal.evaluations)))
    for m in c.missing:
        alts = text("report.sep", lang).join(alternatives(rb, m, lang, ids=False))
        lines.append(Text(f"{word('missing', lang)}{colon(lang)}{m.question_text.get(lang) or m.field} {alts}",
                          style="yellow"))
    for warning in (c.warnings_zh if lang == "zh" else c.warnings):
        lines.append(Text(f"⚠ {warning}", style="yellow"))
    lines.append(_trace_table(rb, c.trace, lang, width - 4))  # inside the panel's borders and padding
    return Panel(Group(*lines), title=Text(f"{word('conduct', lang)} {safe(c.conduct_id)}"), title_align="left")


def _trace_table(rb: Rulebook, trace: Sequence[TraceEntry], lang: str, width: int) -> Any:
    """The rules considered: a table where it fits in `width`, else one block per rule (never cut off)."""
    rows = [[Text(entry.rule), Text(outcome_text(entry, lang)), Text(entry_text(rb, entry, lang))] for entry in trace]
    return renderable_table(word("trace", lang), [word("rule", lang), word("outcome", lang), word("conditions", lang)],
                            rows, width)
