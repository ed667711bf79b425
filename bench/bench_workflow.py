"""Workflow benchmarks (plain script; figures go into docs/workflows.md).

1. Complete-a-task round trip on the Bạch Đằng plan's instance (67 plan tasks, ~190
   occurrences in 2026): ``submit_task`` = load the instance, restore the occurrence,
   refresh timers, complete, save with the version check, sync the task table, commit;
   the same for ``return_task`` and ``approve_task`` (approving the last open occurrence
   of a plan task restores the whole top-level workflow: measured apart).
2. A timer tick over 114 communes' instances (the Hòa Bình plan run by every commune):
   idle (nothing due) and when a deadline they all share passes.

Runs on a fresh SQLite file, or on DATABASE_URL if it is set.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker import create_app  # noqa: E402
from tracker.clock import VN_TZ, FixedClock  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.importing import read_plan  # noqa: E402
from tracker.importing.communes import all_communes  # noqa: E402
from tracker.models import (  # noqa: E402
    Role,
    Task,
    TaskStatus,
    User,
    WorkflowInstance,
    WorkflowPart,
)
from tracker.services.communes import ensure_commune  # noqa: E402
from tracker.services.database import upgrade_database  # noqa: E402
from tracker.services.plans import store_plan  # noqa: E402
from tracker.services.tasks import (  # noqa: E402
    approve_task,
    refresh_statuses,
    return_task,
    submit_task,
)
from tracker.services.workflows import start_instance  # noqa: E402

BACH_DANG = ROOT / "seeds" / "002_d308d95e65e133c3.txt"
HOA_BINH = ROOT / "seeds" / "000_96978fae4b697af7.txt"


def _user(role: Role, commune_id: int, unit_id: int | None, name: str) -> User:
    user = User(username=name, full_name=name, email=f"{name}@bench.test", password_hash="-",
                role=str(role), commune_id=commune_id, unit_id=unit_id,
                created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    db.session.add(user)
    db.session.flush()
    return user


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, round(len(values) * 0.95) - 1)]
    p50 = statistics.median(values)
    return f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (n={len(values)})"


def round_trip(url: str) -> None:
    clock = FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, clock=clock)
    with app.app_context():
        plan = store_plan(read_plan(BACH_DANG), source_name=BACH_DANG.name, clock=clock)
        instance = start_instance(plan, plan.commune, 2026, clock)
        db.session.commit()
        rows = list(db.session.scalars(db.select(Task).where(
            Task.instance_id == instance.id, Task.status == str(TaskStatus.IN_PROGRESS))))
        focal = _user(Role.FOCAL_OFFICER, plan.commune_id, None, "focal")
        heads = {unit_id: _user(Role.UNIT_HEAD, plan.commune_id, unit_id, f"head{unit_id}")
                 for unit_id in {r.unit_id for r in rows}}
        db.session.commit()
        parts = db.session.execute(db.select(
            db.func.count(WorkflowPart.key), db.func.sum(db.func.length(WorkflowPart.state)),
        ).where(WorkflowPart.instance_id == instance.id)).one()
        size = len(instance.state) + parts[1]
        submit, back, approve = [], [], []
        for row in rows[:40]:
            start = time.perf_counter()
            submit_task(row, heads[row.unit_id], "Đã thực hiện", [], clock)
            db.session.commit()
            submit.append(time.perf_counter() - start)
            start = time.perf_counter()
            return_task(row, focal, "Bổ sung", clock)
            db.session.commit()
            back.append(time.perf_counter() - start)
        finishing = []  # approvals of a branch's last open occurrence: the whole top level
        for row in rows:
            submit_task(row, heads[row.unit_id], "Đã thực hiện", [], clock)
            db.session.commit()
            siblings = db.session.scalars(db.select(Task.status).where(
                Task.instance_id == instance.id, Task.plan_item_id == row.plan_item_id,
                Task.id != row.id)).all()
            start = time.perf_counter()
            approve_task(row, focal, None, clock)
            db.session.commit()
            elapsed = time.perf_counter() - start
            done = {str(TaskStatus.DONE_ON_TIME), str(TaskStatus.DONE_LATE)}
            (finishing if set(siblings) <= done else approve).append(elapsed)
        print(f"Bạch Đằng instance: {len(plan.tasks)} plan tasks, "
              f"{db.session.scalar(db.select(db.func.count(Task.id)))} task rows, "
              f"state {size / 1e6:.2f} MB: trunk {len(instance.state) / 1e3:.0f} kB "
              f"+ {parts[0]} parts")
        print(f"  submit round trip: {_ms(submit)}")
        print(f"  return round trip: {_ms(back)}")
        print(f"  approve round trip: {_ms(approve)}")
        print(f"  approve finishing a plan task (whole top level): {_ms(finishing)}")
        db.session.remove()
        db.engine.dispose()


def tick(url: str) -> None:
    clock = FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, clock=clock)
    with app.app_context():
        plan = store_plan(read_plan(HOA_BINH), source_name=HOA_BINH.name, clock=clock)
        start = time.perf_counter()
        communes = all_communes()
        for found in communes:
            start_instance(plan, ensure_commune(found.name), 2026, clock)
        db.session.commit()
        print(f"started {len(communes)} instances of {plan.slug} in "
              f"{time.perf_counter() - start:.1f} s")
        idle = []
        for _ in range(5):
            start = time.perf_counter()
            report = refresh_statuses(clock)
            db.session.commit()
            idle.append(time.perf_counter() - start)
            assert not report.fired
        print(f"  idle tick over {len(communes)} instances: {_ms(idle)}")
        first = db.session.scalar(db.select(db.func.min(WorkflowInstance.next_timer_at)))
        clock.set(first + dt.timedelta(minutes=1))
        start = time.perf_counter()
        report = refresh_statuses(clock)
        db.session.commit()
        elapsed = time.perf_counter() - start
        print(f"  tick when a common deadline passes: {elapsed * 1000:.0f} ms, "
              f"{len(report.fired)} timers fired, "
              f"{sum(f.escalated for f in report.fired)} escalations")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if url:
        print(f"database: {url}")
        round_trip(url)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, bench in (("round", round_trip), ("tick", tick)):
            db_url = f"sqlite:///{tmp}/{name}.sqlite3"
            upgrade_database(db_url)
            bench(db_url)


if __name__ == "__main__":
    main()
