"""How a command over one facts file opens: the evaluation date of `--as-of`, the engine of `--rules` and
`--backend`, and the language of `--lang` — in this order, so that a bad date fails before a rulebook is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, Optional

from ._common import Lang, load_engine, parse_as_of, pick_lang

__all__ = ["Opening", "open_command"]


class Opening(NamedTuple):
    day: Any  #: the evaluation date (None: today)
    engine: Any
    language: str


def open_command(as_of: Optional[str], lang: Optional[Lang], rules: Optional[Path], backend: str) -> Opening:
    day = parse_as_of(as_of)
    engine = load_engine(rules, backend)
    return Opening(day, engine, pick_lang(lang))
