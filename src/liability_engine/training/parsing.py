"""Reading what people type: findings, provisions (`Art. 7(2)`, `第七条第（二）项`), yes/no, answer sheets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from ..facts.documents import Document, read_document
from ..errors import Problem, did_you_mean
from ..rulebook.model import Rulebook
from .answers import Answer
from .bank import SHEET_FIELDS, TrainingError
from ..i18n import msg

__all__ = ["parse_finding", "parse_provision", "parse_number", "parse_liable", "parse_sheet", "sheet_from_document",
           "answer_from_entry", "zh_to_int"]

_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_NONE_WORDS = {"", "none", "null", "no article", "n/a", "na", "-", "—", "0", "无", "没有", "不适用"}
_YES = {"yes", "y", "true", "t", "是", "应当", "承担", "应当承担", "liable", "attaches"}
_NO = {"no", "n", "false", "f", "否", "不", "不承担", "not liable", "does not attach"}


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


def answer_from_entry(entry: Any, rulebook: Rulebook) -> Answer:
    """One answer-sheet entry (finding, article, paragraph, item, liable) as an Answer; ValueError if invalid."""
    if not isinstance(entry, Mapping):
        raise ValueError(msg("train.entry_not_mapping"))
    unknown = [k for k in entry if k not in SHEET_FIELDS]
    if unknown:
        hint = did_you_mean(str(unknown[0]), SHEET_FIELDS)
        found = msg("rules.unknown_key", key=unknown[0]) + msg("problem.allowed", values=", ".join(SHEET_FIELDS))
        raise ValueError(found + msg("problem.did_you_mean", suggestion=hint) if hint else found)
    finding = parse_finding(entry["finding"], rulebook) if entry.get("finding") is not None else None
    article, paragraph, item, _ = parse_provision(entry.get("article"))
    if "paragraph" in entry:
        paragraph = parse_number(entry["paragraph"], "paragraph")
    if "item" in entry:
        given = parse_number(entry["item"])
        if given is not None or item is None:
            item = given
    liable = parse_liable(entry["liable"]) if entry.get("liable") is not None else None
    return Answer(finding=finding, article=article, paragraph=paragraph, item=item, liable=liable)


def parse_sheet(path: str | Path, rulebook: Rulebook) -> dict[str, Answer]:
    """An answer sheet (YAML or JSON): a mapping of exercise id → answer. Every problem is reported at once."""
    return sheet_from_document(read_document(path, TrainingError, stdin=_stdin_bytes), rulebook)


def sheet_from_document(doc: Document, rulebook: Rulebook) -> dict[str, Answer]:
    """An answer sheet already parsed (from a file, or from an HTTP request body)."""
    if not isinstance(doc.data, dict) or not doc.data:
        raise TrainingError(Problem(msg("train.not_a_sheet"), path=doc.path, line=1))
    answers: dict[str, Answer] = {}
    problems = []
    for key, entry in doc.data.items():
        try:
            answers[str(key)] = answer_from_entry(entry, rulebook)
        except ValueError as exc:
            line, column = doc.position((key,))
            problems.append(Problem(exc.args[0] if exc.args else str(exc), path=doc.path, line=line, column=column,
                                    field=str(key)))
    if problems:
        raise TrainingError(problems)
    return answers


def _stdin_bytes() -> bytes:
    import sys

    return sys.stdin.buffer.read()
