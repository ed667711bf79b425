"""People correct what the machine misread, and change deadlines the way offices do.

In a real browser: the focal officer imports Hòa Bình's plan correcting a lead unit and a
time phrase and adding a row whose phrase nobody can read; the stored tasks show the
corrections; the unreadable row says "cần đặt hạn" until the focal officer sets a deadline,
and the reminders follow it. Then the lead unit's head asks for more time, the chairman
refuses, the head asks again, the vice-chairman approves: the new date is in the list, on the
task page, in the mail and in the calendar feed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import icalendar
import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import PASSWORD, make_commune, make_user, unit_named
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import CalendarScope, Mail, Plan, Role, Task, Unit
from tracker.services import calendar_tokens
from tracker.services.reminders import run_reminder_sweep

pytestmark = pytest.mark.browser

SEED = "000_96978fae4b697af7.txt"
NEW_UNIT = "Phòng Hạnh phúc nhân dân"
ADDED = "Rà soát niêm yết thủ tục hành chính tại bộ phận một cửa"


@pytest.fixture
def clock() -> FixedClock:
    """Monday 4 May 2026, a fortnight after the plan was issued."""
    return FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))


def test_corrections_deadlines_and_extensions_in_a_browser(
    app: Flask, live_server: str, browser: Any, artifacts: Path, seeds_dir: Path,
    clock: FixedClock,
) -> None:
    commune = make_commune("Phường Hòa Bình")
    focal_unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    office = unit_named(commune, "Văn phòng HĐND và UBND")
    make_user(Role.FOCAL_OFFICER, commune=commune, unit=focal_unit, username="daumoi",
              full_name="Trần Thị Đầu Mối")
    make_user(Role.CHAIRMAN, commune=commune, username="chutich", email="chutich@hb.test")
    make_user(Role.VICE_CHAIRMAN, commune=commune, username="phochutich",
              email="phochutich@hb.test")
    make_user(Role.UNIT_HEAD, commune=commune, unit=office, username="vanphong",
              email="vanphong@hb.test")
    db.session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    shot = 0

    def snap(name: str) -> None:
        nonlocal shot
        shot += 1
        page.screenshot(path=str(artifacts / f"corrections-{shot:02d}-{name}.png"),
                        full_page=True)

    def log_in(username: str) -> None:
        page.goto(f"{live_server}/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()

    def log_out() -> None:
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_load_state()

    # 1. Import with a corrected unit and a corrected phrase, and one row added.
    log_in("daumoi")
    page.goto(f"{live_server}/ke-hoach/nhap")
    page.set_input_files("#plan-file", str(seeds_dir / SEED))
    page.get_by_role("button", name="Đọc và xem trước").click()
    page.wait_for_load_state()
    page.fill("#r0-lead_new", NEW_UNIT)
    page.fill("#r0-time_text", "Quý III/2026")
    page.fill("#n-title", ADDED)
    page.fill("#n-time_text", "Trong vòng 15 ngày kể từ khi có hướng dẫn")
    page.select_option("#n-lead", "Văn phòng HĐND và UBND")
    page.get_by_role("button", name="Cập nhật xem trước").click()
    page.wait_for_load_state()
    first_row = page.locator("#dong-r0")
    assert "hạn chót 30/09/2026" in first_row.inner_text()
    assert "đã sửa" in first_row.inner_text()
    assert "Chưa có hạn — cần đặt hạn" in page.locator("#dong-a0").inner_text()
    assert db.session.query(Plan).count() == 0
    snap("preview-corrected")
    page.get_by_role("button", name="Xác nhận nhập kế hoạch").click()
    page.wait_for_load_state()
    assert "Đã nhập kế hoạch 102/KH-UBND" in page.content()

    db.session.expire_all()
    corrected = db.session.scalars(
        select(Task).join(Unit, Unit.id == Task.unit_id).where(Unit.name == NEW_UNIT)
    ).one()
    assert corrected.due_on == dt.date(2026, 9, 30)
    added = db.session.scalars(select(Task).where(Task.title == ADDED)).one()
    corrected_id, added_id = corrected.id, added.id
    page.goto(f"{live_server}/viec/{corrected_id}")
    text = page.locator("main").inner_text()
    assert NEW_UNIT in text and "30/09/2026" in text and "sửa khi nhập kế hoạch" in text

    # 2. The unreadable phrase needs a deadline; the focal officer sets one; reminders follow.
    page.goto(f"{live_server}/viec/can-dat-han")
    assert ADDED in page.content()
    page.get_by_role("link", name=ADDED).click()
    page.wait_for_load_state()
    assert "Chưa có hạn — cần đặt hạn" in page.locator("main").inner_text()
    page.fill("#deadline-date", "2026-05-20")
    page.fill("#deadline-reason", "Theo Công văn số 45/UBND hướng dẫn ngày 04/5/2026")
    page.get_by_role("button", name="Lưu hạn", exact=True).click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Đã đặt hạn 20/05/2026" in text and "20/05/2026" in text
    assert "Chưa có hạn — cần đặt hạn" not in text
    snap("deadline-set")
    page.goto(f"{live_server}/viec/can-dat-han")
    assert ADDED not in page.content()
    log_out()
    db.session.expire_all()  # the server thread changed the rows this session holds
    clock.set(dt.datetime(2026, 5, 19, 8, 0, tzinfo=VN_TZ))
    run_reminder_sweep(clock)
    db.session.commit()
    reminders = db.session.scalars(select(Mail).where(Mail.task_id == added_id)).all()
    assert any(m.address == "vanphong@hb.test" for m in reminders), [
        (m.kind, m.address) for m in reminders]
    clock.set(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))

    # 3. Gia hạn: asked, refused, asked again, approved.
    head = make_user(Role.UNIT_HEAD, commune=db.session.get(Task, corrected_id).commune,
                     unit=db.session.get(Task, corrected_id).unit, username="hanhphuc",
                     email="hanhphuc@hb.test")
    _row, secret = calendar_tokens.create_token(head, CalendarScope.UNIT, device_name="Điện thoại",
                                                now=clock.now())
    db.session.commit()

    def ask(reason: str) -> None:
        log_in("hanhphuc")
        page.goto(f"{live_server}/viec/{corrected_id}")
        page.fill("#extension-date", "2026-10-31")
        page.fill("#extension-reason", reason)
        page.get_by_role("button", name="Gửi đề nghị gia hạn").click()
        page.wait_for_load_state()
        assert "Đã gửi đề nghị gia hạn" in page.content()
        log_out()

    ask("Chờ thành phố phân bổ kinh phí")
    log_in("chutich")
    page.goto(f"{live_server}/gia-han")
    assert "Chờ thành phố phân bổ kinh phí" in page.content()
    page.locator("a.title").first.click()
    page.wait_for_load_state()
    page.fill("#decision-comment", "Đề nghị bố trí lại nhân lực để kịp hạn")
    page.get_by_role("button", name="Không đồng ý").click()
    page.wait_for_load_state()
    assert "Đã không đồng ý gia hạn" in page.content()
    log_out()
    ask("Thành phố đã có văn bản lùi thời hạn phân bổ kinh phí")
    log_in("phochutich")
    page.goto(f"{live_server}/viec/{corrected_id}")
    page.get_by_role("button", name="Đồng ý gia hạn đến 31/10/2026").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Đã đồng ý gia hạn" in text
    assert "Hạn ban đầu" in text and "30/09/2026" in text and "31/10/2026" in text
    snap("extension-approved")
    page.goto(f"{live_server}/viec?phong={db.session.get(Task, corrected_id).unit_id}")
    assert "31/10/2026" in page.locator("main").inner_text()
    log_out()
    context.close()

    db.session.expire_all()
    decided = db.session.scalars(
        select(Mail).where(Mail.task_id == corrected_id, Mail.address == "hanhphuc@hb.test")
        .order_by(Mail.id)
    ).all()
    subjects = [m.subject for m in decided]
    assert any(s.startswith("Không đồng ý gia hạn") for s in subjects), subjects
    approved = next(m for m in decided if m.subject.startswith("Đã đồng ý gia hạn"))
    assert "31/10/2026" in approved.body_text and "30/09/2026" in approved.body_text
    with urlopen(f"{live_server}/lich/{secret}.ics") as response:
        feed = icalendar.Calendar.from_ical(response.read())
    events = [e for e in feed.walk("VEVENT") if str(e.get("SUMMARY", "")).find("Tuyên truyền") >= 0]
    assert events, [str(e.get("SUMMARY")) for e in feed.walk("VEVENT")]
    event = events[0]
    due = event.decoded("DTEND") if event.get("DTEND") else event.decoded("DTSTART")
    assert due in {dt.date(2026, 10, 31), dt.date(2026, 11, 1)}
    assert int(event.get("SEQUENCE", 0)) > 0
