"""How the dashboards write their numbers, levels, age buckets and the city's columns."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal
from flask import abort, request
from flask_babel import get_locale

from tracker.i18n import _, _l
from tracker.services.city_rollups import CITY_SORT_COLUMNS
from tracker.web.dashboards.blueprint import bp

BUCKET_LABELS = {
    "1-7": _l("1-7 ngày"),
    "8-30": _l("8-30 ngày"),
    "31-90": _l("31-90 ngày"),
    "91+": _l("Trên 90 ngày"),
}
# The same ranges as headings over the board's list: "Quá hạn trên 90 ngày", not "Quá hạn Trên".
BUCKET_HEADINGS = {
    "1-7": _l("Quá hạn 1-7 ngày"),
    "8-30": _l("Quá hạn 8-30 ngày"),
    "31-90": _l("Quá hạn 31-90 ngày"),
    "91+": _l("Quá hạn trên 90 ngày"),
}
# The city table's headers, in the order shown, for every column of the roll-up service's
# CITY_SORT_COLUMNS (the one list of them; tests check each has a header). The server sorts.
CITY_COLUMNS = {
    "name": _l("Xã, phường, đặc khu"),
    "plans": _l("Kế hoạch"),
    "tasks": _l("Số việc"),
    "progress": _l("Tiến độ"),
    "on_time": _l("Tỷ lệ đúng hạn"),
    "overdue": _l("Quá hạn"),
    "points": _l("Điểm đạt được"),
    "registered": _l("Mức đăng ký"),
    "reached": _l("Mức đạt"),
}

# Columns whose natural first click is "largest first": all but the name.
DESCENDING_FIRST = frozenset(CITY_SORT_COLUMNS) - {"name"}


def city_sort() -> tuple[str, bool]:
    """The city table's ``sap_xep`` and ``chieu`` (tang/giam): its column, largest first?"""
    sort = request.args.get("sap_xep", "name")
    if sort not in CITY_SORT_COLUMNS:
        abort(400, description=_("Không sắp xếp được theo cột “%(column)s”.", column=sort))
    order = request.args.get("chieu", "giam" if sort in DESCENDING_FIRST else "tang")
    if order not in {"tang", "giam"}:
        abort(400, description=_("Chiều sắp xếp phải là “tang” hoặc “giam”."))
    return sort, order == "giam"


def percent(value: float | None) -> str:
    """A share as a whole percentage ("33%"); a dash when there is nothing to measure.

    Vietnamese and English write a whole percentage alike, so this skips Babel, which the
    city table would otherwise call hundreds of times a page.
    """
    return "—" if value is None else f"{round(value * 100)}%"


def points(value: float | None) -> str:
    """Points with up to two decimals in the current locale: "12,5" in Vietnamese."""
    if value is None:
        return "—"
    return _points_text(float(value), str(get_locale() or "vi"))


@lru_cache(maxsize=4096)
def _points_text(value: float, locale: str) -> str:
    # Cached: the city table formats hundreds of numbers, mostly the same few values, and
    # Babel takes ~50 µs a call.
    return str(format_decimal(value, format="#,##0.##", locale=locale))


@bp.app_template_filter("percent")
def percent_filter(value: float | None) -> str:
    return percent(value)


@bp.app_template_filter("points")
def points_filter(value: float | None) -> str:
    return points(value)


@bp.app_context_processor
def dashboard_helpers() -> dict[str, Any]:
    return {"level_label": level_label, "reached_label": reached_label}


def level_label(level: int | None) -> str:
    return "—" if not level else _("Mức độ %(level)d", level=level)


def reached_label(level: int | None) -> str:
    """The city's result: a level, "not reached" (0), or a dash before the appraisal."""
    if level == 0:
        return _("Chưa đạt chuẩn")
    return level_label(level)
