"""The task table: one row per user task occurrence, synced from the workflow on every save.

Task lists, dashboards, reminders and calendars read only this table, never the instances.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    false,
    or_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune, Unit
from tracker.models.plan import Plan, PlanItem
from tracker.models.types import UTCDateTime, enum_column
from tracker.models.user import User


class TaskStatus(StrEnum):
    """The statuses of Vietnamese government task tracking (labels live in tracker.web.labels).

    The stored status of a task row. Its groups (:data:`WORKING_STATUSES`,
    :data:`DONE_STATUSES`, …) and the overdue rule (:meth:`Task.is_overdue_on`) are defined
    here once, for Python and SQL alike.
    """

    NOT_DUE = "not_due"  # chưa đến hạn: the work window has not opened
    IN_PROGRESS = "in_progress"  # đang thực hiện
    AWAITING_REVIEW = "awaiting_review"  # chờ duyệt
    RETURNED = "returned"  # bị trả lại
    DONE_ON_TIME = "done_on_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn
    OVERDUE = "overdue"  # quá hạn
    NO_DEADLINE = "no_deadline"  # không thời hạn: ongoing work without a deadline
    CANCELLED = "cancelled"  # đã hủy: withdrawn (e.g. a plan re-imported without the row)

    @property
    def is_done(self) -> bool:
        return self in DONE_STATUSES

    @property
    def is_open(self) -> bool:
        return not self.is_done and self is not TaskStatus.CANCELLED

    @property
    def is_working(self) -> bool:
        return self in WORKING_STATUSES


# Work still in someone's hands; past its due date such a task is overdue (awaiting review
# is the reviewer's turn, not late work).
WORKING_STATUSES = (
    TaskStatus.IN_PROGRESS,
    TaskStatus.RETURNED,
    TaskStatus.OVERDUE,
    TaskStatus.NO_DEADLINE,
)
DONE_STATUSES = (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)
# Done or withdrawn: nothing more will happen to the task.
FINISHED_STATUSES = (*DONE_STATUSES, TaskStatus.CANCELLED)
# From which the lead unit may send its work for review (also before its window opens).
SUBMITTABLE_STATUSES = (TaskStatus.NOT_DUE, *WORKING_STATUSES)


# Statuses that read "overdue" past the due date without being stored so (is_overdue_on).
LATE_UNMARKED_STATUSES = (TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.NO_DEADLINE)
LATE_UNMARKED_SQL = (
    "status IN ('in_progress', 'returned', 'no_deadline') AND is_split = false"
)


class Task(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("instance_id", "spiff_task_id"),
        Index("ix_task_commune_unit_status", "commune_id", "unit_id", "status"),
        Index("ix_task_commune_year", "commune_id", "year"),
        # Covers the city roll-up (one year, every commune, grouped by effective status).
        Index(
            "ix_task_year_rollup", "year", "commune_id", "status", "due_on", "points", "is_split"
        ),
        # Points belong to plan items: the city roll-up groups a year's rows by commune and item.
        Index("ix_task_year_points", "year", "commune_id", "plan_item_id", "status", "is_split"),
        # The reminder sweep asks which communes' tasks changed since it last looked.
        Index("ix_task_updated_at", "updated_at", "commune_id"),
        # The refresh looks for windows that opened (not_due rows are the plan's later years).
        Index("ix_task_status_opens_on", "status", "opens_on"),
        # The roll-ups read the tally (stored statuses) and correct it with the work still in
        # hand past its due date that the refresh has not marked overdue yet: few rows (the
        # refresh looks for them too).
        Index(
            "ix_task_late_unmarked",
            "due_on",
            "year",
            "commune_id",
            "status",
            postgresql_where=text(LATE_UNMARKED_SQL),
            sqlite_where=text(LATE_UNMARKED_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instance.id"), index=True)
    # The SpiffWorkflow task this row mirrors (its UUID as text).
    spiff_task_id: Mapped[str | None] = mapped_column(String(36))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)  # lead unit
    # A collective task split among units points at the row it was split from.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    # Set on the original when it is split: from then on it is a container that follows its
    # shares (they are the work); every reader that counts work leaves it out (is_work()).
    is_split: Mapped[bool] = mapped_column(default=False, server_default=false())
    year: Mapped[int]
    occurrence_key: Mapped[str] = mapped_column(String(40))  # from the deadline engine
    ref: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column(String(255))
    opens_on: Mapped[dt.date]
    due_on: Mapped[dt.date | None] = mapped_column(index=True)
    # The deadline the plan gave, kept when the due date was corrected or extended (None:
    # the due date is still the plan's, or the plan gave none and it was set by hand).
    original_due_on: Mapped[dt.date | None]
    # The hours the phrase names, local time (Asia/Ho_Chi_Minh): "từ 19 giờ 30 đến 21 giờ ngày
    # 2/9/2026" is 19:30-21:00 on the due day; None when it names none (an all-day deadline).
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, "task_status"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    points: Mapped[float | None]
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Raised whenever date, title or status changes (iCal SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship()
    plan_item: Mapped[PlanItem] = relationship()
    commune: Mapped[Commune] = relationship()
    unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship()
    extension_requests: Mapped[list[ExtensionRequest]] = relationship(
        back_populates="task", order_by="ExtensionRequest.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", order_by="TaskEvent.id", cascade="all, delete-orphan"
    )


    @hybrid_method
    def is_overdue_on(self, today: dt.date) -> bool:
        """The overdue rule: marked overdue, or work still in hand past its due date.

        On the class it is the same rule in SQL (``select(Task).where(Task.is_overdue_on(d))``).
        """
        status = TaskStatus(self.status)
        return status is TaskStatus.OVERDUE or (
            status.is_working and self.due_on is not None and self.due_on < today
        )

    @is_overdue_on.inplace.expression
    @classmethod
    def _is_overdue_on_sql(cls, today: dt.date) -> ColumnElement[bool]:
        return or_(
            cls.status == TaskStatus.OVERDUE,
            and_(cls.status.in_(WORKING_STATUSES), cls.due_on.is_not(None), cls.due_on < today),
        )


def is_work() -> ColumnElement[bool]:
    """SQL: the row is work of its own, i.e. not a split original.

    A collective task split among units (``Task.is_split``) is a container: its shares are
    counted, listed, reminded and put in calendars; it completes by itself when the last
    share is approved (``services.tasks``). Task lists, the overdue board, the roll-ups, the
    reminder sweep, the calendar feeds and the API list all filter with this one condition.
    """
    return Task.is_split.is_(False)


class TaskEventAction(StrEnum):
    """What a history row records (labels in both languages live in tracker.web.labels)."""

    OPEN = "open"  # the work window opened (system)
    SUBMIT = "submit"  # the lead unit sent its work for review
    RETURN = "return"  # the focal unit sent it back, with a reason
    APPROVE = "approve"  # the focal unit approved it: done
    OVERDUE = "overdue"  # the deadline passed with the work still in hand (system)
    ESCALATE = "escalate"  # reported to the chairman (system)
    ASSIGN = "assign"  # a point person was chosen
    SPLIT = "split"  # a collective task was split among units
    SHARES_APPROVED = "shares_approved"  # a split original completed by its shares (system)
    COMMENT = "comment"
    REMIND = "remind"  # a reminder was sent by hand
    EVIDENCE = "evidence"  # evidence uploaded on its own
    ATTACH = "attach"  # a further evidence file of a submission
    SYNC = "sync"  # any other status change the workflow made (system)
    # Deadline changes, extension requests and plan corrections (issue 13):
    DEADLINE_SET = "deadline_set"  # the focal officer gave a deadline (none understood, or fixed)
    EXTENSION_REQUEST = "extension_request"  # the lead unit asked for a new date
    EXTENSION_APPROVE = "extension_approve"  # the chairman approved it: the deadline moved
    EXTENSION_REFUSE = "extension_refuse"  # the chairman refused it
    WITHDRAW = "withdraw"  # the plan was withdrawn: the open task is cancelled
    IMPORT_CORRECTED = "import_corrected"  # the row was corrected in the import preview
    AMEND = "amend"  # a revised version of the plan changed (or removed) the row


# The history actions of deadline changes, extension requests and plan corrections.
CORRECTION_ACTIONS = (
    TaskEventAction.DEADLINE_SET,
    TaskEventAction.EXTENSION_REQUEST,
    TaskEventAction.EXTENSION_APPROVE,
    TaskEventAction.EXTENSION_REFUSE,
    TaskEventAction.WITHDRAW,
    TaskEventAction.IMPORT_CORRECTED,
    TaskEventAction.AMEND,
)


class ExtensionStatus(StrEnum):
    PENDING = "pending"  # chờ quyết định
    APPROVED = "approved"  # đã đồng ý gia hạn
    REFUSED = "refused"  # không đồng ý


class ExtensionRequest(db.Model):  # type: ignore[name-defined,misc]
    """A request for more time (gia hạn): asked by the lead unit, decided by the chairman."""

    __tablename__ = "extension_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # The deadline when asked, and the one asked for.
    current_due_on: Mapped[dt.date]
    requested_due_on: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ExtensionStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_comment: Mapped[str | None] = mapped_column(Text)

    task: Mapped[Task] = relationship(back_populates="extension_requests")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class TaskEvent(db.Model):  # type: ignore[name-defined,misc]
    """History: every transition and comment, who and when. Rows are never updated."""

    __tablename__ = "task_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: system
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(20))  # a TaskEventAction
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))

    task: Mapped[Task] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Evidence(db.Model):  # type: ignore[name-defined,misc]
    """An uploaded evidence file, stored outside the web root under a random name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
