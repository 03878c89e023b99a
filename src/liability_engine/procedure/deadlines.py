"""The deadlines of the route: each period the procedure rules set, dated from the facts' days and
counted as `procedure.yaml` says (`calendar`): whether it applies, when it started, its nominal and
actual end (moved over holidays), any extension, and whether it was met, is running or has passed."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..i18n import msg
from ..facts.procedure import UNKNOWN, ProcedureDates, ProcedureFacts
from ..rulebook.conditions import evaluate
from .calendar import add_days, add_months, china_calendar
from .model import DayMoved, Deadline
from .rules import ProcDeadline

__all__ = ["deadline"]

Warnings = list[tuple[str, str]]  # (en, zh)


def deadline(d: ProcDeadline, fact: dict[str, Any], block: ProcedureFacts | None, as_of: _dt.date) -> Deadline:
    """Deadline `d` on `as_of`, for the route's fact (which decides whether it applies) and the facts' days."""
    dates = (block or ProcedureFacts()).dates
    base = _described(d)
    if not evaluate(d.condition, fact):
        return Deadline(status="not_applicable", **base)
    trigger = getattr(dates, d.from_field)
    if trigger is None:
        return Deadline(status="not_started", **base)
    if trigger == UNKNOWN:
        said = msg("procedure.deadline.day_unknown", field=d.from_field)
        return Deadline(status="undetermined", warnings=[str(said)], warnings_zh=[said.zh], **base)
    warnings: Warnings = []
    months, extra_days, ext_en, ext_zh = _extension(d, dates, warnings)
    if months is not None and d.period.months is not None:
        nominal = add_months(trigger, months)
    else:
        nominal = add_days(trigger, (d.period.days or 0) + extra_days)
    cal = china_calendar()
    end, moved = cal.next_working_day(nominal)
    if not cal.knows(end):
        _warn(warnings, "procedure.deadline.calendar_unknown", year=end.year)
    status, extra = _status(d, dates, end, as_of)
    return Deadline(status=status, trigger_date=trigger, starts=add_days(trigger, 1), nominal_end=nominal, ends=end,
                    moved_over=[DayMoved(day=m.day, reason=m.reason, reason_zh=m.reason_zh) for m in moved],
                    extension=ext_en, extension_zh=ext_zh, warnings=[w[0] for w in warnings],
                    warnings_zh=[w[1] for w in warnings], **extra, **base)


def _period_text(spec: Any) -> tuple[str, str]:
    said = msg("procedure.deadline.days", n=spec.days) if spec.days is not None else \
        msg("procedure.deadline.months", n=spec.months)
    return str(said), said.zh


def _described(d: ProcDeadline) -> dict[str, Any]:
    """What the deadline is, whatever its status: who, what, from which day, for how long, and its provision."""
    period_en, period_zh = _period_text(d.period)
    interp = d.interpretation
    return dict(
        id=d.id, kind=d.kind, title=d.title.en, title_zh=d.title.zh, who=d.who.en, who_zh=d.who.zh,
        provision=d.provision.ref(d.version), trigger_field=f"procedure.dates.{d.from_field}",
        period=period_en, period_zh=period_zh,
        done_field=f"procedure.dates.{d.done_by}" if d.done_by else None, interpretation=interp is not None,
        interpretation_reason=interp.reason if interp else None,
        interpretation_reason_zh=interp.reason_zh if interp else None)


def _extension(d: ProcDeadline, dates: ProcedureDates,
               warnings: Warnings) -> tuple[int | None, int, str | None, str | None]:
    """(months of the period with the extension approved, extra days, the extension in en and zh)."""
    months = d.period.months
    if d.extension is None or getattr(dates, d.extension.approved) is None:
        return months, 0, None, None
    by = d.extension.by
    if by.months is None:
        extra_days = by.days or 0
        said = msg("procedure.deadline.extended_days", n=extra_days)
        return months, extra_days, str(said), said.zh
    amount = getattr(dates, d.extension.amount) if d.extension.amount else None
    most = by.months
    if isinstance(amount, int):
        if amount > most:
            _warn(warnings, "procedure.deadline.extension_exceeds", amount=amount, most=most)
        got = min(amount, most)
    else:
        got = most
        _warn(warnings, "procedure.deadline.extension_unknown", most=most)
    said = msg("procedure.deadline.extended_months", n=got)
    return (months or 0) + got, 0, str(said), said.zh


def _warn(warnings: Warnings, key: str, **params: Any) -> None:
    said = msg(key, **params)
    warnings.append((str(said), said.zh))


def _status(d: ProcDeadline, dates: ProcedureDates, end: _dt.date, as_of: _dt.date) -> tuple[str, dict[str, Any]]:
    """Met, late, done (on an unknown day), running, overdue (a duty) or lapsed (a window), with its days."""
    done = getattr(dates, d.done_by) if d.done_by else None
    if done == UNKNOWN:
        return "done", {}
    if isinstance(done, _dt.date):
        return ("met" if done <= end else "late"), {"done_on": done, "days_over": (done - end).days if done > end else None}
    if as_of <= end:
        return "running", {"days_left": (end - as_of).days}
    return ("overdue" if d.kind == "duty" else "lapsed"), {"days_over": (as_of - end).days}
