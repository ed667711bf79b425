"""Web benchmark on a synthetic city: 114 communes × 5 years of tasks (a plain script).

Targets (issue 5): unit task list p95 ≤ 50 ms, commune roll-up p95 ≤ 100 ms, city roll-up
p95 ≤ 150 ms; then throughput with 20 concurrent clients against the app served by waitress
on 127.0.0.1 (a bounded number of requests; the server stops by itself).

    .venv/bin/python bench/bench_web.py [--requests 200] [--clients 20] [--per-client 50]

The city is built with bulk inserts into a temporary, migrated SQLite database, so the
figures measure our queries and templates, not a database server. docs/dashboards-api.md
quotes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import logging
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update
from werkzeug.security import generate_password_hash

from tracker import create_app
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import (
    Commune,
    CommuneLevel,
    Plan,
    PlanItem,
    Role,
    Task,
    TaskEvent,
    Unit,
    User,
)
from tracker.services.database import upgrade_database

COMMUNES = 114
YEARS = range(2026, 2031)
PLAN_TASKS = 60  # rows of a commune's annex, as in Bạch Đằng's scoring table
SPLIT_EVERY = 10  # every tenth annex row, when yearly, is split between two units
UNITS = (
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm Phục vụ hành chính công",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Công an phường",
    "Ban Xây dựng Đảng",
    "Ủy ban MTTQ Việt Nam",
)
GROUPS = (
    "I. Chính quyền công khai, minh bạch",
    "II. Chính quyền thân thiện, hành động, vì Nhân dân phục vụ",
    "III. Đội ngũ cán bộ, công chức chuyên nghiệp",
    "IV. Chính quyền xanh, văn minh, hiện đại",
)
PASSWORD = "bench-matkhau"
BIG_UNIT_TASKS = 150
NOW = dt.datetime(2028, 6, 15, 9, 0, tzinfo=VN_TZ)  # mid-period: past, present and future work
T0 = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)


def _due_dates(kind: str, year: int) -> list[dt.date]:
    if kind == "yearly":
        return [dt.date(year, 12, 31)]
    if kind == "quarterly":
        return [
            dt.date(year, 3, 31),
            dt.date(year, 6, 30),
            dt.date(year, 9, 30),
            dt.date(year, 12, 31),
        ]
    return [dt.date(year, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)] + [
        dt.date(year, 12, 31)
    ]


def _status(rng: random.Random, due: dt.date, today: dt.date) -> tuple[str, dt.datetime | None]:
    if due < today:
        roll = rng.random()
        done_at = dt.datetime.combine(due, dt.time(3), tzinfo=dt.UTC)
        if roll < 0.68:
            return "done_on_time", done_at - dt.timedelta(days=rng.randint(0, 20))
        if roll < 0.83:
            return "done_late", done_at + dt.timedelta(days=rng.randint(1, 40))
        if roll < 0.88:
            return "awaiting_review", None
        return ("overdue" if roll < 0.95 else "in_progress"), None
    if due.year == today.year and (due - today).days < 120:
        return ("in_progress" if rng.random() < 0.8 else "returned"), None
    return "not_due", None


def build_city(url: str) -> dict[str, Any]:
    """Bulk-insert the synthetic city; returns ids the benchmark logs in as."""
    rng = random.Random(5)
    today = NOW.date()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_ENABLED": False})
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with app.app_context():
        conn = db.session.connection()
        conn.execute(
            insert(Commune),
            [
                {
                    "id": c,
                    "code": f"{10000 + c}",
                    "name": f"Phường Thử {c:03d}",
                    "slug": f"phuong-thu-{c:03d}",
                    "kind": "phuong" if c % 3 else "xa",
                }
                for c in range(1, COMMUNES + 1)
            ],
        )
        unit_rows, user_rows, plan_rows, plan_item_rows, level_rows = [], [], [], [], []
        unit_id = user_id = plan_item_id = 0
        units_of: dict[int, list[int]] = {}
        for c in range(1, COMMUNES + 1):
            units_of[c] = []
            for i, name in enumerate(UNITS):
                unit_id += 1
                units_of[c].append(unit_id)
                unit_rows.append(
                    {
                        "id": unit_id,
                        "commune_id": c,
                        "name": name,
                        "slug": f"u{i}",
                        "kind": "office",
                        "is_focal": i == 0,
                    }
                )
            for role, unit in (
                (Role.CHAIRMAN, None),
                (Role.FOCAL_OFFICER, units_of[c][0]),
                *((Role.UNIT_HEAD, u) for u in units_of[c]),
            ):
                user_id += 1
                user_rows.append(
                    {
                        "id": user_id,
                        "username": f"u{user_id}",
                        "full_name": f"Cán bộ {user_id}",
                        "email": f"u{user_id}@x.test",
                        "password_hash": password_hash,
                        "role": str(role),
                        "commune_id": c,
                        "unit_id": unit,
                        "created_at": T0,
                    }
                )
            plan_rows.append(
                {
                    "id": c,
                    "slug": f"plan-{c}",
                    "commune_id": c,
                    "issuer": f"UBND Phường Thử {c:03d}",
                    "number": f"{c}/KH-UBND",
                    "issued_on": dt.date(2026, 1, 5),
                    "title": "Kế hoạch thử",
                    "period_from": 2026,
                    "period_to": 2030,
                    "open_ended": True,
                    "source_name": "thu.txt",
                    "implements": [],
                    "targets": [],
                    "criteria": [],
                    "warnings": [],
                    "imported_at": T0,
                }
            )
            for p in range(PLAN_TASKS):
                plan_item_id += 1
                kind = "yearly" if p % 20 < 12 else ("quarterly" if p % 20 < 17 else "monthly")
                plan_item_rows.append(
                    {
                        "id": plan_item_id,
                        "plan_id": c,
                        "position": p + 1,
                        "ref": str(p + 1),
                        "title": f"Nhiệm vụ thử số {p + 1} về cải cách hành chính",
                        "group": GROUPS[p % 4],
                        "time_text": "Hằng năm",
                        "cadence_kind": kind,
                        "rrule": None,
                        "lead_units": [UNITS[p % len(UNITS)]],
                        "coordinating_units": [],
                        "points": float(1 + p % 5) if p % 3 else None,
                        "evidence": None,
                    }
                )
            for year in YEARS:
                if year <= today.year:
                    level_rows.append(
                        {
                            "commune_id": c,
                            "year": year,
                            "registered_level": rng.choice([1, 2, 3, 4]),
                            "reached_level": rng.choice([None, 1, 2, 3, 4])
                            if year < today.year
                            else None,
                            "score": None,
                        }
                    )
        city_admin = user_id + 1
        user_rows.append(
            {
                "id": city_admin,
                "username": "sonoivu",
                "full_name": "Sở Nội vụ",
                "email": "snv@x.test",
                "password_hash": password_hash,
                "role": str(Role.CITY_ADMIN),
                "commune_id": None,
                "unit_id": None,
                "created_at": T0,
            }
        )
        for model, rows in (
            (Unit, unit_rows),
            (User, user_rows),
            (Plan, plan_rows),
            (PlanItem, plan_item_rows),
            (CommuneLevel, level_rows),
        ):
            conn.execute(insert(model), rows)
        task_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        task_id = 0
        for row in plan_item_rows:
            c = row["plan_id"]
            unit = units_of[c][(row["position"] - 1) % len(UNITS)]
            for year in YEARS:
                for n, due in enumerate(_due_dates(row["cadence_kind"], year)):
                    task_id += 1
                    status, completed = _status(rng, due, today)
                    task_rows.append(
                        {
                            "id": task_id,
                            "plan_id": c,
                            "plan_item_id": row["id"],
                            "commune_id": c,
                            "unit_id": unit,
                            "parent_id": None,
                            "year": year,
                            "occurrence_key": f"{year}-{n}",
                            "ref": row["ref"],
                            "title": row["title"],
                            "group": row["group"],
                            "opens_on": due - dt.timedelta(days=30),
                            "due_on": due,
                            "status": status,
                            # As the workflow sync writes them: every occurrence carries
                            # its plan item's points (the roll-ups count them per item).
                            "points": row["points"],
                            "completed_at": completed,
                            "escalated_at": T0
                            if status == "overdue" and rng.random() < 0.3
                            else None,
                            "created_at": T0,
                            "updated_at": T0,
                            "sequence": 0,
                        }
                    )
                    if status == "overdue" and rng.random() < 0.5:
                        event_rows.append(
                            {"task_id": task_id, "actor_id": None, "at": T0, "action": "remind"}
                        )
                    if row["position"] % SPLIT_EVERY == 0 and row["cadence_kind"] == "yearly":
                        # A collective item split with the next unit: a share, no points.
                        task_id += 1
                        share_status, share_done = _status(rng, due, today)
                        task_rows.append(
                            task_rows[-1]
                            | {
                                "id": task_id,
                                "unit_id": units_of[c][row["position"] % len(UNITS)],
                                "parent_id": task_id - 1,
                                "status": share_status,
                                "points": None,
                                "completed_at": share_done,
                                "escalated_at": None,
                            }
                        )
            if len(task_rows) > 20000:
                conn.execute(insert(Task), task_rows)
                task_rows = []
        conn.execute(insert(Task), task_rows)
        conn.execute(insert(TaskEvent), event_rows)
        # One unit of commune 1 holds BIG_UNIT_TASKS tasks this year, like Bạch Đằng's busiest
        # office: the list a unit head opens most, at its longest.
        big_unit, big_head = unit_id + 1, city_admin + 1
        conn.execute(insert(Unit), [{"id": big_unit, "commune_id": 1, "name": "Phòng Thử lớn",
                                     "slug": "u-lon", "kind": "office", "is_focal": False}])
        conn.execute(insert(User), [{
            "id": big_head, "username": f"u{big_head}", "full_name": "Trưởng phòng lớn",
            "email": "lon@x.test", "password_hash": password_hash, "role": str(Role.UNIT_HEAD),
            "commune_id": 1, "unit_id": big_unit, "created_at": T0,
        }])
        moved = select(Task.id).where(
            Task.commune_id == 1, Task.year == today.year, Task.parent_id.is_(None),
            Task.unit_id != units_of[1][0],
        ).order_by(Task.id).limit(BIG_UNIT_TASKS)
        conn.execute(update(Task).where(Task.id.in_(moved)).values(unit_id=big_unit))
        db.session.commit()
        db.engine.dispose()
    return {
        "big_unit_head": big_head,
        "tasks": task_id,
        "unit_head": 3,
        "chairman": 1,
        "city_admin": city_admin,
        "commune_slug": "phuong-thu-001",
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _login(client: Any, username: str) -> None:
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {
        "username": username,
        "password": PASSWORD,
        "csrf_token": token.group(1) if token else "",
    }
    response = client.post("/dang-nhap", data=data)
    assert response.status_code == 302, response.status_code


def time_pages(url: str, ids: dict[str, Any], requests: int) -> dict[str, tuple[float, float]]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_ENABLED": False, "SECRET_KEY": "bench"},
        clock=FixedClock(NOW),
    )
    results: dict[str, tuple[float, float]] = {}
    cases = [
        ("unit task list (/viec)", f"u{ids['unit_head']}", "/viec"),
        ("150-task unit list (/viec)", f"u{ids['big_unit_head']}", "/viec"),
        ("unit task list, API (/api/v1/tasks)", f"u{ids['unit_head']}", "/api/v1/tasks"),
        ("overdue board (/bang-qua-han)", f"u{ids['chairman']}", "/bang-qua-han"),
        ("commune roll-up (/tong-hop)", f"u{ids['chairman']}", "/tong-hop"),
        ("city roll-up (/thanh-pho)", "sonoivu", "/thanh-pho?sap_xep=progress"),
        ("city roll-up, API", "sonoivu", "/api/v1/rollups/city"),
    ]
    for label, username, path in cases:
        client = app.test_client()
        _login(client, username)
        for _ in range(5):  # warm caches and compiled templates
            assert client.get(path).status_code == 200, (label, path)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        results[label] = (statistics.median(times), percentile(times, 95))
    return results


def _http_login(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/dang-nhap")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    body = f"username={username}&password={PASSWORD}&csrf_token={token.group(1) if token else ''}"
    conn.request(
        "POST",
        "/dang-nhap",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    conn.close()
    return response.getheader("Set-Cookie", "").split(";")[0]


def throughput(
    url: str,
    ids: dict[str, Any],
    clients: int,
    per_client: int,
    people: list[tuple[str, list[str]]] | None = None,
) -> dict[str, float]:
    from waitress.server import create_server

    # With 20 clients on 8 threads the queue is meant to fill; its warnings are noise here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SCHEDULER_ENABLED": False,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 8, "max_overflow": 8},
        },
        clock=FixedClock(NOW),
    )
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    port = server.effective_port  # type: ignore[union-attr]
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    # Each client is a person: unit heads and chairmen of different communes, and the city.
    mixed = people is None
    people = people or []
    for i in range(clients if mixed else 0):
        commune = i % COMMUNES
        first_user = commune * (len(UNITS) + 2) + 1
        if i % 5 == 4:
            people.append(
                (
                    "sonoivu",
                    [
                        "/thanh-pho",
                        "/api/v1/rollups/city",
                        f"/tong-hop?xa=phuong-thu-{commune + 1:03d}",
                    ],
                )
            )
        elif i % 5 == 3:
            people.append((f"u{first_user}", ["/bang-qua-han", "/tong-hop", "/viec"]))
        else:
            people.append(
                (
                    f"u{first_user + 2 + i % len(UNITS)}",
                    ["/viec", "/api/v1/tasks", "/viec?muc=overdue"],
                )
            )
    cookies = [_http_login(port, username) for username, _paths in people]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client_run(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        paths = people[index][1]
        own: list[float] = []
        for n in range(per_client):
            start = time.perf_counter()
            conn.request("GET", paths[n % len(paths)], headers={"Cookie": cookies[index]})
            response = conn.getresponse()
            response.read()
            own.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                with lock:
                    errors.append(f"{paths[n % len(paths)]}: {response.status}")
        conn.close()
        with lock:
            latencies.extend(own)

    threads = [threading.Thread(target=client_run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    # Finish the worker threads before closing the sockets they report back on.
    server.task_dispatcher.shutdown()  # type: ignore[union-attr]
    server.close()
    with app.app_context():
        db.engine.dispose()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=50)
    args = parser.parse_args(argv)
    targets = {
        "unit task list (/viec)": 50.0,
        "commune roll-up (/tong-hop)": 100.0,
        "city roll-up (/thanh-pho)": 150.0,
    }
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'city.sqlite3'}"
        upgrade_database(url)
        started = time.perf_counter()
        ids = build_city(url)
        print(
            f"synthetic city: {COMMUNES} communes × {len(YEARS)} years, {ids['tasks']} tasks, "
            f"built in {time.perf_counter() - started:.1f} s; today = {NOW.date()}"
        )
        failed = False
        for label, (p50, p95) in time_pages(url, ids, args.requests).items():
            target = targets.get(label)
            verdict = "" if target is None else (" ok" if p95 <= target else " OVER TARGET")
            failed |= verdict == " OVER TARGET"
            limit = f" (target ≤ {target:.0f} ms)" if target else ""
            print(f"{label:40s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms{limit}{verdict}")
        result = throughput(url, ids, args.clients, args.per_client)
        print(
            f"waitress, {args.clients} concurrent clients: {result['requests']:.0f} requests "
            f"in {result['seconds']:.1f} s = {result['rps']:.0f} req/s; "
            f"latency p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms"
        )
        # Everyone at once on the longest unit list: the head of the 150-task unit, 20 times.
        crowd = [(f"u{ids['big_unit_head']}", ["/viec"])] * args.clients
        result = throughput(url, ids, args.clients, args.per_client, people=crowd)
        print(
            f"/viec of a {BIG_UNIT_TASKS}-task unit, {args.clients} concurrent clients: "
            f"{result['requests']:.0f} requests in {result['seconds']:.1f} s = "
            f"{result['rps']:.0f} req/s; latency p50 {result['p50']:.0f} ms, "
            f"p95 {result['p95']:.0f} ms"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
