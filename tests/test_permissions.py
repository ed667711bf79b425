"""The task visibility rules, per role, on a real database."""

from __future__ import annotations

from flask import Flask

from tests.factories import make_commune, make_plan, make_task, make_user, unit_named
from tracker.extensions import db
from tracker.models import Role
from tracker.services.permissions import Action, can, may_see, visible_tasks


def test_each_role_sees_its_own_scope(app: Flask) -> None:
    home, other = make_commune("Phường Hòa Bình"), make_commune("Xã Phú Thái", kind="xa")
    vhxh = unit_named(home, "Phòng Văn hóa - Xã hội")
    vp = unit_named(home, "Văn phòng HĐND và UBND")
    plan, other_plan = make_plan(home), make_plan(other)
    staff = make_user(Role.UNIT_STAFF, commune=home, unit=vp)
    mine = make_task(plan.tasks[0], vhxh)
    assigned = make_task(plan.tasks[0], vp, assignee_id=staff.id, occurrence_key="x")
    foreign = make_task(other_plan.tasks[0], unit_named(other, "Phòng Văn hóa - Xã hội"))

    def seen(user: object) -> set[int]:
        return set(db.session.scalars(visible_tasks(user)))  # type: ignore[arg-type]

    city = make_user(Role.CITY_ADMIN)
    chairman = make_user(Role.CHAIRMAN, commune=home)
    head = make_user(Role.UNIT_HEAD, commune=home, unit=vhxh)
    assert seen(city) == {mine, assigned, foreign}
    assert seen(chairman) == {mine, assigned}
    assert seen(head) == {mine}
    assert seen(staff) == {assigned}
    assert not may_see(head, foreign) and may_see(head, mine)
    assert can(chairman, Action.ASSIGN, mine) and not can(chairman, Action.REVIEW, mine)
    assert not can(city, Action.SUBMIT, mine) and can(city, Action.VIEW, foreign)
    assert not can(staff, Action.VIEW, mine)
