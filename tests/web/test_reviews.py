"""Submitting for review, the focal unit's queue, returning with a reason and approving."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import World, login, page_text
from tracker.extensions import db, get_clock
from tracker.models import Role, Task, TaskEvent, TaskStatus, User
from tracker.services import plan_imports
from tracker.services.accounts import create_user

PDF = b"%PDF-1.4\n%%EOF\n"


def _switch(client: FlaskClient, user: User) -> None:
    client.post("/dang-xuat")
    login(client, user)


def test_submit_return_then_approve(client: FlaskClient, world: World) -> None:
    task_id = world.overdue.id
    login(client, world.users[Role.UNIT_HEAD])
    client.post(
        f"/viec/{task_id}/minh-chung",
        data={"file": (io.BytesIO(PDF), "bang-niem-yet.pdf")},
        content_type="multipart/form-data",
    )
    page = page_text(client.get(f"/viec/{task_id}"))
    assert "Gửi duyệt" in page and 'name="evidence"' in page
    evidence_id = int(page.split('name="evidence" value="')[1].split('"')[0])
    response = client.post(
        f"/viec/{task_id}/gui-duyet",
        data={"comment": "Đã niêm yết", "evidence": [str(evidence_id)]},
        follow_redirects=True,
    )
    assert "Đã gửi duyệt nhiệm vụ 1." in page_text(response)
    assert db.session.get(Task, task_id).status == TaskStatus.AWAITING_REVIEW
    # The unit head cannot approve their own work.
    assert client.post(f"/viec/{task_id}/duyet").status_code == 403

    _switch(client, world.users[Role.FOCAL_OFFICER])
    queue = page_text(client.get("/duyet"))
    assert "Việc chờ duyệt" in queue and "Niêm yết công khai" in queue and "Đã niêm yết" in queue
    no_reason = client.post(
        f"/viec/{task_id}/tra-lai", data={"comment": " "}, follow_redirects=True
    )
    assert "Lý do trả lại: không được để trống." in page_text(no_reason)
    assert db.session.get(Task, task_id).status == TaskStatus.AWAITING_REVIEW
    returned = client.post(
        f"/viec/{task_id}/tra-lai",
        data={"comment": "Thiếu ảnh chụp bảng niêm yết"},
        follow_redirects=True,
    )
    assert "Đã trả lại nhiệm vụ 1." in page_text(returned)
    assert db.session.get(Task, task_id).status == TaskStatus.RETURNED

    _switch(client, world.users[Role.UNIT_HEAD])
    text = page_text(client.get("/viec?muc=overdue"))
    assert f'/viec/{task_id}"' in text  # returned and past its date: still overdue
    page = page_text(client.get(f"/viec/{task_id}"))
    assert "Thiếu ảnh chụp bảng niêm yết" in page and "đã bị trả lại" in page
    client.post(f"/viec/{task_id}/gui-duyet", data={"comment": "Bổ sung ảnh"})

    _switch(client, world.users[Role.FOCAL_OFFICER])
    approved = client.post(f"/viec/{task_id}/duyet", data={"comment": "Đạt"}, follow_redirects=True)
    assert "Đã duyệt hoàn thành nhiệm vụ 1." in page_text(approved)
    task = db.session.get(Task, task_id)
    assert task.status == TaskStatus.DONE_LATE  # due 01/05, approved 04/05
    actions = [e.action for e in db.session.query(TaskEvent).filter_by(task_id=task_id)]
    assert actions == ["evidence", "submit", "return", "submit", "approve"]
    assert "Không có việc nào đang chờ duyệt." in page_text(client.get("/duyet"))


def test_approving_twice_says_why(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.post(f"/viec/{world.soon.id}/duyet", follow_redirects=True)
    assert response.status_code == 200
    assert "Nhiệm vụ này không ở bước chờ duyệt." in page_text(response)


def test_roles_without_review_get_403(client: FlaskClient, world: World) -> None:
    for role in (Role.CHAIRMAN, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CITY_ADMIN):
        _switch(client, world.users[role])
        assert client.get("/duyet").status_code == 403, role
        assert client.post(f"/viec/{world.overdue.id}/tra-lai").status_code == 403, role


def test_city_admin_cannot_submit(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    assert client.post(f"/viec/{world.overdue.id}/gui-duyet").status_code == 403


def test_the_cycle_on_a_workflow_task(client: FlaskClient, app: Flask, seeds_dir: Path) -> None:
    """The same pages on a task that a real imported plan's workflow created."""
    clock = get_clock(app)
    data = (seeds_dir / "000_96978fae4b697af7.txt").read_bytes()
    pending = plan_imports.read_upload(data, "000.txt", Path(app.config["UPLOAD_DIR"]))
    plan, _instances = plan_imports.confirm_import(
        pending, commune_name="Phường Hòa Bình", actor=None, clock=clock
    )
    commune = plan.commune
    focal = next(u for u in commune.units if u.is_focal)
    task = (
        db.session.query(Task)
        .filter(
            Task.plan_id == plan.id,
            Task.unit_id == focal.id,
            Task.status.in_([TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE, TaskStatus.NO_DEADLINE]),
        )
        .first()
    )
    assert task is not None
    create_user(
        username="tp",
        full_name="Trưởng phòng",
        password="mk-123456",
        role=Role.UNIT_HEAD,
        commune_id=commune.id,
        unit_id=focal.id,
        created_at=clock.now(),
    )
    officer = create_user(
        username="dm",
        full_name="Đầu mối",
        password="mk-123456",
        role=Role.FOCAL_OFFICER,
        commune_id=commune.id,
        unit_id=focal.id,
        created_at=clock.now(),
    )
    db.session.commit()
    client.post("/dang-nhap", data={"username": "tp", "password": "mk-123456"})
    response = client.post(f"/viec/{task.id}/gui-duyet", data={"comment": "Xong"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.AWAITING_REVIEW
    client.post("/dang-xuat")
    client.post("/dang-nhap", data={"username": officer.username, "password": "mk-123456"})
    client.post(f"/viec/{task.id}/duyet", data={"comment": "Đạt"})
    db.session.expire_all()
    assert TaskStatus(db.session.get(Task, task.id).status).is_done


def test_the_return_reason_stays_in_view_when_the_task_is_overdue(
    client: FlaskClient, world: World
) -> None:
    """Returning late work leaves it ``overdue`` (the workflow's status), not ``returned``: the
    unit still sees that it was sent back and why, above the form to send it again."""
    task_id = world.overdue.id
    login(client, world.users[Role.UNIT_HEAD])
    client.post(f"/viec/{task_id}/gui-duyet", data={"comment": "Đã niêm yết"})
    _switch(client, world.users[Role.FOCAL_OFFICER])
    client.post(f"/viec/{task_id}/tra-lai", data={"comment": "Thiếu biên bản họp"})
    task = db.session.get(Task, task_id)
    task.status = TaskStatus.OVERDUE  # what the workflow sync writes for late work
    db.session.commit()

    _switch(client, world.users[Role.UNIT_HEAD])
    form = page_text(client.get(f"/viec/{task_id}")).split('id="gui-duyet"')[1]
    assert "Nhiệm vụ đã bị trả lại" in form and "Thiếu biên bản họp" in form

    client.post(f"/viec/{task_id}/gui-duyet", data={"comment": "Đã bổ sung"})
    _switch(client, world.users[Role.FOCAL_OFFICER])
    client.post(f"/viec/{task_id}/duyet")
    assert "Nhiệm vụ đã bị trả lại" not in page_text(client.get(f"/viec/{task_id}"))
