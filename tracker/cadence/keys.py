"""Occurrence keys: the stable identity of one occurrence inside its task, read back.

The schedule (:mod:`tracker.cadence.schedule`) writes a key per occurrence, the year first:
"2026" (the year), "2026-Q2", "2026-H1", "2026-03", "2026-03..05" (a span of months),
"2026-03-15" (a day), a period with a day ("2026-Q2-15"), "2026-W05" and "2026-W05-3" (an ISO
week and weekday), lunar "2026-al-01", "2026-al-01..03", "2026-al-01-15", and a holiday's slug
("2026-tet-nguyen-dan"). Task rows store the key as text; :func:`parse_key` gives its parts
back so other layers (the pages' occurrence labels) never re-parse the string themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tracker.cadence.vn_calendar import HOLIDAYS


class KeyKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    HALF = "half"
    MONTHS = "months"  # one month, or a span of months (``last_month``)
    DAY = "day"  # a day of the year (month and day)
    WEEK = "week"
    LUNAR = "lunar"  # a lunar month, span of months, or day
    HOLIDAY = "holiday"


@dataclass(frozen=True)
class OccurrenceKey:
    """The parts of an occurrence key; fields that do not apply are None.

    ``day`` is the day of a day key, or the day inside a period ("2026-Q2-15": quarter 2,
    day 15); ``weekday`` the ISO weekday of a week key with several weekdays.
    """

    kind: KeyKind
    year: int
    quarter: int | None = None
    half: int | None = None
    month: int | None = None
    last_month: int | None = None
    day: int | None = None
    week: int | None = None
    weekday: int | None = None
    holiday: str | None = None


_PERIOD = r"(?:Q(?P<q>[1-4])|H(?P<h>[12])|(?P<m>\d\d)(?:\.\.(?P<m2>\d\d))?)"
_SOLAR = re.compile(rf"(?P<year>\d{{4}})-{_PERIOD}(?:-(?P<day>\d\d))?")
_WEEK = re.compile(r"(?P<year>\d{4})-W(?P<week>\d\d)(?:-(?P<iso>[1-7]))?")
_LUNAR = re.compile(r"(?P<year>\d{4})-al-(?P<m>\d\d)(?:\.\.(?P<m2>\d\d)|-(?P<day>\d\d))?")
_HOLIDAY = re.compile(r"(?P<year>\d{4})-(?P<slug>[a-z][a-z-]*)")


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def parse_key(key: str | None) -> OccurrenceKey | None:
    """The parts of ``key``; None for text that is no key the engine makes."""
    key = (key or "").strip()
    if key.isdigit() and len(key) == 4:
        return OccurrenceKey(KeyKind.YEAR, int(key))
    if match := _SOLAR.fullmatch(key):
        year, day = int(match["year"]), _int(match["day"])
        if match["q"]:
            return OccurrenceKey(KeyKind.QUARTER, year, quarter=int(match["q"]), day=day)
        if match["h"]:
            return OccurrenceKey(KeyKind.HALF, year, half=int(match["h"]), day=day)
        month = int(match["m"])
        if not 1 <= month <= 12:
            return None
        if day is not None and not match["m2"]:
            return OccurrenceKey(KeyKind.DAY, year, month=month, day=day)
        return OccurrenceKey(KeyKind.MONTHS, year, month=month, last_month=_int(match["m2"]),
                             day=day)  # fmt: skip
    if match := _WEEK.fullmatch(key):
        return OccurrenceKey(KeyKind.WEEK, int(match["year"]), week=int(match["week"]),
                             weekday=_int(match["iso"]))  # fmt: skip
    if match := _LUNAR.fullmatch(key):
        return OccurrenceKey(KeyKind.LUNAR, int(match["year"]), month=int(match["m"]),
                             last_month=_int(match["m2"]), day=_int(match["day"]))  # fmt: skip
    if (match := _HOLIDAY.fullmatch(key)) and match["slug"] in HOLIDAYS:
        return OccurrenceKey(KeyKind.HOLIDAY, int(match["year"]), holiday=match["slug"])
    return None
