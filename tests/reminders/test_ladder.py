"""The ladder as pure date arithmetic (no app, no database)."""

from __future__ import annotations

import datetime as dt

from tracker.models import MailKind
from tracker.services.reminder_ladder import Policy, escalation_steps, ladder_steps, opening_day

D = dt.date


def test_a_point_deadline_opens_with_the_lead_time() -> None:
    policy = Policy()
    assert opening_day(D(2026, 11, 14), D(2026, 11, 14), policy) == D(2026, 10, 15)
    assert opening_day(D(2026, 11, 14), D(2026, 11, 14), Policy(lead_days=45)) == D(2026, 9, 30)


def test_a_window_opens_on_its_first_day() -> None:
    # "Tháng 12 hằng năm": the window is December, the notice goes on 1/12.
    assert opening_day(D(2026, 12, 1), D(2026, 12, 31), Policy()) == D(2026, 12, 1)


def test_the_full_ladder_of_an_overdue_task() -> None:
    steps = ladder_steps(D(2026, 12, 1), D(2026, 12, 31), Policy(), until=D(2027, 1, 20))
    assert [(s.kind, s.step, s.on) for s in steps] == [
        (MailKind.OPENING, "", D(2026, 12, 1)),
        (MailKind.DUE_SOON, "7", D(2026, 12, 24)),
        (MailKind.DUE_SOON, "3", D(2026, 12, 28)),
        (MailKind.DUE_SOON, "1", D(2026, 12, 30)),
        (MailKind.DUE_TODAY, "", D(2026, 12, 31)),
        (MailKind.OVERDUE, "7", D(2027, 1, 7)),
        (MailKind.OVERDUE, "14", D(2027, 1, 14)),
    ]


def test_steps_before_the_opening_are_dropped() -> None:
    # A five-day window: "7 days before" would come before the work could start.
    steps = ladder_steps(D(2026, 5, 4), D(2026, 5, 8), Policy(), until=D(2026, 5, 8))
    assert [(s.kind, s.step) for s in steps] == [
        (MailKind.OPENING, ""), (MailKind.DUE_SOON, "3"), (MailKind.DUE_SOON, "1"),
        (MailKind.DUE_TODAY, ""),
    ]


def test_nothing_is_owed_before_the_opening() -> None:
    assert ladder_steps(D(2026, 12, 1), D(2026, 12, 31), Policy(), until=D(2026, 11, 30)) == []


def test_a_commune_may_change_the_ladder() -> None:
    policy = Policy(before_days=(5,), remind_on_due_day=False, overdue_every_days=3)
    steps = ladder_steps(D(2026, 3, 1), D(2026, 3, 31), policy, until=D(2026, 4, 7))
    assert [(s.kind, s.step) for s in steps] == [
        (MailKind.OPENING, ""), (MailKind.DUE_SOON, "5"), (MailKind.OVERDUE, "3"),
        (MailKind.OVERDUE, "6"),
    ]


def test_escalation_steps_come_at_the_configured_days_overdue() -> None:
    steps = escalation_steps(D(2026, 3, 31), Policy(), until=D(2026, 5, 29))
    assert [(s.step, s.on) for s in steps] == [("7", D(2026, 4, 7)), ("30", D(2026, 4, 30))]


def test_ladder_mails_of_a_day_wait_for_the_send_hour() -> None:
    policy = Policy(send_hour=7)
    vn = dt.timezone(dt.timedelta(hours=7))
    assert policy.effective_day(dt.datetime(2026, 5, 4, 6, 59, tzinfo=vn)) == D(2026, 5, 3)
    assert policy.effective_day(dt.datetime(2026, 5, 4, 7, 0, tzinfo=vn)) == D(2026, 5, 4)
