"""Logging in and out, the language switch, and CSRF protection."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import World, login, page_text
from tracker import create_app
from tracker.clock import FixedClock
from tracker.models import Role


def test_login_page_is_vietnamese(client: FlaskClient) -> None:
    response = client.get("/dang-nhap")
    assert response.status_code == 200
    text = page_text(response)
    assert "Đăng nhập" in text and "Tên đăng nhập" in text and "Mật khẩu" in text
    assert '<html lang="vi">' in text


def test_pages_need_login(client: FlaskClient, world: World) -> None:
    response = client.get("/viec")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap?next=")


def test_wrong_password_is_refused(client: FlaskClient, world: World) -> None:
    response = client.post("/dang-nhap", data={"username": "daumoi", "password": "sai"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page_text(response)
    assert client.get("/viec").status_code == 302


def test_disabled_account_cannot_log_in(client: FlaskClient, world: World, app: Flask) -> None:
    from tracker.extensions import db

    world.users[Role.UNIT_HEAD].is_enabled = False
    db.session.commit()
    response = client.post(
        "/dang-nhap", data={"username": "truongphong", "password": "matkhau-thu"}
    )
    assert response.status_code == 401


def test_login_goes_to_next_but_never_off_site(client: FlaskClient, world: World) -> None:
    user = world.users[Role.UNIT_HEAD]
    data = {"username": user.username, "password": "matkhau-thu", "next": "/viec?nam=2026"}
    assert client.post("/dang-nhap", data=data).headers["Location"] == "/viec?nam=2026"
    client.post("/dang-xuat")
    data["next"] = "https://evil.example/steal"
    assert client.post("/dang-nhap", data=data).headers["Location"] == "/"


def test_logout_ends_the_session(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    assert client.get("/viec").status_code == 200
    response = client.post("/dang-xuat", follow_redirects=True)
    assert "Bạn đã đăng xuất." in page_text(response)
    assert client.get("/viec").status_code == 302


def test_language_switch_to_english_and_back(client: FlaskClient, world: World) -> None:
    user = world.users[Role.UNIT_HEAD]
    login(client, user)
    response = client.post("/ngon-ngu/en", data={"next": "/viec"})
    assert response.headers["Location"] == "/viec"
    text = page_text(client.get("/viec"))
    assert "Unit tasks" in text and "Overdue" in text and '<html lang="en">' in text
    assert "Việc của phòng" not in text
    assert user.locale == "en"
    client.post("/ngon-ngu/vi")
    assert "Việc của phòng" in page_text(client.get("/viec"))


def test_language_switch_works_before_login(client: FlaskClient) -> None:
    client.post("/ngon-ngu/en", data={"next": "/dang-nhap"})
    text = page_text(client.get("/dang-nhap"))
    assert "Log in" in text and "Password" in text


def test_the_product_name_is_not_translated(client: FlaskClient) -> None:
    """"Hạn" is the product's name; as a word ("due") it is translated, as a name it is not."""
    client.post("/ngon-ngu/en", data={"next": "/dang-nhap"})
    text = page_text(client.get("/dang-nhap"))
    assert '<a class="brand" href="/">Hạn</a>' in text
    assert "<title>Log in · Hạn — " in text and "Due" not in text


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.post("/ngon-ngu/fr")
    assert "Đăng nhập" in page_text(client.get("/dang-nhap"))


def test_post_without_csrf_token_is_refused(
    app_config: dict[str, Any], clock: FixedClock, world: World
) -> None:
    """The app keeps CSRF on; only the test config turns it off for the other tests."""
    strict = create_app(app_config | {"WTF_CSRF_ENABLED": True}, clock=clock)
    client = strict.test_client()
    response = client.post("/dang-nhap", data={"username": "daumoi", "password": "matkhau-thu"})
    assert response.status_code == 400  # the form again, with the username kept
    assert "Phiên làm việc đã hết hạn, vui lòng gửi lại." in page_text(response)
    # With the token from the form, the same login goes through.
    page = page_text(client.get("/dang-nhap"))
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/dang-nhap",
        data={"username": "daumoi", "password": "matkhau-thu", "csrf_token": token},
    )
    assert response.status_code == 302
    # A state-changing POST on a task without the token is refused too.
    response = client.post(f"/viec/{world.overdue.id}/y-kien", data={"comment": "Không có mã"})
    assert response.status_code == 400
