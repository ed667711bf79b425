"""A commune to remind, and mail sent to the real SMTP server of `tests/smtp.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import make_commune, make_user, unit_named
from tests.smtp import smtp_settings
from tracker.models import Commune, Role, Unit, User


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return app_config | smtp_settings(smtp_port)


@dataclass
class People:
    commune: Commune
    focal_unit: Unit
    office: Unit
    chairman: User
    focal_head: User
    office_head: User
    officer: User  # assignee in the office
    coordinator: User  # head of another unit (coordinates)


def make_people(name: str = "Phường Hòa Bình") -> People:
    commune = make_commune(name)
    focal = unit_named(commune, "Phòng Văn hóa - Xã hội")
    office = unit_named(commune, "Văn phòng HĐND và UBND")
    center = unit_named(commune, "Trung tâm Phục vụ hành chính công")
    return People(
        commune=commune,
        focal_unit=focal,
        office=office,
        chairman=make_user(Role.CHAIRMAN, commune=commune, email="chutich@han.test"),
        focal_head=make_user(Role.UNIT_HEAD, commune=commune, unit=focal,
                             email="vhxh@han.test"),
        office_head=make_user(Role.UNIT_HEAD, commune=commune, unit=office,
                              email="vanphong@han.test"),
        officer=make_user(Role.UNIT_STAFF, commune=commune, unit=office,
                          email="congchuc@han.test"),
        coordinator=make_user(Role.UNIT_HEAD, commune=commune, unit=center,
                              email="ttphvhc@han.test"),
    )
