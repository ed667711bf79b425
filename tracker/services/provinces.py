"""Provinces as tenants: switching a province on, its targets, and whose communes are whose.

Enabling a province gives each of its communes (from the vietnam-provinces register) a row
and its standard units, as ``tracker db upgrade`` does for Hải Phòng. The home province
(``HOME_PROVINCE``, Hải Phòng) is the installation this grew from: a commune or a Sở Nội
vụ account without a province belongs to it. Flushes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.importing.communes import (
    HAI_PHONG_CODENAME,
    RegisterProvince,
    all_provinces,
    find_province,
    province_communes,
)
from tracker.models import Commune, Province, ProvinceTarget, User
from tracker.services.communes import ensure_province, load_province_register

HOME_PROVINCE = HAI_PHONG_CODENAME


class ProvinceError(ValueError):
    """A province the register does not know, or a target out of range."""


def register_province(text: str) -> RegisterProvince:
    found = find_province(text)
    if found is None:
        raise ProvinceError(
            _("Không tìm thấy tỉnh, thành phố “%(name)s” trong danh mục hành chính.", name=text)
        )
    return found


def home_province() -> Province | None:
    return db.session.scalar(select(Province).where(Province.codename == HOME_PROVINCE))


def enable_province(text: str, clock: Clock) -> tuple[Province, int]:
    """Switch a province on: its row, and every commune of the register with its units.

    Idempotent. Returns the province and how many communes were new.
    """
    found = register_province(text)
    province = ensure_province(found, clock.now())
    return province, load_province_register(province, province_communes(found.code))


@dataclass
class ProvinceListing:
    code: int
    codename: str
    name: str
    province: Province | None  # None: not enabled
    commune_count: int
    register_count: int


def list_provinces() -> list[ProvinceListing]:
    """Every province of the register, enabled or not, with its stored communes."""
    enabled = {p.code: p for p in db.session.scalars(select(Province))}
    home = enabled.get(next(p.code for p in all_provinces() if p.codename == HOME_PROVINCE))
    counts = dict(
        db.session.execute(
            select(Commune.province_id, func.count(Commune.id))
            .where(Commune.kind != "city")
            .group_by(Commune.province_id)
        ).all()
    )
    rows = []
    for found in all_provinces():
        province = enabled.get(found.code)
        count = counts.get(province.id, 0) if province else 0
        if province is not None and province is home:
            count += counts.get(None, 0)
        rows.append(
            ProvinceListing(
                found.code,
                found.codename,
                found.name,
                province,
                count,
                len(province_communes(found.code)),
            )
        )
    return rows


def province_clause(province: Province | None) -> ColumnElement[bool]:
    """SQL: the commune belongs to ``province`` (None, or the home one: also no province)."""
    if province is None:
        return Commune.province_id.is_(None)
    if province.codename == HOME_PROVINCE:
        return or_(Commune.province_id == province.id, Commune.province_id.is_(None))
    return Commune.province_id == province.id


def account_province(user: User) -> Province | None:
    """The province a Sở Nội vụ account administers (its own, else the home province)."""
    if user.province_id is not None:
        return db.session.get(Province, user.province_id)
    return home_province()


def commune_province(commune: Commune) -> Province | None:
    if commune.province_id is not None:
        return db.session.get(Province, commune.province_id)
    return home_province()


def province_by_code(code: int | str) -> Province | None:
    try:
        number = int(code)
    except (TypeError, ValueError):
        return db.session.scalar(select(Province).where(Province.codename == str(code)))
    return db.session.scalar(select(Province).where(Province.code == number))


def set_target(province: Province, year: int, reach_standard: float, level_4: float) -> None:
    """Set the province's target for ``year`` (shares 0-1)."""
    for label, share in ((_("tỉ lệ đạt chuẩn"), reach_standard), (_("tỉ lệ Mức độ 4"), level_4)):
        if not 0.0 <= share <= 1.0:
            raise ProvinceError(
                _("%(what)s phải từ 0 đến 1 (được %(value)s).", what=label, value=share)
            )
    if not 2000 <= year <= 2100:
        raise ProvinceError(_("Năm %(year)d không hợp lệ.", year=year))
    row = db.session.scalar(
        select(ProvinceTarget).where(
            ProvinceTarget.province_id == province.id, ProvinceTarget.year == year
        )
    )
    if row is None:
        row = ProvinceTarget(province_id=province.id, year=year)
        db.session.add(row)
    row.reach_standard, row.level_4 = reach_standard, level_4
    db.session.flush()


def all_province_targets() -> dict[int, Mapping[int, tuple[float, float]]]:
    """Every province's configured targets by year (provinces without any left out)."""
    found: dict[int, dict[int, tuple[float, float]]] = {}
    for row in db.session.scalars(select(ProvinceTarget)):
        found.setdefault(row.province_id, {})[row.year] = (row.reach_standard, row.level_4)
    return dict(found)


def province_targets(province: Province | None) -> Mapping[int, tuple[float, float]] | None:
    """The province's configured targets by year, or None (the defaults apply)."""
    if province is None:
        return None
    rows = db.session.scalars(
        select(ProvinceTarget).where(ProvinceTarget.province_id == province.id)
    ).all()
    return {r.year: (r.reach_standard, r.level_4) for r in rows} or None
