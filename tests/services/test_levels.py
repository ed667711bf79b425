"""Registering a commune's level and recording the city's result (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import make_commune, make_user, unit_named
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import Commune, CommuneLevel, Role, User
from tracker.services import levels
from tracker.services.city_rollups import city_rollup
from tracker.services.levels import LevelError, LevelRefused, record_result, register_level


@pytest.fixture
def home(app: Flask) -> Commune:
    return make_commune("Phường Hòa Bình")


def _person(role: Role, commune: Commune | None) -> User:
    unit = unit_named(commune, "Phòng Văn hóa - Xã hội") if commune else None
    if role in {Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.CITY_ADMIN}:
        unit = None
    return make_user(role, commune=commune, unit=unit)


def _rows() -> int:
    return db.session.scalar(select(func.count(CommuneLevel.id))) or 0


@pytest.mark.parametrize("role", [Role.CHAIRMAN, Role.FOCAL_OFFICER])
def test_chairman_and_focal_officer_register_and_may_change(
    home: Commune, clock: FixedClock, role: Role
) -> None:
    actor = _person(role, home)
    row = register_level(home, 2026, 2, actor, clock)
    assert (row.commune_id, row.year, row.registered_level, row.reached_level) == (
        home.id,
        2026,
        2,
        None,
    )
    again = register_level(home, 2026, 3, actor, clock)
    assert again.id == row.id and again.registered_level == 3
    assert _rows() == 1
    # Next year's registration is open too (sent in December), a row of its own.
    register_level(home, 2027, 4, actor, clock)
    assert _rows() == 2


@pytest.mark.parametrize(
    "role", [Role.VICE_CHAIRMAN, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CITY_ADMIN]
)
def test_other_roles_may_not_register(home: Commune, clock: FixedClock, role: Role) -> None:
    actor = _person(role, None if role is Role.CITY_ADMIN else home)
    with pytest.raises(LevelRefused):
        register_level(home, 2026, 2, actor, clock)
    assert _rows() == 0


def test_another_communes_chairman_may_not_register(home: Commune, clock: FixedClock) -> None:
    other = make_commune("Xã Phú Thái", kind="xa")
    with pytest.raises(LevelRefused, match="Phường Hòa Bình"):
        register_level(home, 2026, 4, _person(Role.CHAIRMAN, other), clock)


@pytest.mark.parametrize(
    ("year", "level", "message"),
    [
        (2026, 0, "hãy chọn một mức từ Mức độ 1 đến Mức độ 4"),
        (2026, 5, "hãy chọn một mức từ Mức độ 1 đến Mức độ 4"),
        (2026, None, "hãy chọn một mức từ Mức độ 1 đến Mức độ 4"),
        (2025, 2, "chỉ đăng ký được cho năm 2026 hoặc năm 2027"),
        (2028, 2, "chỉ đăng ký được cho năm 2026 hoặc năm 2027"),
    ],
)
def test_registration_is_validated(
    home: Commune, clock: FixedClock, year: int, level: int | None, message: str
) -> None:
    with pytest.raises(LevelError, match=message):
        register_level(home, year, level, _person(Role.CHAIRMAN, home), clock)
    assert _rows() == 0


def test_registration_is_locked_once_the_city_records_a_result(
    home: Commune, clock: FixedClock
) -> None:
    chairman = _person(Role.CHAIRMAN, home)
    register_level(home, 2026, 3, chairman, clock)
    assert levels.registration_open(home, 2026, clock)
    record_result(home, 2026, 2, 78.5, _person(Role.CITY_ADMIN, None), clock)
    assert not levels.registration_open(home, 2026, clock)
    with pytest.raises(LevelError, match="không thay đổi được mức đăng ký"):
        register_level(home, 2026, 4, chairman, clock)
    row = levels.level_of(home, 2026)
    assert row is not None and (row.registered_level, row.reached_level, row.score) == (3, 2, 78.5)


def test_city_records_a_result_without_a_registration_and_may_correct_it(
    home: Commune, clock: FixedClock
) -> None:
    admin = _person(Role.CITY_ADMIN, None)
    row = record_result(home, 2026, 0, 42, admin, clock)
    assert (row.registered_level, row.reached_level, row.score) == (None, 0, 42.0)
    row = record_result(home, 2026, 1, 61.25, admin, clock)
    assert (row.reached_level, row.score) == (1, 61.25)
    assert _rows() == 1


@pytest.mark.parametrize(
    "role", [Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.FOCAL_OFFICER, Role.UNIT_HEAD]
)
def test_only_the_city_records_results(home: Commune, clock: FixedClock, role: Role) -> None:
    with pytest.raises(LevelRefused, match="Sở Nội vụ"):
        record_result(home, 2026, 4, 95, _person(role, home), clock)
    assert _rows() == 0


@pytest.mark.parametrize(
    ("year", "reached", "score", "message"),
    [
        (2026, 5, 90, "Chưa đạt chuẩn"),
        (2026, -1, 90, "Chưa đạt chuẩn"),
        (2026, None, 90, "Chưa đạt chuẩn"),
        (2026, 3, None, "hãy nhập một số từ 0 đến 100"),
        (2026, 3, 100.5, "hãy nhập một số từ 0 đến 100"),
        (2026, 3, -1, "hãy nhập một số từ 0 đến 100"),
        (2026, 3, float("nan"), "hãy nhập một số từ 0 đến 100"),
        (2027, 3, 80, "từ 2026 đến 2026"),
        (2025, 3, 80, "từ 2026 đến 2026"),
    ],
)
def test_results_are_validated(
    home: Commune,
    clock: FixedClock,
    year: int,
    reached: int | None,
    score: float | None,
    message: str,
) -> None:
    with pytest.raises(LevelError, match=message):
        record_result(home, year, reached, score, _person(Role.CITY_ADMIN, None), clock)
    assert _rows() == 0


def test_the_city_itself_has_no_level(app: Flask, clock: FixedClock) -> None:
    city = make_commune("Thành phố Hải Phòng", kind="city", with_units=False)
    with pytest.raises(LevelError, match="Chỉ xã, phường, đặc khu"):
        record_result(city, 2026, 4, 90, _person(Role.CITY_ADMIN, None), clock)


def test_next_years_registration_opens_with_the_new_year(home: Commune) -> None:
    december = FixedClock(dt.datetime(2026, 12, 20, 9, 0, tzinfo=VN_TZ))
    january = FixedClock(dt.datetime(2027, 1, 5, 9, 0, tzinfo=VN_TZ))
    chairman = _person(Role.CHAIRMAN, home)
    register_level(home, 2027, 2, chairman, december)
    assert not levels.registration_open(home, 2026, january)
    with pytest.raises(LevelError, match="năm 2027 hoặc năm 2028"):
        register_level(home, 2026, 2, chairman, january)


def test_the_city_rollup_counts_recorded_levels(home: Commune, clock: FixedClock) -> None:
    other = make_commune("Xã Phú Thái", kind="xa")
    third = make_commune("Phường Bạch Đằng")
    admin = _person(Role.CITY_ADMIN, None)
    register_level(home, 2026, 1, _person(Role.CHAIRMAN, home), clock)
    register_level(other, 2026, 4, _person(Role.FOCAL_OFFICER, other), clock)
    record_result(home, 2026, 1, 70, admin, clock)
    record_result(other, 2026, 4, 96.5, admin, clock)
    record_result(third, 2026, 0, 40, admin, clock)
    db.session.flush()
    rollup = city_rollup(2026, dt.date(2026, 5, 4))
    by_name = {row.commune.name: row for row in rollup.rows}
    assert by_name["Xã Phú Thái"].score == 96.5 and by_name["Xã Phú Thái"].reached_level == 4
    assert (rollup.reached_count, rollup.level_4_count, rollup.registered_count) == (2, 1, 2)
    assert rollup.meets_reach_target is False  # 2 of 3 < 80%
    assert rollup.meets_level_4_target is True  # 1 of 3 ≥ 20%
