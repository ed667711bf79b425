"""Feeds fetched through the app, read by two independent parsers, compared with the task table."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.calendars.checks import (
    FeedMismatch,
    Item,
    assert_same,
    check_octets,
    events_between,
    expected_events,
    expected_rows,
    icaljs_available,
    items_by_icalendar,
    items_by_icaljs,
    parse_with_icaljs,
)
from tests.calendars.conftest import NOW, CalendarWorld, issue
from tests.tools import require_tool
from tracker.extensions import db
from tracker.models import CalendarScope, Role, Task
from tracker.services import calendars

UID_HOST = "han.haiphong.gov.vn"  # CALENDAR_UID_HOST's default

needs_icaljs = pytest.mark.usefixtures("icaljs")


@pytest.fixture
def icaljs() -> None:
    require_tool(icaljs_available(), "node or ical.js is missing (npm ci)")


def fetch(client: FlaskClient, secret: str, query: str = "") -> bytes:
    response = client.get(f"/lich/{secret}.ics{query}")
    assert response.status_code == 200, response.status
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response.get_data()


def scopes_and_rows(cworld: CalendarWorld) -> list[tuple[Role, CalendarScope, list[Task]]]:
    staff = cworld.users[Role.UNIT_STAFF]
    return [
        (Role.CHAIRMAN, CalendarScope.COMMUNE, cworld.tasks),
        (Role.UNIT_HEAD, CalendarScope.UNIT, cworld.rows(unit_id=cworld.office.id)),
        (Role.FOCAL_OFFICER, CalendarScope.UNIT, cworld.rows(unit_id=cworld.focal.id)),
        (Role.UNIT_STAFF, CalendarScope.OWN, cworld.rows(assignee_id=staff.id)),
    ]


@needs_icaljs
def test_both_parsers_read_the_task_table(
    client: FlaskClient, cworld: CalendarWorld, tmp_path: Path
) -> None:
    for role, scope, rows in scopes_and_rows(cworld):
        body = fetch(client, issue(cworld.users[role], scope))
        shown = expected_rows(rows, NOW)
        expected = expected_events(shown, UID_HOST)
        assert expected, f"{role}: the world must give this feed something to show"
        check_octets(body)
        assert_same(items_by_icalendar(body), expected, "python icalendar")
        assert_same(items_by_icaljs(body, tmp_path), expected, "ical.js")
        # recurring-ical-events sees each occurrence exactly once, on its due date.
        occurrences = events_between(body, dt.date(2026, 1, 1), dt.date(2031, 1, 1))
        assert occurrences == sorted((i.uid, i.start) for i in expected)
        assert len({uid for uid, _ in occurrences}) == len(shown)


def test_the_feed_holds_what_the_task_table_says(
    client: FlaskClient, cworld: CalendarWorld
) -> None:
    body = fetch(client, issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE))
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    rows = expected_rows(cworld.tasks, NOW)
    # 5 years × 4 tasks, plus the cancelled one; minus the task done in March (gone) and the
    # undated one (no event).
    assert len(events) == len(rows) == 21
    gone = cworld.rows(occurrence_key="2026-Q1")[0]
    assert not any(uid.startswith(f"task-{gone.id}-") for uid in events)

    task = cworld.rows(unit_id=cworld.office.id, occurrence_key="2028")[0]
    event = events[f"task-{task.id}-2028@{UID_HOST}"]
    assert event["SEQUENCE"] == 2
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == task.updated_at
    assert event["STATUS"] == "CONFIRMED" and event["TRANSP"] == "TRANSPARENT"
    summary = str(event["SUMMARY"])
    assert summary.startswith("[Chưa đến kỳ] Rà soát, cập nhật") or summary.startswith(
        "[Đang thực hiện] Rà soát, cập nhật"
    )
    assert summary.endswith("— Văn phòng HĐND và UBND")
    description = str(event["DESCRIPTION"])
    assert task.plan_item.title in description  # the annex text, in full
    assert "Thời gian thực hiện: Thường xuyên, xuyên suốt năm; Quý IV hằng năm" in description
    assert "Chủ trì: Trung tâm Phục vụ hành chính công, Văn phòng HĐND và UBND" in description
    assert "Phối hợp: Các phòng, cơ quan, đơn vị" in description
    assert "Sản phẩm: Ảnh chụp bảng niêm yết; đường dẫn trang thông tin điện tử" in description
    assert f"https://han.test/viec/{task.id}" in description
    assert str(event["URL"]) == f"https://han.test/viec/{task.id}"

    done = events[f"task-{cworld.tasks[2].id}-2026@{UID_HOST}"]
    assert done["STATUS"] == "CANCELLED"
    assert str(done["SUMMARY"]).startswith("[Hoàn thành đúng hạn]")

    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["X-WR-CALNAME"] == "Hạn · Phường Hòa Bình"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    # All-day dates and UTC stamps only: no time of day, so no VTIMEZONE and no TZID.
    assert b"VTIMEZONE" not in body and b"TZID" not in body


def test_an_unchanged_feed_is_byte_identical_and_changes_raise_sequence(
    app: Flask, client: FlaskClient, cworld: CalendarWorld, clock: object
) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    first = fetch(client, secret)
    clock.advance(dt.timedelta(hours=3))  # type: ignore[attr-defined]
    assert fetch(client, secret) == first  # time passing alone changes nothing

    task = cworld.rows(unit_id=cworld.focal.id, occurrence_key="2027")[0]
    task.due_on = dt.date(2027, 11, 13)
    task.sequence += 1
    task.updated_at = NOW + dt.timedelta(hours=3)
    db.session.commit()
    changed = icalendar.Calendar.from_ical(fetch(client, secret))
    event = next(e for e in changed.walk("VEVENT") if e["UID"].startswith(f"task-{task.id}-"))
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt == dt.date(2027, 11, 13)
    assert event["DTSTAMP"].dt == NOW + dt.timedelta(hours=3)


def test_uid_host_comes_from_configuration_not_the_request(
    app: Flask, client: FlaskClient, cworld: CalendarWorld
) -> None:
    secret = issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE)
    body = client.get(f"/lich/{secret}.ics", headers={"Host": "evil.example"}).get_data()
    assert b"evil.example" not in body
    assert body.count(f"@{UID_HOST}".encode()) == 21
    app.config["CALENDAR_UID_HOST"] = "lich.haiphong.test"
    assert fetch(client, secret).count(b"@lich.haiphong.test") == 21


@needs_icaljs
def test_vtodo_variant(client: FlaskClient, cworld: CalendarWorld, tmp_path: Path) -> None:
    body = fetch(
        client, issue(cworld.users[Role.FOCAL_OFFICER], CalendarScope.UNIT), "?component=vtodo"
    )
    check_octets(body)
    rows = expected_rows(cworld.rows(unit_id=cworld.focal.id), NOW, need_date=False)
    expected = set()
    for row in rows:
        has_start = row.due_on is None or row.opens_on < row.due_on
        status = {"done_on_time": "COMPLETED", "not_due": "NEEDS-ACTION"}.get(
            row.status, "IN-PROCESS"
        )
        expected.add(
            Item(
                uid=f"todo-{row.id}-{row.occurrence_key}@{UID_HOST}",
                start=row.opens_on if has_start else None,
                end=row.due_on,
                sequence=row.sequence,
                status=status,
            )
        )
    assert any(item.end is None for item in expected)  # the undated, ongoing task
    assert_same(items_by_icalendar(body), expected, "python icalendar")
    assert_same(items_by_icaljs(body, tmp_path), expected, "ical.js")
    assert b"BEGIN:VEVENT" not in body


@needs_icaljs
def test_display_alarm(client: FlaskClient, cworld: CalendarWorld, tmp_path: Path) -> None:
    secret = issue(cworld.users[Role.UNIT_HEAD], CalendarScope.UNIT, alarm_minutes=-960)
    parsed = parse_with_icaljs(fetch(client, secret), tmp_path)
    for item in parsed["items"]:  # type: ignore[attr-defined]
        expected = [] if item["status"] == "CANCELLED" else ["-PT16H"]
        assert item["alarms"] == expected, item
    assert parsed["refresh"] == "PT1H" and parsed["ttl"] == "PT1H"


def test_city_feed_of_one_kind_of_deadline(client: FlaskClient, cworld: CalendarWorld) -> None:
    body = fetch(
        client, issue(cworld.users[Role.CITY_ADMIN], CalendarScope.CITY, kind="tu-danh-gia")
    )
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    every = cworld.tasks + cworld.foreign
    wanted = [
        t
        for t in expected_rows(every, NOW)
        if "tự đánh giá" in t.title.lower() or "chấm điểm" in t.title.lower()
    ]
    assert {str(e["UID"]) for e in events} == {i.uid for i in expected_events(wanted, UID_HOST)}
    assert any("Xã Phú Thái" in str(e["SUMMARY"]) for e in events)  # the commune is named


@needs_icaljs
def test_negative_control_the_checks_can_fail(
    client: FlaskClient, cworld: CalendarWorld, tmp_path: Path
) -> None:
    """Each check catches a deliberately wrong feed or a wrong expectation."""
    body = fetch(client, issue(cworld.users[Role.CHAIRMAN], CalendarScope.COMMUNE))
    expected = expected_events(expected_rows(cworld.tasks, NOW), UID_HOST)
    shifted = {dataclasses.replace(i, start=i.start + dt.timedelta(days=1)) if n == 0 else i
               for n, i in enumerate(sorted(expected, key=str))}  # fmt: skip
    with pytest.raises(FeedMismatch):
        assert_same(items_by_icalendar(body), shifted, "python icalendar")
    with pytest.raises(FeedMismatch):
        assert_same(items_by_icaljs(body, tmp_path), set(list(expected)[1:]), "ical.js")

    # A feed with one event removed, as a buggy generator might write it.
    start = body.index(b"BEGIN:VEVENT")
    without_one = body[:start] + body[body.index(b"END:VEVENT\r\n", start) + 12 :]
    with pytest.raises(FeedMismatch):
        assert_same(items_by_icaljs(without_one, tmp_path), expected, "ical.js")
    with pytest.raises(FeedMismatch):
        assert_same(items_by_icalendar(without_one), expected, "python icalendar")

    # Octets: LF endings, an over-long line, a fold inside "ệ" (3 octets), a missing CRLF.
    with pytest.raises(FeedMismatch, match="bare CR or LF"):
        check_octets(body.replace(b"\r\nEND:VEVENT", b"\nEND:VEVENT", 1))
    with pytest.raises(FeedMismatch, match="octets"):
        check_octets(
            body.replace(b"\r\nEND:VCALENDAR", b"\r\nX-LONG:" + b"a" * 70 + b"\r\nEND:VCALENDAR")
        )
    split = "ệ".encode()
    with pytest.raises(FeedMismatch, match="UTF-8"):
        check_octets(
            body.replace(
                b"\r\nEND:VCALENDAR",
                b"\r\nX-V:" + split[:2] + b"\r\n " + split[2:] + b"\r\nEND:VCALENDAR",
            )
        )
    with pytest.raises(FeedMismatch, match="CRLF"):
        check_octets(body[:-2])
    # A date-time where a date belongs is caught by both readers.
    timed = body.replace(b"DTSTART;VALUE=DATE:20261114", b"DTSTART:20261114T090000", 1)
    with pytest.raises(FeedMismatch):
        items_by_icalendar(timed)
    with pytest.raises(FeedMismatch):
        items_by_icaljs(timed, tmp_path)


def test_folding_never_splits_a_vietnamese_character(app: Flask) -> None:
    """Every fold position across a long Vietnamese line, composed and decomposed."""
    import unicodedata

    text = "Nhiệm vụ: Đăng ký mức độ đạt chuẩn “Chính quyền thân thiện” – Phòng Văn hóa - Xã hội. "
    for shift in range(12):
        for form in ("NFC", "NFD"):
            calendar = icalendar.Calendar()
            calendar.add("prodid", "-//test//VI")
            calendar.add("version", "2.0")
            event = icalendar.Event()
            event.add("uid", "x@test")
            event.add("dtstamp", NOW)
            event.add("summary", unicodedata.normalize(form, "x" * shift + text * 4))
            calendar.add_component(event)
            body = calendar.to_ical()
            check_octets(body)
            unfolded = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]
            assert unfolded == unicodedata.normalize(form, "x" * shift + text * 4)


def test_timezone_is_added_when_a_time_of_day_appears() -> None:
    from zoneinfo import ZoneInfo

    header = icalendar.Calendar()
    header.add("version", "2.0")
    deadline = icalendar.Event()
    deadline.add("uid", "a@test")
    deadline.add("dtstart", dt.date(2026, 11, 14))
    meeting = icalendar.Event()
    meeting.add("uid", "b@test")
    meeting.add("dtstart", dt.datetime(2026, 11, 14, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))

    dates_only = calendars.render_calendar(header, [calendars.block_of(deadline)])
    assert b"VTIMEZONE" not in dates_only
    body = calendars.render_calendar(
        header, [calendars.block_of(deadline), calendars.block_of(meeting)]
    )
    check_octets(body)
    assert body.count(b"BEGIN:VTIMEZONE") == 1
    assert body.index(b"BEGIN:VTIMEZONE") < body.index(b"BEGIN:VEVENT")  # before its users
    assert b"TZID:Asia/Ho_Chi_Minh" in body and b"TZOFFSETTO:+0700" in body
    parsed = icalendar.Calendar.from_ical(body).walk("VEVENT")[1]["DTSTART"].dt
    assert parsed.utcoffset() == dt.timedelta(hours=7)


def test_serialisation_matches_icalendar_to_ical(
    client: FlaskClient, cworld: CalendarWorld
) -> None:
    """Our line assembly gives icalendar's own lines; folding differs only in where it cuts
    (icalendar stops at 74 octets when a line has non-ASCII text, we use all 75)."""

    def unfold(data: bytes) -> bytes:
        return data.replace(b"\r\n ", b"")

    head = cworld.users[Role.FOCAL_OFFICER]
    for query in ("", "?component=vtodo"):
        body = fetch(client, issue(head, CalendarScope.UNIT, alarm_minutes=-3840), query)
        reference = icalendar.Calendar.from_ical(body).to_ical(sorted=False)
        assert unfold(reference) == unfold(body)
        check_octets(reference)
    event = icalendar.Event()
    event.add("summary", "Đăng ký mức độ đạt chuẩn " * 9)
    event.add("dtstart", dt.datetime(2026, 11, 14, 8, 0, tzinfo=dt.UTC))
    assert unfold(calendars.serialize(event)) == unfold(event.to_ical(sorted=False))


@needs_icaljs
def test_an_empty_feed_is_still_a_calendar_both_parsers_read(tmp_path: Path) -> None:
    """A unit with no tasks gets a VCALENDAR with its VTIMEZONE: RFC 5545 wants a component,
    and ical.js refuses a calendar without one."""
    header = icalendar.Calendar()
    header.add("prodid", calendars.PRODID)
    header.add("version", "2.0")
    header.add("x-wr-calname", "Mặt trận Tổ quốc")
    body = calendars.render_calendar(header, [])
    check_octets(body)
    assert body.count(b"BEGIN:VTIMEZONE") == 1
    assert icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    parsed = parse_with_icaljs(body, tmp_path)
    assert parsed["items"] == [] and parsed["timezones"] == ["Asia/Ho_Chi_Minh"]
