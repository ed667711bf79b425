"""The city roll-up: every commune of a province in one table, against the province's target.

The counting rules are the commune roll-up's (``tracker.services.rollups``): effective
status, cancelled rows and split originals left out, points counted per plan item. The
counts per status come from the task tally (``tracker.services.task_tallies``), not from the
year's task rows. Sở Nội
vụ sees its province's communes; Bộ Nội vụ drills down to any province's (``where``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from tracker.extensions import db
from tracker.models import Commune, CommuneLevel, Plan, PlanItem, Province, Task, is_work
from tracker.services import task_tallies
from tracker.services.dashboards import DashboardError, dashboard_communes
from tracker.services.rollups import (
    CANCELLED,
    StatusCounts,
    open_rows,
    task_years,
)


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
    province: Province | None = None  # whose communes (None: the home province's)

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
    where: ColumnElement[bool] | None = None,
    province: Province | None = None,
) -> CityRollup:
    """Every commune's year in one table, with its levels and the province's target.

    Every stored commune has a row, with a plan or not (the register gives all 114 of the
    city a row), so the shares and the targets are over the whole city. ``where`` (SQL on
    ``Commune``) narrows it to one province's communes (``tracker.services.scope``).
    """
    if sort not in CITY_SORT_COLUMNS:
        raise DashboardError(
            f"cannot sort by {sort!r}; choose one of {', '.join(CITY_SORT_COLUMNS)}"
        )
    communes = dashboard_communes(where=where)
    counts: dict[int, StatusCounts] = {c.id: StatusCounts() for c in communes}
    tasks = [Task.year == year]
    if where is not None:
        tasks.append(Task.commune_id.in_(select(Commune.id).where(where)))
    for commune_id, tallied in task_tallies.year_counts(year, today, where).items():
        if commune_id in counts:
            for status, count in tallied.by_status.items():
                counts[commune_id].add(status, count)
            counts[commune_id].on_time_after_extension = tallied.on_time_after_extension
    for commune_id, possible, secured, with_points in _city_points(tasks, where):
        if commune_id in counts and with_points:
            counts[commune_id].has_points = True
            counts[commune_id].points_possible = float(possible or 0.0)
            counts[commune_id].points_secured = float(secured or 0.0)
    level_rows = select(CommuneLevel).where(CommuneLevel.year == year)
    if where is not None:  # the province's levels only, not the country's 3,321 objects
        level_rows = level_rows.where(CommuneLevel.commune_id.in_(select(Commune.id).where(where)))
    levels = {
        level.commune_id: level
        for level in db.session.scalars(level_rows)
        if level.commune_id in counts
    }
    plan_counts: dict[int, int] = {
        commune_id: count
        for commune_id, count in db.session.execute(
            select(Plan.commune_id, func.count(Plan.id)).group_by(Plan.commune_id)
        )
        if commune_id in counts
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
        province=province,
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


def _city_points(tasks: list[ColumnElement[bool]], where: ColumnElement[bool] | None) -> Any:
    """(commune, points possible, points secured, items with points) of every commune's year.

    The same rule as the commune roll-up's total, summed in the database: task rows grouped
    per commune and plan item, then the items' points summed per commune. With ``where`` (one
    province's communes) the plan items are those of the province's plans: otherwise the
    planner joins the groups to every plan item of the country by a hash join over a
    sequential scan (87,689 items at full size, 27 ms of the statement's 35; docs/national.md).
    """
    items = (
        select(Task.commune_id, Task.plan_item_id, open_rows().label("open_rows"))
        .where(*tasks, Task.status != CANCELLED, is_work())
        .group_by(Task.commune_id, Task.plan_item_id)
        .subquery()
    )
    plans = []
    if where is not None:
        province_plans = select(Plan.id).join(Commune, Commune.id == Plan.commune_id).where(where)
        plans.append(PlanItem.plan_id.in_(province_plans))
    return db.session.execute(
        select(
            items.c.commune_id,
            func.sum(PlanItem.points),
            func.sum(case((items.c.open_rows == 0, PlanItem.points), else_=0.0)),
            func.count(PlanItem.points),
        )
        .join(PlanItem, PlanItem.id == items.c.plan_item_id)
        .where(*plans)
        .group_by(items.c.commune_id)
    )


def _sorted_rows(rows: list[CommuneRow], column: str, descending: bool) -> list[CommuneRow]:
    by_name = sorted(rows, key=lambda r: r.commune.name)
    valued = [r for r in by_name if r.sort_value(column) is not None]
    blank = [r for r in by_name if r.sort_value(column) is None]
    # Sorting is stable even reversed, so rows that tie stay in name order.
    valued.sort(key=lambda r: r.sort_value(column), reverse=descending)
    return valued + blank
