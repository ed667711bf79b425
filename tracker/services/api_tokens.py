"""Personal API tokens: created once, shown once, stored only as their SHA-256.

A token acts as its owner with the owner's role and scope; revoking it, disabling the
account or moving the person changes what it can do at once, because nothing but the owner
is remembered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select

from tracker.extensions import db
from tracker.i18n import _
from tracker.models import ApiToken, User

# Every token starts with this, so a leaked one is easy to recognise in logs and scanners.
TOKEN_PREFIX = "han_"
MAX_NAME_LENGTH = 120
# Active tokens a person may hold at once; revoke one to make another.
MAX_ACTIVE_TOKENS = 10
# last_used_at is written at most this often, so busy clients do not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class TokenError(ValueError):
    """A token could not be created as asked (the message says why, for people)."""


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def list_tokens(user: User) -> list[ApiToken]:
    """This person's tokens, active first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def create_token(user: User, name: str, now: dt.datetime) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the plaintext, which is never kept."""
    name = " ".join(name.split())
    if not name:
        raise TokenError(_("Hãy đặt tên cho khóa (ví dụ: “Báo cáo tuần”)."))
    if len(name) > MAX_NAME_LENGTH:
        raise TokenError(_("Tên khóa dài quá %(max)d ký tự.", max=MAX_NAME_LENGTH))
    active = [t for t in list_tokens(user) if t.revoked_at is None]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            _(
                "Bạn đã có %(max)d khóa đang dùng; hãy thu hồi một khóa trước.",
                max=MAX_ACTIVE_TOKENS,
            )
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plaintext), created_at=now)
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def revoke_token(user: User, token_id: int, now: dt.datetime) -> ApiToken | None:
    """Revoke one of this person's tokens; None when it is not theirs (the caller answers 404)."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = now
        db.session.flush()
    return token


def authenticate_token(plaintext: str, now: dt.datetime) -> User | None:
    """The enabled owner of an active token, or None. Notes when the token was last used."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    if token is None or token.revoked_at is not None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_enabled:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return user
