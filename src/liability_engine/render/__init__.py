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

from ..determination.model import ConductDetermination, Determination, TraceEntry
from ..determination.explain import Words, condition_words
from ..errors import LiabilityError
from ..rulebook.model import Rulebook
from ..i18n import text

__all__ = ["default_lang", "text_report", "markdown_report", "explain_tree", "print_error", "stdout_console",
           "stderr_console", "json_line", "progress", "safe"]

_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]}
_UNSAFE.update({c: f"\\u{c:04x}" for c in [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def safe(text: object) -> str:
    """Text from the input, made harmless for a terminal: control characters (ESC sequences that
    clear the screen or set the title, bidi overrides) are shown escaped, never written raw."""
    return str(text).translate(_UNSAFE)


def _c(lang: str) -> str:
    """The colon after a label: `：` / `: `."""
    return text("report.colon", lang)


def _w(key: str, lang: str) -> str:
    """A word of the reports (report.* in the catalogue)."""
    return text(f"report.{key}", lang)


def default_lang() -> str:
    """The language when no --lang is given (i18n.choose_lang: LIABILITY_LANG, the locale, else Chinese)."""
    from ..i18n import current

    return current()


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


def print_error(console: Console, error: LiabilityError, lang: str | None = None) -> None:
    from ..i18n import current, text

    lang = lang or current()
    for problem in error.problems:
        console.print(Text(text("error.prefix", lang), style="bold red") + Text(safe(problem.text(lang))))


def _liable(rb: Rulebook, finding: str, liable: bool, lang: str) -> str:
    return _w("open" if finding == rb.undetermined else "yes" if liable else "no", lang)


def _finding(rb: Rulebook, finding: str, lang: str) -> str:
    label = rb.finding_label(finding, lang)
    return f"{label} ({finding})" if lang == "en" and label != finding else label


def _value(rb: Rulebook, field: str, value: str, lang: str) -> str:
    return Words(rb).value(field, value, lang)


def _t(c: Any, attr: str, lang: str) -> str:
    """A bilingual attribute pair (`x` / `x_zh`) in the language asked for."""
    return getattr(c, f"{attr}_zh") if lang == "zh" else getattr(c, attr)


def _interp(entry: TraceEntry, lang: str) -> str:
    return (entry.interpretation_reason_zh or entry.interpretation_reason or "") if lang == "zh" \
        else (entry.interpretation_reason or "")


def _alt_cite(alternative: Any, lang: str) -> str:
    """` (Art. 7(1))` / `（第七条第（一）项）` after a missing fact's alternative, when it cites one."""
    label = alternative.label_in(lang)
    return text("report.paren", lang, text=label) if label else ""


def _cite(cite: Any, lang: str) -> str:
    return cite.label_zh if lang == "zh" else cite.label


def _quote(cite: Any, lang: str) -> str:
    return cite.text if lang == "zh" else cite.text_en


def _checks(rb: Rulebook, entry: TraceEntry, lang: str) -> list[tuple[bool, str]]:
    words = Words(rb)
    return [(c.holds, condition_words(c.tests, c.holds, c.alternative, words, lang)) for c in entry.conditions]


def _outcome(entry: TraceEntry, lang: str) -> str:
    text = _w(entry.outcome, lang)
    if entry.defeated_by:
        key = "concurring_with" if entry.outcome == "concurring" else "defeated_by"
        text += f"（{_w(key, lang)} {entry.defeated_by}）" if lang == "zh" else f" ({_w(key, lang)} {entry.defeated_by})"
    if entry.interpretation:
        text += f" [{_w('interpretation', lang)}]"
    return text


def _entry_text(rb: Rulebook, entry: TraceEntry, lang: str) -> str:
    checks = _checks(rb, entry, lang)
    if checks:
        return "；".join(("✓ " if ok else "✗ ") + t for ok, t in checks) if lang == "zh" else \
            "; ".join(("✓ " if ok else "✗ ") + t for ok, t in checks)
    return _t(entry, "explanation", lang) or ""


def _conduct_panel(rb: Rulebook, c: ConductDetermination, lang: str, width: int) -> Panel:
    lines: list[Any] = []
    head = Text()
    head.append(f"{_w('finding', lang)}{_c(lang)}", style="bold")
    head.append(_finding(rb, c.finding, lang), style="bold yellow" if c.finding == rb.undetermined else "bold")
    head.append(f"   {_w('liable', lang)}{_c(lang)}", style="bold")
    head.append(_liable(rb, c.finding, c.liable, lang), style="bold red" if c.liable else "bold green")
    lines.append(head)
    lines.append(Text(f"{_w('act', lang)}{_c(lang)}{_value(rb, 'act', c.act, lang)}   "
                      f"{_w('fault', lang)}{_c(lang)}{_value(rb, 'fault', c.fault, lang)}   {_w('date', lang)}{_c(lang)}{c.date}"))
    if c.citation:
        lines.append(Text(f"{_w('basis', lang)}{_c(lang)}{_cite(c.citation, lang)} ({c.citation.version})", style="bold"))
        lines.append(Text("  " + _quote(c.citation, lang), style="italic"))
    lines.append(Text(f"{_w('version', lang)}{_c(lang)}{c.version_applied or '—'}"))
    lines.append(Text(f"{_w('reasoning', lang)}{_c(lang)}{_t(c, 'explanation', lang)}"))
    if len(c.temporal.evaluations) > 1 or c.temporal.choice == "undetermined":
        lines.append(Text(f"{_w('temporal', lang)}{_c(lang)}" + "; ".join(
            f"{e.version}: {rb.finding_label(e.finding, lang)}" + (f" [{_cite(e.citation, lang)}]" if e.citation else "")
            for e in c.temporal.evaluations)))
    for m in c.missing:
        alts = text("report.sep", lang).join(f"{_value(rb, m.field, a.value, lang)} → {rb.finding_label(a.finding, lang)}"
                         + _alt_cite(a, lang) for a in m.alternatives)
        lines.append(Text(f"{_w('missing', lang)}{_c(lang)}{_t(m, 'question', lang) or m.field} {alts}", style="yellow"))
    for warning in (c.warnings_zh if lang == "zh" else c.warnings):
        lines.append(Text(f"⚠ {warning}", style="yellow"))
    lines.append(_trace_table(rb, c.trace, lang, width - 4))  # inside the panel's borders and padding
    return Panel(Group(*lines), title=Text(f"{_w('conduct', lang)} {safe(c.conduct_id)}"), title_align="left")


def _trace_table(rb: Rulebook, trace: Sequence[TraceEntry], lang: str, width: int) -> Any:
    """The rules considered: a table where it fits in `width`, else one block per rule (never cut off)."""
    from .layout import renderable_table

    rows = [[Text(entry.rule), Text(_outcome(entry, lang)), Text(_entry_text(rb, entry, lang))] for entry in trace]
    return renderable_table(_w("trace", lang), [_w("rule", lang), _w("outcome", lang), _w("conditions", lang)], rows,
                            width)


def text_report(rb: Rulebook, results: Iterable[Determination], lang: str, console: Console) -> None:
    for det in results:
        console.print(Text(f"{_w('case', lang)} {safe(det.case_id)} · {_w('person', lang)} {safe(det.person_id)} · "
                           f"{_w('overall', lang)}{_c(lang)}{_finding(rb, det.overall.finding, lang)}, "
                           f"{_w('liable', lang)}{_c(lang)}{_liable(rb, det.overall.finding, det.overall.liable, lang)}",
                           style="bold"))
        for c in det.conducts:
            console.print(_conduct_panel(rb, c, lang, console.width))


def markdown_report(rb: Rulebook, det: Determination, lang: str, facts: Any = None) -> str:
    """A report an inspector can attach to an investigation file."""
    out = io.StringIO()
    w = out.write
    zh = lang == "zh"
    title = "司法责任认定报告" if zh else "Judicial responsibility report"
    w(f"# {title}: {_w('case', lang)} {safe(det.case_id)}, {_w('person', lang)} {safe(det.person_id)}\n\n")
    w(f"**{_w('overall', lang)}:** {_finding(rb, det.overall.finding, lang)}; "
      f"**{_w('liable', lang)}:** {_liable(rb, det.overall.finding, det.overall.liable, lang)}  \n")
    w(("评估日期" if zh else "Evaluated on") + f": {det.evaluated_on}\n\n")
    if facts is not None:
        w(f"## {_w('facts', lang)}\n\n")
        if facts.case.summary:
            w(f"- **{_w('summary', lang)}:** {safe(facts.case.summary)}\n")
        if facts.person.role:
            w(f"- **{_w('role', lang)}:** {_value(rb, 'person.role', facts.person.role.value, lang)}\n")
        w("\n")
    conduct_facts = {c.id: c for c in facts.conducts} if facts is not None else {}
    for c in det.conducts:
        w(f"## {_w('conduct', lang)} {safe(c.conduct_id)} ({c.date})\n\n")
        source = conduct_facts.get(c.conduct_id)
        if source is not None and source.summary:
            w(f"> {safe(source.summary)}\n\n")
        w(f"- **{_w('act', lang)}:** {_value(rb, 'act', c.act, lang)}\n")
        w(f"- **{_w('fault', lang)}:** {_value(rb, 'fault', c.fault, lang)}\n")
        w(f"- **{_w('finding', lang)}:** {_finding(rb, c.finding, lang)}\n")
        w(f"- **{_w('liable', lang)}:** {_liable(rb, c.finding, c.liable, lang)}\n")
        w(f"- **{_w('version', lang)}:** {c.version_applied or '—'}\n\n")
        if c.facts_considered:
            words = Words(rb)
            w(f"### {_w('facts_considered', lang)}\n\n")
            for field, value in c.facts_considered.items():
                w(f"- {words.field(field, lang)}: {words.value(field, value, lang)}\n")
            w("\n")
        if c.citation:
            w(f"### {_w('basis', lang)}{_c(lang)}{_cite(c.citation, lang)}（{c.citation.version}）\n\n" if zh else
              f"### {_w('basis', lang)}{_c(lang)}{_cite(c.citation, lang)} ({c.citation.version})\n\n")
            w(f"> {_quote(c.citation, lang)}\n\n")
        w(f"### {_w('reasoning', lang)}\n\n{_t(c, 'explanation', lang)}\n\n")
        decisive = [e for e in c.trace if e.outcome == "fired" and e.version == c.version_applied]
        for e in decisive:
            for ok, text in _checks(rb, e, lang):
                w(f"- {'✓' if ok else '✗'} {text}\n")
            if e.interpretation and e.interpretation_reason:
                w(f"- {_w('interpretation', lang)}{_c(lang)}{_interp(e, lang)}\n")
        if decisive:
            w("\n")
        if c.why_not or any(e.outcome == "defeated" for e in c.trace):
            w(f"### {_w('why_not', lang)}\n\n")
            for e in c.trace:
                if e.outcome == "defeated" and e.citation:
                    w(f"- {e.version}年版本{_cite(e.citation, lang)}（{e.rule}）：{_outcome(e, lang)}\n" if zh else
                      f"- {_cite(e.citation, lang)} ({e.version}, {e.rule}): {_outcome(e, lang)}\n")
            for why in c.why_not:
                w(f"- {_t(why, 'reason', lang)}\n")
            w("\n")
        if len(c.temporal.evaluations) > 1 or c.temporal.choice == "undetermined":
            w(f"### {_w('temporal', lang)}\n\n")
            for e in c.temporal.evaluations:
                cite = _cite(e.citation, lang) if e.citation else "—"
                w(f"- {e.version}: {_finding(rb, e.finding, lang)} ({cite})\n")
            w(f"\n{_t(c.temporal, 'reason', lang)}\n\n")
        if c.what_would_change is not None:
            w(f"### {_w('changes', lang)}\n\n")
            for change in c.what_would_change:
                w(f"- {_t(change, 'summary', lang)}\n")
            if not c.what_would_change:
                w(f"- {_w('no_changes', lang)}\n")
            w("\n")
        if c.missing:
            w(f"### {_w('missing', lang)}\n\n")
            for m in c.missing:
                w(f"- {_t(m, 'question', lang) or m.field}\n")
                for a in m.alternatives:
                    w(f"  - {_value(rb, m.field, a.value, lang)} → {_finding(rb, a.finding, lang)}"
                      f"{_alt_cite(a, lang)}\n")
            w("\n")
        warnings = c.warnings_zh if zh else c.warnings
        if warnings:
            w(f"### {_w('warnings', lang)}\n\n" + "".join(f"- {x}\n" for x in warnings) + "\n")
        w(f"### {_w('trace', lang)}\n\n| {_w('rule', lang)} | {_w('outcome', lang)} | {_w('conditions', lang)} |\n"
          "|---|---|---|\n")
        for e in c.trace:
            cell = _entry_text(rb, e, lang).replace("|", "\\|")
            w(f"| {e.rule} | {_outcome(e, lang)} | {cell} |\n")
        w("\n")
    return out.getvalue()


def explain_tree(rb: Rulebook, det: Determination, lang: str) -> Tree:
    root = Tree(Text(f"{_w('case', lang)} {safe(det.case_id)} · {_w('overall', lang)}{_c(lang)}"
                     f"{_finding(rb, det.overall.finding, lang)}", style="bold"))
    for c in det.conducts:
        node = root.add(Text(f"{_w('conduct', lang)} {safe(c.conduct_id)}: {_finding(rb, c.finding, lang)}",
                             style="bold"))
        node.add(Text(f"{_w('reasoning', lang)}{_c(lang)}{_t(c, 'explanation', lang)}"))
        if c.citation:
            basis = node.add(Text(f"{_w('basis', lang)}{_c(lang)}{_cite(c.citation, lang)} ({c.citation.version})"))
            basis.add(Text(_quote(c.citation, lang), style="italic"))
        by_version: dict[str, Tree] = {}
        trace = node.add(Text(_w("trace", lang), style="bold"))
        for e in c.trace:
            branch = by_version.get(e.version)
            if branch is None:
                branch = by_version[e.version] = trace.add(Text(f"{_w('version_word', lang)} {e.version}"))
            style = "green" if e.outcome in ("fired", "chosen") else "dim"
            leaf = branch.add(Text(f"{e.rule}: {_outcome(e, lang)}", style=style))
            for ok, text in _checks(rb, e, lang):
                leaf.add(Text(("✓ " if ok else "✗ ") + text, style=None if ok else "red"))
            if not e.conditions and _t(e, "explanation", lang):
                leaf.add(Text(_t(e, "explanation", lang) or ""))
            if e.interpretation and e.interpretation_reason:
                leaf.add(Text(f"{_w('interpretation', lang)}{_c(lang)}{_interp(e, lang)}", style="magenta"))
        if c.why_not:
            why = node.add(Text(_w("why_not", lang), style="bold"))
            for item in c.why_not:
                why.add(Text(_t(item, "reason", lang)))
        if c.what_would_change is not None:
            changes = node.add(Text(_w("changes", lang), style="bold"))
            for change in c.what_would_change:
                changes.add(Text(_t(change, "summary", lang)))
            if not c.what_would_change:
                changes.add(Text(_w("no_changes", lang)))
        for m in c.missing:
            miss = node.add(Text(f"{_w('missing', lang)}{_c(lang)}{_t(m, 'question', lang) or m.field}", style="yellow"))
            for a in m.alternatives:
                miss.add(Text(f"{_value(rb, m.field, a.value, lang)} → {_finding(rb, a.finding, lang)}"
                              + _alt_cite(a, lang)))
        for warning in (c.warnings_zh if lang == "zh" else c.warnings):
            node.add(Text(f"⚠ {warning}", style="yellow"))
    return root
