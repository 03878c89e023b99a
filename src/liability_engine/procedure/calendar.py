"""Counting periods: the day after the triggering day, month ends, and the next working day.

How a period is counted is legal content (`counting:` in `rules/<version>/procedure/procedure.yaml`,
with its interpretation); this module does the arithmetic it describes:
  - a period of N days ends N days after the triggering day (the triggering day is not counted);
  - a period of N months ends on the corresponding day N months later, or on the last day of that
    month when it has no such day (30 November + 3 months → 28/29 February; 31 January + 3 → 30 April);
  - an end that falls on a day that is not a working day moves to the next working day.
Working days come from the `holidays` library's China calendar, which knows the public holidays,
the substituted days off and the weekends made working days (调休) of the years the State Council's
notices cover; for later years it knows fixed-date holidays and weekends only (`Calendar.known_until`).
"""

from __future__ import annotations

import calendar as _cal
import datetime as _dt
import functools
from dataclasses import dataclass
from typing import Any
from ..i18n import msg, pair

__all__ = ["add_days", "add_months", "Calendar", "Moved", "china_calendar"]


def add_days(day: _dt.date, n: int) -> _dt.date:
    return day + _dt.timedelta(days=n)


def add_months(day: _dt.date, n: int) -> _dt.date:
    """The corresponding day n months later; the month's last day when it has none."""
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return _dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Moved:
    """A day the end moved over, and why (a public holiday's name, or a rest day)."""

    day: _dt.date
    reason: str
    reason_zh: str


class Calendar:
    """Working days of mainland China, after the `holidays` library's China calendar."""

    def __init__(self) -> None:
        import holidays

        self._holidays = holidays
        self.library = f"holidays {holidays.__version__}"
        self._years: dict[int, Any] = {}
        probe = holidays.China(years=range(2015, _dt.date.today().year + 6))
        published = {d.year for d in probe.weekend_workdays} | {
            d.year for d, name in probe.items() if "substitut" in name.lower()}
        self.known_until = max(published) if published else None

    def _year(self, year: int) -> Any:
        cal = self._years.get(year)
        if cal is None:
            cal = self._years[year] = self._holidays.China(years=year, language="en_US")
        return cal

    def _zh(self, day: _dt.date) -> str | None:
        return self._holidays.China(years=day.year, language="zh_CN").get(day)

    def is_working_day(self, day: _dt.date) -> bool:
        return bool(self._year(day.year).is_working_day(day))

    def knows(self, day: _dt.date) -> bool:
        """Whether the calendar has the State Council's arrangement (调休) for this day's year."""
        return self.known_until is not None and day.year <= self.known_until

    def next_working_day(self, day: _dt.date) -> tuple[_dt.date, list[Moved]]:
        """`day` itself when it is a working day, else the first working day after it, with the days passed."""
        moved: list[Moved] = []
        while not self.is_working_day(day):
            name = self._year(day.year).get(day)
            if name:
                key = "in_lieu" if "substitut" in name.lower() else "holiday"
                said = msg(f"procedure.calendar.{key}", name=pair(name, self._zh(day) or name))
            else:
                said = msg("procedure.calendar.rest_day", weekday=msg(f"procedure.calendar.weekday.{day.weekday()}"))
            moved.append(Moved(day, str(said), said.zh))
            day += _dt.timedelta(days=1)
            if len(moved) > 40:  # no rest of that length exists; a broken calendar must not loop
                break
        return day, moved


@functools.lru_cache(maxsize=1)
def china_calendar() -> Calendar:
    return Calendar()
