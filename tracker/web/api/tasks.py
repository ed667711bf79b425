"""The API's tasks: lists, one task, and the review, deadline and reminder steps."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app

from tracker.extensions import get_clock
from tracker.models import Task
from tracker.services import api as api_service
from tracker.services import deadline_cadences, deadlines, reminders
from tracker.services import tasks as task_actions
from tracker.web.access import Action, current_account, requires, task_for, task_or_404
from tracker.web.api import schemas
from tracker.web.api.blueprint import answer, bp, this_day
from tracker.web.api.inputs import (
    CommentBody,
    DeadlineBody,
    DecisionBody,
    SetDeadlineBody,
    TaskListQuery,
    read_body,
    read_query,
)
from tracker.web.errors import problem
from tracker.web.transactions import discard


@bp.route("/tasks")
@requires(Action.VIEW)
def list_tasks() -> Response:
    day = this_day()
    query = read_query(TaskListQuery).task_query(day.year)
    page = api_service.find_tasks(current_account(), query, day)
    return answer(
        schemas.TaskPage(
            items=[schemas.Task.of(t, page.statuses[t.id], day) for t in page.tasks],
            total=page.total,
            page=page.page,
            per_page=page.per_page,
        )
    )


@bp.route("/tasks/<int:task_id>")
@requires(Action.VIEW)
def get_task(task_id: int) -> Response:
    task = task_or_404(task_id)
    return answer(schemas.TaskDetail.of_task(task, this_day(), api_service.task_events(task)))


def _review_step(
    action: Action, task_id: int, step: Callable[[Task, CommentBody], object]
) -> Response:
    task = task_for(action, task_id)
    body = read_body(CommentBody)
    try:
        step(task, body)
    except (task_actions.TaskActionError, task_actions.ConcurrentUpdateError) as error:
        discard()
        return problem(409, str(error))
    return answer(schemas.Task.as_of(task, this_day()))


@bp.route("/tasks/<int:task_id>/submit", methods=["POST"])
@requires(Action.SUBMIT)
def submit_task(task_id: int) -> Response:
    return _review_step(
        Action.SUBMIT,
        task_id,
        lambda task, body: task_actions.submit_task(
            task, current_account(), body.comment, body.evidence_ids, get_clock(current_app)
        ),
    )


@bp.route("/tasks/<int:task_id>/return", methods=["POST"])
@requires(Action.REVIEW)
def return_task(task_id: int) -> Response:
    return _review_step(
        Action.REVIEW,
        task_id,
        lambda task, body: task_actions.return_task(
            task, current_account(), body.comment, get_clock(current_app)
        ),
    )


@bp.route("/tasks/<int:task_id>/approve", methods=["POST"])
@requires(Action.REVIEW)
def approve_task(task_id: int) -> Response:
    return _review_step(
        Action.REVIEW,
        task_id,
        lambda task, body: task_actions.approve_task(
            task, current_account(), body.comment, get_clock(current_app)
        ),
    )


@bp.route("/tasks/<int:task_id>/deadline", methods=["POST"])
@requires(Action.SET_DEADLINE)
def set_deadline(task_id: int) -> Response:
    task = task_for(Action.SET_DEADLINE, task_id)
    body = read_body(SetDeadlineBody)
    try:
        if body.cadence is not None:
            created = deadline_cadences.set_cadence(
                task, current_account(), body.cadence.form(), body.reason, get_clock(current_app)
            )
            # The first of the tasks the cadence made (the next occurrence).
            task = created[0] if created else task
        elif body.due_on is not None:
            deadlines.set_deadline(
                task, current_account(), body.due_on, body.reason, get_clock(current_app)
            )
    except (deadlines.DeadlineError, task_actions.ConcurrentUpdateError) as error:
        discard()
        return problem(409, str(error))
    return answer(schemas.Task.as_of(task, this_day()))


@bp.route("/tasks/<int:task_id>/extension-requests", methods=["POST"])
@requires(Action.REQUEST_EXTENSION)
def request_extension(task_id: int) -> Response:
    task = task_for(Action.REQUEST_EXTENSION, task_id)
    body = read_body(DeadlineBody)
    clock = get_clock(current_app)
    try:
        row = deadlines.request_extension(task, current_account(), body.due_on, body.reason, clock)
    except deadlines.DeadlineError as error:
        discard()
        return problem(409, str(error))
    return answer(schemas.ExtensionRequest.of(row), 201)


@bp.route("/extension-requests/<int:request_id>/decision", methods=["POST"])
@requires(Action.DECIDE_EXTENSION)
def decide_extension(request_id: int) -> Response:
    row = deadlines.find_visible_request(current_account(), request_id)
    if row is None:
        return problem(404, "no such extension request")
    body = read_body(DecisionBody)
    clock = get_clock(current_app)
    try:
        deadlines.decide_extension(row, current_account(), body.approve, body.comment, clock)
    except (deadlines.DeadlineError, task_actions.ConcurrentUpdateError) as error:
        discard()
        return problem(409, str(error))
    return answer(schemas.ExtensionRequest.of(row))


@bp.route("/tasks/<int:task_id>/reminders", methods=["POST"])
@requires(Action.SEND_REMINDER)
def send_reminder(task_id: int) -> Response:
    task = task_for(Action.SEND_REMINDER, task_id)
    try:
        queued = reminders.send_reminder_now(task, current_account(), get_clock(current_app))
    except reminders.ReminderRefused as error:
        return problem(409, str(error))
    result = schemas.ReminderResult(task_id=task.id, queued=[m.address for m in queued])
    return answer(result, 202 if queued else 200)
