"""Digests instead of a flood: a person's daily digest and the chairman's weekly overdue digest.

A person in digest mode gets, once a day from the hour they picked, one mail with their
tasks due today, due in the next 7 days, overdue, returned to them, and newly opened (their
own and those their unit coordinates). An empty digest is not sent. Each chairman gets,
once a week from the commune's weekday and send hour, the commune's overdue tasks by unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.i18n import _, format_date_short
from tracker.models import MailKind, Role, Task, TaskStatus, User
from tracker.services.mail import OutgoingMail, dedupe_key
from tracker.services.reminder_audience import Candidate, CommuneSnapshot
from tracker.services.reminder_ladder import opening_day

DIGEST_AHEAD_DAYS = 7


@dataclass
class DailyDigest:
    """One person's digest sections (each a list of tasks, by due date)."""

    day: dt.date
    returned: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    due_today: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    opened: list[Task] = field(default_factory=list)
    coordinate: list[Task] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.returned or self.overdue or self.due_today or self.due_soon
                    or self.opened or self.coordinate)

    @property
    def count(self) -> int:
        return len({t.id for t in [*self.returned, *self.overdue, *self.due_today,
                                    *self.due_soon, *self.opened, *self.coordinate]})


def _is_own(person: User, task: Task) -> bool:
    if task.assignee_id == person.id:
        return True
    return person.role == Role.UNIT_HEAD and person.unit_id == task.unit_id


def build_daily_digest(data: CommuneSnapshot, person: User, day: dt.date) -> DailyDigest:
    """The sections of ``person``'s digest for ``day`` from the snapshot's open tasks."""
    digest = DailyDigest(day)
    ahead = day + dt.timedelta(days=DIGEST_AHEAD_DAYS)
    for task in data.tasks:
        assert task.due_on is not None
        opened = opening_day(task.opens_on, task.due_on, data.policy)
        if _is_own(person, task):
            if opened > day:
                continue
            if task.status == TaskStatus.RETURNED:
                digest.returned.append(task)
            elif task.due_on < day:
                digest.overdue.append(task)
            elif task.due_on == day:
                digest.due_today.append(task)
            elif task.due_on <= ahead:
                digest.due_soon.append(task)
            elif opened == day:
                digest.opened.append(task)
        elif (
            opened == day
            and person.role == Role.UNIT_HEAD
            and person.unit_id is not None
            and any(u.id == person.unit_id for u in data.coordinating_units(task))
        ):
            digest.coordinate.append(task)
    for section in (digest.returned, digest.overdue, digest.due_today, digest.due_soon,
                    digest.opened, digest.coordinate):
        section.sort(key=lambda t: (t.due_on, t.id))
    return digest


def _daily(data: CommuneSnapshot, person: User, digest: DailyDigest) -> OutgoingMail:
    def subject() -> str:
        return _("[Hạn] Việc của đồng chí ngày %(date)s: %(count)s việc cần chú ý",
                 date=format_date_short(digest.day), count=digest.count)

    return OutgoingMail(
        recipient=person, kind=MailKind.DAILY_DIGEST, step=digest.day.isoformat(),
        scheduled_on=digest.day, template="daily_digest", subject=subject,
        commune_id=data.commune.id,
        context={"digest": digest, "commune": data.commune, "units": data.units},
    )


def overdue_by_unit(data: CommuneSnapshot, day: dt.date) -> list[tuple[str, list[Task]]]:
    groups: dict[str, list[Task]] = defaultdict(list)
    for task in data.tasks:
        if task.due_on is not None and task.due_on < day:
            unit = data.units.get(task.unit_id)
            groups[unit.name if unit else ""].append(task)
    return [
        (name, sorted(tasks, key=lambda t: (t.due_on, t.id)))
        for name, tasks in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    ]


def _weekly(
    data: CommuneSnapshot, person: User, day: dt.date, week: str,
    groups: list[tuple[str, list[Task]]],
) -> OutgoingMail:
    total = sum(len(tasks) for _name, tasks in groups)

    def subject() -> str:
        return _("[Hạn] %(commune)s: %(count)s việc quá hạn (tuần %(week)s)",
                 commune=data.commune.name, count=total, week=week)

    return OutgoingMail(
        recipient=person, kind=MailKind.WEEKLY_DIGEST, step=week, scheduled_on=day,
        template="weekly_digest", subject=subject, commune_id=data.commune.id,
        is_optional=True,
        context={"groups": groups, "total": total, "commune": data.commune, "day": day,
                 "week": week},
    )


def digest_candidates(data: CommuneSnapshot, now_local: dt.datetime) -> Iterable[Candidate]:
    day = now_local.date()
    for person in data.users.values():
        if person.mail_mode != "digest" or now_local.hour < person.digest_hour:
            continue
        key = dedupe_key(MailKind.DAILY_DIGEST, day.isoformat(), None, person.id)
        digest = build_daily_digest(data, person, day)
        if not digest.is_empty:
            yield Candidate(key, (), lambda p=person, d=digest: _daily(data, p, d))  # type: ignore[misc]
    policy = data.policy
    if day.weekday() < policy.weekly_digest_weekday or now_local.hour < policy.send_hour:
        return
    iso = day.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    # The week's digest is about what was overdue on its weekday, even when sent late.
    groups = overdue_by_unit(
        data, day - dt.timedelta(days=day.weekday() - policy.weekly_digest_weekday)
    )
    if not groups:
        return
    for person in data.chairmen:
        if person.role != Role.CHAIRMAN or person.is_unsubscribed:
            continue
        key = dedupe_key(MailKind.WEEKLY_DIGEST, week, None, person.id)
        yield Candidate(key, (), lambda p=person: _weekly(data, p, day, week, groups))  # type: ignore[misc]
