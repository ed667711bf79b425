"""The JSON API: tokens and sessions, the pages' permissions, filters, and its OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from tests.factories import make_task
from tests.web.conftest import World, login
from tracker import create_app
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Role, TaskEvent, User
from tracker.services.api_tokens import create_token, revoke_token


def token_for(user: User, clock: FixedClock) -> str:
    _row, plaintext = create_token(user, "kiểm thử", clock.now())
    db.session.commit()
    return plaintext


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def conforms(client: FlaskClient, body: Any, schema: str) -> None:
    """The body matches the named schema of the API's own OpenAPI document."""
    document = client.get("/api/v1/openapi.json").get_json()
    wrapper = {"$ref": f"#/components/schemas/{schema}", "components": document["components"]}
    OAS31Validator(wrapper).validate(body)


def test_openapi_document_is_valid_and_public(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)  # OpenAPI 3.1 (raises on any error)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "https://han.test/api/v1"}]


def test_openapi_lists_every_api_route(app: Flask, client: FlaskClient) -> None:
    documented = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi_document"
    }
    assert routes == documented


def test_no_login_is_401_json(client: FlaskClient, world: World) -> None:
    for url in ("/api/v1/tasks", "/api/v1/plans", "/api/v1/rollups/city"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.get_json()["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_and_revoked_tokens_are_refused(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    head = world.users[Role.UNIT_HEAD]
    row, token = create_token(head, "bảng tính", clock.now())
    db.session.commit()
    assert client.get("/api/v1/tasks", headers=bearer("han_khong-dung")).status_code == 401
    assert client.get("/api/v1/tasks", headers={"Authorization": "Basic eDp5"}).status_code == 401
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 200
    assert revoke_token(head, row.id, clock.now()) is row
    db.session.commit()
    response = client.get("/api/v1/tasks", headers=bearer(token))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_token_sees_what_its_owner_sees(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    token = token_for(world.users[Role.UNIT_HEAD], clock)
    response = client.get("/api/v1/tasks", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    conforms(client, body, "TaskPage")
    assert {t["id"] for t in body["items"]} == {world.overdue.id, world.soon.id}
    assert body["total"] == 2 and body["page"] == 1
    first = body["items"][0]
    assert first["id"] == world.overdue.id
    assert first["status"] == "overdue" and first["stored_status"] == "in_progress"
    assert first["days_overdue"] == 3 and first["due_on"] == "2026-05-01"
    assert first["url"] == f"https://han.test/viec/{world.overdue.id}"
    # No cookie is set: a token call leaves no session behind.
    assert "Set-Cookie" not in response.headers


def test_session_login_works_for_the_api(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_STAFF])
    body = client.get("/api/v1/tasks").get_json()
    assert [t["id"] for t in body["items"]] == [world.office_task.id]


def test_filters_and_paging(client: FlaskClient, world: World, clock: FixedClock) -> None:
    token = token_for(world.users[Role.CHAIRMAN], clock)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/tasks?{query}", headers=bearer(token))
        assert response.status_code == 200, response.get_json()
        return [t["id"] for t in response.get_json()["items"]]

    assert ids("status=overdue") == [world.overdue.id]
    assert ids("status=in_progress") == [world.soon.id, world.office_task.id]
    assert ids(f"unit={world.office.id}") == [world.office_task.id]
    assert ids("group=I. Công khai, minh bạch") == [world.overdue.id]
    assert ids(f"plan={world.plan.id}&per_page=2&page=2") == [world.office_task.id]
    assert ids("year=2027") == []
    assert ids(f"commune={world.other.slug}") == []  # another commune: nothing, not an error
    assert len(ids("year=all")) == 3
    for bad, message in (
        ("status=xong", "status:"),
        ("per_page=0", "per_page:"),
        ("per_page=201", "per_page:"),
        ("page=0", "page:"),
        ("unit=phong", "unit:"),
        ("year=1999", "year:"),
    ):
        response = client.get(f"/api/v1/tasks?{bad}", headers=bearer(token))
        assert response.status_code == 400, bad
        assert response.get_json()["error"].startswith(message)


def test_one_task_with_its_source_and_history(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    db.session.add(
        TaskEvent(
            task_id=world.overdue.id,
            actor_id=world.users[Role.FOCAL_OFFICER].id,
            at=clock.now(),
            action="comment",
            comment="Đề nghị bổ sung ảnh",
        )
    )
    db.session.commit()
    token = token_for(world.users[Role.FOCAL_OFFICER], clock)
    response = client.get(f"/api/v1/tasks/{world.overdue.id}", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    conforms(client, body, "TaskDetail")
    assert body["source"]["time_text"] == "Trước ngày 01/5/2026"
    assert body["history"][-1]["comment"] == "Đề nghị bổ sung ảnh"
    assert body["history"][-1]["at"] == "2026-05-04T02:00:00Z"


def test_unseen_task_is_404(client: FlaskClient, world: World, clock: FixedClock) -> None:
    token = token_for(world.users[Role.UNIT_STAFF], clock)
    for task in (world.foreign, world.overdue):  # another commune; not assigned to them
        response = client.get(f"/api/v1/tasks/{task.id}", headers=bearer(token))
        assert response.status_code == 404
        assert response.get_json()["status"] == 404
    assert client.get("/api/v1/tasks/999999", headers=bearer(token)).status_code == 404


def test_plans(client: FlaskClient, world: World, clock: FixedClock) -> None:
    token = token_for(world.users[Role.UNIT_HEAD], clock)
    body = client.get("/api/v1/plans", headers=bearer(token)).get_json()
    conforms(client, body, "PlanList")
    assert [p["number"] for p in body["items"]] == ["102/KH-UBND"]
    detail = client.get(f"/api/v1/plans/{world.plan.id}", headers=bearer(token)).get_json()
    conforms(client, detail, "PlanDetail")
    assert [t["ref"] for t in detail["tasks"]] == ["1", "2"]
    foreign_plan = world.foreign.plan_id
    assert client.get(f"/api/v1/plans/{foreign_plan}", headers=bearer(token)).status_code == 404
    city = token_for(world.users[Role.CITY_ADMIN], clock)
    assert len(client.get("/api/v1/plans", headers=bearer(city)).get_json()["items"]) == 2


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (Role.CHAIRMAN, 200, 404),
        (Role.FOCAL_OFFICER, 200, 404),
        (Role.CITY_ADMIN, 200, 200),
        (Role.UNIT_HEAD, 403, 403),
        (Role.UNIT_STAFF, 403, 403),
    ],
)
def test_commune_rollup_and_board_permissions(
    client: FlaskClient, world: World, clock: FixedClock, role: Role, own: int, other: int
) -> None:
    token = token_for(world.users[role], clock)
    for kind in ("rollup", "overdue"):
        mine = client.get(f"/api/v1/communes/{world.home.slug}/{kind}", headers=bearer(token))
        theirs = client.get(f"/api/v1/communes/{world.other.slug}/{kind}", headers=bearer(token))
        assert (mine.status_code, theirs.status_code) == (own, other), kind


def test_commune_rollup_and_board_bodies(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    token = token_for(world.users[Role.CHAIRMAN], clock)
    rollup = client.get(
        f"/api/v1/communes/{world.home.slug}/rollup?year=2026", headers=bearer(token)
    ).get_json()
    conforms(client, rollup, "CommuneRollup")
    assert rollup["total"]["total"] == 3 and rollup["total"]["overdue"] == 1
    assert rollup["total"]["points_possible"] == 5.0
    # Points per plan item, under each unit holding its rows; none to score reads null.
    assert [
        (u["unit"]["name"], u["points_secured"], u["points_possible"]) for u in rollup["by_unit"]
    ] == [("Phòng Văn hóa - Xã hội", 0.0, 5.0), ("Văn phòng HĐND và UBND", None, None)]
    assert [(g["group"], g["points_possible"]) for g in rollup["by_group"]] == [
        ("I. Công khai, minh bạch", 5.0),
        (None, None),
    ]
    board = client.get(
        f"/api/v1/communes/{world.home.slug}/overdue", headers=bearer(token)
    ).get_json()
    conforms(client, board, "OverdueBoard")
    assert [t["id"] for t in board["overdue"]] == [world.overdue.id]
    assert board["overdue"][0]["age_bucket"] == "1-7"
    assert [t["id"] for t in board["due_this_week"]] == [world.soon.id]


def test_city_rollup(client: FlaskClient, world: World, clock: FixedClock) -> None:
    make_task(
        world.foreign.plan_item, world.foreign.unit, due_on=dt.date(2026, 4, 1), occurrence_key="q1"
    )
    db.session.commit()
    token = token_for(world.users[Role.CITY_ADMIN], clock)
    response = client.get("/api/v1/rollups/city?sort=overdue&order=desc", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    conforms(client, body, "CityRollup")
    assert [c["commune"]["name"] for c in body["communes"]] == ["Xã Phú Thái", "Phường Hòa Bình"]
    assert body["target"] == {"reach_standard": 0.8, "level_4": 0.2}
    assert body["summary"]["communes"] == 2
    assert client.get("/api/v1/rollups/city?sort=x", headers=bearer(token)).status_code == 400
    assert client.get("/api/v1/rollups/city?order=up", headers=bearer(token)).status_code == 400
    chairman = token_for(world.users[Role.CHAIRMAN], clock)
    assert client.get("/api/v1/rollups/city", headers=bearer(chairman)).status_code == 403


def test_reminder_by_token_needs_no_csrf_but_a_session_does(
    app_config: dict[str, Any], clock: FixedClock, world: World
) -> None:
    strict = create_app(app_config | {"WTF_CSRF_ENABLED": True}, clock=clock)
    client = strict.test_client()
    with strict.app_context():
        token = token_for(db.session.get(User, world.users[Role.CHAIRMAN].id), clock)
    url = f"/api/v1/tasks/{world.overdue.id}/reminders"
    response = client.post(url, headers=bearer(token))
    assert response.status_code == 202
    body = response.get_json()
    assert body["task_id"] == world.overdue.id and body["queued"]
    # The same call from a logged-in browser without the CSRF token is refused.
    page = client.get("/dang-nhap").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/dang-nhap", data={"username": "chutich", "password": "matkhau-thu", "csrf_token": csrf}
    )
    assert client.post(url).status_code == 400
    # With it (in the header, as scripts send it) the call goes through.
    page = client.get("/tai-khoan/khoa-api").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(url, headers={"X-CSRFToken": csrf})
    assert response.status_code in {200, 202}


def test_reminder_permissions(client: FlaskClient, world: World, clock: FixedClock) -> None:
    url = f"/api/v1/tasks/{world.overdue.id}/reminders"
    for role in (Role.CITY_ADMIN, Role.UNIT_HEAD):
        token = token_for(world.users[role], clock)
        assert client.post(url, headers=bearer(token)).status_code == 403
    chairman = token_for(world.users[Role.CHAIRMAN], clock)
    foreign = f"/api/v1/tasks/{world.foreign.id}/reminders"
    assert client.post(foreign, headers=bearer(chairman)).status_code == 404


def test_disabled_owner_cannot_use_a_token(
    client: FlaskClient, world: World, clock: FixedClock
) -> None:
    head = world.users[Role.UNIT_HEAD]
    token = token_for(head, clock)
    head.is_enabled = False
    db.session.commit()
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 401
