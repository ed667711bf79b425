"""The overdue board and the roll-ups, on a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import (
    make_commune,
    make_plan,
    make_plan_item,
    make_task,
    make_unit,
    make_user,
    unit_named,
)
from tracker.clock import FixedClock, today
from tracker.extensions import db
from tracker.importing import read_plan
from tracker.models import (
    CommuneLevel,
    Mail,
    PlanItem,
    Role,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
    UnitKind,
)
from tracker.services import dashboards, rollups
from tracker.services.city_rollups import CityTarget, city_rollup, city_target
from tracker.services.dashboards import (
    DashboardError,
    age_bucket,
    overdue_board,
    resolve_commune,
    week_end,
)
from tracker.services.plans import store_plan
from tracker.services.rollups import StatusCounts, commune_rollup
from tracker.services.workflows import start_instance

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


def _mail(task: object, person: object, kind: str, at: dt.datetime) -> Mail:
    return Mail(
        dedupe_key=f"{kind}:{at.isoformat()}:{task.id}:{person.id}", recipient_id=person.id,
        address=person.email, kind=kind, step="", task_id=task.id, commune_id=task.commune_id,
        scheduled_on=at.date(), subject="", body_text="", body_html="", message_id="",
        status="held", created_at=at,
    )


def test_board_shows_when_and_whom_each_task_was_reminded(app: Flask, clock: FixedClock) -> None:
    commune = make_commune()
    unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    chairman = make_user(Role.CHAIRMAN, commune=commune)
    head = make_user(Role.UNIT_HEAD, commune=commune, unit=unit, full_name="Trần Thị Trưởng")
    task = make_task(make_plan(commune).tasks[0], unit, due_on=TODAY - dt.timedelta(days=2))
    entry = overdue_board(commune, TODAY).items[0]
    assert entry.last_reminded_at is None
    assert entry.reachable == [head]  # a reminder now would reach the unit head

    # The ladder's automatic overdue mail counts as a reminder; the chairman's escalation and
    # a comment do not.
    db.session.add(_mail(task, head, "overdue", clock.now() - dt.timedelta(days=1)))
    db.session.add(_mail(task, chairman, "escalation", clock.now() + dt.timedelta(hours=2)))
    db.session.add(TaskEvent(task_id=task.id, actor_id=chairman.id,
                             at=clock.now() + dt.timedelta(hours=1), action="comment"))
    db.session.flush()
    entry = overdue_board(commune, TODAY).items[0]
    assert entry.last_reminded_at == clock.now() - dt.timedelta(days=1)
    assert entry.reminded == ["Trần Thị Trưởng"]


def test_nobody_is_reachable_for_a_collective_task_nobody_was_named_for(app: Flask) -> None:
    commune = make_commune()
    collective = make_unit(commune, "Các phòng, cơ quan, đơn vị", kind=UnitKind.COLLECTIVE)
    focal = make_user(Role.FOCAL_OFFICER, commune=commune, full_name="Lê Văn Đầu Mối")
    make_task(make_plan(commune).tasks[0], collective, due_on=TODAY - dt.timedelta(days=2))
    board = overdue_board(commune, TODAY)
    entry = board.items[0]
    assert entry.is_collective and entry.reachable == []
    assert board.assigners == [focal]


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
        result.add(status, n)
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
    a = make_plan_item(plan, group=g1, points=5.0)
    b = make_plan_item(plan, group=g2, points=3.0)
    c = make_plan_item(plan, group=None, points=None)
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
    # Points per plan item, once: a (5, both rows done) is secured, b (3) is not, c has none.
    assert (total.points_secured, total.points_possible) == (5.0, 8.0)
    # a has rows in both units: it counts under each, secured as a whole.
    assert [
        (u.name, s.total, s.done, s.points_secured, s.points_possible) for u, s in rollup.by_unit
    ] == [
        ("Phòng Văn hóa - Xã hội", 2, 1, 5.0, 5.0),
        ("Văn phòng HĐND và UBND", 3, 1, 5.0, 8.0),
    ]
    assert [(g, s.total, s.points_secured, s.points_possible) for g, s in rollup.by_group] == [
        (g1, 2, 5.0, 5.0),
        (g2, 2, 0.0, 3.0),
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
    """The board, the task lists and SQL call the same tasks overdue (one rule)."""
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
    overdue = {t.id for t in tasks if t.is_overdue_on(TODAY)}
    assert overdue and overdue != {t.id for t in tasks}
    in_sql = set(db.session.scalars(db.select(Task.id).where(Task.is_overdue_on(TODAY))))
    assert in_sql == overdue
    on_board = {i.task.id for i in overdue_board(commune, TODAY).items}
    assert on_board == overdue
    assert rollups.commune_rollup(commune, 2026, TODAY).total.overdue == len(
        [t for t in tasks if t.is_overdue_on(TODAY) and t.year == 2026]
    )


# --------------------------------------------------------------------------- points per plan item


def _points(counts: StatusCounts) -> tuple[float, float]:
    return (counts.points_secured, counts.points_possible)


def _weekly_rows(plan_item: PlanItem, unit: Unit, status: str, year: int = 2026) -> list[Task]:
    first = dt.date(year, 1, 4)
    return [
        make_task(
            plan_item,
            unit,
            status=status,
            due_on=first + dt.timedelta(weeks=n),
            occurrence_key=f"{year}-W{n + 1:02d}",
        )
        for n in range(52)
    ]


def test_a_weekly_item_counts_its_points_once(app: Flask, clock: FixedClock) -> None:
    commune = make_commune("Phường Bạch Đằng")
    unit = unit_named(commune, "Văn phòng HĐND và UBND")
    plan = make_plan(commune, tasks=0)
    weekly = make_plan_item(plan, ref="II.6", group="II. Thân thiện", points=1.0)
    yearly = make_plan_item(plan, ref="II.7.b", group="II. Thân thiện", points=2.0)
    _weekly_rows(weekly, unit, "done_on_time")
    make_task(yearly, unit, due_on=dt.date(2026, 12, 31))
    _weekly_rows(weekly, unit, "not_due", year=2027)  # another year: not this year's points

    rollup = commune_rollup(commune, 2026, TODAY)

    assert rollup.total.total == 53  # the rows still count one by one
    assert _points(rollup.total) == (1.0, 3.0)  # not 52 of 54
    assert _points(rollup.by_unit[0][1]) == (1.0, 3.0)
    assert _points(rollup.by_group[0][1]) == (1.0, 3.0)
    city = city_rollup(2026, TODAY)
    assert [_points(r.counts) for r in city.rows] == [(1.0, 3.0)]
    assert _points(commune_rollup(commune, 2027, TODAY).total) == (0.0, 1.0)


def test_an_item_is_secured_only_when_all_its_rows_are_done(app: Flask, clock: FixedClock) -> None:
    commune = make_commune("Phường Bạch Đằng")
    focal = unit_named(commune, "Phòng Văn hóa - Xã hội")
    office = unit_named(commune, "Văn phòng HĐND và UBND")
    police = make_unit(commune, "Công an phường")
    plan = make_plan(commune, tasks=0)
    item = make_plan_item(plan, ref="II.8", group="II. Thân thiện", points=5.0)
    quarters = [
        make_task(
            item, focal, status="done_on_time", due_on=dt.date(2026, m, 28), occurrence_key=f"Q{m}"
        )
        for m in (3, 6, 9, 12)
    ]
    quarters[3].status = "in_progress"
    # Withdrawn work does not hold the item back.
    make_task(item, focal, status="cancelled", due_on=dt.date(2026, 4, 1), occurrence_key="x")
    # A share of a split collective task: same plan item, no points of its own, another unit.
    share = make_task(
        item,
        office,
        parent_id=quarters[0].id,
        points=None,
        status="done_late",
        due_on=dt.date(2026, 3, 28),
        occurrence_key="Q3",
    )
    other = make_plan_item(plan, ref="II.5", group="II. Thân thiện", points=1.0)
    make_task(other, police, status="done_late", due_on=dt.date(2026, 2, 1))
    db.session.flush()

    def points_by_unit() -> dict[str, tuple[float, float]]:
        rollup = commune_rollup(commune, 2026, TODAY)
        assert _points(city_rollup(2026, TODAY).rows[0].counts) == _points(rollup.total)
        return {"total": _points(rollup.total)} | {u.name: _points(c) for u, c in rollup.by_unit}

    # One quarter still in hand: the 5 points are possible everywhere, secured nowhere.
    assert points_by_unit() == {
        "total": (1.0, 6.0),
        "Phòng Văn hóa - Xã hội": (0.0, 5.0),
        "Văn phòng HĐND và UBND": (0.0, 5.0),
        "Công an phường": (1.0, 1.0),
    }
    quarters[3].status = "done_on_time"
    share.status = "returned"
    db.session.flush()
    # The lead's rows are done but the share is not: still not secured, in either unit.
    assert points_by_unit()["total"] == (1.0, 6.0)
    assert points_by_unit()["Phòng Văn hóa - Xã hội"] == (0.0, 5.0)
    share.status = "done_on_time"
    db.session.flush()
    # Every row done: secured, once in the total, under each unit that holds rows of it.
    assert points_by_unit() == {
        "total": (6.0, 6.0),
        "Phòng Văn hóa - Xã hội": (5.0, 5.0),
        "Văn phòng HĐND và UBND": (5.0, 5.0),
        "Công an phường": (1.0, 1.0),
    }


def test_an_item_with_only_cancelled_rows_is_not_possible(app: Flask, clock: FixedClock) -> None:
    commune = make_commune()
    unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    plan = make_plan(commune, tasks=0)
    kept = make_plan_item(plan, points=2.0)
    dropped = make_plan_item(plan, points=3.0)
    make_task(kept, unit, status="done_on_time", due_on=dt.date(2026, 3, 1))
    make_task(dropped, unit, status="cancelled", due_on=dt.date(2026, 3, 1))
    assert _points(commune_rollup(commune, 2026, TODAY).total) == (2.0, 2.0)
    assert _points(city_rollup(2026, TODAY).rows[0].counts) == (2.0, 2.0)


def test_bach_dang_possible_points_are_its_scoring_table(
    app: Flask, clock: FixedClock, seeds_dir: Path
) -> None:
    """The real scoring table (98 points as written): each item counts once, however many rows.

    Three items (IV.4.a-c, 1 point each) are due "Tháng 1/2026", before the plan was issued
    on 05/02/2026: the deadline engine gives them no occurrence, so no task row in 2026, and
    by the rule (an item is possible in a year it has rows) 95 of the 98 points are possible.
    """
    source = seeds_dir / "002_d308d95e65e133c3.txt"
    draft = read_plan(source)
    table_points = sum(t.points for t in draft.tasks if t.points is not None)
    assert table_points == pytest.approx(98.0)
    plan = store_plan(draft, source_name=source.name, clock=clock)
    start_instance(plan, plan.commune, 2026, clock)
    rows = db.session.scalar(
        select(func.count(Task.id)).where(Task.plan_id == plan.id, Task.year == 2026)
    )
    assert rows is not None and rows > 2 * len(draft.tasks)  # occurrences, not items
    with_rows = set(
        db.session.scalars(
            select(Task.plan_item_id).where(Task.plan_id == plan.id, Task.year == 2026)
        )
    )
    without_rows = [t for t in plan.tasks if t.id not in with_rows]
    assert [(t.ref, t.time_text, t.points) for t in without_rows] == [
        ("IV.4.a", "Tháng 1/2026", 1.0),
        ("IV.4.b", "Tháng 1/2026", 1.0),
        ("IV.4.c", "Tháng 1/2026", 1.0),
    ]
    scheduled_points = sum(t.points or 0.0 for t in plan.tasks if t.id in with_rows)

    rollup = commune_rollup(plan.commune, 2026, today(clock))

    assert rollup.total.total == rows
    # The table's points, once each (before the fix: 309, one copy per row).
    assert rollup.total.points_possible == pytest.approx(scheduled_points)
    assert rollup.total.points_possible == pytest.approx(table_points - 3.0)
    assert rollup.total.points_secured == 0.0
    assert sum(c.points_possible for _g, c in rollup.by_group) == pytest.approx(scheduled_points)
    assert len(rollup.by_group) == 4 and all(g.startswith("TIÊU CHÍ") for g, _c in rollup.by_group)
    # An item led by several units counts under each unit holding rows of it, once in total.
    per_unit = [c.points_possible for _u, c in rollup.by_unit]
    assert max(per_unit) < scheduled_points <= sum(per_unit) + 1e-9
    city = city_rollup(2026, today(clock))
    (row,) = [r for r in city.rows if r.commune.id == plan.commune_id]
    assert _points(row.counts) == _points(rollup.total)
