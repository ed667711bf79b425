"""The API's files: the task list, roll-ups and the self-assessment report (Excel, Word)."""

from __future__ import annotations

from flask import Response

from tracker.services import api as api_service
from tracker.services import dashboards, scoring
from tracker.services.exports import tables
from tracker.services.exports.workbook import XLSX_MIMETYPE, workbook_bytes
from tracker.web import reports
from tracker.web.access import Action, current_account, requires
from tracker.web.api.blueprint import bp, this_day
from tracker.web.api.inputs import ProvinceQuery, TaskFilters, YearQuery, read_query
from tracker.web.errors import problem
from tracker.web.labels import status_label


def _year() -> int:
    return read_query(YearQuery).year or this_day().year


@bp.route("/tasks.xlsx")
@requires(Action.VIEW)
def tasks_xlsx() -> Response:
    """The same filters as /tasks, every page at once."""
    day = this_day()
    query = read_query(TaskFilters).task_query(day.year)
    rows = api_service.all_tasks(current_account(), query, day)
    lines = tables.caption("Danh sách việc", None, query.year, day)
    content = workbook_bytes([tables.task_table(rows, status_label, day, lines)])
    response = Response(content, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = 'attachment; filename="danh-sach-viec.xlsx"'
    return response


@bp.route("/communes/<slug>/self-assessment.docx")
@requires(Action.VIEW_ASSESSMENT)
def self_assessment_docx(slug: str) -> Response:
    commune = scoring.visible_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    return reports.report_docx(commune, _year())


@bp.route("/communes/<slug>/rollup.xlsx")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def commune_rollup_xlsx(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    return reports.commune_rollup_xlsx(commune, _year())


@bp.route("/communes/<slug>/overdue.xlsx")
@requires(Action.VIEW_OVERDUE_BOARD)
def overdue_xlsx(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    return reports.overdue_xlsx(commune)


@bp.route("/rollups/city.xlsx")
@requires(Action.VIEW_CITY_ROLLUP)
def city_rollup_xlsx() -> Response:
    query = read_query(ProvinceQuery)
    return reports.city_xlsx(_year(), province_code=(query.province or "").strip() or None)
