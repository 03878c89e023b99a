"""Rendering determinations and errors for people: rich text, markdown. The only module importing rich."""

from __future__ import annotations

import contextlib
import io
import json
import os
from typing import Any, Callable, Iterable, Iterator, Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..determination import ConductDetermination, Determination, TraceEntry
from ..errors import LiabilityError
from ..rulebook import Rulebook

__all__ = ["default_lang", "text_report", "markdown_report", "explain_tree", "print_error", "stdout_console",
           "stderr_console", "json_line", "progress"]

_WORDS = {
    "finding": ("认定", "Finding"), "liable": ("司法责任", "Judicial responsibility"),
    "yes": ("应当承担", "attaches"), "no": ("不承担", "does not attach"),
    "basis": ("法条依据", "Legal basis"), "version": ("适用版本", "Version applied"),
    "temporal": ("时间效力（第二十八条）", "Which version applies (Art. 28)"),
    "reasoning": ("理由", "Reasoning"), "trace": ("规则轨迹", "Rules considered"),
    "warnings": ("警示", "Warnings"), "missing": ("待查明的事实", "Facts that would decide"),
    "overall": ("总体认定", "Overall finding"), "case": ("案件", "Case"), "person": ("人员", "Person"),
    "conduct": ("行为", "Conduct"), "rule": ("规则", "Rule"), "outcome": ("结果", "Outcome"),
    "conditions": ("条件", "Conditions"), "none": ("无", "none"), "date": ("日期", "Date"),
    "interpretation": ("解释", "interpretation"), "defeated_by": ("被优先适用", "defeated by"),
    "evaluations": ("各版本的认定", "Findings under each version"), "if": ("若为", "if"),
    "act": ("行为类型", "Act"), "fault": ("过错", "Fault"), "undetermined_version": ("—", "—"),
    "fired": ("适用", "applied"), "defeated": ("被排除", "defeated"), "unmet": ("未满足", "not met"),
    "advisory": ("提示", "advisory"), "chosen": ("选择", "chosen"),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def default_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def json_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"), default=str)


@contextlib.contextmanager
def progress(total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when `enabled` (a terminal and several inputs); else nothing."""
    if not enabled:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr_console(), transient=True) as bar:
        task = bar.add_task("evaluate", total=total)
        yield lambda: bar.advance(task)


def print_error(console: Console, error: LiabilityError) -> None:
    for problem in error.problems:
        console.print(Text("error: ", style="bold red") + Text(str(problem)))


def _finding(rb: Rulebook, finding: str, lang: str) -> str:
    label = rb.finding_label(finding, lang)
    return f"{label} ({finding})" if lang == "en" and label != finding else label


def _value(rb: Rulebook, field: str, value: str, lang: str) -> str:
    label = rb.vocabulary.values.get(field, {}).get(value)
    return label.get(lang) if label else value


def _conduct_panel(rb: Rulebook, c: ConductDetermination, lang: str) -> Panel:
    liable_style = "bold red" if c.liable else "bold green"
    lines: list[Any] = []
    head = Text()
    head.append(f"{_w('finding', lang)}: ", style="bold")
    head.append(_finding(rb, c.finding, lang), style="bold yellow" if c.finding == rb.undetermined else "bold")
    head.append(f"   {_w('liable', lang)}: ", style="bold")
    head.append(_w("yes" if c.liable else "no", lang), style=liable_style)
    lines.append(head)
    lines.append(Text(f"{_w('act', lang)}: {_value(rb, 'act', c.act, lang)}   "
                      f"{_w('fault', lang)}: {_value(rb, 'fault', c.fault, lang)}   {_w('date', lang)}: {c.date}"))
    if c.citation:
        cite = c.citation
        label = cite.label_zh if lang == "zh" else cite.label
        lines.append(Text(f"{_w('basis', lang)}: {label} ({cite.version})", style="bold"))
        lines.append(Text("  " + (cite.text if lang == "zh" else cite.text_en), style="italic"))
    lines.append(Text(f"{_w('version', lang)}: {c.version_applied or '—'}"))
    lines.append(Text(f"{_w('reasoning', lang)}: " + (c.explanation_zh if lang == "zh" else c.explanation)))
    if len(c.temporal.evaluations) > 1 or c.temporal.choice == "undetermined":
        evals = "; ".join(f"{e.version}: {rb.finding_label(e.finding, lang)}"
                          + (f" [{(e.citation.label_zh if lang == 'zh' else e.citation.label)}]" if e.citation else "")
                          for e in c.temporal.evaluations)
        lines.append(Text(f"{_w('temporal', lang)}: {evals}"))
    for m in c.missing:
        question = (m.question_zh if lang == "zh" else m.question) or m.field
        alts = "; ".join(f"{_value(rb, m.field, a.value, lang)} → {rb.finding_label(a.finding, lang)}"
                         + (f" ({a.citation_label})" if a.citation_label else "") for a in m.alternatives)
        lines.append(Text(f"{_w('missing', lang)}: {question} {alts}", style="yellow"))
    for warning in c.warnings:
        lines.append(Text(f"⚠ {warning}", style="yellow"))
    lines.append(_trace_table(c.trace, lang))
    return Panel(Group(*lines), title=f"{_w('conduct', lang)} {c.conduct_id}", title_align="left")


def _trace_table(trace: Sequence[TraceEntry], lang: str) -> Table:
    table = Table(title=_w("trace", lang), show_lines=False, expand=False, title_justify="left")
    table.add_column(_w("rule", lang))
    table.add_column(_w("outcome", lang))
    table.add_column(_w("conditions", lang))
    for entry in trace:
        outcome = _w(entry.outcome, lang)
        if entry.defeated_by:
            outcome += f" ({_w('defeated_by', lang)} {entry.defeated_by})"
        if entry.interpretation:
            outcome += f" [{_w('interpretation', lang)}]"
        conds = "; ".join(entry.matched + [f"✗ {u}" for u in entry.unmet])
        table.add_row(Text(entry.rule), Text(outcome),
                      Text(conds or (entry.explanation_zh if lang == "zh" else entry.explanation) or ""))
    return table


def text_report(rb: Rulebook, results: Iterable[Determination], lang: str, console: Console) -> None:
    for det in results:
        console.print(Text(f"{_w('case', lang)} {det.case_id} · {_w('person', lang)} {det.person_id} · "
                           f"{_w('overall', lang)}: {_finding(rb, det.overall.finding, lang)}, "
                           f"{_w('liable', lang)}: {_w('yes' if det.overall.liable else 'no', lang)}",
                           style="bold"))
        for c in det.conducts:
            console.print(_conduct_panel(rb, c, lang))


def markdown_report(rb: Rulebook, det: Determination, lang: str) -> str:
    out = io.StringIO()
    w = out.write
    w(f"# {_w('case', lang)} {det.case_id} — {_w('person', lang)} {det.person_id}\n\n")
    w(f"**{_w('overall', lang)}:** {_finding(rb, det.overall.finding, lang)}; "
      f"**{_w('liable', lang)}:** {_w('yes' if det.overall.liable else 'no', lang)}\n\n")
    for c in det.conducts:
        w(f"## {_w('conduct', lang)} {c.conduct_id} ({c.date})\n\n")
        w(f"- **{_w('act', lang)}:** {_value(rb, 'act', c.act, lang)}\n")
        w(f"- **{_w('fault', lang)}:** {_value(rb, 'fault', c.fault, lang)}\n")
        w(f"- **{_w('finding', lang)}:** {_finding(rb, c.finding, lang)}\n")
        w(f"- **{_w('liable', lang)}:** {_w('yes' if c.liable else 'no', lang)}\n")
        w(f"- **{_w('version', lang)}:** {c.version_applied or '—'}\n\n")
        if c.citation:
            label = c.citation.label_zh if lang == "zh" else c.citation.label
            w(f"### {_w('basis', lang)}: {label}\n\n> {c.citation.text if lang == 'zh' else c.citation.text_en}\n\n")
        w(f"### {_w('reasoning', lang)}\n\n{c.explanation_zh if lang == 'zh' else c.explanation}\n\n")
        if len(c.temporal.evaluations) > 1 or c.temporal.choice == "undetermined":
            w(f"### {_w('temporal', lang)}\n\n")
            for e in c.temporal.evaluations:
                cite = (e.citation.label_zh if lang == "zh" else e.citation.label) if e.citation else "—"
                w(f"- {e.version}: {_finding(rb, e.finding, lang)} ({cite})\n")
            w(f"\n{c.temporal.reason_zh if lang == 'zh' else c.temporal.reason}\n\n")
        if c.missing:
            w(f"### {_w('missing', lang)}\n\n")
            for m in c.missing:
                w(f"- {(m.question_zh if lang == 'zh' else m.question) or m.field}\n")
                for a in m.alternatives:
                    w(f"  - {_value(rb, m.field, a.value, lang)} → {_finding(rb, a.finding, lang)}"
                      f"{' (' + a.citation_label + ')' if a.citation_label else ''}\n")
            w("\n")
        if c.warnings:
            w(f"### {_w('warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in c.warnings) + "\n")
        w(f"### {_w('trace', lang)}\n\n| {_w('rule', lang)} | {_w('outcome', lang)} | {_w('conditions', lang)} |\n"
          "|---|---|---|\n")
        for e in c.trace:
            outcome = _w(e.outcome, lang) + (f" ({_w('defeated_by', lang)} {e.defeated_by})" if e.defeated_by else "")
            conds = "; ".join(e.matched + [f"✗ {u}" for u in e.unmet]).replace("|", "\\|")
            w(f"| {e.rule} | {outcome} | {conds} |\n")
        w("\n")
    return out.getvalue()


def explain_tree(rb: Rulebook, det: Determination, lang: str) -> Tree:
    root = Tree(Text(f"{_w('case', lang)} {det.case_id} · {_w('overall', lang)}: "
                     f"{_finding(rb, det.overall.finding, lang)}", style="bold"))
    for c in det.conducts:
        node = root.add(Text(f"{_w('conduct', lang)} {c.conduct_id}: {_finding(rb, c.finding, lang)} — "
                             + (c.explanation_zh if lang == "zh" else c.explanation)))
        by_version: dict[str, Tree] = {}
        for e in c.trace:
            branch = by_version.get(e.version)
            if branch is None:
                branch = by_version[e.version] = node.add(Text(f"{_w('version', lang)} {e.version}", style="bold"))
            label = f"{e.rule} — {_w(e.outcome, lang)}"
            if e.defeated_by:
                label += f" ({_w('defeated_by', lang)} {e.defeated_by})"
            leaf = branch.add(Text(label, style="green" if e.outcome in ("fired", "chosen") else "dim"))
            if e.citation:
                leaf.add(Text(e.citation.text if lang == "zh" else e.citation.text_en, style="italic"))
            for m in e.matched:
                leaf.add(Text(f"✓ {m}"))
            for u in e.unmet:
                leaf.add(Text(f"✗ {u}", style="red"))
            if e.interpretation and e.interpretation_reason:
                leaf.add(Text(f"{_w('interpretation', lang)}: {e.interpretation_reason}", style="magenta"))
        for warning in c.warnings:
            node.add(Text(f"⚠ {warning}", style="yellow"))
    return root
