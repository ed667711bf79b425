"""Roll-ups: one commune's year per unit and criteria group, and every commune of the city.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from tracker.extensions import db
from tracker.models import (
    DONE_STATUSES,
    Commune,
    CommuneLevel,
    Plan,
    PlanItem,
    Task,
    TaskStatus,
    Unit,
    is_work,
)
from tracker.services.dashboards import (
    DashboardError,
    dashboard_communes,
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
_CANCELLED = str(TaskStatus.CANCELLED)


def _counted_rows(where: list[ColumnElement[bool]], today: dt.date, *keys: Any) -> Any:
    """(keys…, status, count), cancelled tasks and split originals left out."""
    status = effective_status(today).label("eff_status")
    return db.session.execute(
        select(*keys, status, func.count(Task.id))
        .where(*where, Task.status != _CANCELLED, is_work())
        .group_by(*keys, status)
    )


def _extended_rows(where: list[ColumnElement[bool]], *keys: Any) -> Any:
    """(keys…, count) of rows done on time by a deadline moved later than the plan's."""
    return db.session.execute(
        select(*keys, func.count(Task.id))
        .where(*where, Task.status == str(TaskStatus.DONE_ON_TIME), is_work(),
               Task.original_due_on.is_not(None), Task.due_on > Task.original_due_on)
        .group_by(*keys)
    )


def _open_rows() -> ColumnElement[int]:
    """SQL aggregate: how many of the group's task rows are not done yet."""
    return func.sum(case((Task.status.in_(_DONE), 0), else_=1))


def _item_rows(where: list[ColumnElement[bool]], *keys: Any) -> Any:
    """(keys…, plan item id, its points, rows not done): one row per plan item and keys.

    Cancelled rows and split originals are left out. The task rows are grouped first and only
    the groups are joined to the plan items, so the join costs one lookup per item, not one
    per row.
    """
    items = (
        select(*keys, Task.plan_item_id, _open_rows().label("open_rows"))
        .where(*where, Task.status != _CANCELLED, is_work())
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
    for unit_id, group, status, count in _counted_rows(where, today, Task.unit_id, Task.group):
        for bucket in (
            total,
            units.setdefault(unit_id, StatusCounts()),
            groups.setdefault(group or NO_GROUP, StatusCounts()),
        ):
            bucket.add(status, count)
    for unit_id, group, count in _extended_rows(where, Task.unit_id, Task.group):
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


# --------------------------------------------------------------------------- city roll-up


@dataclass(frozen=True)
class CityTarget:
    """The city's goal for a year: shares of communes (0-1) at the standard and at Mức độ 4."""

    year: int
    reach_standard: float
    level_4: float


# Decision 003 (UBND thành phố Hải Phòng): 2026 ≥ ~80% reach the standard, ≥ ~20% Mức độ 4;
# from 2027 every commune reaches it, ≥ 30% Mức độ 4 in 2027, ≥ 50% by 2030. The decision names
# no figure for 2028-2029, so the 2027 floor holds until 2030. Override with CITY_TARGETS.
DEFAULT_CITY_TARGETS: dict[int, tuple[float, float]] = {
    2026: (0.80, 0.20),
    2027: (1.00, 0.30),
    2028: (1.00, 0.30),
    2029: (1.00, 0.30),
    2030: (1.00, 0.50),
}


def city_target(year: int, configured: Mapping[int, Any] | None = None) -> CityTarget | None:
    """The target for ``year``: the latest configured year not after it (None before any)."""
    targets = configured or DEFAULT_CITY_TARGETS
    known = sorted(int(y) for y in targets if int(y) <= year)
    if not known:
        return None
    raw = targets.get(known[-1], targets.get(str(known[-1])))  # type: ignore[call-overload]
    reach, level_4 = raw
    return CityTarget(year=year, reach_standard=float(reach), level_4=float(level_4))


@dataclass
class CommuneRow:
    commune: Commune
    counts: StatusCounts
    registered_level: int | None
    reached_level: int | None
    score: float | None = None  # the city's appraisal score (0-100)
    plan_count: int = 0  # plans imported for the commune (0: "chưa có kế hoạch")

    @property
    def has_plan(self) -> bool:
        return self.plan_count > 0

    def sort_value(self, column: str) -> Any:
        """The value a column sorts by; None sorts last whichever the direction."""
        values: dict[str, Any] = {
            "name": self.commune.name,
            "tasks": self.counts.total,
            "progress": self.counts.progress,
            "on_time": self.counts.on_time_rate,
            "overdue": self.counts.overdue,
            "points": self.counts.points_rate,
            "registered": self.registered_level,
            "reached": self.reached_level,
            "plans": self.plan_count,
        }
        return values[column]


CITY_SORT_COLUMNS = (
    "name",
    "tasks",
    "progress",
    "on_time",
    "overdue",
    "points",
    "registered",
    "reached",
    "plans",
)


@dataclass
class CityRollup:
    year: int
    years: list[int]
    rows: list[CommuneRow]
    target: CityTarget | None
    sort: str
    descending: bool

    @property
    def commune_count(self) -> int:
        return len(self.rows)

    def _share(self, values: Iterable[bool]) -> float | None:
        flags = list(values)
        return sum(flags) / len(flags) if flags else None

    @property
    def without_plan_count(self) -> int:
        """Communes that have not sent a plan: the first thing Sở Nội vụ chases."""
        return sum(1 for r in self.rows if not r.has_plan)

    @property
    def reached_count(self) -> int:
        return sum(1 for r in self.rows if r.reached_level)

    @property
    def reached_share(self) -> float | None:
        return self._share(bool(r.reached_level) for r in self.rows)

    @property
    def level_4_count(self) -> int:
        return sum(1 for r in self.rows if r.reached_level == 4)

    @property
    def level_4_share(self) -> float | None:
        return self._share(r.reached_level == 4 for r in self.rows)

    @property
    def registered_count(self) -> int:
        return sum(1 for r in self.rows if r.registered_level)

    @property
    def registered_level_4_count(self) -> int:
        return sum(1 for r in self.rows if r.registered_level == 4)

    @property
    def registered_level_4_share(self) -> float | None:
        return self._share(r.registered_level == 4 for r in self.rows)

    @property
    def meets_reach_target(self) -> bool | None:
        if self.target is None or self.reached_share is None:
            return None
        return self.reached_share + 1e-9 >= self.target.reach_standard

    @property
    def meets_level_4_target(self) -> bool | None:
        if self.target is None or self.level_4_share is None:
            return None
        return self.level_4_share + 1e-9 >= self.target.level_4


def city_rollup(
    year: int,
    today: dt.date,
    *,
    sort: str = "name",
    descending: bool = False,
    targets: Mapping[int, Any] | None = None,
) -> CityRollup:
    """Every commune's year in one table, with its levels and the city's target.

    Every stored commune has a row, with a plan or not (the register gives all 114 of the
    city a row), so the shares and the targets are over the whole city.
    """
    if sort not in CITY_SORT_COLUMNS:
        raise DashboardError(
            f"cannot sort by {sort!r}; choose one of {', '.join(CITY_SORT_COLUMNS)}"
        )
    communes = dashboard_communes()
    counts: dict[int, StatusCounts] = {c.id: StatusCounts() for c in communes}
    for commune_id, status, count in _counted_rows([Task.year == year], today, Task.commune_id):
        if commune_id in counts:
            counts[commune_id].add(status, count)
    for commune_id, count in _extended_rows([Task.year == year], Task.commune_id):
        if commune_id in counts:
            counts[commune_id].on_time_after_extension = count
    for commune_id, possible, secured, with_points in _city_points(year):
        if commune_id in counts and with_points:
            counts[commune_id].has_points = True
            counts[commune_id].points_possible = float(possible or 0.0)
            counts[commune_id].points_secured = float(secured or 0.0)
    levels = {
        level.commune_id: level
        for level in db.session.scalars(select(CommuneLevel).where(CommuneLevel.year == year))
    }
    plan_counts: dict[int, int] = {
        commune_id: count
        for commune_id, count in db.session.execute(
            select(Plan.commune_id, func.count(Plan.id)).group_by(Plan.commune_id)
        )
    }
    rows = [
        CommuneRow(
            commune=c,
            counts=counts[c.id],
            registered_level=levels[c.id].registered_level if c.id in levels else None,
            reached_level=levels[c.id].reached_level if c.id in levels else None,
            score=levels[c.id].score if c.id in levels else None,
            plan_count=plan_counts.get(c.id, 0),
        )
        for c in communes
    ]
    rows = _sorted_rows(rows, sort, descending)
    return CityRollup(
        year=year,
        years=city_years(today),
        rows=rows,
        target=city_target(year, targets),
        sort=sort,
        descending=descending,
    )


def city_years(today: dt.date) -> list[int]:
    """The years the city may look at: those with tasks, every year of a stored plan's period,
    registered levels, and this year and next (next year's registrations come in December)."""
    years = set(task_years())
    years.update((today.year, today.year + 1))
    last_year = func.coalesce(Plan.period_to, Plan.period_from)
    for first, last in db.session.execute(select(func.min(Plan.period_from), func.max(last_year))):
        if first is not None and last is not None:
            years.update(range(first, last + 1))
    years.update(db.session.scalars(select(CommuneLevel.year).distinct()))
    return list(range(min(years), max(years) + 1))


def _city_points(year: int) -> Any:
    """(commune, points possible, points secured, items with points) of every commune's year.

    The same rule as the commune roll-up's total, summed in the database: task rows grouped
    per commune and plan item, then the items' points summed per commune.
    """
    items = (
        select(Task.commune_id, Task.plan_item_id, _open_rows().label("open_rows"))
        .where(Task.year == year, Task.status != _CANCELLED, is_work())
        .group_by(Task.commune_id, Task.plan_item_id)
        .subquery()
    )
    return db.session.execute(
        select(
            items.c.commune_id,
            func.sum(PlanItem.points),
            func.sum(case((items.c.open_rows == 0, PlanItem.points), else_=0.0)),
            func.count(PlanItem.points),
        )
        .join(PlanItem, PlanItem.id == items.c.plan_item_id)
        .group_by(items.c.commune_id)
    )


def _sorted_rows(rows: list[CommuneRow], column: str, descending: bool) -> list[CommuneRow]:
    by_name = sorted(rows, key=lambda r: r.commune.name)
    valued = [r for r in by_name if r.sort_value(column) is not None]
    blank = [r for r in by_name if r.sort_value(column) is None]
    # Sorting is stable even reversed, so rows that tie stay in name order.
    valued.sort(key=lambda r: r.sort_value(column), reverse=descending)
    return valued + blank
