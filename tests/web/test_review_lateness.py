"""The review queue says when work was submitted after its due date."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient

from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Role, Task, TaskStatus


def _submitted(task: Task, at: dt.datetime) -> None:
    task.status = str(TaskStatus.AWAITING_REVIEW)
    task.submitted_at = at


def _item(text: str, task: Task) -> str:
    return text.split(f'/viec/{task.id}#duyet"', 1)[1].split("</li>", 1)[0]


def test_queue_shows_late_submissions_by_the_vietnam_date(
    client: FlaskClient, world: World
) -> None:
    # world.overdue is due 01/05/2026, world.soon 06/05/2026, world.office_task 30/06/2026.
    # 17:30 UTC on 01/05 is 00:30 on 02/05 in Hải Phòng: one day late.
    _submitted(world.overdue, dt.datetime(2026, 5, 1, 17, 30, tzinfo=dt.UTC))
    _submitted(world.soon, dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC))  # on time
    _submitted(world.office_task, dt.datetime(2026, 7, 3, 2, 0, tzinfo=dt.UTC))  # 3 days late
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    text = page_text(client.get("/duyet"))
    assert "nộp muộn 1 ngày" in _item(text, world.overdue)
    assert "nộp muộn" not in _item(text, world.soon)
    assert "nộp muộn 3 ngày" in _item(text, world.office_task)

    client.post("/ngon-ngu/en")
    text = page_text(client.get("/duyet"))
    assert "submitted 1 day late" in _item(text, world.overdue)
    assert "submitted 3 days late" in _item(text, world.office_task)
    assert "late" not in _item(text, world.soon)


def test_an_on_time_submission_late_in_the_evening_is_not_late(
    client: FlaskClient, world: World
) -> None:
    # 16:59 UTC on 01/05 is 23:59 on 01/05 in Hải Phòng: the due day itself.
    _submitted(world.overdue, dt.datetime(2026, 5, 1, 16, 59, tzinfo=dt.UTC))
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    assert "nộp muộn" not in _item(page_text(client.get("/duyet")), world.overdue)
