"""The level registration on /tong-hop and the city's result form under /thanh-pho."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import make_commune
from tests.web.conftest import World, login, page_text
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db, get_clock
from tracker.models import CommuneLevel, Role
from tracker.services.demo import DEMO_PASSWORD, build_demo


def _level(world: World, year: int = 2026) -> CommuneLevel | None:
    db.session.expire_all()
    return db.session.scalar(
        select(CommuneLevel).where(
            CommuneLevel.commune_id == world.home.id, CommuneLevel.year == year
        )
    )


def _record_url(world: World, slug: str | None = None, year: int = 2026) -> str:
    return f"/thanh-pho/{slug or world.home.slug}/ket-qua?nam={year}"


@pytest.mark.parametrize("role", [Role.CHAIRMAN, Role.FOCAL_OFFICER])
def test_chairman_and_focal_officer_register_on_the_commune_rollup(
    client: FlaskClient, world: World, role: Role
) -> None:
    login(client, world.users[role])
    page = page_text(client.get("/tong-hop"))
    assert "Đăng ký mức đạt chuẩn năm 2026" in page
    assert "Chưa đăng ký" in page and "Chưa có kết quả đánh giá" in page
    assert 'action="/tong-hop/dang-ky-muc?nam=2026"' in page
    response = client.post("/tong-hop/dang-ky-muc?nam=2026", data={"level": "3"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/tong-hop?nam=2026#muc-dat-chuan"
    level = _level(world)
    assert level is not None and level.registered_level == 3 and level.reached_level is None
    page = page_text(client.get("/tong-hop"))
    assert "Đã đăng ký Mức độ 3 cho năm 2026." in page
    assert '<option selected value="3">' in page
    assert "Đổi mức đăng ký" in page
    # Changed while the city has not appraised.
    assert client.post("/tong-hop/dang-ky-muc?nam=2026", data={"level": "4"}).status_code == 302
    assert _level(world).registered_level == 4  # type: ignore[union-attr]


@pytest.mark.parametrize("role", [Role.VICE_CHAIRMAN, Role.UNIT_HEAD, Role.UNIT_STAFF])
def test_other_commune_roles_may_not_register(
    client: FlaskClient, world: World, role: Role
) -> None:
    login(client, world.users[role])
    assert client.post("/tong-hop/dang-ky-muc?nam=2026", data={"level": "2"}).status_code == 403
    assert _level(world) is None


def test_vice_chairman_sees_the_registration_without_the_form(
    client: FlaskClient, world: World
) -> None:
    db.session.add(CommuneLevel(commune_id=world.home.id, year=2026, registered_level=2))
    db.session.commit()
    login(client, world.users[Role.VICE_CHAIRMAN])
    page = page_text(client.get("/tong-hop"))
    assert "Mức đạt chuẩn năm 2026" in page and "Mức độ 2" in page
    assert "dang-ky-muc" not in page


def test_city_admin_may_not_register_but_links_to_the_result_form(
    client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    assert client.post("/tong-hop/dang-ky-muc?nam=2026", data={"level": "2"}).status_code == 403
    page = page_text(client.get(f"/tong-hop?xa={world.home.slug}"))
    assert "Chưa đăng ký" in page and "dang-ky-muc" not in page
    assert f'href="/tu-danh-gia?xa={world.home.slug}&amp;nam=2026#ket-qua"' in page


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/tong-hop/dang-ky-muc?nam=2026", {}, "hãy chọn một mức từ Mức độ 1 đến Mức độ 4"),
        ("/tong-hop/dang-ky-muc?nam=2026", {"level": "7"}, "hãy chọn một mức từ Mức độ 1"),
        ("/tong-hop/dang-ky-muc?nam=2026", {"level": "abc"}, "hãy chọn một mức từ Mức độ 1"),
        ("/tong-hop/dang-ky-muc?nam=2029", {"level": "2"}, "năm 2026 hoặc năm 2027"),
    ],
)
def test_registration_errors_are_shown_in_vietnamese(
    client: FlaskClient, world: World, url: str, data: dict[str, str], message: str
) -> None:
    login(client, world.users[Role.CHAIRMAN])
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert _level(world) is None and _level(world, 2029) is None


def test_registration_is_locked_after_the_result(client: FlaskClient, world: World) -> None:
    db.session.add(
        CommuneLevel(
            commune_id=world.home.id, year=2026, registered_level=3, reached_level=2, score=81.5
        )
    )
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    page = page_text(client.get("/tong-hop"))
    assert "Mức độ 3" in page and "Mức độ 2 · 81,5 điểm" in page
    assert "dang-ky-muc" not in page
    assert "mức đăng ký không thay đổi được nữa" in page
    response = client.post("/tong-hop/dang-ky-muc?nam=2026", data={"level": "4"})
    assert response.status_code == 400
    assert "không thay đổi được mức đăng ký" in page_text(response)
    assert _level(world).registered_level == 3  # type: ignore[union-attr]


def test_city_admin_records_a_result(client: FlaskClient, world: World) -> None:
    db.session.add(CommuneLevel(commune_id=world.home.id, year=2026, registered_level=3))
    db.session.commit()
    login(client, world.users[Role.CITY_ADMIN])
    city = page_text(client.get("/thanh-pho?nam=2026"))
    assert f'href="/tu-danh-gia?xa={world.home.slug}&amp;nam=2026#ket-qua"' in city
    assert "Ghi kết quả" in city
    # One flow: the old address sends a GET to the self-assessment page, where the form is.
    old = client.get(_record_url(world))
    assert old.status_code == 302
    assert old.headers["Location"] == f"/tu-danh-gia?xa={world.home.slug}&nam=2026#ket-qua"
    form = client.get(_record_url(world), follow_redirects=True)
    assert form.status_code == 200
    text = page_text(form)
    assert "Ghi kết quả đánh giá" in text and "Phường Hòa Bình" in text
    assert "Chưa đạt chuẩn" in text and 'name="csrf_token"' in text
    # No task is done yet (0%): Mức độ 3 needs the confirmation and a reason.
    data = {"reached_level": "3", "score": "87,5", "xac_nhan": "1", "ly_do_vuot_muc": "Đã xác minh"}
    response = client.post(_record_url(world), data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/thanh-pho?nam=2026#xa-{world.home.slug}"
    level = _level(world)
    assert level is not None and (level.registered_level, level.reached_level, level.score) == (
        3,
        3,
        87.5,
    )
    city = page_text(client.get("/thanh-pho?nam=2026"))
    assert "Đã ghi nhận kết quả năm 2026 của Phường Hòa Bình: Mức độ 3, 87,5 điểm." in city
    assert "(87,5 điểm)" in city and "Sửa kết quả" in city
    # The form shows what is recorded, ready to correct.
    again = page_text(client.get(_record_url(world), follow_redirects=True))
    assert 'value="87,5"' in again and '<option value="3" selected>' in again


def test_city_rollup_counts_recorded_levels_against_the_targets(
    client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    data = {"reached_level": "4", "score": "95", "xac_nhan": "1", "ly_do_vuot_muc": "Đã xác minh"}
    assert client.post(_record_url(world), data=data).status_code == 302
    assert (
        client.post(
            _record_url(world, world.other.slug), data={"reached_level": "0", "score": "40"}
        ).status_code
        == 302
    )
    text = page_text(client.get("/thanh-pho?nam=2026"))
    # 1 of 2 reached the standard (50% < 80%), 1 of 2 at Mức độ 4 (50% ≥ 20%).
    assert "1/2" in text
    assert "Đạt chuẩn (50%) — chưa đạt mục tiêu" in text
    assert "Đạt Mức độ 4 (50%) — đạt mục tiêu" in text
    assert "Chưa đạt chuẩn" in text and "(40 điểm)" in text and "(95 điểm)" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reached_level": "", "score": "80"}, "hãy chọn “Chưa đạt chuẩn” hoặc một mức"),
        ({"reached_level": "5", "score": "80"}, "hãy chọn “Chưa đạt chuẩn” hoặc một mức"),
        ({"reached_level": "2", "score": ""}, "hãy nhập một số từ 0 đến 100"),
        ({"reached_level": "2", "score": "120"}, "hãy nhập một số từ 0 đến 100"),
        ({"reached_level": "2", "score": "tám mươi"}, "“tám mươi” không phải là một số"),
    ],
)
def test_result_errors_are_shown_in_vietnamese(
    client: FlaskClient, world: World, data: dict[str, str], message: str
) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    response = client.post(_record_url(world), data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert _level(world) is None


def test_a_future_year_cannot_be_appraised(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    response = client.post(
        _record_url(world, year=2027), data={"reached_level": "2", "score": "70"}
    )
    assert response.status_code == 400
    assert "từ 2026 đến 2026" in page_text(response)


@pytest.mark.parametrize(
    "role",
    [Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.FOCAL_OFFICER, Role.UNIT_HEAD, Role.UNIT_STAFF],
)
def test_only_the_city_admin_opens_the_result_form(
    client: FlaskClient, world: World, role: Role
) -> None:
    login(client, world.users[role])
    assert client.get(_record_url(world)).status_code == 403
    data = {"reached_level": "4", "score": "99"}
    assert client.post(_record_url(world), data=data).status_code == 403
    assert _level(world) is None


def test_unknown_commune_or_the_city_is_404(client: FlaskClient, world: World) -> None:
    city = make_commune("Thành phố Hải Phòng", kind="city", with_units=False)
    db.session.commit()
    login(client, world.users[Role.CITY_ADMIN])
    assert client.get(_record_url(world, "xa-khong-co")).status_code == 404
    assert client.get(_record_url(world, city.slug)).status_code == 404
    assert client.get(_record_url(world) + "0").status_code == 400  # nam=20260


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, world: World) -> None:
    assert client.get(_record_url(world)).status_code == 302
    assert client.post("/tong-hop/dang-ky-muc", data={"level": "2"}).status_code == 302


def test_demo_registers_only_what_the_plans_state(
    app: Flask, client: FlaskClient, seeds_dir: Path
) -> None:
    report = build_demo(seeds_dir, get_clock(app))
    db.session.commit()
    rows = {
        row.commune.name: (row.year, row.registered_level, row.reached_level, row.score)
        for row in db.session.scalars(select(CommuneLevel))
    }
    # Phú Thái's targets table: Mức độ 4; Hòa Bình: "đạt chuẩn" in 2026, the standard (1).
    # Bạch Đằng's and Vĩnh Bảo's plans state no level; nothing is reached before appraisal.
    assert rows == {
        "Xã Phú Thái": (2026, 4, None, None),
        "Phường Hòa Bình": (2026, 1, None, None),
    }
    assert report.registered_levels == {"Xã Phú Thái": 4, "Phường Hòa Bình": 1}
    response = client.post("/dang-nhap", data={"username": "sonoivu", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    text = page_text(client.get("/thanh-pho?nam=2026"))
    assert "2/114" in text and "(1 đăng ký Mức độ 4)" in text  # over the whole city


def test_demo_in_2027_registers_the_plans_2027_levels(app: Flask, seeds_dir: Path) -> None:
    build_demo(seeds_dir, FixedClock(dt.datetime(2027, 1, 20, 9, 0, tzinfo=VN_TZ)))
    registered = {
        row.commune.name: (row.year, row.registered_level)
        for row in db.session.scalars(select(CommuneLevel))
    }
    assert registered == {"Xã Phú Thái": (2027, 4), "Phường Hòa Bình": (2027, 2)}


def test_the_forms_read_in_english(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    client.post("/ngon-ngu/en")
    page = page_text(client.get("/tong-hop"))
    assert "Register the standard level for 2026" in page and "Not registered" in page
    response = client.post("/tong-hop/dang-ky-muc?nam=2026", data={})
    assert "Registered level: choose a level from Level 1 to Level 4." in page_text(response)
