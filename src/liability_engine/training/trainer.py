"""Training exercises for new inspectors: the bank, near-miss variants, grading, the key, progress.

An exercise is a case-file narrative (zh and en) with the hidden facts behind it. The expected
answer is never stored: it is the engine's determination of those facts, so the key follows the
rules whenever a rule author changes them. This module decides nothing legal itself and renders
nothing (see `render/training.py` for the terminal); it reads YAML and JSON with the same safe
loader as facts files.

Layout of an exercise folder (the bundled one is `examples/exercises/`):
  <id>.yaml      one exercise: id, topic, difficulty, narrative {zh, en}, facts, teaching_note
  phrases.yaml   the sentences from which the narratives of generated variants are written
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..rulebook.conditions import tests_of
from ..determination.model import ConductDetermination
from ..facts.documents import Document, read_document
from ..evaluate.engine import Engine
from ..errors import LiabilityError, Problem, did_you_mean
from ..resources import PACKAGE_DIR, bundled
from ..facts.model import Facts, facts_from_data, pydantic_message
from ..determination.citations import provision_label
from ..rulebook.model import Bilingual, Rulebook, Version
from ..i18n import msg

__all__ = [
    "TrainingError", "Exercise", "Answer", "Result", "Change", "Trainer", "CoverageRow", "ArticleStats",
    "PARTS", "SHEET_FIELDS", "bundled_bank_path", "progress_path", "parse_finding", "parse_provision",
    "parse_number", "parse_liable", "parse_sheet", "topic_matches", "select", "append_progress",
    "read_progress", "article_stats", "sheet_report", "iter_exports", "load_bank", "Phrases", "same_provision",
]

PARTS = ("finding", "citation", "liable")
SHEET_FIELDS = ("finding", "article", "paragraph", "item", "liable")
RESERVED_FILES = ("phrases.yaml",)
VARIANT_MARK = "~"
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-~=]*$"  # ~ and = name generated variants: <id>~<field>=<value>


class TrainingError(LiabilityError):
    """An exercise folder, an answer sheet or a progress file is unreadable or invalid."""

    kind = "training"


def bundled_bank_path() -> Path:
    """The exercises shipped with the package (a wheel), or the checkout's `examples/exercises` (editable)."""
    found = bundled("exercises", "examples/exercises")
    if found is None:
        raise TrainingError(Problem(msg("train.bundled_missing"),
                                    path=str(PACKAGE_DIR / "exercises")))
    return found


# --- the exercise files ------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Bilingual  # a zh/en pair, as in the rule files


class _ExerciseFile(_Strict):
    id: str = Field(pattern=_ID, max_length=200)
    topic: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", max_length=120)
    difficulty: int = Field(ge=1, le=3)
    narrative: Text
    facts: dict[str, Any]
    teaching_note: Text | None = None


@dataclass(frozen=True)
class Change:
    """One fact of a conduct changed: `field` is a dotted facts field (or `date`)."""

    field: str
    old: Any
    new: Any

    @property
    def token(self) -> str:
        return f"{self.field}={_show(self.new)}"


@dataclass(frozen=True)
class Exercise:
    id: str
    topic: str
    difficulty: int
    narrative: Text
    facts_data: Mapping[str, Any]
    facts: Facts
    teaching_note: Text | None = None
    path: str | None = None
    source_id: str | None = None      # for a generated variant: the bank exercise it varies
    change: Change | None = None      # … and the one fact changed

    def as_file(self) -> dict[str, Any]:
        """The exercise as an exercise file (YAML-ready)."""
        out: dict[str, Any] = {"id": self.id, "topic": self.topic, "difficulty": self.difficulty,
                               "narrative": self.narrative.model_dump(), "facts": _plain(self.facts_data)}
        if self.teaching_note is not None:
            out["teaching_note"] = self.teaching_note.model_dump()
        return out


def _plain(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


def _sub_document(doc: Document, key: str) -> Document:
    """The part of `doc` under `key`, keeping its line numbers (so facts errors point into the exercise file)."""
    positions = {loc[1:]: pos for loc, pos in doc.positions.items() if loc[:1] == (key,)}
    return Document(data=doc.data.get(key) if isinstance(doc.data, dict) else None, path=doc.path,
                    positions=positions)


def _pydantic_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        line, column = doc.position(loc)
        message = msg("rules.unknown_key", key=loc[-1]) if err["type"] == "extra_forbidden" else pydantic_message(err)
        if err["type"] == "missing":
            message = msg("rules.missing_key")
        elif err["type"] == "string_pattern_mismatch":
            message = msg("train.id_pattern", value=repr(err["input"]))
        allowed = list(_ExerciseFile.model_fields) if err["type"] == "extra_forbidden" and len(loc) == 1 else None
        problems.append(Problem(message, path=doc.path, line=line, column=column,
                                field=".".join(str(p) for p in loc) or None,
                                allowed=allowed, suggestion=did_you_mean(str(loc[-1]), allowed or []) if allowed else None))
    return problems


def load_exercise(path: Path) -> Exercise:
    doc = read_document(path, TrainingError)
    if not isinstance(doc.data, dict):
        raise TrainingError(Problem(msg("train.not_an_exercise"),
                                    path=doc.path, line=1))
    try:
        spec = _ExerciseFile.model_validate(doc.data)
    except ValidationError as exc:
        raise TrainingError(_pydantic_problems(exc, doc)) from None
    problems = []
    if spec.id != path.stem:
        line, column = doc.position(("id",))
        problems.append(Problem(msg("train.id_file", id=spec.id, file=path.name), path=doc.path,
                                line=line, column=column, field="id", suggestion=path.stem))
    facts = facts_from_data(spec.facts, source=_sub_document(doc, "facts"))
    if len(facts.conducts) != 1:
        line, column = doc.position(("facts", "conducts"))
        problems.append(Problem(msg("train.one_conduct", count=len(facts.conducts)),
                                path=doc.path, line=line, column=column, field="facts.conducts"))
    if problems:
        raise TrainingError(problems)
    return Exercise(id=spec.id, topic=spec.topic, difficulty=spec.difficulty, narrative=spec.narrative,
                    facts_data=spec.facts, facts=facts, teaching_note=spec.teaching_note, path=str(path))


def load_bank(folder: Path) -> list[Exercise]:
    """Every exercise of a folder, sorted by id; all problems of all files are reported together."""
    if not folder.is_dir():
        raise TrainingError(Problem(msg("train.no_folder"), path=str(folder)))
    exercises: list[Exercise] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file()):
        if path.name in RESERVED_FILES:
            continue
        try:
            ex = load_exercise(path)
        except LiabilityError as exc:
            problems.extend(exc.problems)
            continue
        if ex.id in seen:
            problems.append(Problem(msg("train.duplicate_id", id=ex.id, file=seen[ex.id]), path=str(path)))
            continue
        seen[ex.id] = str(path)
        exercises.append(ex)
    if problems:
        raise TrainingError(problems)
    if not exercises:
        raise TrainingError(Problem(msg("train.empty_folder"), path=str(folder)))
    return sorted(exercises, key=lambda e: e.id)


# --- selecting ---------------------------------------------------------------------------------


def topic_matches(topic: str, prefix: str) -> bool:
    """`art8` matches art8.item1 … art8.item10 (but `art2` not art28.*); `art8.item1` not art8.item10."""
    prefix = prefix.strip()
    if not prefix or prefix.endswith("."):
        return topic.startswith(prefix)
    return topic == prefix or topic.startswith(prefix + ".")


def select(exercises: Sequence[Exercise], *, topic: str | None = None, difficulty: int | None = None,
           count: int | None = None, seed: int | None = None, shuffle: bool = False) -> list[Exercise]:
    """Filter by topic prefix and difficulty; shuffle with `seed` (or at random when `shuffle`); take `count`."""
    chosen = sorted((e for e in exercises
                     if (topic is None or topic_matches(e.topic, topic))
                     and (difficulty is None or e.difficulty == difficulty)), key=lambda e: e.id)
    if seed is not None or shuffle:
        random.Random(seed).shuffle(chosen)
    return chosen if count is None else chosen[:count]


# --- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a trainee (or the key) says: the finding, the provision that decides, and liability."""

    finding: str | None = None
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    liable: bool | None = None

    @classmethod
    def of(cls, det: ConductDetermination) -> "Answer":
        cite = det.citation
        return cls(finding=det.finding, article=cite.article if cite else None,
                   paragraph=cite.paragraph if cite else None, item=cite.item if cite else None, liable=det.liable)

    def sheet_entry(self) -> dict[str, Any]:
        """The answer-sheet form: finding, article, item, liable (and paragraph where one is cited)."""
        entry: dict[str, Any] = {"finding": self.finding, "article": self.article}
        if self.paragraph is not None:
            entry["paragraph"] = self.paragraph
        entry["item"] = self.item
        entry["liable"] = self.liable
        return entry

    def provision(self) -> str:
        if self.article is None:
            return "—" if self.item is None and self.paragraph is None else f"({self.item or self.paragraph})"
        return provision_label(self.article, self.paragraph, self.item)[0]


def same_provision(given: Answer, expected: Answer) -> bool:
    """Article, paragraph and item all match. An article cited by paragraph only (Art. 3) may be
    answered with the paragraph number in the item slot: it has no items to confuse it with."""
    if given.article != expected.article:
        return False
    paragraph, item = given.paragraph, given.item
    if expected.item is None and expected.paragraph is not None and paragraph is None:
        paragraph, item = item, None
    return (paragraph, item) == (expected.paragraph, expected.item)


@dataclass(frozen=True)
class Result:
    exercise: Exercise
    expected: Answer
    given: Answer
    determination: ConductDetermination
    article_key: int | None  # the article the exercise trains (for statistics)

    @property
    def parts(self) -> dict[str, bool]:
        return {"finding": self.given.finding == self.expected.finding,
                "citation": same_provision(self.given, self.expected),
                "liable": self.given.liable is not None and self.given.liable == self.expected.liable}

    @property
    def correct(self) -> bool:
        return all(self.parts.values())


# --- parsing what people type --------------------------------------------------------------------

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
    doc = read_document(path, TrainingError, stdin=_stdin_bytes)
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


# --- the trainer: exercises + engine ---------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    rule: str
    kind: str                   # "rule" (Arts. 2, 3, 7, 8, 9) or "temporal" (Art. 28)
    exercises: tuple[str, ...]


class Trainer:
    """A bank of exercises and the engine that answers them."""

    def __init__(self, engine: Engine, bank: Path | None = None, *, as_of: _dt.date | None = None):
        self.engine = engine
        self.rulebook = engine.rulebook
        self.folder = bank or bundled_bank_path()
        self.as_of = as_of
        self.exercises = load_bank(self.folder)
        self._by_id = {e.id: e for e in self.exercises}
        self._dets: dict[str, ConductDetermination] = {}
        self._phrases: Phrases | None = None
        self._tested: list[str] | None = None

    # -- the current version and its rules --

    @property
    def current(self) -> Version:
        day = self.as_of or _dt.date.today()
        return [v for v in self.rulebook.versions if v.in_force_from <= day][-1]

    def deciding_rules(self) -> list[str]:
        """The current version's rules that decide a finding (not the advisory ones), in file order."""
        return [r.id for r in self.current.rules if not r.warns_only]

    def temporal_rules(self) -> list[str]:
        return [t.id for t in self.current.temporal_rules]

    def topic_of(self, rule_id: str) -> str:
        prefix = self.current.id + "."
        return rule_id[len(prefix):] if rule_id.startswith(prefix) else rule_id

    def article_of(self, topic: str) -> int | None:
        """The article a topic trains: that of the current rule (or Art. 28 rule) it names."""
        rule_id = f"{self.current.id}.{topic}"
        for r in self.current.rules:
            if r.id == rule_id:
                return r.article
        for t in self.current.temporal_rules:
            if t.id == rule_id:
                return self.current.articles[t.article_key].number
        return None

    # -- answers --

    def get(self, exercise_id: str) -> Exercise:
        """A bank exercise, or a variant named `<bank id>~<field>=<value>` (as --generate names them)."""
        found = self._by_id.get(exercise_id)
        if found is not None:
            return found
        source_id, mark, token = exercise_id.partition(VARIANT_MARK)
        source = self._by_id.get(source_id)
        if mark and source is not None:
            name, _, raw = token.partition("=")
            for change in self.candidates(source):
                if change.field == name and _show(change.new) == raw:
                    return self.variant(source, change)
            raise KeyError(msg("train.bad_variant", id=exercise_id, change=token))
        hint = did_you_mean(exercise_id, list(self._by_id))
        found = msg("train.no_exercise", id=exercise_id, folder=self.folder)
        raise KeyError(found + msg("problem.did_you_mean", suggestion=hint) if hint else found)

    def determination(self, ex: Exercise) -> ConductDetermination:
        return self._evaluate(ex.id, ex.facts)

    def _evaluate(self, exercise_id: str, facts: Facts) -> ConductDetermination:
        det = self._dets.get(exercise_id)
        if det is None:
            det = self._dets[exercise_id] = self.engine.evaluate(facts, as_of=self.as_of).conducts[0]
        return det

    def expected(self, ex: Exercise) -> Answer:
        return Answer.of(self.determination(ex))

    def grade(self, ex: Exercise, given: Answer) -> Result:
        return Result(exercise=ex, expected=self.expected(ex), given=given, determination=self.determination(ex),
                      article_key=self.article_of(ex.topic))

    def grade_sheet(self, answers: Mapping[str, Answer], *, where: str | None = None) -> list[Result]:
        problems, results = [], []
        for exercise_id, answer in answers.items():
            try:
                results.append(self.grade(self.get(exercise_id), answer))
            except KeyError as exc:
                problems.append(Problem(exc.args[0], path=where, field=exercise_id))
        if problems:
            raise TrainingError(problems)
        return results

    def key(self, exercises: Iterable[Exercise]) -> dict[str, dict[str, Any]]:
        """The engine's answers in the answer-sheet format."""
        return {ex.id: self.expected(ex).sheet_entry() for ex in exercises}

    def decided_rules(self, ex: Exercise) -> list[str]:
        """The current version's rules that decide this exercise's answer: its Art. 28 rule and, when
        Art. 28 chooses the current version, the rule that decides under it."""
        return self.decided_rules_of(self.determination(ex))

    def decided_rules_of(self, det: ConductDetermination) -> list[str]:
        rules = [det.temporal.rule] if det.temporal.rule else []
        if det.temporal.choice == "current":
            rules += [e.decided_by for e in det.temporal.evaluations
                      if e.version == self.current.id and e.decided_by]
        return rules

    def coverage(self, exercises: Iterable[Exercise] | None = None) -> list[CoverageRow]:
        by_rule: dict[str, list[str]] = {}
        for ex in exercises if exercises is not None else self.exercises:
            for rule in self.decided_rules(ex):
                by_rule.setdefault(rule, []).append(ex.id)
        return ([CoverageRow(r, "rule", tuple(by_rule.get(r, ()))) for r in self.deciding_rules()]
                + [CoverageRow(t, "temporal", tuple(by_rule.get(t, ()))) for t in self.temporal_rules()])

    # -- near-miss variants --

    @property
    def phrases(self) -> "Phrases":
        if self._phrases is None:
            self._phrases = Phrases.load(self.folder / "phrases.yaml", self.rulebook)
        return self._phrases

    def tested_fields(self) -> list[str]:
        """The facts fields some rule of some version tests (the facts that can decide), sorted."""
        if self._tested is None:
            fields: set[str] = set()
            for version in self.rulebook.versions:
                for rule in version.rules:
                    fields.update(t.field for t in tests_of(rule.when))
            self._tested = sorted(fields)
        return self._tested

    def candidates(self, ex: Exercise) -> list[Change]:
        """Every single-fact change the exercise can take: each value of each field a rule tests (the act
        and the kind of outcome change stay), and the date moved into each other version's period and
        before the first one. Sorted; whether a change is decisive is for the engine to say."""
        conduct = ex.facts.conducts[0]
        out: list[Change] = []
        for name in self.tested_fields():
            spec = self.rulebook.schema.get(name)
            if spec is None or name in ("act", "outcome_change.kind"):
                continue
            if name.startswith("outcome_change.") and conduct.outcome_change is None:
                continue
            old = _value_in(ex.facts, name)
            if spec.kind == "bool":
                values: list[Any] = [not old]
            else:
                values = list(spec.values)
                if spec.nullable and name.startswith("effects."):
                    values.append(None)
            out.extend(Change(name, old, v) for v in values if v != old)
        out.extend(Change("date", conduct.date, d) for d in self._dates(conduct.date))
        return out

    def _dates(self, current: _dt.date) -> list[_dt.date]:
        """The same day of the year, moved into each other version's period and before the first one."""
        today = self.as_of or _dt.date.today()
        versions = self.rulebook.versions
        periods = [(v.in_force_from, v.manifest.in_force_until or today) for v in versions]
        periods.insert(0, (_dt.date.min, versions[0].in_force_from - _dt.timedelta(days=1)))
        out = []
        for start, end in periods:
            if start <= current <= end:
                continue
            year = max(start.year + 1, min(end.year - 1, current.year)) if start != _dt.date.min else end.year - 1
            day = _same_day(current, year)
            day = min(max(day, start), end)
            if day <= today and day not in out:
                out.append(day)
        return sorted(out)

    def variant_data(self, source: Exercise, change: Change) -> dict[str, Any]:
        """The facts document of `source` with one fact changed."""
        data = copy.deepcopy(_plain(source.facts_data))
        conduct = data["conducts"][0]
        if change.field == "date":
            conduct["date"] = change.new
        else:
            *path, last = change.field.split(".")
            target = data if path and path[0] in ("case", "person") else conduct
            for part in path:
                target = target.setdefault(part, {})
            target[last] = change.new
        data["case"]["id"] = f"{data['case']['id']}{VARIANT_MARK}{change.token}"
        return data

    def variant(self, source: Exercise, change: Change) -> Exercise:
        """The near-miss exercise: the changed facts, a narrative told from phrases.yaml, and a note
        naming the one fact that differs from the source exercise."""
        data = self.variant_data(source, change)
        facts = facts_from_data(data)
        vid = f"{source.id}{VARIANT_MARK}{change.token}"
        det = self._evaluate(vid, facts)
        return Exercise(id=vid, topic=self._topic_from(det), difficulty=source.difficulty,
                        narrative=self.phrases.narrative(data, self._relevant(data), change.field),
                        facts_data=data, facts=facts,
                        teaching_note=self.phrases.variant_note(source.id, change),
                        source_id=source.id, change=change)

    def _topic_from(self, det: ConductDetermination) -> str:
        """A generated variant's topic: its Art. 28 rule when it happened before the current version,
        else the current rule that decides it."""
        decided = self.decided_rules_of(det)
        if det.date >= self.current.in_force_from and len(decided) > 1:
            return self.topic_of(decided[1])
        return self.topic_of(decided[0]) if decided else "undetermined"

    def _relevant(self, data: Mapping[str, Any]) -> set[str]:
        """The fields some rule (of any version) tests for this act: what a narrative must state either way."""
        act = data["conducts"][0]["act"]
        fields: set[str] = set()
        for version in self.rulebook.versions:
            for rule in version.rules:
                if rule.acts is None or act in rule.acts:
                    fields.update(t.field for t in tests_of(rule.when))
        return fields

    def is_decisive(self, source: Exercise, variant: Exercise) -> bool:
        a, b = self.determination(source), self.determination(variant)
        return _signature(a) != _signature(b) and not b.warnings

    def generate(self, sources: Sequence[Exercise], n: int, seed: int | None) -> list[Exercise]:
        """`n` near-miss variants of `sources`: one fact changed, and the engine's answer changes with it
        (and carries no warning). Same seed and sources → same variants; the first round takes at most one
        variant per source exercise."""
        rng = random.Random(seed)
        order = [(src, change) for src in sorted(sources, key=lambda e: e.id) for change in self.candidates(src)]
        rng.shuffle(order)
        taken: list[Exercise] = []
        used: set[str] = set()
        tried: dict[str, Exercise | None] = {}
        for first_round in (True, False):
            for src, change in order:
                if len(taken) >= n:
                    return taken
                vid = f"{src.id}{VARIANT_MARK}{change.token}"
                if (first_round and src.id in used) or (vid in tried and tried[vid] is None) or \
                        any(t.id == vid for t in taken):
                    continue
                if vid not in tried:
                    variant = self.variant(src, change)
                    tried[vid] = variant if self.is_decisive(src, variant) else None
                if tried[vid] is not None:
                    taken.append(tried[vid])  # type: ignore[arg-type]
                    used.add(src.id)
        return taken


def _signature(det: ConductDetermination) -> tuple[Any, ...]:
    cite = det.citation
    return (det.finding, det.liable, cite.label if cite else None, cite.version if cite else None, det.version_applied)


def _value_in(facts: Facts, name: str) -> Any:
    """The value of a dotted facts field for the (first) conduct: `case.kind`, `effects.accident`, …"""
    parts = name.split(".")
    obj: Any = facts if parts[0] in ("case", "person") else facts.conducts[0]
    for part in parts:
        obj = getattr(obj, part, None) if obj is not None else None
    return getattr(obj, "value", obj)


def _same_day(day: _dt.date, year: int) -> _dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


# --- phrases: narratives of generated variants -------------------------------------------------------


class _PhrasesFile(_Strict):
    templates: dict[str, Text]
    month_names: list[str] = Field(min_length=12, max_length=12)
    words: dict[str, Text]
    values: dict[str, dict[str, Text]]


_NARRATIVE_ORDER = ("knowing", "fault", "effects.wrongful_handling", "effects.conclusion_affected",
                    "effects.accident", "effects.execution_incident", "effects.serious_consequence",
                    "effects.bad_influence", "effects.major_loss")
_DEFAULTS = {"knowing": False, "effects.wrongful_handling": False, "effects.serious_consequence": False,
             "effects.bad_influence": False, "effects.major_loss": False, "effects.conclusion_affected": True,
             "effects.accident": None, "effects.execution_incident": None}


class Phrases:
    """The sentences of phrases.yaml, and how a conduct's facts are told with them."""

    def __init__(self, spec: _PhrasesFile, rulebook: Rulebook, path: str):
        self.spec = spec
        self.rulebook = rulebook
        self.path = path

    @classmethod
    def load(cls, path: Path, rulebook: Rulebook) -> "Phrases":
        doc = read_document(path, TrainingError)
        try:
            spec = _PhrasesFile.model_validate(doc.data)
        except ValidationError as exc:
            raise TrainingError(_pydantic_problems(exc, doc)) from None
        missing = [t for t in ("date", "opening", "outcome", "variant_note") if t not in spec.templates]
        if missing:
            raise TrainingError(Problem(msg("train.templates_missing", names=", ".join(missing)), path=str(path),
                                        field="templates"))
        return cls(spec, rulebook, str(path))

    def missing(self, fields: Iterable[str]) -> list[str]:
        """Values of these facts fields (and of the act, fault, role and kind of case) with no phrase."""
        out = []
        wanted = dict.fromkeys(["act", "fault", "case.kind", "person.role", "outcome_change.kind",
                                "outcome_change.cause", *fields])
        for name in wanted:
            spec = self.rulebook.schema.get(name)
            if spec is None:
                continue
            values = [True, False] if spec.kind == "bool" else list(spec.values)
            if spec.nullable and name.startswith("effects."):
                values.append(None)
            out += [f"{name}={_show(v)}" for v in values if self._value(name, v) is None]
        return out

    def _value(self, name: str, value: Any) -> Text | None:
        return self.spec.values.get(name, {}).get(_show(value))

    def _say(self, name: str, value: Any, lang: str, ctx: Mapping[str, str]) -> str:
        text = self._value(name, value)
        if text is None:
            raise TrainingError(Problem(msg("train.no_phrase", name=name, value=_show(value)), path=self.path,
                                        field=f"values.{name}.{_show(value)}"))
        return text.get(lang).format(**ctx)

    def date(self, day: _dt.date, lang: str) -> str:
        return self.spec.templates["date"].get(lang).format(year=day.year, month=day.month, day=day.day,
                                                            month_name=self.spec.month_names[day.month - 1])

    def narrative(self, data: Mapping[str, Any], relevant: set[str], changed: str) -> Text:
        return Text(zh=self._tell(data, relevant, changed, "zh"), en=self._tell(data, relevant, changed, "en"))

    def _tell(self, data: Mapping[str, Any], relevant: set[str], changed: str, lang: str) -> str:
        conduct = data["conducts"][0]
        person = data.get("person") or {}
        role = self._say("person.role", person.get("role") or "procurator", lang, {})
        name = person.get("name") or ""
        subject = (name or role) if lang == "zh" else f"the {role}"
        ctx = {"subject": subject}
        day = conduct["date"] if isinstance(conduct["date"], _dt.date) else _dt.date.fromisoformat(str(conduct["date"]))
        sentences = [self.spec.templates["opening"].get(lang).format(
            date=self.date(day, lang), role=role, name=name if lang == "zh" else "",
            kind=self._say("case.kind", (data.get("case") or {}).get("kind") or "criminal", lang, {}),
            act=self._say("act", conduct["act"], lang, ctx))]
        effects = conduct.get("effects") or {}
        for name_ in _NARRATIVE_ORDER:
            if name_ == "fault":
                sentences.append(self._say("fault", conduct.get("fault", "unknown"), lang, ctx))
                continue
            key = name_.split(".", 1)[1] if name_.startswith("effects.") else name_
            value = (effects if name_.startswith("effects.") else conduct).get(key, _DEFAULTS[name_])
            if value != _DEFAULTS[name_] or name_ == changed or name_ in relevant:
                sentences.append(self._say(name_, value, lang, ctx))
        change = conduct.get("outcome_change")
        if change:
            sentences.append(self.spec.templates["outcome"].get(lang).format(
                kind=self._say("outcome_change.kind", change["kind"], lang, ctx)))
            sentences.append(self._say("outcome_change.cause", change.get("cause", "unknown"), lang, ctx))
        if lang == "en":
            return " ".join(s[:1].upper() + s[1:] for s in sentences)
        return "".join(sentences)

    def label(self, name: str, value: Any, lang: str) -> str:
        if isinstance(value, bool) or value is None:
            return self.spec.words[_show(value)].get(lang)
        if isinstance(value, _dt.date):
            return self.date(value, lang)
        label = self.rulebook.vocabulary.values.get(name, {}).get(_show(value))
        return label.get(lang) if label else _show(value)

    def variant_note(self, source_id: str, change: Change) -> Text:
        def note(lang: str) -> str:
            field_label = self.rulebook.vocabulary.fields.get(change.field) or self.spec.words.get(change.field)
            return self.spec.templates["variant_note"].get(lang).format(
                source=source_id, field=field_label.get(lang) if field_label else change.field,
                old=self.label(change.field, change.old, lang), new=self.label(change.field, change.new, lang))

        return Text(zh=note("zh"), en=note("en"))


# --- reports and progress --------------------------------------------------------------------------


def sheet_report(results: Sequence[Result], *, sheet: str | None = None) -> dict[str, Any]:
    """The JSON report of a graded sheet."""
    correct = sum(r.correct for r in results)
    parts = {p: sum(r.parts[p] for r in results) for p in PARTS}
    return {
        "schema": "liability-training-report/1",
        "sheet": sheet,
        "graded_at": _now(),
        "score": {"exercises": len(results), "correct": correct,
                  "percent": round(100 * correct / len(results), 1) if results else 0.0,
                  "parts": {p: {"correct": n, "of": len(results)} for p, n in parts.items()}},
        "results": [{
            "exercise": r.exercise.id, "topic": r.exercise.topic, "difficulty": r.exercise.difficulty,
            "correct": r.correct, "parts": r.parts,
            "answer": r.given.sheet_entry(), "expected": r.expected.sheet_entry(),
            "version_applied": r.determination.version_applied,
            "citation": r.determination.citation.label if r.determination.citation else None,
        } for r in results],
    }


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def progress_path() -> Path:
    """$LIABILITY_PROGRESS, else $XDG_DATA_HOME/liability-engine/progress.jsonl, else ~/.local/share/…"""
    explicit = os.environ.get("LIABILITY_PROGRESS")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "liability-engine" / "progress.jsonl"


def append_progress(results: Sequence[Result], mode: str, path: Path | None = None) -> Path:
    """Append one JSON line per graded exercise."""
    path = path or progress_path()
    if not results:
        return path
    session = f"{int(time.time() * 1000):x}"
    stamp = _now()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            for r in results:
                out.write(json.dumps({"schema": "liability-training-progress/1", "time": stamp, "session": session,
                                      "mode": mode, "exercise": r.exercise.id, "topic": r.exercise.topic,
                                      "article": r.article_key, "correct": r.correct, "parts": r.parts},
                                     ensure_ascii=False) + "\n")
    except OSError as exc:
        raise TrainingError(Problem(msg("train.cannot_write_progress", reason=exc.strerror or exc), path=str(path))) from None
    return path


def read_progress(path: Path | None = None) -> tuple[list[dict[str, Any]], int]:
    """The progress records, and how many lines were unreadable (skipped)."""
    path = path or progress_path()
    if not path.exists():
        return [], 0
    records, bad = [], 0
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainingError(Problem(msg("train.cannot_read_progress", reason=exc), path=str(path))) from None
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if isinstance(record, dict) and isinstance(record.get("correct"), bool) and record.get("time"):
                records.append(record)
                continue
        except json.JSONDecodeError:
            pass
        bad += 1
    return records, bad


@dataclass
class ArticleStats:
    article: int | None
    by_day: dict[str, list[int]] = field(default_factory=dict)   # day → [correct, attempts]

    @property
    def total(self) -> tuple[int, int]:
        return sum(v[0] for v in self.by_day.values()), sum(v[1] for v in self.by_day.values())


def article_stats(records: Iterable[Mapping[str, Any]]) -> tuple[list[ArticleStats], list[str]]:
    """Accuracy per article and per day (UTC); the days in order."""
    rows: dict[int | None, ArticleStats] = {}
    days: set[str] = set()
    for rec in records:
        article = rec.get("article") if isinstance(rec.get("article"), int) else None
        day = str(rec["time"])[:10]
        days.add(day)
        cell = rows.setdefault(article, ArticleStats(article)).by_day.setdefault(day, [0, 0])
        cell[0] += bool(rec["correct"])
        cell[1] += 1
    ordered = sorted(rows.values(), key=lambda s: (s.article is None, s.article or 0))
    return ordered, sorted(days)


def iter_exports(exercises: Iterable[Exercise]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(file name, exercise file data) for writing a selection out as an exercise folder."""
    for ex in exercises:
        yield f"{ex.id}.yaml", ex.as_file()
