"""Which communes a reminder sweep must look at: those where something may have come due.

The scheduler ticks every few minutes, and a full sweep of the country loads every open task
(~170,000 at mid-year) to find, for almost all of them, that their latest ladder step was
queued already. What a commune's sweep queues depends only on

- the moment: the policy's effective ladder day (it moves at midnight and at the send hour,
  and the weekly digest's moment is a send hour too) and the digest hours of its people;
- its tasks (every change to a task row raises ``Task.updated_at``: workflow sync, refresh,
  assignment, deadlines, extensions, amendments, plan withdrawal);
- its people, units and reminder policy;
- the mails already queued (only a sweep or a person adds them; archiving removes only
  finished tasks' mails).

So a sweep records, per commune, the ladder day and the moment it looked
(:class:`~tracker.models.ReminderSweep`), and the next sweep skips a commune when the ladder
day is the same, no task of it changed since, no digest hour of its people came in between,
and no person, unit or policy of it was edited since (an edit deletes the commune's record,
:func:`install`). Such a commune would queue nothing: skipping it changes no mail, only the
time. A clock that goes back (``tracker remind --now`` in the past) sweeps everything.

"Changed since" has a margin: a change stamped before the sweep looked may commit after it
(:data:`CHANGE_MARGIN`). The sweep keeps a digest of the rows stamped within that margin as
it saw them (:func:`recent_rows`, taken before it reads the tasks), and a later tick looks
again only when that window's rows differ from the digest. Without it, the tick after the
day's first sweep looked again at every commune whose tasks the same tick had just opened:
a second full pass that found nothing (docs/national.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from tracker.clock import VN_TZ
from tracker.extensions import db
from tracker.models import ReminderPolicy, ReminderSweep, Task, Unit, User
from tracker.services.reminder_ladder import Policy

# A change stamped before a sweep began may commit after the sweep read the tasks (a request
# that was still running): so a commune is looked at again while its last change is less than
# this much older than its last sweep. Far longer than any request or job holds a transaction.
CHANGE_MARGIN = dt.timedelta(minutes=10)


def effective_days(
    communes: Iterable[int], policies: Mapping[int, Policy], now_local: dt.datetime
) -> dict[int, dt.date]:
    """Each commune's effective ladder day at ``now_local``."""
    default = Policy.from_row(None)
    return {c: policies.get(c, default).effective_day(now_local) for c in communes}


def communes_to_sweep(
    days: Mapping[int, dt.date], now: dt.datetime, now_local: dt.datetime
) -> set[int]:
    """The communes (of ``days``) that may have something to queue at ``now``."""
    marks = {
        row.commune_id: row
        for row in db.session.scalars(
            select(ReminderSweep).where(ReminderSweep.commune_id.in_(list(days)))
        )
    }
    due = {
        commune
        for commune, day in days.items()
        if (mark := marks.get(commune)) is None
        or mark.swept_day != day
        or mark.swept_at > now  # the clock went back
    }
    if len(due) == len(days):
        return due
    kept = {c: marks[c].swept_at for c in days if c not in due}
    rows = _stamped_since(min(kept.values()) - CHANGE_MARGIN)
    for commune, swept_at in kept.items():
        stamped = rows.get(commune, [])
        if any(at > swept_at for _id, at in stamped):
            due.add(commune)  # changed after the sweep looked
        elif stamped and _digest(stamped, swept_at) != marks[commune].seen:
            due.add(commune)  # a change within the margin that the sweep may not have seen
    # A person's daily digest goes from their hour: sweep their commune once that hour came.
    today = now_local.date()
    for commune, hour in db.session.execute(
        select(User.commune_id, User.digest_hour)
        .where(User.mail_mode == "digest", User.is_enabled.is_(True))
        .where(User.commune_id.in_(list(kept)))
        .distinct()
    ):
        moment = dt.datetime.combine(today, dt.time(hour), VN_TZ).astimezone(dt.UTC)
        if kept[commune] < moment <= now:
            due.add(commune)
    return due


Stamp = tuple[int, dt.datetime]  # a task row's id and updated_at


def _stamped_since(since: dt.datetime) -> dict[int, list[Stamp]]:
    """The task rows stamped at or after ``since``, by commune (ix_task_updated_at)."""
    rows: dict[int, list[Stamp]] = defaultdict(list)
    for commune, task_id, at in db.session.execute(
        select(Task.commune_id, Task.id, Task.updated_at).where(Task.updated_at >= since)
    ):
        rows[commune].append((task_id, at))
    return rows


def _digest(stamped: Iterable[Stamp], swept_at: dt.datetime) -> str | None:
    """The rows of the margin before ``swept_at``, as one digest (None: there were none)."""
    window = sorted(
        (task_id, at) for task_id, at in stamped if swept_at - CHANGE_MARGIN <= at <= swept_at
    )
    if not window:
        return None
    text = ";".join(f"{task_id}@{at.astimezone(dt.UTC).isoformat()}" for task_id, at in window)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def recent_rows(now: dt.datetime) -> dict[int, list[Stamp]]:
    """What a sweep at ``now`` sees of the margin: read it before the sweep reads the tasks,
    so that a change committing in between is looked at again rather than missed."""
    return _stamped_since(now - CHANGE_MARGIN)


def record_sweep(
    days: Mapping[int, dt.date], now: dt.datetime, recent: Mapping[int, list[Stamp]]
) -> None:
    """These communes were swept at ``now`` for their ladder days, having seen ``recent``
    (:func:`recent_rows` at ``now``). Flushes only."""
    ids = list(days)
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        # The table, not the entity: an ORM delete first looks through every object in the
        # session for rows to expire (after the first day's 74,000 mails: 7 s).
        table = ReminderSweep.__table__
        db.session.execute(delete(table).where(table.c.commune_id.in_(chunk)))
        db.session.execute(
            insert(table),
            [
                {
                    "commune_id": c,
                    "swept_day": days[c],
                    "swept_at": now,
                    "seen": _digest(recent.get(c, []), now),
                }
                for c in chunk
            ],
        )


def forget_communes(session: Session, commune_ids: set[int]) -> None:
    """The next sweep looks at these communes again, whatever the moment."""
    if commune_ids:
        session.execute(
            delete(ReminderSweep).where(ReminderSweep.commune_id.in_(sorted(commune_ids)))
        )


_WATCHED = (User, Unit, ReminderPolicy)


def _edited_communes(session: Session, flush_context: Any, instances: Any) -> None:
    found = {
        commune
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, _WATCHED) and (commune := getattr(obj, "commune_id", None)) is not None
    }
    if found:
        session.info.setdefault("reminder_sweep_forget", set()).update(found)


def _forget_after_flush(session: Session, flush_context: Any) -> None:
    forget_communes(session, session.info.pop("reminder_sweep_forget", set()))


_installed = False


def install() -> None:
    """Every session forgets the sweep records of communes whose people, units or policy it
    writes (in the same transaction, so a rollback keeps them)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _edited_communes)
    event.listen(Session, "after_flush", _forget_after_flush)
    _installed = True
