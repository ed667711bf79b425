"""The API's roll-ups: a commune's year, its overdue board, and the city's table."""

from __future__ import annotations

from flask import Response, current_app

from tracker.services import dashboards, national_rollups, rollups
from tracker.web.access import Action, current_account, requires
from tracker.web.api import rollup_schemas as schemas
from tracker.web.api.blueprint import answer, bp, this_day
from tracker.web.api.inputs import CityQuery, YearQuery, read_query
from tracker.web.dashboards.city import visible_city_rollup
from tracker.web.errors import problem


@bp.route("/communes/<slug>/rollup")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def commune_rollup(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    day = this_day()
    year = read_query(YearQuery).year or day.year
    return answer(schemas.CommuneRollup.of(commune, rollups.commune_rollup(commune, year, day)))


@bp.route("/communes/<slug>/overdue")
@requires(Action.VIEW_OVERDUE_BOARD)
def overdue_board(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    return answer(schemas.OverdueBoard.of(dashboards.overdue_board(commune, this_day())))


@bp.route("/rollups/city")
@requires(Action.VIEW_CITY_ROLLUP)
def city_rollup() -> Response:
    day = this_day()
    query = read_query(CityQuery)
    province = (query.province or "").strip() or None
    rollup = visible_city_rollup(
        query.year or day.year,
        sort=query.sort,
        descending=query.order == "desc",
        province_code=province,
    )
    if rollup is None:
        if province is None:
            return problem(400, "province: Bộ Nội vụ names the province (its code)")
        return problem(404, f"province {province!r} is not enabled")
    return answer(schemas.CityRollup.of(rollup))


@bp.route("/rollups/national")
@requires(Action.VIEW_NATIONAL_ROLLUP)
def national_rollup() -> Response:
    day = this_day()
    rollup = national_rollups.national_rollup(
        read_query(YearQuery).year or day.year,
        day,
        home_targets=current_app.config.get("CITY_TARGETS"),
    )
    return answer(schemas.NationalRollup.of(rollup))
