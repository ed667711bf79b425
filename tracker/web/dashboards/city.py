"""The city's roll-up of every commune, and Sở Nội vụ's record of the level reached."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.clock import today
from tracker.extensions import db, get_clock
from tracker.i18n import _
from tracker.models import Commune
from tracker.services import levels, rollups
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


@bp.route("/thanh-pho")
@requires(Action.VIEW_CITY_ROLLUP)
def city_rollup() -> str:
    day = today(get_clock(current_app))
    year = year_arg(day.year)
    sort, descending = city_sort()
    rollup = rollups.city_rollup(
        year,
        day,
        sort=sort,
        descending=descending,
        targets=current_app.config.get("CITY_TARGETS"),
    )
    return render_template(
        "dashboards/city.html",
        rollup=rollup,
        columns=CITY_COLUMNS,
        descending_first=DESCENDING_FIRST,
        order="giam" if descending else "tang",
    )


@bp.route("/thanh-pho/<slug>/ket-qua", methods=["GET", "POST"])
@requires(Action.RECORD_LEVEL)
def record_level(slug: str) -> Response | str | tuple[str, int]:
    """Sở Nội vụ records the level a commune reached in ``nam`` and its score.

    One flow: the form lives on the self-assessment page (/tu-danh-gia, "Ghi kết quả đánh
    giá"), beside the appraisal; this address takes its posts and sends a GET there.
    """
    commune = db.session.scalar(select(Commune).where(Commune.slug == slug))
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
