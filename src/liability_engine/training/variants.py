"""Near-miss variants of an exercise: one fact changed, and the engine's answer changes with it."""

from __future__ import annotations

import copy
import datetime as _dt
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..rulebook.conditions import tests_of
from ..determination.model import ConductDetermination
from ..facts.model import Facts, facts_from_data
from ..rulebook.model import Rulebook, Version
from .bank import VARIANT_MARK, Change, Exercise, plain
from .phrases import Phrases

__all__ = ["VariantMaker"]


class VariantMaker:
    """The variant generator of a `Trainer` (a part of it: it reads the trainer's rulebook, bank and
    determinations)."""

    rulebook: Rulebook
    folder: Path
    as_of: _dt.date | None
    _phrases: Phrases | None
    _tested: list[str] | None

    if TYPE_CHECKING:
        current: Version

        def determination(self, ex: Exercise) -> ConductDetermination: ...
        def decided_rules_of(self, det: ConductDetermination) -> list[str]: ...
        def topic_of(self, rule_id: str) -> str: ...
        def _evaluate(self, exercise_id: str, facts: Facts) -> ConductDetermination: ...

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
        data = copy.deepcopy(plain(source.facts_data))
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
