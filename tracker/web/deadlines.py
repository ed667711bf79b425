"""Deadlines by hand and extension requests (gia hạn): the task page's forms and two lists.

The rules live in tracker.services.deadlines; these views parse the form, call one of them,
commit, and say what happened.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.extensions import get_clock
from tracker.i18n import _
from tracker.services import deadline_cadences, deadlines
from tracker.services.tasks import ConcurrentUpdateError
from tracker.web.access import Action, current_account, requires, task_for
from tracker.web.transactions import discard

bp = Blueprint("deadlines", __name__)


def _back(task_id: int, anchor: str = "#han") -> Response:
    return redirect(url_for("tasks.task_detail", task_id=task_id) + anchor)


@bp.route("/viec/can-dat-han")
@requires(Action.SET_DEADLINE)
def needing_deadline() -> str:
    return render_template(
        "deadlines/needing.html", tasks=deadlines.tasks_needing_deadline(current_account())
    )


@bp.route("/gia-han")
@requires(Action.DECIDE_EXTENSION)
def extension_queue() -> str:
    return render_template(
        "deadlines/extensions.html", requests=deadlines.pending_extensions(current_account())
    )


@bp.route("/viec/<int:task_id>/dat-han", methods=["POST"])
@requires(Action.SET_DEADLINE)
def set_deadline(task_id: int) -> Response:
    task = task_for(Action.SET_DEADLINE, task_id)
    try:
        due_on = deadlines.parse_due_on(request.form.get("due_on"))
        deadlines.set_deadline(task, current_account(), due_on, request.form.get("reason"),
                               get_clock(current_app))
    except (deadlines.DeadlineError, ConcurrentUpdateError) as error:
        discard()
        flash(str(error), "error")
        return _back(task_id)
    flash(_("Đã đặt hạn %(due)s cho nhiệm vụ %(ref)s.", due=due_on.strftime("%d/%m/%Y"),
            ref=task.ref), "success")
    return _back(task.id)


@bp.route("/viec/<int:task_id>/dat-han-lap-lai", methods=["POST"])
@requires(Action.SET_DEADLINE)
def set_cadence(task_id: int) -> Response:
    """A recurring deadline from the short form (hằng tháng / quý / năm on a day)."""
    task = task_for(Action.SET_DEADLINE, task_id)
    try:
        form = deadline_cadences.parse_cadence_form(
            request.form.get("every"), request.form.get("day"), request.form.get("month"))
        created = deadline_cadences.set_cadence(task, current_account(), form,
                                                request.form.get("reason"),
                                                get_clock(current_app))
    except (deadlines.DeadlineError, ConcurrentUpdateError) as error:
        discard()
        flash(str(error), "error")
        return _back(task_id)
    flash(_("Đã đặt hạn “%(phrase)s” cho nhiệm vụ %(ref)s: %(count)d việc được tạo.",
            phrase=deadline_cadences.cadence_phrase(form), ref=task.ref, count=len(created)),
          "success")
    if created:
        return _back(created[0].id)
    return _back(task.id)


@bp.route("/viec/<int:task_id>/gia-han", methods=["POST"])
@requires(Action.REQUEST_EXTENSION)
def request_extension(task_id: int) -> Response:
    task = task_for(Action.REQUEST_EXTENSION, task_id)
    try:
        due_on = deadlines.parse_due_on(request.form.get("due_on"))
        deadlines.request_extension(task, current_account(), due_on,
                                    request.form.get("reason"), get_clock(current_app))
    except deadlines.DeadlineError as error:
        discard()
        flash(str(error), "error")
        return _back(task_id)
    flash(_("Đã gửi đề nghị gia hạn nhiệm vụ %(ref)s.", ref=task.ref), "success")
    return _back(task.id)


@bp.route("/gia-han/<int:request_id>/quyet-dinh", methods=["POST"])
@requires(Action.DECIDE_EXTENSION)
def decide_extension(request_id: int) -> Response:
    extension = deadlines.find_visible_request(current_account(), request_id)
    if extension is None:
        abort(404)
    approve = request.form.get("decision") == "approve"
    try:
        deadlines.decide_extension(extension, current_account(), approve,
                                   request.form.get("comment"), get_clock(current_app))
    except (deadlines.DeadlineError, ConcurrentUpdateError) as error:
        discard()
        flash(str(error), "error")
        return _back(extension.task_id)
    if approve:
        flash(_("Đã đồng ý gia hạn nhiệm vụ %(ref)s.", ref=extension.task.ref), "success")
    else:
        flash(_("Đã không đồng ý gia hạn nhiệm vụ %(ref)s.", ref=extension.task.ref), "success")
    return _back(extension.task_id)
