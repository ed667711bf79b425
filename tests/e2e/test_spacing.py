"""Spacing the QA walk found wrong, measured in chromium at phone and desktop widths: the
"Gửi duyệt" panel had empty space above its heading, and the level registration's button
sat right against the count boxes of /tong-hop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tracker.extensions import db, get_clock
from tracker.models import Commune, Task, TaskStatus, is_work
from tracker.services.demo import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_panel_heading_and_level_form_spacing(
    app: Flask, live_server: str, browser: Any, artifacts: Path, width: int
) -> None:
    build_demo(Path(app.root_path).parent / "seeds", get_clock(app))
    db.session.commit()
    task_id = db.session.scalars(
        select(Task.id)
        .join(Commune, Commune.id == Task.commune_id)
        .where(
            Commune.slug == "phuong-hoa-binh",
            Task.status == str(TaskStatus.IN_PROGRESS),
            is_work(),
        )
        .order_by(Task.id)
    ).first()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("daumoi.hoabinh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Mật khẩu").press("Enter")

    page.goto(f"{live_server}/viec/{task_id}")
    panel = page.locator("#gui-duyet")
    panel.screenshot(path=str(artifacts / f"submit-panel-{width}.png"))
    above = page.locator("#gui-duyet > h2").bounding_box()["y"] - panel.bounding_box()["y"]
    assert above <= 16, f"{above}px above the heading (padding .75rem and the border: 13px)"

    page.goto(f"{live_server}/tong-hop")
    page.screenshot(path=str(artifacts / f"tong-hop-{width}.png"), full_page=True)
    button = page.locator(".level-form button[type=submit]").bounding_box()
    counts = page.locator("ul.counts").bounding_box()
    gap = counts["y"] - (button["y"] + button["height"])
    assert gap >= 16, f"the counts are {gap}px below the registration button"
    context.close()
