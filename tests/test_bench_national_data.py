"""The national benchmark's data generator, run small (3 provinces × 5 communes) so it keeps
working; the full-size run (3,321 communes) is bench/bench_national.py, not the suite."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from bench.national_data import NOW, generate
from tracker import create_app
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Commune, Task, TaskEvent, User
from tracker.services import national_rollups, task_tallies
from tracker.services.permissions import visible_tasks


def test_a_small_country_is_generated_and_rolls_up(
    database_url: str, app_config: dict[str, Any]
) -> None:
    data = generate(database_url, max_provinces=3, max_communes=5)
    assert data.rows["province"] == 3 and data.rows["commune"] == 15
    assert data.rows["unit"] == 15 * 9
    assert data.rows["task"] > 15 * 5 * 50  # weekly items: ~52 rows a year each
    assert data.rows["task_event"] > 0
    assert data.biggest_province  # every province capped at 5 communes: any of them
    app = create_app(app_config, clock=FixedClock(NOW))
    with app.app_context():
        assert db.session.scalar(select(func.count(Task.id))) == data.rows["task"]
        assert db.session.scalar(select(func.count(TaskEvent.id))) == data.rows["task_event"]
        assert task_tallies.differences() == {}  # COPY skips the triggers; recounted after
        kinds = set(db.session.scalars(select(Commune.kind).distinct()))
        assert kinds <= {"xa", "phuong", "dac_khu"}
        rollup = national_rollups.national_rollup(2028, NOW.date())
        assert [r.commune_count for r in rollup.rows] == [5, 5, 5]
        assert "hai_phong" in {r.province.codename for r in rollup.rows}  # home always chosen
        assert all(r.counts.total > 0 and r.counts.done > 0 for r in rollup.rows)
        assert sum(r.counts.total for r in rollup.rows) == db.session.scalar(
            select(func.count(Task.id)).where(Task.year == 2028)
        )
        admin = db.session.get(User, data.province_admins["hai_phong"])
        seen = db.session.scalar(select(func.count()).select_from(visible_tasks(admin).subquery()))
        own = db.session.scalar(
            select(func.count(Task.id))
            .join(Commune, Commune.id == Task.commune_id)
            .where(Commune.province_id == 1)
        )
        assert seen == own > 0
        # Statuses as of NOW: nothing that is due later is already late.
        late_future = db.session.scalar(
            select(func.count(Task.id)).where(Task.status == "overdue", Task.due_on >= NOW.date())
        )
        assert late_future == 0
        assert NOW.date() == dt.date(2028, 6, 15)
        db.session.remove()
        db.engine.dispose()
