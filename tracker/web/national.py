"""Toàn quốc: Bộ Nội vụ's read-only roll-up of every enabled province (the page; the API's
route is in tracker.web.api.rollups).

A province drills down to its communes through the city roll-up (``/thanh-pho?tinh=31``,
``/api/v1/rollups/city?province=31``), narrowed to that province.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.services import national_rollups
from tracker.web.access import Action, requires
from tracker.web.dashboards.blueprint import year_arg

bp = Blueprint("national", __name__)


def _rollup(year: int) -> national_rollups.NationalRollup:
    return national_rollups.national_rollup(
        year,
        today(get_clock(current_app)),
        home_targets=current_app.config.get("CITY_TARGETS"),
    )


@bp.route("/toan-quoc")
@requires(Action.VIEW_NATIONAL_ROLLUP)
def national_rollup() -> str:
    day = today(get_clock(current_app))
    return render_template("national/rollup.html", rollup=_rollup(year_arg(day.year)), today=day)
