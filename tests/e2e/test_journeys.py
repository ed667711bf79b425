"""What each role sees, walked in Debian's chromium at 1366 px and on a 360-px phone: the
overdue board, a returned late task, wide tables, the phone header, the outbox, the login
form and the English pages (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.e2e.test_review_cycle import _overdue_task_of_hoa_binh
from tracker.extensions import db, get_clock
from tracker.models import User
from tracker.services import outbox as outbox_service
from tracker.services.demo import DEMO_PASSWORD, build_demo
from tracker.services.reminders import run_reminder_sweep
from tracker.services.tasks import return_task, submit_task

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
# Letters only Vietnamese uses (English UI text has none of them).
VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)
PAGES = {
    "chutich.hoabinh": ["/bang-qua-han", "/tong-hop", "/viec", "/thu-di", "/phan-cong"],
    "daumoi.hoabinh": ["/viec", "/duyet", "/phan-cong", "/tong-hop", "/thu-di", "/lich/",
                       "/tai-khoan/thu", "/ke-hoach/nhap"],
    "sonoivu": ["/thanh-pho", "/tong-hop?xa=phuong-bach-dang", "/thu-di"],
}


@pytest.fixture
def demo(app: Flask) -> None:
    build_demo(Path(app.root_path).parent / "seeds", get_clock(app))
    db.session.commit()


def _log_in(browser: Any, live_server: str, username: str, device: str,
            locale: str = "vi-VN") -> Any:
    context = browser.new_context(viewport=VIEWPORTS[device], locale=locale)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Mật khẩu").press("Enter")
    return page


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_board_lists_each_overdue_task_once(
    demo: None, live_server: str, browser: Any, artifacts: Path, device: str
) -> None:
    page = _log_in(browser, live_server, "chutich.hoabinh", device)
    page.goto(f"{live_server}/bang-qua-han")
    page.screenshot(path=str(artifacts / f"journeys-board-{device}.png"))
    ids = page.eval_on_selector_all(".task-item[id^='viec-']", "els => els.map(e => e.id)")
    overdue = int(page.locator(".count-overdue .number").first.inner_text())
    assert overdue > 0
    assert len(ids) == len(set(ids)), "a task is listed twice"
    in_overdue_section = page.locator("section[aria-labelledby='qua-han'] .task-item").count()
    assert in_overdue_section == overdue
    # "Nhắc ngay" is offered once per task at most, and only where someone can be reached.
    buttons = page.locator("form.remind button").count()
    assert buttons <= len(ids)
    for item in page.locator(".task-item").all():
        if item.locator("form.remind").count():
            assert item.locator(".responsible, .meta").first.inner_text().strip()
    page.context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_returned_overdue_task_shows_both(
    demo: None, app: Flask, live_server: str, browser: Any, artifacts: Path, device: str
) -> None:
    task = _overdue_task_of_hoa_binh()
    head = db.session.scalars(
        select(User).where(User.username == f"truongphong.{task.unit.slug}.hoabinh")
    ).one()
    focal = db.session.scalars(select(User).where(User.username == "daumoi.hoabinh")).one()
    clock = get_clock(app)
    submit_task(task, head, "Đã làm xong.", [], clock)
    return_task(task, focal, "Thiếu danh sách người tham dự.", clock)
    db.session.commit()
    task_id = task.id

    page = _log_in(browser, live_server, head.username, device)
    page.goto(f"{live_server}/viec?nam=tat-ca")
    item = page.locator(".task-item", has=page.locator(f'a[href="/viec/{task_id}"]')).first
    assert item.locator(".status-overdue").count() == 1
    assert item.locator(".status-returned").count() == 1
    assert "Thiếu danh sách người tham dự." in item.inner_text()
    returned = int(page.locator(".count-returned .number").first.inner_text())
    assert returned >= 1
    page.goto(f"{live_server}/viec/{task_id}")
    callout = page.locator(".returned-callout")
    assert callout.is_visible()
    assert "Thiếu danh sách người tham dự." in callout.inner_text()
    assert "quá hạn" in callout.inner_text()
    # The reason is seen before the annex text, without scrolling past the task.
    annex = page.locator(".annex-text").bounding_box()
    assert callout.bounding_box()["y"] < annex["y"]
    page.screenshot(path=str(artifacts / f"journeys-returned-{device}.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_no_table_is_cut_off_without_a_visible_scroll_cue(
    demo: None, live_server: str, browser: Any, artifacts: Path, device: str
) -> None:
    hidden: list[str] = []
    for username, paths in PAGES.items():
        page = _log_in(browser, live_server, username, device)
        for path in paths:
            page.goto(live_server + path)
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[device]["width"]:
                hidden.append(f"{username} {path}: the page is {width}px wide")
            problems = page.evaluate(
                """() => [...document.querySelectorAll('table')].flatMap(table => {
                    const wrap = table.closest('.table-wrap');
                    const box = wrap || table.parentElement;
                    if (box.scrollWidth <= box.clientWidth + 1) return [];
                    const cue = wrap && wrap.previousElementSibling;
                    const ok = wrap && wrap.classList.contains('is-scrollable') && cue
                        && cue.classList.contains('scroll-cue') && cue.offsetHeight > 0
                        && cue.textContent.trim().length > 0;
                    return ok ? [] : [(table.caption ? table.caption.textContent : '')
                        + ' ' + box.scrollWidth + '>' + box.clientWidth];
                })"""
            )
            if problems:
                name = path.strip("/").replace("/", "-").replace("?", "-")
                shot = artifacts / f"journeys-cut-{device}-{username}-{name}.png"
                page.screenshot(path=str(shot))
                hidden.append(f"{username} {path}: {problems}")
        page.context.close()
    assert not hidden, hidden


def test_the_phone_header_is_small_until_the_menu_opens(
    demo: None, live_server: str, browser: Any, artifacts: Path
) -> None:
    for username in PAGES:
        page = _log_in(browser, live_server, username, "phone")
        page.goto(f"{live_server}/viec")
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= 120, f"{username}: header {height}px"
        toggle = page.get_by_role("button", name="Menu")
        assert toggle.is_visible()
        assert not page.locator(".main-nav").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator(".main-nav a").first.is_visible()
        assert page.get_by_role("button", name="Đăng xuất").is_visible()
        page.screenshot(path=str(artifacts / f"journeys-menu-{username}.png"))
        page.context.close()
    desktop = _log_in(browser, live_server, "daumoi.hoabinh", "desktop")
    assert desktop.locator(".main-nav a").first.is_visible()
    assert not desktop.get_by_role("button", name="Menu").is_visible()
    desktop.context.close()


def test_the_outbox_reaches_every_mail(
    demo: None, app: Flask, live_server: str, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_reminder_sweep(get_clock(app))  # the demo's mail of the day, as `tracker demo` makes
    monkeypatch.setattr(outbox_service, "OUTBOX_PAGE", 40)  # more pages, fewer rows to read
    page = _log_in(browser, live_server, "sonoivu", "desktop")
    page.goto(f"{live_server}/thu-di")
    total = int(page.locator(".count .number").first.inner_text())
    assert total > 2 * 40, "the demo has mail for several pages"
    seen: set[str] = set()
    for _page in range(50):
        links = page.eval_on_selector_all(
            "table a[href^='/thu-di/']", "els => els.map(e => e.getAttribute('href'))"
        )
        assert not seen & set(links), "a page repeats mail of an earlier page"
        seen |= set(links)
        following = page.locator("a[rel=next]")
        if not following.count():
            break
        following.first.click()
        page.wait_for_load_state()
    assert len(seen) == total
    # Narrowed by kind: every row is of that kind.
    page.goto(f"{live_server}/thu-di")
    page.select_option("#f-loai", "escalation")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    kinds = page.eval_on_selector_all(
        "tbody tr td:nth-child(3)", "els => els.map(e => e.textContent)"
    )
    assert kinds and set(kinds) == {"Báo cáo quá hạn"}
    page.context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_login_page_speaks_vietnamese_when_a_field_is_blank(
    demo: None, live_server: str, browser: Any, device: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[device], locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server}/dang-nhap")
    # Spaces pass the browser's own check; the server's check says what is missing.
    page.get_by_label("Tên đăng nhập").fill(" ")
    page.get_by_label("Mật khẩu").fill(" ")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Hãy nhập tên đăng nhập." in text and "Hãy nhập mật khẩu." in text
    assert "This field is required" not in text
    context.close()


def _ui_text_in_vietnamese(page: Any) -> list[str]:
    """Words of the interface (headings, labels, buttons, menus, column heads, hints, notices)
    that are Vietnamese; user data and documents carry lang="vi" and are left out."""
    texts = page.evaluate(
        """() => {
          const picked = document.querySelectorAll(
            'h1, h2, h3, label, button, nav a, thead th, legend, summary, .hint, .empty, '
            + '.flash, .notice, .count .label, .scroll-cue, .page-range, .site-footer, dt');
          const out = [];
          for (const el of picked) {
            if (el.closest('[lang="vi"]') || !el.offsetParent && el.tagName !== 'BUTTON') continue;
            let text = '';
            for (const node of el.childNodes) {
              if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
            }
            if (text.trim()) out.push(text.trim());
          }
          return out;
        }"""
    )
    # Quotations of the documents' own terms (“Cơ quan chủ trì”) and the city's name stay.
    unquoted = (re.sub(r"“[^”]*”|Hải Phòng", "", t) for t in texts)
    return [t for t in unquoted if VIETNAMESE.search(t)]


def test_english_pages_have_no_vietnamese_interface_text(
    demo: None, live_server: str, browser: Any, artifacts: Path
) -> None:
    found: list[str] = []
    for username, paths in PAGES.items():
        page = _log_in(browser, live_server, username, "desktop", locale="en-US")
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        for path in [*paths, "/bang-qua-han" if username != "sonoivu" else "/viec"]:
            page.goto(live_server + path)
            words = _ui_text_in_vietnamese(page)
            if words:
                found.append(f"{username} {path}: {words[:6]}")
        page.context.close()
    assert not found, found
