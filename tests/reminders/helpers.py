"""Building a commune's tasks and running scheduler ticks at fixed moments."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import Flask

from tests.factories import make_plan, make_plan_item, make_task
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import Mail, Task, TaskStatus, Unit, User
from tracker.services.scheduler import TickResult, run_tick


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN_TZ)


def add_task(
    plan_item_commune: object,
    unit: Unit,
    *,
    opens_on: dt.date,
    due_on: dt.date,
    assignee: User | None = None,
    coordinating: list[str] | None = None,
    title: str | None = None,
) -> Task:
    plan = make_plan(plan_item_commune, tasks=0)  # type: ignore[arg-type]
    plan_item = make_plan_item(
        plan, coordinating_units=coordinating or [], title=title or f"Việc {plan.id}"
    )
    return make_task(
        plan_item, unit, opens_on=opens_on, due_on=due_on,
        assignee_id=assignee.id if assignee else None, title=plan_item.title,
    )


def tick(app: Flask, clock: FixedClock, moment: dt.datetime, holder: str = "test") -> TickResult:
    clock.set(moment)
    return run_tick(app, holder)


def set_status(task_id: int, status: TaskStatus) -> None:
    db.session.get(Task, task_id).status = str(status)
    db.session.commit()


def mail_counts() -> Counter[tuple[str, str]]:
    """(kind, address) → how many mail rows."""
    return Counter((m.kind, m.address) for m in db.session.scalars(db.select(Mail)))


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
