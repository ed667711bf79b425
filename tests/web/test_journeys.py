"""Small things of issue 18 that need no browser: search, paging, titles, the waiting count,
the login form's words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient

from tests.factories import make_task
from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Role, TaskStatus
from tracker.services import task_lists


def test_search_finds_tasks_by_title_unit_plan_or_number(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    by_title = page_text(client.get("/viec?nam=tat-ca&tim=niêm+yết"))
    assert f'/viec/{world.overdue.id}"' in by_title
    assert f'/viec/{world.office_task.id}"' not in by_title
    by_unit = page_text(client.get("/viec?nam=tat-ca&tim=HĐND"))
    assert f'/viec/{world.office_task.id}"' in by_unit
    assert f'/viec/{world.overdue.id}"' not in by_unit
    by_plan = page_text(client.get("/viec?nam=tat-ca&tim=102/KH"))
    assert f'/viec/{world.overdue.id}"' in by_plan
    nothing = page_text(client.get("/viec?nam=tat-ca&tim=không-có-việc-này"))
    assert "Không có việc nào khớp với bộ lọc." in nothing
    assert f'/viec/{world.foreign.id}"' not in page_text(client.get("/viec?tim=a"))


def test_a_long_list_is_paged_and_every_task_is_reachable(
    client: FlaskClient, world: World
) -> None:
    extra = task_lists.LIST_PAGE + 10
    for n in range(extra):
        make_task(world.overdue.plan_item, world.focal_unit, due_on=dt.date(2026, 9, 1),
                  status=TaskStatus.IN_PROGRESS, title=f"Việc thêm số {n:03d}")
    db.session.commit()
    login(client, world.users[Role.UNIT_HEAD])
    first = page_text(client.get("/viec"))
    assert "Trang 1/2" in first and 'rel="next" href="/viec?trang=2"' in first
    second = page_text(client.get("/viec?trang=2"))
    found = {n for n in range(extra) if f"Việc thêm số {n:03d}" in first + second}
    assert found == set(range(extra))
    assert not {n for n in range(extra) if f"Việc thêm số {n:03d}" in first and
                f"Việc thêm số {n:03d}" in second}


@pytest.mark.parametrize(
    ("role", "title"),
    [(Role.FOCAL_OFFICER, "Việc của xã"), (Role.UNIT_HEAD, "Việc của phòng"),
     (Role.UNIT_STAFF, "Việc của tôi"), (Role.CITY_ADMIN, "Việc của các xã, phường")],
)
def test_the_list_is_titled_for_whose_tasks_it_holds(
    client: FlaskClient, world: World, role: Role, title: str
) -> None:
    login(client, world.users[role])
    assert f"<h1>{title}</h1>" in page_text(client.get("/viec"))


def test_the_menu_counts_what_waits_for_review(client: FlaskClient, world: World) -> None:
    world.overdue.status = str(TaskStatus.AWAITING_REVIEW)
    world.soon.status = str(TaskStatus.AWAITING_REVIEW)
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    text = page_text(client.get("/viec"))
    assert 'Chờ duyệt <span class="nav-count">2<' in text
    assert "Khóa API</a></li>" not in text  # beside the name, not in the menu


def test_the_login_form_says_what_is_missing_in_vietnamese(client: FlaskClient) -> None:
    text = page_text(client.post("/dang-nhap", data={"username": " ", "password": ""}))
    assert "Hãy nhập tên đăng nhập." in text and "Hãy nhập mật khẩu." in text
    assert "This field is required" not in text


def test_every_request_is_logged_with_method_path_status_and_time(
    client: FlaskClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="tracker.requests"):
        login(client, world.users[Role.UNIT_HEAD])
        client.get("/viec?nam=tat-ca")
        client.get("/khong-co-trang-nay")
    lines = [r.getMessage() for r in caplog.records if r.name == "tracker.requests"]
    assert any(re.fullmatch(r"POST /dang-nhap 302 \d+\.\d ms", line) for line in lines)
    assert any(re.fullmatch(r"GET /viec 200 \d+\.\d ms", line) for line in lines)
    assert any(re.fullmatch(r"GET /khong-co-trang-nay 404 \d+\.\d ms", line) for line in lines)


def test_the_assignment_form_never_moves_a_collective_task_unseen(
    client: FlaskClient, world: World
) -> None:
    from tests.factories import make_unit
    from tracker.models import UnitKind

    group = make_unit(world.home, "Các phòng, cơ quan, đơn vị", kind=UnitKind.COLLECTIVE)
    task = make_task(world.overdue.plan_item, group, due_on=dt.date(2026, 9, 1),
                     status=TaskStatus.IN_PROGRESS)
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    form = page_text(client.get(f"/viec/{task.id}/phan-cong"))
    assert '<option value="" selected>— Chọn đơn vị —</option>' in form
    assert "hạn riêng" not in form
    # Officers come grouped by their unit, for the form to offer only the chosen unit's.
    assert f'<optgroup label="Văn phòng HĐND và UBND" data-unit="{world.office.id}">' in form
    years = page_text(client.get("/phan-cong"))
    assert '<option value="2025"' not in years and '<option value="2026"' in years
