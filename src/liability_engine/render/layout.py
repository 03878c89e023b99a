"""Tables that are never cut off: a table where it fits, else one block per record.

rich shrinks a table that is wider than the console by squeezing its columns down to one word a
line, and cuts what still does not fit with "…" (rule ids, dates, sources). Here a table is drawn
only when every column can get at least its longest word (or `ROOM` cells, when its longest line is
longer) — otherwise each record is printed as a block of `heading: value` lines, wrapped at the
console's width. Cells wrap (`overflow="fold"`), never end in "…"; a cell with Chinese in it is
broken between Chinese characters but never inside an ASCII word (`effects.bad_influence`). The
console's width is the terminal's, or COLUMNS, or 80 when the output is piped: piped output follows
the same rule.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

__all__ = ["show_table", "renderable_table", "markdown_renderable", "fits", "ROOM"]

_WORDS = re.compile(r"[\x21-\x7e]+|[^\x00-\x7f]")
ROOM = 16  # a column narrower than this (when its content is longer) reads as one word a line
_TOKENS = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)


def _text(cell: Any) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))


def _wrapped(text: Text, width: int) -> Text:
    """A cell with Chinese in it broken into lines of at most `width` cells, between any two Chinese
    characters or at a space, never inside an ASCII word. (rich breaks only at spaces: a Chinese
    sentence is one long word to it, folded wherever the width ends, identifiers and all.)"""
    if width <= 0 or text.plain.isascii():
        return text
    breaks, line = [], 0
    for match in _TOKENS.finditer(text.plain):
        token = match.group(0)
        if "\n" in token:
            line = cell_len(token.rsplit("\n", 1)[1])
        elif token.isspace():
            line += cell_len(token)  # a space may hang past the end of a line
        elif line and line + cell_len(token) > width:
            breaks.append(match.start())
            line = cell_len(token)
        else:
            line += cell_len(token)
    return Text("\n").join(text.divide(breaks)) if breaks else text


def _widths(cells: Sequence[Text]) -> tuple[int, int]:
    """(longest word, longest line) of a column's cells, in terminal cells."""
    longest_word = longest_line = 0
    for cell in cells:
        for line in cell.plain.splitlines() or [""]:
            longest_line = max(longest_line, cell_len(line))
            for word in _WORDS.findall(line):  # a Chinese text breaks between any two characters
                longest_word = max(longest_word, cell_len(word))
    return longest_word, longest_line


def fits(headings: Sequence[str], rows: Sequence[Sequence[Any]], width: int) -> bool:
    """Whether a table of these rows is readable in `width` cells: each column gets its longest word,
    and at least ROOM cells when its content is longer than that."""
    need = 1  # the left border
    for i, heading in enumerate(headings):
        word, line = _widths([_text(heading), *(_text(r[i]) for r in rows)])
        need += max(word, min(line, ROOM)) + 3  # padding and the border
    return need <= width


def _allocate(headings: Sequence[str], rows: Sequence[Sequence[Any]], width: int) -> list[int]:
    """Column widths within `width`: each column its longest word (at least ROOM when it has more), then
    the space left shared among the columns whose lines are longer, in proportion to what they lack."""
    spans = [_widths([_text(h), *(_text(r[i]) for r in rows)]) for i, h in enumerate(headings)]
    widths = [max(word, min(line, ROOM)) for word, line in spans]
    room = width - 1 - 3 * len(headings) - sum(widths)
    lacking = [max(0, line - w) for (_, line), w in zip(spans, widths)]
    total = sum(lacking)
    if room > 0 and total:
        extra = [min(lack, room * lack // total) for lack in lacking]
        widths = [w + e for w, e in zip(widths, extra)]
    return widths


def _colon(heading: str) -> str:
    """The colon after a grid's heading, in the heading's own script (`：` after Chinese, `:` after English)."""
    from ..i18n import text

    return text("punctuation.grid_colon", "zh" if any(ord(ch) > 0x2E80 for ch in heading) else "en")


def show_table(console: Console, title: str | None, headings: Sequence[str], rows: Sequence[Sequence[Any]], *,
               show_lines: bool = False) -> None:
    """Print `rows` under `headings` as a table where it fits in the console's width, else as blocks."""
    console.print(renderable_table(title, headings, rows, console.width, show_lines=show_lines))


def renderable_table(title: str | None, headings: Sequence[str], rows: Sequence[Sequence[Any]],
                     width: int, **kwargs: Any) -> RenderableType:
    """The table, or the blocks, as one renderable (for use inside a panel)."""
    from rich.console import Group

    if fits(headings, rows, width):
        table = Table(title=title, title_justify="left", **kwargs)
        widths = _allocate(headings, rows, width)
        for heading, column_width in zip(headings, widths):
            table.add_column(heading, overflow="fold", width=column_width)
        for row in rows:
            table.add_row(*(_wrapped(_text(c), w) for c, w in zip(row, widths)))
        return table
    parts: list[RenderableType] = [Text(title, style="bold")] if title else []
    label = max((cell_len(h + _colon(h)) for h in headings), default=0)
    word = _widths([_text(c) for row in rows for c in row])[0]
    if width - label - 1 < max(ROOM, min(word, width - 2)):
        # no room beside the headings for the values (COLUMNS=20: they were left out) or for their longest word:
        # each value under its heading
        return Group(*parts, *_stacked(headings, rows, width))
    for row in rows:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=label, no_wrap=True)
        grid.add_column(overflow="fold")
        for heading, cell in zip(headings, row):
            value = _wrapped(_text(cell), width - label - 1)
            if value.plain.strip():
                grid.add_row(Text(heading + _colon(heading), style="bold"), value)
        parts.append(Text("─" * min(width, 40), style="dim"))
        parts.append(grid)
    return Group(*parts)


def _stacked(headings: Sequence[str], rows: Sequence[Sequence[Any]], width: int) -> list[RenderableType]:
    """The blocks of a console too narrow for a value beside its heading: each heading on a line of its own, its
    value under it, indented by two cells; both wrapped, never cut."""
    from rich.padding import Padding

    parts: list[RenderableType] = []
    for row in rows:
        parts.append(Text("─" * min(width, 40), style="dim"))
        for heading, cell in zip(headings, row):
            value = _wrapped(_text(cell), max(width - 2, 1))
            if value.plain.strip():
                parts.append(Text(heading + _colon(heading), style="bold", overflow="fold"))
                value.overflow = "fold"
                parts.append(Padding(value, (0, 0, 0, 2)))
    return parts


_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_RULE_LINE = re.compile(r"^\s*\|(\s*:?-{2,}:?\s*\|)+\s*$")
_INLINE = re.compile(r"\*\*|`")


def _cells(line: str) -> list[str]:
    """The cells of one markdown table line (`\\|` is a bar inside a cell), their inline marks removed."""
    inner = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", inner)
    return [_INLINE.sub("", c.replace("\\|", "|")).strip() for c in cells]


def markdown_renderable(source: str, width: int) -> RenderableType:
    """A markdown report for the terminal: prose through rich's Markdown, and every table through
    `renderable_table` — rich's own markdown tables squeeze their columns and cut what does not fit."""
    from rich.console import Group
    from rich.markdown import Markdown

    parts: list[RenderableType] = []
    prose: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        if _TABLE_LINE.match(lines[i]) and i + 1 < len(lines) and _RULE_LINE.match(lines[i + 1]):
            if prose:
                parts.append(Markdown("\n".join(prose)))
                prose = []
            headings = _cells(lines[i])
            i += 2
            rows = []
            while i < len(lines) and _TABLE_LINE.match(lines[i]):
                rows.append((_cells(lines[i]) + [""] * len(headings))[:len(headings)])
                i += 1
            parts.append(renderable_table(None, headings, rows, width))
            continue
        prose.append(lines[i])
        i += 1
    if prose:
        parts.append(Markdown("\n".join(prose)))
    return Group(*parts)
