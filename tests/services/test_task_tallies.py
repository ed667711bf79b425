"""The task tally stays equal to a recount of the task rows, whatever writes them.

The triggers are the migration's, on the suite's database (SQLite, and PostgreSQL with
TRACKER_TEST_DATABASE=postgres); the roll-ups read the tally, so the counts they show are
checked against the rows themselves at every step of a real plan's year.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import delete, func, select, update

from tests.factories import make_plan_item, make_task
from tests.services.test_split_tasks import AFTER_DUE, TODAY, Scene
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import (
    LATE_UNMARKED_STATUSES,
    WORKING_STATUSES,
    Commune,
    Task,
    TaskStatus,
    TaskTally,
)
from tracker.services import task_tallies
from tracker.services.city_rollups import city_rollup
from tracker.services.plans import withdraw_plan
from tracker.services.rollups import commune_rollup
from tracker.services.tasks import approve_task, return_task, submit_task


def _agrees(commune: Commune, year: int, today: dt.date) -> None:
    assert task_tallies.differences() == {}
    direct = commune_rollup(commune, year, today).total  # counted from the task rows
    row = next(r for r in city_rollup(year, today).rows if r.commune.id == commune.id)
    assert row.counts.by_status == {s: n for s, n in direct.by_status.items() if n}
    assert row.counts.on_time_after_extension == direct.on_time_after_extension


def test_the_late_unmarked_statuses_are_the_working_ones_but_overdue() -> None:
    assert set(LATE_UNMARKED_STATUSES) == set(WORKING_STATUSES) - {TaskStatus.OVERDUE}


def test_a_plans_year_through_the_workflow(app: Flask, clock: FixedClock) -> None:
    scene = Scene(clock)  # a seed plan stored, its 2026 workflow started, the deadline passed
    commune = scene.commune
    assert db.session.scalar(select(func.count()).select_from(TaskTally)) > 0
    _agrees(commune, 2026, TODAY)

    shares = scene.split(clock)  # the original becomes a container: out of the tally
    _agrees(commune, 2026, TODAY)
    for share, head in zip(shares, scene.heads, strict=True):
        submit_task(share, head, "Đã thực hiện", [], clock)
    return_task(shares[0], scene.focal, "Thiếu minh chứng", clock)
    approve_task(shares[1], scene.focal, None, clock)
    _agrees(commune, 2026, TODAY)
    clock.set(AFTER_DUE + dt.timedelta(days=3))
    submit_task(shares[0], scene.heads[0], "Bổ sung", [], clock)
    approve_task(shares[0], scene.focal, "Đạt", clock)
    approve_task(shares[2], scene.focal, None, clock)
    _agrees(commune, 2026, TODAY)

    # Months later with no refresh run: work past its due date reads overdue all the same.
    later = dt.date(2026, 11, 20)
    late = db.session.scalar(
        select(func.count()).select_from(Task).where(
            Task.commune_id == commune.id, Task.year == 2026, Task.due_on < later,
            Task.status.in_([str(s) for s in LATE_UNMARKED_STATUSES]), Task.is_split.is_(False),
        )
    )
    assert late  # the correction is exercised, not only the tally
    _agrees(commune, 2026, later)

    # Folding the deltas changes no count and leaves one row per key.
    before = task_tallies.year_counts(2026, later)
    assert task_tallies.compact() > 0
    db.session.commit()
    assert task_tallies.year_counts(2026, later) == before
    assert not db.session.scalar(select(func.count()).where(TaskTally.is_delta.is_(True)))
    keys = db.session.execute(
        select(TaskTally.commune_id, TaskTally.year, TaskTally.status, TaskTally.extended,
               func.count()).group_by(TaskTally.commune_id, TaskTally.year, TaskTally.status,
                                      TaskTally.extended)
    ).all()
    assert all(row[-1] == 1 for row in keys)
    _agrees(commune, 2026, later)

    # Withdrawing the plan cancels its open tasks: cancelled rows leave the roll-ups.
    withdraw_plan(scene.original.plan, scene.focal, "Ban hành kế hoạch thay thế", clock)
    db.session.commit()
    _agrees(commune, 2026, later)


def test_statements_that_bypass_the_orm_are_counted_too(app: Flask, clock: FixedClock) -> None:
    scene = Scene(clock)
    commune = scene.commune
    ids = list(db.session.scalars(
        select(Task.id).where(Task.commune_id == commune.id, Task.year == 2026,
                              Task.is_split.is_(False)).order_by(Task.id).limit(4)
    ))
    db.session.execute(
        update(Task).where(Task.id.in_(ids))
        .values(status=str(TaskStatus.DONE_ON_TIME), original_due_on=dt.date(2026, 3, 1),
                due_on=dt.date(2026, 3, 1))
    )
    _agrees(commune, 2026, TODAY)
    # Extended: done on time by a deadline later than the plan's.
    db.session.execute(update(Task).where(Task.id.in_(ids[:2])).values(due_on=dt.date(2026, 3, 9)))
    _agrees(commune, 2026, TODAY)
    assert task_tallies.year_counts(2026, TODAY)[commune.id].on_time_after_extension == 2
    extra = make_task(make_plan_item(scene.original.plan), scene.units[0], year=2026,
                      status=str(TaskStatus.IN_PROGRESS))
    _agrees(commune, 2026, TODAY)
    db.session.execute(delete(Task).where(Task.id == extra.id))
    _agrees(commune, 2026, TODAY)
    db.session.rollback()  # the tally rolls back with the rows
    assert task_tallies.differences() == {}


def test_rebuild_recounts_after_a_load_without_triggers(app: Flask, clock: FixedClock) -> None:
    scene = Scene(clock)
    db.session.execute(delete(TaskTally))
    assert task_tallies.differences()  # emptied by hand: wrong
    task_tallies.rebuild()
    assert task_tallies.differences() == {}
    _agrees(scene.commune, 2026, TODAY)
