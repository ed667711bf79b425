"""The reminder ladder as pure date arithmetic: which reminders a task occurrence is owed.

A task occurrence with deadline D and work window opening O is reminded:
when its window opens (O; a point deadline without a window of its own: D - lead days),
7, 3 and 1 days before D (only those after the opening), on D, and every N days while
overdue. Escalations to the chairman and the focal unit come at D + M for each configured M.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.models import MailKind, ReminderPolicy

# Without a policy row, a commune uses these.
DEFAULT_LEAD_DAYS = 30
DEFAULT_BEFORE_DAYS = (7, 3, 1)
DEFAULT_OVERDUE_EVERY_DAYS = 7
DEFAULT_ESCALATION_DAYS = (7, 30, 60)
DEFAULT_SEND_HOUR = 7
DEFAULT_WEEKLY_DIGEST_WEEKDAY = 0  # Monday
# A coordination notice missed by more than this many days is not sent late.
COORDINATION_GRACE_DAYS = 7


@dataclass(frozen=True)
class Policy:
    lead_days: int = DEFAULT_LEAD_DAYS
    before_days: tuple[int, ...] = DEFAULT_BEFORE_DAYS
    remind_on_due_day: bool = True
    overdue_every_days: int = DEFAULT_OVERDUE_EVERY_DAYS
    escalation_days: tuple[int, ...] = DEFAULT_ESCALATION_DAYS
    send_hour: int = DEFAULT_SEND_HOUR
    weekly_digest_weekday: int = DEFAULT_WEEKLY_DIGEST_WEEKDAY

    @classmethod
    def from_row(cls, row: ReminderPolicy | None) -> Policy:
        if row is None:
            return cls()
        return cls(
            lead_days=row.lead_days,
            before_days=tuple(sorted({int(d) for d in row.before_days if int(d) > 0},
                                     reverse=True)),
            remind_on_due_day=row.remind_on_due_day,
            overdue_every_days=row.overdue_every_days,
            escalation_days=tuple(sorted({int(d) for d in row.escalation_days if int(d) > 0})),
            send_hour=row.send_hour,
            weekly_digest_weekday=row.weekly_digest_weekday,
        )

    def effective_day(self, local_now: dt.datetime) -> dt.date:
        """The last ladder day whose mails may go out: today from the send hour, else yesterday."""
        day = local_now.date()
        return day if local_now.hour >= self.send_hour else day - dt.timedelta(days=1)


@dataclass(frozen=True)
class LadderStep:
    kind: MailKind
    step: str  # "7" for 7 days before, "14" for 14 days overdue, "" otherwise
    on: dt.date

    @property
    def label(self) -> str:
        return f"{self.kind}.{self.step}" if self.step else str(self.kind)


def opening_day(opens_on: dt.date, due_on: dt.date, policy: Policy) -> dt.date:
    """When the opening notice goes: the window's opening, or the lead time for a point."""
    if opens_on < due_on:
        return opens_on
    return due_on - dt.timedelta(days=policy.lead_days)


def ladder_steps(
    opens_on: dt.date, due_on: dt.date, policy: Policy, until: dt.date
) -> list[LadderStep]:
    """Every reminder step of the occurrence on or before ``until``, in date order."""
    opening = opening_day(opens_on, due_on, policy)
    steps = [LadderStep(MailKind.OPENING, "", opening)]
    for days in policy.before_days:
        on = due_on - dt.timedelta(days=days)
        if on > opening:
            steps.append(LadderStep(MailKind.DUE_SOON, str(days), on))
    if policy.remind_on_due_day and due_on > opening:
        steps.append(LadderStep(MailKind.DUE_TODAY, "", due_on))
    if policy.overdue_every_days > 0 and until > due_on:
        late = policy.overdue_every_days
        while due_on + dt.timedelta(days=late) <= until:
            steps.append(LadderStep(MailKind.OVERDUE, str(late), due_on + dt.timedelta(days=late)))
            late += policy.overdue_every_days
    return [s for s in steps if s.on <= until]


def escalation_steps(due_on: dt.date, policy: Policy, until: dt.date) -> list[LadderStep]:
    return [
        LadderStep(MailKind.ESCALATION, str(days), due_on + dt.timedelta(days=days))
        for days in policy.escalation_days
        if due_on + dt.timedelta(days=days) <= until
    ]
