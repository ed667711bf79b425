"""Feed tokens: random, hashed, scoped by role, and re-checked against the person's current post."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from tests.calendars.conftest import NOW, CalendarWorld, issue
from tracker.extensions import db
from tracker.models import CalendarScope, CalendarToken, Role
from tracker.services import calendar_tokens
from tracker.services.calendar_tokens import CalendarError, allowed_scopes, resolve_feed


def test_scopes_follow_the_role(cworld: CalendarWorld) -> None:
    users = cworld.users
    assert allowed_scopes(users[Role.CITY_ADMIN]) == [CalendarScope.CITY]
    assert allowed_scopes(users[Role.CHAIRMAN]) == [CalendarScope.OWN, CalendarScope.COMMUNE]
    assert allowed_scopes(users[Role.FOCAL_OFFICER]) == [
        CalendarScope.OWN, CalendarScope.UNIT, CalendarScope.COMMUNE,
    ]  # fmt: skip
    assert allowed_scopes(users[Role.UNIT_HEAD]) == [CalendarScope.OWN, CalendarScope.UNIT]
    assert allowed_scopes(users[Role.UNIT_STAFF]) == [CalendarScope.OWN]


def test_secret_is_random_long_and_stored_hashed(cworld: CalendarWorld) -> None:
    head = cworld.users[Role.UNIT_HEAD]
    secrets_ = {issue(head, CalendarScope.UNIT, device_name=f"Máy {n}") for n in range(5)}
    assert len(secrets_) == 5 and all(len(s) >= 43 for s in secrets_)  # ≥ 256 bits
    rows = db.session.scalars(db.select(CalendarToken)).all()
    stored = {r.token_hash for r in rows}
    assert not stored & secrets_
    assert stored == {calendar_tokens.hash_token(s) for s in secrets_}
    assert all(r.unit_id == cworld.office.id and r.commune_id == cworld.home.id for r in rows)


def test_creation_refuses_bad_requests(cworld: CalendarWorld) -> None:
    staff, city = cworld.users[Role.UNIT_STAFF], cworld.users[Role.CITY_ADMIN]
    with pytest.raises(CalendarError):
        calendar_tokens.create_token(staff, CalendarScope.UNIT, device_name="A", now=NOW)
    with pytest.raises(CalendarError):
        calendar_tokens.create_token(staff, CalendarScope.OWN, device_name=" ", now=NOW)
    with pytest.raises(CalendarError):
        calendar_tokens.create_token(city, CalendarScope.CITY, device_name="A", now=NOW)
    with pytest.raises(CalendarError):
        calendar_tokens.create_token(
            city, CalendarScope.CITY, device_name="A", now=NOW, kind="khong-co"
        )
    with pytest.raises(CalendarError):
        calendar_tokens.create_token(
            staff, CalendarScope.OWN, device_name="A", now=NOW, alarm_minutes=5
        )
    assert db.session.scalars(db.select(CalendarToken)).all() == []


def test_list_revoke_and_last_use(cworld: CalendarWorld) -> None:
    head = cworld.users[Role.UNIT_HEAD]
    first = issue(head, CalendarScope.UNIT, device_name="Điện thoại")
    issue(head, CalendarScope.OWN, device_name="Outlook")
    names = [t.device_name for t in calendar_tokens.active_tokens(head)]
    assert names == ["Điện thoại", "Outlook"]
    assert calendar_tokens.active_tokens(cworld.users[Role.CHAIRMAN]) == []

    resolved = resolve_feed(first)
    assert resolved is not None and resolved.user == head
    assert calendar_tokens.mark_used(resolved.token, NOW) is True
    assert calendar_tokens.mark_used(resolved.token, NOW + dt.timedelta(minutes=5)) is False
    assert calendar_tokens.mark_used(resolved.token, NOW + dt.timedelta(minutes=11)) is True

    assert (
        calendar_tokens.revoke_token(cworld.users[Role.CHAIRMAN], resolved.token.id, NOW) is False
    )
    assert calendar_tokens.revoke_token(head, resolved.token.id, NOW) is True
    assert resolve_feed(first) is None
    assert [t.device_name for t in calendar_tokens.active_tokens(head)] == ["Outlook"]


def test_moving_commune_closes_unit_and_commune_feeds(app: Flask, cworld: CalendarWorld) -> None:
    focal = cworld.users[Role.FOCAL_OFFICER]
    unit_feed = issue(focal, CalendarScope.UNIT)
    commune_feed = issue(focal, CalendarScope.COMMUNE)
    assert resolve_feed(unit_feed) and resolve_feed(commune_feed)
    focal.commune_id = cworld.other.id
    db.session.flush()
    assert resolve_feed(unit_feed) is None and resolve_feed(commune_feed) is None


def test_feed_names_and_locale(cworld: CalendarWorld) -> None:
    head = cworld.users[Role.UNIT_HEAD]
    resolved = resolve_feed(issue(head, CalendarScope.UNIT))
    assert resolved is not None
    assert resolved.target.name == "Hạn · Văn phòng HĐND và UBND — Phường Hòa Bình"
    assert resolved.target.slug == "phuong-hoa-binh/van-phong-hdnd-va-ubnd"
    city = resolve_feed(issue(cworld.users[Role.CITY_ADMIN], CalendarScope.CITY, kind="dang-ky"))
    assert city is not None
    assert city.target.name == "Hạn · Đăng ký mức đạt chuẩn — toàn thành phố"
