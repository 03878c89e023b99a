"""What people's tools leave in a text they meant as UTF-8 YAML or JSON: another encoding (Notepad's "Unicode",
PowerShell's `>`), a Chinese input method's full-width colon after a key. Told apart here so that the reader
can say what happened and how to fix it, not only that the text is not what it should be."""

from __future__ import annotations

import re

__all__ = ["fullwidth_colon", "wide_encoding"]


def wide_encoding(raw: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when the bytes are text in that encoding (a byte order mark, or text whose every
    other byte is NUL, as ASCII is in UTF-16), else None: a NUL byte in anything else is not text."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = raw[:64]
    if len(sample) >= 8 and len(sample) % 2 == 0:
        for zeros, chars in ((sample[0::2], sample[1::2]), (sample[1::2], sample[0::2])):
            if not any(zeros) and all(chars):
                return "UTF-16"
    return None


# a key (an item's too) followed by the full-width colon U+FF1A
_KEY_FULLWIDTH_COLON = re.compile(r"^[ \u3000]*(?:-[ \u3000]+)?[A-Za-z_][A-Za-z0-9_]*[ \u3000]*(\uff1a)")


def fullwidth_colon(text: str, up_to: int | None) -> tuple[int, int] | None:
    """(line, column) from 0 of the last key written with a full-width colon (`fault：intentional`) on or
    before line `up_to`, or None."""
    lines = text.splitlines()
    last = min(len(lines) - 1, up_to if up_to is not None else len(lines) - 1)
    for number in range(last, -1, -1):
        found = _KEY_FULLWIDTH_COLON.match(lines[number])
        if found:
            return number, found.start(1)
    return None
