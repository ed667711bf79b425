"""Helpers for the web tests: a commune with people in every role, and logging in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import (
    PASSWORD,
    make_commune,
    make_plan,
    make_plan_item,
    make_task,
    make_user,
    unit_named,
)
from tracker.extensions import db
from tracker.models import Commune, Plan, Role, Task, Unit, User


@dataclass
class World:
    """Two communes; the home one has a person in every role and a few tasks."""

    home: Commune
    other: Commune
    focal_unit: Unit
    office: Unit
    plan: Plan
    users: dict[Role, User]
    other_chairman: User
    overdue: Task  # focal unit, due 01/05/2026 (clock: 04/05/2026)
    soon: Task  # focal unit, due 06/05/2026
    office_task: Task  # Văn phòng, assigned to the staff member
    foreign: Task  # the other commune's


@pytest.fixture
def world(app: Flask) -> World:
    home = make_commune("Phường Hòa Bình")
    other = make_commune("Xã Phú Thái", kind="xa")
    focal = unit_named(home, "Phòng Văn hóa - Xã hội")
    office = unit_named(home, "Văn phòng HĐND và UBND")
    plan = make_plan(home, tasks=0, number="102/KH-UBND")
    first = make_plan_item(
        plan,
        ref="1",
        title="Niêm yết công khai thủ tục hành chính tại trụ sở",
        time_text="Trước ngày 01/5/2026",
        group="I. Công khai, minh bạch",
        points=5,
        evidence="Ảnh chụp bảng niêm yết",
    )
    second = make_plan_item(plan, ref="2", title="Khảo sát sự hài lòng của người dân")
    users = {
        Role.CITY_ADMIN: make_user(Role.CITY_ADMIN, username="soNoiVu", full_name="Sở Nội vụ"),
        Role.NATIONAL: make_user(Role.NATIONAL, username="boNoiVu", full_name="Bộ Nội vụ"),
        Role.CHAIRMAN: make_user(Role.CHAIRMAN, commune=home, username="chutich"),
        Role.VICE_CHAIRMAN: make_user(Role.VICE_CHAIRMAN, commune=home, username="phochutich"),
        Role.FOCAL_OFFICER: make_user(
            Role.FOCAL_OFFICER, commune=home, unit=focal, username="daumoi"
        ),
        Role.UNIT_HEAD: make_user(Role.UNIT_HEAD, commune=home, unit=focal, username="truongphong"),
        Role.UNIT_STAFF: make_user(Role.UNIT_STAFF, commune=home, unit=office, username="congchuc"),
    }
    other_plan = make_plan(other)
    world = World(
        home=home,
        other=other,
        focal_unit=focal,
        office=office,
        plan=plan,
        users=users,
        other_chairman=make_user(Role.CHAIRMAN, commune=other, username="chutich2"),
        overdue=make_task(first, focal, due_on=dt.date(2026, 5, 1), group=first.group, points=5),
        soon=make_task(second, focal, due_on=dt.date(2026, 5, 6)),
        office_task=make_task(
            second,
            office,
            due_on=dt.date(2026, 6, 30),
            occurrence_key="2026-Q2",
            assignee_id=users[Role.UNIT_STAFF].id,
        ),
        foreign=make_task(
            other_plan.tasks[0],
            unit_named(other, "Phòng Văn hóa - Xã hội"),
            due_on=dt.date(2026, 5, 1),
        ),
    )
    db.session.commit()
    return world


def login(client: FlaskClient, user: User) -> None:
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def page_text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]
