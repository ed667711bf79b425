"""Assignment (focal unit, chairman): assign to a unit and officer, split, reassign."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.i18n import _
from tracker.services import assignments
from tracker.web.access import Action, current_account, requires, task_for
from tracker.web.edge import id_arg, ids_arg, year_value
from tracker.web.transactions import discard

bp = Blueprint("assignments", __name__)


def _int(value: str | None) -> int | None:
    """An id from a form or query value: None when empty; 400 when not an id."""
    return id_arg("value", {"value": value or ""})


@bp.route("/phan-cong")
@requires(Action.ASSIGN)
def assignment_list() -> str:
    only_unassigned = request.args.get("chua_giao") == "1"
    year_arg = request.args.get("nam", "")
    this_year = today(get_clock(current_app)).year
    year = None if year_arg == "tat-ca" else (year_value(year_arg) or this_year)
    tasks = assignments.tasks_to_assign(
        current_account(), only_unassigned=only_unassigned, year=year
    )
    return render_template(
        "assignments/list.html",
        tasks=tasks,
        only_unassigned=only_unassigned,
        year=year,
        years=assignments.assignment_years(current_account()),
    )


def _form_page(task_id: int, status: int = 200, **extra: Any) -> tuple[str, int]:
    task = task_for(Action.ASSIGN, task_id)
    return (
        render_template(
            "assignments/assign.html",
            task=task,
            units=assignments.assignable_units(task.commune_id),
            officers=assignments.assignable_officers(task.commune_id),
            is_collective=assignments.is_collective(task),
            **extra,
        ),
        status,
    )


@bp.route("/viec/<int:task_id>/phan-cong", methods=["GET", "POST"])
@requires(Action.ASSIGN)
def assign(task_id: int) -> Any:
    task = task_for(Action.ASSIGN, task_id)
    if request.method == "GET":
        return _form_page(task.id)
    unit_id = _int(request.form.get("unit"))
    assignee_id = _int(request.form.get("assignee"))
    try:
        assignments.assign_task(
            task,
            unit_id=unit_id,
            assignee_id=assignee_id,
            actor=current_account(),
            clock=get_clock(current_app),
            comment=request.form.get("comment", ""),
        )
    except assignments.AssignmentError as error:
        discard()
        return _form_page(
            task_id, 400, error=str(error), chosen_unit=unit_id, chosen_assignee=assignee_id
        )
    flash(_("Đã phân công nhiệm vụ %(ref)s.", ref=task.ref), "success")
    return redirect(url_for("tasks.task_detail", task_id=task.id))


@bp.route("/viec/<int:task_id>/chia-viec", methods=["POST"])
@requires(Action.ASSIGN)
def split(task_id: int) -> Any:
    task = task_for(Action.ASSIGN, task_id)
    unit_ids = ids_arg("units")
    try:
        shares = assignments.split_task(
            task, unit_ids=unit_ids, actor=current_account(), clock=get_clock(current_app)
        )
    except assignments.AssignmentError as error:
        discard()
        return _form_page(task_id, 400, split_error=str(error))
    flash(
        _("Đã chia nhiệm vụ %(ref)s cho %(count)d đơn vị.", ref=task.ref, count=len(shares)),
        "success",
    )
    return redirect(url_for("tasks.task_detail", task_id=task.id))
