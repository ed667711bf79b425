"""What the grammar makes of a phrase: clauses, before any calendar is consulted.

A :class:`Spec` is the parsed meaning of one phrase: an optional repeating unit ("hằng
quý"), anchors (the days and periods named: "15/02", "Quý I", "Tết Nguyên đán", "thứ Năm"),
a year scope ("Từ năm 2027", "Năm 2027 và năm 2030"), qualifiers ("trước", "chậm nhất") and
flags for ongoing and on-demand work. :mod:`tracker.cadence.schedule` turns it into dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from tracker.cadence.wording import Msg


class TimeUnit(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"


class Part(StrEnum):
    """Civil Code 2015 art. 146: đầu/giữa/cuối of a month, quarter or year."""

    START = "đầu"
    MIDDLE = "giữa"
    END = "cuối"


@dataclass(frozen=True)
class Day:
    """A named day: "15/02", "ngày 15 tháng 12 năm 2026", "ngày 10/3 âm lịch".

    ``opens`` is the first day of "từ ngày D1 đến ngày D2" (same calendar as the day; a
    first day later in the year than the last is in the year before: "từ 23 tháng Chạp đến
    mùng 6 tháng Giêng"). ``year_offset`` 1 is "… của năm kế tiếp": the day in the year after
    the one reported on. ``weekday`` is a weekday written beside the date ("Thứ Bảy, ngày
    21/3/2026"), already checked against it. ``from_now``: "từ nay đến …", open from the
    plan's issue. ``named_as`` says how a day was chosen ("thượng tuần tháng 5 (ngày 1-10)").
    """

    day: int
    month: int
    year: int | None = None
    lunar: bool = False
    opens: tuple[int, int] | None = None  # (day, month) of "từ ngày D1 đến ngày D2"
    year_offset: int = 0
    weekday: int | None = None
    from_now: bool = False
    named_as: Msg | None = None


@dataclass(frozen=True)
class Span:
    """Months ``first``..``last`` of a year: a month, a quarter, a half, "từ tháng 3 đến 5"."""

    first: int
    last: int
    year: int | None = None
    lunar: bool = False
    year_offset: int = 0  # "quý I của năm kế tiếp năm báo cáo"
    ranged: bool = False  # written "từ tháng 3 đến tháng 10"


@dataclass(frozen=True)
class YearWhole:
    """The whole year: "Hằng năm", "Cả năm", "trong năm", "Năm 2026"."""


@dataclass(frozen=True)
class PeriodPoint:
    """A day in every period of a unit: "ngày 15 hằng tháng", "cuối quý", "đầu tháng"."""

    unit: TimeUnit
    part: Part | None = None
    day: int | None = None  # day of month (for MONTH)
    offset: int = 0  # periods later: "ngày 20 của tháng liền kề" is 1
    opens_day: int | None = None  # "từ ngày 2 đến ngày 6 hằng tháng": opens on the 2nd


@dataclass(frozen=True)
class QuarterMonth:
    """One month of every quarter: "tháng cuối quý" (3), "tháng đầu quý" (1); with ``day``
    a day of that month: "ngày 20 tháng cuối quý", "ngày 15 của tháng cuối quý"."""

    index: int
    day: int | None = None
    offset: int = 0  # "ngày 10 của tháng đầu quý sau": the next quarter's first month


@dataclass(frozen=True)
class MonthWeek:
    """A week of a month, counted in blocks of seven days from the 1st: week 1 is days 1-7,
    week 2 days 8-14, week 3 days 15-21, week 4 days 22-28; the last week (``index`` -1) is
    the month's last seven days. With ``weekday`` (ISO) that day of the week ("thứ Năm của
    tuần thứ ba" is the third Thursday); with ``month`` that month of each year only."""

    index: int
    weekday: int | None = None
    month: int | None = None


@dataclass(frozen=True)
class AfterEnd:
    """ "N ngày kể từ ngày kết thúc năm|quý|tháng": N days after each period ends."""

    unit: TimeUnit
    days: int


@dataclass(frozen=True)
class Weekday:
    """A day of every week, ISO numbering (1 = thứ Hai … 7 = Chủ nhật)."""

    iso: int


@dataclass(frozen=True)
class Holiday:
    """A named holiday, by slug (see :data:`tracker.cadence.vn_calendar.HOLIDAYS`); with
    ``year`` that year's only: "Tết Nguyên đán 2027", "Tết Nguyên đán Bính Ngọ"."""

    slug: str
    year: int | None = None


Anchor = (
    Day | Span | YearWhole | PeriodPoint | QuarterMonth | Weekday | Holiday | MonthWeek | AfterEnd
)


@dataclass
class YearScope:
    """Which years a phrase covers; None fields mean "not said"."""

    years: set[int] = field(default_factory=set)
    from_year: int | None = None
    to_year: int | None = None
    following: bool = False  # "những năm tiếp theo"
    relative: int | None = None  # "năm sau" = +1, "năm nay" = 0 (to the issue year)

    @property
    def is_empty(self) -> bool:
        return (
            not self.years
            and self.from_year is None
            and not self.following
            and self.relative is None
        )


@dataclass
class Spec:
    unit: TimeUnit | None = None
    anchors: list[Anchor] = field(default_factory=list)
    scope: YearScope = field(default_factory=YearScope)
    before: bool = False  # "trước (ngày) D"
    deadline: bool = False  # "chậm nhất", "hạn chót", "không quá"
    ongoing: bool = False
    on_demand: bool = False
    event: bool = False  # "nhân dịp …": the named days are events, never shifted
    major_holidays: bool = False  # "các ngày lễ lớn"
    blocked: str | None = None  # why the phrase cannot be trusted
    months: frozenset[int] | None = None  # "hằng tháng (từ tháng 3 đến tháng 10)"
    # "từ 19 giờ 30 đến 21 giờ" (start, end); "trước 17 giờ", "chậm nhất 17h" (None, end)
    times: tuple[dt.time | None, dt.time | None] | None = None
    before_time: bool = False  # "trước 17 giờ ngày 30/6": before the hour, on the day itself
    label: str | None = None  # of one deadline among several: "đợt 1", "báo cáo năm"

    def add_unit(self, unit: TimeUnit) -> None:
        if self.unit is not None and self.unit is not unit:
            self.blocked = f"hai nhịp khác nhau: {self.unit} và {unit}"
        self.unit = unit

    @property
    def has_content(self) -> bool:
        return bool(
            self.unit
            or self.anchors
            or not self.scope.is_empty
            or self.ongoing
            or self.on_demand
            or self.major_holidays
        )
