"""Who hears about a commune's tasks: one bulk load per sweep, and the people per task."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.importing.units import unit_meant_by
from tracker.models import (
    Commune,
    ReminderPolicy,
    Role,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    User,
    is_work,
)
from tracker.services.mail import OutgoingMail
from tracker.services.reminder_ladder import DEFAULT_LEAD_DAYS, Policy

# No reminders for finished, withdrawn, ongoing-without-deadline, or submitted work.
QUIET_STATUSES = (
    TaskStatus.DONE_ON_TIME,
    TaskStatus.DONE_LATE,
    TaskStatus.CANCELLED,
    TaskStatus.NO_DEADLINE,
    TaskStatus.AWAITING_REVIEW,
)


@dataclass
class Candidate:
    key: str
    blocked_by: tuple[str, ...]
    build: Callable[[], OutgoingMail]
    task_id: int | None = None  # an escalation's task, whose history is loaded in bulk


@dataclass
class CommuneSnapshot:
    """Everything a sweep needs about one commune, loaded in bulk."""

    commune: Commune
    policy: Policy
    units: dict[int, Unit] = field(default_factory=dict)
    units_by_name: dict[str, Unit] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    heads_by_unit: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    chairmen: list[User] = field(default_factory=list)
    focal: list[User] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def coordinating_units(self, task: Task) -> list[Unit]:
        found: dict[int, Unit] = {}
        for name in task.plan_item.coordinating_units or []:
            unit = self.units_by_name.get(name)
            # A collective wording no lead uses has no row of its own; it still means all.
            meant = unit_meant_by(name) if unit is None else None
            if unit is None and (meant is None or not meant.is_collective):
                continue
            if unit is None or unit.kind == UnitKind.COLLECTIVE:
                for other in self.units.values():
                    if other.kind != UnitKind.COLLECTIVE:
                        found[other.id] = other
            else:
                found[unit.id] = unit
        found.pop(task.unit_id, None)
        return list(found.values())


def load_communes(
    commune_ids: Sequence[int] | None = None, opened_by: dt.date | None = None
) -> list[CommuneSnapshot]:
    """The communes' people, units and open tasks; with ``opened_by``, only the tasks whose
    window has opened by that day (``opening_day`` ≤ it): a task not yet open has no mail,
    digest line or escalation, and the country has far more of those (the plan's later years)
    than of open ones, so the daily sweep does not load them."""
    communes = select(Commune).where(Commune.kind != "city")
    if commune_ids is not None:
        communes = communes.where(Commune.id.in_(commune_ids))
    policies = {p.commune_id: p for p in db.session.scalars(select(ReminderPolicy))}
    by_id = {
        c.id: CommuneSnapshot(c, Policy.from_row(policies.get(c.id)))
        for c in db.session.scalars(communes)
    }
    for unit in db.session.scalars(select(Unit).where(Unit.commune_id.in_(by_id))):
        data = by_id[unit.commune_id]
        data.units[unit.id] = unit
        data.units_by_name[unit.name] = unit
    people = select(User).where(User.is_enabled.is_(True), User.commune_id.in_(by_id))
    for user in db.session.scalars(people):
        data = by_id[user.commune_id]
        data.users[user.id] = user
        if user.role == Role.CHAIRMAN:
            data.chairmen.append(user)
        elif user.role == Role.FOCAL_OFFICER:
            data.focal.append(user)
        elif user.role == Role.UNIT_HEAD and user.unit_id is not None:
            data.heads_by_unit[user.unit_id].append(user)
            unit = data.units.get(user.unit_id)
            if unit is not None and unit.is_focal:
                data.focal.append(user)
    tasks = (
        select(Task)
        # A split original gets no mail of its own: its shares are reminded instead.
        .where(
            Task.commune_id.in_(by_id),
            Task.due_on.is_not(None),
            is_work(),
            Task.status.not_in([str(s) for s in QUIET_STATUSES]),
        )
        .options(selectinload(Task.plan_item), selectinload(Task.plan))
        .order_by(Task.id)
    )
    if opened_by is not None:
        # A superset of opening_day(…) ≤ opened_by, in SQL: the window's first day has come,
        # or the deadline is within the longest lead any commune announces it by.
        lead = max([DEFAULT_LEAD_DAYS, *(d.policy.lead_days for d in by_id.values())])
        tasks = tasks.where(
            or_(Task.opens_on <= opened_by, Task.due_on <= opened_by + dt.timedelta(days=lead))
        )
    for task in db.session.scalars(tasks):
        by_id[task.commune_id].tasks.append(task)
    return list(by_id.values())


def responsible(data: CommuneSnapshot, task: Task) -> list[tuple[User, bool]]:
    """The assignee and the unit heads; a head's copy is optional when someone is assigned."""
    people: dict[int, tuple[User, bool]] = {}
    assignee = data.users.get(task.assignee_id) if task.assignee_id else None
    if assignee is not None:
        people[assignee.id] = (assignee, False)
    for head in data.heads_by_unit.get(task.unit_id, []):
        people.setdefault(head.id, (head, assignee is not None))
    return list(people.values())
