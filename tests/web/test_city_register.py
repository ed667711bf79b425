"""The city as it is: every commune of Hải Phòng has a row, with a plan or not."""

from __future__ import annotations

import re

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.web.conftest import World, login
from tests.web.test_api import bearer, conforms, token_for
from tracker.cli import main
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.importing.communes import all_communes
from tracker.models import Commune, Plan, Role, Unit
from tracker.services.communes import load_register


def test_the_register_gives_every_commune_a_row_once(app: Flask) -> None:
    assert load_register() == 114
    db.session.commit()
    assert load_register() == 0
    communes = db.session.scalars(select(Commune).where(Commune.kind != "city")).all()
    assert len(communes) == len(all_communes()) == 114
    focal = db.session.scalar(select(func.count(Unit.id)).where(Unit.is_focal.is_(True)))
    assert focal == 115  # each commune's Phòng Văn hóa - Xã hội, and the city's Sở Nội vụ


def test_db_upgrade_loads_the_register(app: Flask, database_url: str) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    assert "commune register loaded (114 new)" in result.output
    again = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": database_url})
    assert "commune register loaded (0 new)" in again.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Commune.id)).where(Commune.kind != "city")) == 114


def test_the_city_rollup_lists_all_114(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    load_register()
    db.session.commit()
    with_plans = set(db.session.scalars(select(Plan.commune_id).distinct()))
    without = 114 - len(with_plans)  # the world's two communes both have a plan
    assert without == 112
    token = token_for(world.users[Role.CITY_ADMIN], clock)
    body = client.get("/api/v1/rollups/city?year=2026", headers=bearer(token)).get_json()
    conforms(client, body, "CityRollup")
    assert body["summary"]["communes"] == len(body["communes"]) == 114
    assert body["summary"]["without_plan"] == without
    by_name = {row["commune"]["name"]: row for row in body["communes"]}
    assert by_name["Phường Hòa Bình"]["plan_count"] == 1
    assert by_name["Phường Hòa Bình"]["total"] > 0
    assert by_name["Xã Phú Thái"]["plan_count"] == 1
    assert by_name["Phường Thủy Nguyên"]["plan_count"] == 0
    assert by_name["Phường Thủy Nguyên"]["total"] == 0
    assert all(row["registered_level"] is None for row in body["communes"])
    login(client, world.users[Role.CITY_ADMIN])
    page = client.get("/thanh-pho?nam=2026").get_data(as_text=True)
    assert page.count('<tr id="xa-') == 114
    assert page.count("chưa có kế hoạch") == without
    assert page.count("chưa đăng ký mức") == 114
    assert f"{without}/114" in page  # communes without a plan, in the summary
    # The city looks at any year of the period, next year's registrations included.
    years = set(re.findall(r'<option value="(\d{4})"', page))
    assert {"2026", "2027", "2030"} <= years
