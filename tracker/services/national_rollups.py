"""The national roll-up (Bộ Nội vụ): every enabled province against its own target.

Per province: its communes, how many have a plan, the task counts of the year (effective
status, the commune roll-up's rules), and the shares of communes that reached the standard
and Mức độ 4 against the province's target for the year (``ProvinceTarget``, else decision
003's figures). A province drills down to its communes through the city roll-up, narrowed
to that province (:func:`scoped_city_rollup`).

The year's counts per commune come from the task tally (``tracker.services.task_tallies``:
~20,000 rows for the country's year instead of its 434,000 task rows), and the communes are
folded into their provinces here: 3,321 communes are a small dictionary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Commune, CommuneLevel, Plan, Province, Role, User
from tracker.services import task_tallies
from tracker.services.city_rollups import CityRollup, CityTarget, city_rollup, city_target
from tracker.services.provinces import (
    HOME_PROVINCE,
    account_province,
    all_province_targets,
    province_by_code,
    province_clause,
    province_targets,
)
from tracker.services.rollups import StatusCounts, task_years


@dataclass
class ProvinceRow:
    province: Province
    target: CityTarget | None
    counts: StatusCounts = field(default_factory=StatusCounts)
    commune_count: int = 0
    with_plan_count: int = 0
    registered_count: int = 0
    reached_count: int = 0
    level_4_count: int = 0

    def _share(self, count: int) -> float | None:
        return count / self.commune_count if self.commune_count else None

    @property
    def reached_share(self) -> float | None:
        return self._share(self.reached_count)

    @property
    def level_4_share(self) -> float | None:
        return self._share(self.level_4_count)

    @property
    def meets_reach_target(self) -> bool | None:
        share = self.reached_share
        if self.target is None or share is None:
            return None
        return share + 1e-9 >= self.target.reach_standard

    @property
    def meets_level_4_target(self) -> bool | None:
        share = self.level_4_share
        if self.target is None or share is None:
            return None
        return share + 1e-9 >= self.target.level_4


@dataclass
class NationalRollup:
    year: int
    years: list[int]
    rows: list[ProvinceRow]

    @property
    def commune_count(self) -> int:
        return sum(r.commune_count for r in self.rows)

    @property
    def total(self) -> StatusCounts:
        total = StatusCounts()
        for row in self.rows:
            for status, count in row.counts.by_status.items():
                total.add(status, count)
            total.on_time_after_extension += row.counts.on_time_after_extension
        return total


def national_rollup(
    year: int, today: dt.date, *, home_targets: Mapping[int, Any] | None = None
) -> NationalRollup:
    """Every enabled province's year; ``home_targets`` (CITY_TARGETS) are the home
    province's when it has no target rows of its own."""
    provinces = list(db.session.scalars(select(Province).order_by(Province.code)))
    home = next((p for p in provinces if p.codename == HOME_PROVINCE), None)
    rows: dict[int, ProvinceRow] = {}
    targets = all_province_targets()
    for province in provinces:
        configured = targets.get(province.id)
        if configured is None and province is home:
            configured = home_targets
        rows[province.id] = ProvinceRow(province, city_target(year, configured))
    owner: dict[int, ProvinceRow] = {}
    for commune_id, province_id in db.session.execute(
        select(Commune.id, Commune.province_id).where(Commune.kind != "city")
    ):
        key = province_id if province_id is not None else (home.id if home else None)
        if key in rows:
            owner[commune_id] = rows[key]
            rows[key].commune_count += 1
    for commune_id, tallied in task_tallies.year_counts(year, today).items():
        if commune_id in owner:
            counts = owner[commune_id].counts
            for status, count in tallied.by_status.items():
                counts.add(status, count)
            counts.on_time_after_extension += tallied.on_time_after_extension
    for commune_id in db.session.scalars(select(Plan.commune_id).distinct()):
        if commune_id in owner:
            owner[commune_id].with_plan_count += 1
    levels = select(
        CommuneLevel.commune_id, CommuneLevel.registered_level, CommuneLevel.reached_level
    ).where(CommuneLevel.year == year)
    for commune_id, registered, reached in db.session.execute(levels):
        row = owner.get(commune_id)
        if row is None:
            continue
        row.registered_count += bool(registered)
        row.reached_count += bool(reached)
        row.level_4_count += reached == 4
    years = set(task_years()) | {today.year}
    first = db.session.scalar(select(func.min(CommuneLevel.year)))
    if first is not None:
        years.add(first)
    return NationalRollup(
        year=year,
        years=list(range(min(years), max(years) + 1)),
        rows=[rows[p.id] for p in provinces],
    )


def scoped_city_rollup(
    user: User,
    year: int,
    today: dt.date,
    *,
    province_code: str | None = None,
    sort: str = "name",
    descending: bool = False,
    home_targets: Mapping[int, Any] | None = None,
) -> CityRollup | None:
    """The city roll-up this person may see: Sở Nội vụ its own province's (``province_code``
    ignored), Bộ Nội vụ the province it names. None: no such province (404), or none named."""
    if Role(user.role) is Role.NATIONAL:
        province = province_by_code(province_code) if province_code else None
        if province is None:
            return None
    else:
        province = account_province(user)
    configured = province_targets(province)
    if configured is None and (province is None or province.codename == HOME_PROVINCE):
        configured = home_targets
    return city_rollup(
        year,
        today,
        sort=sort,
        descending=descending,
        targets=configured,
        where=province_clause(province),
        province=province,
    )
