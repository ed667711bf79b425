"""RFC 5545 RRULEs of a schedule's nominal (unshifted) due dates.

A rule is given only when one exists that says exactly the schedule's dates: a yearly day,
a day (or the last day) of each month, a day of some months, the Nth weekday of a month
("thứ Năm của tuần thứ ba" is BYDAY=3TH), weekdays; lunar dates, holidays and lists of
single dates have none (None). Dates are computed from two sample years and must agree.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tracker.cadence.days import last_day
from tracker.cadence.model import Kind
from tracker.cadence.spec import Anchor, Holiday, MonthWeek, TimeUnit, Weekday

if TYPE_CHECKING:
    from tracker.cadence.schedule import Schedule

CHECKIN_UNIT = {
    "quarter": TimeUnit.QUARTER,
    "month": TimeUnit.MONTH,
    "half": TimeUnit.HALF,
    "year": TimeUnit.YEAR,
}
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def schedule_rrule(schedule: Schedule) -> str | None:
    """The RRULE of ``schedule``, None when none fits."""
    kind, spec = schedule.kind, schedule.spec
    if kind in (Kind.UNKNOWN, Kind.ON_DEMAND, Kind.ONCE, Kind.HOLIDAYS):
        return None
    until = schedule.years.last
    tail = f";UNTIL={until}1231" if until is not None else ""
    unit = CHECKIN_UNIT[schedule.settings.ongoing_checkin] if kind is Kind.ONGOING else spec.unit
    anchors = [] if kind is Kind.ONGOING else schedule._anchors()
    if unit is TimeUnit.WEEK:
        days = [a.iso for a in anchors if isinstance(a, Weekday)] or [5]
        return "FREQ=WEEKLY;BYDAY=" + ",".join(_BYDAY[d - 1] for d in days) + tail
    weeks = [a for a in anchors if isinstance(a, MonthWeek)]
    if weeks:
        return _month_week_rrule(weeks, len(anchors), tail)
    if unit is TimeUnit.MONTH and spec.months is not None:
        rule = _periodic_rrule(schedule, unit, anchors, tail)
        months = ",".join(str(m) for m in sorted(spec.months))
        if rule is None:
            return None
        return rule.replace("FREQ=MONTHLY;", f"FREQ=MONTHLY;BYMONTH={months};")
    if unit in (TimeUnit.MONTH, TimeUnit.QUARTER, TimeUnit.HALF):
        assert unit is not None
        return _periodic_rrule(schedule, unit, anchors, tail)
    return _yearly_rrule(schedule, anchors, tail)


def _periodic_rrule(
    schedule: Schedule, unit: TimeUnit, anchors: list[Anchor], tail: str
) -> str | None:
    checkin = not anchors or schedule.kind is Kind.ONGOING
    dues = [slot.due_on for slot in schedule._periodic(unit, [2027, 2028], checkin)]
    days = _month_days(dues)
    if days is None or any(d.year not in (2027, 2028) for d in dues):
        return None
    if unit is TimeUnit.MONTH:
        return f"FREQ=MONTHLY;BYMONTHDAY={days}{tail}"
    months = ",".join(str(m) for m in sorted({d.month for d in dues}))
    return f"FREQ=YEARLY;BYMONTH={months};BYMONTHDAY={days}{tail}"


def _yearly_rrule(schedule: Schedule, anchors: list[Anchor], tail: str) -> str | None:
    if any(isinstance(a, Holiday) or getattr(a, "lunar", False) for a in anchors):
        return None
    dues = [schedule._year_slot(a, y, True).due_on for a in anchors for y in (2027, 2028)]
    days = _month_days(dues)
    if days is None or any(d.year not in (2027, 2028) for d in dues):
        return None
    months = ",".join(str(m) for m in sorted({d.month for d in dues}))
    return f"FREQ=YEARLY;BYMONTH={months};BYMONTHDAY={days}{tail}"


def _month_week_rrule(weeks: list[MonthWeek], anchors: int, tail: str) -> str | None:
    """ "thứ Năm của tuần thứ ba" is BYDAY=3TH: seven-day blocks from the 1st make the Nth
    weekday of the month; a week without a weekday is due on its last day (7N, or -1)."""
    if len(weeks) != 1 or anchors != 1:
        return None
    week = weeks[0]
    months = f"BYMONTH={week.month};" if week.month is not None else ""
    freq = "FREQ=YEARLY;" if week.month is not None else "FREQ=MONTHLY;"
    if week.weekday is not None:
        return f"{freq}{months}BYDAY={week.index}{_BYDAY[week.weekday - 1]}{tail}"
    day = 7 * week.index if week.index > 0 else -1
    return f"{freq}{months}BYMONTHDAY={day}{tail}"


def _month_days(dues: list[dt.date]) -> str | None:
    """BYMONTHDAY for these dates: -1 when all are month ends of different lengths."""
    days = {d.day for d in dues}
    ends = [d == last_day(d.year, d.month) for d in dues]
    if len(days) > 1 and all(ends):
        return "-1"
    if len(days) > 1 and any(ends):
        return None  # "ngày 15 và cuối tháng": no single BYMONTHDAY list says it
    return ",".join(str(day) for day in sorted(days))
