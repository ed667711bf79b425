"""The feed over HTTP (validators, 304, 404s), the subscribe page, and secrets kept out of logs."""

from __future__ import annotations

import datetime as dt
import logging
import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.calendars.conftest import NOW, CalendarWorld, issue, login
from tracker.extensions import db
from tracker.models import CalendarScope, CalendarToken, Role
from tracker.services.calendar_tokens import hash_token
from tracker.web.calendars import FeedTokenFilter, mask_feed_tokens


def test_validators_and_304(client: FlaskClient, cworld: CalendarWorld, clock: object) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    first = client.get(f"/lich/{secret}.ics")
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    cache = first.headers["Cache-Control"]
    assert "private" in cache and re.search(r"max-age=(\d+)", cache)
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) <= 3600  # type: ignore[union-attr]
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and modified

    again = client.get(f"/lich/{secret}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and "private" in again.headers["Cache-Control"]
    since = client.get(f"/lich/{secret}.ics", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    clock.advance(dt.timedelta(hours=1))  # type: ignore[attr-defined]
    assert (
        client.get(f"/lich/{secret}.ics", headers={"If-None-Match": etag}).status_code == 304
    )

    task = cworld.tasks[0]
    task.status = "awaiting_review"
    task.sequence += 1
    task.updated_at = NOW + dt.timedelta(hours=2)
    db.session.commit()
    changed = client.get(f"/lich/{secret}.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "[Chờ duyệt]" in changed.get_data(as_text=True)

    vtodo = client.get(f"/lich/{secret}.ics?component=vtodo")
    assert vtodo.status_code == 200 and vtodo.headers["ETag"] != changed.headers["ETag"]
    assert client.get(f"/lich/{secret}.ics?component=vjournal").status_code == 404


def test_unknown_and_revoked_tokens_are_404(client: FlaskClient, cworld: CalendarWorld) -> None:
    head = cworld.users[Role.UNIT_HEAD]
    secret = issue(head, CalendarScope.UNIT)
    assert client.get(f"/lich/{secret}.ics").status_code == 200
    assert client.get(f"/lich/{secret[:-1]}x.ics").status_code == 404
    assert client.get("/lich/short.ics").status_code == 404
    row = db.session.scalars(db.select(CalendarToken)).one()
    assert row.token_hash == hash_token(secret) and secret not in row.token_hash
    assert row.last_used_at == NOW

    login(client, head)
    assert client.post(f"/lich/{row.id}/thu-hoi").status_code == 302
    assert client.get(f"/lich/{secret}.ics").status_code == 404
    assert client.post(f"/lich/{row.id}/thu-hoi").status_code == 404  # already revoked


def test_moving_unit_or_role_closes_the_old_feed(
    client: FlaskClient, cworld: CalendarWorld
) -> None:
    head = cworld.users[Role.UNIT_HEAD]
    unit_feed = issue(head, CalendarScope.UNIT)
    own_feed = issue(head, CalendarScope.OWN)
    chairman = cworld.users[Role.CHAIRMAN]
    commune_feed = issue(chairman, CalendarScope.COMMUNE)

    head.unit_id = cworld.economy.id  # moved to another department
    db.session.commit()
    assert client.get(f"/lich/{unit_feed}.ics").status_code == 404
    assert client.get(f"/lich/{own_feed}.ics").status_code == 200  # my tasks follow me
    head.unit_id = cworld.office.id  # and back: the feed was never revoked
    db.session.commit()
    assert client.get(f"/lich/{unit_feed}.ics").status_code == 200

    chairman.role = str(Role.UNIT_HEAD)  # no longer commune-wide
    chairman.unit_id = cworld.office.id
    db.session.commit()
    assert client.get(f"/lich/{commune_feed}.ics").status_code == 404

    head.is_enabled = False
    db.session.commit()
    assert client.get(f"/lich/{own_feed}.ics").status_code == 404


def test_another_persons_feed_cannot_be_revoked(client: FlaskClient, cworld: CalendarWorld) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    token_id = db.session.scalars(db.select(CalendarToken.id)).one()
    login(client, cworld.users[Role.UNIT_HEAD])
    assert client.post(f"/lich/{token_id}/thu-hoi").status_code == 404
    assert client.get(f"/lich/{secret}.ics").status_code == 200


def test_subscribe_page(client: FlaskClient, cworld: CalendarWorld) -> None:
    assert client.get("/lich/").status_code == 302  # log in first
    login(client, cworld.users[Role.CHAIRMAN])
    page = client.get("/lich/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Google Calendar có thể mất đến một ngày" in text
    assert "Thư nhắc việc qua email vẫn được gửi đúng hạn" in text
    assert 'value="commune"' in text and 'value="city"' not in text
    assert "Bạn chưa có đường dẫn lịch nào." in text

    # The same browser, reaching the app under a forged Host: its cookie goes along.
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value, domain="evil.example")
    created = client.post(
        "/lich/",
        data={"scope": "commune", "device_name": "  Điện thoại  của tôi ", "alarm": "-960"},
        headers={"Host": "evil.example"},
    )
    text = created.get_data(as_text=True)
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    https_url = re.search(r'value="(https://han\.test/lich/[^"]+\.ics)"', text).group(1)  # type: ignore[union-attr]
    secret = https_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(secret) >= 43  # 32 random bytes
    webcal = f"webcal://han.test/lich/{secret}.ics"
    assert f'href="{webcal}"' in text and "evil.example" not in text
    google = re.search(r'href="(https://calendar\.google\.com/calendar/r\?[^"]+)"', text).group(1)  # type: ignore[union-attr]
    assert parse_qs(urlsplit(google.replace("&amp;", "&")).query)["cid"] == [webcal]
    outlook = re.search(r'href="(https://outlook\.live\.com/calendar/0/addfromweb\?[^"]+)"', text)
    query = parse_qs(urlsplit(outlook.group(1).replace("&amp;", "&")).query)  # type: ignore[union-attr]
    assert query["url"] == [https_url] and query["name"] == ["Hạn · Phường Hòa Bình"]
    assert "<svg" in text and "<?xml" not in text  # the QR code, inline
    assert f"{https_url}?component=vtodo" in text
    assert "Điện thoại của tôi" in text  # listed, whitespace tidied

    anonymous = client.application.test_client()
    assert anonymous.get(f"/lich/{secret}.ics").status_code == 200  # no session needed
    row = db.session.scalars(db.select(CalendarToken)).one()
    assert row.alarm_minutes == -960 and row.device_name == "Điện thoại của tôi"

    login(client, cworld.users[Role.CHAIRMAN])
    listing = client.get("/lich/").get_data(as_text=True)
    assert secret not in listing  # shown once, never again
    assert "Điện thoại của tôi" in listing


def test_page_refuses_what_the_role_may_not_have(
    client: FlaskClient, cworld: CalendarWorld
) -> None:
    login(client, cworld.users[Role.UNIT_STAFF])
    refused = client.post("/lich/", data={"scope": "commune", "device_name": "Máy tính"})
    assert refused.status_code == 400
    assert "Vai trò của bạn không được tạo lịch phạm vi này." in refused.get_data(as_text=True)
    no_name = client.post("/lich/", data={"scope": "own", "device_name": "  "})
    assert no_name.status_code == 400
    assert db.session.scalars(db.select(CalendarToken)).all() == []


def test_city_admin_chooses_a_kind(client: FlaskClient, cworld: CalendarWorld) -> None:
    login(client, cworld.users[Role.CITY_ADMIN])
    text = client.get("/lich/").get_data(as_text=True)
    assert 'value="city"' in text and 'value="tu-danh-gia"' in text
    created = client.post(
        "/lich/", data={"scope": "city", "kind": "tu-danh-gia", "device_name": "Outlook"}
    )
    assert created.status_code == 200
    assert "Tự đánh giá, chấm điểm — toàn thành phố" in created.get_data(as_text=True)


# -- logs -------------------------------------------------------------------------------------


def test_no_token_in_the_access_log(
    live_server: str, cworld: CalendarWorld, caplog: pytest.LogCaptureFixture
) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    caplog.set_level(logging.INFO)
    with urllib.request.urlopen(f"{live_server}/lich/{secret}.ics?component=vtodo") as answer:
        assert answer.status == 200
        assert b"BEGIN:VTODO" in answer.read()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{live_server}/lich/{secret[::-1]}.ics")
    assert missing.value.code == 404
    access = [r for r in caplog.records if r.name == "werkzeug"]
    assert len(access) >= 2  # the log is really there, and it was captured
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and secret[::-1] not in logged
    assert "/lich/***.ics?component=vtodo" in logged


def test_the_filter_masks_every_server_format(app: Flask) -> None:
    secret = "q0Vx9m2kN1_-aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2u"
    lines = [
        f'127.0.0.1 - - [04/May/2026 09:00:00] "GET /lich/{secret}.ics HTTP/1.1" 200 -',
        f"Exception while serving /lich/{secret}.ics",  # waitress
        f'10.0.0.1 - - [04/May/2026:09:00:00 +0700] "GET /lich/{secret} HTTP/1.1" 404 0',
    ]
    for line in lines:
        assert secret not in mask_feed_tokens(line)
    assert mask_feed_tokens("GET /lich/ HTTP/1.1") == "GET /lich/ HTTP/1.1"
    record = logging.LogRecord(
        "waitress", logging.ERROR, __file__, 1, "serving %s", (lines[1],), None
    )
    assert FeedTokenFilter().filter(record) is True
    assert secret not in record.getMessage() and "/lich/***.ics" in record.getMessage()
    for name in ("werkzeug", "waitress"):
        assert any(isinstance(f, FeedTokenFilter) for f in logging.getLogger(name).filters)
