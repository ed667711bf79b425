"""Deadlines the way offices change them: set by hand, corrected, or extended (gia hạn).

* The focal officer gives a task whose time phrase was not understood a deadline, or corrects
  one occurrence's deadline, always with a reason (:func:`set_deadline`).
* The lead unit's head asks for more time with a reason (:func:`request_extension`); the
  chairman or a vice-chairman approves or refuses it with a comment
  (:func:`decide_extension`). Both sides are told by mail; on approval the deadline moves.

Every move goes through the workflow when the row has an instance (its deadline timer is
re-read from the new date, so reminders, the overdue board, calendars — SEQUENCE raised —
and roll-ups follow); a share of a split task (no instance) moves on the table. The plan's
own deadline is kept in ``Task.original_due_on`` the first time it moves. A deadline whose
timer already fired (the task is overdue) cannot be moved: the record of lateness stays.

Services flush only; the request commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from tracker.cadence import Kind
from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import (
    ExtensionRequest,
    ExtensionStatus,
    MailKind,
    PlanItem,
    Role,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    User,
    WorkflowInstance,
    is_work,
)
from tracker.services import mail as mail_service
from tracker.services.permissions import Action, can, may_see, visible_tasks
from tracker.services.workflows import WorkflowServiceError, act, due_instant

__all__ = [
    "DeadlineError",
    "decide_extension",
    "find_visible_request",
    "move_deadline",
    "needs_deadline",
    "pending_extension",
    "pending_extensions",
    "request_extension",
    "set_deadline",
    "tasks_needing_deadline",
]

# A deadline may move while the work is still in hand and its date has not passed.
_MOVABLE = {TaskStatus.NOT_DUE, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED,
            TaskStatus.NO_DEADLINE, TaskStatus.AWAITING_REVIEW}
_DECIDERS = (Role.CHAIRMAN, Role.VICE_CHAIRMAN)


class DeadlineError(ValueError):
    """A deadline change refused; the message is for users and names the field."""


def needs_deadline(task: Task) -> bool:
    """No deadline, and the plan's time phrase was not understood: someone must set one."""
    return (
        task.due_on is None
        and task.status == str(TaskStatus.NO_DEADLINE)
        and task.plan_item.cadence_kind == str(Kind.UNKNOWN)
    )


def pending_extension(task: Task) -> ExtensionRequest | None:
    return next((r for r in task.extension_requests
                 if r.status == str(ExtensionStatus.PENDING)), None)


def parse_due_on(value: object) -> dt.date:
    """A date from a form or JSON ("YYYY-MM-DD"); a clear message otherwise."""
    text = str(value or "").strip()
    if not text:
        raise DeadlineError(_("Hạn mới: chưa chọn ngày."))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DeadlineError(
            _("Hạn mới: “%(value)s” không phải ngày theo dạng NĂM-THÁNG-NGÀY.", value=text)
        ) from None


def _reason(text: str | None, field: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise DeadlineError(_("%(field)s: không được để trống.", field=field))
    return cleaned


def set_deadline(task: Task, actor: User, due_on: dt.date, reason: str | None,
                 clock: Clock) -> Task:
    """The focal officer sets (or corrects) this occurrence's deadline, saying why."""
    if not can(actor, Action.SET_DEADLINE, task):
        raise DeadlineError(_("Bạn không có quyền đặt hạn cho nhiệm vụ này."))
    text = _reason(reason, _("Lý do đặt hạn"))
    _check_movable(task, due_on, clock)
    before = task.due_on
    _move(task, due_on, clock)
    _event(task, actor, TaskEventAction.DEADLINE_SET, _("Hạn %(old)s → %(new)s. Lý do: %(reason)s",
                                        old=_day(before), new=_day(due_on), reason=text), clock)
    return task


def request_extension(task: Task, actor: User, due_on: dt.date, reason: str | None,
                      clock: Clock) -> ExtensionRequest:
    """The lead unit's head asks for a later deadline; the chairman and vice-chairmen are told."""
    if not can(actor, Action.REQUEST_EXTENSION, task):
        raise DeadlineError(_("Bạn không có quyền xin gia hạn nhiệm vụ này."))
    text = _reason(reason, _("Lý do xin gia hạn"))
    if task.due_on is None:
        raise DeadlineError(_("Nhiệm vụ chưa có hạn: đề nghị cán bộ đầu mối đặt hạn."))
    if pending_extension(task) is not None:
        raise DeadlineError(_("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định."))
    if due_on <= task.due_on:
        raise DeadlineError(_("Hạn mới: phải sau hạn hiện tại (%(due)s).", due=_day(task.due_on)))
    _check_movable(task, due_on, clock)
    request = ExtensionRequest(
        task_id=task.id, requested_by_id=actor.id, requested_at=clock.now(),
        current_due_on=task.due_on, requested_due_on=due_on, reason=text,
        status=str(ExtensionStatus.PENDING),
    )
    db.session.add(request)
    task.extension_requests.append(request)
    _event(task, actor, TaskEventAction.EXTENSION_REQUEST,
           _("Xin gia hạn đến %(new)s. Lý do: %(reason)s", new=_day(due_on), reason=text), clock)
    db.session.flush()
    _mail(request, "asked", _deciders(task), clock)
    return request


def decide_extension(request: ExtensionRequest, actor: User, approve: bool,
                     comment: str | None, clock: Clock) -> ExtensionRequest:
    """The chairman or a vice-chairman approves (the deadline moves) or refuses the request."""
    task = request.task
    if not can(actor, Action.DECIDE_EXTENSION, task):
        raise DeadlineError(_("Bạn không có quyền quyết định gia hạn nhiệm vụ này."))
    if request.status != str(ExtensionStatus.PENDING):
        raise DeadlineError(_("Đề nghị gia hạn này đã được quyết định."))
    text = (comment or "").strip() or None
    if not approve and text is None:
        raise DeadlineError(_("Ý kiến: hãy ghi lý do không đồng ý gia hạn."))
    if approve:
        _check_movable(task, request.requested_due_on, clock)
        _move(task, request.requested_due_on, clock)
    request.status = str(ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED)
    request.decided_by_id = actor.id
    request.decided_at = clock.now()
    request.decision_comment = text
    if approve:
        summary = _("Đồng ý gia hạn đến %(new)s.", new=_day(request.requested_due_on))
    else:
        summary = _("Không đồng ý gia hạn đến %(new)s.", new=_day(request.requested_due_on))
    action = TaskEventAction.EXTENSION_APPROVE if approve else TaskEventAction.EXTENSION_REFUSE
    _event(task, actor, action,
           f"{summary} {text}" if text else summary, clock)
    db.session.flush()
    _mail(request, "decided", [request.requested_by], clock)
    return request


# --- internals --------------------------------------------------------------------------


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else _("chưa có")


def _check_movable(task: Task, due_on: dt.date, clock: Clock) -> None:
    if task.is_split:
        raise DeadlineError(_("Nhiệm vụ %(ref)s đã được chia cho các đơn vị: hãy đổi hạn trên "
                              "từng phần được chia.", ref=task.ref))
    status = TaskStatus(task.status)
    if status is TaskStatus.OVERDUE or (task.due_on is not None and task.due_on < today(clock)):
        raise DeadlineError(_("Nhiệm vụ đã quá hạn: không thể đổi hạn nữa; việc quá hạn "
                              "được ghi nhận như đã xảy ra."))
    if status not in _MOVABLE:
        raise DeadlineError(_("Nhiệm vụ đã hoàn thành hoặc đã hủy: không đổi hạn được."))
    if due_on < today(clock):
        raise DeadlineError(_("Hạn mới: không được trước hôm nay (%(today)s).",
                              today=_day(today(clock))))
    if due_on < task.opens_on:
        raise DeadlineError(_("Hạn mới: không được trước ngày mở việc (%(opens)s).",
                              opens=_day(task.opens_on)))


def move_deadline(task: Task, due_on: dt.date, clock: Clock) -> None:
    """Move the deadline the way every change does (workflow timer, original kept), for a
    caller that has done its own checks and writes its own history (plan amendments)."""
    _move(task, due_on, clock)


def _move(task: Task, due_on: dt.date, clock: Clock) -> None:
    if task.original_due_on is None and task.due_on is not None:
        task.original_due_on = task.due_on
    if task.instance_id is None:
        task.due_on = due_on
        if task.status == str(TaskStatus.NO_DEADLINE):
            opened = task.opens_on <= today(clock)
            task.status = str(TaskStatus.IN_PROGRESS if opened else TaskStatus.NOT_DUE)
        task.sequence += 1
        task.updated_at = clock.now()
        db.session.flush()
        return
    instance = db.session.get(WorkflowInstance, task.instance_id)
    spiff_id = task.spiff_task_id or ""
    if instance is None or not spiff_id:
        raise DeadlineError(_("Nhiệm vụ này không thuộc quy trình nào."))
    try:
        act(instance, clock, spiff_id,
            lambda run: run.move_deadline(spiff_id, due_on, due_instant(due_on)))
    except WorkflowServiceError as exc:
        raise DeadlineError(str(exc)) from exc


def _event(task: Task, actor: User, action: str, comment: str, clock: Clock) -> None:
    db.session.add(TaskEvent(task_id=task.id, actor_id=actor.id, at=clock.now(), action=action,
                             from_status=None, to_status=None, comment=comment))
    db.session.flush()


def _deciders(task: Task) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.commune_id == task.commune_id,
                           User.role.in_([str(r) for r in _DECIDERS]),
                           User.is_enabled.is_(True))
        .order_by(User.id)
    ))


def _mail(request: ExtensionRequest, step: str, people: Sequence[User], clock: Clock) -> None:
    task = request.task
    day = today(clock)

    def subject() -> str:
        if step == "asked":
            return _("Đề nghị gia hạn: %(ref)s. %(title)s", ref=task.ref,
                     title=task.title[:80])
        if request.status == str(ExtensionStatus.APPROVED):
            return _("Đã đồng ý gia hạn: %(ref)s. %(title)s", ref=task.ref,
                     title=task.title[:80])
        return _("Không đồng ý gia hạn: %(ref)s. %(title)s", ref=task.ref,
                 title=task.title[:80])

    mail_service.queue_mails([
        mail_service.OutgoingMail(
            recipient=person, kind=str(MailKind.EXTENSION), step=f"{request.id}-{step}",
            scheduled_on=day, template="extension", subject=subject,
            context={"request": request, "step": step}, task=task,
            commune_id=task.commune_id,
        )
        for person in people if person.email
    ], clock)


def tasks_needing_deadline(user: User) -> list[Task]:
    """The open tasks this person sees whose phrase was not understood and that have no date."""
    query = (
        visible_tasks(user)
        .join(PlanItem, PlanItem.id == Task.plan_item_id)
        .where(Task.due_on.is_(None), Task.status == str(TaskStatus.NO_DEADLINE),
               PlanItem.cadence_kind == str(Kind.UNKNOWN), is_work())
        .order_by(Task.year, Task.plan_id, Task.id)
    )
    return list(db.session.scalars(query))


def pending_extensions(user: User) -> list[ExtensionRequest]:
    """The extension requests waiting for a decision, on the tasks this person sees."""
    seen = visible_tasks(user).with_only_columns(Task.id).scalar_subquery()
    return list(db.session.scalars(
        select(ExtensionRequest)
        .where(ExtensionRequest.status == str(ExtensionStatus.PENDING),
               ExtensionRequest.task_id.in_(seen))
        .order_by(ExtensionRequest.requested_at, ExtensionRequest.id)
    ))


def find_visible_request(user: User, request_id: int) -> ExtensionRequest | None:
    """The request if its task is visible to this person (else None: 404)."""
    request = db.session.get(ExtensionRequest, request_id)
    if request is None or not may_see(user, request.task):
        return None
    return request
