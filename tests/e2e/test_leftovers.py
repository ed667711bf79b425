"""Issue 18's leftovers, seen in Debian's chromium at 1366 px and on a 360-px phone: an expired
form keeps what was typed, and the calendar page's old English address still leads to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests.factories import PASSWORD
from tests.web.conftest import World
from tests.web.conftest import world as web_world  # noqa: F401  (a fixture)
from tracker.extensions import db
from tracker.models import Role, Task

pytestmark = pytest.mark.browser


@pytest.fixture
def people(web_world: World) -> World:  # noqa: F811  (the imported fixture)
    """The web tests' commune (a person in every role, a few tasks), committed for the server."""
    db.session.commit()
    return web_world

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
EXPIRED = "Phiên làm việc đã hết hạn, vui lòng gửi lại."


def _context(browser: Any, device: str, locale: str = "vi-VN") -> Any:
    return browser.new_context(viewport=VIEWPORTS[device], locale=locale)


def _sign_in(page: Any, live_server: str, username: str) -> None:
    page.set_default_timeout(20000)
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_an_expired_report_keeps_its_text(
    app: Flask, people: World, live_server: str, browser: Any, artifacts: Path, device: str
) -> None:
    page = _context(browser, device).new_page()
    _sign_in(page, live_server, people.users[Role.UNIT_HEAD].username)
    task_id, before = people.overdue.id, people.overdue.status
    page.goto(f"{live_server}/viec/{task_id}")
    report = "Đã niêm yết 12 thủ tục tại bộ phận một cửa, ảnh chụp kèm theo."
    page.locator("#submit-comment").fill(report)
    # The token of a session that has ended (the server no longer knows it).
    page.eval_on_selector("#gui-duyet input[name=csrf_token]", "e => e.value = 'het-han'")
    page.get_by_role("button", name="Gửi duyệt").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text=EXPIRED).is_visible()
    assert page.locator("#submit-comment").input_value() == report
    assert page.url.endswith(f"/viec/{task_id}/gui-duyet")
    page.screenshot(path=str(artifacts / f"expired-form-{device}.png"), full_page=True)
    db.session.expire_all()
    assert db.session.get(Task, task_id).status == before  # nothing was done
    # Pressing the button again sends it, with the page's fresh token.
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi duyệt").click()
    db.session.expire_all()
    assert db.session.get(Task, task_id).status == "awaiting_review"
    assert report in page.content()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_login_after_the_cookie_was_lost_keeps_the_username(
    people: World, live_server: str, browser: Any, device: str
) -> None:
    context = _context(browser, device)
    page = context.new_page()
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("daumoi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    context.clear_cookies()  # the browser was restarted: its session is gone
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text=EXPIRED).is_visible()
    assert page.get_by_label("Tên đăng nhập").input_value() == "daumoi"
    assert page.get_by_label("Mật khẩu").input_value() == ""
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    assert "/dang-nhap" not in page.url


def test_the_old_calendar_address_leads_to_lich(
    people: World, live_server: str, browser: Any
) -> None:
    page = _context(browser, "desktop").new_page()
    _sign_in(page, live_server, people.users[Role.CHAIRMAN].username)
    page.goto(f"{live_server}/calendars/")
    assert page.url == f"{live_server}/lich/"
    # A form still posting to the old address (a page open since before the move) works.
    page.eval_on_selector("form.panel[action='/lich/']", "f => f.action = '/calendars/'")
    page.get_by_label("Tên thiết bị").fill("Máy tính cơ quan")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo đường dẫn").click()
    assert page.url == f"{live_server}/lich/"
    https_url = page.locator("input[value$='.ics']").first.input_value()
    assert "/lich/" in https_url
    old_path = urlsplit(https_url).path.replace("/lich/", "/calendars/", 1)
    answer = page.request.get(live_server + old_path)  # subscribed before the move
    assert answer.status == 200 and "BEGIN:VCALENDAR" in answer.text()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_points_say_what_they_count(
    people: World, live_server: str, browser: Any, device: str
) -> None:
    page = _context(browser, device).new_page()
    _sign_in(page, live_server, people.users[Role.CHAIRMAN].username)
    page.goto(f"{live_server}/tong-hop")
    note = page.locator("#y-nghia-diem")
    assert note.is_visible() and "thấp hơn 100 điểm của kế hoạch" in note.inner_text()
    box = note.bounding_box()
    assert box is not None and box["width"] <= VIEWPORTS[device]["width"]
    title = page.locator(".counts abbr").first.get_attribute("title") or ""
    assert title.startswith("Điểm đạt / điểm tối đa của năm")


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_system_comments_with_numbers_and_the_greeting_read_in_english(
    people: World, live_server: str, browser: Any, device: str
) -> None:
    import datetime as dt

    from tracker.models import TaskEvent, TaskEventAction

    head = people.users[Role.UNIT_HEAD]
    at = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)
    task_id = people.overdue.id
    for actor, action, comment in [  # as the system stored them, in Vietnamese
        (None, TaskEventAction.ESCALATE, "Báo cáo Chủ tịch và đơn vị đầu mối: quá hạn 3 ngày"),
        (head.id, TaskEventAction.EXTENSION_REQUEST,
         "Xin gia hạn đến 15/06/2026. Lý do: chờ kinh phí"),
        (people.users[Role.CHAIRMAN].id, TaskEventAction.EXTENSION_REFUSE,
         "Không đồng ý gia hạn đến 15/06/2026. Làm ngay"),
        (people.users[Role.FOCAL_OFFICER].id, TaskEventAction.DEADLINE_SET,
         "Hạn chưa có → 01/05/2026. Lý do: theo kế hoạch"),
    ]:
        db.session.add(TaskEvent(task_id=task_id, actor_id=actor, at=at, action=action,
                                 comment=comment))
    db.session.commit()
    page = _context(browser, device, locale="en-US").new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server}/dang-nhap")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    page.get_by_label("Username").fill(head.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in", exact=True).click()
    assert page.get_by_role("status").filter(has_text=f"Welcome, {head.full_name}").is_visible()
    page.goto(f"{live_server}/viec/{task_id}")
    history = page.locator(".history").inner_text()
    for english in ("Escalated to the chairman and the focal unit: 3 days overdue",
                    "Extension asked to 15/06/2026. Reason: chờ kinh phí",
                    "Extension to 15/06/2026 refused. Làm ngay",
                    "Deadline none → 01/05/2026. Reason: theo kế hoạch"):
        assert english in history, history
    for vietnamese in ("quá hạn 3 ngày", "Xin gia hạn", "Không đồng ý", "Lý do"):
        assert vietnamese not in history
