"""Provinces as tenants: Sở Nội vụ sees its own province only, Bộ Nội vụ every one, read-only."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import make_plan, make_task, make_user, unit_named
from tests.web.conftest import World, login, page_text
from tests.web.test_api import bearer, conforms, token_for
from tracker.cli import main
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Commune, CommuneLevel, Province, Role, Task, User
from tracker.services import national_rollups, provinces
from tracker.services.communes import load_register
from tracker.services.permissions import visible_tasks

LAI_CHAU = "12"  # the smallest province of the register: 38 communes


@pytest.fixture
def two_provinces(world: World, clock: FixedClock) -> tuple[Province, Province]:
    """Hải Phòng (the world's communes, without a province row: the home province) and
    Lai Châu, switched on, with one plan and a Sở Nội vụ of its own."""
    load_register()
    lai_chau, added = provinces.enable_province(LAI_CHAU, clock)
    assert added == 38
    home = provinces.home_province()
    assert home is not None
    db.session.commit()
    return home, lai_chau


def _lai_chau_commune(lai_chau: Province) -> Commune:
    return db.session.scalars(
        select(Commune).where(Commune.province_id == lai_chau.id).order_by(Commune.name)
    ).first()


def _lai_chau_admin(lai_chau: Province) -> User:
    user = make_user(Role.CITY_ADMIN, username="sonoivu.laichau", province_id=lai_chau.id)
    db.session.commit()
    return user


def test_enabling_a_province_loads_its_communes_once(
    app: Flask, two_provinces: tuple[Province, Province], clock: FixedClock
) -> None:
    _home, lai_chau = two_provinces
    assert provinces.enable_province("Lai Châu", clock)[1] == 0
    communes = db.session.scalars(select(Commune).where(Commune.province_id == lai_chau.id)).all()
    assert len(communes) == 38
    assert all(c.slug.endswith("-lai-chau") for c in communes)
    assert all(c.units for c in communes)  # the standard units of each
    listing = {row.codename: row for row in provinces.list_provinces()}
    assert len(listing) == 34
    assert (listing["lai_chau"].commune_count, listing["lai_chau"].register_count) == (38, 38)
    assert listing["hai_phong"].commune_count == 114
    assert listing["ha_noi"].province is None
    with pytest.raises(provinces.ProvinceError, match="Atlantis"):
        provinces.enable_province("Atlantis", clock)


def test_each_sở_nội_vụ_sees_its_province_and_bộ_nội_vụ_sees_all(
    app: Flask, world: World, two_provinces: tuple[Province, Province]
) -> None:
    _home, lai_chau = two_provinces
    commune = _lai_chau_commune(lai_chau)
    plan = make_plan(commune)
    far_task = make_task(plan.tasks[0], unit_named(commune, "Phòng Văn hóa - Xã hội"))
    db.session.commit()
    hai_phong_admin = world.users[Role.CITY_ADMIN]
    national = world.users[Role.NATIONAL]
    lai_chau_admin = _lai_chau_admin(lai_chau)

    def seen(user: User) -> set[int]:
        return {t.id for t in db.session.scalars(visible_tasks(user))}

    everything = set(db.session.scalars(select(Task.id)))
    assert seen(national) == everything
    assert seen(lai_chau_admin) == {far_task.id}
    assert seen(hai_phong_admin) == everything - {far_task.id}


def test_national_rollup_counts_each_province_against_its_target(
    app: Flask, world: World, two_provinces: tuple[Province, Province], clock: FixedClock
) -> None:
    home, lai_chau = two_provinces
    provinces.set_target(lai_chau, 2026, 0.5, 0.1)
    commune = _lai_chau_commune(lai_chau)
    db.session.add(CommuneLevel(commune_id=commune.id, year=2026, reached_level=4))
    db.session.commit()
    rollup = national_rollups.national_rollup(2026, clock.now().date())
    rows = {r.province.codename: r for r in rollup.rows}
    assert rows["lai_chau"].commune_count == 38 and rows["hai_phong"].commune_count == 114
    assert rows["lai_chau"].level_4_count == 1
    assert rows["lai_chau"].target is not None and rows["lai_chau"].target.reach_standard == 0.5
    assert rows["lai_chau"].meets_reach_target is False  # 1 of 38 reached, 50% wanted
    assert rows["hai_phong"].target is not None and rows["hai_phong"].target.level_4 == 0.20
    world_tasks = db.session.scalar(select(func.count(Task.id)).where(Task.year == 2026))
    assert rows["hai_phong"].counts.total + rows["lai_chau"].counts.total <= world_tasks
    assert rows["hai_phong"].counts.total > 0
    with pytest.raises(provinces.ProvinceError):
        provinces.set_target(home, 2026, 1.5, 0.2)


def test_bộ_nội_vụ_pages_and_api(
    client: FlaskClient, world: World, two_provinces: tuple[Province, Province], clock: FixedClock
) -> None:
    _home, lai_chau = two_provinces
    national = world.users[Role.NATIONAL]
    token = token_for(national, clock)
    body = client.get("/api/v1/rollups/national?year=2026", headers=bearer(token)).get_json()
    conforms(client, body, "NationalRollup")
    assert body["summary"]["provinces"] == 2 and body["summary"]["communes"] == 152
    drill = client.get("/api/v1/rollups/city?year=2026&province=12", headers=bearer(token))
    assert drill.status_code == 200
    conforms(client, drill.get_json(), "CityRollup")
    assert drill.get_json()["summary"]["communes"] == 38
    assert drill.get_json()["province"]["name"] == "Lai Châu"
    assert client.get("/api/v1/rollups/city?province=1", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/rollups/city", headers=bearer(token)).status_code == 400
    login(client, national)
    page = client.get("/toan-quoc?nam=2026")
    assert page.status_code == 200
    assert "Lai Châu" in page_text(page) and "Kết quả các tỉnh, thành phố" in page_text(page)
    assert client.get("/thanh-pho").status_code == 302  # to the national page: pick a province
    city = client.get("/thanh-pho?tinh=12&nam=2026")
    assert city.status_code == 200 and "tinh=12" in page_text(city)
    # Read-only: recording a level, managing accounts, importing are the province's.
    slug = _lai_chau_commune(lai_chau).slug
    assert client.get(f"/thanh-pho/{slug}/ket-qua").status_code == 403
    assert client.get(f"/quan-tri/{slug}").status_code == 403


def test_sở_nội_vụ_of_another_province_gets_404_for_hải_phòng(
    client: FlaskClient, world: World, two_provinces: tuple[Province, Province], clock: FixedClock
) -> None:
    _home, lai_chau = two_provinces
    admin = _lai_chau_admin(lai_chau)
    own = _lai_chau_commune(lai_chau)
    login(client, admin)
    assert client.get(f"/viec/{world.overdue.id}").status_code == 404
    assert client.get(f"/tong-hop?xa={world.home.slug}").status_code == 404
    assert client.get(f"/quan-tri/{world.home.slug}").status_code == 404
    assert client.get(f"/thanh-pho/{world.home.slug}/ket-qua").status_code == 404
    assert client.get(f"/quan-tri/{own.slug}").status_code == 200
    assert client.get("/toan-quoc").status_code == 403
    city = client.get("/thanh-pho?nam=2026")
    assert city.status_code == 200
    assert own.name in page_text(city) and world.home.name not in page_text(city)
    token = token_for(admin, clock)
    body = client.get("/api/v1/rollups/city?year=2026&province=31", headers=bearer(token))
    assert body.get_json()["summary"]["communes"] == 38  # its own, whatever it names
    tasks = client.get("/api/v1/tasks", headers=bearer(token)).get_json()
    assert tasks["items"] == []
    assert client.get("/api/v1/rollups/national", headers=bearer(token)).status_code == 403


def test_provinces_cli(app: Flask, database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    runner = CliRunner()
    enabled = runner.invoke(main, ["provinces", "enable", "lai_chau"], env=env)
    assert enabled.exit_code == 0, enabled.output
    assert "Lai Châu (code 12) enabled: 38 new communes" in enabled.output
    target = runner.invoke(main, ["provinces", "target", "12", "2027", "1", "0.3"], env=env)
    assert target.exit_code == 0, target.output
    listed = runner.invoke(main, ["provinces", "list"], env=env)
    assert listed.exit_code == 0
    line = next(li for li in listed.output.splitlines() if "lai_chau" in li)
    assert "enabled" in line and "38/38" in line and "2027: 100%/30%" in line
    bad = runner.invoke(main, ["provinces", "target", "12", "2027", "2", "0.3"], env=env)
    assert bad.exit_code == 1 and "0 đến 1" in bad.output
    unknown = runner.invoke(main, ["provinces", "enable", "Atlantis"], env=env)
    assert unknown.exit_code == 1 and "Atlantis" in unknown.output
    off = runner.invoke(main, ["provinces", "target", "ha_noi", "2027", "1", "0.3"], env=env)
    assert off.exit_code == 1 and "not enabled" in off.output
