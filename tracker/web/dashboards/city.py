"""The city's roll-up of every commune, and Sở Nội vụ's record of the level reached."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.i18n import _
from tracker.models import Role
from tracker.services import levels, national_rollups
from tracker.services.city_rollups import CityRollup
from tracker.services.scope import scoped_commune
from tracker.web.access import Action, current_account, requires
from tracker.web.dashboards.blueprint import bp, year_arg
from tracker.web.dashboards.display import (
    CITY_COLUMNS,
    DESCENDING_FIRST,
    city_sort,
    points,
    reached_label,
)
from tracker.web.dashboards.level_forms import RecordLevelForm, parse_score


def visible_city_rollup(
    year: int, *, sort: str = "name", descending: bool = False, province_code: str | None = None
) -> CityRollup | None:
    """The city roll-up the signed-in person may see (their province's; Bộ Nội vụ's names
    one by ``province_code``), against its targets: the page, its Excel and the API's."""
    return national_rollups.scoped_city_rollup(
        current_account(),
        year,
        today(get_clock(current_app)),
        province_code=province_code,
        sort=sort,
        descending=descending,
        home_targets=current_app.config.get("CITY_TARGETS"),
    )


@bp.route("/thanh-pho")
@requires(Action.VIEW_CITY_ROLLUP)
def city_rollup() -> str:
    day = today(get_clock(current_app))
    year = year_arg(day.year)
    sort, descending = city_sort()
    province_code = request.args.get("tinh", "").strip() or None
    if Role(current_account().role) is Role.NATIONAL and province_code is None:
        return redirect(url_for("national.national_rollup", nam=year))  # type: ignore[return-value]
    rollup = visible_city_rollup(
        year, sort=sort, descending=descending, province_code=province_code
    )
    if rollup is None:
        abort(404)
    return render_template(
        "dashboards/city.html",
        rollup=rollup,
        columns=CITY_COLUMNS,
        descending_first=DESCENDING_FIRST,
        order="giam" if descending else "tang",
        # Bộ Nội vụ's drill-down keeps its province in every link of the page.
        tinh=rollup.province.code if province_code and rollup.province else None,
    )


@bp.route("/thanh-pho/<slug>/ket-qua", methods=["GET", "POST"])
@requires(Action.RECORD_LEVEL)
def record_level(slug: str) -> Response | str | tuple[str, int]:
    """Sở Nội vụ records the level a commune reached in ``nam`` and its score.

    One flow: the form lives on the self-assessment page (/tu-danh-gia, "Ghi kết quả đánh
    giá"), beside the appraisal; this address takes its posts and sends a GET there.
    """
    commune = scoped_commune(current_account(), slug)
    if commune is None or commune.is_city:
        abort(404)
    clock = get_clock(current_app)
    year = year_arg(today(clock).year)
    page = url_for("reports.assessment", xa=commune.slug, nam=year)
    if request.method == "GET":
        return redirect(page + "#ket-qua")
    form = RecordLevelForm()
    if form.validate_on_submit():
        try:
            levels.record_result(
                commune,
                year,
                form.reached_level.data,
                parse_score(form.score.data),
                current_account(),
                clock,
                confirmed=request.form.get("xac_nhan") == "1",
                reason=request.form.get("ly_do_vuot_muc"),
            )
        except levels.LevelRefused:
            abort(403)
        except levels.LevelError as refused:
            error = str(refused)
        else:
            flash(
                _(
                    "Đã ghi nhận kết quả năm %(year)d của %(commune)s: %(level)s, %(score)s điểm.",
                    year=year,
                    commune=commune.name,
                    level=reached_label(form.reached_level.data),
                    score=points(parse_score(form.score.data)),
                ),
                "success",
            )
            return redirect(url_for("dashboards.city_rollup", nam=year) + f"#xa-{commune.slug}")
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    from tracker.web.reports import assessment_page  # reports imports this package

    return assessment_page(commune, year, error=error, entered=dict(request.form)), 400
