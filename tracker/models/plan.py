"""Imported plans (Kế hoạch) and their annex tasks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune
from tracker.models.types import UTCDateTime

if TYPE_CHECKING:
    from tracker.models.user import User


class Plan(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)  # names workflows/<slug>.bpmn
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(60))  # "102/KH-UBND"; None when blank
    issued_on: Mapped[dt.date | None]
    issued_month: Mapped[str | None] = mapped_column(String(7))  # "2026-04" when only the month
    title: Mapped[str] = mapped_column(Text)
    period_from: Mapped[int]
    period_to: Mapped[int | None]
    open_ended: Mapped[bool] = mapped_column(default=False)
    source_name: Mapped[str] = mapped_column(String(255))
    implements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    targets: Mapped[list[Any]] = mapped_column(JSON, default=list)
    criteria: Mapped[list[Any]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Withdrawn (thu hồi): its open tasks were cancelled; done work and history stay.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    # What was corrected in the import preview, by whom and when (None: stored as read).
    corrections: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The plan's text as read (number, title, rows): the same document in another file
    # format has the same digest, so a second import of it is caught in the preview.
    content_digest: Mapped[str | None] = mapped_column(String(64), index=True)

    commune: Mapped[Commune] = relationship()
    imported_by: Mapped[User | None] = relationship(foreign_keys=[imported_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    tasks: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PlanRevision]] = relationship(
        back_populates="plan", order_by="PlanRevision.id", cascade="all, delete-orphan"
    )

    @property
    def live_items(self) -> list[PlanItem]:
        """The rows still in the plan: a row a revision removed keeps its done work only."""
        return [item for item in self.tasks if item.removed_in_id is None]


class PlanItem(db.Model):  # type: ignore[name-defined,misc]
    """One row of a plan's annex (or one numbered section carrying the task lines)."""

    __tablename__ = "plan_item"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    position: Mapped[int]  # order in the document
    ref: Mapped[str] = mapped_column(String(40))  # STT or section number as written
    title: Mapped[str] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column(String(255))  # criteria group, when there is one
    time_text: Mapped[str] = mapped_column(Text)  # the original "Thời gian thực hiện"
    cadence_kind: Mapped[str] = mapped_column(String(20))
    rrule: Mapped[str | None] = mapped_column(Text)
    lead_units: Mapped[list[str]] = mapped_column(JSON, default=list)  # canonical names
    coordinating_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    points: Mapped[float | None]
    evidence: Mapped[str | None] = mapped_column(Text)  # Sản phẩm expected
    source_line: Mapped[int | None]
    # The revision (kế hoạch sửa đổi, bổ sung) that removed the row; None: still in the plan.
    removed_in_id: Mapped[int | None] = mapped_column(ForeignKey("plan_revision.id"))
    # A cadence set by hand (the phrase the document gave was not understood): time_text is
    # then the phrase built from the short form, the document's own phrase is kept here,
    # with who set it, when and why.
    original_time_text: Mapped[str | None] = mapped_column(Text)
    time_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    time_set_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    time_set_reason: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    time_set_by: Mapped[User | None] = relationship(foreign_keys=[time_set_by_id])


class PlanRevision(db.Model):  # type: ignore[name-defined,misc]
    """A revised version of a plan (kế hoạch sửa đổi, bổ sung) applied to it: which document,
    who, when, and what it changed (rows kept, changed, added, removed)."""

    __tablename__ = "plan_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(255))
    number: Mapped[str | None] = mapped_column(String(60))
    issued_on: Mapped[dt.date | None]
    title: Mapped[str] = mapped_column(Text)
    # The revised document's text as read: importing it a second time is a duplicate.
    content_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    amended_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    amended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # {"unchanged": n, "changed": n, "added": n, "removed": n, "lines": [...]}
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    plan: Mapped[Plan] = relationship(back_populates="revisions")
    amended_by: Mapped[User | None] = relationship()
