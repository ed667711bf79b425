"""Disabling an account or resetting its password ends that account's open sessions."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import World, login
from tracker.models import Role


def _signed_in(person: FlaskClient) -> bool:
    response = person.get("/viec")
    return response.status_code == 200


def test_disabling_an_account_logs_its_browsers_out(
    app: Flask, client: FlaskClient, world: World
) -> None:
    staff = world.users[Role.UNIT_STAFF]
    browser, phone = app.test_client(), app.test_client()
    login(browser, staff)
    login(phone, staff)
    assert _signed_in(browser) and _signed_in(phone)
    login(client, world.users[Role.CITY_ADMIN])
    saved = client.post(f"/quan-tri/{world.home.slug}/tai-khoan/{staff.id}",
                        data={"role": "unit_staff", "unit": str(world.office.id)})
    assert saved.status_code == 302
    for person in (browser, phone):
        response = person.get("/viec")
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]
    assert _signed_in(client)  # the administrator's own session is untouched


def test_a_password_reset_logs_the_account_out_everywhere(
    app: Flask, client: FlaskClient, world: World
) -> None:
    head = world.users[Role.UNIT_HEAD]
    browser = app.test_client()
    login(browser, head)
    assert _signed_in(browser)
    login(client, world.users[Role.CITY_ADMIN])
    reset = client.post(f"/quan-tri/{world.home.slug}/tai-khoan/{head.id}/mat-khau")
    assert reset.status_code == 302
    response = browser.get("/viec")
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_saving_an_enabled_account_keeps_its_sessions(
    app: Flask, client: FlaskClient, world: World
) -> None:
    staff = world.users[Role.UNIT_STAFF]
    browser = app.test_client()
    login(browser, staff)
    login(client, world.users[Role.CITY_ADMIN])
    client.post(f"/quan-tri/{world.home.slug}/tai-khoan/{staff.id}",
                data={"role": "unit_staff", "unit": str(world.office.id), "is_enabled": "1"})
    assert _signed_in(browser)
