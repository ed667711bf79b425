"""Reading the task table for people: one task, and a task list in sections with counts.

A task's section follows from its status and its due date compared with today (Vietnam),
so the list is right even before the reminder sweep has marked a task overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from tracker.cadence import parse_cadence
from tracker.clock import local_date
from tracker.extensions import db
from tracker.i18n import _, format_date_short
from tracker.models import (
    Commune,
    Evidence,
    Plan,
    Role,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
    User,
    is_work,
)
from tracker.services.permissions import COMMUNE_WIDE, role_of, visible_tasks
from tracker.services.workflows import plan_context

# Due within this many days: the "due soon" section.
DUE_SOON_DAYS = 7
# Due within this many days: shown orange.
WARN_DAYS = 3

# The sections of a task list, in the order they are shown.
SECTIONS = ("overdue", "due_soon", "returned", "in_progress", "awaiting_review", "not_due", "done")

# Statuses from which the lead unit may send its work for review.
SUBMITTABLE = frozenset(
    {
        TaskStatus.NOT_DUE,
        TaskStatus.IN_PROGRESS,
        TaskStatus.RETURNED,
        TaskStatus.OVERDUE,
        TaskStatus.NO_DEADLINE,
    }
)
_WORKING = {TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.OVERDUE, TaskStatus.NO_DEADLINE}


def find_visible_task(user: User, task_id: int) -> Task | None:
    """The task if this person may see it, else None (the caller answers 404)."""
    return db.session.scalar(
        visible_tasks(user)
        .where(Task.id == task_id)
        .options(selectinload(Task.unit), selectinload(Task.plan_task), selectinload(Task.plan))
    )


def is_overdue(task: Task, today: dt.date) -> bool:
    """Open work past its due date (awaiting review is the reviewer's turn, not late work)."""
    status = TaskStatus(task.status)
    if status is TaskStatus.OVERDUE:
        return True
    return status in _WORKING and task.due_on is not None and task.due_on < today


def section_of(task: Task, today: dt.date) -> str:
    status = TaskStatus(task.status)
    if status.is_done:
        return "done"
    if status is TaskStatus.AWAITING_REVIEW:
        return "awaiting_review"
    if is_overdue(task, today):
        return "overdue"
    if status is TaskStatus.NOT_DUE:
        return "not_due"
    if task.due_on is not None and (task.due_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    if status is TaskStatus.RETURNED:
        return "returned"
    return "in_progress"


def urgency(task: Task, today: dt.date) -> str:
    """How a due date is coloured: overdue (red), soon (orange, within 3 days) or normal."""
    if TaskStatus(task.status).is_done or task.status == TaskStatus.CANCELLED:
        return "done"
    if is_overdue(task, today):
        return "overdue"
    if (
        task.status != TaskStatus.AWAITING_REVIEW
        and task.due_on is not None
        and 0 <= (task.due_on - today).days <= WARN_DAYS
    ):
        return "soon"
    return "normal"


@dataclass
class TaskFilters:
    year: int | None = None
    plan_id: int | None = None
    group: str | None = None
    section: str | None = None
    unit_id: int | None = None
    commune_id: int | None = None


@dataclass
class FilterChoices:
    years: list[int] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)


@dataclass
class TaskListing:
    today: dt.date
    filters: TaskFilters
    sections: dict[str, list[Task]]
    counts: dict[str, int]
    choices: FilterChoices

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _filtered(user: User, filters: TaskFilters) -> Select[tuple[Task]]:
    # A split original is not work of its own: its shares are listed instead.
    query = visible_tasks(user).where(Task.status != str(TaskStatus.CANCELLED), is_work())
    if filters.year is not None:
        query = query.where(Task.year == filters.year)
    if filters.plan_id is not None:
        query = query.where(Task.plan_id == filters.plan_id)
    if filters.group:
        query = query.where(Task.group == filters.group)
    if filters.unit_id is not None:
        query = query.where(Task.unit_id == filters.unit_id)
    if filters.commune_id is not None:
        query = query.where(Task.commune_id == filters.commune_id)
    return query


def filter_choices(user: User, filters: TaskFilters) -> FilterChoices:
    """What the filter menus offer: only values found among the tasks this person sees."""
    scope = visible_tasks(user)
    if filters.commune_id is not None:
        scope = scope.where(Task.commune_id == filters.commune_id)
    ids = scope.with_only_columns(Task.id).scalar_subquery()
    years = db.session.scalars(
        select(Task.year).where(Task.id.in_(ids)).distinct().order_by(Task.year)
    ).all()
    plans = db.session.scalars(
        select(Plan)
        .where(Plan.id.in_(select(Task.plan_id).where(Task.id.in_(ids))))
        .order_by(Plan.id)
    ).all()
    groups = db.session.scalars(
        select(Task.group)
        .where(Task.id.in_(ids), Task.group.is_not(None))
        .distinct()
        .order_by(Task.group)
    ).all()
    choices = FilterChoices(years=list(years), plans=list(plans), groups=[g for g in groups if g])
    role = role_of(user)
    if role in COMMUNE_WIDE or role is Role.CITY_ADMIN:
        commune_id = user.commune_id if role in COMMUNE_WIDE else filters.commune_id
        if commune_id is not None:
            choices.units = list(
                db.session.scalars(
                    select(Unit)
                    .where(
                        Unit.commune_id == commune_id,
                        Unit.id.in_(select(Task.unit_id).where(Task.id.in_(ids))),
                    )
                    .order_by(Unit.is_focal.desc(), Unit.name)
                )
            )
    if role is Role.CITY_ADMIN:
        choices.communes = list(db.session.scalars(select(Commune).order_by(Commune.name)))
    return choices


def list_tasks(user: User, filters: TaskFilters, today: dt.date) -> TaskListing:
    """The tasks this person sees, filtered, in sections; counts cover every section."""
    query = _filtered(user, filters).options(selectinload(Task.unit), selectinload(Task.assignee))
    sections: dict[str, list[Task]] = {key: [] for key in SECTIONS}
    for task in db.session.scalars(query):
        sections[section_of(task, today)].append(task)
    for key, tasks in sections.items():
        if key == "done":
            tasks.sort(key=lambda t: t.completed_at or t.updated_at, reverse=True)
        else:
            tasks.sort(key=lambda t: (t.due_on is None, t.due_on or today, t.ref, t.id))
    counts = {key: len(tasks) for key, tasks in sections.items()}
    if filters.section in sections:
        sections = {filters.section: sections[filters.section]}
    return TaskListing(
        today=today,
        filters=filters,
        sections=sections,
        counts=counts,
        choices=filter_choices(user, filters),
    )


@dataclass
class TaskPage:
    """Everything the task page shows, read once."""

    task: Task
    urgency: str
    is_overdue: bool
    explanation: str
    history: list[TaskEvent]
    comments: list[TaskEvent]
    evidence: list[Evidence]
    lead_units: list[str]
    coordinating_units: list[str]
    split_children: list[Task]
    parent: Task | None

    @property
    def return_reason(self) -> str | None:
        """Why the reviewer sent the work back, while it is back in the unit's hands.

        The status alone cannot tell: a returned task past its date is ``overdue``.
        """
        if not self.is_submittable:
            return None
        for event in reversed(self.history):
            if event.action == "return":
                return event.comment or ""
            if event.action in {"submit", "approve"}:
                return None
        return None

    @property
    def evidence_by_id(self) -> dict[int, Evidence]:
        return {ev.id: ev for ev in self.evidence}

    @property
    def evidence_notes(self) -> dict[int, str]:
        """The note typed with each upload. It is the comment of the upload's history event,
        which holds the file's name instead when no note was typed."""
        files = self.evidence_by_id
        return {
            e.evidence_id: e.comment
            for e in self.history
            if e.action == "evidence"
            and e.evidence_id in files
            and e.comment
            and e.comment != files[e.evidence_id].original_name
        }

    @property
    def is_open(self) -> bool:
        return TaskStatus(self.task.status).is_open

    @property
    def is_submittable(self) -> bool:
        # A split original is submitted and reviewed through its shares, never itself.
        return not self.task.is_split and TaskStatus(self.task.status) in SUBMITTABLE

    @property
    def is_reviewable(self) -> bool:
        return not self.task.is_split and self.task.status == TaskStatus.AWAITING_REVIEW


def task_page(task: Task, today: dt.date) -> TaskPage:
    plan_task = task.plan_task
    evidence = list(
        db.session.scalars(
            select(Evidence).where(Evidence.task_id == task.id).order_by(Evidence.id)
        )
    )
    children = list(
        db.session.scalars(
            select(Task)
            .where(Task.parent_id == task.id)
            .options(selectinload(Task.unit))
            .order_by(Task.id)
        )
    )
    history = list(
        db.session.scalars(
            select(TaskEvent)
            .where(TaskEvent.task_id == task.id)
            .options(selectinload(TaskEvent.actor))
            .order_by(TaskEvent.id)
        )
    )
    return TaskPage(
        task=task,
        urgency=urgency(task, today),
        is_overdue=is_overdue(task, today),
        explanation=explain_deadline(task),
        history=history,
        comments=[e for e in history if e.comment],
        evidence=evidence,
        lead_units=list(plan_task.lead_units or []),
        coordinating_units=list(plan_task.coordinating_units or []),
        split_children=children,
        parent=db.session.get(Task, task.parent_id) if task.parent_id else None,
    )


def explain_deadline(task: Task) -> str:
    """How the time phrase became this task's dates, in the deadline engine's words."""
    cadence = parse_cadence(task.plan_task.time_text, plan_context(task.plan))
    if task.due_on is not None:
        year_start, year_end = dt.date(task.year, 1, 1), dt.date(task.year, 12, 31)
        for occurrence in cadence.occurrences(year_start, year_end):
            if occurrence.key == task.occurrence_key and occurrence.explanation:
                return occurrence.explanation
    if cadence.understood and cadence.explanation:
        return cadence.explanation
    if task.due_on is None:
        return _(
            "Việc thường xuyên: không có hạn cố định; vẫn cần cập nhật tiến độ và minh chứng "
            "định kỳ."
        )
    return _(
        "Theo cụm từ trên, kỳ %(key)s mở từ %(opens)s và phải hoàn thành trước hết ngày %(due)s.",
        key=task.occurrence_key,
        opens=format_date_short(task.opens_on),
        due=format_date_short(task.due_on),
    )


def days_submitted_late(task: Task) -> int:
    """How many days after its due date the work was submitted (0: on time or undated);
    the submission counts on its day in Vietnam, like the due date."""
    if task.due_on is None or task.submitted_at is None:
        return 0
    submitted_on = local_date(task.submitted_at)
    return max(0, (submitted_on - task.due_on).days)


def review_queue(user: User) -> list[Task]:
    """Tasks waiting for review that this person sees, oldest submission first."""
    query = (
        visible_tasks(user)
        .where(Task.status == str(TaskStatus.AWAITING_REVIEW), is_work())
        .options(selectinload(Task.unit), selectinload(Task.assignee))
        .order_by(Task.submitted_at, Task.id)
    )
    return list(db.session.scalars(query))


def latest_submission(task: Task) -> TaskEvent | None:
    return db.session.scalar(
        select(TaskEvent)
        .where(TaskEvent.task_id == task.id, TaskEvent.action == "submit")
        .order_by(TaskEvent.id.desc())
        .limit(1)
    )
