"""Reading the task table for people: one task, and a task list in sections with counts.

A task's section follows from its status and its due date compared with today (Vietnam),
so the list is right even before the reminder sweep has marked a task overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.cadence import parse_cadence
from tracker.clock import local_date
from tracker.extensions import db
from tracker.i18n import _, format_date_short, render_explanation
from tracker.models import (
    SUBMITTABLE_STATUSES,
    Commune,
    Evidence,
    Plan,
    Task,
    TaskEvent,
    TaskEventAction,
    TaskStatus,
    Unit,
    User,
    is_work,
)
from tracker.services.occurrences import plan_context
from tracker.services.permissions import COMMUNE_WIDE, role_of, visible_tasks
from tracker.services.scope import OVERSEERS, commune_clause

# Due within this many days: the "due soon" section.
DUE_SOON_DAYS = 7
# Due within this many days: shown orange.
WARN_DAYS = 3

# The sections of a task list, in the order they are shown.
SECTIONS = ("overdue", "due_soon", "returned", "in_progress", "awaiting_review", "not_due", "done")



def find_visible_task(user: User, task_id: int) -> Task | None:
    """The task if this person may see it, else None (the caller answers 404)."""
    return db.session.scalar(
        visible_tasks(user)
        .where(Task.id == task_id)
        .options(selectinload(Task.unit), selectinload(Task.plan_item), selectinload(Task.plan))
    )


def section_of(task: Task, today: dt.date) -> str:
    status = TaskStatus(task.status)
    if status.is_done:
        return "done"
    if status is TaskStatus.AWAITING_REVIEW:
        return "awaiting_review"
    if task.is_overdue_on(today):
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
    if task.is_overdue_on(today):
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
    search: str = ""  # words of a title, a unit's or plan's name, a plan or task number


@dataclass
class FilterChoices:
    years: list[int] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)


# Tasks on one page of a task list: a unit with 150 tasks is read a page at a time.
LIST_PAGE = 50


@dataclass
class TaskListing:
    today: dt.date
    filters: TaskFilters
    sections: dict[str, list[Task]]  # this page's tasks, by section
    counts: dict[str, int]  # tasks by section, over every page; "returned" counts every return
    choices: FilterChoices
    total: int = 0  # tasks matching the filters, over every page
    # Why each returned task was sent back, wherever it is listed (a returned task past its
    # date is listed as overdue, and is returned all the same).
    return_reasons: dict[int, str] = field(default_factory=dict)
    page: int = 1
    pages: int = 1
    section_totals: dict[str, int] = field(default_factory=dict)  # shown sections, every page

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * LIST_PAGE + 1 if self.total else 0

    @property
    def last_shown(self) -> int:
        return min(self.page * LIST_PAGE, self.total)


def return_reasons(task_ids: Iterable[int]) -> dict[int, str]:
    """Tasks whose last review step was a return, with the reviewer's reason ("" if none)."""
    ids = list(task_ids)
    reasons: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        rows = db.session.execute(
            select(TaskEvent.task_id, TaskEvent.action, TaskEvent.comment)
            .where(
                TaskEvent.task_id.in_(ids[start:start + 500]),
                TaskEvent.action.in_(("submit", "return", "approve")),
            )
            .order_by(TaskEvent.task_id, TaskEvent.id)
        )
        for task_id, action, comment in rows:
            if action == "return":
                reasons[task_id] = comment or ""
            else:
                reasons.pop(task_id, None)
    return reasons


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
    words = filters.search.split()
    if words:
        # Every word somewhere: the title, the unit, the plan's number or title, the task's
        # number ("4", "II.3"). Case-insensitive as far as the database folds case.
        query = query.join(Unit, Unit.id == Task.unit_id).join(Plan, Plan.id == Task.plan_id)
        for word in words[:8]:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(or_(
                Task.title.ilike(pattern, escape="\\"),
                Unit.name.ilike(pattern, escape="\\"),
                Plan.number.ilike(pattern, escape="\\"),
                Plan.title.ilike(pattern, escape="\\"),
                Task.ref == word,
            ))
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
    if role in COMMUNE_WIDE or role in OVERSEERS:
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
    if role in OVERSEERS:
        choices.communes = list(
            db.session.scalars(
                select(Commune).where(commune_clause(user)).order_by(Commune.name)
            )
        )
    return choices


def list_tasks(
    user: User, filters: TaskFilters, today: dt.date, page: int = 1,
    page_size: int | None = LIST_PAGE,
) -> TaskListing:
    """The tasks this person sees, filtered, in sections, one page at a time (every task on
    one page when ``page_size`` is None, as the Excel download wants); counts cover every
    section and every page."""
    query = _filtered(user, filters).options(selectinload(Task.unit), selectinload(Task.assignee))
    sections: dict[str, list[Task]] = {key: [] for key in SECTIONS}
    for task in db.session.scalars(query):
        sections[section_of(task, today)].append(task)
    for key, tasks in sections.items():
        if key == "done":
            tasks.sort(key=lambda t: t.completed_at or t.updated_at, reverse=True)
        else:
            tasks.sort(key=lambda t: (t.due_on is None, t.due_on or today, t.ref, t.id))
    reasons = return_reasons(
        t.id for key, tasks in sections.items() if key not in {"done", "awaiting_review"}
        for t in tasks if TaskStatus(t.status) in SUBMITTABLE_STATUSES
    )
    counts = {key: len(tasks) for key, tasks in sections.items()}
    counts["returned"] = len(reasons)
    if filters.section == "returned":
        # Every returned task, the late ones too, soonest due first.
        shown = {"returned": sorted(
            (t for key in SECTIONS for t in sections[key] if t.id in reasons),
            key=lambda t: (t.due_on is None, t.due_on or today, t.ref, t.id),
        )}
    elif filters.section in sections:
        shown = {filters.section: sections[filters.section]}
    else:
        shown = sections
    flat = [(key, task) for key, tasks in shown.items() for task in tasks]
    size = page_size or max(1, len(flat))
    pages = max(1, -(-len(flat) // size))
    page = min(max(1, page), pages)
    paged: dict[str, list[Task]] = {key: [] for key in shown}
    for key, task in flat[(page - 1) * size:page * size]:
        paged[key].append(task)
    return TaskListing(
        today=today,
        filters=filters,
        sections=paged,
        counts=counts,
        choices=filter_choices(user, filters),
        total=len(flat),
        return_reasons=reasons,
        page=page,
        pages=pages,
        section_totals={key: len(tasks) for key, tasks in shown.items()},
    )


@dataclass
class TaskView:
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
            if event.action == TaskEventAction.RETURN:
                return event.comment or ""
            if event.action in {TaskEventAction.SUBMIT, TaskEventAction.APPROVE}:
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
            if e.action == TaskEventAction.EVIDENCE
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
        return not self.task.is_split and TaskStatus(self.task.status) in SUBMITTABLE_STATUSES

    @property
    def is_reviewable(self) -> bool:
        return not self.task.is_split and self.task.status == TaskStatus.AWAITING_REVIEW


def task_view(task: Task, today: dt.date) -> TaskView:
    plan_item = task.plan_item
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
    return TaskView(
        task=task,
        urgency=urgency(task, today),
        is_overdue=task.is_overdue_on(today),
        explanation=explain_deadline(task),
        history=history,
        comments=[e for e in history if e.comment],
        evidence=evidence,
        lead_units=list(plan_item.lead_units or []),
        coordinating_units=list(plan_item.coordinating_units or []),
        split_children=children,
        parent=db.session.get(Task, task.parent_id) if task.parent_id else None,
    )


def explain_deadline(task: Task) -> str:
    """How the time phrase became this task's dates, in the deadline engine's words."""
    cadence = parse_cadence(task.plan_item.time_text, plan_context(task.plan))
    if task.original_due_on is not None and task.due_on is not None:
        return _("Hạn theo kế hoạch là %(original)s; đã được điều chỉnh thành %(due)s (xem lịch "
                 "sử).", original=format_date_short(task.original_due_on),
                 due=format_date_short(task.due_on))
    if task.due_on is not None:
        year_start, year_end = dt.date(task.year, 1, 1), dt.date(task.year, 12, 31)
        for occurrence in cadence.occurrences(year_start, year_end):
            if occurrence.key == task.occurrence_key:
                return render_explanation(occurrence.explained)
    if cadence.understood:
        return render_explanation(cadence.explained)
    if task.due_on is None and not cadence.understood:
        return _("Chưa có hạn — cần đặt hạn: cụm từ trên chưa đọc được thành ngày cụ thể; cán "
                 "bộ đầu mối đặt hạn kèm lý do.")
    if task.due_on is not None and not cadence.understood:
        return _("Hạn %(due)s do cán bộ đầu mối đặt (xem lịch sử).",
                 due=format_date_short(task.due_on))
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


def waiting_count(user: User) -> int:
    """How many tasks wait for this person's review (the count beside "Chờ duyệt")."""
    query = visible_tasks(user).where(
        Task.status == str(TaskStatus.AWAITING_REVIEW), is_work()
    ).with_only_columns(func.count(Task.id)).order_by(None)
    return db.session.scalar(query) or 0


def latest_submission(task: Task) -> TaskEvent | None:
    return db.session.scalar(
        select(TaskEvent)
        .where(TaskEvent.task_id == task.id, TaskEvent.action == TaskEventAction.SUBMIT)
        .order_by(TaskEvent.id.desc())
        .limit(1)
    )
