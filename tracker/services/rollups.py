"""Roll-ups: one commune's year per unit and criteria group (the city's: city_rollups.py).

Counts use the effective status (late work still in hand reads "overdue", as on the board);
cancelled tasks are left out, and so are split originals (``Task.is_split``): the shares are
the work, the original is a container that completes with them. Rates:
- progress: done (approved, on time or late) of all tasks;
- on-time rate: done on time, of the work whose deadline has come (done, or overdue now);
- points: points secured of points possible, counted per plan item, never per task row.

Points belong to the plan item (an annex row, ``PlanItem``), not to its occurrences: a weekly
item has ~50 task rows a year and an ongoing one four quarterly check-ins, each row a copy of
the item's points. For a year, and for each bucket the roll-up shows (the commune, a lead
unit, a criteria group, a commune of the city):

- an item is *possible* when it has at least one task row that year in the bucket (cancelled
  rows left out); its points (``PlanItem.points``) count once, however many rows it has;
- an item is *secured* when every one of its rows that year is done (on time or late),
  across the whole commune. Shares of a split collective task (rows with ``parent_id``) are
  rows of the same item; the split original is not among the rows (it completes exactly when
  its last share is approved), so the item is secured when every share is done;
- an item whose rows sit with several units (several leads, a reassignment, shares) counts
  under each of those units, secured or not as a whole; the commune total counts it once. So
  the per-unit points may add up to more than the total; per group they add up (an item has
  one criteria group).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from tracker.extensions import db
from tracker.models import (
    DONE_STATUSES,
    Commune,
    PlanItem,
    Task,
    TaskStatus,
    Unit,
    is_work,
)
from tracker.services.dashboards import (
    effective_status,
)


@dataclass
class StatusCounts:
    """Counts by (effective) status, and the rates the roll-ups show."""

    by_status: dict[str, int] = field(default_factory=dict)
    points_possible: float = 0.0
    points_secured: float = 0.0
    has_points: bool = False
    # Of the rows done on time, those done on time only after an approved extension
    # ("đúng hạn sau gia hạn"): by the deadline they were given, not the plan's.
    on_time_after_extension: int = 0

    def add(self, status: str, count: int) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + count

    def add_item(self, points: float | None, secured: bool) -> None:
        """One plan item of the bucket: its points are possible, and secured when ``secured``."""
        if points is None:
            return
        self.has_points = True
        self.points_possible += points
        if secured:
            self.points_secured += points

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(self.count(s) for s in DONE_STATUSES)

    @property
    def overdue(self) -> int:
        return self.count(TaskStatus.OVERDUE)

    @property
    def progress(self) -> float | None:
        """Share of the tasks that are done (approved)."""
        return self.done / self.total if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        """Of the work whose deadline has come (done, or overdue now), the share done on time."""
        settled = self.done + self.overdue
        return self.count(TaskStatus.DONE_ON_TIME) / settled if settled else None

    @property
    def points_rate(self) -> float | None:
        if not self.has_points or not self.points_possible:
            return None
        return self.points_secured / self.points_possible


_DONE = [str(s) for s in DONE_STATUSES]
CANCELLED = str(TaskStatus.CANCELLED)


def counted_rows(where: list[ColumnElement[bool]], today: dt.date, *keys: Any) -> Any:
    """(keys…, status, count), cancelled tasks and split originals left out.

    ``count(*)``, not ``count(task.id)``: the id is not in ``ix_task_year_rollup``, and asking
    for it turns the index-only scan into a heap scan of the year's rows (the national roll-up
    over 434,000 rows: 43,000 buffers read instead of 5,000; docs/national.md).
    """
    status = effective_status(today).label("eff_status")
    return db.session.execute(
        select(*keys, status, func.count())
        .where(*where, Task.status != CANCELLED, is_work())
        .group_by(*keys, status)
    )


def extended_rows(where: list[ColumnElement[bool]], *keys: Any) -> Any:
    """(keys…, count) of rows done on time by a deadline moved later than the plan's."""
    return db.session.execute(
        select(*keys, func.count(Task.id))
        .where(*where, Task.status == str(TaskStatus.DONE_ON_TIME), is_work(),
               Task.original_due_on.is_not(None), Task.due_on > Task.original_due_on)
        .group_by(*keys)
    )


def open_rows() -> ColumnElement[int]:
    """SQL aggregate: how many of the group's task rows are not done yet."""
    return func.sum(case((Task.status.in_(_DONE), 0), else_=1))


def _item_rows(where: list[ColumnElement[bool]], *keys: Any) -> Any:
    """(keys…, plan item id, its points, rows not done): one row per plan item and keys.

    Cancelled rows and split originals are left out. The task rows are grouped first and only
    the groups are joined to the plan items, so the join costs one lookup per item, not one
    per row.
    """
    items = (
        select(*keys, Task.plan_item_id, open_rows().label("open_rows"))
        .where(*where, Task.status != CANCELLED, is_work())
        .group_by(*keys, Task.plan_item_id)
        .subquery()
    )
    key_columns = [items.c[key.key] for key in keys]
    return db.session.execute(
        select(*key_columns, items.c.plan_item_id, PlanItem.points, items.c.open_rows).join(
            PlanItem, PlanItem.id == items.c.plan_item_id
        )
    )


NO_GROUP = ""  # the key of tasks outside any criteria group


@dataclass
class CommuneRollup:
    commune: Commune
    year: int
    years: list[int]
    total: StatusCounts
    by_unit: list[tuple[Unit, StatusCounts]]
    by_group: list[tuple[str, StatusCounts]]


def task_years(commune: Commune | None = None) -> list[int]:
    """Every year from the first task's to the last's.

    Two queries on purpose: a lone min() or max() is an index lookup, the pair is a scan.
    """
    where = [] if commune is None else [Task.commune_id == commune.id]
    first = db.session.scalar(select(func.min(Task.year)).where(*where))
    last = db.session.scalar(select(func.max(Task.year)).where(*where))
    return [] if first is None or last is None else list(range(first, last + 1))


def commune_rollup(commune: Commune, year: int, today: dt.date) -> CommuneRollup:
    """One commune's year: counts by status, on-time rate and points, per unit and group."""
    total = StatusCounts()
    units: dict[int, StatusCounts] = {}
    groups: dict[str, StatusCounts] = {}
    where = [Task.commune_id == commune.id, Task.year == year]
    for unit_id, group, status, count in counted_rows(where, today, Task.unit_id, Task.group):
        for bucket in (
            total,
            units.setdefault(unit_id, StatusCounts()),
            groups.setdefault(group or NO_GROUP, StatusCounts()),
        ):
            bucket.add(status, count)
    for unit_id, group, count in extended_rows(where, Task.unit_id, Task.group):
        for bucket in (total, units[unit_id], groups[group or NO_GROUP]):
            bucket.on_time_after_extension += count
    # Points per plan item: secured only when its rows are done in every unit that holds one.
    points: dict[int, float | None] = {}
    still_open: set[int] = set()
    unit_items: dict[int, set[int]] = {}
    group_items: dict[str, set[int]] = {}
    for unit_id, group, item, item_points, open_rows in _item_rows(where, Task.unit_id, Task.group):
        points[item] = item_points
        if open_rows:
            still_open.add(item)
        unit_items.setdefault(unit_id, set()).add(item)
        group_items.setdefault(group or NO_GROUP, set()).add(item)
    for item, item_points in points.items():
        total.add_item(item_points, item not in still_open)
    for buckets, items_of in ((units, unit_items), (groups, group_items)):
        for key, items in items_of.items():
            bucket = buckets.setdefault(key, StatusCounts())
            for item in items:
                bucket.add_item(points[item], item not in still_open)
    unit_rows = db.session.scalars(select(Unit).where(Unit.id.in_(list(units)))).all()
    by_unit = sorted(
        ((unit, units[unit.id]) for unit in unit_rows),
        key=lambda pair: (not pair[0].is_focal, pair[0].name),
    )
    by_group = sorted(groups.items(), key=lambda pair: (pair[0] == NO_GROUP, _group_order(pair[0])))
    return CommuneRollup(
        commune=commune,
        year=year,
        years=task_years(commune),
        total=total,
        by_unit=by_unit,
        by_group=by_group,
    )


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}


def _group_order(group: str) -> tuple[int, str]:
    """Criteria groups in document order: "I. …" before "II. …", then by name."""
    head = group.split(".", 1)[0].strip().upper()
    return (_ROMAN.get(head, 99), group)
