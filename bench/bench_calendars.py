"""Calendar feed benchmark: a commune's five-year feed, and a 304 answer.

Targets (issue 7): the feed generated in ≤ 100 ms; a 304 answered in ≤ 5 ms. Run with
``make bench`` or ``.venv/bin/python bench/bench_calendars.py``; prints the figures that
docs/calendars.md quotes. SQLite in a temporary directory, so it measures our code, not a
database server.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.factories import make_commune, make_plan, make_plan_item, make_task, make_user
from tracker import create_app
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import CalendarScope, Role, TaskStatus
from tracker.services import calendar_tokens, calendars
from tracker.services.database import upgrade_database
from tracker.web.labels import status_label

YEARS = range(2026, 2031)
YEARLY_TASKS = 80  # a scoring-table annex like Bạch Đằng's: leaf items due once a year
MONTHLY_TASKS = 4  # "Ít nhất 1 tháng/lần"
QUARTERLY_TASKS = 4  # "Quý I … Quý IV"
RUNS = 30
TITLE = (
    "Thực hiện công khai, minh bạch thông tin về thủ tục hành chính, kết quả giải quyết hồ sơ "
    "trên Cổng thông tin điện tử của phường và tại Bộ phận Một cửa (mục {n})"
)


def populate() -> str:
    commune = make_commune("Phường Bạch Đằng")
    units = commune.units
    plan = make_plan(commune, tasks=0)
    count = 0
    for n in range(YEARLY_TASKS + MONTHLY_TASKS + QUARTERLY_TASKS):
        plan_item = make_plan_item(
            plan,
            title=TITLE.format(n=n + 1),
            time_text="Hằng năm" if n < YEARLY_TASKS else "Ít nhất 1 tháng/lần",
            evidence="Ảnh chụp, đường dẫn, báo cáo kết quả thực hiện",
            coordinating_units=["Các phòng, cơ quan, đơn vị", "Ủy ban MTTQ Việt Nam phường"],
        )
        unit = units[n % len(units)]
        for year in YEARS:
            if n < YEARLY_TASKS:
                dues = [(dt.date(year, 12, 31), str(year))]
            elif n < YEARLY_TASKS + MONTHLY_TASKS:
                dues = [(_month_end(year, m), f"{year}-{m:02d}") for m in range(1, 13)]
            else:
                dues = [(_month_end(year, 3 * q), f"{year}-Q{q}") for q in range(1, 5)]
            for due, key in dues:
                status = TaskStatus.NOT_DUE if due.year > 2026 else TaskStatus.IN_PROGRESS
                make_task(plan_item, unit, due_on=due, occurrence_key=key, status=str(status))
                count += 1
    chairman = make_user(Role.CHAIRMAN, commune=commune)
    _, secret = calendar_tokens.create_token(
        chairman, CalendarScope.COMMUNE, device_name="bench",
        now=dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ),  # the bench's fixed clock
    )
    db.session.commit()
    print(f"commune feed: {count} task occurrences over {len(YEARS)} years")
    return secret


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def timed(fn, runs: int = RUNS) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm caches (SQLAlchemy statement cache, gettext catalogues)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float], limit_ms: float) -> bool:
    median, worst = statistics.median(samples), max(samples)
    ok = median <= limit_ms
    print(
        f"{name}: median {median:.1f} ms, max {worst:.1f} ms (limit {limit_ms} ms) "
        f"{'OK' if ok else 'TOO SLOW'}"
    )
    return ok


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade_database(url)
        clock = FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "BASE_URL": "https://han.test"},
            clock=clock,
        )
        with app.app_context():
            secret = populate()
            resolved = calendar_tokens.resolve_feed(secret)
            assert resolved is not None
            settings = calendars.FeedSettings.from_config(app.config)
            now = clock.now()

            def build() -> bytes:
                return calendars.build_feed(
                    resolved.target,
                    resolved.user,
                    calendars.FeedComponent.EVENT,
                    now,
                    settings,
                    status_label,
                )

            size = len(build())
            print(f"feed size: {size / 1024:.0f} KiB")

            def build_cold() -> bytes:
                calendars.clear_block_cache()
                return build()

            cold_ok = report(
                "generate the five-year commune feed, cold (empty block cache)",
                timed(build_cold),
                100,
            )
            feed_ok = cold_ok and report(
                "generate the five-year commune feed, warm (components cached)", timed(build), 100
            )

            client = app.test_client()
            first = client.get(f"/lich/{secret}.ics")
            assert first.status_code == 200
            etag = first.headers["ETag"]

            def not_modified() -> None:
                answer = client.get(f"/lich/{secret}.ics", headers={"If-None-Match": etag})
                assert answer.status_code == 304

            http_ok = report("answer 304 through the app", timed(not_modified, 200), 5)
            full_ok = report(
                "answer 200 through the app",
                timed(lambda: client.get(f"/lich/{secret}.ics")),
                150,
            )
            db.engine.dispose()
    return 0 if feed_ok and http_ok and full_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
