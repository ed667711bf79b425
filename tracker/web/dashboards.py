"""The chairman's overdue board, the commune roll-up and the city roll-up."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from tracker.clock import today
from tracker.extensions import db, get_clock
from tracker.i18n import _, _l, occurrence_label
from tracker.models import Commune, Role, Task
from tracker.services import (
    dashboards,
    levels,
    national_rollups,
    reminder_audience,
    reminders,
    rollups,
)
from tracker.services.scope import is_overseer, scoped_commune
from tracker.web.access import Action, current_account, requires, role_may, task_for
from tracker.web.edge import MAX_ID, MAX_YEAR, MIN_YEAR
from tracker.web.transactions import discard

bp = Blueprint("dashboards", __name__)

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
# The city table's columns: query value → header. Sorting is done by the server.
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


def _int_or_none(value: Any) -> int | None:
    """A choice as a number; anything else is None, for the service to refuse in Vietnamese."""
    try:
        number = None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None
    return number if number is None or abs(number) <= MAX_ID else None


def _level_choices() -> list[SelectChoice]:
    return [SelectChoice(str(n), _l("Mức độ %(level)d", level=n)) for n in levels.LEVELS]


class RegisterLevelForm(FlaskForm):  # type: ignore[misc]
    level = SelectField(
        _l("Mức đăng ký"),
        choices=[SelectChoice("", _l("— Chọn mức —")), *_level_choices()],
        coerce=_int_or_none,
        validate_choice=False,
    )


class RecordLevelForm(FlaskForm):  # type: ignore[misc]
    reached_level = SelectField(
        _l("Mức đạt được"),
        choices=[
            SelectChoice("", _l("— Chọn mức —")),
            SelectChoice("0", _l("Chưa đạt chuẩn")),
            *_level_choices(),
        ],
        coerce=_int_or_none,
        validate_choice=False,
    )
    score = StringField(_l("Điểm đánh giá (0-100)"))

    def validate_score(self, field: StringField) -> None:
        try:
            parse_score(field.data)
        except ValueError:
            raise ValidationError(
                _("Điểm đánh giá: “%(value)s” không phải là một số.", value=field.data.strip())
            ) from None


def parse_score(text: str | None) -> float | None:
    """ "87,5" or "87.5" → 87.5; blank → None (the service asks for it). ValueError otherwise.

    Babel reads it, strictly, as Vietnamese writes numbers and then as English does.
    """
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        return None
    for locale in ("vi", "en"):
        try:
            value = float(parse_decimal(cleaned, locale=locale, strict=True))
        except NumberFormatError:
            continue
        if not math.isfinite(value):  # "nan", "inf", "1e400" are not scores
            break
        return value
    raise ValueError(f"not a number: {text!r}")


# Columns whose natural first click is "largest first".
DESCENDING_FIRST = {
    "plans", "tasks", "progress", "on_time", "overdue", "points", "registered", "reached",
}


def _commune_or_picker(slug: str | None) -> Commune | None:
    """The commune to show; 404 for one this person may not see. None: let the city pick."""
    user = current_account()
    commune = dashboards.resolve_commune(user, slug)
    if commune is None and (slug or not is_overseer(user)):
        abort(404)
    return commune


def _year_arg(default: int) -> int:
    value = request.args.get("nam", "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
        abort(400, description=_("Năm không hợp lệ: %(value)s.", value=value))
    return int(value)


def _picker_choices() -> list[Commune]:
    """The city administrator chooses a commune; commune people never see the choice."""
    user = current_account()
    if is_overseer(user):
        return dashboards.dashboard_communes(user)
    return []


@bp.route("/bang-qua-han")
@requires(Action.VIEW_OVERDUE_BOARD)
def overdue_board() -> str:
    slug = request.args.get("xa", "").strip() or None
    commune = _commune_or_picker(slug)
    board = None
    if commune is not None:
        board = dashboards.overdue_board(commune, today(get_clock(current_app)))
    return render_template(
        "dashboards/overdue.html",
        board=board,
        communes=_picker_choices(),
        chosen=commune,
        buckets=[key for key, _first, _last in dashboards.AGE_BUCKETS],
        bucket_labels=BUCKET_LABELS,
        bucket_headings=BUCKET_HEADINGS,
    )


@bp.route("/bang-qua-han/nhac/<int:task_id>", methods=["POST"])
@requires(Action.SEND_REMINDER)
def send_reminder(task_id: int) -> Response:
    task = task_for(Action.SEND_REMINDER, task_id)
    try:
        queued = reminders.send_reminder_now(task, current_account(), get_clock(current_app))
    except reminders.ReminderRefused as error:
        discard()
        flash(str(error), "error")
        return redirect(url_for("tasks.task_detail", task_id=task.id))
    name = task_name(task)
    if queued:
        flash(
            _(
                "Đã gửi nhắc việc “%(task)s” tới %(names)s.",
                task=name,
                names=", ".join(sorted({mail.address for mail in queued})),
            ),
            "success",
        )
    elif not _reminder_recipients(task):
        flash(
            _(
                "Chưa gửi được nhắc việc “%(task)s”: việc chưa có người phụ trách, và %(unit)s "
                "chưa có trưởng phòng có thư điện tử. Hãy phân công hoặc chia việc trước.",
                task=name,
                unit=task.unit.name,
            ),
            "warning",
        )
    else:
        flash(
            _(
                "Việc “%(task)s” vừa được nhắc trong phút này; không gửi thêm thư.",
                task=name,
            ),
            "warning",
        )
    return redirect(url_for("dashboards.overdue_board") + f"#viec-{task.id}")


def task_name(task: Task) -> str:
    """A task as a message names it: its number, the start of its title and its occurrence —
    five tasks of a plan can share the number "4"."""
    title = task.title if len(task.title) <= 60 else task.title[:59].rstrip() + "…"
    label = occurrence_label(task.occurrence_key)
    return f"{task.ref}. {title}" + (f" ({label})" if label else "")


def _reminder_recipients(task: Task) -> list[str]:
    """The addresses a reminder of this task would go to (the point person, the unit heads)."""
    commune = reminder_audience.load_communes([task.commune_id])[0]
    return [
        person.email
        for person, _copy in reminder_audience.responsible(commune, task)
        if person.email
    ]


@bp.route("/tong-hop")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def commune_rollup() -> str:
    slug = request.args.get("xa", "").strip() or None
    commune = _commune_or_picker(slug)
    day = today(get_clock(current_app))
    return _commune_page(commune, _year_arg(day.year), RegisterLevelForm())


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
        communes=_picker_choices(),
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
    year = _year_arg(today(clock).year)
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


@bp.route("/thanh-pho")
@requires(Action.VIEW_CITY_ROLLUP)
def city_rollup() -> str:
    day = today(get_clock(current_app))
    year = _year_arg(day.year)
    sort = request.args.get("sap_xep", "name")
    if sort not in CITY_COLUMNS:
        abort(400, description=_("Không sắp xếp được theo cột “%(column)s”.", column=sort))
    order = request.args.get("chieu", "giam" if sort in DESCENDING_FIRST else "tang")
    if order not in {"tang", "giam"}:
        abort(400, description=_("Chiều sắp xếp phải là “tang” hoặc “giam”."))
    province_code = request.args.get("tinh", "").strip() or None
    if Role(current_account().role) is Role.NATIONAL and province_code is None:
        return redirect(url_for("national.national_rollup", nam=year))  # type: ignore[return-value]
    rollup = national_rollups.scoped_city_rollup(
        current_account(),
        year,
        day,
        province_code=province_code,
        sort=sort,
        descending=order == "giam",
        home_targets=current_app.config.get("CITY_TARGETS"),
    )
    if rollup is None:
        abort(404)
    return render_template(
        "dashboards/city.html",
        rollup=rollup,
        columns=CITY_COLUMNS,
        descending_first=DESCENDING_FIRST,
        order=order,
        # Bộ Nội vụ's drill-down keeps its province in every link of the page.
        tinh=rollup.province.code if province_code and rollup.province else None,
    )


@bp.route("/thanh-pho/<slug>/ket-qua", methods=["GET", "POST"])
@requires(Action.RECORD_LEVEL)
def record_level(slug: str) -> Response | str | tuple[str, int]:
    """Sở Nội vụ records the level a commune reached in ``nam`` and its score."""
    commune = scoped_commune(current_account(), slug)
    if commune is None or commune.is_city:
        abort(404)
    clock = get_clock(current_app)
    year = _year_arg(today(clock).year)
    level = levels.level_of(commune, year)
    form = RecordLevelForm()
    if request.method == "GET" and level is not None and level.reached_level is not None:
        form.reached_level.data = level.reached_level
        form.score.data = points(level.score) if level.score is not None else ""
    error = None
    if form.validate_on_submit():
        try:
            levels.record_result(
                commune,
                year,
                form.reached_level.data,
                parse_score(form.score.data),
                current_account(),
                clock,
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
    page = render_template(
        "dashboards/record_level.html",
        commune=commune,
        year=year,
        level=level,
        form=form,
        error=error,
    )
    return (page, 400) if request.method == "POST" else page


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
