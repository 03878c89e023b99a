"""Where each value of a valid JSON text stands (line, column), as YAML's parser says it for YAML."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["json_positions"]

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def json_positions(text: str) -> dict[tuple[Any, ...], tuple[int, int]]:
    """(line, column), from 1, of each value of a valid JSON text, keyed by its path tuple as YAML's are:
    an object member at its key, an array item at the item. Iterative; columns count characters."""
    import bisect

    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    positions: dict[tuple[Any, ...], tuple[int, int]] = {}
    stack: list[list[Any]] = []  # [is_object, loc, key or next index, expecting a key]

    def place(offset: int) -> tuple[Any, ...]:
        if not stack:
            positions.setdefault((), at(offset))
            return ()
        top = stack[-1]
        if top[0]:
            return top[1] + (top[2],)  # an object member keeps its key's position
        loc = top[1] + (top[2],)
        positions.setdefault(loc, at(offset))
        top[2] += 1
        return loc

    for match in _JSON_TOKEN.finditer(text):
        token, offset = match.group(), match.start()
        top = stack[-1] if stack else None
        if token[0] == '"' and top is not None and top[0] and top[3]:
            key = json.loads(token)
            top[2], top[3] = key, False
            positions.setdefault(top[1] + (key,), at(offset))
        elif token in "{[":
            stack.append([token == "{", place(offset), None if token == "{" else 0, token == "{"])
        elif token in "}]":
            stack.pop()
        elif token == ",":
            if top is not None and top[0]:
                top[3] = True
        elif token != ":":
            place(offset)
    return positions
