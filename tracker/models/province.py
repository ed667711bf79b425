"""Provinces as tenants: the register's provinces that are switched on, and their targets.

A province row exists once it is enabled (``tracker provinces enable``); its communes carry
``Commune.province_id``. Communes and accounts without a province belong to the home
province (``HOME_PROVINCE``, Hải Phòng): the single-city installation this grew from.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.types import UTCDateTime


class Province(db.Model):  # type: ignore[name-defined,misc]
    """A province or centrally-run city of the register (34 after the 2025 reorganisation)."""

    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(unique=True)  # the national code (31: Hải Phòng)
    codename: Mapped[str] = mapped_column(String(40), unique=True)  # "hai_phong"
    name: Mapped[str] = mapped_column(String(120))  # "Thành phố Hải Phòng"
    enabled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    targets: Mapped[list[ProvinceTarget]] = relationship(
        back_populates="province", order_by="ProvinceTarget.year"
    )


class ProvinceTarget(db.Model):  # type: ignore[name-defined,misc]
    """A province's goal for a year: shares (0-1) of its communes at the standard and at Mức độ 4.

    A year without a row takes the latest earlier row; a province without rows takes the
    defaults (decision 003's figures, ``DEFAULT_CITY_TARGETS``).
    """

    __tablename__ = "province_target"
    __table_args__ = (UniqueConstraint("province_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    year: Mapped[int]
    reach_standard: Mapped[float]
    level_4: Mapped[float]

    province: Mapped[Province] = relationship(back_populates="targets")
