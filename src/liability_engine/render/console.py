"""The terminal: consoles, the language of the locale, text from the input made harmless, errors."""

from __future__ import annotations

import json
import os
from typing import Any

from rich.console import Console
from rich.text import Text

from ..errors import LiabilityError

__all__ = ["safe", "default_lang", "stdout_console", "stderr_console", "json_line", "print_error"]

_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]}
_UNSAFE.update({c: f"\\u{c:04x}" for c in [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def safe(text: object) -> str:
    """Text from the input, made harmless for a terminal: control characters (ESC sequences that
    clear the screen or set the title, bidi overrides) are shown escaped, never written raw."""
    return str(text).translate(_UNSAFE)


def default_lang() -> str:
    """The language when no --lang is given (i18n.choose_lang: LIABILITY_LANG, the locale, else Chinese)."""
    from ..i18n import current

    return current()


def environ() -> dict[str, str]:
    """The environment rich reads its size from, without a COLUMNS or LINES that is no size: rich takes
    `COLUMNS=0` (some CI runners and editors' shells set it) as a width of 0 and prints nothing at all; such a
    value is left out, and the width is the terminal's, or 80 when piped, as without it."""
    env = dict(os.environ)
    for name in ("COLUMNS", "LINES"):
        value = env.get(name, "").strip()
        if name in env and not (value.isdigit() and int(value) > 0):
            del env[name]
    return env


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False, _environ=environ())


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, _environ=environ())


def json_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"), default=str)


def print_error(console: Console, error: LiabilityError, lang: str | None = None) -> None:
    """One line per problem, never wrapped (`file:line: message` stays greppable), in the language asked
    for (default: the program's)."""
    from ..i18n import current, text

    lang = lang or current()
    for problem in error.problems:
        console.print(Text(text("error.prefix", lang), style="bold red") + Text(safe(problem.text(lang))),
                      soft_wrap=True, crop=False, overflow="ignore")


