"""The yearly self-assessment in a browser: Bạch Đằng's focal officer scores every criterion
("1,5" typed the Vietnamese way), compiles; the chairman approves and submits; Sở Nội vụ
appraises each criterion and recognises the level the thresholds propose; the commune sees it.
Also: the printed page has no menu or buttons, and names the commune, year and print date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tracker.extensions import db, get_clock
from tracker.services.demo import DEMO_PASSWORD, build_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return app_config | {"LEVEL_THRESHOLDS": {1: 50, 2: 65, 3: 80, 4: 90}}


def test_self_score_approve_submit_appraise_recognise(
    app: Flask, live_server: str, browser: Any, artifacts: Path
) -> None:
    build_demo(Path(app.root_path).parent / "seeds", get_clock(app))
    db.session.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)

    def log_in(username: str) -> None:
        page.goto(f"{live_server}/dang-nhap")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()

    def log_out() -> None:
        menu = page.get_by_role("button", name="Menu")
        if menu.is_visible():  # on a phone the menu is folded behind its button
            menu.click()
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_load_state()

    def fill_all(prefix: str, value: str) -> int:
        inputs = page.locator(f'input[name^="{prefix}-"]')
        for n in range(inputs.count()):
            inputs.nth(n).fill(value)
        return inputs.count()

    # The focal officer scores every criterion and compiles.
    log_in("daumoi.bachdang")
    page.get_by_role("link", name="Tự đánh giá").click()
    page.wait_for_load_state()
    assert "Đang tự chấm điểm" in page.content()
    assert fill_all("diem", "1") == 67
    page.get_by_label("Điểm tự chấm mục I.2.b").fill("1,5")
    page.get_by_label("Giải trình mục I.2.b").fill("Đăng 1 trên 2 chuyên mục")
    page.get_by_role("button", name="Lưu điểm tự chấm").click()
    page.wait_for_load_state()
    assert "Đã lưu điểm tự chấm." in page.content()
    assert page.locator("#tong-tu-cham").inner_text().startswith("67,5/")
    page.get_by_role("button", name="Tổng hợp, trình Chủ tịch duyệt").click()
    page.wait_for_load_state()
    assert "Đã tổng hợp, chờ Chủ tịch duyệt" in page.content()
    page.screenshot(path=str(artifacts / "tu-danh-gia-01-tong-hop.png"), full_page=False)
    log_out()

    # The chairman approves and sends it to the city.
    log_in("chutich.bachdang")
    page.goto(f"{live_server}/tu-danh-gia")
    page.get_by_role("button", name="Duyệt bản tự đánh giá").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Gửi Sở Nội vụ").click()
    page.wait_for_load_state()
    assert "Đã gửi bản tự đánh giá tới Sở Nội vụ." in page.content()
    assert page.locator('input[name^="diem-"]').count() == 0  # locked for the commune
    log_out()

    # Sở Nội vụ appraises every criterion and recognises the proposed level.
    log_in("sonoivu")
    page.goto(f"{live_server}/tu-danh-gia?xa=phuong-bach-dang&nam=2026")
    assert fill_all("tham-dinh", "1") == 67
    page.get_by_label("Nhận xét mục I.2.b").fill("Chưa đủ minh chứng")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    page.wait_for_load_state()
    assert "Đã lưu điểm thẩm định." in page.content()
    assert page.locator("#tong-tham-dinh").inner_text() == "67"
    assert page.locator("#muc-de-xuat").inner_text() == "Mức độ 2"  # 67 ≥ 65 (the setting)
    assert page.locator("#muc-cong-nhan-chon").input_value() == "2"
    # Beside the choice: the commune's registration, its progress and the rule.
    assert page.locator("#muc-dang-ky").is_visible() and page.locator("#tien-do-xa").is_visible()
    assert "Mức độ 4 cần 75%" in page.locator("#quy-tac-muc").inner_text()
    # Mức độ 4 is above what the progress supports: refused until confirmed with a reason.
    page.locator("#muc-cong-nhan-chon").select_option("4")
    page.get_by_role("button", name="Công nhận mức đạt chuẩn").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "Mức độ 4 cần ít nhất 75% việc đã hoàn thành" in alert.inner_text()
    assert "hãy đánh dấu xác nhận và ghi lý do" in alert.inner_text()
    assert page.locator("#muc-cong-nhan-chon").input_value() == "4"  # the choice stays
    assert page.locator("#muc-cong-nhan").count() == 0  # nothing recognised
    page.screenshot(path=str(artifacts / "tu-danh-gia-02-vuot-muc.png"), full_page=False)
    # The proposed level, with the confirmation and a reason the page keeps.
    page.locator("#muc-cong-nhan-chon").select_option("2")
    page.get_by_label("Tôi xác nhận ghi mức vượt mức đăng ký hoặc tiến độ").check()
    page.get_by_label("Lý do ghi mức vượt mức đăng ký hoặc tiến độ").fill("Đã thẩm định đủ 67 mục")
    page.get_by_role("button", name="Công nhận mức đạt chuẩn").click()
    page.wait_for_load_state()
    assert "Đã công nhận kết quả năm 2026." in page.content()
    assert "Đã thẩm định đủ 67 mục" in page.locator("#ly-do-da-luu").inner_text()
    assert page.locator("#muc-cong-nhan").inner_text() == "Mức độ 2"
    page.screenshot(path=str(artifacts / "tu-danh-gia-02-cong-nhan.png"), full_page=False)
    # The city roll-up shows the result and the score.
    page.goto(f"{live_server}/thanh-pho?nam=2026")
    row = page.locator("tr", has_text="Phường Bạch Đằng").first
    assert "Mức độ 2" in row.inner_text()

    # Printed: no menu or buttons, the commune, the year and the print date on top.
    page.goto(f"{live_server}/tu-danh-gia?xa=phuong-bach-dang&nam=2026")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".downloads").is_visible()
    heading = page.locator(".print-heading")
    assert heading.is_visible()
    assert "Phường Bạch Đằng" in heading.inner_text() and "Năm 2026" in heading.inner_text()
    assert "Ngày in: 20/11/2026" in heading.inner_text()
    thead = page.locator("#bang-diem thead")
    assert thead.evaluate("e => getComputedStyle(e).display") == "table-header-group"
    page.pdf(path=str(artifacts / "tu-danh-gia-in.pdf"), format="A4")
    page.emulate_media(media="screen")
    log_out()

    # The commune sees the recognised level.
    log_in("chutich.bachdang")
    page.goto(f"{live_server}/tu-danh-gia")
    assert "Thành phố đã thẩm định và công nhận" in page.content()
    assert page.locator("#muc-cong-nhan").inner_text() == "Mức độ 2"
    context.close()
