"""Communes (xã, phường, đặc khu — and the city itself) and their units."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


class Commune(db.Model):  # type: ignore[name-defined,misc]
    """A commune-level government, or the city (kind ``city``) for city-level plans."""

    __tablename__ = "commune"
    # Names repeat across the country (238 of them do); within a province they do not.
    __table_args__ = (UniqueConstraint("province_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Official administrative code (vietnam-provinces); None for the city row.
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))  # "Phường Hòa Bình"
    slug: Mapped[str] = mapped_column(String(120), unique=True)  # "phuong-hoa-binh"
    kind: Mapped[str] = mapped_column(String(16))  # xa | phuong | dac_khu | city
    # The province (tenant); None: the home province (tracker.models.province).
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"), index=True)

    units: Mapped[list[Unit]] = relationship(back_populates="commune", order_by="Unit.id")
    levels: Mapped[list[CommuneLevel]] = relationship(back_populates="commune")

    @property
    def is_city(self) -> bool:
        return self.kind == "city"


class CommuneLevel(db.Model):  # type: ignore[name-defined,misc]
    """The level (Mức độ 1-4) a commune registered for and reached in a year."""

    __tablename__ = "commune_level"
    __table_args__ = (UniqueConstraint("commune_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    year: Mapped[int]
    registered_level: Mapped[int | None]
    reached_level: Mapped[int | None]
    score: Mapped[float | None]
    # Why the city recorded a level the registration or the progress does not support
    # (tracker.services.level_checks); None when nothing needed confirming.
    override_reason: Mapped[str | None] = mapped_column(Text)

    commune: Mapped[Commune] = relationship(back_populates="levels")


class UnitKind(StrEnum):
    OFFICE = "office"  # phòng / trung tâm / văn phòng of the People's Committee
    POLICE = "police"
    PARTY = "party"  # Ban Xây dựng Đảng …
    MASS = "mass"  # MTTQ, Đoàn Thanh niên, tổ chức chính trị - xã hội
    CITY = "city"  # a city department (Sở …)
    COLLECTIVE = "collective"  # "Các phòng, cơ quan, đơn vị": every unit of the commune
    OTHER = "other"  # a name the register does not know, kept as written


class Unit(db.Model):  # type: ignore[name-defined,misc]
    """A department or organisation that leads or coordinates tasks."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("commune_id", "name"),
        UniqueConstraint("commune_id", "slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # canonical name from the unit register
    slug: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=UnitKind.OFFICE)
    is_focal: Mapped[bool] = mapped_column(default=False)  # Phòng Văn hóa - Xã hội
    # A deactivated unit keeps its history; no new account gets it (tracker.services.units).
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    commune: Mapped[Commune] = relationship(back_populates="units")
