"""Mail: every reminder, digest and escalation is a row; reminder policies; the scheduler's
lease and the days its once-a-day jobs last ran.

A mail row is written before anything is delivered, and its ``dedupe_key`` is unique, so a
second send of the same reminder is impossible even with two schedulers racing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune
from tracker.models.task import Task
from tracker.models.types import UTCDateTime
from tracker.models.user import User


class MailKind(StrEnum):
    OPENING = "opening"  # the work window opens (assignee, unit heads)
    COORDINATION = "coordination"  # opening notice to the heads of coordinating units
    DUE_SOON = "due_soon"  # N days before the deadline (step = N)
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"  # every N days while overdue (step = days overdue)
    CATCH_UP = "catch_up"  # one mail for the ladder steps missed while the scheduler was down
    ESCALATION = "escalation"  # to the chairman and the focal unit (step = days overdue)
    EXTENSION = "extension"  # an extension request asked (to the chairmen) or decided (step)
    MANUAL = "manual"  # "send a reminder now" from the chairman's board
    DAILY_DIGEST = "daily_digest"
    WEEKLY_DIGEST = "weekly_digest"  # the chairman's overdue digest by unit


class MailStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) delivery attempt
    SENDING = "sending"  # claimed by one deliverer
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt: shown to administrators
    HELD = "held"  # no SMTP configured: kept in the outbox, readable in the app


class Mail(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "mail"
    __table_args__ = (
        Index("ix_mail_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_mail_commune_created_at", "commune_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # kind:step:task:recipient — the uniqueness rule that makes a second send impossible.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    address: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    step: Mapped[str] = mapped_column(String(40), default="")
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"))
    # The ladder day this mail belongs to (Vietnam date).
    scheduled_on: Mapped[dt.date]
    is_optional: Mapped[bool] = mapped_column(default=False)  # carries List-Unsubscribe
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    recipient: Mapped[User | None] = relationship()
    task: Mapped[Task | None] = relationship()
    commune: Mapped[Commune | None] = relationship()


def _default_before_days() -> list[Any]:
    return [7, 3, 1]


def _default_escalation_days() -> list[Any]:
    return [7, 30, 60]


class ReminderPolicy(db.Model):  # type: ignore[name-defined,misc]
    """A commune's reminder ladder; a commune without a row uses these defaults."""

    __tablename__ = "reminder_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), unique=True)
    # A point deadline without its own window is announced this many days ahead.
    lead_days: Mapped[int] = mapped_column(default=30)
    before_days: Mapped[list[Any]] = mapped_column(JSON, default=_default_before_days)
    remind_on_due_day: Mapped[bool] = mapped_column(default=True)
    overdue_every_days: Mapped[int] = mapped_column(default=7)
    # Days overdue at which the chairman and the focal unit are told, once each.
    escalation_days: Mapped[list[Any]] = mapped_column(JSON, default=_default_escalation_days)
    # Ladder mails of a day go out from this hour (Vietnam time), never at midnight.
    send_hour: Mapped[int] = mapped_column(default=7)
    weekly_digest_weekday: Mapped[int] = mapped_column(default=0)  # Monday

    commune: Mapped[Commune] = relationship()


class ReminderSweep(db.Model):  # type: ignore[name-defined,misc]
    """When the reminder sweep last looked at a commune, and for which ladder day.

    The sweep skips a commune whose ladder day has not moved, no task of which changed since
    (``Task.updated_at``, and ``seen`` for the margin before), no digest hour of whose people
    came, and whose people, units and policy were not edited (an edit deletes the row): such
    a commune has nothing new to queue (tracker.services.reminder_sweeps).
    """

    __tablename__ = "reminder_sweep"

    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), primary_key=True)
    swept_day: Mapped[dt.date]  # the policy's effective ladder day at the sweep
    swept_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # A digest of the commune's task rows stamped within CHANGE_MARGIN before swept_at, as
    # the sweep saw them: a later tick looks again only if a row of that window changed.
    seen: Mapped[str | None] = mapped_column(String(32))


class SchedulerLease(db.Model):  # type: ignore[name-defined,misc]
    """Only the holder of an unexpired lease runs scheduled jobs against this database."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class JobRun(db.Model):  # type: ignore[name-defined,misc]
    """The Vietnam day a once-a-day job of the scheduler last ran (``services.job_runs``)."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    ran_on: Mapped[dt.date]
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
