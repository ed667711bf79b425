"""Toàn quốc: Bộ Nội vụ's roll-up of every enabled province (page and API), read-only.

A province drills down to its communes through the city roll-up (``/thanh-pho?tinh=31``,
``/api/v1/rollups/city?province=31``), narrowed to that province.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.services import national_rollups
from tracker.web import api
from tracker.web.access import Action, requires
from tracker.web.dashboards import _year_arg

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
    return render_template("national/rollup.html", rollup=_rollup(_year_arg(day.year)), today=day)


def province_row_json(row: national_rollups.ProvinceRow) -> dict[str, Any]:
    target = row.target
    return {
        "province": api.province_json(row.province),
        "communes": row.commune_count,
        "with_plan": row.with_plan_count,
        "registered": row.registered_count,
        "reached_standard": row.reached_count,
        "reached_share": row.reached_share,
        "level_4": row.level_4_count,
        "level_4_share": row.level_4_share,
        "target": {"reach_standard": target.reach_standard, "level_4": target.level_4}
        if target
        else None,
        "meets_reach_target": row.meets_reach_target,
        "meets_level_4_target": row.meets_level_4_target,
        **api.counts_json(row.counts),
    }


@api.bp.route("/rollups/national")
@requires(Action.VIEW_NATIONAL_ROLLUP)
def national_rollup_api() -> Response:
    rollup = _rollup(api._year_arg())
    return jsonify(
        {
            "year": rollup.year,
            "summary": {
                "provinces": len(rollup.rows),
                "communes": rollup.commune_count,
                **api.counts_json(rollup.total),
            },
            "provinces": [province_row_json(r) for r in rollup.rows],
        }
    )
