"""Reading what people type: findings, provisions (`Art. 7(2)`, `第七条第（二）项`), yes/no, answer sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..facts.documents import Document, read_document
from ..errors import Problem, did_you_mean
from ..rulebook.model import Rulebook
from .answers import Answer
from .bank import SHEET_FIELDS, TrainingError
from ..i18n import Message, catalogue, msg

__all__ = ["parse_finding", "parse_provision", "parse_number", "parse_liable", "parse_sheet", "sheet_from_document",
           "answer_from_entry", "zh_to_int"]

_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
def _typed(key: str) -> frozenset[str]:
    """The words a person may type for an answer (train.typed_* in the catalogue: `|` between them), in
    either language whatever the language of the session."""
    entry = catalogue()[key]
    return frozenset(word.strip().lower() for lang in ("zh", "en") for word in entry[lang].split("|"))


_NONE_WORDS = {"", "-", "—", "0"} | _typed("train.typed_none")
_YES = _typed("train.typed_yes")
_NO = _typed("train.typed_no")


def zh_to_int(text: str) -> int:
    """Chinese numerals as articles and items are numbered (一 … 九十九), or Arabic digits."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _ZH_DIGITS and c != "十" for c in text):
        raise ValueError(msg("train.not_a_number", value=text))
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(msg("train.not_a_number", value=text))
        return _ZH_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0)


def parse_number(value: Any, what: str = "item") -> int | None:
    """An item or paragraph number: 2, "2", "(2)", "（二）", "第（二）项", "第二款"; none/0/— for none."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(msg("train.expected_item" if what == "item" else "train.expected_paragraph", value=value))
    if isinstance(value, int):
        return value or None
    text = str(value).strip().lower()
    if text in _NONE_WORDS:
        return None
    text = re.sub(r"^(item|para(graph)?\.?|¶|第)\s*", "", text)
    text = re.sub(r"(项|款)$", "", text).strip().strip("()（）").strip()
    try:
        number = zh_to_int(text)
    except ValueError:
        raise ValueError(msg("train.bad_item" if what == "item" else "train.bad_paragraph", value=value)) from None
    return number or None


_EN_PROVISION = re.compile(r"^(?:art(?:icle)?\.?\s*)?(\d+)\s*,?\s*(?:(?:para(?:graph)?\.?|¶)\s*(\d+))?\s*"
                           r"(?:(?:item\s*)?\(?\s*(\d+)\s*\)?)?$", re.I)
_ZH_NUM = "[零一二三四五六七八九十0-9]+"
_ZH_PROVISION = re.compile(rf"^第?({_ZH_NUM})条?(?:第({_ZH_NUM})款)?(?:第?[（(]?({_ZH_NUM})[）)]?项?)?$")


def parse_provision(value: Any) -> tuple[int | None, int | None, int | None, bool]:
    """An article, maybe with its paragraph or item: 7, "Art. 7(2)", "7(2)", "3 para. 2", "第七条第（二）项",
    "第三条第二款"; none/0/— for no article. Returns (article, paragraph, item, whether a subdivision was given)."""
    if value is None:
        return None, None, None, True
    if isinstance(value, bool):
        raise ValueError(msg("train.expected_article", value=value))
    if isinstance(value, int):
        return (value or None), None, None, not value
    text = str(value).strip()
    if text.lower() in _NONE_WORDS:
        return None, None, None, True
    compact = text.replace(" ", "")
    match = _ZH_PROVISION.match(compact) if re.search("[条款项第一二三四五六七八九十]", compact) else None
    if match:
        article = zh_to_int(match.group(1))
        paragraph = zh_to_int(match.group(2)) if match.group(2) else None
        item = zh_to_int(match.group(3)) if match.group(3) else None
        return article or None, paragraph, item, bool(paragraph or item)
    match = _EN_PROVISION.match(text)
    if match:
        article = int(match.group(1))
        paragraph = int(match.group(2)) if match.group(2) else None
        item = int(match.group(3)) if match.group(3) else None
        return article or None, paragraph, item, bool(paragraph or item)
    raise ValueError(msg("train.bad_article", value=value))


def parse_liable(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(msg("train.bad_liable", value=value))


def parse_finding(value: Any, rulebook: Rulebook, *, numbered: bool = False) -> str:
    """A finding by id, English or Chinese label (or, when `numbered`, its number in the list shown)."""
    text = str(value).strip()
    ids = [f.id for f in rulebook.findings]
    if numbered and text.isdigit() and 1 <= int(text) <= len(ids):
        return ids[int(text) - 1]
    wanted = text.lower().replace(" ", "_").replace("-", "_")
    for f in rulebook.findings:
        if wanted in (f.id, f.label.en.lower().replace(" ", "_").replace("-", "_")) or text == f.label.zh:
            return f.id
    hint = did_you_mean(wanted, ids)
    found = msg("train.bad_finding", value=value, allowed=", ".join(ids))
    raise ValueError(found + msg("problem.did_you_mean", suggestion=hint) if hint else found)


def entry_problems(entry: Any, rulebook: Rulebook) -> tuple[Answer | None, list[tuple[str | None, str]]]:
    """One answer-sheet entry as an Answer, or every problem in it: (the key it is at, or None; message)."""
    if not isinstance(entry, Mapping):
        return None, [(None, msg("train.entry_not_mapping"))]
    problems: list[tuple[str | None, str]] = []
    for key in entry:
        if key not in SHEET_FIELDS:
            hint = did_you_mean(str(key), SHEET_FIELDS)
            found = msg("rules.unknown_key", key=key) + msg("problem.allowed", values=", ".join(SHEET_FIELDS))
            problems.append((str(key), found + msg("problem.did_you_mean", suggestion=hint) if hint else found))

    def attempt(key: str, parse: Any) -> Any:
        try:
            return parse()
        except ValueError as exc:
            problems.append((key, exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)))
            return None

    finding = attempt("finding", lambda: parse_finding(entry["finding"], rulebook)) \
        if entry.get("finding") is not None else None
    article, paragraph, item, _ = attempt("article", lambda: parse_provision(entry.get("article"))) \
        or (None, None, None, False)
    if "paragraph" in entry:
        paragraph = attempt("paragraph", lambda: parse_number(entry["paragraph"], "paragraph"))
    if "item" in entry:
        given = attempt("item", lambda: parse_number(entry["item"]))
        if given is not None or item is None:
            item = given
    liable = attempt("liable", lambda: parse_liable(entry["liable"])) if entry.get("liable") is not None else None
    if problems:
        return None, problems
    return Answer(finding=finding, article=article, paragraph=paragraph, item=item, liable=liable), []


def answer_from_entry(entry: Any, rulebook: Rulebook) -> Answer:
    """One answer-sheet entry (finding, article, paragraph, item, liable) as an Answer; ValueError if invalid."""
    answer, problems = entry_problems(entry, rulebook)
    if answer is None:
        first = problems[0][1]
        for _, message in problems[1:]:
            first = first + "; " + message
        raise ValueError(first)
    return answer


KEY_MARK = "_key"  # the entry `liability train --key` adds, so that grading the key itself is recognised


def _sheet_digest(entries: Mapping[str, Any]) -> str:
    import hashlib
    import json

    canonical = json.dumps({str(k): v for k, v in entries.items()}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def key_sheet(key: Mapping[str, Any]) -> dict[str, Any]:
    """The key as printed: its answers, and a mark (with their digest) that says it is the key."""
    return {KEY_MARK: {"generated_by": "liability train --key", "digest": _sheet_digest(key)}, **key}


@dataclass
class Sheet:
    """An answer sheet as read: the answers that could be read, and every problem with those that could not."""

    path: str
    answers: dict[str, Answer]
    problems: list[Problem]
    rejected: dict[str, list[Problem]]  # exercise id → the problems of its answer
    is_key: bool  # the unchanged answer key of `liability train --key`
    document: Document

    def locate(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        return self.document.position(loc)


def read_sheet(path: str | Path, rulebook: Rulebook) -> Sheet:
    """An answer sheet (YAML or JSON): a mapping of exercise id → answer. An answer with a problem is
    rejected on its own (every problem reported, with its line); the other answers stand."""
    return sheet_of_document(read_document(path, TrainingError, stdin=_stdin_bytes), rulebook)


def sheet_of_document(doc: Document, rulebook: Rulebook) -> Sheet:
    """An answer sheet already parsed (from a file, or from an HTTP request body), answer by answer."""
    if not isinstance(doc.data, dict) or not doc.data:
        raise TrainingError(Problem(msg("train.not_a_sheet"), path=doc.path, line=1))
    entries = {k: v for k, v in doc.data.items() if k != KEY_MARK}
    mark = doc.data.get(KEY_MARK)
    is_key = isinstance(mark, Mapping) and mark.get("digest") == _sheet_digest(entries)
    answers: dict[str, Answer] = {}
    rejected: dict[str, list[Problem]] = {}
    for key, entry in entries.items():
        answer, problems = entry_problems(entry, rulebook)
        if answer is not None:
            answers[str(key)] = answer
            continue
        for sub_key, message in problems:
            loc = (key,) if sub_key is None else (key, sub_key)
            line, column = doc.position(loc)
            rejected.setdefault(str(key), []).append(Problem(
                message, path=doc.path, line=line, column=column,
                field=str(key) if sub_key is None else f"{key}.{sub_key}"))
    return Sheet(path=doc.path, answers=answers, problems=[p for ps in rejected.values() for p in ps],
                 rejected=rejected, is_key=is_key, document=doc)


def parse_sheet(path: str | Path, rulebook: Rulebook) -> dict[str, Answer]:
    """An answer sheet's answers; TrainingError with every problem at once if any answer has one."""
    return sheet_from_document(read_document(path, TrainingError, stdin=_stdin_bytes), rulebook)


def sheet_from_document(doc: Document, rulebook: Rulebook) -> dict[str, Answer]:
    """An answer sheet already parsed; TrainingError with every problem at once if any answer has one."""
    sheet = sheet_of_document(doc, rulebook)
    if sheet.problems:
        raise TrainingError(sheet.problems)
    return sheet.answers


def _stdin_bytes() -> bytes:
    import sys

    return sys.stdin.buffer.read()
