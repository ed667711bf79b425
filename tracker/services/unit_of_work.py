"""One unit of work for a job or a command: commit once on success, roll back on any error.

The owner of a job (a scheduler tick's job, the lease, mail delivery's claim and its
results) or of a CLI command opens ``with unit_of_work() as work:``; the services it calls
add and flush only. Requests have their own owner (``tracker.web.transactions``), which
also delivers the mail a request queued; here the mails queued inside the unit are handed
to the owner after the commit (``work.queued_mail_ids``) — the delivery job sends every
due mail anyway. ``work.discard()`` (a dry run, a refusal) rolls back at the end instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tracker.extensions import db

__all__ = ["QUEUED_KEY", "UnitOfWork", "take_queued_ids", "unit_of_work"]

# Where services.mail.queue_mails notes, on the session, the pending mails it queued.
QUEUED_KEY = "tracker.queued_mail_ids"


def take_queued_ids() -> list[int]:
    """The ids of the pending mails this session queued since the last call (and forget them).

    The owner of the unit of work calls it after its commit and delivers just these
    (``services.mail.deliver_mail``), or after a rollback to forget them.
    """
    return list(db.session.info.pop(QUEUED_KEY, []))


@dataclass
class UnitOfWork:
    is_discarded: bool = False
    queued_mail_ids: list[int] = field(default_factory=list)

    def discard(self) -> None:
        """Nothing of this unit is committed: it rolls back when the block ends."""
        self.is_discarded = True


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """Commit what the block flushed (or roll it back on an error or :meth:`discard`)."""
    work = UnitOfWork()
    try:
        yield work
    except BaseException:
        db.session.rollback()
        take_queued_ids()
        raise
    if work.is_discarded:
        db.session.rollback()
        take_queued_ids()
        return
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        take_queued_ids()
        raise
    work.queued_mail_ids = take_queued_ids()
