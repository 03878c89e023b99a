"""Terminal prompts for `liability interview` (numbered choices, or the value typed out)."""

from __future__ import annotations

from typing import Any, Sequence

from rich.console import Console
from rich.text import Text

from ..i18n import text

__all__ = ["ask_choice", "ask_text"]


def ask_choice(console: Console, question: str, choices: Sequence[tuple[Any, str, str | None]], lang: str) -> Any:
    """Ask until the answer is a listed number or value; returns the chosen value."""
    console.print(Text(question, style="bold"))
    for i, (value, label, leads) in enumerate(choices, 1):
        line = f"  {i}. {label} [{value if not isinstance(value, bool) else str(value).lower()}]"
        if leads:
            line += f"  → {leads}"
        console.print(Text(line))
    prompt = text("interview.choose", lang)
    while True:
        raw = console.input(prompt).strip()
        if raw.isdigit() and 1 <= int(raw) <= len(choices):
            return choices[int(raw) - 1][0]
        for value, label, _ in choices:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            if raw.lower() in (shown, label.lower()):
                return value
        console.print(Text(text("interview.not_a_choice", lang), style="red"))


def ask_text(console: Console, prompt: str) -> str:
    return console.input(prompt).strip()
