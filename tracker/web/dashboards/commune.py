"""A commune's roll-up page and the registration of its level."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.clock import today
from tracker.extensions import db, get_clock
from tracker.i18n import _
from tracker.models import Commune
from tracker.services import dashboards, levels, rollups
from tracker.web.access import Action, current_account, requires, role_may
from tracker.web.dashboards.blueprint import bp, commune_or_picker, picker_choices, year_arg
from tracker.web.dashboards.display import level_label
from tracker.web.dashboards.level_forms import RegisterLevelForm


@bp.route("/tong-hop")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def commune_rollup() -> str:
    slug = request.args.get("xa", "").strip() or None
    commune = commune_or_picker(slug)
    day = today(get_clock(current_app))
    return _commune_page(commune, year_arg(day.year), RegisterLevelForm())


def _commune_page(
    commune: Commune | None, year: int, level_form: RegisterLevelForm, error: str | None = None
) -> str:
    day = today(get_clock(current_app))
    rollup = rollups.commune_rollup(commune, year, day) if commune is not None else None
    level = levels.level_of(commune, year) if commune is not None else None
    user = current_account()
    may_register = (
        commune is not None
        and role_may(Action.REGISTER_LEVEL)
        and levels.may_register(user, commune)
        and not commune.is_city
    )
    registration_open = commune is not None and levels.registration_open(
        commune, year, get_clock(current_app)
    )
    if level is not None and level.registered_level and not level_form.is_submitted():
        level_form.level.data = level.registered_level
    return render_template(
        "dashboards/commune.html",
        rollup=rollup,
        communes=picker_choices(),
        chosen=commune,
        statuses=[str(s) for s in dashboards.ROLLUP_STATUSES],
        year=year,
        level=level,
        level_form=level_form if may_register and registration_open else None,
        may_register=may_register,
        registration_years=levels.registration_years(get_clock(current_app)),
        level_error=error,
    )


@bp.route("/tong-hop/dang-ky-muc", methods=["POST"])
@requires(Action.REGISTER_LEVEL)
def register_level() -> Response | tuple[str, int]:
    """The commune's own chairman or focal officer registers its level for ``nam``."""
    user = current_account()
    commune = db.session.get(Commune, user.commune_id) if user.commune_id else None
    if commune is None:
        abort(404)
    clock = get_clock(current_app)
    year = year_arg(today(clock).year)
    form = RegisterLevelForm()
    if form.validate_on_submit():
        try:
            levels.register_level(commune, year, form.level.data, user, clock)
        except levels.LevelRefused:
            abort(403)
        except levels.LevelError as error:
            return _commune_page(commune, year, form, str(error)), 400
        flash(
            _(
                "Đã đăng ký %(level)s cho năm %(year)d.",
                level=level_label(form.level.data),
                year=year,
            ),
            "success",
        )
        return redirect(url_for("dashboards.commune_rollup", nam=year) + "#muc-dat-chuan")
    return _commune_page(commune, year, form, _("Phiên làm việc đã hết hạn, hãy gửi lại.")), 400
