"""Whose communes a person oversees: the tenant boundary of provinces.

A Sở Nội vụ account (``Role.CITY_ADMIN``) oversees the communes of its province, a Bộ Nội
vụ account (``Role.NATIONAL``) every commune, read-only; a commune's people their own
commune. Every query behind the city and national roles narrows by :func:`commune_clause`,
so a commune outside the scope is simply not found (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select, true

from tracker.extensions import db
from tracker.models import Commune, Role, User
from tracker.services.provinces import account_province, home_province, province_clause

# Roles that look at many communes from above (city or country) rather than work in one.
OVERSEERS = frozenset({Role.CITY_ADMIN, Role.NATIONAL})


def is_overseer(user: User) -> bool:
    return Role(user.role) in OVERSEERS


def commune_clause(user: User) -> ColumnElement[bool]:
    """SQL on ``Commune``: the communes this person oversees or works in."""
    role = Role(user.role)
    if role is Role.NATIONAL:
        return true()
    if role is Role.CITY_ADMIN:
        return province_clause(account_province(user))
    if user.commune_id is None:
        return false()
    return Commune.id == user.commune_id


def commune_ids(user: User) -> Select[tuple[int]]:
    """The ids of :func:`commune_clause`, as a subquery for ``… IN (…)``."""
    return select(Commune.id).where(commune_clause(user))


def overseen_commune_ids(user: User) -> list[int]:
    return list(db.session.scalars(commune_ids(user)))


def in_scope(user: User, commune: Commune | None) -> bool:
    """May this person look at ``commune`` at all (the city row included for its province)?"""
    if commune is None:
        return False
    role = Role(user.role)
    if role is Role.NATIONAL:
        return True
    if role is Role.CITY_ADMIN:
        mine = user.province_id if user.province_id is not None else _home_id()
        theirs = commune.province_id if commune.province_id is not None else _home_id()
        return mine == theirs
    return commune.id == user.commune_id


def _home_id() -> int | None:
    home = home_province()
    return home.id if home else None


def scoped_commune(user: User, slug: str) -> Commune | None:
    """The commune called ``slug`` if this person may look at it, else None."""
    commune = db.session.scalar(select(Commune).where(Commune.slug == slug))
    return commune if in_scope(user, commune) else None
