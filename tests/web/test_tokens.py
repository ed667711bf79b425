"""Personal API tokens: the page that creates (shows once) and revokes, and the service."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import World, login, page_text
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import ApiToken, Role
from tracker.services import api_tokens
from tracker.services.api_tokens import TokenError, authenticate_token, create_token


def test_token_page_is_vietnamese(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_STAFF])
    response = client.get("/tai-khoan/khoa-api")
    assert response.status_code == 200
    text = page_text(response)
    assert "Khóa truy cập API" in text and "Tạo khóa mới" in text
    assert "Bạn chưa có khóa nào." in text


def test_token_page_needs_login(client: FlaskClient, world: World) -> None:
    response = client.get("/tai-khoan/khoa-api")
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]
    assert client.post("/tai-khoan/khoa-api", data={"name": "x"}).status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_hold_tokens(client: FlaskClient, world: World, role: Role) -> None:
    login(client, world.users[role])
    assert client.post("/tai-khoan/khoa-api", data={"name": "Báo cáo"}).status_code == 201


def test_token_is_shown_once_and_only_its_hash_kept(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.post("/tai-khoan/khoa-api", data={"name": "  Bảng tính   báo cáo tuần "})
    assert response.status_code == 201
    text = page_text(response)
    assert "chỉ hiện một lần" in text
    plaintext = text.split('class="token-once"')[1].split(">")[1].split("<")[0]
    assert plaintext.startswith("han_") and len(plaintext) > 40
    row = db.session.scalars(select(ApiToken)).one()
    assert row.name == "Bảng tính báo cáo tuần"
    assert row.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in row.token_hash
    # The list shows the token's name, never the token again.
    again = page_text(client.get("/tai-khoan/khoa-api"))
    assert "Bảng tính báo cáo tuần" in again and plaintext not in again
    # And it works against the API.
    api = client.get("/api/v1/plans", headers={"Authorization": f"Bearer {plaintext}"})
    assert api.status_code == 200


def test_empty_name_is_refused_and_nothing_written(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = client.post("/tai-khoan/khoa-api", data={"name": "   "})
    assert response.status_code == 400
    assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0
    response = client.post("/tai-khoan/khoa-api", data={"name": "x" * 121})
    assert response.status_code == 400
    assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0


def test_revoke_own_token_only(client: FlaskClient, world: World, clock: FixedClock) -> None:
    mine, plaintext = create_token(world.users[Role.CHAIRMAN], "của tôi", clock.now())
    theirs, _other = create_token(world.users[Role.UNIT_HEAD], "của người khác", clock.now())
    db.session.commit()
    login(client, world.users[Role.CHAIRMAN])
    assert client.post(f"/tai-khoan/khoa-api/{theirs.id}/thu-hoi").status_code == 404
    response = client.post(f"/tai-khoan/khoa-api/{mine.id}/thu-hoi", follow_redirects=True)
    assert response.status_code == 200
    text = page_text(response)
    assert "Đã thu hồi khóa “của tôi”." in text and "Đã thu hồi lúc 04/05/2026 09:00" in text
    db.session.expire_all()
    assert db.session.get(ApiToken, theirs.id).revoked_at is None
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/plans", headers=headers).status_code == 401
    assert client.get(f"/tai-khoan/khoa-api/{mine.id}/thu-hoi").status_code == 405


def test_service_limits_and_last_use(app: Flask, world: World, clock: FixedClock) -> None:
    user = world.users[Role.UNIT_STAFF]
    for i in range(api_tokens.MAX_ACTIVE_TOKENS):
        create_token(user, f"khóa {i}", clock.now())
    with pytest.raises(TokenError, match="thu hồi một khóa"):
        create_token(user, "một khóa nữa", clock.now())
    first = api_tokens.list_tokens(user)[0]
    api_tokens.revoke_token(user, first.id, clock.now())
    token, plaintext = create_token(user, "một khóa nữa", clock.now())

    assert authenticate_token(plaintext, clock.now()) == user
    assert token.last_used_at == clock.now()
    soon = clock.now() + dt.timedelta(minutes=1)
    authenticate_token(plaintext, soon)
    assert token.last_used_at == clock.now()  # not rewritten on every call
    later = clock.now() + api_tokens.LAST_USED_RESOLUTION
    authenticate_token(plaintext, later)
    assert token.last_used_at == later
    assert authenticate_token("not-a-han-token", clock.now()) is None
    assert authenticate_token(plaintext + "x", clock.now()) is None
