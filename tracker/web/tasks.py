"""The unit task list ("Việc của phòng") and the task page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.i18n import _, _l
from tracker.models import Role
from tracker.services import evidence as evidence_service
from tracker.services import task_lists
from tracker.web.access import Action, current_account, requires, task_for, task_or_404
from tracker.web.edge import id_arg, year_value
from tracker.web.transactions import discard

bp = Blueprint("tasks", __name__)

# Where each role lands after logging in, when that page exists (else the task list).
HOME_BY_ROLE = {
    Role.CITY_ADMIN: "dashboards.city_rollup",
    Role.NATIONAL: "national.national_rollup",
    Role.CHAIRMAN: "dashboards.overdue_board",
    Role.VICE_CHAIRMAN: "dashboards.overdue_board",
}


def _int_arg(name: str) -> int | None:
    return id_arg(name)


@bp.route("/")
@requires(Action.VIEW)
def home() -> Response:
    endpoint = HOME_BY_ROLE.get(Role(current_account().role))
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return redirect(url_for("tasks.task_list"))


def list_filters(this_year: int) -> task_lists.TaskFilters:
    """The task list's filters from the query string (the page and its Excel download)."""
    year_arg = request.args.get("nam", "").strip()
    return task_lists.TaskFilters(
        # No year chosen: this year. "tat-ca": every year.
        year=None if year_arg == "tat-ca" else (year_value(year_arg) or this_year),
        plan_id=_int_arg("ke_hoach"),
        group=request.args.get("nhom", "").strip() or None,
        section=request.args.get("muc", "").strip() or None,
        unit_id=_int_arg("phong"),
        commune_id=_int_arg("xa"),
        search=request.args.get("tim", "").strip()[:200],
    )


@bp.route("/viec")
@requires(Action.VIEW)
def task_list() -> str:
    day = today(get_clock(current_app))
    year_arg = request.args.get("nam", "").strip()
    filters = list_filters(day.year)
    user = current_account()
    listing = task_lists.list_tasks(user, filters, day, page=_int_arg("trang") or 1)
    return render_template(
        "tasks/list.html",
        listing=listing,
        sections=task_lists.SECTIONS,
        year_arg=year_arg,
        heading=LIST_TITLES[Role(user.role)],
    )


# One list, titled for whose tasks it holds.
LIST_TITLES = {
    Role.CITY_ADMIN: _l("Việc của các xã, phường"),
    Role.NATIONAL: _l("Việc của các xã, phường"),
    Role.CHAIRMAN: _l("Việc của xã"),
    Role.VICE_CHAIRMAN: _l("Việc của xã"),
    Role.FOCAL_OFFICER: _l("Việc của xã"),
    Role.UNIT_HEAD: _l("Việc của phòng"),
    Role.UNIT_STAFF: _l("Việc của tôi"),
}


@bp.app_template_global()
def task_list_url(listing: task_lists.TaskListing, page: int = 1, **changes: Any) -> str:
    """The address of another page, or another section, of the same filtered list."""
    f = listing.filters
    args: dict[str, Any] = {
        "nam": request.args.get("nam") or None, "ke_hoach": f.plan_id, "nhom": f.group,
        "phong": f.unit_id, "xa": f.commune_id, "muc": f.section, "tim": f.search or None,
        "trang": page if page > 1 else None,
    }
    args.update(changes)
    return url_for("tasks.task_list", **{k: v for k, v in args.items() if v is not None})


@bp.route("/viec/<int:task_id>")
@requires(Action.VIEW)
def task_detail(task_id: int) -> str:
    task = task_or_404(task_id)
    return render_template("tasks/detail.html", **task_page_context(task))


def task_page_context(task: Any) -> dict[str, Any]:
    day = today(get_clock(current_app))
    return {"task": task, "page": task_lists.task_view(task, day)}


def _upload_rules() -> evidence_service.UploadRules:
    config = current_app.config
    return evidence_service.UploadRules(
        upload_dir=Path(config["UPLOAD_DIR"]),
        extensions=tuple(config["EVIDENCE_EXTENSIONS"]),
        max_bytes=int(config.get("EVIDENCE_MAX_BYTES") or config["MAX_CONTENT_LENGTH"]),
    )


def _back_to(task_id: int, anchor: str = "") -> Response:
    return redirect(url_for("tasks.task_detail", task_id=task_id) + anchor)


@bp.route("/viec/<int:task_id>/y-kien", methods=["POST"])
@requires(Action.COMMENT)
def comment(task_id: int) -> Response:
    task = task_for(Action.COMMENT, task_id)
    try:
        evidence_service.add_comment(
            task, current_account(), request.form.get("comment", ""), get_clock(current_app)
        )
    except evidence_service.EvidenceError as error:
        discard()
        flash(str(error), "error")
        return _back_to(task.id, "#y-kien")
    flash(_("Đã ghi ý kiến."), "success")
    return _back_to(task.id, "#lich-su")


@bp.route("/viec/<int:task_id>/minh-chung", methods=["POST"])
@requires(Action.UPLOAD_EVIDENCE)
def upload_evidence(task_id: int) -> Response:
    task = task_for(Action.UPLOAD_EVIDENCE, task_id)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise evidence_service.EvidenceError(_("Chưa chọn tệp minh chứng."))
        evidence = evidence_service.store_evidence(
            task,
            current_account(),
            upload.filename,
            upload.stream,
            _upload_rules(),
            get_clock(current_app),
            note=request.form.get("note", ""),
        )
    except evidence_service.EvidenceError as error:
        discard()
        flash(str(error), "error")
        # To the top of the page, where the message is: not to the form, which would look
        # like a silent reload.
        return _back_to(task.id)
    flash(_("Đã tải lên minh chứng %(name)s.", name=evidence.original_name), "success")
    return _back_to(task.id, "#minh-chung")


@bp.route("/minh-chung/<int:evidence_id>")
@requires(Action.VIEW)
def download_evidence(evidence_id: int) -> Response:
    evidence = evidence_service.find_visible_evidence(current_account(), evidence_id)
    if evidence is None:
        abort(404)
    path = evidence_service.evidence_path(Path(current_app.config["UPLOAD_DIR"]), evidence)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=evidence.content_type,
        as_attachment=True,
        download_name=evidence.original_name,
        max_age=0,
    )
    # As stored, once: send_file would add a second "; charset=utf-8" to a text type.
    response.headers["Content-Type"] = evidence.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
