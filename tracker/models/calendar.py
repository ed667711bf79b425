"""Calendar feed tokens: the secret in a subscription URL, stored only as its SHA-256."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune, Unit
from tracker.models.types import UTCDateTime
from tracker.models.user import User


class CalendarScope(StrEnum):
    OWN = "own"  # the tasks assigned to the person
    UNIT = "unit"  # the person's unit
    COMMUNE = "commune"  # the whole commune (chairman, vice-chairman, focal officer)
    CITY = "city"  # every commune's deadlines of one kind (city administrator)


class CalendarToken(db.Model):  # type: ignore[name-defined,misc]
    """One subscription: whose it is, what it shows, on which device.

    ``commune_id`` and ``unit_id`` record the scope as it was when the feed was created; every
    request compares them with the person's current commune and unit, so a person who moves
    loses the old unit's feed instead of silently following it.
    """

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256
    scope: Mapped[str] = mapped_column(String(16))
    # City scope: which deadlines (a key of tracker.services.calendars.DEADLINE_KINDS).
    kind: Mapped[str | None] = mapped_column(String(40))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    device_name: Mapped[str] = mapped_column(String(120))
    # Display alarm, minutes from the start of the due day (negative: before); None: no alarm.
    alarm_minutes: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    commune: Mapped[Commune | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
