"""The terminal side of `liability train`: the narrative, the questions, the feedback, score tables,
the progress chart and the coverage list. Logic (parsing, grading, statistics) is in `training.py`."""

from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..determination.model import ConductDetermination
from ..determination.citations import provision_label, zh_number
from ..i18n import localized, text
from ..rulebook.model import Rulebook
from ..training import (Answer, ArticleStats, CoverageRow, Exercise, Result, parse_finding, parse_liable,
                         parse_number, parse_provision)
from .layout import show_table

__all__ = ["show_exercise", "ask_answer", "show_feedback", "results_table", "stats_view", "coverage_view",
           "say"]

T = TypeVar("T")

def say(key: str, lang: str) -> str:
    """A word of training sessions (training.* in the catalogue)."""
    return text(f"training.{key}", lang)


def say_number(key: str, number: int, lang: str) -> str:
    """An article, paragraph or item by its number (training.* in the catalogue), in Chinese numerals in zh."""
    return text(f"training.{key}", lang, number=zh_number(number) if lang == "zh" else number)


def _finding(rb: Rulebook, finding: str | None, lang: str) -> str:
    if finding is None:
        return say("none", lang)
    label = rb.finding_label(finding, lang)
    from .words import names_finding

    return label if lang == "zh" or names_finding(label, finding) else f"{label} ({finding})"


def _provision(answer: Answer, lang: str) -> str:
    if answer.article is None and answer.item is None and answer.paragraph is None:
        return say("none", lang)
    if lang != "zh":
        return answer.provision()
    if answer.article is not None:
        return provision_label(answer.article, answer.paragraph, answer.item).zh
    return (say_number("paragraph_label", answer.paragraph, lang) if answer.paragraph is not None else "") + \
        (say_number("item_label", answer.item, lang) if answer.item is not None else "")


def _cited(det: ConductDetermination, lang: str) -> str:
    """The provision that decides, as the determination cites it (with its version)."""
    cite = det.citation
    if cite is None:
        return say("none", lang)
    return f"{cite.label_text.get(lang)} ({cite.version})"


def _liable(value: bool | None, lang: str) -> str:
    return say("none", lang) if value is None else say("yes" if value else "no", lang)


# --- one exercise -------------------------------------------------------------------------------


def show_exercise(console: Console, ex: Exercise, index: int, total: int, lang: str) -> None:
    stars = "★" * ex.difficulty + "☆" * (3 - ex.difficulty)
    console.print()
    # a neutral number: the exercise's id names its topic (and a variant's, the fact changed), so it
    # would give the answer away; it is shown after the answer (show_feedback)
    console.rule(Text(f"{say('exercise', lang)} {index}/{total} · {say('difficulty', lang)} {stars}"))
    console.print(Panel(Text(ex.narrative.get(lang)), expand=True))


def _ask(console: Console, prompt: str, parse: Callable[[str], T], lang: str) -> T:
    while True:
        raw = console.input(Text(f"{prompt}\n> ", style="bold"))
        try:
            return parse(raw)
        except ValueError as exc:
            console.print(Text(f"{say('invalid', lang)}{localized(exc.args[0] if exc.args else exc, lang)}",
                               style="yellow"))


def ask_answer(console: Console, rb: Rulebook, lang: str) -> Answer:
    """Ask the finding, the article and item, and whether responsibility attaches; numbers and plain
    words both work. Raises KeyboardInterrupt / EOFError as the terminal does."""
    choices = Table.grid(padding=(0, 2))
    for _ in range(2):
        choices.add_column()
    cells = [f"{i}. {_finding(rb, f.id, lang)}" for i, f in enumerate(rb.findings, 1)]
    for left, right in zip(cells[::2], cells[1::2] + [""]):
        choices.add_row(left, right)
    console.print(Text(say("q_finding", lang), style="bold"))
    console.print(choices)
    finding = _ask(console, "", lambda raw: parse_finding(raw, rb, numbered=True), lang)
    article, paragraph, item, complete = _ask(console, say("q_article", lang), parse_provision, lang)
    if article is not None and not complete:
        item = _ask(console, say("q_item", lang), lambda raw: parse_number(raw), lang)
    liable = _ask(console, say("q_liable", lang), _liable_choice, lang)
    return Answer(finding=finding, article=article, paragraph=paragraph, item=item, liable=liable)


def _liable_choice(raw: str) -> bool:
    """1 / 2 as numbered on screen, or yes / no / 是 / 否 typed out."""
    return {"1": True, "2": False}[raw.strip()] if raw.strip() in ("1", "2") else parse_liable(raw)


def _mark(ok: bool) -> Text:
    return Text("✓", style="bold green") if ok else Text("✗", style="bold red")


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _not_applied(det: ConductDetermination, lang: str) -> list[str]:
    lines = []
    for entry in det.trace:
        if entry.outcome == "unmet":
            failed = [c.text for c in entry.conditions if not c.holds]
            label = entry.citation.label_text.get(lang) if entry.citation else entry.rule
            lines.append(f"{label}: {say('unmet', lang)} " + "; ".join(failed) if failed else label)
    for why in det.why_not:
        lines.append(_short(why.reason_text.get(lang)))
    return list(dict.fromkeys(lines))


def show_feedback(console: Console, rb: Rulebook, result: Result, lang: str) -> None:
    console.print(Text(f"{say('exercise_id', lang)}: {result.exercise.id} · {say('topic', lang)} "
                       f"{result.exercise.topic}", style="dim"))
    parts = result.parts
    given, expected = result.given, result.expected
    rows = Table.grid(padding=(0, 1))
    for _ in range(4):
        rows.add_column()
    for part, mine, right in (
            ("finding", _finding(rb, given.finding, lang), _finding(rb, expected.finding, lang)),
            ("citation", _provision(given, lang), _cited(result.determination, lang)),
            ("liable", _liable(given.liable, lang), _liable(expected.liable, lang))):
        ok = parts[part]
        rows.add_row(_mark(ok), Text(say(part, lang), style="bold"),
                     Text(f"{say('your', lang)}: {mine}"),
                     Text("" if ok else f"{say('correct', lang)}: {right}", style="green"))
    console.print(rows)
    det = result.determination
    body: list[Any] = []
    head = Text()
    head.append(f"{say('finding', lang)}: {_finding(rb, det.finding, lang)}   ", style="bold")
    head.append(f"{say('liable', lang)}: {_liable(det.liable, lang)}",
                style="bold red" if det.liable else "bold green")
    body.append(head)
    if det.citation is not None:
        cite = det.citation
        body.append(Text(f"{say('basis', lang)}: {cite.label_text.get(lang)} "
                         f"({say('version', lang)} {cite.version})", style="bold"))
        body.append(Text("  " + (cite.quote.get(lang)), style="italic"))
    body.append(Text(f"{say('why', lang)}: {det.explanation_text.get(lang)}"))
    if len(det.temporal.evaluations) > 1 or det.temporal.choice == "undetermined":
        evals = "; ".join(f"{e.version}: {rb.finding_label(e.finding, lang)}"
                          + (f" [{e.citation.label_text.get(lang)}]" if e.citation else "")
                          for e in det.temporal.evaluations)
        body.append(Text(f"{say('temporal', lang)}: {evals}"))
    missed = _not_applied(det, lang)
    if missed:
        body.append(Text(f"{say('not_applied', lang)}:", style="bold"))
        body.extend(Text(f"  • {line}", style="dim") for line in missed)
    note = result.exercise.teaching_note
    if note is not None:
        body.append(Text(f"{say('note', lang)}: {note.get(lang)}", style="cyan"))
    console.print(Panel(Group(*body), title=say("determination", lang), title_align="left",
                        border_style="green" if result.correct else "red"))


# --- tables ---------------------------------------------------------------------------------------


def _score_line(results: Sequence[Result], lang: str, planned: int | None) -> Text:
    n = len(results)
    correct = sum(r.correct for r in results)
    parts = sum(sum(r.parts.values()) for r in results)
    pct = round(100 * correct / n) if n else 0
    line = f"{say('score', lang)}: {correct}/{n} {say('exercises', lang)} ({pct}%) · {say('parts', lang)} {parts}/{3 * n}"
    if planned is not None and planned != n:
        line += f" · {say('answered', lang)} {n}/{planned}"
    return Text(line, style="bold")


def results_table(console: Console, results: Sequence[Result], rb: Rulebook, lang: str, *,
                  planned: int | None = None, interrupted: bool = False, answers: bool = False) -> None:
    """The score table: one row per exercise, a mark per part, the score at the foot. For a graded
    sheet (`answers`), the expected answer is shown where the sheet's was wrong."""
    headings = ["#", say("exercise", lang)]
    if not answers:
        headings.append(say("topic", lang))
    headings += [say("finding", lang), say("citation", lang), say("liable", lang), say("result", lang)]
    if answers:
        headings.append(say("expected", lang))
    rows = []
    for i, r in enumerate(results, 1):
        cells: list[Any] = [str(i), r.exercise.id]
        if not answers:
            cells.append(r.exercise.topic)
        cells += [_mark(r.parts["finding"]), _mark(r.parts["citation"]), _mark(r.parts["liable"]), _mark(r.correct)]
        if answers:
            e = r.expected
            cells.append("" if r.correct else f"{e.finding} · {_provision(e, lang)} · {_liable(e.liable, lang)}")
        rows.append(cells)
    # a table where every column gets its longest word, else a block per exercise (render/layout.py): rich's
    # own table cut the headings ("Fi…") and broke the exercise ids at a narrow terminal
    show_table(console, say("partial" if interrupted else "score", lang), headings, rows)
    console.print(_score_line(results, lang, planned))


def _article_label(article: int | None, lang: str) -> str:
    if article is None:
        return say("other", lang)
    return say_number("article_label", article, lang)


def _bar(fraction: float, width: int = 30) -> Text:
    full = round(fraction * width)
    bar = Text("█" * full, style="green" if fraction >= 0.8 else "yellow" if fraction >= 0.5 else "red")
    bar.append("░" * (width - full), style="dim")
    return bar


def stats_view(console: Console, rows: Sequence[ArticleStats], days: Sequence[str], lang: str, *,
               path: str, skipped: int = 0, max_days: int = 7) -> None:
    """Accuracy per article over time: a table (recent days and the total) and terminal bar charts."""
    if skipped:
        console.print(Text(f"{path}: {skipped} {say('skipped', lang)}", style="yellow"))
    if not rows:
        console.print(f"{say('no_progress', lang)}{path}")
        return
    shown = list(days)[-max_days:]
    headings = [say("article_column", lang), *(day[5:] for day in shown), say("total", lang)]
    table_rows = []
    for row in rows:
        cells = []
        for day in shown:
            c, n = row.by_day.get(day, (0, 0))
            cells.append(f"{c}/{n} {round(100 * c / n)}%" if n else "·")
        c, n = row.total
        cells.append(f"{c}/{n} {round(100 * c / n)}%")
        table_rows.append([_article_label(row.article, lang), *cells])
    show_table(console, say("stats", lang), headings, table_rows)
    chart = Table.grid(padding=(0, 1))
    for _ in range(3):
        chart.add_column()
    for row in rows:
        c, n = row.total
        chart.add_row(Text(_article_label(row.article, lang), style="bold"), _bar(c / n), Text(f"{round(100 * c / n)}% ({n})"))
    console.print(chart)
    console.print(Text(say("trend", lang), style="bold"))
    trend = Table.grid(padding=(0, 1))
    for _ in range(3):
        trend.add_column()
    for day in shown:
        c = sum(r.by_day.get(day, (0, 0))[0] for r in rows)
        n = sum(r.by_day.get(day, (0, 0))[1] for r in rows)
        trend.add_row(Text(day), _bar(c / n if n else 0.0), Text(f"{round(100 * c / n) if n else 0}% ({n})"))
    console.print(trend)


def coverage_view(console: Console, rows: Sequence[CoverageRow], lang: str) -> None:
    show_table(console, say("coverage", lang), [say("rule", lang), say("exercise", lang)],
               [[Text(row.rule, style="bold" if row.exercises else "red"),
                 Text(", ".join(row.exercises)) if row.exercises else Text(say("uncovered", lang), style="red")]
                for row in rows])
    covered = sum(bool(r.exercises) for r in rows)
    console.print(Text(f"{covered}/{len(rows)} {say('covered', lang)}", style="bold"))
