"""Quản trị xã, its units: the city administrator creates, renames and deactivates a unit;
a deactivated unit keeps its tasks but is offered to no new account, assignment or import."""

from __future__ import annotations

from types import SimpleNamespace

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Role, Task, Unit, User
from tracker.services.assignments import assignable_units
from tracker.services.plan_corrections import unit_choices


def _units(world: World) -> dict[str, Unit]:
    db.session.expire_all()
    return {
        u.name: u for u in db.session.scalars(select(Unit).where(Unit.commune_id == world.home.id))
    }


def test_city_admin_creates_renames_and_deactivates_a_unit(
    client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    url = f"/quan-tri/{world.home.slug}"
    created = client.post(f"{url}/don-vi", data={"name": "  Phòng  Nội vụ "}, follow_redirects=True)
    assert "Đã thêm đơn vị Phòng Nội vụ." in page_text(created)
    unit = _units(world)["Phòng Nội vụ"]
    assert unit.is_active and unit.slug == "phong-noi-vu"
    # The same name twice, or no name, is refused with the reason; nothing is written.
    for name, message in (("phòng nội vụ", "đã có đơn vị “phòng nội vụ”"), ("  ", "hãy nhập tên")):
        page = page_text(client.post(f"{url}/don-vi", data={"name": name}, follow_redirects=True))
        assert message in page
    assert len([n for n in _units(world) if n.lower() == "phòng nội vụ"]) == 1

    renamed = client.post(
        f"{url}/don-vi/{unit.id}",
        data={"action": "rename", "name": "Phòng Nội vụ - Tư pháp"},
        follow_redirects=True,
    )
    assert "Đã đổi tên đơn vị thành Phòng Nội vụ - Tư pháp." in page_text(renamed)
    clash = client.post(
        f"{url}/don-vi/{unit.id}",
        data={"action": "rename", "name": world.office.name},
        follow_redirects=True,
    )
    assert "đã có đơn vị" in page_text(clash)
    assert db.session.get(Unit, unit.id).name == "Phòng Nội vụ - Tư pháp"  # type: ignore[union-attr]

    # The office holds a task: it is deactivated, never deleted, and its task stays with it.
    office_task_id = world.office_task.id
    page = client.post(
        f"{url}/don-vi/{world.office.id}", data={"action": "deactivate"}, follow_redirects=True
    )
    assert f"Đã ngừng hoạt động đơn vị {world.office.name}." in page_text(page)
    office = _units(world)[world.office.name]
    assert not office.is_active
    assert db.session.get(Task, office_task_id).unit_id == office.id  # type: ignore[union-attr]
    # Not offered: new accounts (form and post), assignment.
    page = page_text(client.get(url))
    new_account = page.split('id="f-unit"', 1)[1].split("</select>", 1)[0]
    assert world.office.name not in new_account and world.focal_unit.name in new_account
    refused = client.post(
        f"{url}/tai-khoan",
        data={
            "username": "moi.vp",
            "full_name": "Người Mới",
            "role": "unit_staff",
            "unit": str(office.id),
        },
        follow_redirects=True,
    )
    assert "đã ngừng hoạt động: hãy chọn đơn vị khác" in page_text(refused)
    assert db.session.scalar(select(User).where(User.username == "moi.vp")) is None
    assert office.id not in {u.id for u in assignable_units(world.home.id)}
    # Nor the import preview's lead-unit choices (the document's own names aside).
    no_tasks = SimpleNamespace(tasks=[])
    choices = unit_choices(world.home.name, no_tasks)  # type: ignore[arg-type]
    assert world.office.name not in choices and world.focal_unit.name in choices
    # The focal officer's assignment form for another task does not offer it either.
    client.post("/dang-xuat")
    login(client, world.users[Role.FOCAL_OFFICER])
    form = page_text(client.get(f"/viec/{world.soon.id}/phan-cong"))
    unit_select = form.split('id="assign-unit"', 1)[1].split("</select>", 1)[0]
    assert world.focal_unit.name in unit_select and world.office.name not in unit_select
    client.post("/dang-xuat")
    login(client, world.users[Role.CITY_ADMIN])
    # And back.
    client.post(f"{url}/don-vi/{office.id}", data={"action": "activate"})
    assert _units(world)[world.office.name].is_active


def test_only_the_city_admin_manages_units(client: FlaskClient, world: World) -> None:
    for role in (Role.CHAIRMAN, Role.FOCAL_OFFICER, Role.UNIT_HEAD):
        login(client, world.users[role])
        url = f"/quan-tri/{world.home.slug}"
        assert client.post(f"{url}/don-vi", data={"name": "Phòng X"}).status_code == 403
        response = client.post(f"{url}/don-vi/{world.office.id}", data={"action": "deactivate"})
        assert response.status_code == 403
        client.post("/dang-xuat")
    assert "Phòng X" not in _units(world) and _units(world)[world.office.name].is_active


def test_a_unit_of_another_commune_is_404(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    other_unit = Unit(commune_id=world.other.id, name="Văn phòng", slug="van-phong", kind="office")
    db.session.add(other_unit)
    db.session.commit()
    response = client.post(
        f"/quan-tri/{world.home.slug}/don-vi/{other_unit.id}", data={"action": "deactivate"}
    )
    assert response.status_code == 404
