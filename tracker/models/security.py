"""What keeps logins safe across processes: open sessions and recent failed attempts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.types import UTCDateTime


class LoginSession(db.Model):  # type: ignore[name-defined,misc]
    """One signed-in browser. The cookie holds the secret; the database only its SHA-256.

    Logging out deletes the row, so a copy of the cookie stops working at once; a row past
    ``expires_at`` (the session lifetime) no longer signs anyone in.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class LoginFailure(db.Model):  # type: ignore[name-defined,misc]
    """A failed login: the username tried (lower-cased) and the client's address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
