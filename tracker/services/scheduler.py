"""The scheduler: APScheduler runs one tick every few minutes; a database lease picks the runner.

Any number of app servers and ``tracker scheduler`` processes may start a scheduler, but a
tick only does work when it holds the lease row in ``scheduler_lease`` (renewed every tick,
expiring after a few missed ticks), so only one scheduler is ever active against a database.
Each job of a tick runs in an app context, is one unit of work
(``services.unit_of_work``) and is idempotent; what a job takes
as "now" comes from the app's clock, never from APScheduler.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.clock import Clock
from tracker.extensions import db, get_clock
from tracker.models import SchedulerLease
from tracker.services import task_tallies
from tracker.services.archives import archive_once_a_day
from tracker.services.database import is_busy
from tracker.services.mail import deliver_pending_mail
from tracker.services.plan_imports import sweep_pending
from tracker.services.reminders import MailSummary, run_reminder_sweep
from tracker.services.tasks import refresh_statuses
from tracker.services.unit_of_work import unit_of_work
from tracker.services.workflow_errors import ConcurrentUpdateError

log = logging.getLogger(__name__)
T = TypeVar("T")


LEASE_NAME = "scheduler"
# The lease outlives a few missed ticks, so a restart takes over after at most this long.
LEASE_TICKS = 3
MIN_LEASE = dt.timedelta(seconds=60)
# How often `tracker remind` looks whether the lease became free.
LEASE_POLL_SECONDS = 1.0


def new_holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease_duration(interval_seconds: int, lease_seconds: int = 0) -> dt.timedelta:
    """The lease's life: ``SCHEDULER_LEASE_SECONDS`` when set (a test's short lease), else a
    few ticks and at least a minute."""
    if lease_seconds > 0:
        return dt.timedelta(seconds=lease_seconds)
    return max(dt.timedelta(seconds=interval_seconds * LEASE_TICKS), MIN_LEASE)


def configured_lease(app: Flask) -> dt.timedelta:
    return lease_duration(
        int(app.config.get("SCHEDULER_INTERVAL_SECONDS", 300)),
        int(app.config.get("SCHEDULER_LEASE_SECONDS", 0) or 0),
    )


def acquire_lease(holder: str, clock: Clock, duration: dt.timedelta) -> bool:
    """Take or renew the lease; True when ``holder`` now holds it, in its own unit of work
    (committed at once, so the other schedulers see it)."""
    now = clock.now()
    with unit_of_work():
        result = db.session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == LEASE_NAME)
            .where(or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=now + duration)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            return True
        if db.session.get(SchedulerLease, LEASE_NAME) is not None:
            return False
    try:
        with unit_of_work():
            add_lease(holder, now + duration)
    except IntegrityError:  # another scheduler created it first
        return False
    return True


def add_lease(holder: str, expires_at: dt.datetime) -> None:
    """The first scheduler of a database creates the lease row. Flushes only."""
    db.session.add(SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=expires_at))
    db.session.flush()


def release_lease(holder: str) -> None:
    """Give the lease up (on shutdown) so another scheduler takes over at its next tick."""
    with unit_of_work():
        db.session.execute(
            delete(SchedulerLease).where(
                SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder
            )
        )


@dataclass
class TickResult:
    is_leader: bool
    mails: list[MailSummary] = field(default_factory=list)


# A job that meets another writer (a web action, another sender) starts again this often.
JOB_ATTEMPTS = 3
JOB_RETRY_PAUSE_SECONDS = 0.5


class JobsIncomplete(RuntimeError):
    """Some jobs still collided after their retries; the others ran (``mails`` they queued)."""

    def __init__(self, failed: list[str], mails: list[MailSummary]) -> None:
        super().__init__(", ".join(failed))
        self.failed = failed
        self.mails = mails


def is_collision(error: BaseException) -> bool:
    """Another writer got there first: worth rolling back and running the job again."""
    if isinstance(error, IntegrityError | StaleDataError | ConcurrentUpdateError):
        return True
    return isinstance(error, OperationalError) and is_busy(error)


def _run_job(name: str, work: Callable[[], T]) -> T:
    """One job as a unit of work: rolled back and retried when it collides with a writer."""
    for attempt in range(1, JOB_ATTEMPTS + 1):
        started = time.perf_counter()
        try:
            done = work()
            took = (time.perf_counter() - started) * 1000
            log.info("job %s done in %.1f ms", name, took,
                     extra={"job": name, "duration_ms": round(took, 1), "attempt": attempt})
            return done
        except Exception as error:
            db.session.rollback()
            if not is_collision(error) or attempt == JOB_ATTEMPTS:
                raise
            log.info("job %s collided with another writer (%s); retrying", name, error)
            time.sleep(JOB_RETRY_PAUSE_SECONDS * attempt)
    raise AssertionError("unreachable")


def run_jobs(clock: Clock, dry_run: bool = False) -> list[MailSummary]:
    """Every scheduled job once, as of the clock's moment (``tracker remind`` runs this).

    Jobs: due workflow timers and task statuses (tracker.services.tasks.refresh_statuses,
    which fires tracker.services.workflows.fire_due_timers); reminders, digests and
    escalations (one sweep, one commit); delivery of mails whose retry is due; folding the
    task tally's deltas; the sweep of abandoned plan uploads; archiving of finished mails, at
    the first tick of a Vietnam day only (tracker.services.archives). Each job is
    its own unit of work, retried when it collides with another writer; a job that still
    fails does not stop the next ones (:class:`JobsIncomplete` at the end names it).
    """
    failed: list[str] = []

    def refresh() -> None:
        if dry_run:  # left uncommitted: the dry sweep sees it, then rolls it back with its own
            refresh_statuses(clock)
            return
        with unit_of_work():
            refresh_statuses(clock)  # due workflow timers fire, windows open, deadlines pass

    mails: list[MailSummary] = []
    for name, work in (
        ("refresh", refresh),
        # A dry run's sweep rolls back the refresh too: nothing is written.
        ("reminders", lambda: mails.extend(run_reminder_sweep(clock, dry_run=dry_run))),
        ("delivery", lambda: None if dry_run else deliver_pending_mail(clock)),
        ("tallies", lambda: None if dry_run else _compact_tallies()),
        ("uploads", lambda: None if dry_run else _sweep_uploads(clock)),
        ("archive", lambda: None if dry_run else archive_once_a_day(clock)),
    ):
        try:
            _run_job(name, work)
        except Exception as error:
            if not is_collision(error):
                raise
            log.warning("job %s gave up after %d attempts: %s", name, JOB_ATTEMPTS, error)
            failed.append(name)
    if failed:
        raise JobsIncomplete(failed, mails)
    return mails


def _compact_tallies() -> None:
    """The task tally's delta rows folded into one row per key (tracker.services.task_tallies)."""
    with unit_of_work():
        task_tallies.compact()


def _sweep_uploads(clock: Clock) -> None:
    """Plan uploads left at the preview (neither confirmed nor cancelled) are removed."""
    config = current_app.config
    keep_for = dt.timedelta(hours=int(config.get("PENDING_IMPORT_HOURS", 24)))
    sweep_pending(Path(config["UPLOAD_DIR"]), clock.now(), keep_for)


def run_with_lease(
    clock: Clock, lease_clock: Clock, *, wait_seconds: float, on_wait: Callable[[str], None],
    dry_run: bool = False,
) -> list[MailSummary]:
    """``tracker remind``: take the scheduler lease (waiting up to ``wait_seconds``), run the
    jobs, give the lease back; :class:`LeaseBusy` if another scheduler kept it.

    The lease runs on real time (``lease_clock``) even when the jobs run as of ``--now``.
    A dry run writes nothing, so it needs no lease.
    """
    if dry_run:
        return run_jobs(clock, dry_run=True)
    holder = new_holder_name()
    deadline = lease_clock.now() + dt.timedelta(seconds=wait_seconds)
    told = False
    while not acquire_lease(holder, lease_clock, MIN_LEASE):
        lease = db.session.get(SchedulerLease, LEASE_NAME)
        other = lease.holder if lease is not None else "?"
        db.session.rollback()
        if lease_clock.now() >= deadline:
            raise LeaseBusy(other)
        if not told:
            on_wait(other)
            told = True
        time.sleep(LEASE_POLL_SECONDS)
    try:
        return run_jobs(clock)
    finally:
        db.session.rollback()
        release_lease(holder)


class LeaseBusy(RuntimeError):
    """Another scheduler holds the lease and kept it for the whole wait."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def run_tick(app: Flask, holder: str) -> TickResult:
    """One scheduler tick: do the jobs only while holding the lease."""
    with app.app_context():
        try:
            clock = get_clock(app)
            duration = configured_lease(app)
            if not acquire_lease(holder, clock, duration):
                log.info("scheduler %s: another scheduler holds the lease; standing by", holder,
                         extra={"job": "tick", "holder": holder, "is_leader": False})
                return TickResult(is_leader=False)
            try:
                mails = run_jobs(clock)
            except JobsIncomplete as incomplete:  # the next tick tries those jobs again
                log.warning("scheduler %s: tick done except %s", holder, incomplete)
                mails = incomplete.mails
            log.info("scheduler %s: tick done, %d mails queued", holder, len(mails),
                     extra={"job": "tick", "holder": holder, "mails_queued": len(mails)})
            return TickResult(is_leader=True, mails=mails)
        finally:
            db.session.remove()


def _release(app: Flask, holder: str) -> None:
    with app.app_context():
        try:
            release_lease(holder)
        finally:
            db.session.remove()


def build_scheduler(app: Flask, *, blocking: bool = False) -> tuple[BaseScheduler, str]:
    """A scheduler with the tick job (first run at once, then every interval)."""
    holder = new_holder_name()
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=dt.UTC) if blocking else BackgroundScheduler(timezone=dt.UTC)
    )
    interval = int(app.config.get("SCHEDULER_INTERVAL_SECONDS", 300))
    options = {"args": [app, holder], "max_instances": 1, "coalesce": True}
    scheduler.add_job(run_tick, id="first-tick", **options)
    scheduler.add_job(run_tick, "interval", seconds=interval, id="tick", **options)
    return scheduler, holder


def start_background_scheduler(app: Flask) -> BackgroundScheduler | None:
    """For ``tracker serve``: a background scheduler, unless disabled or in a reloader parent."""
    if not app.config.get("SCHEDULER_ENABLED", True):
        return None
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's parent process: its child runs the scheduler
    scheduler, holder = build_scheduler(app)
    assert isinstance(scheduler, BackgroundScheduler)
    scheduler.start()

    def stop() -> None:
        scheduler.shutdown(wait=True)
        _release(app, holder)

    atexit.register(stop)
    return scheduler


def run_scheduler_forever(app: Flask) -> None:
    """For ``tracker scheduler``: run ticks in the foreground until interrupted."""
    scheduler, holder = build_scheduler(app, blocking=True)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        _release(app, holder)
