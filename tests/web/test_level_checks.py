"""The city's level form shows the registration and the progress; a level far above them needs
the city's confirmation and a reason, which is kept with the result."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import CommuneLevel, Role, TaskStatus
from tracker.services.level_checks import LevelBasis


def _url(world: World) -> str:
    return f"/thanh-pho/{world.home.slug}/ket-qua?nam=2026"


def _level(world: World) -> CommuneLevel | None:
    db.session.expire_all()
    return db.session.scalar(
        select(CommuneLevel).where(
            CommuneLevel.commune_id == world.home.id, CommuneLevel.year == 2026
        )
    )


def _registered(world: World, level: int) -> None:
    db.session.add(CommuneLevel(commune_id=world.home.id, year=2026, registered_level=level))
    db.session.commit()


def test_the_rule_supports_a_level_per_quarter_of_the_tasks_done() -> None:
    assert [LevelBasis(1, share).supported_level for share in (0, 0.05, 0.25, 0.5, 0.74, 1)] == [
        1,
        1,
        2,
        3,
        3,
        4,
    ]
    assert LevelBasis(1, None).supported_level is None  # no task: nothing to measure


def test_a_level_far_above_the_registration_and_progress_needs_a_reason(
    client: FlaskClient, world: World
) -> None:
    _registered(world, 1)
    login(client, world.users[Role.CITY_ADMIN])
    form = page_text(client.get(_url(world), follow_redirects=True))
    assert '<dd id="muc-dang-ky">Mức độ 1</dd>' in form
    assert '<dd id="tien-do-xa">0%</dd>' in form  # none of the 3 tasks is done
    assert "Mức độ 2 cần 25% việc đã hoàn thành" in form  # the rule is said on the page

    data = {"reached_level": "4", "score": "95"}
    refused = client.post(_url(world), data=data)
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Mức độ 4 cao hơn mức đăng ký (Mức độ 1) quá một mức." in text
    assert "Mức độ 4 cần ít nhất 75% việc đã hoàn thành; tiến độ hiện là 0%." in text
    assert _level(world).reached_level is None  # type: ignore[union-attr]

    # A ticked box without a reason, or a reason without the tick, is still refused.
    for extra in ({"xac_nhan": "1"}, {"ly_do_vuot_muc": "Đã kiểm tra thực tế"}):
        response = client.post(_url(world), data=data | extra)
        assert response.status_code == 400
        assert "hãy đánh dấu xác nhận và ghi lý do" in page_text(response)
        assert 'value="95"' in page_text(response)  # what was typed stays
    assert _level(world).reached_level is None  # type: ignore[union-attr]

    too_long = client.post(_url(world), data=data | {"xac_nhan": "1", "ly_do_vuot_muc": "x" * 501})
    assert too_long.status_code == 400 and "tối đa 500 ký tự" in page_text(too_long)
    confirmed = data | {"xac_nhan": "1", "ly_do_vuot_muc": "  Đã kiểm tra thực tế tại xã  "}
    assert client.post(_url(world), data=confirmed).status_code == 302
    level = _level(world)
    assert level is not None and (level.reached_level, level.override_reason) == (
        4,
        "Đã kiểm tra thực tế tại xã",
    )


def test_a_level_the_registration_and_progress_support_needs_no_reason(
    client: FlaskClient, world: World
) -> None:
    _registered(world, 3)
    world.overdue.status = str(TaskStatus.DONE_ON_TIME)
    world.soon.status = str(TaskStatus.DONE_LATE)
    db.session.commit()
    login(client, world.users[Role.CITY_ADMIN])
    form = page_text(client.get(_url(world), follow_redirects=True))
    assert '<dd id="tien-do-xa">67%</dd>' in form and '<dd id="muc-tien-do">Mức độ 3</dd>' in form
    # Mức độ 3: the registered level, and 2 of 3 tasks done supports it.
    assert client.post(_url(world), data={"reached_level": "3", "score": "82"}).status_code == 302
    level = _level(world)
    assert level is not None and (level.reached_level, level.override_reason) == (3, None)
    # Mức độ 4 is only one above the registration, but would need 75% done.
    response = client.post(_url(world), data={"reached_level": "4", "score": "92"})
    assert response.status_code == 400
    assert "quá một mức." not in page_text(response)
    assert "tiến độ hiện là 66%" in page_text(response)
    assert _level(world).reached_level == 3  # type: ignore[union-attr]
