"""Reports and progress: a graded sheet as JSON, the progress file, statistics per article, exports."""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from ..errors import Problem, os_reason
from ..resources import user_folder
from .answers import Result
from .bank import PARTS, Exercise, TrainingError
from ..i18n import msg

__all__ = ["sheet_report", "progress_path", "append_progress", "read_progress", "ArticleStats", "article_stats", "iter_exports",
           "default_trainee"]


def sheet_report(results: Sequence[Result], *, sheet: str | None = None,
                 rejected: Mapping[str, Sequence[Problem]] | None = None, is_key: bool = False,
                 trainee: str | None = None) -> dict[str, Any]:
    """The JSON report of a graded sheet: the score of the answers graded, and the answers rejected."""
    correct = sum(r.correct for r in results)
    parts = {p: sum(r.parts[p] for r in results) for p in PARTS}
    return {
        "schema": "liability-training-report/1",
        "sheet": sheet,
        "trainee": trainee,
        "answer_key": is_key,
        "graded_at": _now(),
        "rejected": [{"exercise": exercise_id, "problems": [p.as_dict() for p in problems]}
                     for exercise_id, problems in (rejected or {}).items()],
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
    return user_folder("data") / "progress.jsonl"


def default_trainee() -> str:
    """Who is answering, unless --trainee says: the operating-system user."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (a container without one): still a name
        return "unknown"


def append_progress(results: Sequence[Result], mode: str, path: Path | None = None, *,
                    trainee: str | None = None) -> Path:
    """Append one JSON line per graded exercise, with who answered."""
    path = path or progress_path()
    trainee = trainee or default_trainee()
    if not results:
        return path
    session = f"{int(time.time() * 1000):x}"
    stamp = _now()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            for r in results:
                out.write(json.dumps({"schema": "liability-training-progress/1", "time": stamp, "session": session,
                                      "trainee": trainee, "mode": mode, "exercise": r.exercise.id, "topic": r.exercise.topic,
                                      "article": r.article_key, "correct": r.correct, "parts": r.parts},
                                     ensure_ascii=False) + "\n")
    except OSError as exc:
        raise TrainingError(Problem(msg("train.cannot_write_progress", reason=os_reason(exc)), path=str(path))) from None
    return path


def read_progress(path: Path | None = None, *, trainee: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """The progress records (of `trainee` only, when given), and how many lines were unreadable (skipped)."""
    path = path or progress_path()
    if not path.exists():
        return [], 0
    records, bad = [], 0
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise TrainingError(Problem(msg("train.cannot_read_progress", reason=os_reason(exc)), path=str(path))) from None
    for line in lines:
        if not line.strip():
            continue
        try:  # a line that is not UTF-8 is one unreadable line, skipped and counted as the others: it failed the
            record = json.loads(line.decode("utf-8"))  # whole file, in Python's English ("'utf-8' codec can't ...")
            if isinstance(record, dict) and isinstance(record.get("correct"), bool) and record.get("time"):
                if trainee is None or record.get("trainee") == trainee:
                    records.append(record)
                continue
        except (json.JSONDecodeError, UnicodeDecodeError):
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
