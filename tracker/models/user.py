"""People, their roles, and their personal API tokens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune, Unit
from tracker.models.types import UTCDateTime


class Role(StrEnum):
    CITY_ADMIN = "city_admin"  # Sở Nội vụ: every commune of its province, read-only
    NATIONAL = "national"  # Bộ Nội vụ: every province, read-only
    CHAIRMAN = "chairman"  # Chủ tịch UBND: the whole commune
    VICE_CHAIRMAN = "vice_chairman"  # Phó Chủ tịch: the whole commune
    FOCAL_OFFICER = "focal_officer"  # Phòng Văn hóa - Xã hội: assigns and reviews
    UNIT_HEAD = "unit_head"  # trưởng phòng: their unit
    UNIT_STAFF = "unit_staff"  # công chức: the tasks assigned to them


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    # A Sở Nội vụ account's province; None: the home province (tracker.models.province).
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"))
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    # "instant": a mail per reminder; "digest": one mail a day at digest_hour (Vietnam time).
    mail_mode: Mapped[str] = mapped_column(String(10), default="instant")
    digest_hour: Mapped[int] = mapped_column(default=7)
    # Optional mails (copies, coordination notices, weekly digest) stop; reminders do not.
    is_unsubscribed: Mapped[bool] = mapped_column(default=False)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    commune: Mapped[Commune | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot log in
        return self.is_enabled


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A personal API token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
