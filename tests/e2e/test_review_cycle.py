"""A unit head submits an overdue task with evidence; the focal unit returns it, then
approves it; the chairman's overdue board and the commune roll-up change accordingly.
Run on a desktop and on a 360-px-wide phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tracker.extensions import db, get_clock
from tracker.models import Commune, Task, TaskStatus, Unit
from tracker.services.demo import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _overdue_task_of_hoa_binh() -> Task:
    """An overdue workflow task of a Hòa Bình office other than the focal unit."""
    commune = db.session.scalars(select(Commune).where(Commune.slug == "phuong-hoa-binh")).one()
    return db.session.scalars(
        select(Task)
        .join(Unit, Unit.id == Task.unit_id)
        .where(
            Task.commune_id == commune.id,
            Task.status == str(TaskStatus.OVERDUE),
            Task.instance_id.is_not(None),
            Unit.kind == "office",
        )
        .order_by(Unit.is_focal, Task.due_on, Task.id)
    ).first()


def _number(page: Any, selector: str) -> int:
    return int(page.locator(selector).first.inner_text().strip())


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_submit_return_approve_in_a_browser(
    app: Flask, live_server: str, browser: Any, artifacts: Path, tmp_path: Path, device: str
) -> None:
    build_demo(Path(app.root_path).parent / "seeds", get_clock(app))
    db.session.commit()
    task = _overdue_task_of_hoa_binh()
    assert task is not None, "the demo has an overdue office task in Hòa Bình on 20/11/2026"
    task_id, unit_slug = task.id, task.unit.slug
    head = f"truongphong.{unit_slug}.hoabinh"
    evidence_file = tmp_path / "bien-ban-hop.pdf"
    evidence_file.write_bytes(PDF)

    context = browser.new_context(viewport=VIEWPORTS[device], locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    shot = 0

    def snap(name: str) -> None:
        nonlocal shot
        shot += 1
        page.screenshot(path=str(artifacts / f"{device}-{shot:02d}-{name}.png"), full_page=True)

    def log_in(username: str) -> None:
        page.goto(f"{live_server}/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        assert "Xin chào" in page.content()

    def log_out() -> None:
        menu = page.get_by_role("button", name="Menu")
        if menu.is_visible():  # on a phone the menu is folded behind its button
            menu.click()
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_load_state()

    # The chairman's view before.
    log_in("chutich.hoabinh")
    page.goto(f"{live_server}/bang-qua-han")
    board_before = _number(page, ".count-overdue .number")
    assert f"/viec/{task_id}" in page.content()
    snap("bang-qua-han-truoc")
    page.goto(f"{live_server}/tong-hop")
    done_before = _number(page, ".count-done .number")
    overdue_before = _number(page, ".count-overdue .number")
    snap("tong-hop-truoc")
    log_out()

    # The unit head opens the overdue task from their list, uploads evidence and submits.
    log_in(head)
    page.goto(f"{live_server}/viec?muc=overdue")
    assert page.locator(".task-item.is-overdue").count() >= 1
    snap("viec-cua-phong")
    page.locator(f'a[href="/viec/{task_id}"]').first.click()
    page.wait_for_load_state()
    assert "Nội dung theo phụ lục" in page.content()
    snap("nhiem-vu-qua-han")
    page.set_input_files("#evidence-file", str(evidence_file))
    page.get_by_role("button", name="Tải lên", exact=True).click()
    page.wait_for_load_state()
    assert "Đã tải lên minh chứng bien-ban-hop.pdf." in page.content()
    page.fill("#submit-comment", "Đã tổ chức thực hiện, gửi kèm biên bản.")
    page.locator("#gui-duyet button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đã gửi duyệt nhiệm vụ" in page.content()
    snap("da-gui-duyet")
    log_out()

    # The focal unit returns it with a reason.
    log_in("daumoi.hoabinh")
    page.goto(f"{live_server}/duyet")
    assert "Đã tổ chức thực hiện, gửi kèm biên bản." in page.content()
    snap("hang-cho-duyet")
    page.locator(f'a[href="/viec/{task_id}#duyet"]').click()
    page.wait_for_load_state()
    page.fill("#return-reason", "Thiếu danh sách người tham dự.")
    page.get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state()
    assert "Đã trả lại nhiệm vụ" in page.content()
    snap("da-tra-lai")
    log_out()

    # The unit head sees why, and submits again.
    log_in(head)
    page.goto(f"{live_server}/viec/{task_id}")
    assert "Thiếu danh sách người tham dự." in page.content()
    page.fill("#submit-comment", "Đã bổ sung danh sách.")
    page.locator("#gui-duyet button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đã gửi duyệt nhiệm vụ" in page.content()
    log_out()

    # The focal unit approves.
    log_in("daumoi.hoabinh")
    page.goto(f"{live_server}/viec/{task_id}")
    page.get_by_role("button", name="Duyệt hoàn thành").click()
    page.wait_for_load_state()
    assert "Đã duyệt hoàn thành nhiệm vụ" in page.content()
    assert "Hoàn thành quá hạn" in page.content()
    snap("da-duyet")
    log_out()

    # The chairman's board and the commune roll-up have changed.
    log_in("chutich.hoabinh")
    page.goto(f"{live_server}/bang-qua-han")
    assert _number(page, ".count-overdue .number") == board_before - 1
    assert f"/viec/{task_id}\"" not in page.content()
    snap("bang-qua-han-sau")
    page.goto(f"{live_server}/tong-hop")
    assert _number(page, ".count-done .number") == done_before + 1
    assert _number(page, ".count-overdue .number") == overdue_before - 1
    snap("tong-hop-sau")
    if device == "phone":
        # Nothing is wider than the phone: no sideways scrolling of the page itself.
        page.goto(f"{live_server}/viec")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"]["width"], width
    context.close()

    db.session.expire_all()
    assert db.session.get(Task, task_id).status == TaskStatus.DONE_LATE
