"""Stored BPMN specs and running workflow instances (serialized SpiffWorkflow state)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune
from tracker.models.plan import Plan
from tracker.models.types import UTCDateTime


class WorkflowSpec(db.Model):  # type: ignore[name-defined,misc]
    """A BPMN document, stored once by the SHA-256 of its content."""

    __tablename__ = "workflow_spec"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(200))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class WorkflowInstance(db.Model):  # type: ignore[name-defined,misc]
    """One run of a plan's process for one commune and year."""

    __tablename__ = "workflow_instance"
    __table_args__ = (UniqueConstraint("plan_id", "commune_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    year: Mapped[int]
    spec_hash: Mapped[str] = mapped_column(ForeignKey("workflow_spec.hash"))
    # The trunk of the serialized workflow (format han-2, without the spec, which is stored
    # once above): the top-level workflow without its branches. The rest is in WorkflowPart.
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(20))
    spiff_version: Mapped[str] = mapped_column(String(20))
    # The earliest pending timer of all parts, so a tick loads only the instances that have
    # one due.
    next_timer_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    is_completed: Mapped[bool] = mapped_column(default=False)
    # Optimistic locking: a concurrent save of a stale copy raises StaleDataError.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    plan: Mapped[Plan] = relationship()
    commune: Mapped[Commune] = relationship()
    spec: Mapped[WorkflowSpec] = relationship()


class WorkflowPart(db.Model):  # type: ignore[name-defined,misc]
    """A separately stored piece of an instance's state, rewritten only when it changes.

    ``Task_<n>`` (``branch`` NULL): the top-level Spiff tasks of plan item n's branch.
    An occurrence's id (``branch`` = its branch's key): that occurrence's sub-processes,
    with its earliest pending timer. An action reads the trunk, one branch and one
    occurrence; a tick only the occurrences whose timer is due, and their branches.
    """

    __tablename__ = "workflow_part"

    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instance.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    branch: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(Text)
    next_timer_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
