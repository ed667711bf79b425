"""Communes and their units, created from the registers the importer maintains.

A commune gets the standard units of its kind (``tracker.importing.units``); the city
("Thành phố Hải Phòng", kind ``city``) gets the city departments. A unit a plan names that
the commune does not have yet (a collective name, an unknown name kept as written) is
added when a plan needs it, so every lead has a row to hang tasks on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from tracker.extensions import db, get_clock
from tracker.i18n import _
from tracker.importing.communes import (
    HAI_PHONG_CODENAME,
    CommuneKind,
    RegisterCommune,
    RegisterProvince,
    all_communes,
    all_provinces,
    find_commune,
)
from tracker.importing.unit_register import (
    FOCAL_UNIT,
    UNITS,
    RegisterUnit,
    UnitLevel,
    standard_units,
)
from tracker.importing.units import unit_meant_by
from tracker.models import Commune, Province, Unit, UnitKind
from tracker.workflow.plan import CITY_FOCAL_UNIT, CITY_NAME, CITY_SLUG, slugify

CITY_KIND = "city"
_KIND_SLUGS = {"xa", "phuong", "dac-khu"}  # how commune slugs begin: "phuong-hoa-binh"

_COMMUNE_KINDS = {
    CommuneKind.XA: "xa",
    CommuneKind.PHUONG: "phuong",
    CommuneKind.DAC_KHU: "dac_khu",
}
_UNIT_KINDS = {
    UnitLevel.COMMUNE: UnitKind.OFFICE,
    UnitLevel.PARTY: UnitKind.PARTY,
    UnitLevel.MASS: UnitKind.MASS,
    UnitLevel.VILLAGE: UnitKind.OTHER,
    UnitLevel.CITY: UnitKind.CITY,
    UnitLevel.COLLECTIVE: UnitKind.COLLECTIVE,
}


class CommuneError(ValueError):
    """A commune name that is not one of Hải Phòng's 114."""


def commune_named(name: str) -> Commune | None:
    """The stored commune called ``name`` (any spelling the register accepts), or None."""
    if name.strip().casefold() == CITY_NAME.casefold():
        return db.session.scalars(select(Commune).where(Commune.kind == CITY_KIND)).first()
    found = find_commune(name)
    if found is not None:
        return db.session.scalars(select(Commune).where(Commune.slug == found.slug)).first()
    # A slug ("phuong-hoa-binh") or a name typed without diacritics ("hoa binh"): accepted
    # only when exactly one stored commune fits, never a guess between two.
    key = slugify(name)
    if not key:
        return None
    stored = db.session.scalars(select(Commune)).all()
    fits = [c for c in stored if c.slug == key or (c.slug.endswith(f"-{key}")
            and c.slug[: -len(key) - 1] in _KIND_SLUGS)]
    return fits[0] if len(fits) == 1 else None


def ensure_commune(name: str) -> Commune:
    """The commune called ``name`` with its standard units, created when missing."""
    if name.strip().casefold() == CITY_NAME.casefold():
        return ensure_city()
    found = find_commune(name)
    if found is None:
        # A commune of another enabled province: its stored row, when the name is unique.
        stored = db.session.scalars(
            select(Commune).where(Commune.name == name.strip(), Commune.province_id.is_not(None))
        ).all()
        if len(stored) == 1:
            return stored[0]
        raise CommuneError(
            _("Không tìm thấy xã, phường, đặc khu “%(name)s” của thành phố Hải Phòng.", name=name)
        )
    return _ensure_registered(found)


def _ensure_registered(
    found: RegisterCommune, province: Province | None = None, slug: str | None = None
) -> Commune:
    slug = slug or found.slug
    commune = db.session.scalars(select(Commune).where(Commune.slug == slug)).first()
    if commune is None:
        commune = Commune(
            code=str(found.code),
            name=found.name,
            slug=slug,
            kind=_COMMUNE_KINDS[found.kind],
            province_id=province.id if province else None,
        )
        db.session.add(commune)
        db.session.flush()
    for register_unit in standard_units(found.kind):
        ensure_unit(commune, register_unit.name)
    return commune


def load_register() -> int:
    """Give every commune of the register (Hải Phòng's 114) its row and standard units.

    The city tracks all of them from the start, with or without a plan: a commune that has
    sent nothing yet is exactly what Sở Nội vụ chases. Idempotent; flushes only. Returns how
    many communes were new.
    """
    home = next(p for p in all_provinces() if p.codename == HAI_PHONG_CODENAME)
    province = ensure_province(home, get_clock(current_app).now())
    new = load_province_register(province, all_communes())
    ensure_city()
    return new


def ensure_province(found: RegisterProvince, now: dt.datetime) -> Province:
    """The province's row (a tenant switched on), created when missing."""
    province = db.session.scalar(select(Province).where(Province.code == found.code))
    if province is None:
        province = Province(
            code=found.code, codename=found.codename, name=found.name, enabled_at=now
        )
        db.session.add(province)
        db.session.flush()
    return province


def load_province_register(province: Province, communes: Iterable[RegisterCommune]) -> int:
    """Give each of a province's communes its row and standard units; how many were new.

    Hải Phòng's communes keep the register's slugs ("phuong-hoa-binh"); another province's
    get its codename appended ("phuong-hoan-kiem-ha-noi"), since names repeat across the
    country and a slug is a URL.
    """
    stored = set(db.session.scalars(select(Commune.slug)))
    home = province.codename == HAI_PHONG_CODENAME
    suffix = "" if home else "-" + province.codename.replace("_", "-")
    new = [found for found in communes if found.slug + suffix not in stored]
    for found in new:
        _ensure_registered(found, province, found.slug + suffix)
    return len(new)


def ensure_city() -> Commune:
    """The city row, with the city departments as its units (Sở Nội vụ is the focal one)."""
    city = db.session.scalars(select(Commune).where(Commune.kind == CITY_KIND)).first()
    if city is None:
        city = Commune(code=None, name=CITY_NAME, slug=CITY_SLUG, kind=CITY_KIND)
        db.session.add(city)
        db.session.flush()
    for register_unit in UNITS:
        if register_unit.level is UnitLevel.CITY:
            ensure_unit(city, register_unit.name)
    return city


def ensure_unit(commune: Commune, name: str) -> Unit:
    """The commune's unit called ``name`` (canonical when the register knows it).

    A collective name keeps the plan's wording ("Các sở, ban, ngành liên quan"): its row is
    of kind ``collective``, which is what assignment, splitting and reminders go by.
    """
    register_unit = unit_meant_by(name)
    canonical = " ".join(name.split())
    if register_unit is not None and not register_unit.is_collective:
        canonical = register_unit.name
    unit = db.session.scalars(
        select(Unit).where(Unit.commune_id == commune.id, Unit.name == canonical)
    ).first()
    if unit is not None:
        return unit
    kind = _UNIT_KINDS[register_unit.level] if register_unit else UnitKind.OTHER
    if register_unit is not None and register_unit.slug == "cong-an":
        kind = UnitKind.POLICE
    focal = CITY_FOCAL_UNIT if commune.kind == CITY_KIND else FOCAL_UNIT
    unit = Unit(
        commune_id=commune.id,
        name=canonical,
        slug=_unit_slug(commune, register_unit, canonical),
        kind=str(kind),
        is_focal=canonical == focal,
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def _unit_slug(commune: Commune, register_unit: RegisterUnit | None, name: str) -> str:
    """The register's slug; a name as written (a collective wording, an unknown unit) gets
    its own, made unique within the commune."""
    if register_unit is not None and register_unit.name == name:
        return register_unit.slug
    base = slugify(name) or "don-vi"
    taken = set(db.session.scalars(select(Unit.slug).where(Unit.commune_id == commune.id)))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
