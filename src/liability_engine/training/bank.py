"""The exercise bank: exercise files read safely and checked, and the bundled bank.

An exercise is a case-file narrative (zh and en) with the hidden facts behind it. The expected
answer is never stored: it is the engine's determination of those facts, so the key follows the
rules whenever a rule author changes them. Exercises are read with the same safe loader as facts.

Layout of an exercise folder (the bundled one is `examples/exercises/`):
  <id>.yaml      one exercise: id, topic, difficulty, narrative {zh, en}, facts, teaching_note
  phrases.yaml   the sentences from which the narratives of generated variants are written
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..facts.documents import Document, read_document
from ..errors import LiabilityError, Problem, did_you_mean
from ..resources import PACKAGE_DIR, bundled
from ..facts.model import Facts, facts_from_data
from ..wording import Bilingual
from ..facts.fields import show_value
from ..facts.validation import Said, problems_of, pydantic_message
from ..i18n import msg

__all__ = ["TrainingError", "Exercise", "ExerciseFileBase", "Change", "PARTS", "SHEET_FIELDS", "VARIANT_MARK",
           "bundled_bank_path", "load_bank", "load_exercise"]

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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExerciseFileBase(Strict):
    """What every exercise file says: its id and topic, how hard it is, the story (zh, en), the facts, and a
    teaching note. (The allocation exercises, `allocation/training.py`, add their questions.)"""

    id: str = Field(pattern=_ID, max_length=200)
    topic: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$", max_length=120)
    difficulty: int = Field(ge=1, le=3)
    narrative: Bilingual
    facts: dict[str, Any]
    teaching_note: Bilingual | None = None


class _ExerciseFile(ExerciseFileBase):
    pass


@dataclass(frozen=True)
class Change:
    """One fact of a conduct changed: `field` is a dotted facts field (or `date`)."""

    field: str
    old: Any
    new: Any

    @property
    def token(self) -> str:
        return f"{self.field}={show(self.new)}"


@dataclass(frozen=True)
class Exercise:
    id: str
    topic: str
    difficulty: int
    narrative: Bilingual
    facts_data: Mapping[str, Any]
    facts: Facts
    teaching_note: Bilingual | None = None
    path: str | None = None
    source_id: str | None = None      # for a generated variant: the bank exercise it varies
    change: Change | None = None      # … and the one fact changed

    def as_file(self) -> dict[str, Any]:
        """The exercise as an exercise file (YAML-ready)."""
        out: dict[str, Any] = {"id": self.id, "topic": self.topic, "difficulty": self.difficulty,
                               "narrative": self.narrative.model_dump(), "facts": plain(self.facts_data)}
        if self.teaching_note is not None:
            out["teaching_note"] = self.teaching_note.model_dump()
        return out


def show(value: Any) -> str:
    """A value as exercise files write it (`null` for none, an enum by its value)."""
    return "null" if value is None else show_value(getattr(value, "value", value))


def plain(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [plain(v) for v in data]
    return data


def _sub_document(doc: Document, key: str) -> Document:
    """The part of `doc` under `key`, keeping its line numbers (so facts errors point into the exercise file)."""
    positions = {loc[1:]: pos for loc, pos in doc.positions.items() if loc[:1] == (key,)}
    return Document(data=doc.data.get(key) if isinstance(doc.data, dict) else None, path=doc.path,
                    positions=positions)


def file_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    return problems_of(exc, doc, _describe, field=lambda loc, _: ".".join(str(p) for p in loc) or None)


def _describe(err: dict[str, Any], loc: tuple[Any, ...]) -> Said:
    """An exercise file's validation error in the words of the exercise files."""
    message = msg("rules.unknown_key", key=loc[-1]) if err["type"] == "extra_forbidden" else pydantic_message(err)
    if err["type"] == "missing":
        message = msg("rules.missing_key")
    elif err["type"] == "string_pattern_mismatch":
        message = msg("train.id_pattern", value=repr(err["input"]))
    allowed = list(_ExerciseFile.model_fields) if err["type"] == "extra_forbidden" and len(loc) == 1 else None
    return Said(message, allowed=allowed, suggestion=did_you_mean(str(loc[-1]), allowed or []) if allowed else None)


def load_exercise(path: Path) -> Exercise:
    doc = read_document(path, TrainingError)
    if not isinstance(doc.data, dict):
        raise TrainingError(Problem(msg("train.not_an_exercise"),
                                    path=doc.path, line=1))
    try:
        spec = _ExerciseFile.model_validate(doc.data)
    except ValidationError as exc:
        raise TrainingError(file_problems(exc, doc)) from None
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
