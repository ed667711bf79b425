"""The task use cases: submit, approve, return, and the daily status refresh.

Rows backed by a workflow instance move through the engine (load → refresh timers → act →
save → sync); shares of a collective task (rows without an instance, see
``services.assignments.split_task``) follow the same statuses on the table alone. Every
transition is a TaskEvent row: who, when, from → to, comment, evidence.

A split original (``Task.is_split``) is a container that follows its shares: submit and
review are refused on it (see :func:`split_refusal`), and when its last share is approved it
completes by itself — in its workflow, by the system, as a ``shares_approved`` event — done
on time or late by that approval against its own due date, so the workflow moves on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, update

from tracker.clock import Clock, local_date, today
from tracker.extensions import db
from tracker.i18n import _, ngettext
from tracker.models import (
    SUBMITTABLE_STATUSES,
    Evidence,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    Unit,
    User,
    WorkflowInstance,
)
from tracker.services.permissions import Action, can
from tracker.services.rollover import StartedYear, start_due_years
from tracker.services.task_sync import Acted
from tracker.services.workflow_errors import ConcurrentUpdateError, WorkflowServiceError
from tracker.services.workflows import FiredTimer, act, fire_due_timers

__all__ = [
    "ConcurrentUpdateError",
    "RefreshReport",
    "TaskActionError",
    "approve_task",
    "refresh_statuses",
    "return_task",
    "split_refusal",
    "submit_task",
]




class TaskActionError(ValueError):
    """An action refused: not allowed, wrong step, bad evidence. The message is for users."""


def split_refusal(task: Task) -> str:
    """Why a split original takes no submit, review or reminder: its shares are the work."""
    names = db.session.scalars(
        select(Unit.name).join(Task, Task.unit_id == Unit.id)
        .where(Task.parent_id == task.id).order_by(Task.id)
    ).all()
    return _("Nhiệm vụ %(ref)s đã được chia cho %(units)s: hãy gửi duyệt, duyệt, trả lại hoặc "
             "nhắc việc trên từng phần được chia (xem trang nhiệm vụ).",
             ref=task.ref, units=", ".join(names))


def _check_not_split(task: Task) -> None:
    if task.is_split:
        raise TaskActionError(split_refusal(task))


def submit_task(task: Task, actor: User, comment: str | None, evidence_ids: Sequence[int],
                clock: Clock) -> Task:
    """The lead unit submits its result (with evidence) for the focal unit's review."""
    if not can(actor, Action.SUBMIT, task):
        raise TaskActionError(_("Bạn không có quyền nộp kết quả nhiệm vụ này."))
    _check_not_split(task)
    if TaskStatus(task.status) not in SUBMITTABLE_STATUSES:
        raise TaskActionError(_("Nhiệm vụ này không ở bước nộp kết quả."))
    evidence = _check_evidence(task, evidence_ids)
    return _transition(task, actor, TaskEventAction.SUBMIT, _clean(comment), evidence, clock,
                       lambda run: run.submit(task.spiff_task_id or ""))


def approve_task(task: Task, actor: User, comment: str | None, clock: Clock) -> Task:
    """The focal unit accepts the result: done, on time or late by the approval date.

    Approving the last open share of a split task completes the original too.
    """
    _check_review(task, actor)
    _transition(task, actor, TaskEventAction.APPROVE, _clean(comment), (), clock,
                lambda run: run.review(task.spiff_task_id or "", approve=True))
    if task.parent_id is not None:
        _complete_when_all_shares_approved(task.parent_id, clock)
    return task


def return_task(task: Task, actor: User, comment: str | None, clock: Clock) -> Task:
    """The focal unit sends the result back; the comment says what to fix (required)."""
    _check_review(task, actor)
    text = _clean(comment)
    if not text:
        raise TaskActionError(_("Hãy ghi ý kiến khi trả lại nhiệm vụ."))
    return _transition(task, actor, TaskEventAction.RETURN, text, (), clock,
                       lambda run: run.review(task.spiff_task_id or "", approve=False))


@dataclass(frozen=True)
class RefreshReport:
    fired: list[FiredTimer]
    opened: list[Task]
    overdue: list[Task]  # rows without an instance whose due date passed
    started: list[StartedYear] = field(default_factory=list)  # years that came (rollover)


def refresh_statuses(clock: Clock) -> RefreshReport:
    """The daily (or every tick) refresh: years come; timers fire; windows open; dates pass.

    A plan's year whose first window has opened gets its workflow instance first
    (:func:`tracker.services.rollover.start_due_years`).

    Idempotent: a second run at the same time changes nothing.
    """
    started = start_due_years(clock)  # a new year's instances, once its first window opens
    fired = fire_due_timers(clock)
    now, on = clock.now(), today(clock)
    opened = list(db.session.scalars(
        select(Task).where(Task.status == str(TaskStatus.NOT_DUE), Task.opens_on <= on)
    ))
    for task in opened:
        _set_status(task, TaskStatus.IN_PROGRESS, TaskEventAction.OPEN, None, None, None, now)
    late = list(db.session.scalars(
        select(Task).where(
            Task.instance_id.is_(None),
            Task.status.in_([str(TaskStatus.IN_PROGRESS), str(TaskStatus.RETURNED)]),
            Task.due_on < on,
        )
    ))
    for task in late:
        _set_status(task, TaskStatus.OVERDUE, TaskEventAction.OVERDUE, None, None, None, now)
    db.session.flush()
    return RefreshReport(fired, opened, late, started)


# --- internals --------------------------------------------------------------------------


def _transition(task: Task, actor: User, action: TaskEventAction, comment: str | None,
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


def _table_transition(task: Task, actor: User, action: TaskEventAction, comment: str | None,
                      evidence: Sequence[Evidence], clock: Clock) -> None:
    """The same statuses for a share of a collective task, which has no instance.

    Optimistic locking like the instances' version check: the row is claimed with an UPDATE
    on the status and sequence this session read, so of two sessions acting on the same share
    (approve and return, two submits) one wins and the other gets ConcurrentUpdateError.
    """
    now = clock.now()
    _claim(task, now)
    if action == TaskEventAction.SUBMIT:
        target = TaskStatus.AWAITING_REVIEW
        task.submitted_at = now
    elif action == TaskEventAction.RETURN:
        target = TaskStatus.RETURNED
    else:
        approved_on = local_date(now)
        late = task.due_on is not None and approved_on > task.due_on
        target = TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME
        task.completed_at = now
    ids = [e.id for e in evidence]
    _set_status(task, target, action, actor, comment, ids[0] if ids else None, now)
    for evidence_id in ids[1:]:
        db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id, at=now,
                                 action=TaskEventAction.ATTACH, evidence_id=evidence_id))
    db.session.flush()


def _claim(task: Task, now: object) -> None:
    """Raise ConcurrentUpdateError unless the row still has the status and sequence we read."""
    result = db.session.execute(
        update(Task)
        .where(Task.id == task.id, Task.status == task.status, Task.sequence == task.sequence)
        .values(sequence=Task.sequence + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise ConcurrentUpdateError()


def _set_status(task: Task, status: TaskStatus, action: TaskEventAction, actor: User | None,
                comment: str | None, evidence_id: int | None, now: object) -> None:
    before = task.status
    task.status = str(status)
    task.sequence += 1
    task.updated_at = now  # type: ignore[assignment]
    db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id if actor else None, at=now,
                             action=action, from_status=before, to_status=str(status),
                             comment=comment, evidence_id=evidence_id))


def _complete_when_all_shares_approved(original_id: int, clock: Clock) -> None:
    """The split original completes, by the system, once every share is done.

    Done on time or late by now (the latest share's approval) against the original's own due
    date. A workflow row is submitted and approved in its instance, so the plan moves on; its
    deadline timer, if it fired, fired once, and its escalation is not thrown again.
    """
    # Locked: of two shares approved at once, the later approval sees the earlier one.
    original = db.session.scalar(
        select(Task).where(Task.id == original_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if original is None or not original.is_split or not TaskStatus(original.status).is_open:
        return
    shares = db.session.scalars(
        select(Task.status).where(Task.parent_id == original.id,
                                  Task.status != str(TaskStatus.CANCELLED))
    ).all()
    if not shares or not all(TaskStatus(s).is_done for s in shares):
        return
    comment = ngettext("Tất cả %(num)d phần được chia đã được duyệt.",
                       "Tất cả %(num)d phần được chia đã được duyệt.", len(shares))
    if original.instance_id is None:
        now = clock.now()
        approved_on = local_date(now)
        late = original.due_on is not None and approved_on > original.due_on
        original.completed_at = now
        _set_status(original, TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME,
                    TaskEventAction.SHARES_APPROVED, None, comment, None, now)
        db.session.flush()
        return
    instance = db.session.get(WorkflowInstance, original.instance_id)
    spiff_id = original.spiff_task_id or ""
    if instance is None or not spiff_id:
        raise TaskActionError(_("Nhiệm vụ này không thuộc quy trình nào."))
    acted = Acted(spiff_id, TaskEventAction.SHARES_APPROVED, None, comment)
    try:
        act(instance, clock, spiff_id, lambda run: run.complete(spiff_id), acted)
    except WorkflowServiceError as exc:
        raise TaskActionError(str(exc)) from exc


def _check_review(task: Task, actor: User) -> None:
    if not can(actor, Action.REVIEW, task):
        raise TaskActionError(_("Bạn không có quyền duyệt nhiệm vụ này."))
    _check_not_split(task)
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
