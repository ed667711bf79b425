"""The yearly rollover: a plan's next year starts by itself, once, when its first window opens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from tests.factories import make_commune, make_plan, make_plan_item
from tracker.cli import main
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import Commune, Plan, Task, WorkflowInstance
from tracker.services.demo import build_demo
from tracker.services.occurrences import year_occurrences
from tracker.services.plans import build_spec
from tracker.services.rollover import due_years, start_due_years, year_opens_on
from tracker.services.tasks import refresh_statuses
from tracker.services.workflows import start_instance

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _at(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def _years(plan: Plan) -> list[int]:
    return sorted(db.session.scalars(
        select(WorkflowInstance.year).where(WorkflowInstance.plan_id == plan.id)))


def _task_snapshot(commune: Commune, year: int) -> list[tuple[str, str, str | None, str]]:
    rows = db.session.scalars(
        select(Task).where(Task.commune_id == commune.id, Task.year == year)
        .order_by(Task.ref, Task.occurrence_key))
    return [(r.ref, r.occurrence_key, r.due_on.isoformat() if r.due_on else None, r.status)
            for r in rows]


def _yearly_plan(**overrides: object) -> Plan:
    fields: dict[str, object] = {"period_from": 2026, "period_to": 2030, "open_ended": False}
    plan = make_plan(make_commune(), tasks=0, **(fields | overrides))
    make_plan_item(plan, time_text="Trước ngày 15/02 hằng năm", cadence_kind="yearly", rrule=None)
    build_spec(plan, FixedClock(_at(2026, 4, 17)))  # as the import does: the plan now runs
    return plan


def test_the_next_year_starts_on_1_january_and_only_once(app: Flask, clock: FixedClock) -> None:
    plan = _yearly_plan()
    start_instance(plan, plan.commune, 2026, clock)
    clock.set(_at(2026, 12, 31, 23, 59))
    assert start_due_years(clock) == []  # 2027 has not come
    clock.set(_at(2027, 1, 1, 0, 30))  # 17:30 UTC on 31/12: already 2027 in Hải Phòng
    started = start_due_years(clock)
    assert [(s.instance.year, s.task_count) for s in started] == [(2027, 1)]
    assert start_due_years(clock) == []
    clock.advance(dt.timedelta(days=30))
    assert start_due_years(clock) == []
    assert _years(plan) == [2026, 2027]


def test_a_year_starts_when_its_first_window_opens_in_december(
    app: Flask, clock: FixedClock
) -> None:
    # Work keyed 2027 whose window opens in December 2026 starts the 2027 instance then.
    plan = _yearly_plan()
    early = make_plan_item(plan, time_text="Trước ngày 15/01 của năm sau", cadence_kind="once",
                           rrule=None)
    build_spec(plan, clock)
    windows = [dt.date.fromisoformat(o["opens_on"])
               for o in year_occurrences(plan, early, 2027)]
    assert windows and min(windows) < dt.date(2027, 1, 1)
    opens = year_opens_on(plan, 2027)
    assert opens == min(windows)
    assert due_years(plan, opens - dt.timedelta(days=1)) == [2026]
    assert due_years(plan, opens) == [2026, 2027]
    assert due_years(plan, dt.date(2031, 6, 1)) == [2026, 2027, 2028, 2029, 2030]
    start_instance(plan, plan.commune, 2026, clock)
    clock.set(dt.datetime.combine(opens, dt.time(0, 30), tzinfo=VN_TZ))
    assert [s.instance.year for s in start_due_years(clock)] == [2027]


def test_open_ended_plans_continue_after_their_last_year(app: Flask, clock: FixedClock) -> None:
    plan = _yearly_plan(open_ended=True)
    assert due_years(plan, dt.date(2032, 3, 1)) == list(range(2026, 2033))
    clock.set(_at(2031, 1, 2))
    started = start_due_years(clock)
    assert [s.instance.year for s in started] == list(range(2026, 2032))
    year_2031 = next(s for s in started if s.instance.year == 2031)
    assert year_2031.task_count == 1
    due = db.session.scalar(select(Task.due_on).where(Task.instance_id == year_2031.instance.id))
    assert due is not None and due.year == 2031 and due.month == 2


def test_a_plan_for_a_later_period_waits_for_its_first_year(
    app: Flask, clock: FixedClock
) -> None:
    plan = _yearly_plan(period_from=2027, period_to=2027)
    clock.set(_at(2026, 11, 20))
    assert start_due_years(clock) == []
    clock.set(_at(2027, 1, 1, 0, 0))
    assert [s.instance.year for s in start_due_years(clock)] == [2027]
    clock.set(_at(2028, 1, 3))
    assert start_due_years(clock) == []  # closed period: no 2028
    assert _years(plan) == [2027]


def test_a_withdrawn_plan_starts_no_further_year(app: Flask, clock: FixedClock) -> None:
    plan = _yearly_plan()
    start_instance(plan, plan.commune, 2026, clock)
    plan.withdrawn_at = _at(2026, 6, 1)
    db.session.flush()
    clock.set(_at(2027, 1, 2))
    assert start_due_years(clock) == []
    assert _years(plan) == [2026]


def test_a_plan_row_without_a_process_is_not_started(app: Flask, clock: FixedClock) -> None:
    plan = make_plan(make_commune(), period_from=2026, period_to=2030)
    clock.set(_at(2027, 1, 5))
    assert start_due_years(clock) == []
    assert _years(plan) == []


def test_refresh_reports_the_started_years(app: Flask, clock: FixedClock) -> None:
    plan = _yearly_plan()
    start_instance(plan, plan.commune, 2026, clock)
    clock.set(_at(2027, 1, 5))
    report = refresh_statuses(clock)
    assert [s.instance.year for s in report.started] == [2027]
    assert refresh_statuses(clock).started == []


def _demo_then_tick(app: Flask, database_url: str, clock: FixedClock, tick: str) -> list[tuple]:
    clock.set(_at(2026, 12, 28))
    build_demo(SEEDS, clock)
    db.session.commit()
    env = {"DATABASE_URL": database_url}
    first = CliRunner().invoke(main, ["workflow", "tick", "--now", tick], env=env)
    assert first.exit_code == 0, first.output
    assert "Phường Hòa Bình phuong-hoa-binh-102-kh-ubnd 2027: started" in first.output
    second = CliRunner().invoke(main, ["workflow", "tick", "--now", tick], env=env)
    assert second.exit_code == 0, second.output
    assert second.output.splitlines()[-1].startswith("0 years started, 0 timers fired")
    db.session.expire_all()
    hoa_binh = db.session.scalars(select(Commune).where(Commune.slug == "phuong-hoa-binh")).one()
    return _task_snapshot(hoa_binh, 2027)


def test_demo_at_new_year_gives_hoa_binh_its_2027_tasks(
    app: Flask, database_url: str, clock: FixedClock
) -> None:
    tasks = _demo_then_tick(app, database_url, clock, "2027-01-05T08:00:00+07:00")
    assert len({(ref, key) for ref, key, _due, _status in tasks}) == len(tasks) > 10
    # The yearly registration ("Trước ngày 15/02 hằng năm"): due in February 2027, by the
    # deadline engine's rule for "trước ngày".
    registration = [t for t in tasks if t[:2] == ("3", "2027")]
    assert len(registration) == 1 and registration[0][2].startswith("2027-02-")
    assert registration[0][3] == "not_due"
    instances = db.session.scalar(select(func.count(WorkflowInstance.id))
                                  .where(WorkflowInstance.year == 2027))
    assert instances == 4  # Bạch Đằng's plan is for 2026 only


def test_a_tick_a_week_late_gives_the_same_year(
    app: Flask, database_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    on_time = _demo_then_tick(app, database_url, clock, "2027-01-05T08:00:00+07:00")
    db.session.remove()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    late = _demo_then_tick(app, database_url, clock, "2027-01-12T08:00:00+07:00")
    # The same occurrences and deadlines; statuses as of a week later (none opened meanwhile).
    assert [t[:3] for t in late] == [t[:3] for t in on_time]
