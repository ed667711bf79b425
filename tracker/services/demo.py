"""The demo: the five seed plans imported for their communes, workflows running up to this
year, and an account for every role (one password), so that ``tracker serve`` shows a
working commune on today's real date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.importing import PlanImportError, read_plan
from tracker.models import Commune, Plan, Role, Task, TaskStatus, Unit, UnitKind, User
from tracker.services import accounts, assignments, levels, plan_imports
from tracker.services.communes import CITY_NAME, load_register

DEMO_PASSWORD = "han2026"

# Seed document → the commune it belongs to (DOMAIN.md).
SEED_PLANS: tuple[tuple[str, str], ...] = (
    ("000_96978fae4b697af7.txt", "Phường Hòa Bình"),
    ("001_d5d814e1c193d117.txt", "Xã Phú Thái"),
    ("002_d308d95e65e133c3.txt", "Phường Bạch Đằng"),
    ("004_7ea1da0f64562392.txt", "Xã Vĩnh Bảo"),
    ("003_80dc5f4b86ad70f0.txt", CITY_NAME),
)
CITY_ADMIN_USERNAME = "sonoivu"
NATIONAL_USERNAME = "bonoivu"  # Bộ Nội vụ: every enabled province, read-only
# Units whose heads get a demo account (the People's Committee's own offices).
_HEADED_KINDS = {UnitKind.OFFICE, UnitKind.POLICE}
_PREFIXES = ("xa-", "phuong-", "dac-khu-")


class DemoError(RuntimeError):
    """The demo could not be built; the message names the file or the reason."""


@dataclass
class DemoAccount:
    username: str
    role: Role
    full_name: str
    commune: str | None
    unit: str | None


@dataclass
class DemoReport:
    plans: list[Plan] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    task_count: int = 0
    overdue_count: int = 0
    registered_levels: dict[str, int] = field(default_factory=dict)  # commune → Mức độ


def commune_key(commune: Commune) -> str:
    """ "phuong-hoa-binh" → "hoabinh": the short part of demo usernames."""
    slug = commune.slug
    for prefix in _PREFIXES:
        if slug.startswith(prefix):
            slug = slug[len(prefix) :]
            break
    return slug.replace("-", "")


def _account(
    report: DemoReport,
    clock: Clock,
    *,
    username: str,
    role: Role,
    full_name: str,
    commune: Commune | None = None,
    unit: Unit | None = None,
) -> User:
    user = accounts.create_user(
        username=username,
        full_name=full_name,
        password=DEMO_PASSWORD,
        role=role,
        commune_id=commune.id if commune else None,
        unit_id=unit.id if unit else None,
        email=f"{username}@han.local",
        created_at=clock.now(),
    )
    report.accounts.append(
        DemoAccount(
            username,
            role,
            full_name,
            commune.name if commune else None,
            unit.name if unit else None,
        )
    )
    return user


def _commune_accounts(report: DemoReport, commune: Commune, clock: Clock) -> None:
    key = commune_key(commune)
    short = commune.name
    _account(
        report,
        clock,
        username=f"chutich.{key}",
        role=Role.CHAIRMAN,
        full_name=f"Chủ tịch UBND {short}",
        commune=commune,
    )
    _account(
        report,
        clock,
        username=f"phochutich.{key}",
        role=Role.VICE_CHAIRMAN,
        full_name=f"Phó Chủ tịch UBND {short}",
        commune=commune,
    )
    units = [u for u in commune.units if u.kind in _HEADED_KINDS]
    focal = next((u for u in units if u.is_focal), None)
    if focal is None:
        raise DemoError(f"{commune.name}: no focal unit (Phòng Văn hóa - Xã hội)")
    focal_officer = _account(
        report,
        clock,
        username=f"daumoi.{key}",
        role=Role.FOCAL_OFFICER,
        full_name=f"Cán bộ đầu mối {short}",
        commune=commune,
        unit=focal,
    )
    for unit in units:
        _account(
            report,
            clock,
            username=f"truongphong.{unit.slug}.{key}",
            role=Role.UNIT_HEAD,
            full_name=f"Trưởng {unit.name}",
            commune=commune,
            unit=unit,
        )
    # A staff member of the unit with the most open tasks, with three of them assigned.
    busiest = _busiest_unit(commune, units)
    staff = _account(
        report,
        clock,
        username=f"congchuc.{key}",
        role=Role.UNIT_STAFF,
        full_name=f"Công chức {busiest.name}",
        commune=commune,
        unit=busiest,
    )
    open_tasks = db.session.scalars(
        select(Task)
        .where(
            Task.unit_id == busiest.id,
            Task.assignee_id.is_(None),
            Task.status.in_([str(TaskStatus.IN_PROGRESS), str(TaskStatus.OVERDUE)]),
        )
        .order_by(Task.due_on, Task.id)
        .limit(3)
    ).all()
    for task in open_tasks:
        assignments.assign_task(
            task, unit_id=busiest.id, assignee_id=staff.id, actor=focal_officer, clock=clock
        )


def _busiest_unit(commune: Commune, units: list[Unit]) -> Unit:
    def open_count(unit: Unit) -> int:
        return len(
            db.session.scalars(
                select(Task.id).where(
                    Task.unit_id == unit.id,
                    Task.status.in_([str(TaskStatus.IN_PROGRESS), str(TaskStatus.OVERDUE)]),
                )
            ).all()
        )

    return max(units, key=lambda u: (open_count(u), not u.is_focal, -u.id))


def build_demo(seeds_dir: Path, clock: Clock) -> DemoReport:
    """Import the seed plans, start their workflows, create the accounts. Flushes only."""
    # The commune register alone (tracker db upgrade loads it) still counts as fresh.
    if any(db.session.scalar(select(column).limit(1)) is not None
           for column in (Plan.id, User.id, Task.id)):
        raise DemoError("the database is not empty: the demo is built in a fresh database")
    report = DemoReport()
    for filename, commune_name in SEED_PLANS:
        path = seeds_dir / filename
        try:
            draft = read_plan(path)
        except PlanImportError as error:
            raise DemoError(str(error)) from error
        pending = plan_imports.PendingImport(token="", filename=filename, draft=draft)
        try:
            plan, _instances = plan_imports.confirm_import(
                pending, commune_name=commune_name, actor=None, clock=clock
            )
        except plan_imports.PlanImportRefused as error:
            raise DemoError(f"{path}: {error}") from error
        report.plans.append(plan)
    _account(
        report,
        clock,
        username=CITY_ADMIN_USERNAME,
        role=Role.CITY_ADMIN,
        full_name="Sở Nội vụ thành phố Hải Phòng",
    )
    _account(
        report,
        clock,
        username=NATIONAL_USERNAME,
        role=Role.NATIONAL,
        full_name="Bộ Nội vụ",
    )
    communes = db.session.scalars(
        select(Commune).where(Commune.kind != "city").order_by(Commune.name)
    ).all()
    for commune in communes:
        _commune_accounts(report, commune, clock)
    # The other communes, as the city sees them: registered, no plan, no accounts yet.
    load_register()
    _register_planned_levels(report, clock)
    db.session.flush()
    report.task_count = len(db.session.scalars(select(Task.id)).all())
    report.overdue_count = len(
        db.session.scalars(select(Task.id).where(Task.status == str(TaskStatus.OVERDUE))).all()
    )
    return report


def _register_planned_levels(report: DemoReport, clock: Clock) -> None:
    """This year's registration, by the focal officer, where the commune's own plan states
    the level it aims for (Phú Thái: Mức độ 4; Hòa Bình: the standard, Mức độ 1, in 2026).
    No reached levels: the city has not appraised yet."""
    year = today(clock).year
    first, last = levels.registration_years(clock)
    if not first <= year <= last:
        return
    for plan in report.plans:
        commune = plan.commune
        if commune.is_city or commune.name in report.registered_levels:
            continue
        level = levels.planned_level(plan.targets or [], year)
        if level is None:
            continue
        focal_officer = db.session.scalar(
            select(User)
            .where(User.commune_id == commune.id, User.role == str(Role.FOCAL_OFFICER))
            .order_by(User.id)
        )
        if focal_officer is None:
            continue
        levels.register_level(commune, year, level, focal_officer, clock)
        report.registered_levels[commune.name] = level


def demo_logins() -> list[DemoAccount]:
    """The demo accounts that exist in this database (for ``tracker serve`` to print)."""
    users = db.session.scalars(
        select(User).where(User.email.like("%@han.local")).order_by(User.commune_id, User.id)
    ).all()
    return [
        DemoAccount(
            u.username,
            Role(u.role),
            u.full_name,
            u.commune.name if u.commune else None,
            u.unit.name if u.unit else None,
        )
        for u in users
    ]
