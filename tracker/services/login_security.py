"""Login throttling and server-side sessions, both in the database so every process agrees.

Throttling: after ``max_failures`` failed logins for one account (or ``max_per_address``
from one client address) within ``window``, further attempts are refused until the oldest
of them leaves the window — before any password is hashed, so a refused guess costs two
indexed COUNTs, not a scrypt. A successful login clears its account's failures.

Sessions: a login creates a :class:`LoginSession` whose secret goes into the (signed) cookie;
logging out deletes it, so a copied cookie stops working; it expires after the lifetime.
Everything here flushes only; the request's unit of work commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from tracker.extensions import db
from tracker.models import LoginFailure, LoginSession, User


@dataclass(frozen=True)
class ThrottleRules:
    max_failures: int = 10
    max_per_address: int = 30
    window: dt.timedelta = dt.timedelta(minutes=15)


def _key(username: str) -> str:
    return username.strip().lower()[:80]


def retry_at(
    username: str, address: str, now: dt.datetime, rules: ThrottleRules
) -> dt.datetime | None:
    """When attempts for this account or from this address may resume; None: not throttled."""
    since = now - rules.window
    waits: list[dt.datetime] = []
    for column, value, limit in (
        (LoginFailure.username, _key(username), rules.max_failures),
        (LoginFailure.address, address, rules.max_per_address),
    ):
        recent = select(LoginFailure.at).where(column == value, LoginFailure.at > since)
        count = db.session.scalar(select(func.count()).select_from(recent.subquery()))
        if count is not None and count >= limit:
            # The attempt that must leave the window for the count to drop below the limit.
            oldest = db.session.scalars(
                recent.order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1)
            ).first()
            if oldest is not None:
                waits.append(oldest + rules.window)
    return max(waits) if waits else None


def record_failure(username: str, address: str, now: dt.datetime, rules: ThrottleRules) -> None:
    """Note a failed attempt; forget attempts older than the window (they no longer count)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - rules.window))
    db.session.add(LoginFailure(username=_key(username), address=address[:64], at=now))
    db.session.flush()


def clear_failures(username: str) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username)))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(user: User, now: dt.datetime, lifetime: dt.timedelta) -> str:
    """A new server-side session for ``user``; returns the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    db.session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    db.session.add(LoginSession(secret_hash=_hash(secret), user_id=user.id, created_at=now,
                                expires_at=now + lifetime))
    db.session.flush()
    return secret


def session_user(secret: str | None, user_id: int, now: dt.datetime) -> User | None:
    """The user of a live session with this secret, if it belongs to ``user_id``."""
    if not secret:
        return None
    row = db.session.scalar(select(LoginSession).where(LoginSession.secret_hash == _hash(secret)))
    if row is None or row.user_id != user_id or row.expires_at <= now:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_enabled else None


def close_session(secret: str | None) -> None:
    """Logging out: the session ends on the server, whoever holds a copy of the cookie."""
    if secret:
        db.session.execute(delete(LoginSession).where(LoginSession.secret_hash == _hash(secret)))

