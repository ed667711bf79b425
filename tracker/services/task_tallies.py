"""Reading the task tally (tracker/models/tally.py): a year's counts per commune and status.

The city and national roll-ups count a year's task rows per commune and effective status. At
the country's size that is 434,000 rows of a year; the tally holds one row per commune, year,
stored status and "extended" flag (~20,000 for the country's year), kept in step by triggers
on ``task``. Two corrections make it the effective status the board shows:

- work still in hand past its due date reads "overdue" before the refresh stores it so
  (between midnight and the next tick): those rows are counted from ``task`` through the
  partial index ``ix_task_late_unmarked`` (only rows in those statuses, by due date), so the
  query touches the few late ones, not the year;
- cancelled rows are left out, as everywhere in the roll-ups.

:func:`compact` folds the triggers' delta rows (the scheduler runs it every tick);
:func:`rebuild` recounts everything from ``task`` (after a bulk load with triggers off);
:func:`differences` compares the tally with a recount (tests, and an operator's check).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
)

from tracker.extensions import db
from tracker.models import Commune, Task, TaskStatus, TaskTally, is_work
from tracker.models.task import LATE_UNMARKED_SQL

CANCELLED = str(TaskStatus.CANCELLED)
OVERDUE = str(TaskStatus.OVERDUE)


@dataclass(frozen=True)
class TalliedCounts:
    """One commune's year: rows per effective status, and those done on time only after an
    approved extension."""

    by_status: dict[str, int]
    on_time_after_extension: int


def _extended() -> ColumnElement[bool]:
    return and_(
        Task.status == str(TaskStatus.DONE_ON_TIME),
        Task.original_due_on.is_not(None),
        Task.due_on > Task.original_due_on,
    )


def year_counts(
    year: int, today: dt.date, communes: ColumnElement[bool] | None = None
) -> dict[int, TalliedCounts]:
    """Every commune's counts for ``year`` (``communes``: SQL on ``Commune`` to narrow them)."""
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    extended: dict[int, int] = defaultdict(int)
    tally = (
        select(TaskTally.commune_id, TaskTally.status, TaskTally.extended, func.sum(TaskTally.rows))
        .where(TaskTally.year == year, TaskTally.status != CANCELLED)
        .group_by(TaskTally.commune_id, TaskTally.status, TaskTally.extended)
    )
    late = (
        select(Task.commune_id, Task.status, func.count())
        # The partial index's own predicate, word for word: with bound parameters (IN (…),
        # IS false) the planner cannot prove a generic plan matches it, and scans the year.
        .where(Task.year == year, text(LATE_UNMARKED_SQL), Task.due_on < today)
        .group_by(Task.commune_id, Task.status)
    )
    if communes is not None:
        chosen = select(Commune.id).where(communes)
        tally = tally.where(TaskTally.commune_id.in_(chosen))
        late = late.where(Task.commune_id.in_(chosen))
    for commune_id, status, is_extended, rows in db.session.execute(tally):
        if rows:
            counts = by_status[commune_id]
            counts[status] = counts.get(status, 0) + int(rows)
            if is_extended:
                extended[commune_id] += int(rows)
    for commune_id, status, rows in db.session.execute(late):
        counts = by_status[commune_id]
        counts[status] -= rows
        counts[OVERDUE] = counts.get(OVERDUE, 0) + rows
    return {
        commune_id: TalliedCounts(
            {s: n for s, n in counts.items() if n}, extended.get(commune_id, 0)
        )
        for commune_id, counts in by_status.items()
    }


_KEY = (TaskTally.commune_id, TaskTally.year, TaskTally.status, TaskTally.extended)


def compact() -> int:
    """Fold the delta rows into one row per key; returns how many rows were folded.

    One ``DELETE … RETURNING`` takes every row of the keys that have deltas, and their sums go
    back as single rows in the same transaction: a delta a concurrent writer commits meanwhile
    is either among the deleted rows (then summed) or not (then left for the next time).
    Flushes only; the job commits.
    """
    keys = select(*_KEY).where(TaskTally.is_delta.is_(True)).distinct()
    moved = db.session.execute(
        delete(TaskTally)
        .where(tuple_(*_KEY).in_(keys))
        .returning(*_KEY, TaskTally.rows)
        .execution_options(synchronize_session=False)
    ).all()
    sums: dict[tuple[int, int, str, bool], int] = defaultdict(int)
    for commune_id, year, status, is_extended, rows in moved:
        sums[(commune_id, year, status, bool(is_extended))] += rows
    values = [
        {"commune_id": c, "year": y, "status": s, "extended": e, "rows": n, "is_delta": False}
        for (c, y, s, e), n in sums.items()
        if n
    ]
    for start in range(0, len(values), 5_000):
        db.session.execute(insert(TaskTally), values[start : start + 5_000])
    return len(moved)


def _recount() -> Iterator[tuple[tuple[int, int, str, bool], int]]:
    extended = case((_extended(), literal(True)), else_=literal(False))
    rows = db.session.execute(
        select(Task.commune_id, Task.year, Task.status, extended, func.count())
        .where(is_work())
        .group_by(Task.commune_id, Task.year, Task.status, extended)
    )
    for commune_id, year, status, is_extended, count in rows:
        yield (commune_id, year, str(status), bool(is_extended)), int(count)


def recount_insert() -> Any:
    """``INSERT INTO task_tally … SELECT`` the whole recount (after ``DELETE FROM task_tally``)."""
    extended = case((_extended(), literal(True)), else_=literal(False))
    recount = (
        select(Task.commune_id, Task.year, Task.status, extended, func.count(), literal(False))
        .where(is_work())
        .group_by(Task.commune_id, Task.year, Task.status, extended)
    )
    columns = ["commune_id", "year", "status", "extended", "rows", "is_delta"]
    return insert(TaskTally).from_select(columns, recount)


def rebuild() -> None:
    """Recount the whole tally from ``task`` (after a bulk load with the triggers off).
    Flushes only."""
    db.session.execute(delete(TaskTally))
    db.session.execute(recount_insert())


def differences() -> dict[tuple[int, int, str, bool], tuple[int, int]]:
    """Keys where the tally and a recount disagree: key → (tally, recount). Empty is right."""
    tallied: dict[tuple[int, int, str, bool], int] = defaultdict(int)
    for commune_id, year, status, is_extended, rows in db.session.execute(
        select(*_KEY, func.sum(TaskTally.rows)).group_by(*_KEY)
    ):
        if rows:
            tallied[(commune_id, year, status, bool(is_extended))] = int(rows)
    counted = dict(_recount())
    return {
        key: (tallied.get(key, 0), counted.get(key, 0))
        for key in set(tallied) | set(counted)
        if tallied.get(key, 0) != counted.get(key, 0)
    }
