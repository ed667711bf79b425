"""The yearly self-assessment and scoring (báo cáo tự đánh giá, chấm điểm), per criterion.

The flow, one ``SelfAssessment`` per commune and year over its scored plan (the annex whose
leaf items carry Điểm chuẩn):

1. the lead unit's head proposes a self-score for each item its unit leads (0 … điểm chuẩn)
   with a note; the evidence is what its tasks already hold. The focal officer may score
   any item (draft, or returned by the city);
2. the focal officer compiles: every item scored, the assessment goes to the chairman;
3. the chairman approves it (or sends it back to the focal officer with a reason);
4. the chairman or the focal officer submits it to the city; from then on the commune
   cannot change it;
5. Sở Nội vụ enters the appraised score (điểm thẩm định) and a comment per item, or returns
   the whole assessment with a reason (back to step 1);
6. the city confirms the level: the appraised total against the point thresholds
   (configuration ``LEVEL_THRESHOLDS``, see :func:`level_for`) proposes one; the city records
   it through :mod:`tracker.services.levels` (the yearly result and score).

Totals per criteria group and overall sum the items. Document subtotals are kept as written
(``Plan.criteria``): where a criterion's stated points differ from the sum of its parts
(Bạch Đằng's I.1 states 10, its items add up to 9) the sheet shows both and the difference.
A plan without points has nothing to score; its report shows progress per task instead.
Services flush only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from tracker.extensions import db
from tracker.models import (
    DONE_STATUSES,
    AssessmentStatus,
    Commune,
    CriterionScore,
    Evidence,
    Plan,
    PlanItem,
    SelfAssessment,
    Task,
    TaskStatus,
    Unit,
    User,
    is_work,
)
from tracker.services.dashboards import effective_status
from tracker.services.points import (
    ScoringError,
    checked_thresholds,
    format_points,
    level_for,
    parse_points,
)
from tracker.services.scope import scoped_commune

# Points are read, written and turned into a level in tracker.services.points; they are
# named here too because the sheet's callers use them with it.
__all__ = [
    "ScoringError",
    "ScoringRefused",
    "Sheet",
    "checked_thresholds",
    "format_points",
    "level_for",
    "parse_points",
    "scoring_sheet",
]

_CANCELLED = str(TaskStatus.CANCELLED)
_DONE = {str(s) for s in DONE_STATUSES}


class ScoringRefused(PermissionError):
    """This person may not take this step for this commune."""


# --------------------------------------------------------------------------- the sheet


@dataclass
class ItemRow:
    """One scored plan item, with its score, evidence and the progress of its tasks."""

    plan_item: PlanItem
    score: CriterionScore | None
    evidence: list[Evidence]
    unit_ids: set[int]
    unit_names: list[str]
    tasks_total: int
    tasks_done: int

    @property
    def points(self) -> float:
        return float(self.plan_item.points or 0.0)

    @property
    def self_score(self) -> float | None:
        return self.score.self_score if self.score else None

    @property
    def appraised_score(self) -> float | None:
        return self.score.appraised_score if self.score else None


@dataclass
class SheetRow:
    """A line of the scoring table in document order: a heading (group, criterion) or an item."""

    ref: str
    title: str
    depth: int
    stated_points: float | None  # as the document writes it
    parts_points: float | None = None  # what its parts add up to (headings)
    item: ItemRow | None = None

    @property
    def is_heading(self) -> bool:
        return self.item is None

    @property
    def difference(self) -> float | None:
        """Stated points minus the sum of the parts, when the document's figures disagree."""
        if self.stated_points is None or self.parts_points is None:
            return None
        gap = round(self.stated_points - self.parts_points, 2)
        return gap or None


@dataclass
class GroupTotal:
    ref: str
    title: str
    stated_points: float | None  # the group's Điểm chuẩn as the document writes it
    items: list[ItemRow] = field(default_factory=list)

    @property
    def item_points(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def difference(self) -> float | None:
        if self.stated_points is None:
            return None
        gap = round(self.stated_points - self.item_points, 2)
        return gap or None

    @property
    def self_total(self) -> float:
        return sum(item.self_score or 0.0 for item in self.items)

    @property
    def appraised_total(self) -> float | None:
        if not any(item.appraised_score is not None for item in self.items):
            return None
        return sum(item.appraised_score or 0.0 for item in self.items)


@dataclass
class ProgressRow:
    """A plan item of a plan without points: its tasks this year and how far they are."""

    plan_item: PlanItem
    unit_names: list[str]
    total: int
    done: int
    overdue: int

    @property
    def progress(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass
class Sheet:
    commune: Commune
    year: int
    plan: Plan | None
    assessment: SelfAssessment | None
    rows: list[SheetRow]
    groups: list[GroupTotal]
    progress: list[ProgressRow]
    thresholds: dict[int, float] | None

    @property
    def items(self) -> list[ItemRow]:
        return [row.item for row in self.rows if row.item is not None]

    @property
    def has_points(self) -> bool:
        return bool(self.items)

    @property
    def status(self) -> AssessmentStatus:
        if self.assessment is None:
            return AssessmentStatus.DRAFT
        return AssessmentStatus(self.assessment.status)

    @property
    def item_points(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def stated_points(self) -> float | None:
        """The groups' points as the document writes them, when every group states them."""
        stated = [group.stated_points for group in self.groups]
        if not stated or any(points is None for points in stated):
            return None
        return sum(points or 0.0 for points in stated)

    @property
    def self_total(self) -> float:
        return sum(item.self_score or 0.0 for item in self.items)

    @property
    def appraised_total(self) -> float | None:
        if not any(item.appraised_score is not None for item in self.items):
            return None
        return sum(item.appraised_score or 0.0 for item in self.items)

    @property
    def scored_count(self) -> int:
        return sum(1 for item in self.items if item.self_score is not None)

    @property
    def appraised_count(self) -> int:
        return sum(1 for item in self.items if item.appraised_score is not None)

    @property
    def self_level(self) -> int | None:
        return level_for(self.self_total if self.items else None, self.thresholds)

    @property
    def appraised_level(self) -> int | None:
        return level_for(self.appraised_total, self.thresholds)

    def item(self, plan_item_id: int) -> ItemRow | None:
        return next((i for i in self.items if i.plan_item.id == plan_item_id), None)


def visible_commune(user: User, slug: str) -> Commune | None:
    """The commune whose self-assessment this person may see: their province's for Sở Nội vụ,
    any for Bộ Nội vụ, else their own."""
    commune = scoped_commune(user, slug)
    if commune is None or commune.is_city:
        return None
    return commune


def assessment_of(commune: Commune, year: int) -> SelfAssessment | None:
    return db.session.scalar(
        select(SelfAssessment).where(
            SelfAssessment.commune_id == commune.id, SelfAssessment.year == year
        )
    )


def scored_plan(commune: Commune, year: int) -> Plan | None:
    """The commune's plan scored in ``year``: the latest with pointed items covering the year.

    Every pointed item of that plan is scored, whether or not it has a task this year (an item
    due "Tháng 1/2026" in a plan issued in February has none, and still carries its points).
    """
    return db.session.scalar(
        select(Plan)
        .where(
            Plan.commune_id == commune.id,
            Plan.period_from <= year,
            or_(Plan.period_to.is_(None), Plan.period_to >= year, Plan.open_ended.is_(True)),
            Plan.id.in_(select(PlanItem.plan_id).where(PlanItem.points.is_not(None),
                                                       PlanItem.removed_in_id.is_(None))),
        )
        .order_by(Plan.imported_at.desc(), Plan.id.desc())
        .limit(1)
    )


def year_plan(commune: Commune, year: int) -> Plan | None:
    """The commune's latest plan with tasks in ``year`` (with or without points)."""
    return db.session.scalar(
        select(Plan)
        .join(Task, Task.plan_id == Plan.id)
        .where(Plan.commune_id == commune.id, Task.year == year, Task.status != _CANCELLED)
        .order_by(Plan.imported_at.desc(), Plan.id.desc())
        .limit(1)
    )


def scoring_sheet(
    commune: Commune, year: int, day: dt.date, thresholds: Mapping[Any, Any] | None = None
) -> Sheet:
    """The scoring table of ``commune`` for ``year``, or its progress per task when unscored."""
    assessment = assessment_of(commune, year)
    plan = assessment.plan if assessment is not None else scored_plan(commune, year)
    checked = checked_thresholds(thresholds)
    if plan is None:
        fallback = year_plan(commune, year)
        progress = _progress_rows(fallback, year, day) if fallback is not None else []
        return Sheet(commune, year, fallback, None, [], [], progress, checked)
    items = _item_rows(plan, year, assessment)
    rows, groups = _layout(plan, items)
    return Sheet(commune, year, plan, assessment, rows, groups, [], checked)


def _task_stats(plan: Plan, year: int) -> dict[int, tuple[set[int], int, int]]:
    """plan item → (its units, task rows, rows done) this year, cancelled and split left out."""
    stats: dict[int, tuple[set[int], int, int]] = {}
    rows = db.session.execute(
        select(Task.plan_item_id, Task.unit_id, Task.status, func.count(Task.id))
        .where(Task.plan_id == plan.id, Task.year == year, Task.status != _CANCELLED, is_work())
        .group_by(Task.plan_item_id, Task.unit_id, Task.status)
    )
    for item_id, unit_id, status, count in rows:
        units, total, done = stats.get(item_id, (set(), 0, 0))
        units.add(unit_id)
        stats[item_id] = (units, total + count, done + (count if status in _DONE else 0))
    return stats


def _item_rows(plan: Plan, year: int, assessment: SelfAssessment | None) -> dict[int, ItemRow]:
    stats = _task_stats(plan, year)
    scores = {s.plan_item_id: s for s in assessment.scores} if assessment is not None else {}
    evidence: dict[int, list[Evidence]] = {}
    for item_id, file in db.session.execute(
        select(Task.plan_item_id, Evidence)
        .join(Task, Task.id == Evidence.task_id)
        .where(Task.plan_id == plan.id, Task.year == year)
        .order_by(Evidence.uploaded_at, Evidence.id)
    ):
        evidence.setdefault(item_id, []).append(file)
    unit_ids = {unit for units, _total, _done in stats.values() for unit in units}
    names = {u.id: u.name for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    found: dict[int, ItemRow] = {}
    # A row a revision removed (kế hoạch sửa đổi) is no longer a point to earn.
    for plan_item in plan.live_items:
        if plan_item.points is None:
            continue
        units, total, done = stats.get(plan_item.id, (set(), 0, 0))
        found[plan_item.id] = ItemRow(
            plan_item=plan_item,
            score=scores.get(plan_item.id),
            evidence=evidence.get(plan_item.id, []),
            unit_ids=units,
            unit_names=sorted(names[u] for u in units) or list(plan_item.lead_units),
            tasks_total=total,
            tasks_done=done,
        )
    return found


def _layout(plan: Plan, items: dict[int, ItemRow]) -> tuple[list[SheetRow], list[GroupTotal]]:
    """Rows in document order, following the criteria tree when the plan has one."""
    by_ref = {item.plan_item.ref: item for item in items.values()}
    rows: list[SheetRow] = []
    groups: list[GroupTotal] = []
    placed: set[int] = set()

    def walk(node: Mapping[str, Any], depth: int, group: GroupTotal) -> None:
        children = node.get("children") or []
        item = by_ref.get(node.get("task_ref") or "") if not children else None
        if item is not None:
            rows.append(SheetRow(node["ref"], item.plan_item.title, depth, item.points, item=item))
            group.items.append(item)
            placed.add(item.plan_item.id)
            return
        if not children:
            return  # a leaf with no task this year
        rows.append(
            SheetRow(
                node["ref"], node["title"], depth, node.get("points"), node.get("children_points")
            )
        )
        for child in children:
            walk(child, depth + 1, group)

    for root in plan.criteria or []:
        group = GroupTotal(root.get("ref") or "", root.get("title") or "", root.get("points"))
        walk(root, 0, group)
        if group.items:
            groups.append(group)
    # Pointed items outside any tree (a plan read without one): grouped by their criteria group.
    loose = [item for item in items.values() if item.plan_item.id not in placed]
    by_group: dict[str, GroupTotal] = {}
    for item in sorted(loose, key=lambda i: i.plan_item.position):
        title = item.plan_item.group or ""
        group = by_group.get(title)
        if group is None:
            group = by_group[title] = GroupTotal("", title, None)
            groups.append(group)
            rows.append(SheetRow("", title, 0, None))
        rows.append(SheetRow(item.plan_item.ref, item.plan_item.title, 1, item.points, item=item))
        group.items.append(item)
    return rows, groups


def _progress_rows(plan: Plan, year: int, day: dt.date) -> list[ProgressRow]:
    """Per plan item: its tasks this year, done, overdue on ``day`` (the effective status)."""
    status = effective_status(day)
    counts: dict[int, dict[str, int]] = {}
    units: dict[int, set[int]] = {}
    for item_id, unit_id, eff, count in db.session.execute(
        select(Task.plan_item_id, Task.unit_id, status, func.count(Task.id))
        .where(Task.plan_id == plan.id, Task.year == year, Task.status != _CANCELLED, is_work())
        .group_by(Task.plan_item_id, Task.unit_id, status)
    ):
        bucket = counts.setdefault(item_id, {})
        bucket[eff] = bucket.get(eff, 0) + count
        units.setdefault(item_id, set()).add(unit_id)
    names = {
        u.id: u.name
        for u in db.session.scalars(
            select(Unit).where(Unit.id.in_({u for s in units.values() for u in s}))
        )
    }
    return [
        ProgressRow(
            plan_item=row,
            unit_names=sorted(names[u] for u in units.get(row.id, ())) or list(row.lead_units),
            total=sum(counts.get(row.id, {}).values()),
            done=sum(n for s, n in counts.get(row.id, {}).items() if s in _DONE),
            overdue=counts.get(row.id, {}).get(str(TaskStatus.OVERDUE), 0),
        )
        for row in plan.tasks  # every item, also one with no task this year (0 tasks)
    ]
