"""A commune's units, kept by the city administrator: create, rename, deactivate, reactivate.

A unit is never deleted: its tasks and their history keep pointing at it. A deactivated unit
is offered to no new account. Services flush only.
"""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Commune, Unit, UnitKind
from tracker.workflow.plan import slugify

MAX_NAME = 200


class UnitError(ValueError):
    """A unit that cannot be created or renamed; the message says why."""


def _checked_name(commune: Commune, name: str | None, unit: Unit | None = None) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise UnitError(_("Tên đơn vị: hãy nhập tên."))
    if len(text) > MAX_NAME:
        raise UnitError(_("Tên đơn vị: tối đa %(max)d ký tự.", max=MAX_NAME))
    # Compared here, not in SQL: SQLite's lower() leaves "Đ" as it is.
    clash = next(
        (
            other
            for other in db.session.scalars(select(Unit).where(Unit.commune_id == commune.id))
            if other.name.casefold() == text.casefold()
        ),
        None,
    )
    if clash is not None and clash is not unit:
        raise UnitError(_("%(commune)s đã có đơn vị “%(name)s”.", commune=commune.name, name=text))
    return text


def _free_slug(commune: Commune, name: str) -> str:
    base = slugify(name) or "don-vi"
    taken = set(db.session.scalars(select(Unit.slug).where(Unit.commune_id == commune.id)))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_unit(commune: Commune, name: str | None) -> Unit:
    text = _checked_name(commune, name)
    unit = Unit(
        commune_id=commune.id,
        name=text,
        slug=_free_slug(commune, text),
        kind=str(UnitKind.OTHER),
        is_focal=False,
        is_active=True,
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def rename_unit(unit: Unit, name: str | None) -> Unit:
    unit.name = _checked_name(unit.commune, name, unit)
    db.session.flush()
    return unit


def set_active(unit: Unit, active: bool) -> Unit:
    unit.is_active = active
    db.session.flush()
    return unit


def active_units(commune: Commune) -> list[Unit]:
    return [unit for unit in commune.units if unit.is_active]
