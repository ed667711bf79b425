"""Vietnam's working days and named holidays.

Working days are Monday to Friday minus the public holidays of the ``holidays`` package's
Vietnam calendar (Tết Dương lịch, the Tết Nguyên đán break, Giỗ Tổ Hùng Vương, 30/4, 1/5,
Quốc khánh, Ngày Văn hoá Việt Nam from 2026, and their compensatory days off).

Civil Code 2015 art. 148(5): when the last day of a time limit is a weekend day or a public
holiday, the limit ends at the end of the next working day. :func:`next_working_day` applies
that rule; the schedule decides when it applies (never to the day of an event). A deadline
written "trước ngày D" is never due on or after D, so it moves the other way:
:func:`previous_working_day`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from tracker.cadence.lunar import gio_to_hung_vuong, lunar_to_solar, tet_nguyen_dan


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class NamedHoliday:
    slug: str
    name: str  # as written in Vietnamese
    solar: tuple[int, int] | None = None  # (day, month)
    lunar: tuple[int, int] | None = None  # (day, month) âm lịch

    def on(self, year: int) -> dt.date:
        """The holiday's date in solar ``year``."""
        if self.slug == "tet-nguyen-dan":
            return tet_nguyen_dan(year)
        if self.slug == "gio-to-hung-vuong":
            return gio_to_hung_vuong(year)
        if self.lunar is not None:
            return lunar_to_solar(self.lunar[0], self.lunar[1], year)
        assert self.solar is not None
        return dt.date(year, self.solar[1], self.solar[0])


HOLIDAYS: dict[str, NamedHoliday] = {
    h.slug: h
    for h in (
        NamedHoliday("tet-duong-lich", "Tết Dương lịch", solar=(1, 1)),
        NamedHoliday("tet-nguyen-dan", "Tết Nguyên đán", lunar=(1, 1)),
        NamedHoliday("ram-thang-gieng", "Rằm tháng Giêng", lunar=(15, 1)),
        NamedHoliday("gio-to-hung-vuong", "Giỗ Tổ Hùng Vương", lunar=(10, 3)),
        NamedHoliday("giai-phong-mien-nam", "Ngày Giải phóng miền Nam (30/4)", solar=(30, 4)),
        NamedHoliday("quoc-te-lao-dong", "Ngày Quốc tế Lao động (1/5)", solar=(1, 5)),
        NamedHoliday("vu-lan", "Lễ Vu Lan", lunar=(15, 7)),
        NamedHoliday("quoc-khanh", "Quốc khánh (2/9)", solar=(2, 9)),
        NamedHoliday("trung-thu", "Tết Trung thu", lunar=(15, 8)),
        NamedHoliday("van-hoa-viet-nam", "Ngày Văn hoá Việt Nam (24/11)", solar=(24, 11)),
    )
}

# "Các ngày lễ lớn": the national holidays of the Labour Code (art. 112), in calendar order.
MAJOR_HOLIDAYS = (
    "tet-duong-lich",
    "tet-nguyen-dan",
    "gio-to-hung-vuong",
    "giai-phong-mien-nam",
    "quoc-te-lao-dong",
    "quoc-khanh",
)
