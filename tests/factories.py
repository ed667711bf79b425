"""Plain factory functions with overrides. They add and flush; the test decides to commit."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from werkzeug.security import generate_password_hash

from tracker.extensions import db
from tracker.models import (
    Commune,
    Mail,
    MailKind,
    MailStatus,
    Plan,
    PlanItem,
    Role,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    User,
)

_seq = itertools.count(1)
T0 = dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
PASSWORD = "matkhau-thu"
# One cheap hash shared by every factory user: hashing is slow on purpose.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

STANDARD_UNITS = (
    ("Phòng Văn hóa - Xã hội", UnitKind.OFFICE, True),
    ("Văn phòng HĐND và UBND", UnitKind.OFFICE, False),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", UnitKind.OFFICE, False),
    ("Trung tâm Phục vụ hành chính công", UnitKind.OFFICE, False),
)


def _slug(text: str) -> str:
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = "".join(c for c in ascii_ if not unicodedata.combining(c))
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_.lower()).split())


def make_commune(
    name: str | None = None, *, kind: str = "phuong", with_units: bool = True
) -> Commune:
    name = name or f"Phường Thử {next(_seq)}"
    commune = Commune(name=name, slug=_slug(name), kind=kind, code=None)
    db.session.add(commune)
    db.session.flush()
    if with_units:
        for unit_name, unit_kind, focal in STANDARD_UNITS:
            make_unit(commune, unit_name, kind=unit_kind, is_focal=focal)
    return commune


def make_unit(commune: Commune, name: str | None = None, **overrides: Any) -> Unit:
    name = name or f"Phòng Thử {next(_seq)}"
    fields: dict[str, Any] = {"kind": UnitKind.OFFICE, "is_focal": False} | overrides
    unit = Unit(commune_id=commune.id, name=name, slug=_slug(name), **fields)
    db.session.add(unit)
    db.session.flush()
    return unit


def unit_named(commune: Commune, name: str) -> Unit:
    return db.session.scalars(
        db.select(Unit).where(Unit.commune_id == commune.id, Unit.name == name)
    ).one()


def make_user(
    role: Role = Role.UNIT_HEAD,
    *,
    commune: Commune | None = None,
    unit: Unit | None = None,
    **overrides: Any,
) -> User:
    n = next(_seq)
    fields: dict[str, Any] = {
        "username": f"user{n}",
        "full_name": f"Nguyễn Văn {n}",
        "email": f"user{n}@example.test",
        "password_hash": _PASSWORD_HASH,
        "role": str(role),
        "commune_id": commune.id if commune else None,
        "unit_id": unit.id if unit else None,
        "created_at": T0,
    } | overrides
    user = User(**fields)
    db.session.add(user)
    db.session.flush()
    return user


def make_plan(commune: Commune, *, tasks: int = 1, **overrides: Any) -> Plan:
    n = next(_seq)
    fields: dict[str, Any] = {
        "slug": f"plan-{n}",
        "issuer": commune.name,
        "number": f"{n}/KH-UBND",
        "issued_on": dt.date(2026, 4, 17),
        "title": "Kế hoạch triển khai mô hình “Chính quyền thân thiện”",
        "period_from": 2026,
        "period_to": 2030,
        "open_ended": True,
        "source_name": f"plan-{n}.txt",
        "imported_at": T0,
    } | overrides
    plan = Plan(commune_id=commune.id, **fields)
    db.session.add(plan)
    db.session.flush()
    for i in range(tasks):
        make_plan_item(plan, position=i + 1)
    return plan


def make_plan_item(plan: Plan, **overrides: Any) -> PlanItem:
    position = overrides.pop("position", None) or len(plan.tasks) + 1
    fields: dict[str, Any] = {
        "ref": str(position),
        "title": f"Báo cáo tự đánh giá, chấm điểm {position}",
        "time_text": "Trước ngày 15/11 hằng năm",
        "cadence_kind": "yearly",
        "rrule": "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=14",
        "lead_units": ["Phòng Văn hóa - Xã hội"],
        "coordinating_units": ["Các phòng, cơ quan, đơn vị"],
        "points": None,
        "evidence": None,
    } | overrides
    plan_item = PlanItem(position=position, **fields)
    plan.tasks.append(plan_item)
    db.session.flush()
    return plan_item


def make_task(plan_item: PlanItem, unit: Unit, **overrides: Any) -> Task:
    """A task-table row without a workflow instance (for tests of readers of the table)."""
    plan = plan_item.plan
    due_on = overrides.pop("due_on", dt.date(2026, 11, 13))
    fields: dict[str, Any] = {
        "instance_id": None,
        "spiff_task_id": None,
        "plan_id": plan.id,
        "plan_item_id": plan_item.id,
        "commune_id": plan.commune_id,
        "unit_id": unit.id,
        "year": due_on.year if due_on else 2026,
        "occurrence_key": str(due_on.year if due_on else 2026),
        "ref": plan_item.ref,
        "title": plan_item.title,
        "group": plan_item.group,
        "opens_on": (due_on - dt.timedelta(days=30)) if due_on else dt.date(2026, 1, 1),
        "due_on": due_on,
        "status": str(TaskStatus.IN_PROGRESS),
        "points": plan_item.points,
        "created_at": T0,
        "updated_at": T0,
    } | overrides
    task = Task(**fields)
    db.session.add(task)
    db.session.flush()
    return task


def make_mail(recipient: User, created_at: dt.datetime, **overrides: Any) -> Mail:
    """A mail row as the sweep leaves it: a sent reminder by default (``task=`` a task)."""
    task: Task | None = overrides.pop("task", None)
    status = str(overrides.pop("status", MailStatus.SENT))
    kind = str(overrides.pop("kind", MailKind.DUE_TODAY))
    step = overrides.pop("step", str(next(_seq)))
    n = next(_seq)
    fields: dict[str, Any] = {
        "dedupe_key": f"{kind}:{step}:{task.id if task else '-'}:{recipient.id}",
        "recipient_id": recipient.id,
        "address": recipient.email,
        "kind": kind,
        "step": step,
        "task_id": task.id if task else None,
        "commune_id": task.commune_id if task else recipient.commune_id,
        "scheduled_on": created_at.date(),
        "is_optional": False,
        "subject": f"[Hạn] Hôm nay đến hạn: Việc số {n}",
        "body_text": f"Kính gửi đồng chí {recipient.full_name},\nViệc số {n} đến hạn hôm nay.",
        "body_html": f"<p>Kính gửi đồng chí {recipient.full_name},</p><p>Việc số {n}.</p>",
        "message_id": f"<mail-{n}@han.test>",
        "status": status,
        "attempts": 0 if status == MailStatus.HELD else 1,
        "last_error": "SMTPRecipientsRefused: 550" if status == MailStatus.FAILED else None,
        "next_attempt_at": None,
        "created_at": created_at,
        "sent_at": created_at + dt.timedelta(minutes=1) if status == MailStatus.SENT else None,
    } | overrides
    mail = Mail(**fields)
    db.session.add(mail)
    db.session.flush()
    return mail
