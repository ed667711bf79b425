"""The unit task list ("Việc của phòng") and the task page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.app import get_clock
from tracker.clock import today
from tracker.models import Role
from tracker.services import task_lists
from tracker.web.access import Action, current_account, requires, task_or_404

bp = Blueprint("tasks", __name__)

# Where each role lands after logging in, when that page exists (else the task list).
HOME_BY_ROLE = {
    Role.CITY_ADMIN: "dashboards.city_rollup",
    Role.CHAIRMAN: "dashboards.overdue_board",
    Role.VICE_CHAIRMAN: "dashboards.overdue_board",
}


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() else None


@bp.route("/")
@requires(Action.VIEW)
def home() -> Response:
    endpoint = HOME_BY_ROLE.get(Role(current_account().role))
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return redirect(url_for("tasks.task_list"))


@bp.route("/viec")
@requires(Action.VIEW)
def task_list() -> str:
    day = today(get_clock(current_app))
    year_arg = request.args.get("nam", "").strip()
    filters = task_lists.TaskFilters(
        # No year chosen: this year. "tat-ca": every year.
        year=None if year_arg == "tat-ca" else (_int_arg("nam") or day.year),
        plan_id=_int_arg("ke_hoach"),
        group=request.args.get("nhom", "").strip() or None,
        section=request.args.get("muc", "").strip() or None,
        unit_id=_int_arg("phong"),
        commune_id=_int_arg("xa"),
    )
    listing = task_lists.list_tasks(current_account(), filters, day)
    return render_template(
        "tasks/list.html", listing=listing, sections=task_lists.SECTIONS, year_arg=year_arg
    )


@bp.route("/viec/<int:task_id>")
@requires(Action.VIEW)
def task_detail(task_id: int) -> str:
    task = task_or_404(task_id)
    return render_template("tasks/detail.html", **task_page_context(task))


def task_page_context(task: Any) -> dict[str, Any]:
    day = today(get_clock(current_app))
    return {"task": task, "page": task_lists.task_page(task, day)}
