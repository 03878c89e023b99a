"""Reading YAML and JSON documents safely, keeping where each value stands in the file.

Used for facts files and rule files alike. Refuses, with a located message: files over the size
limit, bytes that are not UTF-8, NUL bytes, YAML tags other than the plain ones (so
`!!python/object` never runs), anchors and aliases (alias bombs), nesting deeper than
MAX_DEPTH, more than MAX_VALUES values (10 MB of tiny values would take minutes and gigabytes to
build), and duplicate keys.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from ..errors import LiabilityError, Problem, os_reason
from ..i18n import Message, msg
from .parser_words import parser_words as _parser_words
from .slips import fullwidth_colon, wide_encoding
from .json_positions import json_positions
from ..wording import Bilingual

__all__ = ["Document", "read_document", "parse_document", "dotted", "WrittenInt", "DEFAULT_MAX_BYTES", "MAX_DEPTH",
           "MAX_VALUES"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 500_000  # scalars, lists and mappings; 10,000 conducts with every field are about 400,000

try:  # the C parser is several times faster; the pure one is equally safe
    _BaseLoader: type = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class WrittenInt(int):
    """A YAML integer whose number is not the text it was written as (`0107` is octal 71 to YAML 1.1, `12:30` is
    750, `007` is 7): `written` keeps the text, for the fields that are text (an id written `id: 0107` is "0107")."""

    written: str


@dataclass
class Document:
    """A parsed document and the (line, column) of each value, keyed by its path tuple."""

    data: Any
    path: str
    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    json_text: str | None = field(default=None, repr=False)  # positions of JSON are found when first asked for

    def position(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """The position of `loc`, or of its nearest ancestor that has one."""
        if self.json_text is not None:  # only a document with a problem pays for this scan
            self.positions = json_positions(self.json_text)
            self.json_text = None
        loc = tuple(loc)
        while True:
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (None, None)
            loc = loc[:-1]


def max_bytes() -> int:
    raw = os.environ.get("LIABILITY_MAX_BYTES")
    try:
        limit = int(raw) if raw else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES
    return limit if limit > 0 else DEFAULT_MAX_BYTES  # 0 or -5 is no limit anyone means: every file refused


def read_document(
    source: str | os.PathLike[str],
    error: type[LiabilityError],
    *,
    limit: int | None = None,
    stdin: Callable[[], bytes] | None = None,
) -> Document:
    """Read and parse a YAML or JSON file (`-` reads stdin when `stdin` is given)."""
    limit = max_bytes() if limit is None else limit
    name = str(source)
    if name == "-" and stdin is not None:
        raw = stdin()
        name = "<stdin>"
    else:
        path = Path(source)
        if not path.exists():
            raise error(Problem(msg("input.no_such_file"), path=name))
        if path.is_dir():
            raise error(Problem(msg("input.is_directory"), path=name))
        try:
            size = path.stat().st_size
            if size > limit:
                raise error(Problem(msg("input.file_too_big", size=f"{size:,}", limit=f"{limit:,}"), path=name))
            with path.open("rb") as handle:
                raw = handle.read(limit + 1)
        except OSError as exc:
            raise error(Problem(msg("input.cannot_read", reason=os_reason(exc)), path=name)) from None
    if len(raw) > limit:
        raise error(Problem(msg("input.too_big", limit=f"{limit:,}"), path=name))
    return parse_document(raw, name, error, json_hint=name.endswith((".json", ".jsonl")))


def parse_document(raw: bytes, name: str, error: type[LiabilityError], *, json_hint: bool = False) -> Document:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        wide = wide_encoding(raw)
        if wide:  # Notepad's "Unicode", PowerShell's `>`: text after all, in another encoding
            raise error(Problem(msg("input_guard.wide_text", encoding=wide), path=name))
        line = raw.count(b"\n", 0, nul) + 1
        raise error(Problem(msg("input.nul_byte"), path=name, line=line))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(Problem(msg("input.not_utf8", byte=f"0x{raw[exc.start]:02x}", offset=exc.start),
                            path=name, line=line)) from None
    if not text.strip():
        raise error(Problem(msg("input.empty"), path=name))
    if json_hint or text.lstrip().startswith(("{", "[")):
        return _parse_json(text, name, error)
    return _parse_yaml(text, name, error)


def _parse_json(text: str, name: str, error: type[LiabilityError]) -> Document:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise error(Problem(msg("input.duplicate_key", key=key), path=name, field=key))
            out[key] = value
        return out

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(Problem(_parser_words(exc.msg, "input.invalid_json"), path=name, line=exc.lineno,
                            column=exc.colno)) from None
    except LiabilityError:  # a duplicate key (FactsError and RulesError are ValueErrors too)
        raise
    except RecursionError:
        raise error(Problem(msg("input.too_deep", levels=MAX_DEPTH), path=name)) from None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        digits = _LONG_NUMBER.search(text) if str(exc).startswith("Exceeds the limit") else None
        if digits is None:
            raise error(Problem(msg("input.invalid_json", detail=exc), path=name)) from None
        line = text.count("\n", 0, digits.start()) + 1  # Python's own words were English, and said no place
        column = digits.start() - text.rfind("\n", 0, digits.start())
        raise error(Problem(msg("input_hunt.json_number_too_long", digits=f"{sys.get_int_max_str_digits():,}"),
                            path=name, line=line, column=column)) from None
    count, depth, keys = _size_of(data)  # iterative: safe before the depth is known
    if count > MAX_VALUES:
        raise error(_too_many(name))
    # A repeated key leaves one key fewer in the mappings than the text has colons: each key has one colon, and only
    # a string can hold another. Only then is the text parsed again, with a hook (in Python: about three times the
    # cost of the parse) that names the repeated key. (Not for a text too deep, refused below: the hook's frames
    # could take it past the interpreter's recursion limit.)
    if keys != text.count(":") and depth <= MAX_DEPTH:
        json.loads(text, object_pairs_hook=no_duplicates)
    if _SURROGATE_ESCAPE.search(text):  # only a `\\uD800`-style escape can make a lone surrogate
        _check_strings(data, name, error)
    if depth > MAX_DEPTH:
        raise error(Problem(msg("input.too_deep", levels=MAX_DEPTH), path=name))
    return Document(data=data, path=name, json_text=text)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONG_NUMBER = re.compile(r"-?\d{%d,}" % (sys.get_int_max_str_digits() + 1))


def _size_of(data: Any) -> tuple[int, int, int]:
    """(values, depth, keys) of parsed JSON: every scalar, list and mapping counts, and every key, as in
    YAML. Level by level, without recursion; the walk stops once there are more than MAX_VALUES."""
    count, depth, keys, level = 1, 0, 0, [data]
    while level:
        depth += 1
        below: list[Any] = []
        for value in level:
            if type(value) is dict:
                keys += len(value)
                below.extend(value.values())
            elif type(value) is list:
                count += len(value)
                below.extend(value)
        if count + 2 * keys > MAX_VALUES:
            return count + 2 * keys, depth, keys
        level = [v for v in below if type(v) is dict or type(v) is list]
    return count + 2 * keys, depth, keys


def _check_strings(data: Any, name: str, error: type[LiabilityError]) -> None:
    """Refuse strings that are not Unicode text: JSON's `\\ud800` escapes can make lone surrogates,
    which cannot even be printed."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, where))
                stack.append((item, where + (key,)))
        elif isinstance(value, list):
            stack.extend((item, where + (i,)) for i, item in enumerate(value))
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise error(Problem(msg("input.lone_surrogate"), path=name,
                                    field=dotted(where) or None)) from None


def _scan_events(text: str, name: str, error: type[LiabilityError]) -> None:
    """Scan the YAML events (streaming, before anything is built): refuse anchors, aliases, deep
    nesting and too many values.

    This cannot be done by overriding `compose_node`: the C loader (CSafeLoader) composes in C and
    never calls a Python override, so an alias bomb would expand while positions are recorded.
    """
    scanner = _BaseLoader(text)
    depth = values = 0
    try:
        while True:
            event = scanner.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            mark = event.start_mark
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                values += 1
                if values > MAX_VALUES:
                    raise error(_too_many(name, mark.line + 1))
            if isinstance(event, yaml.AliasEvent):
                raise error(Problem(msg("input.yaml_alias"),
                                    path=name, line=mark.line + 1, column=mark.column + 1))
            if getattr(event, "anchor", None):
                raise error(Problem(msg("input.yaml_anchor"),
                                    path=name, line=mark.line + 1, column=mark.column + 1))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise error(Problem(msg("input.too_deep", levels=MAX_DEPTH),
                                        path=name, line=mark.line + 1, column=mark.column + 1))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        scanner.dispose()


def _too_many(name: str, line: int | None = None) -> Problem:
    return Problem(msg("input.too_many_values", count=f"{MAX_VALUES:,}"),
                   path=name, line=line)


_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


_INT_TAG = "tag:yaml.org,2002:int"
_BUILT_TAGS = {_INT_TAG, "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _yaml_wording(what: str, text: str, mark: Any) -> Bilingual:
    """The YAML scanner's complaint in words for people, for the mistakes people make most."""
    char = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    if char == "\t" or ("\t" in what and "cannot start any token" in what):
        return msg("input.yaml_tab_indent").bilingual()
    if "mapping values are not allowed" in what:
        return msg("input.yaml_second_colon").bilingual()
    words = _parser_words(what, "input.invalid_yaml")
    return Bilingual.pair(words.zh, str(words))


def _parse_yaml(text: str, name: str, error: type[LiabilityError]) -> Document:
    loader = None
    try:
        _scan_events(text, name, error)
        loader = _BaseLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise error(Problem(msg("input.empty"), path=name))
        positions: dict[tuple[Any, ...], tuple[int, int]] = {}
        _check_nodes(node, (), positions, name, error, loader)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        fullwidth = fullwidth_colon(text, mark.line if mark else None)
        if fullwidth is not None:  # a Chinese input method's '：' after a key: the scanner finds the gap later
            raise error(Problem(msg("input_guard.fullwidth_colon"), path=name, line=fullwidth[0] + 1,
                                column=fullwidth[1] + 1)) from None
        what = exc.problem or exc.context or "invalid YAML"
        words = _yaml_wording(what, text, mark)
        raise error(Problem(Message(words.en, words.zh), path=name, line=mark.line + 1 if mark else None,
                            column=mark.column + 1 if mark else None)) from None
    except yaml.YAMLError as exc:
        raise error(Problem(msg("input.invalid_yaml", detail=exc), path=name)) from None
    except RecursionError:
        raise error(Problem(msg("input.too_deep", levels=MAX_DEPTH), path=name)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(data=data, path=name, positions=positions)


def _check_nodes(node: Any, loc: tuple[Any, ...], positions: dict[tuple[Any, ...], tuple[int, int]],
                 name: str, error: type[LiabilityError], loader: Any) -> None:
    """Record positions; refuse unusual tags, duplicate keys and scalars that cannot be built (a
    date such as 2023-13-45, a number of more than 4,300 digits). Iterative: depth is bounded anyway."""
    stack = [(node, loc)]
    while stack:
        current, where = stack.pop()
        mark = current.start_mark
        positions.setdefault(where, (mark.line + 1, mark.column + 1))
        if current.tag not in _PLAIN_TAGS:
            raise error(Problem(msg("input.yaml_tag", tag=current.tag), path=name, line=mark.line + 1, column=mark.column + 1,
                                field=dotted(where) or None))
        if current.tag in _BUILT_TAGS:
            try:  # built now, where it stands; construct_document reuses the object
                built = loader.construct_object(current)
                if current.tag == _INT_TAG and str(built) != current.value:
                    written = WrittenInt(built)
                    written.written = current.value
                    loader.constructed_objects[current] = written
            except (ValueError, OverflowError) as exc:
                kind = "input.bad_date" if current.tag.endswith("timestamp") else "input.bad_number"
                raise error(Problem(msg(kind, value=_clip(current.value)),
                                    path=name, line=mark.line + 1, column=mark.column + 1,
                                    field=dotted(where) or None)) from None
        if isinstance(current, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in current.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    km = key_node.start_mark
                    raise error(Problem(msg("input.key_not_text"), path=name,
                                        line=km.line + 1, column=km.column + 1))
                key = key_node.value
                if isinstance(key, str) and key[:1] == "\u3000":  # indented with an ideographic space
                    km = key_node.start_mark
                    raise error(Problem(msg("input_guard.ideographic_space"), path=name, line=km.line + 1,
                                        column=km.column + 1, field=dotted(where + (key.strip(),)) or None))
                if key in seen:
                    km = key_node.start_mark
                    raise error(Problem(msg("input.duplicate_key", key=key), path=name, line=km.line + 1,
                                        column=km.column + 1, field=dotted(where + (key,))))
                seen.add(key)
                km = key_node.start_mark
                positions[where + (key,)] = (km.line + 1, km.column + 1)
                stack.append((value_node, where + (key,)))  # keeps the key's position
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                stack.append((item, where + (index,)))


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out

