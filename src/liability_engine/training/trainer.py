"""The trainer: a bank of exercises and the engine that answers them — the key, grading, coverage.

This package decides nothing legal itself and renders nothing (see `render/training.py` for the
terminal)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..determination.model import ConductDetermination
from ..evaluate.engine import Engine
from ..errors import Problem, did_you_mean
from ..facts.model import Facts
from ..rulebook.model import Version
from .answers import Answer, Result
from .bank import VARIANT_MARK, Exercise, TrainingError, bundled_bank_path, load_bank, show
from .parsing import Sheet
from .phrases import Phrases
from .variants import VariantMaker
from ..i18n import msg

__all__ = ["Trainer", "CoverageRow"]


@dataclass(frozen=True)


class CoverageRow:
    rule: str
    kind: str                   # "rule" (Arts. 2, 3, 7, 8, 9) or "temporal" (Art. 28)
    exercises: tuple[str, ...]


class Trainer(VariantMaker):
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
        """The version in force on the trainer's date (today by default)."""
        return self.rulebook.in_force(self.as_of or _dt.date.today())

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
                if change.field == name and show(change.new) == raw:
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

    def grade_read_sheet(self, sheet: Sheet) -> list[Result]:
        """Grade every answer of the sheet for a known exercise; an answer for an unknown exercise is
        rejected on its own (added to sheet.rejected and sheet.problems, with its line)."""
        results = []
        for exercise_id, answer in sheet.answers.items():
            try:
                results.append(self.grade(self.get(exercise_id), answer))
            except KeyError as exc:
                line, column = sheet.locate((exercise_id,))
                problem = Problem(exc.args[0], path=sheet.path, line=line, column=column, field=exercise_id)
                sheet.rejected.setdefault(exercise_id, []).append(problem)
                sheet.problems.append(problem)
        sheet.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        return results

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
