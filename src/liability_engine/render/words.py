"""The words of the reports (zh/en) and the pieces every view of a determination writes the same way:
findings, liability, values, citations, trace entries, missing facts."""

from __future__ import annotations

from typing import Iterable

from ..determination.explain import Words, condition_words
from ..determination.model import Missing, TraceEntry
from ..i18n import text
from ..rulebook.model import Rulebook

__all__ = ["word", "colon", "paren", "bracket", "comma", "listed", "clauses", "finding_text", "liable_text",
           "value_text", "interpretation", "condition_checks", "outcome_text", "entry_text", "alternatives"]


def word(key: str, lang: str) -> str:
    """A word of the reports (report.* in the catalogue) in the language asked for."""
    return text(f"report.{key}", lang)


def colon(lang: str) -> str:
    """The colon after a label: `：` / `: `."""
    return text("report.colon", lang)


def paren(inner: str, lang: str) -> str:
    """`inner` in parentheses after a word: `（…）` / ` (…)`."""
    return text("report.paren", lang, text=inner)


def bracket(inner: str, lang: str) -> str:
    """A provision in brackets after a title: `〔…〕` / ` […]`."""
    return text("punctuation.bracket", lang, text=inner)


def comma(lang: str) -> str:
    """The comma before a trailing clause: `，` / `, `."""
    return text("punctuation.comma", lang)


def listed(items: Iterable[str], lang: str) -> str:
    """The items of a list: `甲、乙` / `a, b`."""
    return text("determination.list", lang).join(items)


def clauses(items: Iterable[str], lang: str) -> str:
    """Clauses one after another: `甲；乙` / `a; b`."""
    return text("report.sep", lang).join(items)


def liable_text(rb: Rulebook, finding: str, liable: bool, lang: str) -> str:
    return word("open" if finding == rb.undetermined else "yes" if liable else "no", lang)


def names_finding(label: str, finding_id: str) -> bool:
    """The label already says the id (`exempt (no responsibility)` for `exempt`): no need to add it again."""
    import re

    return re.match(rf"{re.escape(finding_id.replace('_', ' '))}\b", label.lower().replace("-", " ")) is not None


def finding_text(rb: Rulebook, finding: str, lang: str) -> str:
    label = rb.finding_label(finding, lang)
    return f"{label} ({finding})" if lang == "en" and not names_finding(label, finding) else label


def value_text(rb: Rulebook, field: str, value: str, lang: str) -> str:
    return Words(rb).value(field, value, lang)


def interpretation(entry: TraceEntry, lang: str) -> str:
    return (entry.interpretation_reason_zh or entry.interpretation_reason or "") if lang == "zh" \
        else (entry.interpretation_reason or "")


def condition_checks(rb: Rulebook, entry: TraceEntry, lang: str) -> list[tuple[bool, str]]:
    words = Words(rb)
    return [(c.holds, condition_words(c.tests, c.holds, c.alternative, words, lang)) for c in entry.conditions]


def outcome_text(entry: TraceEntry, lang: str) -> str:
    out = word(entry.outcome, lang)
    if entry.defeated_by:
        key = "concurring_with" if entry.outcome == "concurring" else "defeated_by"
        out += text("report.paren", lang, text=f"{word(key, lang)} {entry.defeated_by}")
    if entry.interpretation:
        out += f" [{word('interpretation', lang)}]"
    return out


def entry_text(rb: Rulebook, entry: TraceEntry, lang: str) -> str:
    checks = condition_checks(rb, entry, lang)
    if checks:
        return clauses((("✓ " if ok else "✗ ") + t for ok, t in checks), lang)
    return entry.explanation_text.get(lang) or ""


def alternatives(rb: Rulebook, m: Missing, lang: str, *, ids: bool = True) -> list[str]:
    """Each value of a missing fact and the finding it would give (`ids`: with the finding's id in English)."""
    name = finding_text if ids else (lambda rb_, finding, lang_: rb_.finding_label(finding, lang_))
    return [f"{value_text(rb, m.field, a.value, lang)} → " + a.leads_to(rb, name(rb, a.finding, lang), lang)
            for a in m.alternatives]
