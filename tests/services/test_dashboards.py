"""The overdue board and the roll-ups, on a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from tests.factories import (
    make_commune,
    make_plan,
    make_plan_task,
    make_task,
    make_unit,
    make_user,
    unit_named,
)
from tracker.clock import FixedClock, today
from tracker.extensions import db
from tracker.models import CommuneLevel, Role, TaskEvent, TaskStatus
from tracker.services import dashboards, rollups
from tracker.services.dashboards import (
    DashboardError,
    age_bucket,
    overdue_board,
    resolve_commune,
    week_end,
)
from tracker.services.rollups import (
    CityTarget,
    StatusCounts,
    city_rollup,
    city_target,
    commune_rollup,
)

TODAY = dt.date(2026, 5, 4)  # the clock fixture's Monday


def test_age_buckets_cover_every_late_day() -> None:
    assert [age_bucket(d) for d in (1, 7, 8, 30, 31, 90, 91, 4000)] == [
        "1-7",
        "1-7",
        "8-30",
        "8-30",
        "31-90",
        "31-90",
        "91+",
        "91+",
    ]
    with pytest.raises(DashboardError):
        age_bucket(0)


def test_week_ends_on_sunday() -> None:
    assert week_end(TODAY) == dt.date(2026, 5, 10)
    assert week_end(dt.date(2026, 5, 10)) == dt.date(2026, 5, 10)


def test_board_groups_overdue_work_by_unit_and_age(app: Flask, clock: FixedClock) -> None:
    commune = make_commune("Phường Hòa Bình")
    vhxh = unit_named(commune, "Phòng Văn hóa - Xã hội")
    vp = unit_named(commune, "Văn phòng HĐND và UBND")
    plan = make_plan(commune, tasks=6)
    pt = plan.tasks
    late_3 = make_task(pt[0], vhxh, due_on=TODAY - dt.timedelta(days=3))
    late_40 = make_task(pt[1], vp, due_on=TODAY - dt.timedelta(days=40), status="returned")
    marked = make_task(pt[2], vp, due_on=TODAY - dt.timedelta(days=100), status="overdue")
    # Not overdue: waiting for review, done, cancelled, due today, no deadline.
    make_task(pt[3], vp, due_on=TODAY - dt.timedelta(days=5), status="awaiting_review")
    make_task(
        pt[3], vp, due_on=TODAY - dt.timedelta(days=5), status="done_late", occurrence_key="b"
    )
    make_task(
        pt[3], vp, due_on=TODAY - dt.timedelta(days=5), status="cancelled", occurrence_key="c"
    )
    due_today = make_task(pt[4], vhxh, due_on=TODAY)
    due_sunday = make_task(pt[5], vp, due_on=dt.date(2026, 5, 10))
    make_task(pt[5], vp, due_on=dt.date(2026, 5, 11), occurrence_key="next-week")
    make_task(pt[5], vp, due_on=None, status="no_deadline", occurrence_key="ongoing")
    escalated = make_task(
        pt[5],
        vhxh,
        due_on=TODAY - dt.timedelta(days=10),
        escalated_at=clock.now(),
        occurrence_key="esc",
    )
    other = make_commune("Xã Phú Thái", kind="xa")
    make_task(
        make_plan(other).tasks[0],
        unit_named(other, "Phòng Văn hóa - Xã hội"),
        due_on=TODAY - dt.timedelta(days=3),
    )

    board = overdue_board(commune, today(clock))

    assert [i.task for i in board.items] == [marked, late_40, escalated, late_3]
    assert [(i.days_late, i.bucket) for i in board.items] == [
        (100, "91+"),
        (40, "31-90"),
        (10, "8-30"),
        (3, "1-7"),
    ]
    assert board.by_bucket == {"1-7": 1, "8-30": 1, "31-90": 1, "91+": 1}
    assert [(r.unit.name, r.total, r.by_bucket) for r in board.by_unit] == [
        ("Phòng Văn hóa - Xã hội", 2, {"1-7": 1, "8-30": 1, "31-90": 0, "91+": 0}),
        ("Văn phòng HĐND và UBND", 2, {"1-7": 0, "8-30": 0, "31-90": 1, "91+": 1}),
    ]
    assert [e.task for e in board.escalations] == [escalated]
    assert board.due_this_week == [due_today, due_sunday]
    assert board.week_ends_on == dt.date(2026, 5, 10)


def test_board_shows_when_each_task_was_last_reminded(app: Flask, clock: FixedClock) -> None:
    commune = make_commune()
    unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    chairman = make_user(Role.CHAIRMAN, commune=commune)
    task = make_task(make_plan(commune).tasks[0], unit, due_on=TODAY - dt.timedelta(days=2))
    assert overdue_board(commune, TODAY).items[0].last_reminded_at is None

    for at in (clock.now() - dt.timedelta(days=1), clock.now()):
        db.session.add(TaskEvent(task_id=task.id, actor_id=chairman.id, at=at, action="remind"))
    later = clock.now() + dt.timedelta(hours=1)
    db.session.add(TaskEvent(task_id=task.id, actor_id=chairman.id, at=later, action="comment"))
    db.session.flush()

    assert overdue_board(commune, TODAY).items[0].last_reminded_at == clock.now()


def test_commune_people_see_their_commune_and_the_city_picks(app: Flask) -> None:
    home, other = make_commune("Phường Hòa Bình"), make_commune("Xã Phú Thái", kind="xa")
    make_commune("Thành phố Hải Phòng", kind="city", with_units=False)
    chairman = make_user(Role.CHAIRMAN, commune=home)
    city = make_user(Role.CITY_ADMIN)
    head = make_user(Role.UNIT_HEAD, commune=home, unit=unit_named(home, "Văn phòng HĐND và UBND"))

    assert resolve_commune(chairman, None) == home
    assert resolve_commune(chairman, home.slug) == home
    assert resolve_commune(chairman, other.slug) is None
    assert resolve_commune(city, None) is None
    assert resolve_commune(city, other.slug) == other
    assert resolve_commune(city, "khong-co") is None
    assert resolve_commune(head, None) is None
    assert [c.name for c in dashboards.dashboard_communes()] == ["Phường Hòa Bình", "Xã Phú Thái"]


def _status_counts(**counts: int) -> StatusCounts:
    result = StatusCounts()
    for status, n in counts.items():
        result.add(status, n, None, 0)
    return result


def test_rates_are_none_when_there_is_nothing_to_measure() -> None:
    empty = StatusCounts()
    assert empty.total == 0
    assert empty.progress is None and empty.on_time_rate is None and empty.points_rate is None
    counts = _status_counts(done_on_time=3, done_late=1, overdue=4, in_progress=2)
    assert counts.total == 10 and counts.done == 4
    assert counts.progress == pytest.approx(0.4)
    assert counts.on_time_rate == pytest.approx(3 / 8)


def test_commune_rollup_per_unit_and_group(app: Flask, clock: FixedClock) -> None:
    commune = make_commune("Phường Bạch Đằng")
    vhxh = unit_named(commune, "Phòng Văn hóa - Xã hội")
    vp = unit_named(commune, "Văn phòng HĐND và UBND")
    plan = make_plan(commune, tasks=0)
    g1 = "I. Chính quyền công khai, minh bạch"
    g2 = "II. Chính quyền thân thiện, hành động"
    a = make_plan_task(plan, group=g1, points=5.0)
    b = make_plan_task(plan, group=g2, points=3.0)
    c = make_plan_task(plan, group=None, points=None)
    make_task(a, vhxh, status="done_on_time", due_on=dt.date(2026, 3, 31))
    make_task(a, vp, status="done_late", due_on=dt.date(2026, 3, 31), occurrence_key="x")
    make_task(b, vp, status="in_progress", due_on=dt.date(2026, 4, 30))  # overdue now
    make_task(b, vp, status="awaiting_review", due_on=dt.date(2026, 4, 30), occurrence_key="y")
    make_task(c, vhxh, status="no_deadline", due_on=None)
    make_task(c, vhxh, status="cancelled", due_on=dt.date(2026, 6, 30), occurrence_key="z")
    make_task(a, vhxh, status="in_progress", due_on=dt.date(2027, 3, 31))  # another year

    rollup = commune_rollup(commune, 2026, today(clock))

    total = rollup.total
    assert total.total == 5
    assert total.by_status == {
        "done_on_time": 1,
        "done_late": 1,
        "overdue": 1,
        "awaiting_review": 1,
        "no_deadline": 1,
    }
    assert total.on_time_rate == pytest.approx(1 / 3)
    assert (total.points_secured, total.points_possible) == (10.0, 16.0)
    assert [(u.name, s.total, s.done) for u, s in rollup.by_unit] == [
        ("Phòng Văn hóa - Xã hội", 2, 1),
        ("Văn phòng HĐND và UBND", 3, 1),
    ]
    assert [(g, s.total, s.points_secured, s.points_possible) for g, s in rollup.by_group] == [
        (g1, 2, 10.0, 10.0),
        (g2, 2, 0.0, 6.0),
        ("", 1, 0.0, 0.0),
    ]
    assert rollup.by_group[2][1].points_rate is None
    assert rollup.years == [2026, 2027]


def test_city_target_follows_the_decision_and_configuration() -> None:
    assert city_target(2025) is None
    assert city_target(2026) == CityTarget(2026, 0.80, 0.20)
    assert city_target(2027) == CityTarget(2027, 1.0, 0.30)
    assert city_target(2029) == CityTarget(2029, 1.0, 0.30)
    assert city_target(2031) == CityTarget(2031, 1.0, 0.50)
    assert city_target(2026, {"2026": [0.9, 0.25]}) == CityTarget(2026, 0.9, 0.25)


def test_city_rollup_lists_every_commune_sorted(app: Flask, clock: FixedClock) -> None:
    a = make_commune("Phường Hòa Bình")
    b = make_commune("Xã Phú Thái", kind="xa")
    c = make_commune("Xã Vĩnh Bảo", kind="xa")
    city = make_commune("Thành phố Hải Phòng", kind="city", with_units=False)
    for commune, statuses in ((a, ["done_on_time", "in_progress"]), (b, ["done_late"] * 3)):
        unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
        plan = make_plan(commune)
        for i, status in enumerate(statuses):
            make_task(
                plan.tasks[0],
                unit,
                status=status,
                due_on=dt.date(2026, 3, 1),
                occurrence_key=str(i),
            )
    city_plan = make_plan(city)
    make_task(city_plan.tasks[0], make_unit(city, "Sở Nội vụ"), due_on=dt.date(2026, 3, 1))
    db.session.add_all(
        [
            CommuneLevel(commune_id=a.id, year=2026, registered_level=4, reached_level=4),
            CommuneLevel(commune_id=b.id, year=2026, registered_level=2, reached_level=None),
            CommuneLevel(commune_id=c.id, year=2027, registered_level=3, reached_level=3),
        ]
    )
    db.session.flush()

    rollup = city_rollup(2026, today(clock))
    assert [r.commune.name for r in rollup.rows] == [
        "Phường Hòa Bình",
        "Xã Phú Thái",
        "Xã Vĩnh Bảo",
    ]
    first = rollup.rows[0]
    assert (first.counts.total, first.counts.overdue, first.counts.progress) == (2, 1, 0.5)
    assert (first.registered_level, first.reached_level) == (4, 4)
    assert rollup.rows[2].counts.total == 0 and rollup.rows[2].registered_level is None
    assert (rollup.reached_count, rollup.level_4_count, rollup.registered_count) == (1, 1, 2)
    assert rollup.reached_share == pytest.approx(1 / 3)
    assert rollup.target == CityTarget(2026, 0.8, 0.2)
    assert rollup.meets_reach_target is False and rollup.meets_level_4_target is True

    by_progress = city_rollup(2026, today(clock), sort="progress", descending=True)
    assert [r.commune.name for r in by_progress.rows] == [
        "Xã Phú Thái",
        "Phường Hòa Bình",
        "Xã Vĩnh Bảo",  # 100 %, 50 %, then none last
    ]
    by_overdue = city_rollup(2026, today(clock), sort="overdue")
    assert [r.commune.name for r in by_overdue.rows] == [
        "Xã Phú Thái",
        "Xã Vĩnh Bảo",
        "Phường Hòa Bình",
    ]
    with pytest.raises(DashboardError, match="cannot sort"):
        city_rollup(2026, today(clock), sort="drop table")


def test_rollup_counts_agree_with_the_task_list_rule(app: Flask, clock: FixedClock) -> None:
    """The board and the task lists must call the same tasks overdue."""
    from tracker.services.task_lists import is_overdue

    commune = make_commune()
    unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    plan = make_plan(commune)
    tasks = [
        make_task(
            plan.tasks[0], unit, status=str(status), due_on=due, occurrence_key=f"{status}{i}"
        )
        for status in TaskStatus
        for i, due in enumerate((TODAY - dt.timedelta(days=1), TODAY, None))
    ]
    on_board = {i.task.id for i in overdue_board(commune, TODAY).items}
    assert on_board == {t.id for t in tasks if is_overdue(t, TODAY)}
    assert rollups.commune_rollup(commune, 2026, TODAY).total.overdue == len(
        [t for t in tasks if is_overdue(t, TODAY) and t.year == 2026]
    )
