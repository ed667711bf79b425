"""The English /calendars/ address the feeds and pages had first still works after the move."""

from __future__ import annotations

import logging
import urllib.request

import pytest
from flask.testing import FlaskClient

from tests.calendars.conftest import CalendarWorld, issue, login
from tracker.models import CalendarScope, Role
from tracker.web.calendars import mask_feed_tokens


def test_a_feed_subscribed_at_the_old_address_is_still_served(
    client: FlaskClient, cworld: CalendarWorld
) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    new = client.get(f"/lich/{secret}.ics")
    old = client.get(f"/calendars/{secret}.ics")
    assert old.status_code == 200 and old.headers["Content-Type"] == new.headers["Content-Type"]
    assert old.get_data() == new.get_data() and b"BEGIN:VEVENT" in old.get_data()
    assert old.headers["ETag"] == new.headers["ETag"]
    todo = client.get(f"/calendars/{secret}.ics?component=vtodo").get_data()
    assert b"BEGIN:VTODO" in todo
    assert client.get(f"/calendars/{secret[::-1]}.ics").status_code == 404


def test_old_page_addresses_move_permanently_and_keep_the_method(
    client: FlaskClient, cworld: CalendarWorld
) -> None:
    login(client, cworld.users[Role.CHAIRMAN])
    page = client.get("/calendars/?x=1")
    assert page.status_code == 308 and page.headers["Location"].endswith("/lich/?x=1")
    posted = client.post("/calendars/", data={"scope": "own", "device_name": "Máy tính"})
    assert posted.status_code == 308 and posted.headers["Location"].endswith("/lich/")
    revoke = client.post("/calendars/7/thu-hoi")
    assert revoke.status_code == 308 and revoke.headers["Location"].endswith("/lich/7/thu-hoi")
    text = client.get("/lich/").get_data(as_text=True)
    assert "/calendars/" not in text  # the page offers only the new address


def test_an_old_feed_url_is_masked_in_the_logs(
    live_server: str, cworld: CalendarWorld, caplog: pytest.LogCaptureFixture
) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    caplog.set_level(logging.INFO)
    with urllib.request.urlopen(f"{live_server}/calendars/{secret}.ics") as answer:
        assert answer.status == 200
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and "/calendars/***.ics" in logged
    assert secret not in mask_feed_tokens(f"GET /calendars/{secret} HTTP/1.1")
