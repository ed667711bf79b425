"""Quản trị xã: the city administrator manages a commune's accounts on pages."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import World, login
from tracker.extensions import db
from tracker.models import Role, User
from tracker.services.accounts import authenticate


def _flash_password(page: str) -> str:
    found = re.search(r"mật khẩu: (\S+) \(chỉ hiện một lần\)|: (\S+) \(chỉ hiện một lần\)", page)
    assert found, page
    return found.group(1) or found.group(2)


def test_city_admin_creates_changes_disables_and_resets(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    url = f"/quan-tri/{world.home.slug}"
    page = client.get(url).get_data(as_text=True)
    assert "Phòng Văn hóa - Xã hội" in page and world.users[Role.UNIT_STAFF].username in page
    response = client.post(f"{url}/tai-khoan", follow_redirects=True, data={
        "username": "moi.hoabinh", "full_name": "Người Mới", "email": "moi@hb.vn",
        "role": "unit_staff", "unit": str(world.office.id)})
    password = _flash_password(response.get_data(as_text=True))
    user = authenticate("moi.hoabinh", password)
    assert user is not None and user.unit_id == world.office.id and user.commune_id == world.home.id
    # Change the role and unit; disable.
    client.post(f"{url}/tai-khoan/{user.id}", data={
        "role": "unit_head", "unit": str(world.focal_unit.id)})
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.role, user.unit_id, user.is_enabled) == ("unit_head", world.focal_unit.id, False)
    assert authenticate("moi.hoabinh", password) is None  # disabled
    client.post(f"{url}/tai-khoan/{user.id}", data={
        "role": "unit_head", "unit": str(world.focal_unit.id), "is_enabled": "1"})
    response = client.post(f"{url}/tai-khoan/{user.id}/mat-khau", follow_redirects=True)
    fresh = _flash_password(response.get_data(as_text=True))
    assert fresh != password and authenticate("moi.hoabinh", fresh) is not None
    # A unit role without a unit, a taken username, a city-admin role: refused, nothing changed.
    response = client.post(f"{url}/tai-khoan/{user.id}", follow_redirects=True,
                           data={"role": "unit_staff", "unit": "", "is_enabled": "1"})
    assert "Không lưu được" in response.get_data(as_text=True)
    response = client.post(f"{url}/tai-khoan", follow_redirects=True, data={
        "username": "moi.hoabinh", "full_name": "X", "role": "chairman"})
    assert "Không tạo được tài khoản" in response.get_data(as_text=True)
    client.post(f"{url}/tai-khoan/{user.id}", data={"role": "city_admin", "is_enabled": "1"})
    db.session.expire_all()
    assert db.session.get(User, user.id).role == "unit_head"
    # Another commune's person is not found under this commune.
    other = world.other_chairman
    assert client.post(f"{url}/tai-khoan/{other.id}/mat-khau").status_code == 404
    assert db.session.scalar(select(User.id).where(User.username == "moi.hoabinh"))


def test_commune_people_may_not_manage_accounts(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    assert client.get(f"/quan-tri/{world.home.slug}").status_code == 403
