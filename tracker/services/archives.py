"""Archiving: finished mails leave the live ``mail`` table for a gzip JSON-lines file.

``mail`` is what grows in a national deployment: every reminder is a row with its rendered
HTML and text (~2.5 KiB), and a country's first day queues 74,417 of them
(docs/national.md). Once a Vietnam day the scheduler (``services.scheduler.run_jobs``), or an
operator with ``tracker db archive``, writes the mails that are no longer needed to
``ARCHIVE_DIR/mail-YYYY-MM-DD.jsonl.gz`` and deletes them, in one unit of work.

Which mails
    * finished ones: sent, failed (given up after ``MAIL_MAX_ATTEMPTS``) or held (no SMTP:
      kept in the outbox). Failed and held mails wait only for an administrator's "try again"
      (``services.mail.retry_failed_mail``), never for the scheduler; pending and sending
      mails are still being delivered and stay;
    * sent (or, never sent, queued) on a Vietnam day before the cutoff: today minus
      ``MAIL_RETENTION_DAYS`` (default 180), or the day given to ``--before``;
    * whose dedupe key can no longer matter: a mail of a task that is done or cancelled, or
      of no task at all.

Why an open task keeps its mails (and there is no table of archived keys)
    The unique ``dedupe_key`` is what stops the sweep (``services.reminders``) from queueing
    a reminder twice. For each open task and person the sweep looks at the latest step of
    the ladder only, and queues it, or one catch-up for it, unless a row with that key (or
    with the normal step's key) exists. The latest step can be months old: the 60-days
    escalation of a task overdue for a year, or the due-day reminder under a policy without
    overdue reminders. Deleting that row would make the next sweep send it again, as a
    catch-up; the escalation mail also lists the task's earlier reminders from these rows.
    So an open task's mails stay until it is finished. A done or cancelled task never opens
    again (``FINISHED_STATUSES``: nothing more will happen to it) and gets no more mail, so
    its rows can go. Mails without a task are digests, keyed by their day or ISO week, which
    the sweep never builds again once that day or week is over: hence at least
    :data:`MIN_RETENTION_DAYS`.

    Keeping every archived key in a table of its own instead would keep one row per mail for
    ever (tens of thousands a day in the whole country) and make every sweep read two
    tables: the growth would be slower, not bounded. What stays here is bounded by the mails
    of the tasks open at the moment, and they leave once their task is finished.

The file
    One mail per line, every column of ``mail`` under its own name, instants as ISO 8601 in
    Vietnam time with the offset (``2026-05-04T09:00:00+07:00``), dates as ISO dates; UTF-8,
    gzip. It is written under a temporary name in ``ARCHIVE_DIR``, fsynced, linked to its
    final name (a suffix ``-2``, ``-3``… when a file of that day exists; never overwritten) and
    the folder fsynced, all BEFORE the first row is deleted; if anything fails up to then,
    nothing is deleted. The rows are read in batches of :data:`READ_BATCH` (locked on
    PostgreSQL with ``FOR UPDATE``, so a concurrent archiver or a "try again" waits) and
    deleted in batches of :data:`DELETE_BATCH` ids (PostgreSQL takes at most 65,535
    parameters in one statement), each delete re-checking the condition; when the rows
    deleted are not exactly the rows written, the unit of work rolls back and the file is
    removed. Files are mode 0600: they hold people's addresses and their mail.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select

from tracker.clock import UTC, VN_TZ, Clock, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import FINISHED_STATUSES, Mail, MailStatus, Task
from tracker.services.job_runs import claim_day
from tracker.services.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

# Delivered, or waiting only for an administrator: nothing automatic will touch them again.
FINISHED_MAIL_STATUSES = (MailStatus.SENT, MailStatus.FAILED, MailStatus.HELD)
# A weekly digest's key guards against a repeat until its ISO week is over.
MIN_RETENTION_DAYS = 7
READ_BATCH = 2_000  # mails read, locked and written per query (~5 MiB of bodies)
DELETE_BATCH = 10_000  # ids per DELETE, well below PostgreSQL's 65,535 parameters
DAILY_JOB = "archive"
GZIP_LEVEL = 6


class ArchiveError(RuntimeError):
    """Archiving could not be done as asked; the message says why, and nothing was deleted."""


@dataclass(frozen=True)
class ArchiveResult:
    """What was archived (or, for a dry run, would be): mails of days before ``before``."""

    before: dt.date
    counts: dict[str, int] = field(default_factory=dict)  # status → mails
    path: Path | None = None  # None: nothing archived, no file written
    size: int = 0  # bytes of the file

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def archive_dir() -> Path:
    return Path(current_app.config["ARCHIVE_DIR"])


def retention_cutoff(clock: Clock) -> dt.date:
    """The first Vietnam day whose mails stay: today minus ``MAIL_RETENTION_DAYS``."""
    days = int(current_app.config.get("MAIL_RETENTION_DAYS", 180))
    if days < MIN_RETENTION_DAYS:
        raise ArchiveError(_(
            "MAIL_RETENTION_DAYS = %(days)s: thư phải được giữ ít nhất %(min)s ngày (thư tổng "
            "hợp tuần chặn việc gửi lặp cho đến hết tuần của nó).",
            days=days, min=MIN_RETENTION_DAYS))
    return today(clock) - dt.timedelta(days=days)


def check_before(day: dt.date, clock: Clock) -> dt.date:
    """A cutoff chosen by hand (``--before``), refused when it is too recent."""
    latest = today(clock) - dt.timedelta(days=MIN_RETENTION_DAYS)
    if day > latest:
        raise ArchiveError(_(
            "%(day)s là quá gần: chỉ lưu trữ được thư từ %(min)s ngày trước trở về trước "
            "(hôm nay %(today)s), tức là ngày muộn nhất là %(latest)s.",
            day=day.isoformat(), min=MIN_RETENTION_DAYS, today=today(clock).isoformat(),
            latest=latest.isoformat()))
    return day


def _start_of(day: dt.date) -> dt.datetime:
    """The instant (UTC) that Vietnam day begins."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=VN_TZ).astimezone(UTC)


def archivable(before: dt.date) -> ColumnElement[bool]:
    """Mails that may leave: finished, of a Vietnam day before ``before``, of a finished
    task or of none (the module's docstring says why)."""
    boundary = _start_of(before)
    task_is_finished = exists().where(Task.id == Mail.task_id, Task.status.in_(FINISHED_STATUSES))
    return and_(
        Mail.status.in_([str(s) for s in FINISHED_MAIL_STATUSES]),
        or_(Mail.sent_at < boundary, and_(Mail.sent_at.is_(None), Mail.created_at < boundary)),
        or_(Mail.task_id.is_(None), task_is_finished),
    )


def count_archivable(before: dt.date) -> ArchiveResult:
    """What archiving with this cutoff would take, by status (the dry run): nothing written."""
    rows = db.session.execute(
        select(Mail.status, func.count()).where(archivable(before)).group_by(Mail.status)
    )
    return ArchiveResult(before, {str(status): int(n) for status, n in rows})


def archive_mails(before: dt.date, directory: Path, clock: Clock) -> ArchiveResult:
    """Write every archivable mail of days before ``before`` to a new file in ``directory``,
    then delete them. Flushes only: the caller's unit of work commits.

    Raises :class:`ArchiveError` (nothing deleted, no file left) when the folder cannot be
    written or the table changed under it. Nothing to archive: no file.
    """
    condition = archivable(before)
    handle, draft = _open_draft(directory)
    ids: list[int] = []
    counts: Counter[str] = Counter()
    try:
        try:
            with gzip.GzipFile(filename="", mode="wb", fileobj=handle, compresslevel=GZIP_LEVEL,
                               mtime=int(clock.now().timestamp())) as packed:
                for row in _archivable_rows(condition):
                    packed.write(_line(row))
                    ids.append(int(row["id"]))
                    counts[str(row["status"])] += 1
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        if not ids:
            return ArchiveResult(before)
        path = _publish(draft, directory, today(clock))
    except OSError as error:
        raise ArchiveError(_(
            "Không ghi được tệp lưu trữ trong %(path)s (ARCHIVE_DIR): %(reason)s. Không thư "
            "nào bị xóa.", path=str(directory), reason=error.strerror or str(error))) from error
    finally:
        draft.unlink(missing_ok=True)
    try:
        deleted = _delete(ids, condition)
        if deleted != len(ids):
            raise ArchiveError(_(
                "Bảng thư thay đổi trong lúc lưu trữ (%(written)s thư đã ghi, %(deleted)s thư "
                "xóa được); không thư nào bị xóa, hãy chạy lại.",
                written=len(ids), deleted=deleted))
    except BaseException:
        path.unlink(missing_ok=True)  # the rows stay (the unit of work rolls back)
        raise
    return ArchiveResult(before, dict(counts), path, path.stat().st_size)


def _open_draft(directory: Path) -> tuple[IO[bytes], Path]:
    """A new file under a temporary name in ``directory`` (created if missing), mode 0600."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".mail-", suffix=".jsonl.gz.partial")
    except OSError as error:
        raise ArchiveError(_(
            "Không ghi được vào thư mục lưu trữ %(path)s (ARCHIVE_DIR): %(reason)s. Không thư "
            "nào bị xóa.", path=str(directory), reason=error.strerror or str(error))) from error
    return os.fdopen(fd, "wb"), Path(name)


def _archivable_rows(condition: ColumnElement[bool]) -> Any:
    """Every archivable row (all columns), in id order, in batches of READ_BATCH."""
    columns = list(Mail.__table__.columns)
    last = 0
    while True:
        batch = db.session.execute(
            select(*columns).where(condition, Mail.id > last).order_by(Mail.id)
            .limit(READ_BATCH).with_for_update()
        ).mappings().all()
        if not batch:
            return
        yield from batch
        last = int(batch[-1]["id"])


def _line(row: Any) -> bytes:
    record = {column.name: _plain(row[column.name]) for column in Mail.__table__.columns}
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(VN_TZ).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _publish(draft: Path, directory: Path, on: dt.date) -> Path:
    """Give the written draft its name of the day (never replacing a file), and make the
    name itself durable (fsync of the folder)."""
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        target = directory / f"mail-{on.isoformat()}{suffix}.jsonl.gz"
        try:
            os.link(draft, target)
        except FileExistsError:
            number += 1
            continue
        break
    folder = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return target


def _delete(ids: list[int], condition: ColumnElement[bool]) -> int:
    deleted = 0
    for start in range(0, len(ids), DELETE_BATCH):
        result = db.session.execute(
            delete(Mail).where(Mail.id.in_(ids[start : start + DELETE_BATCH]), condition)
            .execution_options(synchronize_session=False)
        )
        deleted += int(getattr(result, "rowcount", 0) or 0)
    return deleted


def archive_once_a_day(clock: Clock) -> ArchiveResult | None:
    """The scheduler's job: archive with ``MAIL_RETENTION_DAYS`` at the first tick of each
    Vietnam day; None on the day's later ticks.

    A failure (the folder cannot be written) is logged as an error and still uses up the
    day: it is tried again tomorrow, or by hand with ``tracker db archive`` once fixed,
    rather than at every tick. Collisions with other writers roll the claim back with the
    work, so the scheduler's retry runs it again.
    """
    on = today(clock)
    try:
        with unit_of_work():
            if not claim_day(DAILY_JOB, on, clock.now()):
                return None
            result = archive_mails(retention_cutoff(clock), archive_dir(), clock)
    except ArchiveError as error:
        log.error("job archive failed: %s", error, extra={"job": DAILY_JOB})
        with unit_of_work():
            claim_day(DAILY_JOB, on, clock.now())
        return None
    log.info("job archive: %d mails before %s into %s (%d bytes)", result.total,
             result.before.isoformat(), result.path or "no file", result.size,
             extra={"job": DAILY_JOB, "mails_archived": result.total,
                    "archive_file": str(result.path or ""), "archive_bytes": result.size})
    return result
