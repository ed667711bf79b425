"""The national benchmark: 34 provinces, 3,321 communes × five years, on PostgreSQL.

    .venv/bin/python bench/bench_national.py                   # the whole country
    .venv/bin/python bench/bench_national.py --scale 0.05      # 5 % of each province's communes
    .venv/bin/python bench/bench_national.py --explain docs/national-plans.txt
    .venv/bin/python bench/bench_national.py --keep han_country      # generate once, keep it
    .venv/bin/python bench/bench_national.py --from han_country      # measure a copy of it

Creates its own database on the PostgreSQL server (``TRACKER_BENCH_PG``, default the local
one, trust auth), migrates it, fills it with bench/national_data.py (COPY), measures, and
drops it (``--keep NAME`` generates into NAME and keeps it, with what was generated in the
database's comment; ``--from NAME`` measures a fresh copy of a kept one, ``CREATE DATABASE …
TEMPLATE``, so each run starts from the same unswept data). Targets (issue 16), p95 over
``--requests`` timed requests after a warm-up:

- national roll-up (``/api/v1/rollups/national``, Bộ Nội vụ) ≤ 250 ms;
- a province's roll-up (``/api/v1/rollups/city``, Hải Phòng's Sở Nội vụ: 114 communes) ≤ 150 ms;
- a unit's task list (``/viec``, a focal unit's head) ≤ 50 ms;
- a commune's five-year iCal feed (the largest plan's commune) ≤ 100 ms;
- an idle scheduler tick (the next ticks after the day's first sweep: nothing new) ≤ 1 s;
- one day's reminder sweep for the country (the first tick of the day) ≤ 60 s;
- then throughput of the common pages at ``--clients`` (50) concurrent clients through
  gunicorn (the production entry point: deploy/gunicorn.conf.py, ``--workers`` 3 ×
  ``--threads`` 4, on a free port). Its workers run on the real clock, not the dataset's
  15/6/2028: the pages are the same work, only "overdue" is judged on another day.

With ``--explain FILE`` the slowest statement of each measured page is run again under
EXPLAIN (ANALYZE, BUFFERS) and the plans are written to FILE.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql
from sqlalchemy import event, func, select
from werkzeug.security import generate_password_hash

from bench.national_data import NOW, Dataset, generate
from tracker import create_app
from tracker.clock import FixedClock
from tracker.extensions import db, get_clock
from tracker.models import CalendarScope, Commune, Task, User
from tracker.services import calendar_tokens, calendars
from tracker.services.database import upgrade_database
from tracker.services.reminder_sweeps import CHANGE_MARGIN
from tracker.services.scheduler import run_tick
from tracker.web.labels import status_label

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("TRACKER_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-matkhau"
TARGETS_MS = {
    "national roll-up (API)": 250.0,
    "province roll-up, 114 communes (API)": 150.0,
    "unit task list (/viec)": 50.0,
    "commune five-year iCal feed": 100.0,
}


def _database_url(name: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


@contextmanager
def bench_database(template: str | None = None, keep: str | None = None) -> Iterator[str]:
    """A database for one run: new and migrated, a copy of ``template``, or ``keep`` (kept)."""
    name = keep or f"han_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if keep:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
        if template:
            # FILE_COPY, then a checkpoint: the default (WAL_LOG) writes the whole 1.5 GiB copy
            # through the WAL, and the checkpointer was still flushing it while the first cases
            # were timed (50 % I/O wait, every figure two to three times slower).
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(name), sql.Identifier(template)))
            conn.execute("CHECKPOINT")
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _database_url(name)
    try:
        if not template:
            upgrade_database(url)
        yield url
    finally:
        if not keep:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def _remember(name: str, data: Dataset) -> None:
    """What was generated, in the kept database's comment (read back by ``--from``)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(name), sql.Literal(json.dumps(dataclasses.asdict(data)))))


def _recall(name: str) -> Dataset:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if row is None or not row[0]:
        raise SystemExit(f"no kept bench database {name!r} (make one with --keep {name})")
    return Dataset(**json.loads(row[0]))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _app(url: str, **extra: Any) -> Any:
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SCHEDULER_ENABLED": False,
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "SMTP_HOST": "",
        "BASE_URL": "https://han.test",
        **extra,
    }
    return create_app(config, clock=FixedClock(NOW))


def _login(client: Any, username: str) -> None:
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, (username, response.status_code)


class StatementLog:
    """Every statement of a block, with its time: the slowest is the one to EXPLAIN."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.entries: list[tuple[float, str, Any]] = []
        self.active = False

    def start(self) -> None:
        self.entries.clear()
        self.active = True

    def stop(self) -> None:
        self.active = False

    def install(self) -> None:
        @event.listens_for(self.engine, "before_cursor_execute")
        def before(
            conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
        ) -> None:
            conn.info["bench_started"] = time.perf_counter()

        @event.listens_for(self.engine, "after_cursor_execute")
        def after(
            conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
        ) -> None:
            if self.active and not many:
                elapsed = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
                self.entries.append((elapsed * 1000, statement, params))


def timed(label: str, run: Callable[[], Any], requests: int) -> tuple[float, float]:
    for _ in range(3):
        run()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 95)


def measure(
    url: str, data: Dataset, requests: int, explain: Path | None, idle_runs: int = 3
) -> dict[str, Any]:
    app = _app(url)
    results: dict[str, Any] = {}
    plans: list[str] = []
    with app.app_context():
        log = StatementLog(db.engine)
        log.install()
        big_commune = db.session.scalar(
            select(Task.commune_id)
            .where(Task.year == 2028)
            .group_by(Task.commune_id)
            .order_by(func.count(Task.id).desc())
            .limit(1)
        )
        head = db.session.scalar(
            select(User.id)
            .where(User.commune_id == big_commune, User.role == "unit_head")
            .order_by(User.id)
        )
        chairman = db.session.scalar(
            select(User).where(User.commune_id == big_commune, User.role == "chairman")
        )
        commune = db.session.get(Commune, big_commune)
        assert commune is not None and chairman is not None and head is not None
        _row, secret = calendar_tokens.create_token(
            chairman, CalendarScope.COMMUNE, device_name="bench", now=NOW
        )
        db.session.commit()
        resolved = calendar_tokens.resolve_feed(secret)
        assert resolved is not None
        settings = calendars.FeedSettings.from_config(app.config)
        head_name = db.session.get(User, head).username  # type: ignore[union-attr]
        db.session.remove()

    cases: list[tuple[str, str, str]] = [
        ("national roll-up (API)", "bonoivu", "/api/v1/rollups/national?year=2028"),
        ("national roll-up (/toan-quoc)", "bonoivu", "/toan-quoc?nam=2028"),
        (
            "province roll-up, 114 communes (API)",
            "sonoivu.hai_phong",
            "/api/v1/rollups/city?year=2028",
        ),
        ("province roll-up (/thanh-pho)", "sonoivu.hai_phong", "/thanh-pho?nam=2028"),
        (
            f"biggest province roll-up ({data.biggest_province}, API)",
            f"sonoivu.{data.biggest_province}",
            "/api/v1/rollups/city?year=2028",
        ),
        ("unit task list (/viec)", head_name, "/viec"),
        ("unit task list (API)", head_name, "/api/v1/tasks"),
    ]
    for label, username, path in cases:
        client = app.test_client()
        _login(client, username)

        def get(path: str = path, label: str = label, client: Any = client) -> None:
            response = client.get(path)
            assert response.status_code == 200, (label, response.status_code)

        results[label] = timed(label, get, requests)
        print(
            f"  measured {label}: p50 {results[label][0]:.1f} ms, p95 {results[label][1]:.1f} ms",
            flush=True,
        )
        if explain is not None:
            log.start()
            get()
            log.stop()
            plans.append(_explain(url, label, log.entries))

    if explain is not None:  # written now: the sweep below is long at full size
        explain.write_text("\n\n".join(plans) + "\n", encoding="utf-8")

    with app.app_context():
        resolved = calendar_tokens.resolve_feed(secret)
        assert resolved is not None

        def feed() -> None:
            calendars.clear_block_cache()
            target = resolved.target  # type: ignore[union-attr]
            calendars.build_feed(
                target,
                resolved.user,  # type: ignore[union-attr]
                calendars.FeedComponent.EVENT,
                NOW,
                settings,
                status_label,
            )

        results["commune five-year iCal feed"] = timed("feed", feed, requests)

        def warm_feed() -> None:
            target = resolved.target  # type: ignore[union-attr]
            calendars.build_feed(
                target,
                resolved.user,  # type: ignore[union-attr]
                calendars.FeedComponent.EVENT,
                NOW,
                settings,
                status_label,
            )

        results["commune five-year iCal feed, warm block cache"] = timed(
            "feed", warm_feed, requests
        )
        feed_rows = len(
            calendars.feed_tasks(
                resolved.target, resolved.user, calendars.FeedComponent.EVENT, NOW, settings
            )
        )
        db.session.remove()
    results["_feed_rows"] = feed_rows

    # The scheduler: the first tick of the day is the country's sweep; the same moment
    # again finds nothing to do (the idle tick).
    print(f"  measured the feed: {results['commune five-year iCal feed']}", flush=True)
    started = time.perf_counter()
    first = run_tick(app, "bench-1")
    results["sweep_s"] = time.perf_counter() - started
    results["sweep_mails"] = len(first.mails)
    print(f"  measured the sweep: {results['sweep_s']:.1f} s, {len(first.mails)} mails", flush=True)
    # Idle ticks: the scheduler's next ticks (every 5 minutes), once the first sweep's own
    # changes (the tasks it opened at NOW) are older than the margin within which a changed
    # commune is looked at again (tracker.services.reminder_sweeps.CHANGE_MARGIN).
    clock = get_clock(app)
    idle = []
    for n in range(idle_runs):
        later = NOW + CHANGE_MARGIN + dt.timedelta(minutes=5 * (n + 1))
        clock.set(later)  # type: ignore[attr-defined]
        started = time.perf_counter()
        again = run_tick(app, "bench-1")
        idle.append(time.perf_counter() - started)
        assert not again.mails
    results["idle_s"] = (statistics.median(idle), max(idle))
    with app.app_context():
        db.engine.dispose()
    return results


def _explain(url: str, label: str, entries: list[tuple[float, str, Any]]) -> str:
    if not entries:
        return f"== {label}: no statements"
    total = sum(e[0] for e in entries)
    slowest = max(entries, key=lambda e: e[0])
    raw = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw) as conn:
        rows = conn.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + slowest[1],
            slowest[2],  # type: ignore[arg-type]
        ).fetchall()
    plan = "\n".join(r[0] for r in rows)
    return (
        f"== {label}: {len(entries)} statements, {total:.1f} ms in the database; "
        f"slowest {slowest[0]:.1f} ms:\n{slowest[1]}\n-- plan:\n{plan}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(url: str, workers: int, threads: int) -> Iterator[int]:
    """The production entry point (deploy/gunicorn.conf.py, tracker.wsgi) on a free port,
    against the bench database; stopped (SIGTERM, then waited for) on leaving."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-national-secret-key-0123456789abcdef",
        "TRACKER_INSTANCE_DIR": tempfile.mkdtemp(prefix="han-bench-"),
        "BASE_URL": "https://han.test",
        "SMTP_HOST": "",
        "TRACKER_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "TRACKER_THREADS": str(threads),
        "TRACKER_GUNICORN_LOGLEVEL": "warning",
        "LOG_FORMAT": "text",
        # Each worker's pool: one connection per thread.
        "DB_POOL_SIZE": str(threads),
        "DB_MAX_OVERFLOW": "2",
    }
    # The server's log (gunicorn's and the app's request lines) goes to a file: a pipe nobody
    # reads fills up after a few hundred requests and then blocks every worker's next write.
    log_path = Path(tempfile.mkstemp(prefix="han-bench-gunicorn-", suffix=".log")[1])
    with log_path.open("wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise SystemExit(f"gunicorn exited (log {log_path}): {tail}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/readyz")
                ready = conn.getresponse().status == 200
                conn.close()
                if ready:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /readyz within 90 s")
            time.sleep(0.5)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(f"  gunicorn's log: {log_path}")


def throughput(
    url: str, data: Dataset, clients: int, per_client: int, workers: int, threads: int
) -> dict[str, float]:
    """``clients`` concurrent clients (a pool of as many threads), each logged in once
    (its session cookie) and walking the common pages of its role, against gunicorn."""
    app = _app(url)
    with app.app_context():
        names = dict(db.session.execute(select(User.id, User.username)).all())
        db.session.remove()
        db.engine.dispose()
    people: list[tuple[str, list[str]]] = []
    for i in range(clients):
        if i % 10 == 9:
            people.append(("bonoivu", ["/toan-quoc", "/api/v1/rollups/national"]))
        elif i % 10 == 8:
            people.append(("sonoivu.hai_phong", ["/thanh-pho", "/api/v1/rollups/city"]))
        elif i % 10 in (6, 7):
            chairman = names[data.chairmen[(i * 37) % len(data.chairmen)]]
            people.append((chairman, ["/bang-qua-han", "/tong-hop", "/viec"]))
        else:
            head = names[data.unit_heads[(i * 53) % len(data.unit_heads)]]
            people.append((head, ["/viec", "/api/v1/tasks", "/viec?muc=overdue"]))
    with gunicorn(url, workers, threads) as port:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            cookies = list(pool.map(lambda p: _http_login(port, p[0]), people))
        by_path: dict[str, list[float]] = {}
        errors: list[str] = []
        lock = threading.Lock()

        def run(index: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            paths = people[index][1]
            for n in range(per_client):
                path = paths[n % len(paths)]
                started = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookies[index]})
                response = conn.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                with lock:
                    by_path.setdefault(path.split("?")[0], []).append(elapsed)
                    if response.status != 200:
                        errors.append(f"{path}: {response.status}")
            conn.close()

        # Warm-up: every worker has built its app and opened connections before the clock runs.
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(lambda i: _get(port, people[i][1][0], cookies[i]), range(clients)))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(run, range(clients)))
        elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    latencies = [t for times in by_path.values() for t in times]
    for path, times in sorted(by_path.items()):
        print(
            f"    {path:28s} {len(times):5d} requests, p50 {statistics.median(times):6.0f} ms, "
            f"p95 {percentile(times, 95):6.0f} ms"
        )
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 95),
    }


def _get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def _http_login(port: int, username: str) -> str:
    """The session cookie of one login through the form (CSRF on, as in production)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/dang-nhap")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found is not None, "no csrf_token on /dang-nhap"
    body = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrf_token": found.group(1)}
    )
    conn.request(
        "POST",
        "/dang-nhap",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302, (username, response.status)
    conn.close()
    return response.getheader("Set-Cookie", "").split(";")[0]


def sizes(url: str) -> tuple[dict[str, tuple[int, int]], int]:
    """(rows, bytes with indexes) per table, and the database's size."""
    raw = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        out = {}
        for table in tables:
            count = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            size = conn.execute("SELECT pg_total_relation_size(%s)", (table,)).fetchone()[0]  # type: ignore[index]
            if count:
                out[table] = (count, size)
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]  # type: ignore[index]
    return out, total


def _print_throughput(args: argparse.Namespace, url: str, data: Dataset) -> None:
    result = throughput(url, data, args.clients, args.per_client, args.workers, args.threads)
    print(
        f"gunicorn (deploy/gunicorn.conf.py, {args.workers} workers × {args.threads} "
        f"threads), {args.clients} concurrent clients: "
        f"{result['requests']:.0f} requests in {result['seconds']:.1f} s = "
        f"{result['rps']:.1f} req/s; latency p50 {result['p50']:.0f} ms, "
        f"p95 {result['p95']:.0f} ms"
    )


def _print_sizes(url: str) -> None:
    tables, total = sizes(url)
    print(f"database size: {total / 2**20:.0f} MiB")
    for table, (count, size) in sorted(tables.items(), key=lambda t: -t[1][1]):
        print(f"  {table:22s} {count:>10,} rows {size / 2**20:8.1f} MiB")
    print(f"load after: {os.getloadavg()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="share of each province's communes (1.0: all 3,321)",
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--throughput-only", action="store_true", help="generate, then only the gunicorn run"
    )
    parser.add_argument("--explain", type=Path, help="write EXPLAIN (ANALYZE) plans here")
    parser.add_argument("--keep", metavar="NAME", help="generate into database NAME, keep it")
    parser.add_argument(
        "--from", dest="source", metavar="NAME", help="measure a copy of a --keep database"
    )
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; load before: {os.getloadavg()}")
    with bench_database(template=args.source, keep=args.keep) as url:
        started = time.perf_counter()
        if args.source:
            data = _recall(args.source)
            print(f"copied {args.source} in {time.perf_counter() - started:.0f} s")
        else:
            data = generate(
                url,
                fraction=args.scale,
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
            )
            print(
                f"generated in {time.perf_counter() - started:.0f} s: "
                + ", ".join(f"{k} {v:,}" for k, v in data.rows.items())
            )
        if args.keep:
            _remember(args.keep, data)
            print(f"kept as database {args.keep}; measure copies of it with --from {args.keep}")
            return 0
        if args.throughput_only:
            _print_throughput(args, url, data)
            _print_sizes(url)
            return 0
        results = measure(url, data, args.requests, args.explain)
        failed = False
        for label, value in results.items():
            if label.startswith("_") or label in {"sweep_s", "sweep_mails", "idle_s"}:
                continue
            p50, p95 = value
            target = TARGETS_MS.get(label)
            verdict = "" if target is None else (" ok" if p95 <= target else " OVER TARGET")
            failed |= verdict == " OVER TARGET"
            limit = f" (target ≤ {target:.0f} ms)" if target else ""
            print(f"{label:48s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms{limit}{verdict}")
        print(f"  (the feed has {results['_feed_rows']} events)")
        sweep_ok = results["sweep_s"] <= 60
        idle_ok = results["idle_s"][1] <= 1
        failed |= not (sweep_ok and idle_ok)
        print(
            f"one day's sweep for the country: {results['sweep_s']:.1f} s, "
            f"{results['sweep_mails']} mails queued (target ≤ 60 s)"
            + (" ok" if sweep_ok else " OVER TARGET")
        )
        print(
            f"idle scheduler tick: median {results['idle_s'][0]:.2f} s, max "
            f"{results['idle_s'][1]:.2f} s (target ≤ 1 s){' ok' if idle_ok else ' OVER TARGET'}"
        )
        _print_throughput(args, url, data)
        _print_sizes(url)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
