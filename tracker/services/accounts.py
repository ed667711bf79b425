"""Accounts: password hashing, signing in, creating people."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models import LoginSession, Role, User

# A hash to compare against when the username is unknown, so that both paths take as long.
_DUMMY_HASH = generate_password_hash("không-có-tài-khoản-này")


class AccountError(ValueError):
    """A person could not be created as asked (the message says which field)."""


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def authenticate(username: str, password: str) -> User | None:
    """The enabled account with this username (case-insensitive) and password, or None."""
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        return None
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def create_user(
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    created_at: dt.datetime,
    commune_id: int | None = None,
    unit_id: int | None = None,
    email: str = "",
    locale: str = "vi",
) -> User:
    """A new account; refuses a taken username or a role without the scope it needs."""
    if not username.strip():
        raise AccountError("username: must not be empty")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise AccountError(f"username: {username!r} is already taken")
    if role not in {Role.CITY_ADMIN, Role.NATIONAL} and commune_id is None:
        raise AccountError(f"commune: role {role} needs a commune")
    if role in {Role.UNIT_HEAD, Role.UNIT_STAFF} and unit_id is None:
        raise AccountError(f"unit: role {role} needs a unit")
    user = User(
        username=username,
        full_name=full_name,
        email=email or f"{username}@localhost",
        password_hash=hash_password(password),
        role=str(role),
        commune_id=commune_id,
        unit_id=unit_id,
        locale=locale,
        created_at=created_at,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def commune_accounts(commune_id: int) -> list[User]:
    """A commune's people, by unit then name: what its administration page lists."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.commune_id == commune_id)
            .order_by(User.unit_id.is_not(None), User.unit_id, User.full_name)
        )
    )


def new_password() -> str:
    """A random password to hand over once (the person changes nothing: it is only hashed)."""
    return secrets.token_urlsafe(9)


def update_account(user: User, *, role: Role, unit_id: int | None, is_enabled: bool) -> None:
    """The city administrator changes a commune person's role, unit or access."""
    if role in {Role.CITY_ADMIN, Role.NATIONAL}:
        raise AccountError("role: a commune account cannot become the city administrator")
    if role in {Role.UNIT_HEAD, Role.UNIT_STAFF} and unit_id is None:
        raise AccountError(f"unit: role {role} needs a unit")
    if user.is_enabled and not is_enabled:
        end_sessions(user)  # a disabled person is out at their next click, not in 12 hours
    user.role, user.unit_id, user.is_enabled = str(role), unit_id, is_enabled
    db.session.flush()


def reset_password(user: User) -> str:
    """A new random password for ``user``, returned once."""
    password = new_password()
    user.password_hash = hash_password(password)
    end_sessions(user)  # whoever knew the old password is logged out too
    db.session.flush()
    return password


def end_sessions(user: User) -> None:
    """Close every open login of ``user``: each of their browsers is signed out at once."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
