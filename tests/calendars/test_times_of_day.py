"""Hours of day from the phrase to the task table, the task page and the calendar feeds.

"từ 19 giờ 30 đến 21 giờ ngày 2/9/2026" is a meeting: the task row keeps 19:30-21:00, the
page shows it, and the VEVENT starts and ends at those hours in Asia/Ho_Chi_Minh, as three
independent readers (icalendar, recurring-ical-events, ical.js) see it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from flask import Flask
from flask.testing import FlaskClient

from tests.calendars.checks import icaljs_available, parse_with_icaljs
from tests.calendars.conftest import issue, login
from tests.factories import make_commune, make_plan, make_plan_item, make_user, unit_named
from tests.tools import require_tool
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import CalendarScope, Role, Task, User
from tracker.services.deadlines import set_deadline
from tracker.services.workflows import start_instance

MEETING = "Hội nghị trực tuyến từ 19 giờ 30 đến 21 giờ ngày 2/9/2026"
BY_HOUR = "Trước 17 giờ ngày 15/10/2026"


def _world(app: Flask, clock: FixedClock) -> tuple[dict[str, Task], dict[Role, User]]:
    commune = make_commune("Phường Hòa Bình")
    focal = unit_named(commune, "Phòng Văn hóa - Xã hội")
    plan = make_plan(commune, tasks=0)
    make_plan_item(plan, ref="1", title="Dự hội nghị sơ kết", time_text=MEETING)
    make_plan_item(plan, ref="2", title="Nộp báo cáo quý", time_text=BY_HOUR)
    make_plan_item(
        plan, ref="3", title="Báo cáo tự đánh giá", time_text="Trước ngày 15/11 hằng năm"
    )
    db.session.flush()
    instance = start_instance(plan, commune, 2026, clock)
    users = {Role.FOCAL_OFFICER: make_user(Role.FOCAL_OFFICER, commune=commune, unit=focal)}
    db.session.commit()
    rows = db.session.scalars(db.select(Task).where(Task.instance_id == instance.id))
    return {row.ref: row for row in rows}, users


def test_the_task_table_keeps_the_hours_the_phrase_names(app: Flask, clock: FixedClock) -> None:
    tasks, _ = _world(app, clock)
    meeting, by_hour, all_day = tasks["1"], tasks["2"], tasks["3"]
    assert meeting.due_on == dt.date(2026, 9, 2)
    assert (meeting.start_time, meeting.end_time) == (dt.time(19, 30), dt.time(21, 0))
    assert by_hour.due_on == dt.date(2026, 10, 15)  # "trước 17 giờ ngày D": D, by 17:00
    assert (by_hour.start_time, by_hour.end_time) == (None, dt.time(17, 0))
    assert (all_day.start_time, all_day.end_time) == (None, None)


def _feed(client: FlaskClient, secret: str, query: str = "") -> bytes:
    response = client.get(f"/calendars/{secret}.ics{query}")
    assert response.status_code == 200, response.status
    return response.get_data()


def test_the_event_starts_and_ends_at_the_hours_in_vietnam(
    app: Flask, client: FlaskClient, clock: FixedClock, tmp_path: Path
) -> None:
    _, users = _world(app, clock)
    body = _feed(client, issue(users[Role.FOCAL_OFFICER], CalendarScope.UNIT))
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Asia/Ho_Chi_Minh" in body
    assert b"DTSTART;TZID=Asia/Ho_Chi_Minh:20260902T193000" in body
    assert b"DTEND;TZID=Asia/Ho_Chi_Minh:20260902T210000" in body

    events = {str(e["SUMMARY"]).split("] ")[1][:12]: e
              for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}  # fmt: skip
    meeting = events["Dự hội nghị "]
    assert meeting["DTSTART"].dt == dt.datetime(2026, 9, 2, 19, 30, tzinfo=VN_TZ)
    assert meeting["DTEND"].dt == dt.datetime(2026, 9, 2, 21, 0, tzinfo=VN_TZ)
    assert meeting["DTSTART"].dt.astimezone(dt.UTC) == dt.datetime(
        2026, 9, 2, 12, 30, tzinfo=dt.UTC
    )
    by_hour = events["Nộp báo cáo "]
    assert by_hour["DTSTART"].dt == dt.datetime(2026, 10, 15, 17, 0, tzinfo=VN_TZ)
    assert "DTEND" not in by_hour  # an instant: it ends when it starts (RFC 5545 3.6.1)
    all_day = events["Báo cáo tự đ"]
    assert all_day["DTSTART"].dt == dt.date(2026, 11, 13)

    calendar = icalendar.Calendar.from_ical(body)
    found = recurring_ical_events.of(calendar).between(
        dt.datetime(2026, 9, 2, 12, 0, tzinfo=dt.UTC), dt.datetime(2026, 9, 2, 13, 0, tzinfo=dt.UTC)
    )
    assert [str(e["UID"]) for e in found] == [str(meeting["UID"])]  # 19:30 Vietnam is 12:30 UTC
    evening = recurring_ical_events.of(calendar).at((2026, 9, 2))
    assert len(list(evening)) == 1

    require_tool(icaljs_available(), "node or ical.js is missing (npm ci)")
    parsed = parse_with_icaljs(body, tmp_path)
    assert parsed["timezones"] == ["Asia/Ho_Chi_Minh"]
    by_uid = {item["uid"]: item for item in parsed["items"]}  # type: ignore[attr-defined]
    read = by_uid[str(meeting["UID"])]
    assert read["start"]["isDate"] is False and read["start"]["tzid"] == "Asia/Ho_Chi_Minh"
    assert read["start"]["utc"] == "2026-09-02T12:30:00.000Z"
    assert read["end"]["utc"] == "2026-09-02T14:00:00.000Z"
    assert by_uid[str(all_day["UID"])]["start"]["isDate"] is True


def test_the_todo_is_due_at_the_hour(
    app: Flask, client: FlaskClient, clock: FixedClock, tmp_path: Path
) -> None:
    _, users = _world(app, clock)
    secret = issue(users[Role.FOCAL_OFFICER], CalendarScope.UNIT)
    body = _feed(client, secret, "?component=vtodo")
    todos = {str(t["SUMMARY"]).split("] ")[1][:12]: t
             for t in icalendar.Calendar.from_ical(body).walk("VTODO")}  # fmt: skip
    by_hour = todos["Nộp báo cáo "]
    assert by_hour["DUE"].dt == dt.datetime(2026, 10, 15, 17, 0, tzinfo=VN_TZ)
    # DTSTART and DUE share a value type (RFC 5545 3.8.2.3)
    assert isinstance(by_hour["DTSTART"].dt, dt.datetime)
    assert by_hour["DTSTART"].dt < by_hour["DUE"].dt
    require_tool(icaljs_available(), "node or ical.js is missing (npm ci)")
    parsed = parse_with_icaljs(body, tmp_path)
    dues = sorted(i["due"]["utc"] for i in parsed["items"] if i["due"] and i["due"]["utc"])  # type: ignore[attr-defined,index]
    assert "2026-10-15T10:00:00.000Z" in dues and "2026-09-02T14:00:00.000Z" in dues


def test_the_alarm_keeps_its_hour_on_a_timed_event(
    app: Flask, client: FlaskClient, clock: FixedClock
) -> None:
    _, users = _world(app, clock)
    secret = issue(users[Role.FOCAL_OFFICER], CalendarScope.UNIT, alarm_minutes=8 * 60)
    calendar = icalendar.Calendar.from_ical(_feed(client, secret))
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"].dt
        if not isinstance(start, dt.datetime):  # all-day: the trigger counts from 00:00
            start = dt.datetime.combine(start, dt.time(0), tzinfo=VN_TZ)
        fires = start + event.walk("VALARM")[0]["TRIGGER"].dt
        assert (fires.hour, fires.minute) == (8, 0), event["SUMMARY"]  # 8:00 of the due day


@pytest.mark.parametrize(
    "locale, expected", [("vi", "từ 19:30 đến 21:00"), ("en", "from 19:30 to 21:00")]
)
def test_the_task_page_and_list_show_the_hours(
    app: Flask, client: FlaskClient, clock: FixedClock, locale: str, expected: str
) -> None:
    tasks, users = _world(app, clock)
    login(client, users[Role.FOCAL_OFFICER])
    if locale == "en":
        client.post("/ngon-ngu/en")
    page = client.get(f"/viec/{tasks['1'].id}").get_data(as_text=True)
    assert expected in page
    assert ("đến 17:00" if locale == "vi" else "by 17:00") in client.get(
        f"/viec/{tasks['2'].id}"
    ).get_data(as_text=True)
    listing = client.get("/viec").get_data(as_text=True)
    assert expected in listing


def test_a_meeting_moved_by_hand_keeps_its_hours(app: Flask, clock: FixedClock) -> None:
    tasks, users = _world(app, clock)
    meeting = tasks["1"]
    set_deadline(meeting, users[Role.FOCAL_OFFICER], dt.date(2026, 9, 4), "Hoãn hội nghị", clock)
    db.session.commit()
    db.session.refresh(meeting)
    assert meeting.due_on == dt.date(2026, 9, 4) and meeting.original_due_on == dt.date(2026, 9, 2)
    # the hours are the phrase's: the meeting still runs 19:30-21:00, on its new day
    assert (meeting.start_time, meeting.end_time) == (dt.time(19, 30), dt.time(21, 0))
