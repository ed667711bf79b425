"""The findings of the attack on the running app (issue 14), each as a test.

Every test here failed before the fix it names: huge ids and pages gave 500s on PostgreSQL,
NUL bytes reached the database, the API answered 400 (CSRF) to anonymous POSTs and 405
without Allow, "Nhắc ngay" racing itself gave 500s (PendingRollbackError on the error page),
logins were not throttled, pages had no CSP or frame protection, and a cookie copied before
logout still worked after it.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import PASSWORD
from tests.web.conftest import World, login, page_text
from tests.web.test_api import bearer, token_for
from tracker import create_app
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import LoginFailure, Mail, Role, TaskEvent
from tracker.web.edge import MAX_ID

HUGE_IDS = [MAX_ID + 1, 2**63, 10**20]


@pytest.mark.parametrize("task_id", HUGE_IDS)
def test_huge_ids_are_not_found(client: FlaskClient, world: World, clock: FixedClock,
                                task_id: int) -> None:
    token = token_for(world.users[Role.CHAIRMAN], clock)
    for url in (f"/api/v1/tasks/{task_id}", f"/api/v1/plans/{task_id}"):
        response = client.get(url, headers=bearer(token))
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 404
    login(client, world.users[Role.CHAIRMAN])
    assert client.get(f"/viec/{task_id}").status_code == 404
    assert client.post(f"/bang-qua-han/nhac/{task_id}").status_code == 404


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("plan=2147483648", "plan"),
        ("unit=99999999999999999999", "unit"),
        ("page=99999999999999999999", "page"),
        ("page=0", "page"),
        ("per_page=100000", "per_page"),
        ("year=", "year"),
        ("year=1999", "year"),
        ("year=²", "year"),
        ("unit=1&unit=2", "unit"),
    ],
)
def test_out_of_range_arguments_are_400_naming_them(
    client: FlaskClient, world: World, clock: FixedClock, query: str, name: str
) -> None:
    token = token_for(world.users[Role.CHAIRMAN], clock)
    response = client.get(f"/api/v1/tasks?{query}", headers=bearer(token))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert name in response.get_json()["detail"]


def test_web_filters_out_of_range_are_400_not_500(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    for url in ("/viec?phong=99999999999999999999", "/viec?nam=99999", "/phan-cong?nam=²",
                "/tong-hop?nam=%C2%B2"):
        response = client.get(url)
        assert response.status_code == 400, url


@pytest.mark.parametrize(
    "url",
    ["/api/v1/tasks?commune=%00", "/api/v1/tasks?group=a%00b", "/api/v1/communes/a%00/rollup"],
)
def test_nul_in_api_input_is_refused(
    client: FlaskClient, world: World, clock: FixedClock, url: str
) -> None:
    token = token_for(world.users[Role.CHAIRMAN], clock)
    assert client.get(url, headers=bearer(token)).status_code in {400, 404}


def test_nul_in_forms_never_reaches_the_database(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    before = db.session.scalar(select(func.count(TaskEvent.id)))
    response = client.post(f"/viec/{world.overdue.id}/y-kien", data={"comment": "xin\x00chào"})
    assert response.status_code == 400
    assert "ký tự điều khiển" in page_text(response) and "comment" in page_text(response)
    assert db.session.scalar(select(func.count(TaskEvent.id))) == before
    # Line breaks and tabs are text, not control characters to refuse.
    ok = client.post(f"/viec/{world.overdue.id}/y-kien", data={"comment": "dòng 1\r\n\tdòng 2"})
    assert ok.status_code == 302


def test_nul_in_the_login_username_is_400_without_logging_in(
    client: FlaskClient, world: World
) -> None:
    response = client.post("/dang-nhap", data={"username": "chu\x00tich", "password": "x"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(LoginFailure.id))) == 0


def test_anonymous_api_post_is_401_and_wrong_method_405_with_allow(
    app_config: dict[str, Any], clock: FixedClock, world: World
) -> None:
    strict = create_app(app_config | {"WTF_CSRF_ENABLED": True}, clock=clock)
    client = strict.test_client()
    response = client.post(f"/api/v1/tasks/{world.overdue.id}/reminders")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    wrong = client.delete("/api/v1/tasks")
    assert wrong.status_code == 405
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET"}


def test_every_response_carries_the_security_headers(client: FlaskClient, world: World) -> None:
    for response in (client.get("/dang-nhap"), client.get("/api/v1/openapi.json"),
                     client.get("/khong-co")):
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_lax_secure_and_limited(client: FlaskClient, world: World) -> None:
    response = client.post(
        "/dang-nhap", data={"username": "chutich", "password": PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    assert "Expires=" in cookie  # the session lifetime, not "until the browser closes"


def test_no_secure_flag_on_plain_http(app_config: dict[str, Any], clock: FixedClock,
                                      world: World) -> None:
    plain = create_app(app_config | {"BASE_URL": "http://127.0.0.1:5000"}, clock=clock)
    response = plain.test_client().post(
        "/dang-nhap", data={"username": "chutich", "password": PASSWORD}
    )
    assert "Secure" not in response.headers["Set-Cookie"]


def _own_app(app_config: dict[str, Any], clock: FixedClock) -> Flask:
    """An app whose requests get fresh app contexts (the ``app`` fixture keeps one open, and
    Flask-Login caches the user on it)."""
    return create_app(app_config, clock=clock)


def test_a_cookie_copied_before_logout_stops_working(
    app_config: dict[str, Any], clock: FixedClock, world: World
) -> None:
    app = _own_app(app_config, clock)
    browser = app.test_client()
    login(browser, world.users[Role.CHAIRMAN])
    copy = app.test_client()
    cookie = browser.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value)
    assert copy.get("/viec").status_code == 200
    browser.post("/dang-xuat")
    response = copy.get("/viec")
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_the_session_ends_after_its_lifetime(
    app_config: dict[str, Any], clock: FixedClock, world: World
) -> None:
    app = _own_app(app_config, clock)
    client = app.test_client()
    login(client, world.users[Role.CHAIRMAN])
    assert client.get("/viec").status_code == 200
    clock.set(clock.now() + dt.timedelta(hours=app.config["SESSION_LIFETIME_HOURS"], minutes=1))
    assert client.get("/viec").status_code == 302


def test_ten_failures_lock_the_account_for_fifteen_minutes(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    for _attempt in range(10):
        wrong = client.post("/dang-nhap", data={"username": "chutich", "password": "sai"})
        assert wrong.status_code == 401
    refused = client.post("/dang-nhap", data={"username": "ChuTich", "password": PASSWORD})
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 04/05/2026 09:15." in page_text(
        refused
    )
    assert int(refused.headers["Retry-After"]) == 15 * 60
    # Another account from another address is not affected.
    other = client.post(
        "/dang-nhap",
        data={"username": "daumoi", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 302
    clock.set(clock.now() + dt.timedelta(minutes=15, seconds=1))
    client.post("/dang-xuat")
    assert client.post(
        "/dang-nhap", data={"username": "chutich", "password": PASSWORD}
    ).status_code == 302


def test_one_address_is_throttled_across_accounts(
    app: Flask, client: FlaskClient, world: World
) -> None:
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 5
    for attempt in range(5):
        client.post("/dang-nhap", data={"username": f"khong-co-{attempt}", "password": "x"})
    response = client.post("/dang-nhap", data={"username": "chutich", "password": PASSWORD})
    assert response.status_code == 429


def test_a_refused_attempt_hashes_no_password(
    client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _attempt in range(10):
        client.post("/dang-nhap", data={"username": "chutich", "password": "sai"})
    from tracker.services import accounts

    def no_hashing(*_args: object) -> None:
        raise AssertionError("a throttled attempt must not hash a password")

    monkeypatch.setattr(accounts, "check_password_hash", no_hashing)
    assert client.post(
        "/dang-nhap", data={"username": "chutich", "password": "sai"}
    ).status_code == 429


def test_three_reminders_at_once_give_no_server_error(
    live_server: str, world: World, clock: FixedClock
) -> None:
    token = token_for(world.users[Role.CHAIRMAN], clock)
    db.session.commit()
    url = f"{live_server}/api/v1/tasks/{world.overdue.id}/reminders"

    def press(_n: int) -> requests.Response:
        return requests.post(url, headers=bearer(token), timeout=30)

    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(press, range(3)))
    codes = sorted(a.status_code for a in answers)
    assert all(code < 500 or code == 503 for code in codes), [a.text for a in answers]
    assert 202 in codes
    for answer in answers:
        if answer.status_code == 409:
            assert "vừa được nhắc" in answer.json()["detail"]
    db.session.expire_all()
    events = db.session.scalar(
        select(func.count(TaskEvent.id)).where(
            TaskEvent.task_id == world.overdue.id, TaskEvent.action == "remind"
        )
    )
    assert events == 1
    keys = db.session.scalars(select(Mail.dedupe_key).where(Mail.task_id == world.overdue.id))
    assert len(list(keys)) == len(set(db.session.scalars(
        select(Mail.dedupe_key).where(Mail.task_id == world.overdue.id)
    )))


def test_a_failed_flush_renders_the_error_page(
    client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unique-key clash at flush time is 409 with a message; the page itself renders."""
    from sqlalchemy.exc import IntegrityError

    from tracker.services import evidence

    def clash(*_args: object, **_kwargs: object) -> None:
        db.session.add(Mail(dedupe_key="x"))  # an invalid row: the flush fails
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(evidence, "add_comment", clash)
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.post(f"/viec/{world.overdue.id}/y-kien", data={"comment": "Xong"})
    assert response.status_code == 409
    assert "Người khác vừa thay đổi cùng dữ liệu này" in page_text(response)
