"""Roll-ups: one commune's year per unit and criteria group, and every commune of the city.

Counts use the effective status (late work still in hand reads "overdue", as on the board);
cancelled tasks are left out. Rates:
- progress: done (approved, on time or late) of all tasks;
- on-time rate: done on time, of the work whose deadline has come (done, or overdue now);
- points: points of approved tasks, of the points of every task that carries points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select

from tracker.extensions import db
from tracker.models import Commune, CommuneLevel, Task, TaskStatus, Unit
from tracker.services.dashboards import (
    DONE_STATUSES,
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

    def add(self, status: str, count: int, points: float | None, counted_points: int) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + count
        if counted_points:
            self.has_points = True
            self.points_possible += points or 0.0
            if status in DONE_STATUSES:
                self.points_secured += points or 0.0

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


def _counted_rows(where: list[ColumnElement[bool]], today: dt.date, *keys: Any) -> Any:
    """(keys…, status, count, points, tasks with points), cancelled tasks left out."""
    status = effective_status(today).label("eff_status")
    return db.session.execute(
        select(
            *keys,
            status,
            func.count(Task.id),
            func.sum(Task.points),
            func.count(Task.points),
        )
        .where(*where, Task.status != str(TaskStatus.CANCELLED))
        .group_by(*keys, status)
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
    rows = _counted_rows(
        [Task.commune_id == commune.id, Task.year == year], today, Task.unit_id, Task.group
    )
    for unit_id, group, status, count, points, with_points in rows:
        for bucket in (
            total,
            units.setdefault(unit_id, StatusCounts()),
            groups.setdefault(group or NO_GROUP, StatusCounts()),
        ):
            bucket.add(status, count, points, with_points)
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
    """Every commune's year in one table, with its levels and the city's target."""
    if sort not in CITY_SORT_COLUMNS:
        raise DashboardError(
            f"cannot sort by {sort!r}; choose one of {', '.join(CITY_SORT_COLUMNS)}"
        )
    communes = dashboard_communes()
    counts: dict[int, StatusCounts] = {c.id: StatusCounts() for c in communes}
    for commune_id, status, count, points, with_points in _counted_rows(
        [Task.year == year], today, Task.commune_id
    ):
        if commune_id in counts:
            counts[commune_id].add(status, count, points, with_points)
    levels = {
        level.commune_id: level
        for level in db.session.scalars(select(CommuneLevel).where(CommuneLevel.year == year))
    }
    rows = [
        CommuneRow(
            commune=c,
            counts=counts[c.id],
            registered_level=levels[c.id].registered_level if c.id in levels else None,
            reached_level=levels[c.id].reached_level if c.id in levels else None,
        )
        for c in communes
    ]
    rows = _sorted_rows(rows, sort, descending)
    return CityRollup(
        year=year,
        years=task_years(),
        rows=rows,
        target=city_target(year, targets),
        sort=sort,
        descending=descending,
    )


def _sorted_rows(rows: list[CommuneRow], column: str, descending: bool) -> list[CommuneRow]:
    by_name = sorted(rows, key=lambda r: r.commune.name)
    valued = [r for r in by_name if r.sort_value(column) is not None]
    blank = [r for r in by_name if r.sort_value(column) is None]
    # Sorting is stable even reversed, so rows that tie stay in name order.
    valued.sort(key=lambda r: r.sort_value(column), reverse=descending)
    return valued + blank
