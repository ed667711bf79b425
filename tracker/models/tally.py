"""The task tally: how many task rows each commune has per year and stored status.

Kept in step by database triggers on ``task`` (created by the migration, for SQLite and
PostgreSQL alike): every insert, delete and change of a row's commune, year, status or split
flag adds a delta row here (+1 for the new key, -1 for the old), so no writer updates a shared
counter (no lock, no deadlock between two requests). The scheduler folds the deltas into one
row per key (tracker.services.task_tallies.compact). Split originals are not counted: their
shares are the work. ``extended``: done on time by a deadline moved later than the plan's.
"""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class TaskTally(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "task_tally"
    __table_args__ = (
        Index("ix_task_tally_key", "year", "commune_id", "status", "extended"),
        Index("ix_task_tally_delta", "is_delta"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int]
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    extended: Mapped[bool]
    rows: Mapped[int]
    is_delta: Mapped[bool]  # written by a trigger, not yet folded
