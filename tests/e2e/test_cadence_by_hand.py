"""In a real browser: a task whose phrase nobody can read gets a monthly deadline by hand.

The focal officer imports Hòa Bình's plan adding a row "Trong vòng 15 ngày …"; the row is
listed under "Cần đặt hạn"; on its page the short form sets "hằng tháng, ngày 25" with a
reason; the monthly tasks appear and the row no longer needs a deadline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import PASSWORD, make_commune, make_user, unit_named
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import Mail, Role, Task, TaskStatus
from tracker.services.reminders import run_reminder_sweep

pytestmark = pytest.mark.browser

SEED = "000_96978fae4b697af7.txt"
ADDED = "Rà soát niêm yết thủ tục hành chính tại bộ phận một cửa"


@pytest.fixture
def clock() -> FixedClock:
    """Monday 4 May 2026, a fortnight after the plan was issued."""
    return FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))


def test_a_monthly_deadline_set_by_hand_in_a_browser(
    app: Flask, live_server: str, browser: Any, artifacts: Path, seeds_dir: Path,
    clock: FixedClock,
) -> None:
    commune = make_commune("Phường Hòa Bình")
    focal_unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    office = unit_named(commune, "Văn phòng HĐND và UBND")
    make_user(Role.UNIT_HEAD, commune=commune, unit=office, username="vanphong",
              email="vanphong@hb.test")
    make_user(Role.FOCAL_OFFICER, commune=commune, unit=focal_unit, username="daumoi")
    db.session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("daumoi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.goto(f"{live_server}/ke-hoach/nhap")
    page.set_input_files("#plan-file", str(seeds_dir / SEED))
    page.get_by_role("button", name="Đọc và xem trước").click()
    page.wait_for_load_state()
    page.fill("#n-title", ADDED)
    page.fill("#n-time_text", "Trong vòng 15 ngày kể từ khi có hướng dẫn")
    page.select_option("#n-lead", "Văn phòng HĐND và UBND")
    page.get_by_role("button", name="Cập nhật xem trước").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Xác nhận nhập kế hoạch").click()
    page.wait_for_load_state()

    page.goto(f"{live_server}/viec/can-dat-han")
    page.get_by_role("link", name=ADDED).click()
    page.wait_for_load_state()
    assert "Chưa có hạn — cần đặt hạn" in page.locator("main").inner_text()
    # A bad day first: the message names the field, nothing is stored.
    page.get_by_label("Hằng quý, vào ngày (của tháng cuối quý)").check()
    page.fill("#cadence-day", "31")
    page.fill("#cadence-reason", "Theo Công văn số 45/UBND")
    page.get_by_role("button", name="Lưu hạn lặp lại").click()
    page.wait_for_load_state()
    assert "Ngày: phải từ 1 đến 30" in page.locator("main").inner_text()
    page.get_by_label("Hằng tháng, vào ngày").check()
    page.fill("#cadence-day", "25")
    page.fill("#cadence-reason", "Theo Công văn số 45/UBND")
    page.get_by_role("button", name="Lưu hạn lặp lại").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Ngày 25 hằng tháng" in text and "25/05/2026" in text
    page.screenshot(path=str(artifacts / "cadence-by-hand.png"), full_page=True)
    page.goto(f"{live_server}/viec/can-dat-han")
    assert ADDED not in page.content()

    db.session.expire_all()
    made = list(db.session.scalars(select(Task).where(
        Task.title == ADDED, Task.status != str(TaskStatus.CANCELLED))))
    assert sorted(t.due_on.month for t in made if t.due_on) == list(range(5, 13))
    assert made[0].plan_item.original_time_text == "Trong vòng 15 ngày kể từ khi có hướng dẫn"
    # Reminders follow: the lead unit's head is reminded before the 25th.
    may = next(t for t in made if t.due_on == dt.date(2026, 5, 25))
    clock.set(dt.datetime(2026, 5, 22, 8, 0, tzinfo=VN_TZ))
    run_reminder_sweep(clock)
    db.session.commit()
    mails = db.session.scalars(select(Mail).where(Mail.task_id == may.id)).all()
    assert any(m.address == "vanphong@hb.test" for m in mails), [
        (m.kind, m.address) for m in mails]
    page.context.close()
