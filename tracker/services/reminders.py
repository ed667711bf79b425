"""Which reminders, digests and escalations are due at a moment, and queueing them.

One sweep looks at every open task occurrence with a deadline and, per person, at the latest
ladder step that has come (tracker.services.reminder_ladder). That step is queued when it is
today's; when it is older and was never sent (the scheduler was down, or the task is new),
one catch-up mail is queued instead of the whole missed ladder. Every mail has a unique
dedupe key, so running a sweep twice for the same moment queues nothing the second time.

People who chose the daily digest get no ladder mails; their digest (due today, next 7 days,
overdue, returned to me, newly opened to coordinate) goes at the hour they picked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tracker.clock import Clock, local_now, today
from tracker.collector import collector_paused
from tracker.extensions import db
from tracker.i18n import _, format_date_short, ngettext
from tracker.models import (
    Commune,
    Mail,
    MailKind,
    ReminderPolicy,
    Task,
    TaskEvent,
    TaskEventAction,
    Unit,
    User,
)
from tracker.services import mail as mail_service
from tracker.services import reminder_sweeps
from tracker.services.digests import digest_candidates
from tracker.services.reminder_audience import (
    Candidate,
    CommuneSnapshot,
    load_communes,
    responsible,
)
from tracker.services.reminder_ladder import (
    COORDINATION_GRACE_DAYS,
    LadderStep,
    Policy,
    escalation_steps,
    ladder_steps,
    opening_day,
)
from tracker.services.unit_of_work import unit_of_work

SUBJECT_TITLE_CHARS = 90


class ReminderRefused(ValueError):
    """A reminder that cannot be sent as asked; the message says why, for users."""

SWEEP_ATTEMPTS = 3


@dataclass(frozen=True)
class MailSummary:
    """What ``tracker remind`` prints for each mail."""

    to: str
    kind: str
    task: int | None
    commune: str | None
    unit: str | None
    due: str | None
    subject: str
    status: str

    def as_json(self) -> dict[str, object]:
        return {
            "to": self.to, "kind": self.kind, "task": self.task, "commune": self.commune,
            "unit": self.unit, "due": self.due, "subject": self.subject,
        }


def _short(title: str) -> str:
    return title if len(title) <= SUBJECT_TITLE_CHARS else title[: SUBJECT_TITLE_CHARS - 1] + "…"


def _overdue_subject(days: int, values: dict[str, str]) -> str:
    # ngettext: one Vietnamese form, but English says "1 day" / "3 days"
    return ngettext("[Hạn] Quá hạn %(num)d ngày: %(title)s",
                    "[Hạn] Quá hạn %(num)d ngày: %(title)s", days, **values)


def _reminder_subject(kind: str, step: str, task: Task, day: dt.date) -> Callable[[], str]:
    due_on = task.due_on

    def subject() -> str:
        if due_on is None:
            return _("[Hạn] Nhắc việc: %(title)s", title=_short(task.title))
        values = {"title": _short(task.title), "due": format_date_short(due_on)}
        if kind == MailKind.OPENING:
            return _("[Hạn] Bắt đầu thực hiện: %(title)s (hạn %(due)s)", **values)
        if kind == MailKind.COORDINATION:
            return _("[Hạn] Đề nghị phối hợp: %(title)s (hạn %(due)s)", **values)
        if kind == MailKind.DUE_SOON:
            return ngettext("[Hạn] Còn %(num)d ngày: %(title)s (hạn %(due)s)",
                            "[Hạn] Còn %(num)d ngày: %(title)s (hạn %(due)s)", int(step), **values)
        if kind == MailKind.DUE_TODAY:
            return _("[Hạn] Hôm nay đến hạn: %(title)s", **values)
        if kind == MailKind.OVERDUE:
            return _overdue_subject((day - due_on).days, values)
        if kind == MailKind.MANUAL:
            return _("[Hạn] Nhắc việc: %(title)s (hạn %(due)s)", **values)
        if day > due_on:
            return _overdue_subject((day - due_on).days, values)
        return _("[Hạn] Nhắc việc: %(title)s (hạn %(due)s)", **values)

    return subject


def _reminder(
    data: CommuneSnapshot, task: Task, person: User, kind: str, step: str, day: dt.date,
    *, is_optional: bool, extra: dict[str, object] | None = None,
) -> mail_service.OutgoingMail:
    due_on = task.due_on
    return mail_service.OutgoingMail(
        recipient=person, kind=kind, step=step, scheduled_on=day, template="reminder",
        subject=_reminder_subject(kind, step, task, day), task=task,
        commune_id=data.commune.id, is_optional=is_optional,
        context={
            "kind": kind, "commune": data.commune, "unit": data.units.get(task.unit_id),
            "day": day, "days_left": (due_on - day).days if due_on else None,
            "days_overdue": (day - due_on).days if due_on else None, **(extra or {}),
        },
    )


def _ladder_candidates(
    data: CommuneSnapshot, task: Task, day: dt.date, on: dt.date
) -> Iterable[Candidate]:
    """``day``: the last ladder day whose mails may go now; ``on``: today, the mails' date."""
    assert task.due_on is not None
    steps = ladder_steps(task.opens_on, task.due_on, data.policy, day)
    if not steps:
        return
    latest = steps[-1]
    for person, is_copy in responsible(data, task):
        if person.mail_mode == "digest" or (is_copy and person.is_unsubscribed):
            continue
        yield _step_candidate(data, task, person, latest, day, on, is_copy)


def _step_candidate(
    data: CommuneSnapshot, task: Task, person: User, latest: LadderStep, day: dt.date,
    on: dt.date, is_copy: bool,
) -> Candidate:
    normal_key = mail_service.dedupe_key(latest.kind, latest.step, task.id, person.id)
    if latest.on == on:
        return Candidate(normal_key, (), lambda: _reminder(
            data, task, person, latest.kind, latest.step, on, is_optional=is_copy))
    # The step's day has passed unsent (before the send hour: yesterday's step, still unsent):
    # one catch-up for it, written as of today, not the missed ladder.
    return Candidate(
        mail_service.dedupe_key(MailKind.CATCH_UP, latest.label, task.id, person.id),
        (normal_key,),
        lambda: _reminder(data, task, person, MailKind.CATCH_UP, latest.label, on,
                          is_optional=is_copy, extra={"missed": latest}),
    )


def _coordination_candidates(
    data: CommuneSnapshot, task: Task, day: dt.date, on: dt.date
) -> Iterable[Candidate]:
    assert task.due_on is not None
    opened = opening_day(task.opens_on, task.due_on, data.policy)
    if not (opened <= day <= min(opened + dt.timedelta(days=COORDINATION_GRACE_DAYS),
                                 task.due_on)):
        return
    told = {p.id for p, _copy in responsible(data, task)}
    for unit in data.coordinating_units(task):
        for head in data.heads_by_unit.get(unit.id, []):
            if head.id in told or head.mail_mode == "digest" or head.is_unsubscribed:
                continue
            yield Candidate(
                mail_service.dedupe_key(MailKind.COORDINATION, "", task.id, head.id), (),
                lambda head=head: _reminder(  # type: ignore[misc]
                    data, task, head, MailKind.COORDINATION, "", on, is_optional=True,
                    extra={"lead_unit": data.units.get(task.unit_id)}),
            )


def _escalation_candidates(
    data: CommuneSnapshot, task: Task, day: dt.date, on: dt.date,
    new_steps: set[tuple[int, str]], histories: dict[int, list[Any]],
) -> Iterable[Candidate]:
    assert task.due_on is not None
    steps = escalation_steps(task.due_on, data.policy, day)
    if not steps:
        return
    latest = steps[-1]  # steps missed during a downtime are superseded by the latest one
    recipients = {u.id: u for u in [*data.chairmen, *data.focal]}
    for person in recipients.values():
        key = mail_service.dedupe_key(MailKind.ESCALATION, latest.step, task.id, person.id)

        def build(person: User = person) -> mail_service.OutgoingMail:
            new_steps.add((task.id, latest.step))
            return _escalation(data, task, person, latest, on, histories)

        yield Candidate(key, (), build, task_id=task.id)


HISTORY_SLICE = 5_000  # task ids per history query


def mail_history(task_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Each task's mails other than escalations, oldest first: what an escalation lists.

    One query per slice of tasks, and only the columns the mail shows (not the bodies): a
    query per escalation was 8,000 queries for a thousand communes' first day.
    """
    found: dict[int, list[Any]] = {task_id: [] for task_id in task_ids}
    ids = sorted(found)
    for start in range(0, len(ids), HISTORY_SLICE):
        rows = db.session.execute(
            select(Mail.task_id, Mail.created_at, Mail.address, Mail.subject)
            .where(Mail.task_id.in_(ids[start : start + HISTORY_SLICE]),
                   Mail.kind != MailKind.ESCALATION)
            .order_by(Mail.task_id, Mail.created_at, Mail.id)
        )
        for row in rows:
            found[row.task_id].append(row)
    return found


def _escalation(
    data: CommuneSnapshot, task: Task, person: User, step: LadderStep, day: dt.date,
    histories: dict[int, list[Any]],
) -> mail_service.OutgoingMail:
    assert task.due_on is not None
    if task.id not in histories:
        histories.update(mail_history([task.id]))
    history = histories[task.id]
    unit = data.units.get(task.unit_id)
    assignee = data.users.get(task.assignee_id) if task.assignee_id else None
    due_on = task.due_on

    def subject() -> str:
        return ngettext("[Hạn] Quá hạn %(num)d ngày, cần chỉ đạo: %(title)s — %(unit)s",
                        "[Hạn] Quá hạn %(num)d ngày, cần chỉ đạo: %(title)s — %(unit)s",
                        (day - due_on).days, title=_short(task.title),
                        unit=unit.name if unit else "")

    return mail_service.OutgoingMail(
        recipient=person, kind=MailKind.ESCALATION, step=step.step, scheduled_on=day,
        template="escalation", subject=subject, task=task, commune_id=data.commune.id,
        context={"commune": data.commune, "unit": unit, "assignee": assignee,
                 "heads": data.heads_by_unit.get(task.unit_id, []), "history": history,
                 "days_overdue": (day - due_on).days, "day": day},
    )


def _record_escalations(new_steps: set[tuple[int, str]], clock: Clock) -> None:
    now = clock.now()
    for task_id, step in sorted(new_steps):
        task = db.session.get(Task, task_id)
        if task is None:
            continue
        task.escalated_at = now
        db.session.add(TaskEvent(
            task_id=task_id, actor_id=None, at=now, action=TaskEventAction.ESCALATE,
            comment=ngettext("Báo cáo Chủ tịch và đơn vị đầu mối: quá hạn %(num)d ngày",
                             "Báo cáo Chủ tịch và đơn vị đầu mối: quá hạn %(num)d ngày",
                             int(step)),
        ))


def collect_candidates(
    clock: Clock,
    commune_ids: Sequence[int] | None = None,
    histories: dict[int, list[Any]] | None = None,
) -> tuple[list[Candidate], set[tuple[int, str]]]:
    """Every mail that may be due now, with the keys that would make it a repeat.

    ``histories``: the escalations' task histories (:func:`mail_history`), filled by the
    caller before it builds them; a task missing from it is looked up alone."""
    histories = {} if histories is None else histories
    now_local = local_now(clock)
    on = today(clock)  # the date every mail is written as of, before the send hour too
    new_steps: set[tuple[int, str]] = set()
    candidates: list[Candidate] = []
    for data in load_communes(commune_ids, opened_by=on):
        day = data.policy.effective_day(now_local)  # the steps that may go by now
        for task in data.tasks:
            candidates.extend(_ladder_candidates(data, task, day, on))
            candidates.extend(_coordination_candidates(data, task, day, on))
            candidates.extend(
                _escalation_candidates(data, task, day, on, new_steps, histories)
            )
        candidates.extend(digest_candidates(data, now_local))
    return candidates, new_steps


def queue_due_mail(clock: Clock, commune_ids: Sequence[int] | None = None) -> list[Mail]:
    """Queue every reminder, digest and escalation due now that was not queued before.

    Flushes only; the job commits.
    """
    swept: dict[int, dt.date] = {}
    looked_at, recent = clock.now(), {}
    if commune_ids is None:  # the scheduled sweep: only the communes where something came
        swept = _communes_due(clock)
        commune_ids = sorted(swept)
        recent = reminder_sweeps.recent_rows(looked_at)
    histories: dict[int, list[Any]] = {}
    candidates, new_steps = collect_candidates(clock, commune_ids, histories)
    keys = [c.key for c in candidates] + [k for c in candidates for k in c.blocked_by]
    seen = mail_service.existing_keys(keys)
    due = [c for c in candidates
           if c.key not in seen and not any(k in seen for k in c.blocked_by)]
    # Reminders first, escalations after: an escalation lists the reminders already sent,
    # and the overdue mail of this very sweep is one of them.
    escalation = f"{MailKind.ESCALATION}:"
    rows = mail_service.queue_mails(
        [c.build() for c in due if not c.key.startswith(escalation)], clock, checked=True
    )
    db.session.flush()
    escalations = [c for c in due if c.key.startswith(escalation)]
    histories.update(mail_history({c.task_id for c in escalations if c.task_id is not None}))
    rows += mail_service.queue_mails([c.build() for c in escalations], clock, checked=True)
    _record_escalations(new_steps, clock)
    reminder_sweeps.record_sweep(swept, looked_at, recent)
    db.session.flush()
    return rows


def _communes_due(clock: Clock) -> dict[int, dt.date]:
    """The communes a scheduled sweep looks at now, with their ladder days
    (tracker.services.reminder_sweeps)."""
    now_local = local_now(clock)
    policies = {
        row.commune_id: Policy.from_row(row) for row in db.session.scalars(select(ReminderPolicy))
    }
    communes = db.session.scalars(select(Commune.id).where(Commune.kind != "city"))
    days = reminder_sweeps.effective_days(communes, policies, now_local)
    due = reminder_sweeps.communes_to_sweep(days, clock.now(), now_local)
    return {c: days[c] for c in due}


STATUS_SLICE = 10_000  # ids per query when a sweep's mails are looked up in bulk


def summarize(rows: Sequence[Mail]) -> list[MailSummary]:
    """The printed line of each mail: the communes' names and the tasks' units and deadlines
    in one query per slice. Through each row's relationships it was a query per mail (the
    rows' tasks had left the session's identity map): 67,000 queries, about half of the
    country's first-day sweep."""
    communes = {
        commune_id: name for commune_id, name in db.session.execute(
            select(Commune.id, Commune.name).where(
                Commune.id.in_({r.commune_id for r in rows if r.commune_id is not None})))
    }
    task_ids = sorted({r.task_id for r in rows if r.task_id is not None})
    tasks: dict[int, tuple[str, dt.date | None]] = {}
    for start in range(0, len(task_ids), STATUS_SLICE):
        for task_id, unit, due_on in db.session.execute(
            select(Task.id, Unit.name, Task.due_on).outerjoin(Unit, Unit.id == Task.unit_id)
            .where(Task.id.in_(task_ids[start : start + STATUS_SLICE]))
        ):
            tasks[task_id] = (unit, due_on)
    summaries = []
    for row in rows:
        unit, due_on = tasks.get(row.task_id, (None, None)) if row.task_id else (None, None)
        summaries.append(MailSummary(
            to=row.address, kind=row.kind, task=row.task_id,
            commune=communes.get(row.commune_id) if row.commune_id else None,
            unit=unit, due=due_on.isoformat() if due_on else None,
            subject=row.subject, status=row.status,
        ))
    return summaries
# A sweep that queued this many mails refreshes the planner's statistics of the mail table.
ANALYZE_AFTER_MAILS = 10_000


def _analyze_mail() -> None:
    """``ANALYZE mail`` on PostgreSQL after a burst (a country's first day: 74,000 rows).

    Until autovacuum gets to it, the planner believes the table is as small as before the
    burst and looks dedupe keys up by a sequential scan with a 500-key filter on each row: at
    full size 0.45 s a lookup, 300 lookups, so the next tick took minutes (docs/national.md).
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    with unit_of_work():
        db.session.execute(text("ANALYZE mail"))


def run_reminder_sweep(clock: Clock, dry_run: bool = False) -> list[MailSummary]:
    """The reminder job: queue what is due in one unit of work, then deliver.

    With ``dry_run`` nothing is written: the mails that would go are returned and rolled back.
    A unique-key conflict (another scheduler queued the same mail first) starts it again.
    """
    for attempt in range(1, SWEEP_ATTEMPTS + 1):
        try:
            with collector_paused(), unit_of_work() as work:
                rows = queue_due_mail(clock)
                summaries = summarize(rows)
                ids = [row.id for row in rows]
                if dry_run:
                    work.discard()
        except IntegrityError:
            # Another sweep queued one of these mails first: start again from what it wrote.
            if attempt == SWEEP_ATTEMPTS:
                raise
            continue
        if dry_run:
            return summaries
        if len(ids) >= ANALYZE_AFTER_MAILS:
            _analyze_mail()
        mail_service.deliver_pending_mail(clock)
        statuses: dict[int, str] = {}
        # In slices: a country's day is ~70,000 mails, past PostgreSQL's 65,535 parameters.
        for start in range(0, len(ids), STATUS_SLICE):
            chunk = ids[start : start + STATUS_SLICE]
            rows = db.session.execute(select(Mail.id, Mail.status).where(Mail.id.in_(chunk)))
            statuses.update((row_id, status) for row_id, status in rows)
        return [
            MailSummary(**{**s.__dict__, "status": statuses.get(i, s.status)})
            for s, i in zip(summaries, ids, strict=True)
        ]
    return []


def already_reminded(task: Task) -> str:
    return _("Việc “%(ref)s” vừa được nhắc trong phút này; không gửi thêm thư.", ref=task.ref)


def send_reminder_now(task: Task, actor: User, clock: Clock) -> list[Mail]:
    """A reminder sent on demand (the chairman's overdue board) to the assignee and unit heads.

    Flushes only: the request commits, then delivers just these mails
    (``tracker.web.transactions``). A second click in the same minute
    queues nothing; the same click racing from another session is refused
    (:class:`ReminderRefused`, "already reminded"), as is a split original: remind its shares.
    """
    if task.is_split:
        from tracker.services.tasks import split_refusal  # the workflow stack, only when needed

        raise ReminderRefused(split_refusal(task))
    data = load_communes([task.commune_id])[0]
    now = local_now(clock)
    step = now.strftime("%Y%m%d%H%M")
    day = now.date()
    recipients = responsible(data, task)
    outgoing = [
        _reminder(data, task, person, MailKind.MANUAL, step, day, is_optional=False,
                  extra={"actor": actor})
        for person, _copy in recipients
    ]
    try:
        with db.session.begin_nested():  # a clash rolls back this reminder only
            rows = mail_service.queue_mails(outgoing, clock)
    except IntegrityError:
        # The same click from another session (or tab) queued this minute's mails first.
        raise ReminderRefused(already_reminded(task)) from None
    if rows:
        db.session.add(TaskEvent(
            task_id=task.id, actor_id=actor.id, at=clock.now(), action=TaskEventAction.REMIND,
            comment=", ".join(row.address for row in rows),
        ))
        db.session.flush()
    return rows
