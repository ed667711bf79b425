"""The chairman's overdue board, and the overdue rule that the roll-ups share too.

Everything here reads the task table (and its history), never the workflow instances: the
workflow engine keeps that table in step on every save. A task counts as overdue when it is
marked so, or when it is still being worked on and its due date has passed — the same rule as
the task lists (tracker.services.task_lists), so the board is right before the sweep has run.
Tasks waiting for review are the reviewer's turn, not late work, and are never overdue here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
    Commune,
    Mail,
    MailKind,
    Role,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    User,
    is_work,
)
from tracker.services.permissions import COMMUNE_WIDE, role_of
from tracker.services.scope import OVERSEERS, commune_clause, scoped_commune

# Every status a roll-up counts, in the order the tables show them.
ROLLUP_STATUSES = (
    TaskStatus.OVERDUE,
    TaskStatus.RETURNED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.AWAITING_REVIEW,
    TaskStatus.NOT_DUE,
    TaskStatus.NO_DEADLINE,
    TaskStatus.DONE_ON_TIME,
    TaskStatus.DONE_LATE,
)

# How late an overdue task is: (key, first day, last day or None for "and more").
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1-7", 1, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("91+", 91, None),
)

# Mails that remind the people doing a task: the ladder's automatic ones and "Nhắc ngay".
# Escalations (to the chairman), coordination notices and digests remind nobody of this task.
REMINDER_KINDS = (
    MailKind.OPENING,
    MailKind.DUE_SOON,
    MailKind.DUE_TODAY,
    MailKind.OVERDUE,
    MailKind.CATCH_UP,
    MailKind.MANUAL,
)


class DashboardError(ValueError):
    """A request the dashboards cannot answer as asked (the message says why)."""


# --------------------------------------------------------------------------- the overdue rule
# (Task.is_overdue_on, in Python and SQL)


def effective_status(today: dt.date) -> ColumnElement[str]:
    """SQL: the stored status, except that late work still in hand reads ``overdue``."""
    return case((Task.is_overdue_on(today), str(TaskStatus.OVERDUE)), else_=Task.status)


def age_bucket(days_late: int) -> str:
    for key, first, last in AGE_BUCKETS:
        if days_late >= first and (last is None or days_late <= last):
            return key
    raise DashboardError(f"a task {days_late} days late is not overdue")


def week_end(today: dt.date) -> dt.date:
    """The Sunday closing the working week that holds ``today``."""
    return today + dt.timedelta(days=6 - today.weekday())


# --------------------------------------------------------------------------- scope


def dashboard_communes(user: User | None = None, where: Any = None) -> list[Commune]:
    """The communes a city-level person may pick from (never the city's own row): those of
    their province for Sở Nội vụ, every one for Bộ Nội vụ (``where`` narrows further)."""
    query = select(Commune).where(Commune.kind != "city").order_by(Commune.name)
    if user is not None:
        query = query.where(commune_clause(user))
    if where is not None:
        query = query.where(where)
    return list(db.session.scalars(query))


def resolve_commune(user: User, slug: str | None) -> Commune | None:
    """The commune a commune-wide dashboard shows to this person, or None.

    Commune people always see their own commune (another slug is not found); the city
    administrator sees the commune named by ``slug``, and None until one is chosen.
    """
    role = role_of(user)
    if role in OVERSEERS:
        return scoped_commune(user, slug) if slug else None
    if role not in COMMUNE_WIDE or user.commune_id is None:
        return None
    commune = db.session.get(Commune, user.commune_id)
    if commune is None or (slug and slug != commune.slug):
        return None
    return commune


# --------------------------------------------------------------------------- overdue board


@dataclass
class OverdueItem:
    task: Task
    days_late: int
    bucket: str
    last_reminded_at: dt.datetime | None
    # Who the reminders of this task went to (names, or addresses of people without an account).
    reminded: list[str] = field(default_factory=list)
    # Who a reminder sent now would reach: the assignee and the unit heads with an address.
    reachable: list[User] = field(default_factory=list)

    @property
    def is_collective(self) -> bool:
        """Work of "the units" together that nobody has been named for yet."""
        return self.task.unit.kind == UnitKind.COLLECTIVE and self.task.assignee_id is None


@dataclass
class UnitOverdue:
    unit: Unit
    total: int
    by_bucket: dict[str, int]


@dataclass
class OverdueBoard:
    commune: Commune
    today: dt.date
    week_ends_on: dt.date
    items: list[OverdueItem]
    by_unit: list[UnitOverdue]
    by_bucket: dict[str, int]
    escalations: list[OverdueItem]
    due_this_week: list[Task]
    # Who shares out a collective task (the focal officers): answerable until it is shared.
    assigners: list[User] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def escalated_not_late(self) -> list[OverdueItem]:
        """Escalated tasks that are no longer late work (waiting for review): the board lists
        every overdue task once, with its escalation, so only these need a list of their own."""
        late = {entry.task.id for entry in self.items}
        return [entry for entry in self.escalations if entry.task.id not in late]

    @property
    def escalated_count(self) -> int:
        return len(self.escalations)


@dataclass
class _Reminded:
    last_at: dt.datetime | None = None
    names: list[str] = field(default_factory=list)


def _reminders_sent(task_ids: Iterable[int]) -> dict[int, _Reminded]:
    """When each task's people were last reminded, automatically or by hand, and who they are."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Mail.task_id, Mail.created_at, User.full_name, Mail.address)
        .outerjoin(User, User.id == Mail.recipient_id)
        .where(Mail.task_id.in_(ids), Mail.kind.in_([str(k) for k in REMINDER_KINDS]))
        .order_by(Mail.task_id, Mail.created_at, Mail.id)
    )
    found: dict[int, _Reminded] = {}
    for task_id, at, name, address in rows:
        entry = found.setdefault(task_id, _Reminded())
        entry.last_at = at if entry.last_at is None or at > entry.last_at else entry.last_at
        who = name or address
        if who not in entry.names:
            entry.names.append(who)
    return found


def _heads_by_unit(commune: Commune) -> dict[int, list[User]]:
    heads: dict[int, list[User]] = {}
    query = select(User).where(
        User.commune_id == commune.id,
        User.is_enabled.is_(True),
        User.role == str(Role.UNIT_HEAD),
        User.unit_id.is_not(None),
    ).order_by(User.full_name, User.id)
    for user in db.session.scalars(query):
        heads.setdefault(user.unit_id, []).append(user)
    return heads


def reachable_people(task: Task, heads: dict[int, list[User]]) -> list[User]:
    """Whom a reminder of ``task`` reaches: its assignee, then its unit's heads, with an address.

    The same people as :func:`tracker.services.reminder_audience.responsible`, less those a
    mail cannot reach.
    """
    people: dict[int, User] = {}
    assignee = task.assignee
    if assignee is not None and assignee.is_enabled:
        people[assignee.id] = assignee
    for head in heads.get(task.unit_id, []):
        people.setdefault(head.id, head)
    return [person for person in people.values() if person.email]


def overdue_board(commune: Commune, today: dt.date) -> OverdueBoard:
    """Overdue work of one commune by unit and by age, escalations, and what is due this week.

    A split original is left out (``is_work``): its shares are the work, one item per unit.
    """
    open_statuses = [str(s) for s in TaskStatus if s.is_open]
    loading = (selectinload(Task.unit), selectinload(Task.assignee))
    late = list(
        db.session.scalars(
            select(Task)
            .where(Task.commune_id == commune.id, is_work(), Task.is_overdue_on(today))
            .options(*loading)
            .order_by(Task.due_on, Task.ref, Task.id)
        )
    )
    escalated = list(
        db.session.scalars(
            select(Task)
            .where(
                Task.commune_id == commune.id,
                is_work(),
                Task.escalated_at.is_not(None),
                Task.status.in_(open_statuses),
            )
            .options(*loading)
            .order_by(Task.escalated_at.desc(), Task.id)
        )
    )
    ends_on = week_end(today)
    this_week = list(
        db.session.scalars(
            select(Task)
            .where(
                Task.commune_id == commune.id,
                is_work(),
                Task.status.in_(open_statuses),
                Task.due_on >= today,
                Task.due_on <= ends_on,
            )
            .options(*loading)
            .order_by(Task.due_on, Task.ref, Task.id)
        )
    )
    reminded = _reminders_sent({t.id for t in late} | {t.id for t in escalated})
    heads = _heads_by_unit(commune)

    def item(task: Task) -> OverdueItem:
        days = (today - task.due_on).days if task.due_on else 0
        bucket = age_bucket(days) if days > 0 else ""
        sent = reminded.get(task.id, _Reminded())
        return OverdueItem(
            task, days, bucket, sent.last_at, list(sent.names), reachable_people(task, heads)
        )

    items = [item(t) for t in late]
    by_bucket = {key: 0 for key, _first, _last in AGE_BUCKETS}
    units: dict[int, UnitOverdue] = {}
    for entry in items:
        if not entry.bucket:  # marked overdue though its date has not passed: count it first
            entry.bucket = AGE_BUCKETS[0][0]
        by_bucket[entry.bucket] += 1
        row = units.get(entry.task.unit_id)
        if row is None:
            row = units[entry.task.unit_id] = UnitOverdue(
                entry.task.unit, 0, {key: 0 for key, _f, _l in AGE_BUCKETS}
            )
        row.total += 1
        row.by_bucket[entry.bucket] += 1
    by_unit = sorted(units.values(), key=lambda r: (-r.total, r.unit.name))
    return OverdueBoard(
        commune=commune,
        today=today,
        week_ends_on=ends_on,
        items=items,
        by_unit=by_unit,
        by_bucket=by_bucket,
        escalations=[item(t) for t in escalated],
        due_this_week=this_week,
        assigners=list(
            db.session.scalars(
                select(User)
                .where(
                    User.commune_id == commune.id,
                    User.is_enabled.is_(True),
                    User.role == str(Role.FOCAL_OFFICER),
                )
                .order_by(User.full_name, User.id)
            )
        ),
    )
