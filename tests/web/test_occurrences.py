"""Occurrences of a recurring task are told apart by name, not only by their due date."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from tests.factories import make_task
from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.i18n import occurrence_label
from tracker.models import CalendarScope, Role, TaskStatus
from tracker.services import calendar_tokens


@pytest.mark.parametrize(
    ("key", "vi", "en"),
    [
        ("2026", "", ""),  # one a year: the year is shown anyway
        ("2026-Q2", "Quý II/2026", "Quarter II, 2026"),
        ("2026-H1", "6 tháng đầu năm 2026", "First half of 2026"),
        ("2026-H2", "6 tháng cuối năm 2026", "Second half of 2026"),
        ("2026-03", "Tháng 3/2026", "03/2026"),
        ("2026-03..05", "Từ tháng 3 đến tháng 5/2026", "Months 3 to 5, 2026"),
        ("2026-W05", "Tuần 5/2026", "Week 5, 2026"),
        ("2026-W05-3", "Tuần 5/2026, thứ Tư", "Week 5, 2026, Wednesday"),
        ("2026-06-14", "Ngày 14/06/2026", "14/06/2026"),
        ("2026-Q2-15", "Quý II/2026, ngày 15", "Quarter II, 2026, day 15"),
        ("2026-al-01", "Tháng 1 âm lịch năm 2026", "Lunar month 1, 2026"),
        ("2026-al-01-15", "Ngày 15/1 âm lịch năm 2026", "Lunar 15/1, 2026"),
        ("2026-tet-nguyen-dan", "Tết Nguyên đán 2026", "Tết Nguyên đán 2026"),
        ("2026-quoc-khanh", "Quốc khánh (2/9) 2026", "Quốc khánh (2/9) 2026"),
        ("ongoing", "", ""),
        ("2026-nothing-we-know", "", ""),
        ("2026-13", "", ""),
    ],
)
def test_occurrence_label(app: Flask, key: str, vi: str, en: str) -> None:
    with app.test_request_context():
        with force_locale("vi"):
            assert occurrence_label(key) == vi
        with force_locale("en"):
            assert occurrence_label(key) == en


def test_lists_and_task_page_name_the_occurrence(client: FlaskClient, world: World) -> None:
    """office_task is the Q2 check-in of a quarterly task; its Q1 twin is overdue."""
    q2 = world.office_task
    q1 = make_task(
        q2.plan_item, world.office, due_on=dt.date(2026, 3, 31), occurrence_key="2026-Q1"
    )
    make_task(
        q2.plan_item,
        world.office,
        due_on=dt.date(2026, 9, 30),
        occurrence_key="2026-Q3",
        status=str(TaskStatus.AWAITING_REVIEW),
        submitted_at=dt.datetime(2026, 5, 2, 3, 0, tzinfo=dt.UTC),
    )
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    pill = '<span class="occurrence">{}</span>'
    text = page_text(client.get("/viec"))
    for label in ("Quý I/2026", "Quý II/2026", "Quý III/2026"):
        assert pill.format(label) in text
    # A yearly task's one occurrence has no pill: "Năm 2026" is in its line already.
    item = text.split(f'/viec/{world.overdue.id}"', 1)[1].split("</a>", 1)[0]
    assert "occurrence" not in item

    text = page_text(client.get(f"/viec/{q2.id}"))
    assert f"{q2.ref} {pill.format('Quý II/2026')}" in text.split("<h1>", 1)[1].split("</h1>")[0]
    assert pill.format("Quý II/2026") in page_text(client.get("/phan-cong"))
    assert pill.format("Quý III/2026") in page_text(client.get("/duyet"))
    board = page_text(client.get("/bang-qua-han"))
    assert f'id="viec-{q1.id}"' in board and pill.format("Quý I/2026") in board

    client.post("/ngon-ngu/en")
    assert pill.format("Quarter II, 2026") in page_text(client.get(f"/viec/{q2.id}"))


def test_calendar_summary_names_the_occurrence(client: FlaskClient, world: World) -> None:
    _, secret = calendar_tokens.create_token(
        world.users[Role.CHAIRMAN],
        CalendarScope.COMMUNE,
        device_name="Điện thoại",
        now=dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC),
    )
    db.session.commit()
    body = client.get(f"/lich/{secret}.ics").get_data()
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    q2 = [s for s in summaries if "(Quý II/2026)" in s]
    assert len(q2) == 1 and q2[0].startswith("[Đang thực hiện] Khảo sát sự hài lòng")
    assert not any("(2026)" in s for s in summaries)
