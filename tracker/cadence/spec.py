"""What the grammar makes of a phrase: clauses, before any calendar is consulted.

A :class:`Spec` is the parsed meaning of one phrase: an optional repeating unit ("hằng
quý"), anchors (the days and periods named: "15/02", "Quý I", "Tết Nguyên đán", "thứ Năm"),
a year scope ("Từ năm 2027", "Năm 2027 và năm 2030"), qualifiers ("trước", "chậm nhất") and
flags for ongoing and on-demand work. :mod:`tracker.cadence.schedule` turns it into dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Unit(StrEnum):
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
    """A named day: "15/02", "ngày 15 tháng 12 năm 2026", "ngày 10/3 âm lịch"."""

    day: int
    month: int
    year: int | None = None
    lunar: bool = False
    opens: tuple[int, int] | None = None  # (day, month) of "từ ngày D1 đến ngày D2"


@dataclass(frozen=True)
class Span:
    """Months ``first``..``last`` of a year: a month, a quarter, a half, "từ tháng 3 đến 5"."""

    first: int
    last: int
    year: int | None = None
    lunar: bool = False


@dataclass(frozen=True)
class YearWhole:
    """The whole year: "Hằng năm", "Cả năm", "trong năm", "Năm 2026"."""


@dataclass(frozen=True)
class PeriodPoint:
    """A day in every period of a unit: "ngày 15 hằng tháng", "cuối quý", "đầu tháng"."""

    unit: Unit
    part: Part | None = None
    day: int | None = None  # day of month (for MONTH)


@dataclass(frozen=True)
class QuarterMonth:
    """One month of every quarter: "tháng cuối quý" (3), "tháng đầu quý" (1); with ``day``
    a day of that month: "ngày 20 tháng cuối quý", "ngày 15 của tháng cuối quý"."""

    index: int
    day: int | None = None


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


Anchor = Day | Span | YearWhole | PeriodPoint | QuarterMonth | Weekday | Holiday


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
    unit: Unit | None = None
    anchors: list[Anchor] = field(default_factory=list)
    scope: YearScope = field(default_factory=YearScope)
    before: bool = False  # "trước (ngày) D"
    deadline: bool = False  # "chậm nhất", "hạn chót", "không quá"
    ongoing: bool = False
    on_demand: bool = False
    event: bool = False  # "nhân dịp …": the named days are events, never shifted
    major_holidays: bool = False  # "các ngày lễ lớn"
    blocked: str | None = None  # why the phrase cannot be trusted

    def add_unit(self, unit: Unit) -> None:
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
