"""Every page a focal officer and the city open fits a 360-px-wide phone: the page itself never
scrolls sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tracker.extensions import db, get_clock
from tracker.models import Mail
from tracker.services.demo import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PAGES = {
    "daumoi.hoabinh": [
        "/viec",
        "/duyet",
        "/phan-cong",
        "/bang-qua-han",
        "/tong-hop",
        "/thu-di",
        "/thu-di/{mail}",
        "/tai-khoan/thu",
        "/lich/",
        "/tai-khoan/khoa-api",
        "/ke-hoach/nhap",
    ],
    "sonoivu": ["/thanh-pho", "/thu-di", "/tong-hop?xa=phuong-bach-dang"],
}


def test_no_page_scrolls_sideways_on_a_phone(
    app: Flask, live_server: str, browser: Any, artifacts: Path
) -> None:
    build_demo(Path(app.root_path).parent / "seeds", get_clock(app))
    db.session.commit()
    mail = db.session.scalars(select(Mail.id).order_by(Mail.id)).first()
    too_wide: list[str] = []
    for username, paths in PAGES.items():
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server}/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_label("Mật khẩu").press("Enter")
        for path in paths:
            page.goto(live_server + path.format(mail=mail))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                name = path.strip("/").replace("/", "-").replace("?", "-") or "home"
                page.screenshot(path=str(artifacts / f"too-wide-{username}-{name}.png"))
                too_wide.append(f"{username} {path}: {width}px")
        context.close()
    assert not too_wide, too_wide
