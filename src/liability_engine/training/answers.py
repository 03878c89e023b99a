"""Answers: what a trainee gives and what the engine expects, compared part by part."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..determination.model import ConductDetermination
from ..determination.citations import provision_label
from .bank import Exercise

__all__ = ["Answer", "Result", "same_provision"]


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
        return provision_label(self.article, self.paragraph, self.item).en


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
