"""`liability train --answers SHEET`: grade an answer sheet answer by answer (a bad answer is rejected on its
own, with its line), and keep the unchanged answer key out of everyone's progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

from ..i18n import text
from ._common import Exit

__all__ = ["grade_sheet"]


def grade_sheet(out: Any, trainer: Any, answers: str, report: Optional[Path], as_json: bool,
                language: str, trainee: Optional[str] = None) -> None:
    """Grade every answer that can be read; reject, with every problem and its line, those that cannot;
    exit 2 if any was rejected. The unchanged answer key is graded but recorded in no one's progress."""
    from .. import render
    from .. import training as tr
    from ..render import training as view
    from .train import _record, _write

    sheet = tr.read_sheet(answers, trainer.rulebook)
    results = trainer.grade_read_sheet(sheet)
    who = trainee or tr.default_trainee()
    data = tr.sheet_report(results, sheet=answers, rejected=sheet.rejected, is_key=sheet.is_key,
                           trainee=None if sheet.is_key else who)
    if report is not None:
        _write(report, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif results:
        view.results_table(out, results, trainer.rulebook, language, answers=True)
    err = render.stderr_console()
    if sheet.problems:
        render.print_error(err, tr.TrainingError(sheet.problems), language)
        err.print(_rejected_message(language, len(sheet.rejected), len(sheet.rejected) + len(results)),
                  soft_wrap=True, markup=False)
    if sheet.is_key:
        err.print(text("train.key_graded", language), soft_wrap=True, markup=False)
    else:
        _record(results, "sheet", who)
    if sheet.problems:
        raise Exit(2)


def _rejected_message(lang: str, rejected: int, total: int) -> str:
    return text("train.rejected", lang, rejected=rejected, total=total)
