"""The yearly rollover: each plan's workflow starts for every year it covers, when that year comes.

A plan runs as one workflow instance per (commune, plan, year). The import starts the years
that have already come; every scheduler tick (and ``tracker workflow tick``) then starts the
next one as soon as it is *due*: when the first work window of that year opens, and at the
latest on 1 January. A year's work is what the deadline engine keys by that year, wherever
its dates fall ("trước ngày 31/01 năm sau" of 2026 is due in 2027 but reports on 2026, so it
is 2026's work and its window may open that year): a year whose first window opens in
December of the year before starts then.

Which years a plan covers is the stored period: ``period_from`` to ``period_to``, and on past
it for an open-ended plan ("… và những năm tiếp theo"). A plan imported for a later period
gets nothing until its first year comes.

The rollover is idempotent: a year that has an instance is never started again (the unique
``(plan, commune, year)`` constraint settles a race between two processes; the loser's start
is rolled back to its savepoint and skipped). After a downtime a tick starts every year that
came meanwhile, once, and the reminders that follow are the sweep's usual catch-ups, not
the missed ladder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.models import Plan, Task, WorkflowInstance, WorkflowSpec
from tracker.services import occurrences, workflows

# How far ahead a year's first window may open: a year is looked at from the year before.
_LOOKAHEAD_YEARS = 1


@dataclass(frozen=True)
class StartedYear:
    """One instance the rollover started."""

    instance: WorkflowInstance
    task_count: int


def covers(plan: Plan, year: int) -> bool:
    """Whether the plan's period includes ``year`` (open-ended plans go on past their end)."""
    last = plan.period_to or plan.period_from
    return year >= plan.period_from and (plan.open_ended or year <= last)


# (plan id, year, what the opening depends on) → the day the year's first window opens.
_OPENS: dict[tuple[int, int, str], dt.date] = {}


def _fingerprint(plan: Plan) -> str:
    """What a year's opening day depends on: the plan's dates and its tasks' time phrases."""
    parts = [str(plan.issued_on), str(plan.issued_month), str(plan.period_from),
             str(plan.period_to), str(plan.open_ended),
             *(f"{t.position}\x1f{t.time_text}" for t in plan.live_items)]
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def year_opens_on(plan: Plan, year: int) -> dt.date:
    """The day ``year`` of the plan is due to start: its first window, at the latest 1 January."""
    key = (plan.id, year, _fingerprint(plan))
    found = _OPENS.get(key)
    if found is None:
        found = dt.date(year, 1, 1)
        for plan_item in plan.live_items:
            for item in occurrences.year_occurrences(plan, plan_item, year):
                opens_on = dt.date.fromisoformat(str(item["opens_on"]))
                found = min(found, opens_on)
        _OPENS[key] = found
    return found


def due_years(plan: Plan, on: dt.date) -> list[int]:
    """The years of the plan that have come by ``on``: every year of its period up to this
    one, and next year once its first window has opened. None yet for a later period."""
    years = [y for y in range(plan.period_from, on.year + 1) if covers(plan, y)]
    ahead = on.year + _LOOKAHEAD_YEARS
    if covers(plan, ahead) and year_opens_on(plan, ahead) <= on:
        years.append(ahead)
    return years


def start_due_years(clock: Clock) -> list[StartedYear]:
    """Start every (plan, commune, year) instance that is due and not started yet. Flushes only.

    One query reads which years every plan already has; only the missing ones cost anything.
    """
    on = today(clock)
    started_years: dict[tuple[int, int], set[int]] = {}
    for plan_id, commune_id, year in db.session.execute(
        select(WorkflowInstance.plan_id, WorkflowInstance.commune_id, WorkflowInstance.year)
    ):
        started_years.setdefault((plan_id, commune_id), set()).add(year)
    started: list[StartedYear] = []
    # A stored plan runs once its process is built (tracker.services.plans.store_plan does it
    # with the import); a plan row without one has nothing to start, nor has a withdrawn plan.
    running = select(WorkflowSpec.plan_id).where(WorkflowSpec.plan_id.is_not(None))
    plans = select(Plan).where(Plan.id.in_(running), Plan.withdrawn_at.is_(None))
    for plan in db.session.scalars(plans.order_by(Plan.id)):
        have = started_years.get((plan.id, plan.commune_id), set())
        for year in due_years(plan, on):
            if year in have:
                continue
            begun = _start_once(plan, year, clock)
            if begun is not None:
                started.append(begun)
    return started


def _start_once(plan: Plan, year: int, clock: Clock) -> StartedYear | None:
    """Start one year in a savepoint; None when another process started it first."""
    savepoint = db.session.begin_nested()
    try:
        instance = workflows.start_instance(plan, plan.commune, year, clock)
        savepoint.commit()
    except (IntegrityError, workflows.WorkflowServiceError):
        savepoint.rollback()
        return None
    count = len(db.session.scalars(select(Task.id).where(Task.instance_id == instance.id)).all())
    return StartedYear(instance, count)
