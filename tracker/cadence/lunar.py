"""Vietnamese lunar calendar: lunar (day, month, year) → solar date.

Vietnam's lunisolar calendar is computed for the meridian of UTC+7, China's for UTC+8. The
two disagree in some years (Tết 2030 is 2 February in Vietnam, 3 February in China), so a
Chinese lunar library is wrong here.

Named holidays (Tết Nguyên đán, Giỗ Tổ Hùng Vương) come from the ``holidays`` package's
Vietnamese calendar (:func:`tet_nguyen_dan`, :func:`gio_to_hung_vuong`). ``holidays`` only
knows those named days, so an arbitrary lunar date ("ngày 15 tháng 7 âm lịch", "Rằm tháng
Giêng") is computed with the astronomical algorithm published by Hồ Ngọc Đức (the one behind
most Vietnamese "âm lịch" tools): new moons and solar terms in local time, month 11 holds the
winter solstice, the first month without a major solar term in a 13-month year is the leap
month. The test suite checks that this algorithm agrees with ``holidays`` on Tết and Giỗ Tổ
for every year 1901-2099.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

from holidays.calendars.chinese import VIETNAMESE_CALENDAR, _ChineseLunisolar

VN_UTC_OFFSET_HOURS = 7.0
_JD_OFFSET = 1721425  # Julian day number of date.fromordinal(0)
_SYNODIC_MONTH = 29.530588853
_JD_NEW_MOON_1900 = 2415021.076998695

_VN_LUNISOLAR = _ChineseLunisolar(VIETNAMESE_CALENDAR)


def tet_nguyen_dan(year: int) -> dt.date:
    """Lunar new year (1/1 âm lịch) in Vietnam, from the ``holidays`` VN calendar."""
    day, _estimated = _VN_LUNISOLAR.lunar_new_year_date(year)
    return day if day is not None else lunar_to_solar(1, 1, year)


def gio_to_hung_vuong(year: int) -> dt.date:
    """Giỗ Tổ Hùng Vương (10/3 âm lịch), from the ``holidays`` VN calendar."""
    day, _estimated = _VN_LUNISOLAR.hung_kings_date(year)
    return day if day is not None else lunar_to_solar(10, 3, year)


def _jd(day: dt.date) -> int:
    return day.toordinal() + _JD_OFFSET


def _from_jd(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - _JD_OFFSET)


def _new_moon(k: int) -> float:
    """Julian day (UT, fractional) of the k-th new moon after 1 January 1900."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 -= 0.4068 * math.sin(mpr * dr) - 0.0161 * math.sin(dr * 2 * mpr)
    c1 -= 0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 -= 0.0074 * math.sin(dr * (m - mpr)) - 0.0004 * math.sin(dr * (2 * f + m))
    c1 -= 0.0004 * math.sin(dr * (2 * f - m)) + 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _new_moon_day(k: int) -> int:
    return math.floor(_new_moon(k) + 0.5 + VN_UTC_OFFSET_HOURS / 24)


def _sun_longitude_sector(jdn: int) -> int:
    """Which of the 12 major solar terms (30° sectors) the sun is in at local midnight."""
    t = (jdn - 0.5 - VN_UTC_OFFSET_HOURS / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= math.pi * 2 * math.floor(longitude / (math.pi * 2))
    return math.floor(longitude / math.pi * 6)


@lru_cache(maxsize=512)
def _lunar_month_11(year: int) -> int:
    """Julian day on which the lunar month holding the winter solstice of ``year`` starts."""
    k = math.floor((_jd(dt.date(year, 12, 31)) - 2415021) / _SYNODIC_MONTH)
    start = _new_moon_day(k)
    if _sun_longitude_sector(start) >= 9:
        start = _new_moon_day(k - 1)
    return start


def _leap_month_offset(month_11_start: int) -> int:
    k = math.floor((month_11_start - _JD_NEW_MOON_1900) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i))
        if arc == last or i >= 14:
            break
    return i - 1


@lru_cache(maxsize=4096)
def _month_start(month: int, year: int) -> tuple[int, int]:
    """Julian days of the first day of lunar ``month`` of ``year`` and of the next month."""
    if month < 11:
        a11, b11 = _lunar_month_11(year - 1), _lunar_month_11(year)
    else:
        a11, b11 = _lunar_month_11(year), _lunar_month_11(year + 1)
    k = math.floor(0.5 + (a11 - _JD_NEW_MOON_1900) / _SYNODIC_MONTH)
    offset = (month - 11) % 12
    # In a 13-month year the months from the leap month on are one new moon later.
    if b11 - a11 > 365 and offset >= _leap_month_offset(a11):
        offset += 1
    return _new_moon_day(k + offset), _new_moon_day(k + offset + 1)


def lunar_to_solar(day: int, month: int, year: int) -> dt.date:
    """The solar date of lunar ``day``/``month`` (never the leap month) of lunar ``year``.

    Raises ValueError for a day that month does not have (a 30th in a 29-day month).
    """
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError(f"no lunar date {day}/{month}")
    start, next_start = _month_start(month, year)
    if day > next_start - start:
        raise ValueError(f"lunar month {month}/{year} has only {next_start - start} days")
    return _from_jd(start + day - 1)
