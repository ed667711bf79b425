"""One day's reminder sweep over a synthetic city of 114 communes (target: ≤ 5 s).

Each commune: 9 units, a chairman, a head and an officer per unit, and 40 task
occurrences spread over the year (windows, point deadlines, some overdue, some done).
The database is a fresh SQLite file; the sweep runs as ``tracker remind`` would, without
SMTP (mails are kept in the outbox), for one moment; a second sweep for the same moment
must queue nothing.

    .venv/bin/python bench/bench_reminders.py
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import create_app
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import (
    Commune,
    Plan,
    PlanItem,
    Role,
    Task,
    TaskStatus,
    Unit,
    User,
)
from tracker.services.database import upgrade_database
from tracker.services.scheduler import run_jobs

COMMUNES = 114
TASKS_PER_COMMUNE = 40
UNITS = ["Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND", "Phòng Kinh tế",
         "Trung tâm Phục vụ hành chính công", "Trung tâm Dịch vụ sự nghiệp công",
         "Công an", "Ban Xây dựng Đảng", "Ủy ban MTTQ Việt Nam", "Đoàn Thanh niên"]
MOMENT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def build_city(rng: random.Random) -> None:
    for c in range(COMMUNES):
        commune = Commune(name=f"Phường Thử {c}", slug=f"phuong-thu-{c}", kind="phuong")
        db.session.add(commune)
        db.session.flush()
        units = [Unit(commune_id=commune.id, name=n, slug=f"u{i}", is_focal=i == 0)
                 for i, n in enumerate(UNITS)]
        db.session.add_all(units)
        db.session.flush()
        people = [User(username=f"ct{c}", full_name="Chủ tịch", email=f"ct{c}@x.test",
                       password_hash="-", role=Role.CHAIRMAN, commune_id=commune.id,
                       created_at=T0)]
        officers = []
        for u in units:
            people.append(User(username=f"h{c}-{u.id}", full_name="Trưởng phòng",
                               email=f"h{c}-{u.id}@x.test", password_hash="-",
                               role=Role.UNIT_HEAD, commune_id=commune.id, unit_id=u.id,
                               created_at=T0, mail_mode=rng.choice(["instant", "digest"])))
            officer = User(username=f"o{c}-{u.id}", full_name="Công chức",
                           email=f"o{c}-{u.id}@x.test", password_hash="-",
                           role=Role.UNIT_STAFF, commune_id=commune.id, unit_id=u.id,
                           created_at=T0)
            people.append(officer)
            officers.append(officer)
        db.session.add_all(people)
        plan = Plan(slug=f"plan-{c}", commune_id=commune.id, issuer=commune.name,
                    title="Kế hoạch", period_from=2026, source_name="x", imported_at=T0)
        db.session.add(plan)
        db.session.flush()
        for n in range(TASKS_PER_COMMUNE):
            plan_item = PlanItem(plan_id=plan.id, position=n + 1, ref=str(n + 1),
                                 title=f"Nhiệm vụ {n + 1}", time_text="Hằng năm",
                                 cadence_kind="yearly", lead_units=[UNITS[n % 9]],
                                 coordinating_units=[UNITS[(n + 1) % 9]])
            db.session.add(plan_item)
            db.session.flush()
            due = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
            opens = due - dt.timedelta(days=rng.choice([0, 7, 30, 90]))
            unit = units[n % 9]
            officer = officers[n % 9]
            status = TaskStatus.DONE_ON_TIME if due < MOMENT.date() and rng.random() < 0.6 \
                else TaskStatus.IN_PROGRESS
            db.session.add(Task(
                plan_id=plan.id, plan_item_id=plan_item.id, commune_id=commune.id,
                unit_id=unit.id, year=2026, occurrence_key="2026", ref=str(n + 1),
                title=plan_item.title, opens_on=opens, due_on=due, status=str(status),
                assignee_id=officer.id, created_at=T0, updated_at=T0,
            ))
    db.session.commit()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade_database(url)
        clock = FixedClock(MOMENT - dt.timedelta(days=1))
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SMTP_HOST": "",
                          "SCHEDULER_ENABLED": False, "SECRET_KEY": "bench"}, clock=clock)
        with app.app_context():
            build_city(random.Random(2026))
            run_jobs(clock)  # yesterday's sweep: what a running system has already sent
            clock.set(MOMENT)
            started = time.perf_counter()
            mails = run_jobs(clock)
            elapsed = time.perf_counter() - started
            again = time.perf_counter()
            repeat = run_jobs(clock)
            elapsed_again = time.perf_counter() - again
            tasks = db.session.scalar(db.select(db.func.count(Task.id)))
            db.session.remove()
            db.engine.dispose()
    print(f"communes: {COMMUNES}, task occurrences: {tasks}")
    print(f"one day's sweep: {elapsed:.2f} s, {len(mails)} mails queued (target ≤ 5 s)")
    print(f"same moment again: {elapsed_again:.2f} s, {len(repeat)} mails queued")


if __name__ == "__main__":
    main()
