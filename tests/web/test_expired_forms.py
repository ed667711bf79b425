"""A form refused by CSRF (expired session, stale token) comes back with what was typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import PASSWORD
from tests.web.conftest import World, page_text
from tracker import create_app
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Role, Task, TaskEvent
from tracker.web.expired_forms import fill_forms

EXPIRED = "Phiên làm việc đã hết hạn, vui lòng gửi lại."


@pytest.fixture
def strict(app_config: dict[str, Any], clock: FixedClock) -> Flask:
    return create_app(app_config | {"WTF_CSRF_ENABLED": True}, clock=clock)


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert found, page
    return found.group(1)


def _sign_in(client: FlaskClient, username: str) -> None:
    token = _token(page_text(client.get("/dang-nhap")))
    answer = client.post(
        "/dang-nhap", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302, page_text(answer)


def test_the_login_page_comes_back_with_the_username_and_a_fresh_token(
    strict: Flask, world: World
) -> None:
    client = strict.test_client()
    answer = client.post(
        "/dang-nhap",
        data={"username": "daumoi", "password": PASSWORD, "csrf_token": "cu-qua-roi"},
        headers={"Referer": "http://localhost/dang-nhap"},
    )
    text = page_text(answer)
    assert answer.status_code == 400 and EXPIRED in text
    assert re.search(r'<input[^>]*name="username"[^>]*value="daumoi"', text)
    assert PASSWORD not in text  # a password is typed again, never echoed
    # The page's new token belongs to this browser's session: pressing the button again works.
    again = client.post(
        "/dang-nhap",
        data={"username": "daumoi", "password": PASSWORD, "csrf_token": _token(text)},
    )
    assert again.status_code == 302


def test_a_return_reason_is_kept_and_nothing_is_done(strict: Flask, world: World) -> None:
    client = strict.test_client()
    _sign_in(client, world.users[Role.UNIT_HEAD].username)
    task_id = world.overdue.id
    with strict.app_context():
        events_before = db.session.query(TaskEvent).filter_by(task_id=task_id).count()
        status_before = db.session.get(Task, task_id).status
    comment = "Đã niêm yết tại trụ sở,\nảnh chụp ngày 02/5 kèm theo."
    answer = client.post(
        f"/viec/{task_id}/gui-duyet",
        data={"comment": comment, "csrf_token": "token-cu"},
        headers={"Referer": f"http://localhost/viec/{task_id}"},
    )
    text = page_text(answer)
    assert answer.status_code == 400 and EXPIRED in text
    kept = re.search(r'<textarea[^>]*id="submit-comment"[^>]*>([^<]*)</textarea>', text)
    assert kept and kept.group(1) == comment.replace("\n", "\n")
    assert "Niêm yết công khai thủ tục hành chính" in text  # the task page itself, not an error
    with strict.app_context():
        assert db.session.get(Task, task_id).status == status_before
        assert db.session.query(TaskEvent).filter_by(task_id=task_id).count() == events_before
    # The fresh token on the page sends the same comment through.
    sent = client.post(f"/viec/{task_id}/gui-duyet",
                       data={"comment": comment, "csrf_token": _token(text)})
    assert sent.status_code == 302


def test_an_assignment_keeps_the_chosen_unit_and_comment(strict: Flask, world: World) -> None:
    client = strict.test_client()
    _sign_in(client, world.users[Role.FOCAL_OFFICER].username)
    url = f"/viec/{world.soon.id}/phan-cong"
    answer = client.post(
        url,
        data={"unit": str(world.office.id), "comment": "Giao Văn phòng làm", "csrf_token": "x"},
        headers={"Referer": f"http://localhost{url}"},
    )
    text = page_text(answer)
    assert answer.status_code == 400 and EXPIRED in text
    assert re.search(rf'<option[^>]*value="{world.office.id}"[^>]*selected', text)
    assert re.search(r'name="comment"[^>]*value="Giao Văn phòng làm"', text) or re.search(
        r'value="Giao Văn phòng làm"[^>]*name="comment"', text
    )


def test_signed_out_meanwhile_the_typed_text_is_shown_to_copy(
    strict: Flask, world: World
) -> None:
    client = strict.test_client()  # no session at all: the person logged out in another tab
    task_id = world.overdue.id
    answer = client.post(
        f"/viec/{task_id}/tra-lai",
        data={"comment": "Thiếu ảnh chụp bảng niêm yết", "csrf_token": "x"},
        headers={"Referer": f"http://localhost/viec/{task_id}"},
    )
    text = page_text(answer)
    assert answer.status_code == 400 and EXPIRED in text
    assert "Thiếu ảnh chụp bảng niêm yết</textarea>" in text
    assert f"/dang-nhap?next=/viec/{task_id}" in text.replace("%2F", "/")


def test_another_site_as_referer_is_not_followed(strict: Flask, world: World) -> None:
    client = strict.test_client()
    answer = client.post(
        "/dang-xuat", data={"csrf_token": "x"}, headers={"Referer": "https://evil.example/viec"}
    )
    assert answer.status_code == 400 and "evil.example" not in page_text(answer)


def test_fill_forms_touches_only_the_form_that_was_posted() -> None:
    from werkzeug.datastructures import MultiDict

    body = (
        "<!DOCTYPE html><html><body>"
        '<form method="post" action="/a"><input name="csrf_token" type="hidden" value="new">'
        '<input name="title" value="cũ"><input name="title" value="cũ 2">'
        '<input type="checkbox" name="drop" value="1" checked>'
        '<input type="checkbox" name="keep" value="3">'
        '<details><summary>x</summary><textarea name="note"></textarea></details></form>'
        '<form method="post" action="/b"><input name="title" value="khác"></form>'
        "</body></html>"
    )
    posted = MultiDict([("title", "mới"), ("title", "mới 2"), ("keep", "3"), ("note", "ghi")])
    out = fill_forms(body, "/a", posted, EXPIRED)
    assert out is not None
    assert 'value="mới"' in out and 'value="mới 2"' in out and 'value="khác"' in out
    assert 'value="new"' in out  # the fresh token stays
    assert re.search(r'name="drop" value="1">', out)  # unticked, as posted
    assert re.search(r'name="keep" value="3" checked', out)
    assert "<details open" in out and ">ghi</textarea>" in out
    assert out.count(EXPIRED) == 1
    assert fill_forms(body, "/c", posted, EXPIRED) is None


def test_import_preview_edits_survive_an_expired_session(
    strict: Flask, seeds_dir: Any
) -> None:
    import io

    from tests.web.test_plans import _focal_officer_of_hoa_binh
    from tracker.models import Plan

    with strict.app_context():
        officer = _focal_officer_of_hoa_binh()
        username = officer.username
    client = strict.test_client()
    _sign_in(client, username)
    upload_page = page_text(client.get("/ke-hoach/nhap"))
    preview = page_text(client.post(
        "/ke-hoach/nhap", content_type="multipart/form-data",
        data={"csrf_token": _token(upload_page),
              "file": (io.BytesIO((seeds_dir / "000_96978fae4b697af7.txt").read_bytes()),
                       "000.txt")},
    ))
    token = preview.split('name="token" value="')[1].split('"')[0]
    kept_page = f"/ke-hoach/xem-truoc/{token}"
    assert kept_page in preview
    answer = client.post("/ke-hoach/xac-nhan", data={
        "csrf_token": "het-han", "token": token, "kept_page": kept_page, "action": "confirm",
        "commune": "Phường Hòa Bình", "r0-title": "Tiêu đề đã sửa tay",
        "r0-time_text": "Quý III/2026",
    }, headers={"Referer": "http://localhost/ke-hoach/nhap"})
    text = page_text(answer)
    assert answer.status_code == 400 and EXPIRED in text
    assert re.search(r'name="r0-title"[^>]*>Tiêu đề đã sửa tay</textarea>', text)
    assert "Quý III/2026" in text
    with strict.app_context():
        assert db.session.query(Plan).count() == 0  # nothing confirmed
