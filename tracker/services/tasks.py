"""The task use cases: submit, approve, return, and the daily status refresh.

Rows backed by a workflow instance move through the engine (load → refresh timers → act →
save → sync); shares of a collective task (rows without an instance, see
``services.assignments.split_task``) follow the same statuses on the table alone. Every
transition is a TaskEvent row: who, when, from → to, comment, evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from tracker.clock import VN_TZ, Clock, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Evidence, Task, TaskEvent, TaskStatus, User, WorkflowInstance
from tracker.services.permissions import Action, can
from tracker.services.workflows import (
    Acted,
    ConcurrentUpdateError,
    FiredTimer,
    WorkflowServiceError,
    act,
    fire_due_timers,
)

__all__ = [
    "ConcurrentUpdateError",
    "RefreshReport",
    "TaskActionError",
    "approve_task",
    "refresh_statuses",
    "return_task",
    "submit_task",
]

SUBMITTABLE = {
    TaskStatus.NOT_DUE, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.OVERDUE,
    TaskStatus.NO_DEADLINE,
}


class TaskActionError(ValueError):
    """An action refused: not allowed, wrong step, bad evidence. The message is for users."""


def submit_task(task: Task, actor: User, comment: str | None, evidence_ids: Sequence[int],
                clock: Clock) -> Task:
    """The lead unit submits its result (with evidence) for the focal unit's review."""
    if not can(actor, Action.SUBMIT, task):
        raise TaskActionError(_("Bạn không có quyền nộp kết quả nhiệm vụ này."))
    if TaskStatus(task.status) not in SUBMITTABLE:
        raise TaskActionError(_("Nhiệm vụ này không ở bước nộp kết quả."))
    evidence = _check_evidence(task, evidence_ids)
    return _transition(task, actor, "submit", _clean(comment), evidence, clock,
                       lambda run: run.submit(task.spiff_task_id or ""))


def approve_task(task: Task, actor: User, comment: str | None, clock: Clock) -> Task:
    """The focal unit accepts the result: done, on time or late by the approval date."""
    _check_review(task, actor)
    return _transition(task, actor, "approve", _clean(comment), (), clock,
                       lambda run: run.review(task.spiff_task_id or "", approve=True))


def return_task(task: Task, actor: User, comment: str | None, clock: Clock) -> Task:
    """The focal unit sends the result back; the comment says what to fix (required)."""
    _check_review(task, actor)
    text = _clean(comment)
    if not text:
        raise TaskActionError(_("Hãy ghi ý kiến khi trả lại nhiệm vụ."))
    return _transition(task, actor, "return", text, (), clock,
                       lambda run: run.review(task.spiff_task_id or "", approve=False))


@dataclass(frozen=True)
class RefreshReport:
    fired: list[FiredTimer]
    opened: list[Task]
    overdue: list[Task]  # rows without an instance whose due date passed


def refresh_statuses(clock: Clock) -> RefreshReport:
    """The daily (or every tick) refresh: timers fire; windows open; due dates pass.

    Idempotent: a second run at the same time changes nothing.
    """
    fired = fire_due_timers(clock)
    now, on = clock.now(), today(clock)
    opened = list(db.session.scalars(
        select(Task).where(Task.status == str(TaskStatus.NOT_DUE), Task.opens_on <= on)
    ))
    for task in opened:
        _set_status(task, TaskStatus.IN_PROGRESS, "open", None, None, None, now)
    late = list(db.session.scalars(
        select(Task).where(
            Task.instance_id.is_(None),
            Task.status.in_([str(TaskStatus.IN_PROGRESS), str(TaskStatus.RETURNED)]),
            Task.due_on < on,
        )
    ))
    for task in late:
        _set_status(task, TaskStatus.OVERDUE, "overdue", None, None, None, now)
    db.session.flush()
    return RefreshReport(fired, opened, late)


# --- internals --------------------------------------------------------------------------


def _transition(task: Task, actor: User, action: str, comment: str | None,
                evidence: Sequence[Evidence], clock: Clock, step: object) -> Task:
    if task.instance_id is None:
        _table_transition(task, actor, action, comment, evidence, clock)
        return task
    instance = db.session.get(WorkflowInstance, task.instance_id)
    if instance is None or not task.spiff_task_id:
        raise TaskActionError(_("Nhiệm vụ này không thuộc quy trình nào."))
    acted = Acted(task.spiff_task_id, action, actor, comment, tuple(e.id for e in evidence))
    try:
        act(instance, clock, task.spiff_task_id, step, acted)  # type: ignore[arg-type]
    except WorkflowServiceError as exc:
        raise TaskActionError(str(exc)) from exc
    return task


def _table_transition(task: Task, actor: User, action: str, comment: str | None,
                      evidence: Sequence[Evidence], clock: Clock) -> None:
    """The same statuses for a share of a collective task, which has no instance."""
    now = clock.now()
    if action == "submit":
        target = TaskStatus.AWAITING_REVIEW
        task.submitted_at = now
    elif action == "return":
        target = TaskStatus.RETURNED
    else:
        approved_on = now.astimezone(VN_TZ).date()
        late = task.due_on is not None and approved_on > task.due_on
        target = TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME
        task.completed_at = now
    ids = [e.id for e in evidence]
    _set_status(task, target, action, actor, comment, ids[0] if ids else None, now)
    for evidence_id in ids[1:]:
        db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id, at=now, action="attach",
                                 evidence_id=evidence_id))
    db.session.flush()


def _set_status(task: Task, status: TaskStatus, action: str, actor: User | None,
                comment: str | None, evidence_id: int | None, now: object) -> None:
    before = task.status
    task.status = str(status)
    task.sequence += 1
    task.updated_at = now  # type: ignore[assignment]
    db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id if actor else None, at=now,
                             action=action, from_status=before, to_status=str(status),
                             comment=comment, evidence_id=evidence_id))


def _check_review(task: Task, actor: User) -> None:
    if not can(actor, Action.REVIEW, task):
        raise TaskActionError(_("Bạn không có quyền duyệt nhiệm vụ này."))
    if task.status != str(TaskStatus.AWAITING_REVIEW):
        raise TaskActionError(_("Nhiệm vụ này không ở bước chờ duyệt."))


def _check_evidence(task: Task, evidence_ids: Sequence[int]) -> list[Evidence]:
    ids = list(dict.fromkeys(evidence_ids))
    if not ids:
        return []
    found = {
        e.id: e
        for e in db.session.scalars(select(Evidence).where(Evidence.id.in_(ids)))
    }
    for evidence_id in ids:
        evidence = found.get(evidence_id)
        if evidence is None or evidence.task_id != task.id:
            raise TaskActionError(
                _("Minh chứng số %(id)s không thuộc nhiệm vụ này.", id=evidence_id)
            )
    return [found[i] for i in ids]


def _clean(comment: str | None) -> str | None:
    text = (comment or "").strip()
    return text or None
