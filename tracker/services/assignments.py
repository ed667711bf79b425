"""Assigning work: a task to a unit and a named officer, splitting collective tasks, reassigning.

Only the focal unit and the commune's leaders assign (permissions.Action.ASSIGN); every
change is written to the task's history and raises its calendar sequence.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import (
    Role,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    Unit,
    UnitKind,
    User,
    is_work,
)
from tracker.services.permissions import visible_tasks

# Units that stand for "everyone" or a city department are not work units of the commune.
_NOT_ASSIGNABLE = {UnitKind.COLLECTIVE, UnitKind.CITY}
_OFFICER_ROLES = {Role.UNIT_HEAD, Role.UNIT_STAFF, Role.FOCAL_OFFICER}


class AssignmentError(ValueError):
    """An assignment that cannot be made; the message names the field."""


def assignable_units(commune_id: int) -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(
                Unit.commune_id == commune_id,
                Unit.kind.not_in([str(k) for k in _NOT_ASSIGNABLE]),
                Unit.is_active.is_(True),  # a deactivated unit keeps its tasks, gets no new one
            )
            .order_by(Unit.is_focal.desc(), Unit.name)
        )
    )


def assignable_officers(commune_id: int) -> list[User]:
    """People of the commune who work in a unit: the choices for a point person."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.commune_id == commune_id,
                User.unit_id.is_not(None),
                User.is_enabled.is_(True),
                User.role.in_([str(r) for r in _OFFICER_ROLES]),
            )
            .options(selectinload(User.unit))
            .order_by(User.unit_id, User.full_name)
        )
    )


def is_collective(task: Task) -> bool:
    """A task for "các phòng, đơn vị" or for several lead units: it may be split."""
    return task.unit.kind == UnitKind.COLLECTIVE or len(task.plan_item.lead_units or []) > 1


def _check_open(task: Task) -> None:
    if not TaskStatus(task.status).is_open:
        raise AssignmentError(
            _("Nhiệm vụ %(ref)s đã kết thúc, không phân công lại được.", ref=task.ref)
        )


def _unit_of_commune(task: Task, unit_id: int | None) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.commune_id != task.commune_id or unit.kind in _NOT_ASSIGNABLE:
        raise AssignmentError(_("Đơn vị: hãy chọn một phòng, đơn vị của xã, phường này."))
    if not unit.is_active and unit.id != task.unit_id:
        raise AssignmentError(
            _("Đơn vị %(name)s đã ngừng hoạt động: hãy chọn đơn vị khác.", name=unit.name)
        )
    return unit


def assign_task(
    task: Task,
    *,
    unit_id: int | None,
    assignee_id: int | None,
    actor: User,
    clock: Clock,
    comment: str = "",
) -> Task:
    """Give the task to a unit and, optionally, a named officer of that unit."""
    _check_open(task)
    if task.is_split:
        raise AssignmentError(
            _("Nhiệm vụ %(ref)s đã được chia cho các đơn vị: hãy phân công trên từng phần "
              "được chia.", ref=task.ref)
        )
    unit = _unit_of_commune(task, unit_id)
    assignee = None
    if assignee_id:
        assignee = db.session.get(User, assignee_id)
        if assignee is None or not assignee.is_enabled or assignee.unit_id != unit.id:
            raise AssignmentError(
                _("Người phụ trách: phải là cán bộ của %(unit)s.", unit=unit.name)
            )
    if task.unit_id == unit.id and task.assignee_id == (assignee.id if assignee else None):
        raise AssignmentError(_("Nhiệm vụ đã được giao đúng như vậy."))
    task.unit_id = unit.id
    task.unit = unit
    task.assignee_id = assignee.id if assignee else None
    task.updated_at = clock.now()
    task.sequence += 1
    summary = unit.name + (f" — {assignee.full_name}" if assignee else "")
    note = comment.strip()
    db.session.add(
        TaskEvent(
            task_id=task.id,
            actor_id=actor.id,
            at=clock.now(),
            action=TaskEventAction.ASSIGN,
            comment=f"{summary}. {note}" if note else summary,
        )
    )
    db.session.flush()
    return task


def split_task(task: Task, *, unit_ids: list[int], actor: User, clock: Clock) -> list[Task]:
    """Share a collective task among units: one task per unit, pointing at the original.

    The original becomes a container (``Task.is_split``): it is no longer work of its own
    (lists, board, roll-ups, reminders, calendars and the API count its shares instead),
    refuses submit, review and reminders, and completes by itself in the workflow when its
    last share is approved (``services.tasks``). Splitting it again adds units while it is
    open; units that already hold a share are skipped.
    """
    _check_open(task)
    if task.parent_id is not None:
        raise AssignmentError(_("Nhiệm vụ này đã là phần được chia, không chia tiếp được."))
    units = [_unit_of_commune(task, unit_id) for unit_id in dict.fromkeys(unit_ids)]
    if not units:
        raise AssignmentError(_("Đơn vị: hãy chọn ít nhất một phòng, đơn vị để chia việc."))
    existing = set(db.session.scalars(select(Task.unit_id).where(Task.parent_id == task.id)))
    now = clock.now()
    shares = []
    for unit in units:
        if unit.id in existing:
            continue
        share = Task(
            instance_id=None,
            spiff_task_id=None,
            plan_id=task.plan_id,
            plan_item_id=task.plan_item_id,
            commune_id=task.commune_id,
            unit_id=unit.id,
            parent_id=task.id,
            year=task.year,
            occurrence_key=task.occurrence_key,
            ref=task.ref,
            title=task.title,
            group=task.group,
            opens_on=task.opens_on,
            due_on=task.due_on,
            # A share starts where the original stands, but its own work is not yet submitted.
            status=str(TaskStatus.IN_PROGRESS)
            if task.status == TaskStatus.AWAITING_REVIEW
            else task.status,
            points=None,
            created_at=now,
            updated_at=now,
        )
        db.session.add(share)
        shares.append(share)
    if not shares:
        raise AssignmentError(_("Các đơn vị đã chọn đều đã được chia việc này."))
    db.session.flush()
    for share in shares:
        db.session.add(
            TaskEvent(
                task_id=share.id,
                actor_id=actor.id,
                at=now,
                action=TaskEventAction.SPLIT,
                to_status=share.status,
                comment=task.unit.name,
            )
        )
    if not task.is_split:
        task.is_split = True
        task.sequence += 1  # it leaves the calendar feeds
    task.updated_at = now
    names = ", ".join(unit.name for unit in units if unit.id not in existing)
    db.session.add(
        TaskEvent(task_id=task.id, actor_id=actor.id, at=now, action=TaskEventAction.SPLIT,
                  comment=names)
    )
    db.session.flush()
    return shares


def assignment_years(user: User) -> list[int]:
    """The years the assignment page offers: those that have tasks this person sees."""
    years = visible_tasks(user).where(is_work()).with_only_columns(Task.year).distinct()
    return sorted(db.session.scalars(years.order_by(None)))


def tasks_to_assign(user: User, *, only_unassigned: bool, year: int | None) -> list[Task]:
    """Open tasks of the commune for the assignment page, unassigned ones first."""
    query = visible_tasks(user).where(
        is_work(),
        Task.status.not_in(
            [str(TaskStatus.DONE_ON_TIME), str(TaskStatus.DONE_LATE), str(TaskStatus.CANCELLED)]
        )
    )
    if only_unassigned:
        query = query.where(Task.assignee_id.is_(None))
    if year is not None:
        query = query.where(Task.year == year)
    query = query.options(selectinload(Task.unit), selectinload(Task.assignee)).order_by(
        Task.assignee_id.is_not(None), Task.due_on.is_(None), Task.due_on, Task.ref, Task.id
    )
    return list(db.session.scalars(query))
