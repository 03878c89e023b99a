"""The page's own words: the `web` section of the catalogue (rules/messages.yaml), through
liability_engine.i18n like every other sentence of the program.

Legal words (acts, findings, article texts, questions) are never there: they come from the rulebook
(`rules/vocabulary.yaml`, `rules/findings.yaml`, the article files).
"""

from __future__ import annotations

from typing import Any

from ..i18n import LANGS, text

__all__ = ["say", "pick", "LANGS"]


def say(key: str, lang: str, **values: Any) -> str:
    """`web.<key>` of the catalogue in `lang`, its placeholders filled."""
    return text(f"web.{key}", lang, **values)


def pick(query: str | None, cookie: str | None) -> str:
    """`?lang=` first, then the cookie, then Chinese."""
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return "zh"
