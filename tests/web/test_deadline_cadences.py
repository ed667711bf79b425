"""The task page's short form for a recurring deadline set by hand."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import make_user
from tests.services.test_deadlines import UNREAD, _rows, _started
from tests.web.conftest import World, login, page_text
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Role, Task, TaskStatus


def test_the_focal_officer_sets_a_quarterly_deadline_from_the_task_page(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    instance = _started(clock, unread_row=0)
    task = next(t for t in _rows(instance) if t.plan_item.time_text == UNREAD)
    focal = make_user(Role.FOCAL_OFFICER, commune=task.commune)
    db.session.commit()
    task_id = task.id
    login(client, focal)
    html = page_text(client.get(f"/viec/{task_id}"))
    assert 'id="cadence-form"' in html and "Hằng quý" in html
    url = f"/viec/{task_id}/dat-han-lap-lai"
    for form, message in [
        ({"every": "quarter", "day": "31", "reason": "x"}, "Ngày: phải từ 1 đến 30"),
        ({"every": "month", "day": "0", "reason": "x"}, "Ngày: phải từ 1 đến 31"),
        ({"every": "month", "day": "10", "reason": ""}, "Lý do đặt hạn: không được để trống"),
        ({"every": "year", "day": "15", "month": "", "reason": "x"}, "Tháng: chưa nhập"),
    ]:
        response = client.post(url, data=form, follow_redirects=True)
        assert response.status_code == 200 and message in page_text(response)
    db.session.expire_all()
    assert db.session.get(Task, task_id).plan_item.time_text == UNREAD  # nothing written
    response = client.post(url, data={"every": "quarter", "day": "15",
                                      "reason": "Theo công văn 12/UBND"}, follow_redirects=True)
    text = page_text(response)
    assert "Ngày 15 tháng cuối quý" in text and "việc được tạo" in text
    db.session.expire_all()
    old = db.session.get(Task, task_id)
    assert old.status == TaskStatus.CANCELLED
    assert old.plan_item.original_time_text == UNREAD
    made = list(db.session.scalars(db.select(Task).where(
        Task.plan_item_id == old.plan_item_id, Task.id != task_id)))
    assert made and {t.due_on.day for t in made if t.due_on} == {15}
    # The form is gone once the task no longer needs a deadline; the page names both phrases.
    html = page_text(client.get(f"/viec/{made[0].id}"))
    assert 'id="cadence-form"' not in html
    assert UNREAD in html and "Thời hạn đặt thủ công" in html
    assert "Ngày 15 tháng cuối quý" in html and "Lý do: Theo công văn 12/UBND" in html
