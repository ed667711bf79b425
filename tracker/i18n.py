"""Translation helpers, locale selection and Vietnamese date formatting.

Vietnamese is the default locale; English is selectable per person or per session.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, request, session
from flask_babel import format_date, get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user

from tracker.cadence.days import hour_minute
from tracker.cadence.keys import KeyKind, OccurrenceKey, parse_key
from tracker.cadence.vn_calendar import HOLIDAYS
from tracker.cadence.wording import Text

_ = gettext
_l = lazy_gettext
__all__ = [
    "_",
    "_l",
    "format_date_formal",
    "format_date_short",
    "ngettext",
    "occurrence_label",
    "render_explanation",
    "select_locale",
]

LANGUAGES = ("vi", "en")


def select_locale() -> str:
    """Session choice, then the person's preference, then Vietnamese."""
    chosen = session.get("locale") if request else None
    if chosen in LANGUAGES:
        return str(chosen)
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    return "vi"


def format_date_formal(day: dt.date | None) -> str:
    """The administrative style: "ngày 05 tháng 02 năm 2026"."""
    if day is None:
        return ""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def format_date_short(day: dt.date | None) -> str:
    """Tables: "05/02/2026"."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_date_formal_localized(day: dt.date | None) -> str:
    """Pages: the administrative style in Vietnamese, Babel's long date in English
    ("16 tháng 11" is not English; "November 16, 2026" is)."""
    if day is None:
        return ""
    if str(get_locale() or "vi") == "vi":
        return format_date_formal(day)
    return str(format_date(day, format="long"))


_ROMAN = ("I", "II", "III", "IV")
_WEEKDAYS = (
    _l("thứ Hai"), _l("thứ Ba"), _l("thứ Tư"), _l("thứ Năm"), _l("thứ Sáu"), _l("thứ Bảy"),
    _l("Chủ nhật"),
)  # fmt: skip


def occurrence_label(key: str | None) -> str:
    """A task occurrence in words ("Quý II/2026", "Tết Nguyên đán 2026"), so the check-ins of
    one recurring task can be told apart; "" for a plain year (the year is shown anyway) and
    for keys the deadline engine never makes. The key's parts come from the engine
    (:func:`tracker.cadence.keys.parse_key`)."""
    parts = parse_key(key)
    if parts is None or parts.kind is KeyKind.YEAR:
        return ""
    year = parts.year
    if parts.kind is KeyKind.WEEK:
        label = _("Tuần %(week)d/%(year)d", week=parts.week, year=year)
        if parts.weekday:
            label = f"{label}, {_WEEKDAYS[parts.weekday - 1]}"
        return label
    if parts.kind is KeyKind.LUNAR:
        if parts.day:
            return _("Ngày %(day)d/%(month)d âm lịch năm %(year)d",
                     day=parts.day, month=parts.month, year=year)  # fmt: skip
        if parts.last_month:
            return _("Từ tháng %(first)d đến tháng %(last)d âm lịch năm %(year)d",
                     first=parts.month, last=parts.last_month, year=year)  # fmt: skip
        return _("Tháng %(month)d âm lịch năm %(year)d", month=parts.month, year=year)
    if parts.kind is KeyKind.HOLIDAY:
        # Holiday names are the documents' own Vietnamese, in English pages too.
        return f"{HOLIDAYS[parts.holiday or ''].name} {year}"
    return _period_label(parts)


def _period_label(parts: OccurrenceKey) -> str:
    year, day = parts.year, parts.day
    if parts.kind is KeyKind.QUARTER:
        label = _("Quý %(quarter)s/%(year)d", quarter=_ROMAN[(parts.quarter or 1) - 1], year=year)
    elif parts.kind is KeyKind.HALF:
        label = _("6 tháng đầu năm %(year)d", year=year) if parts.half == 1 \
            else _("6 tháng cuối năm %(year)d", year=year)  # fmt: skip
    elif parts.last_month:
        label = _("Từ tháng %(first)d đến tháng %(last)d/%(year)d",
                  first=parts.month, last=parts.last_month, year=year)  # fmt: skip
    elif parts.kind is KeyKind.DAY:  # a day of the year: "2026-06-14"
        try:
            return _("Ngày %(date)s",
                     date=format_date_short(dt.date(year, parts.month or 1, day or 1)))  # fmt: skip
        except ValueError:
            return ""
    else:
        label = _("Tháng %(month)d/%(year)d", month=parts.month, year=year)
    if day:
        label = _("%(period)s, ngày %(day)d", period=label, day=day)
    return label


def task_hours(task: object) -> str:
    """A task's hours on its due day, Vietnam time: "từ 19:30 đến 21:00", "lúc 07:30",
    "đến 17:00"; "" for an all-day deadline."""
    start: dt.time | None = getattr(task, "start_time", None)
    end: dt.time | None = getattr(task, "end_time", None)
    if start is not None and end is not None:
        return _("từ %(start)s đến %(end)s", start=hour_minute(start), end=hour_minute(end))
    if start is not None:
        return _("lúc %(time)s", time=hour_minute(start))
    if end is not None:
        return _("đến %(time)s", time=hour_minute(end))
    return ""


def render_explanation(text: Text | str | None) -> str:
    """The deadline engine's explanation in the reader's language: its messages go through
    gettext here, the pure engine cannot. A plain string (an explanation written before the
    engine made messages, or someone's own words) is shown as it is."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.render(gettext)


def name_in_sentence(name: str) -> str:
    """A unit's name inside a sentence: a group ("Các phòng, cơ quan, đơn vị") is a common
    noun and loses its capital ("Việc dưới đây của các phòng…"); a unit's own name keeps it."""
    if name.startswith(("Các ", "Những ")):
        return name[0].lower() + name[1:]
    return name


def init_app(app: Flask) -> None:
    app.jinja_env.filters["in_sentence"] = name_in_sentence
    app.jinja_env.filters["date_formal"] = format_date_formal_localized
    app.jinja_env.filters["date_short"] = format_date_short
    app.jinja_env.filters["occurrence"] = occurrence_label
    app.jinja_env.filters["task_hours"] = task_hours
    app.jinja_env.filters["explained"] = render_explanation
