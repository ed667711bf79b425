"""The overdue board, the commune roll-up and the city roll-up pages: status, scope, text."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import make_task
from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import CommuneLevel, Mail, Role, TaskEvent


def test_chairman_sees_the_commune_board(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    response = client.get("/bang-qua-han")
    assert response.status_code == 200
    text = page_text(response)
    assert "Bảng việc quá hạn" in text and "Phường Hòa Bình" in text
    assert "Niêm yết công khai thủ tục hành chính tại trụ sở" in text
    assert "quá 3 ngày" in text and "1-7 ngày" in text
    assert "Nhắc ngay" in text and "Chưa nhắc lần nào" in text
    # Due this week (04/05-10/05): the task due 06/05; the one due 30/06 is not.
    assert "Đến hạn trong tuần này (đến 10/05/2026)" in text
    assert "Khảo sát sự hài lòng của người dân" in text
    assert "30/06/2026" not in text
    # The other commune's overdue task is not on this board.
    assert f'id="viec-{world.foreign.id}"' not in text
    assert f'id="viec-{world.overdue.id}"' in text


def test_chairman_lands_on_the_board(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/bang-qua-han"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CHAIRMAN, 200),
        (Role.VICE_CHAIRMAN, 200),
        (Role.FOCAL_OFFICER, 200),
        (Role.CITY_ADMIN, 200),
        (Role.UNIT_HEAD, 403),
        (Role.UNIT_STAFF, 403),
    ],
)
def test_board_permissions(client: FlaskClient, world: World, role: Role, status: int) -> None:
    login(client, world.users[role])
    assert client.get("/bang-qua-han").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, world: World) -> None:
    for url in ("/bang-qua-han", "/tong-hop", "/thanh-pho"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/dang-nhap")


def test_another_commune_is_not_found(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    assert client.get(f"/bang-qua-han?xa={world.other.slug}").status_code == 404
    assert client.get(f"/tong-hop?xa={world.other.slug}").status_code == 404
    assert client.get(f"/bang-qua-han?xa={world.home.slug}").status_code == 200


def test_city_administrator_picks_a_commune(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    text = page_text(client.get("/bang-qua-han"))
    assert "Chọn một xã, phường để xem việc quá hạn." in text
    assert f'value="{world.other.slug}"' in text
    response = client.get(f"/bang-qua-han?xa={world.other.slug}")
    assert response.status_code == 200
    text = page_text(response)
    assert f'id="viec-{world.foreign.id}"' in text
    # The city reads; it does not send reminders.
    assert "Nhắc ngay" not in text
    assert client.get("/bang-qua-han?xa=khong-co-xa-nay").status_code == 404


def test_send_reminder_now_queues_mail_and_notes_it(
    client: FlaskClient, world: World, app: Flask
) -> None:
    login(client, world.users[Role.CHAIRMAN])
    response = client.post(f"/bang-qua-han/nhac/{world.overdue.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/bang-qua-han#viec-{world.overdue.id}")
    events = db.session.scalars(
        select(TaskEvent).where(TaskEvent.task_id == world.overdue.id, TaskEvent.action == "remind")
    ).all()
    assert len(events) == 1 and events[0].actor_id == world.users[Role.CHAIRMAN].id
    head = world.users[Role.UNIT_HEAD]
    mails = db.session.scalars(select(Mail).where(Mail.task_id == world.overdue.id)).all()
    assert head.email in {m.address for m in mails}
    text = page_text(client.get(response.headers["Location"]))
    assert f"Đã gửi nhắc việc “1. {world.overdue.title[:20]}" in text and head.email in text
    assert "lần gần nhất 04/05/2026 09:00" in text and head.full_name in text


def test_a_second_click_in_the_same_minute_sends_nothing(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    client.post(f"/bang-qua-han/nhac/{world.overdue.id}")
    response = client.post(f"/bang-qua-han/nhac/{world.overdue.id}", follow_redirects=True)
    assert "vừa được nhắc trong phút này; không gửi thêm thư." in page_text(response)
    assert "Chưa gửi được" not in page_text(response)
    count = db.session.scalar(
        select(db.func.count(TaskEvent.id)).where(
            TaskEvent.task_id == world.overdue.id, TaskEvent.action == "remind"
        )
    )
    assert count == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CITY_ADMIN, 403), (Role.UNIT_HEAD, 403), (Role.UNIT_STAFF, 403)],
)
def test_who_may_not_send_reminders(
    client: FlaskClient, world: World, role: Role, status: int
) -> None:
    login(client, world.users[role])
    assert client.post(f"/bang-qua-han/nhac/{world.overdue.id}").status_code == status


def test_reminder_for_another_commune_is_not_found(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    assert client.post(f"/bang-qua-han/nhac/{world.foreign.id}").status_code == 404
    assert client.get(f"/bang-qua-han/nhac/{world.overdue.id}").status_code == 405


def test_commune_rollup_counts_and_points(client: FlaskClient, world: World) -> None:
    # Item 2 (2 points) has two rows this year: the focal unit's and the office's.
    world.soon.plan_item.points = 2.0
    world.soon.status = "done_on_time"
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.get("/tong-hop")
    assert response.status_code == 200
    text = page_text(response)
    assert "Tổng hợp kết quả thực hiện" in text and "Năm 2026" in text
    assert "Theo phòng, đơn vị" in text and "Theo nhóm tiêu chí" in text
    assert "I. Công khai, minh bạch" in text and "Không thuộc nhóm tiêu chí" in text
    assert "Hoàn thành đúng hạn" in text and "Tỷ lệ đúng hạn" in text
    # 0 of 7 points: item 1's 5 are owed (overdue), item 2's 2 wait for the office's row.
    assert "0/7" in text
    assert "Xã Phú Thái" not in text

    world.office_task.status = "done_late"
    db.session.commit()
    text = page_text(client.get("/tong-hop"))
    # Item 2 secured once, though two rows carry it; under each unit that holds one of them.
    assert "2/7" in text and "2/2" in text


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CHAIRMAN, 200), (Role.CITY_ADMIN, 200), (Role.UNIT_HEAD, 403), (Role.UNIT_STAFF, 403)],
)
def test_commune_rollup_permissions(
    client: FlaskClient, world: World, role: Role, status: int
) -> None:
    login(client, world.users[role])
    assert client.get("/tong-hop").status_code == status


def test_commune_rollup_other_year_and_bad_year(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    text = page_text(client.get("/tong-hop?nam=2027"))
    assert "Chưa có việc nào trong năm 2027." in text
    response = client.get("/tong-hop?nam=hai-nghin")
    assert response.status_code == 400
    assert "Năm không hợp lệ: hai-nghin." in page_text(response)


def test_city_rollup_against_targets(client: FlaskClient, world: World) -> None:
    db.session.add_all(
        [
            CommuneLevel(commune_id=world.home.id, year=2026, registered_level=4, reached_level=4),
            CommuneLevel(commune_id=world.other.id, year=2026, registered_level=2),
        ]
    )
    db.session.commit()
    login(client, world.users[Role.CITY_ADMIN])
    response = client.get("/thanh-pho")
    assert response.status_code == 200
    text = page_text(response)
    assert "Kết quả các xã, phường toàn thành phố" in text
    assert "Mục tiêu năm 2026: ít nhất 80" in text and "Mức độ 4" in text
    assert "1/2" in text and "chưa đạt mục tiêu" in text and "đạt mục tiêu" in text
    assert text.index("Phường Hòa Bình") < text.index("Xã Phú Thái")
    assert f"/tong-hop?xa={world.home.slug}" in text
    assert 'aria-sort="ascending"' in text


def test_city_rollup_sorts_on_the_server(client: FlaskClient, world: World) -> None:
    # A second overdue task for the other commune puts it first by overdue count.
    make_task(
        world.foreign.plan_item, world.foreign.unit, due_on=dt.date(2026, 4, 1), occurrence_key="q1"
    )
    db.session.commit()
    login(client, world.users[Role.CITY_ADMIN])
    text = page_text(client.get("/thanh-pho?sap_xep=overdue&chieu=giam"))
    assert text.index("Xã Phú Thái") < text.index("Phường Hòa Bình")
    assert 'aria-sort="descending"' in text
    # The link on the sorted column flips the direction.
    assert "sap_xep=overdue&amp;chieu=tang" in text
    text = page_text(client.get("/thanh-pho?sap_xep=overdue&chieu=tang"))
    assert text.index("Phường Hòa Bình") < text.index("Xã Phú Thái")
    assert client.get("/thanh-pho?sap_xep=mat-khau").status_code == 400
    assert client.get("/thanh-pho?chieu=ngang").status_code == 400


@pytest.mark.parametrize(
    "role", [Role.CHAIRMAN, Role.FOCAL_OFFICER, Role.UNIT_HEAD, Role.UNIT_STAFF]
)
def test_only_the_city_sees_the_city_rollup(client: FlaskClient, world: World, role: Role) -> None:
    login(client, world.users[role])
    assert client.get("/thanh-pho").status_code == 403


def test_city_rollup_in_english(client: FlaskClient, world: World) -> None:
    user = world.users[Role.CITY_ADMIN]
    user.locale = "en"
    db.session.commit()
    login(client, user)
    response = client.get("/thanh-pho")
    assert response.status_code == 200
    assert '<html lang="en">' in page_text(response)


def test_numbers_are_written_the_vietnamese_way(app: Flask) -> None:
    from tracker.web.dashboards import level_label, percent, points

    with app.test_request_context("/"):
        assert points(12.5) == "12,5" and points(1234.0) == "1.234" and points(7.0) == "7"
        assert points(None) == "—"
        assert percent(1 / 3) == "33%" and percent(1.0) == "100%" and percent(None) == "—"
        assert level_label(4) == "Mức độ 4" and level_label(None) == "—"


def test_commune_without_scored_items_shows_a_dash_for_points(
    client: FlaskClient, world: World
) -> None:
    """A plan without a scoring table (Hòa Bình's) has nothing to measure: "—", as on the
    city table, not "0/0"."""
    for task in (world.overdue, world.soon, world.office_task):
        task.points = None
        task.plan_item.points = None
    db.session.commit()
    login(client, world.users[Role.CHAIRMAN])
    text = page_text(client.get("/tong-hop"))
    card = text.split('aria-label="Tóm tắt"')[1].split("</ul>")[0]
    assert "0/0" not in card
    assert '<span class="number">—</span> <span class="label"><abbr' in card
    assert "Điểm đạt được" in card and 'id="y-nghia-diem"' not in text  # nothing to explain


def test_board_headings_read_as_one_phrase(client: FlaskClient, world: World) -> None:
    """Headings say "Quá hạn trên 90 ngày", not "Quá hạn Trên 90 ngày" (a header glued on)."""
    world.overdue.due_on = dt.date(2026, 1, 15)
    db.session.commit()
    login(client, world.users[Role.CHAIRMAN])
    text = page_text(client.get("/bang-qua-han"))
    assert "<h3>Quá hạn trên 90 ngày <span" in text and "Quá hạn Trên" not in text
    client.post("/ngon-ngu/en")
    english = page_text(client.get("/bang-qua-han"))
    assert "<h3>Overdue more than 90 days <span" in english and "Overdue Over" not in english


def test_reminder_without_anyone_to_tell_says_so(client: FlaskClient, world: World) -> None:
    """A task nobody holds (no point person, no head with an address: a collective task before
    it is split) is not "just reminded": the board says whom to name first."""
    orphan = make_task(world.soon.plan_item, world.office, due_on=dt.date(2026, 4, 20))
    db.session.commit()
    login(client, world.users[Role.CHAIRMAN])
    response = client.post(f"/bang-qua-han/nhac/{orphan.id}", follow_redirects=True)
    text = page_text(response)
    assert "việc chưa có người phụ trách, và Văn phòng HĐND và UBND chưa có trưởng phòng" in text
    assert "vừa được nhắc trong phút này" not in text


def test_points_say_what_they_mean_in_both_languages(client: FlaskClient, world: World) -> None:
    """"0/95" on a 100-point plan: the page says what each number counts, and why below 100."""
    login(client, world.users[Role.CHAIRMAN])
    text = page_text(client.get("/tong-hop"))
    assert 'id="y-nghia-diem"' in text and "thấp hơn 100 điểm của kế hoạch" in text
    assert '<abbr title="Điểm đạt / điểm tối đa của năm' in text
    client.post("/ngon-ngu/en")
    english = page_text(client.get("/tong-hop"))
    assert "can be below the plan’s 100 points" in english
    assert '<abbr title="Points secured / points possible this year' in english
