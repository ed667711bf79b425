"""Assignment: to a unit and an officer, splitting collective tasks, reassigning."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import make_plan_item, make_task, make_unit, make_user
from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Role, Task, TaskEvent, UnitKind


def test_assignment_page_lists_open_tasks(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.get("/phan-cong")
    assert response.status_code == 200
    text = page_text(response)
    assert "Phân công nhiệm vụ" in text and "Chưa phân công" in text
    assert f"/viec/{world.overdue.id}/phan-cong" in text
    assert f"/viec/{world.foreign.id}/phan-cong" not in text
    text = page_text(client.get("/phan-cong?chua_giao=1"))
    assert f"/viec/{world.office_task.id}/phan-cong" not in text  # already has an officer


def test_unit_head_may_not_assign(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    assert client.get("/phan-cong").status_code == 403
    assert client.get(f"/viec/{world.overdue.id}/phan-cong").status_code == 403


def test_chairman_assigns_to_unit_and_officer(client: FlaskClient, world: World) -> None:
    staff = world.users[Role.UNIT_STAFF]
    login(client, world.users[Role.CHAIRMAN])
    form = page_text(client.get(f"/viec/{world.overdue.id}/phan-cong"))
    assert "Người phụ trách" in form and staff.full_name in form
    response = client.post(
        f"/viec/{world.overdue.id}/phan-cong",
        data={"unit": world.office.id, "assignee": staff.id, "comment": "Gấp"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Đã phân công nhiệm vụ 1." in page_text(response)
    task = db.session.get(Task, world.overdue.id)
    assert task.unit_id == world.office.id and task.assignee_id == staff.id
    assert task.sequence == 1
    event = db.session.query(TaskEvent).filter_by(task_id=task.id, action="assign").one()
    assert "Văn phòng HĐND và UBND" in event.comment and "Gấp" in event.comment
    # The staff member now sees it; the focal unit's head no longer does.
    client.post("/dang-xuat")
    login(client, staff)
    assert client.get(f"/viec/{task.id}").status_code == 200


def test_officer_must_belong_to_the_chosen_unit(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.post(
        f"/viec/{world.overdue.id}/phan-cong",
        data={"unit": world.focal_unit.id, "assignee": world.users[Role.UNIT_STAFF].id},
    )
    assert response.status_code == 400
    assert "Người phụ trách: phải là cán bộ của Phòng Văn hóa - Xã hội." in page_text(response)
    assert db.session.get(Task, world.overdue.id).assignee_id is None


def test_cannot_assign_to_another_communes_unit(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    foreign_unit = world.foreign.unit_id
    response = client.post(f"/viec/{world.overdue.id}/phan-cong", data={"unit": foreign_unit})
    assert response.status_code == 400
    assert "Đơn vị: hãy chọn một phòng, đơn vị của xã, phường này." in page_text(response)
    assert client.get(f"/viec/{world.foreign.id}/phan-cong").status_code == 404


def test_reassign_to_another_officer(client: FlaskClient, world: World) -> None:
    other_staff = make_user(Role.UNIT_STAFF, commune=world.home, unit=world.office)
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    response = client.post(
        f"/viec/{world.office_task.id}/phan-cong",
        data={"unit": world.office.id, "assignee": other_staff.id},
    )
    assert response.status_code == 302
    assert db.session.get(Task, world.office_task.id).assignee_id == other_staff.id
    again = client.post(
        f"/viec/{world.office_task.id}/phan-cong",
        data={"unit": world.office.id, "assignee": other_staff.id},
    )
    assert again.status_code == 400
    assert "Nhiệm vụ đã được giao đúng như vậy." in page_text(again)


def test_split_a_collective_task(client: FlaskClient, world: World) -> None:
    everyone = make_unit(world.home, "Các phòng, cơ quan, đơn vị", kind=UnitKind.COLLECTIVE)
    plan_item = make_plan_item(
        world.plan, ref="7", title="Tuyên truyền mô hình", lead_units=["Các phòng, cơ quan, đơn vị"]
    )
    collective = make_task(plan_item, everyone, occurrence_key="c")
    db.session.commit()
    login(client, world.users[Role.FOCAL_OFFICER])
    form = page_text(client.get(f"/viec/{collective.id}/phan-cong"))
    assert "Chia việc cho nhiều đơn vị" in form and "giao chung cho nhiều đơn vị" in form
    assert f'value="{everyone.id}"' not in form  # "everyone" is not a unit to give work to
    response = client.post(
        f"/viec/{collective.id}/chia-viec",
        data={"units": [world.focal_unit.id, world.office.id]},
        follow_redirects=True,
    )
    assert "Đã chia nhiệm vụ 7 cho 2 đơn vị." in page_text(response)
    shares = db.session.query(Task).filter_by(parent_id=collective.id).all()
    assert {s.unit_id for s in shares} == {world.focal_unit.id, world.office.id}
    assert all(s.due_on == collective.due_on and s.title == collective.title for s in shares)
    # Splitting again for the same units adds nothing.
    again = client.post(f"/viec/{collective.id}/chia-viec", data={"units": [world.office.id]})
    assert again.status_code == 400
    assert "đều đã được chia" in page_text(again)
    empty = client.post(f"/viec/{collective.id}/chia-viec", data={})
    assert "hãy chọn ít nhất một phòng" in page_text(empty)
    # The focal unit's head now sees its share.
    client.post("/dang-xuat")
    login(client, world.users[Role.UNIT_HEAD])
    share = next(s for s in shares if s.unit_id == world.focal_unit.id)
    text = page_text(client.get(f"/viec/{share.id}"))
    assert "Tách từ nhiệm vụ chung" in text
