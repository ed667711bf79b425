"""What the JSON API reads: tasks and plans as the person may see them, a page at a time.

Visibility is the pages' own (tracker.services.permissions.visible_tasks): what a page would
answer 404 for, the API does not find either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Commune, Plan, Task, TaskEvent, TaskStatus, User, is_work
from tracker.services.dashboards import effective_status
from tracker.services.permissions import visible_tasks
from tracker.services.scope import commune_ids, in_scope

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Filter values for ``status``: every stored status, "overdue" meaning late work in hand too.
STATUS_FILTERS = tuple(str(s) for s in TaskStatus)


class ApiQueryError(ValueError):
    """A filter or page the API cannot use (the message names the parameter)."""


@dataclass(frozen=True)
class TaskQuery:
    year: int | None = None
    plan_id: int | None = None
    group: str | None = None
    status: str | None = None
    unit_id: int | None = None
    commune_slug: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PAGE_SIZE

    def check(self) -> None:
        if self.status is not None and self.status not in STATUS_FILTERS:
            raise ApiQueryError(f"status: must be one of {', '.join(STATUS_FILTERS)}")
        if self.page < 1:
            raise ApiQueryError("page: must be 1 or more")
        if not 1 <= self.per_page <= MAX_PAGE_SIZE:
            raise ApiQueryError(f"per_page: must be between 1 and {MAX_PAGE_SIZE}")


@dataclass
class TaskResults:
    tasks: list[Task]
    statuses: dict[int, str]  # effective status of each task on the page
    total: int
    page: int
    per_page: int


def _task_statement(user: User, query: TaskQuery, today: dt.date) -> Any:
    query.check()
    status = effective_status(today)
    stmt = visible_tasks(user).where(is_work())  # a split original: its shares are listed
    if query.year is not None:
        stmt = stmt.where(Task.year == query.year)
    if query.plan_id is not None:
        stmt = stmt.where(Task.plan_id == query.plan_id)
    if query.group is not None:
        stmt = stmt.where(Task.group == query.group)
    if query.unit_id is not None:
        stmt = stmt.where(Task.unit_id == query.unit_id)
    if query.commune_slug is not None:
        stmt = stmt.where(
            Task.commune_id
            == select(Commune.id).where(Commune.slug == query.commune_slug).scalar_subquery()
        )
    if query.status is not None:
        stmt = stmt.where(status == query.status)
    return stmt, status


def find_tasks(user: User, query: TaskQuery, today: dt.date) -> TaskResults:
    """One page of the tasks this person sees, filtered, by due date (no date last)."""
    stmt, status = _task_statement(user, query, today)
    total = db.session.scalar(stmt.with_only_columns(func.count(Task.id))) or 0
    rows = db.session.execute(
        stmt.add_columns(status)
        .options(selectinload(Task.unit), selectinload(Task.assignee), selectinload(Task.plan))
        .order_by(Task.due_on.is_(None), Task.due_on, Task.ref, Task.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    return TaskResults(
        tasks=[row[0] for row in rows],
        statuses={row[0].id: row[1] for row in rows},
        total=total,
        page=query.page,
        per_page=query.per_page,
    )


def all_tasks(user: User, query: TaskQuery, today: dt.date) -> list[tuple[Task, str]]:
    """Every task of the query (no pages: the Excel download), with its effective status."""
    stmt, status = _task_statement(user, query, today)
    rows = db.session.execute(
        stmt.add_columns(status)
        .options(
            selectinload(Task.unit),
            selectinload(Task.assignee),
            selectinload(Task.commune),
        )
        .order_by(Task.due_on.is_(None), Task.due_on, Task.ref, Task.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def task_events(task: Task) -> list[TaskEvent]:
    return list(
        db.session.scalars(
            select(TaskEvent)
            .where(TaskEvent.task_id == task.id)
            .options(selectinload(TaskEvent.actor))
            .order_by(TaskEvent.id)
        )
    )


def visible_plans(user: User) -> list[Plan]:
    """Sở Nội vụ sees its province's plans, Bộ Nội vụ every plan; commune people their own."""
    stmt = select(Plan).options(selectinload(Plan.commune)).order_by(Plan.commune_id, Plan.id)
    stmt = stmt.where(Plan.commune_id.in_(commune_ids(user)))
    return list(db.session.scalars(stmt))


def find_visible_plan(user: User, plan_id: int) -> Plan | None:
    plan = db.session.get(Plan, plan_id, options=[selectinload(Plan.tasks)])
    if plan is None:
        return None
    if not in_scope(user, plan.commune):
        return None
    return plan
