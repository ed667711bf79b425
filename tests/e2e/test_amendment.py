"""In a real browser: a plan amended by its revised version (kế hoạch sửa đổi, bổ sung).

The focal officer imports a small plan; one of its tasks is done; the revised version is
imported from the plans page ("Nhập bản sửa đổi"); the diff is shown before anything is
stored; on confirm the done work is kept, the removed row's task is cancelled with the reason
and the added row is there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import PASSWORD, make_commune, make_user, unit_named
from tests.plan_texts import original_plan, revised_plan
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import Plan, PlanItem, PlanRevision, Role, Task, TaskStatus
from tracker.services import tasks

pytestmark = pytest.mark.browser

ADDED = "Khảo sát mức độ hài lòng của người dân đối với cán bộ tiếp dân"
REMOVED = "Tổ chức hội nghị chuyên đề về văn hóa công vụ"


@pytest.fixture
def clock() -> FixedClock:
    """Monday 4 May 2026, after both documents were issued."""
    return FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))


def test_a_plan_amended_by_its_revised_version_in_a_browser(
    app: Flask, live_server: str, browser: Any, artifacts: Path, tmp_path: Path,
    clock: FixedClock,
) -> None:
    commune = make_commune("Phường Hòa Bình")
    focal = make_user(Role.FOCAL_OFFICER, commune=commune, username="daumoi",
                      unit=unit_named(commune, "Phòng Văn hóa - Xã hội"))
    db.session.commit()
    original, revised = tmp_path / "ke-hoach-21.txt", tmp_path / "ke-hoach-35.txt"
    original.write_bytes(original_plan())
    revised.write_bytes(revised_plan())
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("daumoi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    # 1. Import the plan.
    page.goto(f"{live_server}/ke-hoach/nhap")
    page.set_input_files("#plan-file", str(original))
    page.get_by_role("button", name="Đọc và xem trước").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Xác nhận nhập kế hoạch").click()
    page.wait_for_load_state()
    assert "Đã nhập kế hoạch 21/KH-UBND" in page.content()

    # 2. Row 1's task is done (its unit submits, the focal officer approves).
    db.session.expire_all()
    plan = db.session.scalars(select(Plan)).one()
    done = db.session.scalars(select(Task).join(PlanItem).where(
        PlanItem.ref == "1", Task.year == 2026)).one()
    head = make_user(Role.UNIT_HEAD, commune=commune, unit=done.unit)
    tasks.submit_task(done, head, "Đã tuyên truyền trên loa truyền thanh", [], clock)
    tasks.approve_task(done, focal, None, clock)
    db.session.commit()
    done_id, done_title = done.id, done.title
    removed_id = db.session.scalars(select(Task).where(Task.title == REMOVED)).one().id

    # 3. The revised version from the plans page: the diff first, nothing stored.
    page.goto(f"{live_server}/ke-hoach")
    page.locator(f'a[href="/ke-hoach/{plan.id}/sua-doi"]').click()
    page.wait_for_load_state()
    assert "Nhập bản sửa đổi, bổ sung" in page.content()
    page.set_input_files("#plan-file", str(revised))
    page.get_by_role("button", name="Đọc và xem trước").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Xem trước bản sửa đổi, bổ sung" in text
    assert "Giữ nguyên 1, sửa 2, thêm 1, bỏ 1 dòng." in text
    assert "Quý III hằng năm" in text and ADDED in text
    page.screenshot(path=str(artifacts / "amendment-diff.png"), full_page=True)
    db.session.expire_all()
    assert db.session.query(PlanRevision).count() == 0

    # 4. Confirm: done work kept, the removed row's task cancelled, the added row present.
    page.get_by_role("button", name="Xác nhận sửa đổi kế hoạch").click()
    page.wait_for_load_state()
    assert "Sửa đổi theo 35/KH-UBND" in page.locator("main").inner_text()
    page.goto(f"{live_server}/viec/{done_id}")
    assert "Hoàn thành đúng hạn" in page.locator("main").inner_text()
    page.goto(f"{live_server}/viec/{removed_id}")
    text = page.locator("main").inner_text()
    assert "Đã hủy" in text and "Bỏ trong bản sửa đổi 35/KH-UBND" in text
    db.session.expire_all()
    kept = db.session.get(Task, done_id)
    assert kept is not None and kept.status == TaskStatus.DONE_ON_TIME
    assert kept.title == done_title
    added = db.session.scalars(select(Task).where(Task.title == ADDED)).one()
    page.goto(f"{live_server}/viec/{added.id}")
    assert ADDED in page.locator("main").inner_text()
    page.context.close()
