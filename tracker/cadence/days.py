"""Calendar arithmetic and the names of periods, shared by the schedule and its explanations.

Dates and lunar days (:func:`resolve_day`, :func:`lunar_span`), month ends and steps, the
stable occurrence-key part of a span of months (:func:`span_key`), and what a span, a week
of a month or a weekday is called (translatable messages, :mod:`tracker.cadence.wording`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from tracker.cadence.lunar import lunar_to_solar
from tracker.cadence.spec import Day, Span
from tracker.cadence.wording import N_, Msg

WEEKDAY_NAMES = (N_("thứ Hai"), N_("thứ Ba"), N_("thứ Tư"), N_("thứ Năm"), N_("thứ Sáu"),
                 N_("thứ Bảy"), N_("Chủ nhật"))  # fmt: skip
_WEEKS = {1: N_("tuần đầu tiên"), 2: N_("tuần thứ hai"), 3: N_("tuần thứ ba"),
          4: N_("tuần thứ tư")}  # fmt: skip
_LAST_WEEK = N_("tuần cuối cùng")
_ROMAN = ("I", "II", "III", "IV")


@lru_cache(maxsize=4096)
def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def dmy(day: dt.date) -> str:
    """ "05/02/2027": the date as people write it (faster than strftime, which it equals)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def day_month(day: int, month: int, *, padded: bool = False) -> str:
    """ "15/2" ("15/02" padded): a day of any year, as people write it."""
    return f"{day:02d}/{month:02d}" if padded else f"{day}/{month}"


def hour_minute(time: dt.time) -> str:
    """ "19:30": a time of day."""
    return f"{time.hour:02d}:{time.minute:02d}"


def resolve_day(day: Day, year: int) -> dt.date:
    """A named day in ``year``; day numbers past a month's end mean its last day ("cuối")."""
    if day.lunar:
        return lunar_to_solar(day.day, day.month, year)
    return min(dt.date(year, day.month, 1) + dt.timedelta(days=day.day - 1),
               last_day(year, day.month))  # fmt: skip


def lunar_span(span: Span, year: int) -> tuple[dt.date, dt.date]:
    """The solar first and last days of lunar months ``span.first``..``span.last``."""
    first = lunar_to_solar(1, span.first, year)
    following = lunar_to_solar(1, span.last + 1, year) if span.last < 12 else None
    if following is None:
        following = lunar_to_solar(1, 1, year + 1)
    return first, following - dt.timedelta(days=1)


def add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def range_start(anchor: Day, year: int) -> dt.date:
    """The first day of "từ D1 đến D2" whose last day is ``anchor`` in (solar or lunar)
    ``year``, in the same calendar: a first day later in the year than the last is in the
    year before ("từ 23 tháng Chạp đến mùng 6 tháng Giêng", "từ 01/12 đến 15/01")."""
    assert anchor.opens is not None
    day, month = anchor.opens
    if (month, day) > (anchor.month, anchor.day):
        year -= 1
    return resolve_day(Day(day, month, lunar=anchor.lunar), year)


def week_name(index: int) -> Msg:
    """ "tuần đầu tiên", "tuần thứ hai", …, "tuần cuối cùng": a week of a month."""
    return _WEEKS.get(index, _LAST_WEEK)


@lru_cache(maxsize=512)
def span_key(first: int, last: int) -> str:
    if first == last:
        return f"{first:02d}"
    if last - first == 2 and first % 3 == 1:
        return f"Q{(first + 2) // 3}"
    if (first, last) in ((1, 6), (7, 12)):
        return "H1" if first == 1 else "H2"
    return f"{first:02d}..{last:02d}"


def is_month_range(first: int, last: int) -> bool:
    """Is the span called "từ tháng A đến tháng B" (not a month, quarter, half or "N tháng
    đầu năm")?"""
    return ".." in span_key(first, last) and first != 1


@lru_cache(maxsize=4096)
def span_label(first: int, last: int, year: int | None) -> Msg:
    key = span_key(first, last)
    if key.startswith("Q"):
        quarter = _ROMAN[int(key[1]) - 1]
        if year is None:
            return N_("quý %(quarter)s", quarter=quarter)
        return N_("quý %(quarter)s/%(year)d", quarter=quarter, year=year)
    if key == "H1":
        return N_("6 tháng đầu năm %(year)d", year=year) if year else N_("6 tháng đầu năm")
    if key == "H2":
        return N_("6 tháng cuối năm %(year)d", year=year) if year else N_("6 tháng cuối năm")
    if first == last:
        if year is None:
            return N_("tháng %(month)d", month=first)
        return N_("tháng %(month)d/%(year)d", month=first, year=year)
    if first == 1:
        if year is None:
            return N_("%(months)d tháng đầu năm", months=last)
        return N_("%(months)d tháng đầu năm %(year)d", months=last, year=year)
    if year is None:
        return N_("từ tháng %(first)d đến tháng %(last)d", first=first, last=last)
    return N_("từ tháng %(first)d đến tháng %(last)d năm %(year)d",
              first=first, last=last, year=year)  # fmt: skip
