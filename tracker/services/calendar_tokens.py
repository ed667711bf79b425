"""Calendar feed tokens: create, list, revoke, and resolve a secret to a feed on each request.

The secret (``secrets.token_urlsafe(32)``, 256 random bits) is shown once and stored only as
its SHA-256. Access is checked again on every request (:func:`resolve_feed`): the token must be
live, the person enabled, their current role must still allow the scope, and their current
commune and unit must still be the ones the feed was made for. The tasks shown are then
limited further by :func:`tracker.services.permissions.visible_tasks` (see
:mod:`tracker.services.calendars`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.i18n import _
from tracker.models import CalendarScope, CalendarToken, Commune, Role, Unit, User
from tracker.services.calendars import (
    ALARM_CHOICES,
    DEADLINE_KINDS,
    FeedTarget,
    commune_target,
    unit_target,
)
from tracker.services.permissions import COMMUNE_WIDE, role_of

__all__ = [
    "CalendarError",
    "ResolvedFeed",
    "active_tokens",
    "allowed_scopes",
    "create_token",
    "hash_token",
    "mark_used",
    "resolve_feed",
    "revoke_token",
    "target_for_token",
]

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 random bits, 43 characters
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43,128}")
# last_used_at is a hint for the person, not an audit trail: writing it on every poll of every
# client would turn each 304 into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=10)


class CalendarError(ValueError):
    """A feed could not be created as asked; the message is for the person."""


@dataclass(frozen=True)
class ResolvedFeed:
    token: CalendarToken
    user: User
    target: FeedTarget


# -- tokens ---------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii", "replace")).hexdigest()


def allowed_scopes(user: User) -> list[CalendarScope]:
    """The scopes this person's current role and unit allow, broadest last."""
    role = role_of(user)
    if role is Role.CITY_ADMIN:
        return [CalendarScope.CITY]
    if role is Role.NATIONAL:
        return []  # the country's deadlines are no one's calendar
    if user.commune_id is None:
        return []
    scopes = [CalendarScope.OWN]
    if user.unit_id is not None and (role is Role.UNIT_HEAD or role in COMMUNE_WIDE):
        scopes.append(CalendarScope.UNIT)
    if role in COMMUNE_WIDE:
        scopes.append(CalendarScope.COMMUNE)
    return scopes


def create_token(
    user: User,
    scope: CalendarScope,
    *,
    device_name: str,
    now: dt.datetime,
    kind: str | None = None,
    alarm_minutes: int | None = None,
) -> tuple[CalendarToken, str]:
    """A new feed for this person; returns the row and the secret, which is never stored."""
    if scope not in allowed_scopes(user):
        raise CalendarError(_("Vai trò của bạn không được tạo lịch phạm vi này."))
    device_name = " ".join(device_name.split())
    if not device_name:
        raise CalendarError(_("Hãy đặt tên thiết bị (ví dụ: Điện thoại, Outlook cơ quan)."))
    if len(device_name) > 120:
        raise CalendarError(_("Tên thiết bị dài quá 120 ký tự."))
    if scope is CalendarScope.CITY:
        if kind not in DEADLINE_KINDS:
            raise CalendarError(_("Hãy chọn loại hạn cho lịch toàn thành phố."))
    else:
        kind = None
    if alarm_minutes is not None and alarm_minutes not in ALARM_CHOICES:
        raise CalendarError(_("Giờ nhắc không hợp lệ."))
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    token = CalendarToken(
        user_id=user.id,
        token_hash=hash_token(raw),
        scope=str(scope),
        kind=kind,
        commune_id=user.commune_id if scope is not CalendarScope.CITY else None,
        unit_id=user.unit_id if scope is CalendarScope.UNIT else None,
        device_name=device_name,
        alarm_minutes=alarm_minutes,
        created_at=now,
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def active_tokens(user: User) -> list[CalendarToken]:
    return list(
        db.session.scalars(
            select(CalendarToken)
            .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
            .order_by(CalendarToken.created_at, CalendarToken.id)
        )
    )


def revoke_token(user: User, token_id: int, now: dt.datetime) -> bool:
    """Revoke one of this person's own feeds; False if there is no such live feed."""
    token = db.session.get(CalendarToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = now
    db.session.flush()
    return True


def mark_used(token: CalendarToken, now: dt.datetime) -> bool:
    """Record the use, at most once per LAST_USED_RESOLUTION; True if the row changed."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def resolve_feed(raw: str) -> ResolvedFeed | None:
    """The feed behind a secret, if it is live and its owner may still see it; else None."""
    if not _TOKEN_SHAPE.fullmatch(raw):
        return None
    token = db.session.scalar(
        select(CalendarToken)
        .options(joinedload(CalendarToken.user))
        .where(CalendarToken.token_hash == hash_token(raw))
    )
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    if not user.is_enabled or not _still_allowed(token, user):
        return None
    return ResolvedFeed(token=token, user=user, target=target_for_token(token, user))


def _still_allowed(token: CalendarToken, user: User) -> bool:
    scope = CalendarScope(token.scope)
    if scope not in allowed_scopes(user):
        return False
    if scope is CalendarScope.CITY:
        return token.kind in DEADLINE_KINDS
    if scope is CalendarScope.OWN:
        return True
    if user.commune_id != token.commune_id:
        return False
    return scope is CalendarScope.COMMUNE or user.unit_id == token.unit_id


def target_for_token(token: CalendarToken, user: User) -> FeedTarget:
    scope = CalendarScope(token.scope)
    common: dict[str, Any] = {
        "alarm_minutes": token.alarm_minutes,
        "locale": user.locale or "vi",
        "user_id": user.id,
    }
    with force_locale(common["locale"]):
        if scope is CalendarScope.CITY:
            kind = DEADLINE_KINDS[token.kind or "tat-ca"]
            name = _("%(kind)s — toàn thành phố", kind=kind.label)
            return FeedTarget(
                scope, f"Hạn · {name}", f"thanh-pho-{kind.key}", kind=kind.key, **common
            )
        if scope is CalendarScope.OWN:
            name = _("Việc của %(name)s", name=user.full_name)
            return FeedTarget(scope, f"Hạn · {name}", f"viec-cua-toi-{user.id}", **common)
        commune = db.session.get(Commune, token.commune_id)
        assert commune is not None  # _still_allowed compared it with the person's commune
        if scope is CalendarScope.COMMUNE:
            return commune_target(commune, **common)
        unit = db.session.get(Unit, token.unit_id)
        assert unit is not None
        return unit_target(commune, unit, **common)
