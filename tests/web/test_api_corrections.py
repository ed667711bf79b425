"""The API does what the pages do: review steps, deadlines by hand, gia hạn, withdrawal.

Every call is a bearer-token call (no CSRF); each route is tried with the roles that hold
its action and those that do not (403), and on another commune's task or plan (404).
"""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient

from tests.factories import make_plan_item, make_task, make_user
from tests.web.conftest import World, login
from tests.web.test_api import bearer, conforms, token_for
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, Role, Task, TaskEvent, TaskStatus


def _post(client: FlaskClient, url: str, token: str, body: object) -> tuple[int, dict]:
    response = client.post(url, json=body, headers=bearer(token))
    return response.status_code, response.get_json()


def test_submit_return_approve(client: FlaskClient, world: World, clock: FixedClock) -> None:
    head = token_for(world.users[Role.UNIT_HEAD], clock)
    focal = token_for(world.users[Role.FOCAL_OFFICER], clock)
    chairman = token_for(world.users[Role.CHAIRMAN], clock)
    task = world.soon
    base = f"/api/v1/tasks/{task.id}"
    assert _post(client, f"{base}/submit", chairman, {})[0] == 403
    assert _post(client, f"{base}/approve", head, {})[0] == 403
    assert _post(client, f"{base}/approve", focal, {})[0] == 409  # not submitted yet
    assert _post(client, f"{base}/submit", head, {"comment": 5})[0] == 400
    assert _post(client, f"{base}/submit", head, {"evidence_ids": ["a"]})[0] == 400
    status, body = _post(client, f"{base}/submit", head, {"comment": "Đã niêm yết"})
    assert (status, body["status"]) == (200, "awaiting_review")
    conforms(client, body, "Task")
    status, body = _post(client, f"{base}/return", focal, {"comment": ""})
    assert status == 409 and "ý kiến" in body["error"]
    status, body = _post(client, f"{base}/return", focal, {"comment": "Thiếu ảnh chụp"})
    assert (status, body["status"]) == (200, "returned")
    _post(client, f"{base}/submit", head, {"comment": "Đã bổ sung"})
    status, body = _post(client, f"{base}/approve", focal, {"comment": "Đạt"})
    assert (status, body["status"]) == (200, "done_on_time")
    actions = [e.action for e in db.session.scalars(
        db.select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.id))]
    assert actions[-4:] == ["submit", "return", "submit", "approve"]
    foreign = f"/api/v1/tasks/{world.foreign.id}"
    for step in ("submit", "return", "approve"):
        assert _post(client, f"{foreign}/{step}", focal, {"comment": "x"})[0] == 404


def _unread_task(world: World) -> Task:
    row = make_plan_item(world.plan, ref="3", title="Triển khai theo hướng dẫn",
                         time_text="Trong vòng 15 ngày kể từ khi có hướng dẫn",
                         cadence_kind="unknown", rrule=None)
    task = make_task(row, world.focal_unit, due_on=None, status=str(TaskStatus.NO_DEADLINE))
    task.opens_on = dt.date(2026, 4, 17)
    db.session.commit()
    return task


def test_deadline_set_by_the_focal_officer(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    task = _unread_task(world)
    focal = token_for(world.users[Role.FOCAL_OFFICER], clock)
    url = f"/api/v1/tasks/{task.id}/deadline"
    before = client.get(f"/api/v1/tasks/{task.id}", headers=bearer(focal)).get_json()
    assert before["needs_deadline"] is True and before["due_on"] is None
    for role in (Role.UNIT_HEAD, Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.UNIT_STAFF,
                 Role.CITY_ADMIN):
        token = token_for(world.users[role], clock)
        assert _post(client, url, token, {"due_on": "2026-05-20", "reason": "x"})[0] == 403
    assert _post(client, url, focal, {"due_on": "20/05/2026", "reason": "x"})[0] == 400
    assert _post(client, url, focal, {"due_on": "2026-05-20"})[0] == 409  # no reason
    assert _post(client, url, focal, {"due_on": "2026-05-01", "reason": "x"})[0] == 409
    status, body = _post(client, url, focal,
                         {"due_on": "2026-05-20", "reason": "Theo công văn số 12/UBND"})
    assert status == 200, body
    assert (body["due_on"], body["needs_deadline"], body["status"]) == (
        "2026-05-20", False, "in_progress")
    conforms(client, body, "Task")
    foreign = f"/api/v1/tasks/{world.foreign.id}/deadline"
    assert _post(client, foreign, focal, {"due_on": "2026-05-20", "reason": "x"})[0] == 404


def test_extension_asked_refused_asked_again_approved(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    task = world.soon  # due 06/05/2026; the clock says 04/05/2026
    head = token_for(world.users[Role.UNIT_HEAD], clock)
    focal = token_for(world.users[Role.FOCAL_OFFICER], clock)
    chairman = token_for(world.users[Role.CHAIRMAN], clock)
    vice = token_for(world.users[Role.VICE_CHAIRMAN], clock)
    other_chairman = token_for(world.other_chairman, clock)
    url = f"/api/v1/tasks/{task.id}/extension-requests"
    ask = {"due_on": "2026-06-15", "reason": "Chờ kinh phí từ thành phố"}
    for token in (focal, chairman, vice):
        assert _post(client, url, token, ask)[0] == 403
    assert _post(client, f"/api/v1/tasks/{world.foreign.id}/extension-requests",
                 head, ask)[0] == 404
    assert _post(client, url, head, {"due_on": "2026-05-01", "reason": "x"})[0] == 409
    status, first = _post(client, url, head, ask)
    assert (status, first["status"]) == (201, "pending")
    conforms(client, first, "ExtensionRequest")
    assert _post(client, url, head, ask)[0] == 409  # one pending at a time
    detail = client.get(f"/api/v1/tasks/{task.id}", headers=bearer(head)).get_json()
    assert detail["pending_extension_request"]["id"] == first["id"]
    conforms(client, detail, "TaskDetail")
    decide = f"/api/v1/extension-requests/{first['id']}/decision"
    assert _post(client, decide, head, {"approve": True})[0] == 403
    assert _post(client, decide, focal, {"approve": True})[0] == 403
    assert _post(client, decide, other_chairman, {"approve": True})[0] == 404
    assert _post(client, decide, chairman, {"approve": "yes"})[0] == 400
    assert _post(client, decide, chairman, {"approve": False})[0] == 409  # comment required
    status, body = _post(client, decide, chairman,
                         {"approve": False, "comment": "Phải hoàn thành đúng hạn"})
    assert (status, body["status"]) == (200, "refused")
    assert _post(client, decide, vice, {"approve": True})[0] == 409  # decided already
    status, second = _post(client, url, head, {**ask, "reason": "Đã có kinh phí"})
    assert status == 201
    status, body = _post(client, f"/api/v1/extension-requests/{second['id']}/decision", vice,
                         {"approve": True, "comment": "Đồng ý"})
    assert (status, body["status"]) == (200, "approved")
    detail = client.get(f"/api/v1/tasks/{task.id}", headers=bearer(head)).get_json()
    assert (detail["due_on"], detail["original_due_on"]) == ("2026-06-15", "2026-05-06")
    assert detail["pending_extension_request"] is None
    assert [r["status"] for r in detail["extension_requests"]] == ["refused", "approved"]
    subjects = db.session.scalars(
        db.select(Mail.subject).where(Mail.task_id == task.id).order_by(Mail.id)).all()
    assert any(s.startswith("Đề nghị gia hạn") for s in subjects)
    assert any(s.startswith("Không đồng ý gia hạn") for s in subjects)
    assert any(s.startswith("Đã đồng ý gia hạn") for s in subjects)


def test_withdraw_a_plan(client: FlaskClient, world: World, clock: FixedClock) -> None:
    world.office_task.status = str(TaskStatus.DONE_ON_TIME)
    db.session.commit()
    url = f"/api/v1/plans/{world.plan.id}/withdraw"
    for role in (Role.UNIT_HEAD, Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.UNIT_STAFF):
        assert _post(client, url, token_for(world.users[role], clock),
                     {"reason": "x"})[0] == 403
    focal = token_for(world.users[Role.FOCAL_OFFICER], clock)
    other_focal = token_for(make_user(Role.FOCAL_OFFICER, commune=world.other), clock)
    assert _post(client, url, other_focal, {"reason": "x"})[0] == 404
    assert _post(client, url, focal, {})[0] == 409
    status, body = _post(client, url, focal, {"reason": "Ban hành nhầm, thay bằng kế hoạch mới"})
    assert status == 200
    conforms(client, body, "WithdrawnPlan")
    assert sorted(body["cancelled_task_ids"]) == sorted([world.overdue.id, world.soon.id])
    assert body["withdraw_reason"] == "Ban hành nhầm, thay bằng kế hoạch mới"
    db.session.expire_all()
    assert db.session.get(Task, world.soon.id).status == TaskStatus.CANCELLED
    assert db.session.get(Task, world.office_task.id).status == TaskStatus.DONE_ON_TIME
    event = db.session.scalars(db.select(TaskEvent).where(
        TaskEvent.task_id == world.soon.id).order_by(TaskEvent.id.desc())).first()
    assert event is not None and event.action == "withdraw" and "Ban hành nhầm" in event.comment
    assert _post(client, url, focal, {"reason": "lần nữa"})[0] == 409
    city = token_for(world.users[Role.CITY_ADMIN], clock)
    other_plan = db.session.get(Task, world.foreign.id).plan_id
    status, _body = _post(client, f"/api/v1/plans/{other_plan}/withdraw", city, {"reason": "Sai"})
    assert status == 200


def test_rollups_tell_on_time_from_on_time_after_extension(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    world.soon.status = str(TaskStatus.DONE_ON_TIME)
    world.overdue.status = str(TaskStatus.DONE_ON_TIME)
    world.overdue.original_due_on = dt.date(2026, 4, 20)  # extended to 01/05
    db.session.commit()
    login(client, world.users[Role.CHAIRMAN])
    page = client.get("/tong-hop?nam=2026").get_data(as_text=True)
    assert "1 việc đúng hạn sau gia hạn" in page and "Đúng hạn sau gia hạn" in page
    token = token_for(world.users[Role.CHAIRMAN], clock)
    body = client.get(f"/api/v1/communes/{world.home.slug}/rollup?year=2026",
                      headers=bearer(token)).get_json()
    assert body["total"]["by_status"]["done_on_time"] == 2
    assert body["total"]["on_time_after_extension"] == 1
    conforms(client, body, "CommuneRollup")
    city = token_for(world.users[Role.CITY_ADMIN], clock)
    rows = client.get("/api/v1/rollups/city?year=2026", headers=bearer(city)).get_json()
    home = next(r for r in rows["communes"] if r["commune"]["id"] == world.home.id)
    assert home["on_time_after_extension"] == 1


def test_a_recurring_deadline_through_the_api(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    from tests.services.test_deadlines import UNREAD, _rows, _started

    instance = _started(clock, unread_row=0)
    task = next(t for t in _rows(instance) if t.plan_item.time_text == UNREAD)
    focal_user = make_user(Role.FOCAL_OFFICER, commune=task.commune)
    head_user = make_user(Role.UNIT_HEAD, commune=task.commune, unit=task.unit)
    db.session.commit()
    focal, head = token_for(focal_user, clock), token_for(head_user, clock)
    url = f"/api/v1/tasks/{task.id}/deadline"
    monthly = {"cadence": {"every": "month", "day": 25}, "reason": "Theo công văn 12/UBND"}
    assert _post(client, url, head, monthly)[0] == 403
    for bad, field in [({"every": "quarter", "day": 31}, "cadence: Ngày: phải từ 1 đến 30"),
                       ({"every": "month", "day": 0}, "cadence.day"),
                       ({"every": "week", "day": 5}, "cadence.every"),
                       ({"every": "year", "day": 5}, "cadence: Tháng: chưa nhập")]:
        status, body = _post(client, url, focal, {"cadence": bad, "reason": "x"})
        assert status == 400 and body["error"].startswith(field), body
    status, body = _post(client, url, focal, {"cadence": {"every": "month", "day": 25},
                                              "due_on": "2026-05-20", "reason": "x"})
    assert status == 400 and "either due_on or cadence" in body["error"]
    status, body = _post(client, url, focal, {"cadence": {"every": "month", "day": 25}})
    assert status == 409 and "Lý do đặt hạn" in body["error"]  # no reason
    status, body = _post(client, url, focal, monthly)
    assert status == 200, body
    conforms(client, body, "Task")
    assert body["due_on"] == "2026-05-25" and body["needs_deadline"] is False
    db.session.expire_all()
    item = db.session.get(Task, task.id).plan_item
    assert (item.time_text, item.original_time_text) == ("Ngày 25 hằng tháng", UNREAD)
    assert db.session.get(Task, task.id).status == TaskStatus.CANCELLED
    detail = client.get(f"/api/v1/tasks/{body['id']}", headers=bearer(focal)).get_json()
    conforms(client, detail, "TaskDetail")
    assert (detail["source"]["time_text"], detail["source"]["original_time_text"]) == (
        "Ngày 25 hằng tháng", UNREAD)
    assert detail["source"]["time_set_reason"] == "Theo công văn 12/UBND"
    foreign = f"/api/v1/tasks/{world.foreign.id}/deadline"
    assert _post(client, foreign, focal, monthly)[0] == 404


def test_the_cadence_body_is_in_the_openapi_document(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    body = document["paths"]["/tasks/{task_id}/deadline"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/SetDeadlineBody")
    cadence = document["components"]["schemas"]["CadenceBody"]
    assert cadence["properties"]["every"]["enum"] == ["month", "quarter", "year"]
    assert cadence["required"] == ["every", "day"]
