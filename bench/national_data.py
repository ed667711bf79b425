"""The country as data: every commune of the register × five years of realistic plans.

3,321 communes of 34 provinces (the vietnam-provinces register, as ``tracker provinces
enable`` loads them), each with the units of a commune, a chairman, a focal officer, unit
heads and a clerk, and one plan for 2026-2030 of one of three sizes taken from the seeds:

- Hòa Bình-sized (40 %): 9 annex rows, 1 weekly, 2 ongoing ("Thường xuyên", four quarterly
  check-ins a year), the rest yearly or twice a year;
- Phú Thái-sized (30 %): 14 sections, 1 weekly, 4 ongoing, a monthly report;
- Bạch Đằng-sized (30 %): the 62-row scoring table with points, 2 weekly, 10 ongoing,
  monthly and quarterly items.

Statuses are those of ``NOW`` (mid-2028): past work mostly done (on time or late), some
overdue or waiting for review, this season's work in hand, the future not due; each
finished task has its history (submitted, approved) in ``task_event``. Levels registered
and reached for the past years.

Rows are written in bulk: COPY on PostgreSQL, executemany of Core inserts elsewhere (the
test runs it small on SQLite too). ``fraction`` takes that share of each province's
communes (at least one); ``max_provinces`` / ``max_communes`` cap them for tests.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, delete, insert, text

from tracker.clock import VN_TZ
from tracker.importing.communes import all_provinces, province_communes
from tracker.models import (
    Commune,
    CommuneLevel,
    Plan,
    PlanItem,
    Province,
    Role,
    Task,
    TaskEvent,
    TaskTally,
    Unit,
    User,
)
from tracker.services import task_tallies

YEARS = range(2026, 2031)
NOW = dt.datetime(2028, 6, 15, 9, 0, tzinfo=VN_TZ)
T0 = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
HOME = "hai_phong"
UNITS = (
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm Phục vụ hành chính công",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Công an xã",
    "Ban Xây dựng Đảng",
    "Ủy ban MTTQ Việt Nam",
    "Đoàn Thanh niên",
)
GROUPS = (
    "I. Chính quyền công khai, minh bạch",
    "II. Chính quyền thân thiện, hành động, vì Nhân dân phục vụ",
    "III. Đội ngũ cán bộ, công chức chuyên nghiệp",
    "IV. Chính quyền xanh, văn minh, hiện đại",
)
# (kind, time phrase as written) of each plan size, in annex order.
HOA_BINH = [
    ("weekly", "Ít nhất 01 lần/tuần"),
    ("ongoing", "Thường xuyên"),
    ("ongoing", "Thường xuyên, xuyên suốt năm"),
    ("yearly", "Hằng năm"),
    ("yearly", "Trước ngày 15/02 hằng năm"),
    ("yearly", "Tháng 12 hằng năm"),
    ("twice", "Năm 2027 và năm 2030"),
    ("yearly", "Trước 1/12"),
    ("quarterly", "Hằng quý"),
]
PHU_THAI = [
    ("weekly", "Theo lịch làm việc hằng tuần"),
    *[("ongoing", "Thường xuyên")] * 4,
    ("monthly", "Ít nhất 1 tháng/lần"),
    *[("yearly", "Hằng năm")] * 6,
    ("yearly", "Trước ngày 15/11 hằng năm"),
    ("quarterly", "Quý I, Quý IV"),
]
BACH_DANG = [
    *[("weekly", "Ít nhất 01 lần/tuần")] * 2,
    *[("ongoing", "Thường xuyên")] * 10,
    *[("monthly", "Hằng tháng")] * 4,
    *[("quarterly", "Hằng quý")] * 6,
    *[("yearly", "Hằng năm")] * 38,
    *[("twice", "Năm 2027 và năm 2030")] * 2,
]
PLAN_SIZES = (
    ("hoa-binh", HOA_BINH, 0.4),
    ("phu-thai", PHU_THAI, 0.3),
    ("bach-dang", BACH_DANG, 0.3),
)


@dataclass
class Dataset:
    """What was generated: row counts and the people a benchmark logs in as."""

    rows: dict[str, int] = field(default_factory=dict)
    national_user: int = 0
    province_admins: dict[str, int] = field(default_factory=dict)  # codename → user id
    unit_heads: list[int] = field(default_factory=list)  # one per commune (the focal unit's)
    chairmen: list[int] = field(default_factory=list)
    communes: list[int] = field(default_factory=list)
    biggest_province: str = ""


def _occurrences(kind: str, year: int) -> list[tuple[str, dt.date, dt.date]]:
    """(key, opens_on, due_on) of one item's occurrences in a year."""
    if kind == "weekly":
        first = dt.date(year, 1, 1) + dt.timedelta(days=(4 - dt.date(year, 1, 1).weekday()) % 7)
        fridays = [first + dt.timedelta(weeks=w) for w in range(53)]
        return [
            (f"{year}-W{n + 1:02d}", d - dt.timedelta(days=4), d)
            for n, d in enumerate(fridays)
            if d.year == year
        ]
    if kind in ("ongoing", "quarterly"):
        ends = [
            dt.date(year, 3, 31),
            dt.date(year, 6, 30),
            dt.date(year, 9, 30),
            dt.date(year, 12, 31),
        ]
        return [
            (f"{year}-Q{q + 1}", dt.date(year, 3 * q + 1, 1), end) for q, end in enumerate(ends)
        ]
    if kind == "monthly":
        out = []
        for m in range(1, 13):
            end = dt.date(year + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
            out.append((f"{year}-{m:02d}", dt.date(year, m, 1), end))
        return out
    if kind == "twice":
        return (
            [(str(year), dt.date(year, 12, 1), dt.date(year, 12, 31))]
            if year in (2027, 2030)
            else []
        )
    return [(str(year), dt.date(year, 12, 1), dt.date(year, 12, 31))]


def _status(rng: random.Random, opens: dt.date, due: dt.date, today: dt.date) -> str:
    if due < today:
        roll = rng.random()
        if roll < 0.70:
            return "done_on_time"
        # Late work is caught up within a season: what is still overdue or waiting for
        # review fell due in the last 90 days; older late work was done late.
        if roll < 0.85 or (today - due).days > 90:
            return "done_late"
        if roll < 0.90:
            return "awaiting_review"
        return "overdue"
    if opens <= today:
        return "in_progress" if rng.random() < 0.85 else "returned"
    return "not_due"


class _Writer:
    """Bulk rows into one table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"

    def write(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.is_postgres:
            with self.engine.begin() as conn:
                conn.execute(insert(model), list(rows))
            return
        table = model.__table__
        # COPY knows nothing of the models' Python-side defaults: send them as values.
        defaults = {}
        for column in table.columns:
            if column.name in rows[0] or column.default is None:
                continue
            default = column.default
            defaults[column.name] = default.arg(None) if default.is_callable else default.arg
        columns = [*rows[0], *defaults]
        rows = [row | defaults for row in rows] if defaults else rows
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            names = ", ".join(f'"{c}"' for c in columns)
            if table.name == "task":  # no tally trigger per row: recounted at the end
                cursor.execute("SET session_replication_role = replica")
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row([_copy_value(row[c]) for c in columns])
            cursor.execute("RESET session_replication_role")
            raw.commit()
        finally:
            raw.close()


def _copy_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _provinces(fraction: float, max_provinces: int | None, max_communes: int | None) -> list[Any]:
    chosen = []
    ordered = sorted(all_provinces(), key=lambda p: p.codename != HOME)  # home province first
    for province in ordered[: max_provinces or None]:
        communes = province_communes(province.code)
        count = max(1, math.ceil(len(communes) * fraction))
        if max_communes is not None:
            count = min(count, max_communes)
        chosen.append((province, communes[:count]))
    return chosen


def generate(
    url: str,
    *,
    fraction: float = 1.0,
    max_provinces: int | None = None,
    max_communes: int | None = None,
    seed: int = 16,
    today: dt.date | None = None,
    progress: Any = None,
    password_hash: str = "pbkdf2:sha256:1000$bench$" + "0" * 64,
) -> Dataset:
    """Fill the migrated, empty database at ``url``; returns what was written.

    Every account gets ``password_hash`` (the benchmark passes a real one to log in with).
    """
    rng = random.Random(seed)
    today = today or NOW.date()
    engine = create_engine(url)
    writer = _Writer(engine)
    data = Dataset()
    ids = {"commune": 0, "unit": 0, "user": 0, "plan": 0, "item": 0, "task": 0, "event": 0}

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    chosen = _provinces(fraction, max_provinces, max_communes)
    province_rows = [
        {"id": i + 1, "code": p.code, "codename": p.codename, "name": p.name, "enabled_at": T0}
        for i, (p, _c) in enumerate(chosen)
    ]
    writer.write(Province, province_rows)
    communes, units, users, plans, items, levels = [], [], [], [], [], []
    tasks: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    counts = {"task": 0, "task_event": 0}
    biggest = max(chosen, key=lambda pc: len(pc[1]))[0]
    data.biggest_province = biggest.codename

    parents = {
        "commune": 0,
        "unit": 0,
        "user_account": 0,
        "plan": 0,
        "plan_item": 0,
        "commune_level": 0,
    }

    def flush_parents() -> None:
        """Parents before children: the foreign keys hold at every step."""
        for name, model, rows in (
            ("commune", Commune, communes),
            ("unit", Unit, units),
            ("user_account", User, users),
            ("plan", Plan, plans),
            ("plan_item", PlanItem, items),
            ("commune_level", CommuneLevel, levels),
        ):
            writer.write(model, rows)
            parents[name] += len(rows)
            rows.clear()

    def flush_tasks(final: bool = False) -> None:
        if final or len(tasks) >= 50000 or len(events) >= 50000:
            flush_parents()
            writer.write(Task, tasks)  # tasks before their events
            writer.write(TaskEvent, events)
            counts["task"] += len(tasks)
            counts["task_event"] += len(events)
            tasks.clear()
            events.clear()

    for province_id, (province, register) in enumerate(chosen, start=1):
        suffix = "" if province.codename == HOME else "-" + province.codename.replace("_", "-")
        admin = next_id("user")
        users.append(
            _user(
                admin,
                f"sonoivu.{province.codename}",
                Role.CITY_ADMIN,
                None,
                None,
                password_hash,
                province_id=province_id,
            )
        )
        data.province_admins[province.codename] = admin
        seen_names: set[str] = set()
        for found in register:
            commune_id = next_id("commune")
            name = found.name if found.name not in seen_names else f"{found.name} ({found.code})"
            seen_names.add(name)
            communes.append(
                {
                    "id": commune_id,
                    "code": str(found.code),
                    "name": name,
                    "slug": found.slug + suffix,
                    "kind": str(found.kind.name).lower(),
                    "province_id": province_id,
                }
            )
            data.communes.append(commune_id)
            unit_ids = []
            for i, unit_name in enumerate(UNITS):
                unit_id = next_id("unit")
                unit_ids.append(unit_id)
                units.append(
                    {
                        "id": unit_id,
                        "commune_id": commune_id,
                        "name": unit_name,
                        "slug": f"don-vi-{i}",
                        "kind": "office",
                        "is_focal": i == 0,
                    }
                )
            chairman = next_id("user")
            users.append(
                _user(chairman, f"ct{commune_id}", Role.CHAIRMAN, commune_id, None, password_hash)
            )
            data.chairmen.append(chairman)
            focal = next_id("user")
            users.append(
                _user(
                    focal,
                    f"dm{commune_id}",
                    Role.FOCAL_OFFICER,
                    commune_id,
                    unit_ids[0],
                    password_hash,
                )
            )
            for n, unit_id in enumerate(unit_ids):
                head = next_id("user")
                users.append(
                    _user(
                        head,
                        f"tp{commune_id}-{n}",
                        Role.UNIT_HEAD,
                        commune_id,
                        unit_id,
                        password_hash,
                    )
                )
                if n == 0:
                    data.unit_heads.append(head)
            clerk = next_id("user")
            users.append(
                _user(
                    clerk,
                    f"cc{commune_id}",
                    Role.UNIT_STAFF,
                    commune_id,
                    unit_ids[1],
                    password_hash,
                )
            )
            size, rows, _share = rng.choices(PLAN_SIZES, [s[2] for s in PLAN_SIZES])[0]
            plan_id = next_id("plan")
            plans.append(
                {
                    "id": plan_id,
                    "slug": f"kh-{commune_id}-{size}",
                    "commune_id": commune_id,
                    "issuer": f"UBND {name}",
                    "number": f"{commune_id}/KH-UBND",
                    "issued_on": dt.date(2026, 2, 5),
                    "title": "Kế hoạch thực hiện mô hình "
                    "“Chính quyền thân thiện” giai đoạn 2026-2030",
                    "period_from": 2026,
                    "period_to": 2030,
                    "open_ended": True,
                    "source_name": f"{size}.txt",
                    "implements": [],
                    "targets": [],
                    "criteria": [],
                    "warnings": [],
                    "imported_at": T0,
                }
            )
            for position, (kind, phrase) in enumerate(rows, start=1):
                item_id = next_id("item")
                lead = unit_ids[(position - 1) % len(unit_ids)]
                points = float(1 + position % 4) if size == "bach-dang" else None
                items.append(
                    {
                        "id": item_id,
                        "plan_id": plan_id,
                        "position": position,
                        "ref": str(position),
                        "title": f"Nhiệm vụ {position}: {phrase}",
                        "group": GROUPS[position % 4],
                        "time_text": phrase,
                        "cadence_kind": kind,
                        "rrule": None,
                        "lead_units": [UNITS[(position - 1) % len(UNITS)]],
                        "coordinating_units": [],
                        "points": points,
                        "evidence": None,
                    }
                )
                for year in YEARS:
                    for key, opens, due in _occurrences(kind, year):
                        task_id = next_id("task")
                        status = _status(rng, opens, due, today)
                        done = status.startswith("done")
                        at = dt.datetime.combine(min(due, today), dt.time(2), tzinfo=dt.UTC)
                        # Last written when it was done, fell due or opened; a task of a
                        # later window is as it was created (not stamped "now": a million
                        # rows changed at the very moment of the sweep is no real day).
                        if due < today:
                            stamped = at
                        elif opens <= today:
                            stamped = dt.datetime.combine(opens, dt.time(2), tzinfo=dt.UTC)
                        else:
                            stamped = T0
                        tasks.append(
                            {
                                "id": task_id,
                                "plan_id": plan_id,
                                "plan_item_id": item_id,
                                "commune_id": commune_id,
                                "unit_id": lead,
                                "is_split": False,
                                "year": year,
                                "occurrence_key": key,
                                "ref": str(position),
                                "title": f"Nhiệm vụ {position}: {phrase}",
                                "group": GROUPS[position % 4],
                                "opens_on": opens,
                                "due_on": due,
                                "status": status,
                                "points": points,
                                "completed_at": at if done else None,
                                "created_at": T0,
                                "updated_at": max(stamped, T0),
                                "sequence": 0,
                            }
                        )
                        if done or status == "awaiting_review":
                            events.append(
                                {
                                    "id": next_id("event"),
                                    "task_id": task_id,
                                    "actor_id": head,
                                    "at": at,
                                    "action": "submit",
                                    "from_status": "in_progress",
                                    "to_status": "awaiting_review",
                                }
                            )
                        if done:
                            events.append(
                                {
                                    "id": next_id("event"),
                                    "task_id": task_id,
                                    "actor_id": focal,
                                    "at": at,
                                    "action": "approve",
                                    "from_status": "awaiting_review",
                                    "to_status": status,
                                }
                            )
                flush_tasks()
            for year in YEARS:
                if year <= today.year:
                    levels.append(
                        {
                            "commune_id": commune_id,
                            "year": year,
                            "registered_level": rng.choice([1, 2, 3, 4]),
                            "reached_level": rng.choice([None, 1, 2, 3, 4, 4])
                            if year < today.year
                            else None,
                            "score": None,
                        }
                    )
        if progress is not None:
            progress(f"{province.name}: {len(register)} communes")
    national = next_id("user")
    users.append(_user(national, "bonoivu", Role.NATIONAL, None, None, password_hash))
    data.national_user = national
    flush_tasks(final=True)
    if writer.is_postgres:
        with engine.begin() as conn:
            for table in (
                "province",
                "commune",
                "unit",
                "user_account",
                "plan",
                "plan_item",
                "task",
                "task_event",
                "commune_level",
            ):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
        with engine.begin() as conn:  # the task tally, counted once from the loaded rows
            conn.execute(delete(TaskTally))
            conn.execute(task_tallies.recount_insert())
        # As autovacuum leaves a live database: statistics, and the visibility map that lets
        # the roll-ups' covering indexes answer without visiting the table.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    data.rows = {
        "province": len(province_rows),
        "commune": parents["commune"],
        "unit": parents["unit"],
        "user_account": parents["user_account"],
        "plan": parents["plan"],
        "plan_item": parents["plan_item"],
        "task": counts["task"],
        "task_event": counts["task_event"],
        "commune_level": parents["commune_level"],
    }
    engine.dispose()
    return data


def _user(
    user_id: int,
    username: str,
    role: Role,
    commune_id: int | None,
    unit_id: int | None,
    password_hash: str,
    *,
    province_id: int | None = None,
) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": username,
        "full_name": f"Cán bộ {user_id}",
        "email": f"{username}@bench.test",
        "password_hash": password_hash,
        "role": str(role),
        "commune_id": commune_id,
        "unit_id": unit_id,
        "province_id": province_id,
        "created_at": T0,
    }
