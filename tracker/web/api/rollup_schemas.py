"""The API's roll-up answers: status counts, a commune's year, its overdue board, the city.

Like tracker.web.api.schemas, each model is a schema of the OpenAPI document by its name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from tracker import models
from tracker.models import TaskStatus
from tracker.services import city_rollups, dashboards, national_rollups, rollups
from tracker.web.api.schemas import Instant, Ref, Schema, Task


class StatusCounts(Schema):
    total: int
    by_status: dict[str, int]
    done: int
    overdue: int
    progress: float | None = Field(description="Done of all tasks, 0-1.")
    on_time_rate: float | None = Field(description="Done on time, of done or overdue now, 0-1.")
    on_time_after_extension: int = Field(
        description="Of those done on time, how many only by a deadline extended later than "
        "the plan's (đúng hạn sau gia hạn)."
    )
    points_secured: float | None
    points_possible: float | None

    @staticmethod
    def fields_of(counts: rollups.StatusCounts) -> dict[str, Any]:
        return {
            "total": counts.total,
            "by_status": {str(s): counts.count(s) for s in dashboards.ROLLUP_STATUSES},
            "done": counts.done,
            "overdue": counts.overdue,
            "progress": counts.progress,
            "on_time_rate": counts.on_time_rate,
            "on_time_after_extension": counts.on_time_after_extension,
            "points_secured": counts.points_secured if counts.has_points else None,
            "points_possible": counts.points_possible if counts.has_points else None,
        }

    @classmethod
    def of(cls, counts: rollups.StatusCounts) -> StatusCounts:
        return cls(**cls.fields_of(counts))


class UnitCounts(StatusCounts):
    unit: Ref


class GroupCounts(StatusCounts):
    group: str | None


class CommuneRollup(Schema):
    commune: Ref
    year: int
    total: StatusCounts
    by_unit: list[UnitCounts]
    by_group: list[GroupCounts]

    @classmethod
    def of(cls, commune: models.Commune, rollup: rollups.CommuneRollup) -> CommuneRollup:
        return cls(
            commune=Ref.of_commune(commune),
            year=rollup.year,
            total=StatusCounts.of(rollup.total),
            by_unit=[
                UnitCounts(unit=Ref.of_unit(u), **StatusCounts.fields_of(c))
                for u, c in rollup.by_unit
            ],
            by_group=[
                GroupCounts(group=g or None, **StatusCounts.fields_of(c))
                for g, c in rollup.by_group
            ],
        )


AGE_BUCKETS = [key for key, _first, _last in dashboards.AGE_BUCKETS]


class OverdueTask(Task):
    age_bucket: str = Field(
        json_schema_extra={"enum": ["", *AGE_BUCKETS]},
        description="Days late; empty for work marked overdue before its date has passed.",
    )
    last_reminded_at: Instant | None

    @classmethod
    def of_item(cls, entry: dashboards.OverdueItem, day: dt.date) -> OverdueTask:
        return cls(
            **Task.fields_of(entry.task, TaskStatus.OVERDUE, day),
            age_bucket=entry.bucket,
            last_reminded_at=entry.last_reminded_at,
        )


class UnitOverdue(Schema):
    unit: Ref
    total: int
    by_bucket: dict[str, int]


class OverdueBoard(Schema):
    commune: Ref
    today: dt.date
    by_bucket: dict[str, int]
    by_unit: list[UnitOverdue]
    overdue: list[OverdueTask]
    escalations: list[OverdueTask]
    due_this_week: list[Task]

    @classmethod
    def of(cls, board: dashboards.OverdueBoard) -> OverdueBoard:
        day = board.today
        return cls(
            commune=Ref.of_commune(board.commune),
            today=day,
            by_bucket=board.by_bucket,
            by_unit=[
                UnitOverdue(unit=Ref.of_unit(r.unit), total=r.total, by_bucket=r.by_bucket)
                for r in board.by_unit
            ],
            overdue=[OverdueTask.of_item(e, day) for e in board.items],
            escalations=[OverdueTask.of_item(e, day) for e in board.escalations],
            due_this_week=[Task.of(t, t.status, day) for t in board.due_this_week],
        )


class CityTarget(Schema):
    reach_standard: float
    level_4: float


class CitySummary(Schema):
    communes: int
    reached_standard: int
    reached_share: float | None
    level_4: int
    level_4_share: float | None
    registered: int
    without_plan: int
    meets_reach_target: bool | None
    meets_level_4_target: bool | None


class CommuneCounts(StatusCounts):
    commune: Ref
    plan_count: int
    registered_level: int | None
    reached_level: int | None


class Province(Schema):
    code: int
    codename: str
    name: str

    @classmethod
    def of(cls, province: models.Province | None) -> Province | None:
        if province is None:
            return None
        return cls(code=province.code, codename=province.codename, name=province.name)


class CityRollup(Schema):
    year: int
    province: Province | None = Field(description="The province of these communes.")
    target: CityTarget | None
    summary: CitySummary
    communes: list[CommuneCounts]

    @classmethod
    def of(cls, rollup: city_rollups.CityRollup) -> CityRollup:
        target = rollup.target
        return cls(
            year=rollup.year,
            province=Province.of(rollup.province),
            target=CityTarget(reach_standard=target.reach_standard, level_4=target.level_4)
            if target
            else None,
            summary=CitySummary(
                communes=rollup.commune_count,
                reached_standard=rollup.reached_count,
                reached_share=rollup.reached_share,
                level_4=rollup.level_4_count,
                level_4_share=rollup.level_4_share,
                registered=rollup.registered_count,
                without_plan=rollup.without_plan_count,
                meets_reach_target=rollup.meets_reach_target,
                meets_level_4_target=rollup.meets_level_4_target,
            ),
            communes=[
                CommuneCounts(
                    commune=Ref.of_commune(r.commune),
                    plan_count=r.plan_count,
                    registered_level=r.registered_level,
                    reached_level=r.reached_level,
                    **StatusCounts.fields_of(r.counts),
                )
                for r in rollup.rows
            ],
        )


class ProvinceCounts(StatusCounts):
    """One province's row of the national roll-up."""

    province: Province
    communes: int
    with_plan: int
    registered: int
    reached_standard: int
    reached_share: float | None
    level_4: int
    level_4_share: float | None
    target: CityTarget | None
    meets_reach_target: bool | None
    meets_level_4_target: bool | None

    @classmethod
    def of_row(cls, row: national_rollups.ProvinceRow) -> ProvinceCounts:
        target = row.target
        province = Province.of(row.province)
        assert province is not None
        return cls(
            province=province,
            communes=row.commune_count,
            with_plan=row.with_plan_count,
            registered=row.registered_count,
            reached_standard=row.reached_count,
            reached_share=row.reached_share,
            level_4=row.level_4_count,
            level_4_share=row.level_4_share,
            target=CityTarget(reach_standard=target.reach_standard, level_4=target.level_4)
            if target
            else None,
            meets_reach_target=row.meets_reach_target,
            meets_level_4_target=row.meets_level_4_target,
            **StatusCounts.fields_of(row.counts),
        )


class NationalSummary(StatusCounts):
    provinces: int
    communes: int


class NationalRollup(Schema):
    """Bộ Nội vụ's roll-up: every enabled province against its own targets."""

    year: int
    summary: NationalSummary
    provinces: list[ProvinceCounts]

    @classmethod
    def of(cls, rollup: national_rollups.NationalRollup) -> NationalRollup:
        return cls(
            year=rollup.year,
            summary=NationalSummary(
                provinces=len(rollup.rows),
                communes=rollup.commune_count,
                **StatusCounts.fields_of(rollup.total),
            ),
            provinces=[ProvinceCounts.of_row(r) for r in rollup.rows],
        )


RESPONSES: tuple[type[Schema], ...] = (
    StatusCounts,
    CommuneRollup,
    OverdueTask,
    OverdueBoard,
    Province,
    CityRollup,
    ProvinceCounts,
    NationalSummary,
    NationalRollup,
)
