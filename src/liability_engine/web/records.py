"""The training records the page keeps: one folder per class and trainee under the service's data
folder, holding the training module's progress lines and one graded sheet per session."""

from __future__ import annotations

import base64
import json
import re
import secrets
from pathlib import Path
from typing import Any

from .. import training as tr
from . import present
from .words import say

__all__ = ["name_dir", "dir_name", "valid_name", "new_sid", "trainee_dir", "record", "class_sheets",
           "progress_view"]

SHEET_PREFIX = "sheet-"
_NAME = re.compile(r"^[^\x00-\x1f\x7f/\\]{1,64}$")
DAYS_SHOWN = 14


def name_dir(text: str) -> str:
    """A file-system-safe, reversible folder name for a trainee or class name."""
    return "n-" + base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def dir_name(folder: str) -> str | None:
    if not folder.startswith("n-"):
        return None
    raw = folder[2:]
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def valid_name(text: str) -> bool:
    return bool(_NAME.match(text)) and text.strip() == text and bool(text)


def new_sid() -> str:
    return secrets.token_hex(8)


def trainee_dir(data_dir: Path, klass: str, trainee: str) -> Path:
    return data_dir / name_dir(klass) / name_dir(trainee)


def record(data_dir: Path, trainee: str, klass: str, sid: str, results: list[Any]) -> bool:
    """A session's progress lines and its graded sheet, once (a resubmitted form records nothing)."""
    folder = trainee_dir(data_dir, klass, trainee)
    sheet_path = folder / f"{SHEET_PREFIX}{sid}.json"
    if sheet_path.exists():
        return True
    try:
        folder.mkdir(parents=True, exist_ok=True)
        report = tr.sheet_report(results, sheet=sid)
        report["trainee"], report["class"] = trainee, klass
        sheet_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        tr.append_progress(results, "web", folder / "progress.jsonl")
    except (OSError, tr.TrainingError):
        return False
    return True


def progress_view(data_dir: Path, klass: str, trainee: str, lang: str) -> dict[str, Any]:
    """One trainee's accuracy per article and per day: the chart, the table, the days shown."""
    records, _ = tr.read_progress(trainee_dir(data_dir, klass, trainee) / "progress.jsonl")
    rows, days = tr.article_stats(records)
    if not rows:
        return {"chart": None, "table": None, "days": []}
    shown = days[-DAYS_SHOWN:]
    table = [{"label": present.article_label(r.article, lang),
              "cells": [(f"{r.by_day[d][0]}/{r.by_day[d][1]}" if d in r.by_day else "·") for d in shown],
              "total": f"{r.total[0]}/{r.total[1]} ({round(100 * r.total[0] / r.total[1])}%)"}
             for r in rows]
    return {"chart": present.chart_svg_data(rows, days, lang), "table": table, "days": [d[5:] for d in shown]}


def class_sheets(data_dir: Path, klass: str, rb: Any, lang: str) -> list[dict[str, Any]]:
    """Every trainee of a class with their graded answer sheets, oldest first."""
    folder = data_dir / name_dir(klass)
    if not folder.is_dir():
        return []
    trainees = []
    for sub in sorted(folder.iterdir()):
        name = dir_name(sub.name)
        if name is None or not sub.is_dir():
            continue
        sheets = []
        for path in sorted(sub.glob(f"{SHEET_PREFIX}*.json")):
            try:
                report = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            sheets.append(_sheet_view(rb, report, lang))
        trainees.append({"name": name, "sheets": sheets})
    return trainees


def _sheet_view(rb: Any, report: dict[str, Any], lang: str) -> dict[str, Any]:
    def entry(e: Any) -> str:
        if not isinstance(e, dict):
            return "—"
        liable = e.get("liable")
        return " · ".join([
            present.finding_text(rb, e.get("finding"), lang),
            present.provision_text(e.get("article"), e.get("paragraph"), e.get("item"), lang),
            say("yes" if liable else "no", lang) if isinstance(liable, bool) else "—"])

    score = report.get("score") or {}
    return {
        "when": str(report.get("graded_at", ""))[:16].replace("T", " ") + " UTC",
        "score": f"{score.get('correct', 0)}/{score.get('exercises', 0)} ({score.get('percent', 0)}%)",
        "rows": [{"exercise": r.get("exercise"), "correct": bool(r.get("correct")), "answer": entry(r.get("answer")),
                  "expected": entry(r.get("expected"))} for r in report.get("results", []) if isinstance(r, dict)],
    }
