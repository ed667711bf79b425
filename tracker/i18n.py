"""Translation helpers, locale selection and Vietnamese date formatting.

Vietnamese is the default locale; English is selectable per person or per session.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, request, session
from flask_babel import format_date, get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "format_date_formal", "format_date_short", "ngettext", "select_locale"]

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


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date_formal"] = format_date_formal_localized
    app.jinja_env.filters["date_short"] = format_date_short
