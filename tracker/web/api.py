"""The JSON API under /api/v1: tasks, plans and roll-ups, with the pages' own permissions.

A call is authenticated by a personal token (``Authorization: Bearer han_…``) or by the
browser session. Token calls carry no cookie a third-party page could ride on, so they are
exempt from CSRF; session calls that change something still need the CSRF token.
An unseen task, plan or commune is 404; an action the role lacks is 403; no login is 401.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask_login import current_user

from tracker.clock import today
from tracker.extensions import csrf, get_clock
from tracker.models import (
    ExtensionRequest,
    Plan,
    PlanItem,
    Province,
    Task,
    TaskEvent,
    TaskStatus,
    User,
)
from tracker.services import api as api_service
from tracker.services import (
    api_tokens,
    dashboards,
    deadlines,
    national_rollups,
    reminders,
    rollups,
    scoring,
)
from tracker.services import plans as plan_service
from tracker.services import tasks as task_actions
from tracker.services.exports import tables
from tracker.services.exports.workbook import XLSX_MIMETYPE, workbook_bytes
from tracker.web import reports
from tracker.web.access import Action, current_account, public, requires, task_for, task_or_404
from tracker.web.edge import MAX_ID, MAX_PAGE, MAX_YEAR, MIN_YEAR
from tracker.web.errors import problem
from tracker.web.labels import status_label
from tracker.web.openapi_national import openapi_document as build_openapi_document
from tracker.web.transactions import discard

bp = Blueprint("api", __name__, url_prefix="/api/v1")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.record_once
def _exempt_from_csrf(_state: Any) -> None:
    # CSRFProtect checks every POST before any blueprint hook runs; the API checks it itself
    # (in authenticate) for session calls, and skips it for token calls.
    csrf.exempt(bp)


@bp.before_request
def authenticate() -> Response | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return problem(
                401,
                "Authorization must be 'Bearer <token>'",
                **{"WWW-Authenticate": 'Bearer realm="han"'},
            )
        user = api_tokens.authenticate_token(value.strip(), get_clock(current_app).now())
        if user is None:
            return problem(
                401,
                "invalid, revoked or expired token",
                **{"WWW-Authenticate": 'Bearer realm="han", error="invalid_token"'},
            )
        # Flask-Login reads the user from g: the token user for this request only, no session.
        g._login_user = user
        g.api_token_auth = True
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "is_public", False):
        return None
    if not current_user.is_authenticated:  # before CSRF: an anonymous POST is 401, not 400
        return problem(
            401, "log in or send a personal API token", **{"WWW-Authenticate": 'Bearer realm="han"'}
        )
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return None


def _int_arg(name: str, default: int | None = None, *, low: int = 1,
             high: int = MAX_ID) -> int | None:
    """A whole-number parameter in [low, high] (ids: 1 … MAX_ID); absent: default.

    Given but empty (``?year=``) is refused like any other value that is not a number.
    """
    value = request.args.get(name)
    if value is None:
        return default
    text = value.strip()
    if not text.isascii() or not text.lstrip("-").isdigit():
        raise api_service.ApiQueryError(f"{name}: must be a whole number")
    number = int(text) if len(text) <= 12 else high + 1
    if not low <= number <= high:
        raise api_service.ApiQueryError(f"{name}: must be between {low} and {high}")
    return number


def _whole_arg(name: str, default: int, *, low: int = 1, high: int = MAX_ID) -> int:
    value = _int_arg(name, low=low, high=high)
    return default if value is None else value


def _year_arg() -> int:
    return _whole_arg("year", today(get_clock(current_app)).year, low=MIN_YEAR, high=MAX_YEAR)


@bp.errorhandler(api_service.ApiQueryError)
@bp.errorhandler(dashboards.DashboardError)
def bad_query(error: ValueError) -> Response:
    return problem(400, str(error))


# --------------------------------------------------------------------------- serialisation


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _instant(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if at else None


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.id, "full_name": user.full_name} if user else None


def _days_late(task: Task, status: str, day: dt.date) -> int:
    if status != "overdue" or task.due_on is None or task.due_on >= day:
        return 0
    return (day - task.due_on).days


def task_json(task: Task, status: str, day: dt.date) -> dict[str, Any]:
    return {
        "id": task.id,
        # The configured public address, never the request's Host header.
        "url": current_app.config["BASE_URL"].rstrip("/")
        + url_for("tasks.task_detail", task_id=task.id),
        "ref": task.ref,
        "title": task.title,
        "group": task.group,
        "year": task.year,
        "occurrence_key": task.occurrence_key,
        "status": status,
        "stored_status": task.status,
        "opens_on": _date(task.opens_on),
        "due_on": _date(task.due_on),
        "days_overdue": _days_late(task, status, day),
        "points": task.points,
        "plan_id": task.plan_id,
        "commune_id": task.commune_id,
        "unit": {"id": task.unit.id, "name": task.unit.name},
        "assignee": _person(task.assignee),
        "parent_id": task.parent_id,
        "is_split": task.is_split,
        "submitted_at": _instant(task.submitted_at),
        "completed_at": _instant(task.completed_at),
        "escalated_at": _instant(task.escalated_at),
        "updated_at": _instant(task.updated_at),
        "original_due_on": _date(task.original_due_on),
        "needs_deadline": deadlines.needs_deadline(task),
    }


def extension_json(request_row: ExtensionRequest) -> dict[str, Any]:
    return {
        "id": request_row.id,
        "task_id": request_row.task_id,
        "status": request_row.status,
        "current_due_on": _date(request_row.current_due_on),
        "requested_due_on": _date(request_row.requested_due_on),
        "reason": request_row.reason,
        "requested_by": _person(request_row.requested_by),
        "requested_at": _instant(request_row.requested_at),
        "decided_by": _person(request_row.decided_by),
        "decided_at": _instant(request_row.decided_at),
        "comment": request_row.decision_comment,
    }


def event_json(event: TaskEvent) -> dict[str, Any]:
    return {
        "at": _instant(event.at),
        "action": event.action,
        "actor": _person(event.actor),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "comment": event.comment,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "slug": plan.slug,
        "number": plan.number,
        "title": plan.title,
        "issuer": plan.issuer,
        "issued_on": _date(plan.issued_on),
        "issued_month": plan.issued_month,
        "period_from": plan.period_from,
        "period_to": plan.period_to,
        "open_ended": plan.open_ended,
        "commune": {"id": plan.commune.id, "name": plan.commune.name, "slug": plan.commune.slug},
        "withdrawn_at": _instant(plan.withdrawn_at),
        "withdraw_reason": plan.withdraw_reason,
    }


def plan_item_json(row: PlanItem) -> dict[str, Any]:
    return {
        "id": row.id,
        "position": row.position,
        "ref": row.ref,
        "title": row.title,
        "group": row.group,
        "time_text": row.time_text,
        "cadence_kind": row.cadence_kind,
        "rrule": row.rrule,
        "lead_units": row.lead_units,
        "coordinating_units": row.coordinating_units,
        "points": row.points,
        "evidence": row.evidence,
    }


def counts_json(counts: rollups.StatusCounts) -> dict[str, Any]:
    return {
        "total": counts.total,
        "by_status": {str(s): counts.count(s) for s in dashboards.ROLLUP_STATUSES},
        "done": counts.done,
        "overdue": counts.overdue,
        "progress": counts.progress,
        "on_time_rate": counts.on_time_rate,
        "on_time_after_extension": counts.on_time_after_extension,
        "points_secured": counts.points_secured if counts.has_points else None,
        "points_possible": counts.points_possible if counts.has_points else None,
    }


# --------------------------------------------------------------------------- routes


@bp.route("/openapi.json")
@public
def openapi_document() -> Response:
    return jsonify(build_openapi_document(current_app.config["BASE_URL"]))


def _task_query() -> api_service.TaskQuery:
    year_arg = request.args.get("year", "")
    return api_service.TaskQuery(
        year=None if year_arg == "all" else _year_arg(),
        plan_id=_int_arg("plan"),
        group=request.args.get("group") or None,
        status=request.args.get("status") or None,
        unit_id=_int_arg("unit"),
        commune_slug=request.args.get("commune") or None,
        page=_whole_arg("page", 1, high=MAX_PAGE),
        per_page=_whole_arg(
            "per_page", api_service.DEFAULT_PAGE_SIZE, high=api_service.MAX_PAGE_SIZE
        ),
    )


@bp.route("/tasks")
@requires(Action.VIEW)
def list_tasks() -> Response:
    day = today(get_clock(current_app))
    page = api_service.list_tasks(current_account(), _task_query(), day)
    return jsonify(
        {
            "items": [task_json(t, page.statuses[t.id], day) for t in page.tasks],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
        }
    )


@bp.route("/tasks/<int:task_id>")
@requires(Action.VIEW)
def get_task(task_id: int) -> Response:
    task = task_or_404(task_id)
    day = today(get_clock(current_app))
    status = TaskStatus.OVERDUE if task.is_overdue_on(day) else task.status
    body = task_json(task, status, day)
    body["source"] = plan_item_json(task.plan_item)
    body["history"] = [event_json(e) for e in api_service.task_events(task)]
    pending = deadlines.pending_extension(task)
    body["pending_extension_request"] = extension_json(pending) if pending else None
    body["extension_requests"] = [extension_json(r) for r in task.extension_requests]
    return jsonify(body)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise api_service.ApiQueryError("the request body must be a JSON object")
    return body


def _text_field(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise api_service.ApiQueryError(f"{name}: must be a string")
    return value


def _due_field(body: dict[str, Any]) -> dt.date:
    try:
        return deadlines.parse_due_on(body.get("due_on"))
    except deadlines.DeadlineError as error:
        raise api_service.ApiQueryError(f"due_on: {error}") from None


def _task_answer(task: Task) -> Response:
    day = today(get_clock(current_app))
    status = "overdue" if task.is_overdue_on(day) else task.status
    return jsonify(task_json(task, status, day))


def _review_step(action: Action, task_id: int, step: Any) -> Response:
    task = task_for(action, task_id)
    body = _json_body()
    comment = _text_field(body, "comment")
    try:
        step(task, comment, body)
    except (task_actions.TaskActionError, task_actions.ConcurrentUpdateError) as error:
        discard()
        return problem(409, str(error))
    return _task_answer(task)


@bp.route("/tasks/<int:task_id>/submit", methods=["POST"])
@requires(Action.SUBMIT)
def submit_task(task_id: int) -> Response:
    def step(task: Task, comment: str | None, body: dict[str, Any]) -> None:
        ids = body.get("evidence_ids", [])
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise api_service.ApiQueryError("evidence_ids: must be a list of whole numbers")
        task_actions.submit_task(task, current_account(), comment, ids, get_clock(current_app))

    return _review_step(Action.SUBMIT, task_id, step)


@bp.route("/tasks/<int:task_id>/return", methods=["POST"])
@requires(Action.REVIEW)
def return_task(task_id: int) -> Response:
    return _review_step(Action.REVIEW, task_id, lambda task, comment, _body: (
        task_actions.return_task(task, current_account(), comment, get_clock(current_app))))


@bp.route("/tasks/<int:task_id>/approve", methods=["POST"])
@requires(Action.REVIEW)
def approve_task(task_id: int) -> Response:
    return _review_step(Action.REVIEW, task_id, lambda task, comment, _body: (
        task_actions.approve_task(task, current_account(), comment, get_clock(current_app))))


@bp.route("/tasks/<int:task_id>/deadline", methods=["POST"])
@requires(Action.SET_DEADLINE)
def set_deadline(task_id: int) -> Response:
    task = task_for(Action.SET_DEADLINE, task_id)
    body = _json_body()
    due_on, reason = _due_field(body), _text_field(body, "reason")
    try:
        deadlines.set_deadline(task, current_account(), due_on, reason, get_clock(current_app))
    except (deadlines.DeadlineError, task_actions.ConcurrentUpdateError) as error:
        discard()
        return problem(409, str(error))
    return _task_answer(task)


@bp.route("/tasks/<int:task_id>/extension-requests", methods=["POST"])
@requires(Action.REQUEST_EXTENSION)
def request_extension(task_id: int) -> Response:
    task = task_for(Action.REQUEST_EXTENSION, task_id)
    body = _json_body()
    due_on, reason = _due_field(body), _text_field(body, "reason")
    clock = get_clock(current_app)
    try:
        row = deadlines.request_extension(task, current_account(), due_on, reason, clock)
    except deadlines.DeadlineError as error:
        discard()
        return problem(409, str(error))
    response = jsonify(extension_json(row))
    response.status_code = 201
    return response


@bp.route("/extension-requests/<int:request_id>/decision", methods=["POST"])
@requires(Action.DECIDE_EXTENSION)
def decide_extension(request_id: int) -> Response:
    row = deadlines.find_visible_request(current_account(), request_id)
    if row is None:
        return problem(404, "no such extension request")
    body = _json_body()
    approve = body.get("approve")
    if not isinstance(approve, bool):
        raise api_service.ApiQueryError("approve: must be true or false")
    comment = _text_field(body, "comment")
    clock = get_clock(current_app)
    try:
        deadlines.decide_extension(row, current_account(), approve, comment, clock)
    except (deadlines.DeadlineError, task_actions.ConcurrentUpdateError) as error:
        discard()
        return problem(409, str(error))
    return jsonify(extension_json(row))


@bp.route("/tasks/<int:task_id>/reminders", methods=["POST"])
@requires(Action.SEND_REMINDER)
def send_reminder(task_id: int) -> Response:
    task = task_for(Action.SEND_REMINDER, task_id)
    try:
        queued = reminders.send_reminder_now(task, current_account(), get_clock(current_app))
    except reminders.ReminderRefused as error:
        return problem(409, str(error))
    response = jsonify({"task_id": task.id, "queued": [m.address for m in queued]})
    response.status_code = 202 if queued else 200
    return response


@bp.route("/plans")
@requires(Action.VIEW)
def list_plans() -> Response:
    return jsonify({"items": [plan_json(p) for p in api_service.visible_plans(current_account())]})


@bp.route("/plans/<int:plan_id>")
@requires(Action.VIEW)
def get_plan(plan_id: int) -> Response:
    plan = api_service.find_visible_plan(current_account(), plan_id)
    if plan is None:
        return problem(404, "no such plan")
    body = plan_json(plan)
    body["tasks"] = [plan_item_json(row) for row in plan.tasks]
    body["warnings"] = plan.warnings
    return jsonify(body)


@bp.route("/plans/<int:plan_id>/withdraw", methods=["POST"])
@requires(Action.WITHDRAW_PLAN)
def withdraw_plan(plan_id: int) -> Response:
    plan = api_service.find_visible_plan(current_account(), plan_id)
    if plan is None:
        return problem(404, "no such plan")
    reason = _text_field(_json_body(), "reason")
    try:
        cancelled = plan_service.withdraw_plan(plan, current_account(), reason,
                                               get_clock(current_app))
    except plan_service.PlanStoreError as error:
        discard()
        return problem(409, str(error))
    body = plan_json(plan)
    body["cancelled_task_ids"] = [t.id for t in cancelled]
    return jsonify(body)


@bp.route("/communes/<slug>/rollup")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def commune_rollup(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    rollup = rollups.commune_rollup(commune, _year_arg(), today(get_clock(current_app)))
    return jsonify(
        {
            "commune": {"id": commune.id, "name": commune.name, "slug": commune.slug},
            "year": rollup.year,
            "total": counts_json(rollup.total),
            "by_unit": [
                {"unit": {"id": u.id, "name": u.name}, **counts_json(c)} for u, c in rollup.by_unit
            ],
            "by_group": [{"group": g or None, **counts_json(c)} for g, c in rollup.by_group],
        }
    )


@bp.route("/communes/<slug>/overdue")
@requires(Action.VIEW_OVERDUE_BOARD)
def overdue_board(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    day = today(get_clock(current_app))
    board = dashboards.overdue_board(commune, day)

    def item(entry: dashboards.OverdueItem) -> dict[str, Any]:
        body = task_json(entry.task, "overdue", day)
        body["age_bucket"] = entry.bucket
        body["last_reminded_at"] = _instant(entry.last_reminded_at)
        return body

    return jsonify(
        {
            "commune": {"id": commune.id, "name": commune.name, "slug": commune.slug},
            "today": day.isoformat(),
            "by_bucket": board.by_bucket,
            "by_unit": [
                {
                    "unit": {"id": r.unit.id, "name": r.unit.name},
                    "total": r.total,
                    "by_bucket": r.by_bucket,
                }
                for r in board.by_unit
            ],
            "overdue": [item(e) for e in board.items],
            "escalations": [item(e) for e in board.escalations],
            "due_this_week": [task_json(t, t.status, day) for t in board.due_this_week],
        }
    )


def province_json(province: Province | None) -> dict[str, Any] | None:
    if province is None:
        return None
    return {"code": province.code, "codename": province.codename, "name": province.name}


@bp.route("/rollups/city")
@requires(Action.VIEW_CITY_ROLLUP)
def city_rollup() -> Response:
    sort = request.args.get("sort", "name")
    order = request.args.get("order", "asc")
    if order not in {"asc", "desc"}:
        raise api_service.ApiQueryError("order: must be asc or desc")
    province = request.args.get("province", "").strip() or None
    rollup = national_rollups.scoped_city_rollup(
        current_account(),
        _year_arg(),
        today(get_clock(current_app)),
        province_code=province,
        sort=sort,
        descending=order == "desc",
        home_targets=current_app.config.get("CITY_TARGETS"),
    )
    if rollup is None:
        if province is None:
            raise api_service.ApiQueryError("province: Bộ Nội vụ names the province (its code)")
        return problem(404, f"province {province!r} is not enabled")
    target = rollup.target
    return jsonify(
        {
            "year": rollup.year,
            "province": province_json(rollup.province),
            "target": {"reach_standard": target.reach_standard, "level_4": target.level_4}
            if target
            else None,
            "summary": {
                "communes": rollup.commune_count,
                "reached_standard": rollup.reached_count,
                "reached_share": rollup.reached_share,
                "level_4": rollup.level_4_count,
                "level_4_share": rollup.level_4_share,
                "registered": rollup.registered_count,
                "without_plan": rollup.without_plan_count,
                "meets_reach_target": rollup.meets_reach_target,
                "meets_level_4_target": rollup.meets_level_4_target,
            },
            "communes": [
                {
                    "commune": {"id": r.commune.id, "name": r.commune.name, "slug": r.commune.slug},
                    "plan_count": r.plan_count,
                    "registered_level": r.registered_level,
                    "reached_level": r.reached_level,
                    **counts_json(r.counts),
                }
                for r in rollup.rows
            ],
        }
    )


# --------------------------------------------------------------------------- files


@bp.route("/tasks.xlsx")
@requires(Action.VIEW)
def tasks_xlsx() -> Response:
    """The same filters as /tasks, every page at once."""
    day = today(get_clock(current_app))
    query = _task_query()
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
    return reports.report_docx(commune, _year_arg())


@bp.route("/communes/<slug>/rollup.xlsx")
@requires(Action.VIEW_COMMUNE_ROLLUP)
def commune_rollup_xlsx(slug: str) -> Response:
    commune = dashboards.resolve_commune(current_account(), slug)
    if commune is None:
        return problem(404, "no such commune")
    return reports.commune_rollup_xlsx(commune, _year_arg())


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
    return reports.city_xlsx(_year_arg())
