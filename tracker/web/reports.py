"""The self-assessment page (tự đánh giá, chấm điểm) and the downloads of every table.

The page walks the yearly flow of :mod:`tracker.services.assessments`: self-scores, compile,
approve, submit, the city's appraisal and the recognised level. Downloads: the Word report
and the scoring table, and Excel copies of the task list, the overdue board and the roll-ups.
The report to the city is in Vietnamese whatever the page's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from werkzeug.wrappers import Response as BaseResponse

from tracker.clock import today
from tracker.extensions import db, get_clock
from tracker.i18n import _
from tracker.models import AssessmentStatus, Commune, Role
from tracker.services import (
    assessments,
    city_rollups,
    dashboards,
    level_checks,
    levels,
    rollups,
    scoring,
    task_lists,
)
from tracker.services.exports import tables
from tracker.services.exports.report import DOCX_MIMETYPE, self_assessment_docx
from tracker.services.exports.workbook import XLSX_MIMETYPE, Table, workbook_bytes
from tracker.services.scope import is_overseer
from tracker.web.access import Action, current_account, requires, role_may
from tracker.web.dashboards import BUCKET_LABELS, city_sort
from tracker.web.dashboards.city import visible_city_rollup
from tracker.web.labels import status_label
from tracker.web.tasks import list_filters

bp = Blueprint("reports", __name__)


def assessment_label(status: str) -> str:
    # Looked up at render time, in the page's language.
    labels = {
        AssessmentStatus.DRAFT: _("Đang tự chấm điểm"),
        AssessmentStatus.COMPILED: _("Đã tổng hợp, chờ Chủ tịch duyệt"),
        AssessmentStatus.APPROVED: _("Chủ tịch đã duyệt, chưa gửi thành phố"),
        AssessmentStatus.SUBMITTED: _("Đã gửi thành phố, chờ thẩm định"),
        AssessmentStatus.RETURNED: _("Thành phố trả lại, cần chấm lại"),
        AssessmentStatus.RECOGNISED: _("Thành phố đã thẩm định và công nhận"),
    }
    return labels[AssessmentStatus(status)]


# --------------------------------------------------------------------------- arguments


def _day() -> dt.date:
    return today(get_clock(current_app))


def _year() -> int:
    value = request.args.get("nam", "").strip()
    if not value:
        return _day().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        abort(400, description=_("Năm không hợp lệ: %(value)s.", value=value))
    return int(value)


def assessment_commune(slug: str | None) -> Commune | None:
    """The city picks any commune (None until it does); commune people see their own."""
    user = current_account()
    if not slug:
        if is_overseer(user):
            return None
        own = db.session.get(Commune, user.commune_id) if user.commune_id else None
        slug = own.slug if own is not None else ""
    commune = scoring.visible_commune(user, slug)
    if commune is None:
        abort(404)
    return commune


def _sheet(commune: Commune, year: int) -> scoring.Sheet:
    return scoring.scoring_sheet(commune, year, _day(), current_app.config.get("LEVEL_THRESHOLDS"))


def _locale() -> str:
    return str(get_locale() or "vi")


# --------------------------------------------------------------------------- the page


def _page(
    commune: Commune | None,
    year: int,
    *,
    error: str | None = None,
    entered: dict[str, str] | None = None,
) -> str:
    sheet = _sheet(commune, year) if commune is not None else None
    user = current_account()
    level = levels.level_of(commune, year) if commune is not None else None
    is_city = Role(user.role) is Role.CITY_ADMIN
    level_basis = (
        level_checks.basis(commune, year, level, _day())
        if is_city and commune is not None
        else None
    )
    return render_template(
        "reports/assessment.html",
        sheet=sheet,
        commune=commune,
        chosen=commune,
        year=year,
        communes=dashboards.dashboard_communes(user) if is_overseer(user) else [],
        level=level,
        years=rollups.task_years(commune) if commune is not None else [],
        error=error,
        entered=entered or {},
        may_score_item=lambda item: (
            sheet is not None
            and sheet.status.is_editable_by_commune
            and role_may(Action.SELF_SCORE)
            and user.commune_id == commune.id  # type: ignore[union-attr]
            and assessments.may_score_item(user, item)
        ),
        assessment_label=assessment_label,
        result_levels=levels.RESULT_LEVELS,
        format_points=lambda value: scoring.format_points(value, _locale()),
        is_city=is_overseer(user),
        level_basis=level_basis,
    )


def assessment_page(
    commune: Commune, year: int, *, error: str | None = None, entered: dict[str, str] | None = None
) -> str:
    """The self-assessment page, for the city's hand-entered result (dashboards.record_level)."""
    return _page(commune, year, error=error, entered=entered)


@bp.route("/tu-danh-gia")
@requires(Action.VIEW_ASSESSMENT)
def assessment() -> str:
    commune = assessment_commune(request.args.get("xa", "").strip() or None)
    return _page(commune, _year())


def _entries(score_prefix: str, note_prefix: str, sheet: scoring.Sheet) -> list[Any]:
    """The form's scores for the items it carries, parsed in the page's language."""
    found = []
    for item in sheet.items:
        key = f"{score_prefix}-{item.plan_item.id}"
        if key not in request.form:
            continue
        score = scoring.parse_points(
            request.form.get(key),
            _locale(),
            _("Mục %(ref)s", ref=item.plan_item.ref),
        )
        note = request.form.get(f"{note_prefix}-{item.plan_item.id}")
        found.append(assessments.ScoreEntry(item.plan_item.id, score, note))
    return found


def _back(commune: Commune, year: int, anchor: str = "") -> BaseResponse:
    slug = commune.slug if is_overseer(current_account()) else None
    return redirect(url_for("reports.assessment", xa=slug, nam=year) + anchor)


def _step(commune: Commune | None, year: int, run: Any, done_message: str) -> Any:
    """Run one step; 403 when refused, the page with the message (400) when not possible."""
    if commune is None:
        abort(404)
    sheet = _sheet(commune, year)
    try:
        run(sheet)
    except assessments.ScoringRefused:
        abort(403)
    except scoring.ScoringError as error:
        return _page(commune, year, error=str(error), entered=dict(request.form)), 400
    flash(done_message, "success")
    return _back(commune, year)


@bp.route("/tu-danh-gia/cham-diem", methods=["POST"])
@requires(Action.SELF_SCORE)
def self_score() -> Any:
    commune, year, user = assessment_commune(None), _year(), current_account()
    clock = get_clock(current_app)

    def run(sheet: scoring.Sheet) -> None:
        assessments.propose_scores(sheet, _entries("diem", "ghi-chu", sheet), user, clock)

    return _step(commune, year, run, _("Đã lưu điểm tự chấm."))


@bp.route("/tu-danh-gia/tong-hop", methods=["POST"])
@requires(Action.COMPILE_ASSESSMENT)
def compile_assessment() -> Any:
    commune, year, user = assessment_commune(None), _year(), current_account()
    return _step(
        commune,
        year,
        lambda sheet: assessments.compile_assessment(sheet, user, get_clock(current_app)),
        _("Đã tổng hợp bản tự đánh giá và trình Chủ tịch UBND duyệt."),
    )


@bp.route("/tu-danh-gia/duyet", methods=["POST"])
@requires(Action.APPROVE_ASSESSMENT)
def approve_assessment() -> Any:
    commune, year, user = assessment_commune(None), _year(), current_account()
    return _step(
        commune,
        year,
        lambda sheet: assessments.approve_assessment(sheet, user, get_clock(current_app)),
        _("Đã duyệt bản tự đánh giá."),
    )


@bp.route("/tu-danh-gia/tra-ve", methods=["POST"])
@requires(Action.APPROVE_ASSESSMENT)
def send_back() -> Any:
    commune, year, user = assessment_commune(None), _year(), current_account()
    return _step(
        commune,
        year,
        lambda sheet: assessments.send_back(
            sheet, request.form.get("ly_do"), user, get_clock(current_app)
        ),
        _("Đã trả bản tự đánh giá về cán bộ đầu mối để chấm lại."),
    )


@bp.route("/tu-danh-gia/gui", methods=["POST"])
@requires(Action.SUBMIT_ASSESSMENT)
def submit_assessment() -> Any:
    commune, year, user = assessment_commune(None), _year(), current_account()
    return _step(
        commune,
        year,
        lambda sheet: assessments.submit_assessment(sheet, user, get_clock(current_app)),
        _("Đã gửi bản tự đánh giá tới Sở Nội vụ."),
    )


@bp.route("/tu-danh-gia/<slug>/tham-dinh", methods=["POST"])
@requires(Action.APPRAISE_ASSESSMENT)
def appraise(slug: str) -> Any:
    commune, year, user = assessment_commune(slug), _year(), current_account()

    def run(sheet: scoring.Sheet) -> None:
        entries = _entries("tham-dinh", "nhan-xet", sheet)
        assessments.appraise_scores(sheet, entries, user, get_clock(current_app))

    return _step(commune, year, run, _("Đã lưu điểm thẩm định."))


@bp.route("/tu-danh-gia/<slug>/tra-lai", methods=["POST"])
@requires(Action.APPRAISE_ASSESSMENT)
def return_assessment(slug: str) -> Any:
    commune, year, user = assessment_commune(slug), _year(), current_account()
    return _step(
        commune,
        year,
        lambda sheet: assessments.return_assessment(
            sheet, request.form.get("ly_do"), user, get_clock(current_app)
        ),
        _("Đã trả lại bản tự đánh giá cho xã, phường."),
    )


@bp.route("/tu-danh-gia/<slug>/cong-nhan", methods=["POST"])
@requires(Action.RECORD_LEVEL)
def confirm_level(slug: str) -> Any:
    commune, year, user = assessment_commune(slug), _year(), current_account()
    value = request.form.get("muc", "").strip()
    level = int(value) if value.isdigit() and len(value) < 3 else None
    confirmed = request.form.get("xac_nhan") == "1"
    reason = request.form.get("ly_do_vuot_muc")
    return _step(
        commune,
        year,
        lambda sheet: assessments.confirm_level(
            sheet, level, user, get_clock(current_app), confirmed=confirmed, reason=reason
        ),
        _("Đã công nhận kết quả năm %(year)d.", year=year),
    )


# --------------------------------------------------------------------------- downloads


def _file(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _xlsx(tables_: list[Table], filename: str) -> Response:
    return _file(workbook_bytes(tables_), XLSX_MIMETYPE, filename)


def report_docx(commune: Commune, year: int) -> Response:
    with force_locale("vi"):
        content = self_assessment_docx(_sheet(commune, year), _day())
    return _file(content, DOCX_MIMETYPE, f"bao-cao-tu-danh-gia-{commune.slug}-{year}.docx")


def scoring_xlsx(commune: Commune, year: int) -> Response:
    table = tables.scoring_table(_sheet(commune, year), _day())
    return _xlsx([table], f"bang-diem-{commune.slug}-{year}.xlsx")


def commune_rollup_xlsx(commune: Commune, year: int) -> Response:
    rollup = rollups.commune_rollup(commune, year, _day())
    content = tables.commune_rollup_tables(rollup, status_label, _day())
    return _xlsx(content, f"tong-hop-{commune.slug}-{year}.xlsx")


def overdue_xlsx(commune: Commune) -> Response:
    board = dashboards.overdue_board(commune, _day())
    content = tables.overdue_tables(board, lambda key: str(BUCKET_LABELS[key]), _day())
    return _xlsx(content, f"qua-han-{commune.slug}-{_day().isoformat()}.xlsx")


def city_xlsx(
    year: int, sort: str = "name", descending: bool = False, province_code: str | None = None
) -> Response:
    rollup = visible_city_rollup(
        year, sort=sort, descending=descending, province_code=province_code
    )
    if rollup is None:
        abort(404)
    return _xlsx([tables.city_rollup_table(rollup, status_label, _day())], f"thanh-pho-{year}.xlsx")


@bp.route("/tu-danh-gia/bao-cao.docx")
@requires(Action.VIEW_ASSESSMENT)
def download_report() -> Response:
    commune = assessment_commune(request.args.get("xa", "").strip() or None)
    if commune is None:
        abort(404)
    return report_docx(commune, _year())


@bp.route("/tu-danh-gia/bang-diem.xlsx")
@requires(Action.VIEW_ASSESSMENT)
def download_scoring() -> Response:
    commune = assessment_commune(request.args.get("xa", "").strip() or None)
    if commune is None:
        abort(404)
    return scoring_xlsx(commune, _year())


@bp.route("/viec.xlsx")
@requires(Action.VIEW)
def download_tasks() -> Response:
    day = _day()
    listing = task_lists.list_tasks(current_account(), list_filters(day.year), day, page_size=None)
    rows = [
        (task, "overdue" if task.is_overdue_on(day) else task.status)
        for tasks_ in listing.sections.values()
        for task in tasks_
    ]
    lines = tables.caption(_("Danh sách việc"), None, listing.filters.year, day)
    return _xlsx([tables.task_table(rows, status_label, day, lines)], "danh-sach-viec.xlsx")


def _dashboard_commune() -> Commune:
    commune = dashboards.resolve_commune(
        current_account(), request.args.get("xa", "").strip() or None
    )
    if commune is None:
        abort(404)
    return commune


@bp.route("/bang-qua-han.xlsx")
@requires(Action.VIEW_OVERDUE_BOARD)
def download_overdue() -> Response:
    return overdue_xlsx(_dashboard_commune())


@bp.route("/tong-hop.xlsx")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def download_commune_rollup() -> Response:
    return commune_rollup_xlsx(_dashboard_commune(), _year())


@bp.route("/thanh-pho.xlsx")
@requires(Action.VIEW_CITY_ROLLUP)
def download_city_rollup() -> Response:
    sort, descending = city_sort()
    return city_xlsx(_year(), sort, descending, request.args.get("tinh", "").strip() or None)


@bp.app_template_filter("unit_rates")
def unit_rates(pair: tuple[Any, rollups.StatusCounts]) -> tuple[str, float | None, float | None]:
    """A roll-up row as a chart row: (label, progress, on-time rate)."""
    unit, counts = pair
    return unit.name, counts.progress, counts.on_time_rate


@bp.app_template_filter("commune_rates")
def commune_rates(row: city_rollups.CommuneRow) -> tuple[str, float | None, float | None]:
    return row.commune.name, row.counts.progress, row.counts.on_time_rate
