"""The review cycle: the lead unit submits; the focal unit approves or returns with a reason.

The transitions themselves belong to the workflow (tracker.services.tasks); these views
parse the form, call one of them, commit, and say what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.extensions import get_clock
from tracker.i18n import _
from tracker.services import task_lists
from tracker.services import tasks as task_actions
from tracker.web.access import Action, current_account, requires, task_for
from tracker.web.edge import ids_arg
from tracker.web.transactions import discard

bp = Blueprint("reviews", __name__)


@bp.route("/duyet")
@requires(Action.REVIEW)
def review_queue() -> str:
    tasks = task_lists.review_queue(current_account())
    submissions = {task.id: task_lists.latest_submission(task) for task in tasks}
    late = {task.id: task_lists.days_submitted_late(task) for task in tasks}
    return render_template("reviews/queue.html", tasks=tasks, submissions=submissions, late=late)


def _transition(
    action: Action,
    task_id: int,
    run: Callable[[Any, str], Any],
    done_message: str,
    *,
    reason_required: bool = False,
) -> Response:
    task = task_for(action, task_id)
    comment = request.form.get("comment", "").strip()
    if reason_required and not comment:
        flash(_("Lý do trả lại: không được để trống."), "error")
        return redirect(url_for("tasks.task_detail", task_id=task.id) + "#duyet")
    try:
        run(task, comment)
    except (task_actions.TaskActionError, task_actions.ConcurrentUpdateError) as error:
        discard()
        flash(str(error), "error")
        return redirect(url_for("tasks.task_detail", task_id=task_id))
    flash(done_message % {"ref": task.ref}, "success")
    return redirect(url_for("tasks.task_detail", task_id=task.id))


@bp.route("/viec/<int:task_id>/gui-duyet", methods=["POST"])
@requires(Action.SUBMIT)
def submit(task_id: int) -> Response:
    evidence_ids = ids_arg("evidence")
    return _transition(
        Action.SUBMIT,
        task_id,
        lambda task, comment: task_actions.submit_task(
            task, current_account(), comment, evidence_ids, get_clock(current_app)
        ),
        _("Đã gửi duyệt nhiệm vụ %(ref)s."),
    )


@bp.route("/viec/<int:task_id>/duyet", methods=["POST"])
@requires(Action.REVIEW)
def approve(task_id: int) -> Response:
    return _transition(
        Action.REVIEW,
        task_id,
        lambda task, comment: task_actions.approve_task(
            task, current_account(), comment, get_clock(current_app)
        ),
        _("Đã duyệt hoàn thành nhiệm vụ %(ref)s."),
    )


@bp.route("/viec/<int:task_id>/tra-lai", methods=["POST"])
@requires(Action.REVIEW)
def return_task(task_id: int) -> Response:
    return _transition(
        Action.REVIEW,
        task_id,
        lambda task, comment: task_actions.return_task(
            task, current_account(), comment, get_clock(current_app)
        ),
        _("Đã trả lại nhiệm vụ %(ref)s."),
        reason_required=True,
    )
