"""Archiving of finished mails (services.archives): the file, what stays, and the sweep after.

Runs on the backend of the run (``TRACKER_TEST_DATABASE=postgres`` for PostgreSQL). The mails
go through a real SMTP server (aiosmtpd), so the sweep's mails are really sent (``sent_at``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import resource
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Date, func, insert, select

from tests.factories import make_commune, make_mail, make_plan, make_task, make_user, unit_named
from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, tick
from tests.smtp import SmtpServer, smtp_settings
from tracker.clock import VN_TZ, FixedClock
from tracker.extensions import db
from tracker.models import (
    JobRun,
    Mail,
    MailKind,
    MailStatus,
    ReminderSweep,
    Role,
    Task,
    TaskStatus,
    Unit,
    User,
    UTCDateTime,
)
from tracker.services import archives
from tracker.services.archives import (
    ArchiveError,
    archive_mails,
    archive_once_a_day,
    check_before,
    count_archivable,
    retention_cutoff,
)
from tracker.services.reminders import run_reminder_sweep
from tracker.services.scheduler import run_jobs
from tracker.services.unit_of_work import unit_of_work

D = dt.date
# The clock fixture: Monday 4 May 2026, 09:00 in Hải Phòng; 180 days earlier is 5 November 2025.
CUTOFF = D(2025, 11, 5)
OLD = dt.datetime(2025, 6, 2, 9, 0, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _smtp(smtp_server: SmtpServer) -> SmtpServer:  # the sweeps here deliver for real
    return smtp_server


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return app_config | smtp_settings(smtp_port)


@pytest.fixture
def archive_dir(app: Flask) -> Path:
    return Path(app.config["ARCHIVE_DIR"])


@dataclass
class Tasks:
    unit: Unit
    person: User
    done: Task
    cancelled: Task
    open: Task


def make_tasks() -> Tasks:
    commune = make_commune("Phường Hòa Bình")
    unit = unit_named(commune, "Văn phòng HĐND và UBND")
    person = make_user(Role.UNIT_HEAD, commune=commune, unit=unit, full_name="Trần Thị Thu")
    plan = make_plan(commune, tasks=3)
    done, cancelled, still_open = (
        make_task(item, unit, due_on=D(2025, 6, 2), status=str(status))
        for item, status in zip(plan.tasks, (TaskStatus.DONE_LATE, TaskStatus.CANCELLED,
                                             TaskStatus.OVERDUE), strict=True)
    )
    return Tasks(unit, person, done, cancelled, still_open)


def columns_of(mail: Mail) -> dict[str, object]:
    return {column.name: getattr(mail, column.key) for column in Mail.__table__.columns}


def read_archive(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def decoded(record: dict[str, Any]) -> dict[str, object]:
    """A line of the file with its instants and dates read back from their ISO text."""
    values: dict[str, object] = {}
    for column in Mail.__table__.columns:
        value = record[column.name]
        if value is not None and isinstance(column.type, UTCDateTime):
            assert value.endswith("+07:00"), value  # Vietnam time, with its offset
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        values[column.name] = value
    return values


def mail_ids() -> set[int]:
    return set(db.session.scalars(select(Mail.id)))


def archive_now(clock: FixedClock, directory: Path, before: D = CUTOFF) -> archives.ArchiveResult:
    with unit_of_work():
        result = archive_mails(before, directory, clock)
    db.session.expire_all()
    return result


def test_the_file_holds_every_column_of_exactly_the_rows_deleted(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    t = make_tasks()
    gone = [
        make_mail(t.person, OLD, task=t.done),
        make_mail(t.person, OLD, task=t.cancelled, status=MailStatus.FAILED),
        make_mail(t.person, OLD, kind=MailKind.WEEKLY_DIGEST, step="2025-W23",
                  status=MailStatus.HELD),
    ]
    kept = [
        make_mail(t.person, OLD, task=t.open),  # its task is open: the key still matters
        make_mail(t.person, OLD, task=t.done, status=MailStatus.PENDING),  # still delivering
        make_mail(t.person, OLD, status=MailStatus.SENDING),
        make_mail(t.person, dt.datetime(2026, 4, 1, 9, tzinfo=VN_TZ), task=t.done),  # recent
    ]
    db.session.commit()
    expected = [columns_of(m) for m in gone]
    kept_ids = {m.id for m in kept}

    result = archive_now(clock, archive_dir)

    assert result.counts == {"sent": 1, "failed": 1, "held": 1}
    assert result.path == archive_dir / "mail-2026-05-04.jsonl.gz"
    assert result.size == result.path.stat().st_size > 0
    assert result.path.stat().st_mode & 0o777 == 0o600  # addresses and mail bodies
    records = read_archive(result.path)
    assert [list(r) for r in records] == [[c.name for c in Mail.__table__.columns]] * 3
    assert [decoded(r) for r in records] == expected
    assert records[0]["subject"].startswith("[Hạn] Hôm nay đến hạn")  # UTF-8, not escaped
    assert records[0]["sent_at"] == "2025-06-02T09:01:00+07:00"
    assert records[0]["scheduled_on"] == "2025-06-02"
    assert mail_ids() == kept_ids
    assert list(archive_dir.iterdir()) == [result.path]  # no draft left behind


def test_the_cutoff_is_a_vietnam_day_counted_from_sending(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    t = make_tasks()
    # 23:59 on 4/11 in Hải Phòng is 16:59 UTC: the day before the cutoff, archived.
    last_minute = make_mail(t.person, dt.datetime(2025, 11, 4, 23, 58, tzinfo=VN_TZ),
                            task=t.done)
    # 00:30 on 5/11 in Hải Phòng is still 4/11 in UTC: the cutoff day itself, kept.
    first_minute = make_mail(t.person, dt.datetime(2025, 11, 5, 0, 30, tzinfo=VN_TZ),
                             task=t.done)
    # Queued long before, sent on the cutoff day: counted from its sending, kept.
    sent_late = make_mail(t.person, OLD, task=t.done,
                          sent_at=dt.datetime(2025, 11, 5, 8, 0, tzinfo=VN_TZ))
    # Never sent (gave up): counted from its queueing.
    failed = make_mail(t.person, dt.datetime(2025, 11, 4, 20, tzinfo=VN_TZ), task=t.done,
                       status=MailStatus.FAILED)
    db.session.commit()
    last_id, kept = last_minute.id, {first_minute.id, sent_late.id}
    failed_id = failed.id

    assert retention_cutoff(clock) == CUTOFF
    result = archive_now(clock, archive_dir, retention_cutoff(clock))

    assert sorted(r["id"] for r in read_archive(result.path)) == sorted([last_id, failed_id])
    assert mail_ids() == kept


def test_reading_and_deleting_go_in_batches(
    app: Flask, clock: FixedClock, archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "READ_BATCH", 3)
    monkeypatch.setattr(archives, "DELETE_BATCH", 2)
    t = make_tasks()
    old = [make_mail(t.person, OLD + dt.timedelta(hours=n), task=t.done) for n in range(11)]
    keep = make_mail(t.person, OLD, task=t.open)
    db.session.commit()
    ids, keep_id = [m.id for m in old], keep.id

    result = archive_now(clock, archive_dir)

    assert [r["id"] for r in read_archive(result.path)] == ids  # every one, once, in order
    assert mail_ids() == {keep_id}


@pytest.mark.slow
def test_seventy_thousand_mails_pass_postgresqls_parameter_limit(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    """A country's first day is 74,417 mails; one ``IN`` of them would need more than
    PostgreSQL's 65,535 parameters."""
    t = make_tasks()
    sent = dt.datetime(2025, 6, 2, 2, 0, tzinfo=dt.UTC)
    rows = [
        {"dedupe_key": f"due_today::{t.done.id}:{n}", "address": f"nguoi{n}@han.test",
         "kind": "due_today", "step": "", "task_id": t.done.id, "scheduled_on": D(2025, 6, 2),
         "is_optional": False, "subject": f"[Hạn] Hôm nay đến hạn: việc {n}",
         "body_text": "Kính gửi đồng chí", "body_html": "<p>Kính gửi đồng chí</p>",
         "message_id": f"<{n}@han.test>", "status": "sent", "attempts": 1,
         "created_at": sent, "sent_at": sent}
        for n in range(70_000)
    ]
    db.session.execute(insert(Mail), rows)
    db.session.commit()

    result = archive_now(clock, archive_dir)

    assert result.counts == {"sent": 70_000}
    with gzip.open(result.path, "rt", encoding="utf-8") as lines:
        assert sum(1 for _line in lines) == 70_000
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 0


def test_two_archives_of_one_day_get_two_files(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    t = make_tasks()
    make_mail(t.person, OLD, task=t.done)
    db.session.commit()
    first = archive_now(clock, archive_dir)
    make_mail(t.person, OLD, task=t.cancelled)
    db.session.commit()
    second = archive_now(clock, archive_dir)
    third = archive_now(clock, archive_dir)  # nothing left: no file at all

    assert first.path == archive_dir / "mail-2026-05-04.jsonl.gz"
    assert second.path == archive_dir / "mail-2026-05-04-2.jsonl.gz"
    assert len(read_archive(first.path)) == len(read_archive(second.path)) == 1
    assert third.total == 0 and third.path is None
    assert sorted(p.name for p in archive_dir.iterdir()) == [
        "mail-2026-05-04-2.jsonl.gz", "mail-2026-05-04.jsonl.gz"]


def test_a_folder_that_cannot_be_written_deletes_nothing(
    app: Flask, clock: FixedClock, tmp_path: Path
) -> None:
    t = make_tasks()
    make_mail(t.person, OLD, task=t.done)
    db.session.commit()
    before = mail_ids()
    in_the_way = tmp_path / "archive-is-a-file"
    in_the_way.write_text("not a folder")

    with pytest.raises(ArchiveError, match="Không ghi được vào thư mục lưu trữ .*archive-is-a-"
                                           r"file \(ARCHIVE_DIR\).*Không thư nào bị xóa"):
        archive_now(clock, in_the_way)
    db.session.rollback()
    assert mail_ids() == before
    assert in_the_way.read_text() == "not a folder"


def test_a_write_that_fails_midway_deletes_nothing_and_leaves_no_file(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    """The disk fills up while the file is written: the process may write no more than a
    few KiB (RLIMIT_FSIZE), so the kernel refuses the rest (EFBIG)."""
    t = make_tasks()
    for n in range(300):
        make_mail(t.person, OLD + dt.timedelta(minutes=n), task=t.done,
                  body_html="".join(f"<p>{n}-{k}-{k * n}</p>" for k in range(200)))
    db.session.commit()
    before = mail_ids()
    archive_dir.mkdir()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, hard))
    try:
        with pytest.raises(ArchiveError, match="Không ghi được tệp lưu trữ"), unit_of_work():
            archive_mails(CUTOFF, archive_dir, clock)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert mail_ids() == before
    assert list(archive_dir.iterdir()) == []


def test_the_dry_run_counts_and_touches_nothing(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    t = make_tasks()
    make_mail(t.person, OLD, task=t.done)
    make_mail(t.person, OLD, task=t.done)
    make_mail(t.person, OLD, task=t.cancelled, status=MailStatus.FAILED)
    make_mail(t.person, OLD, task=t.open)
    db.session.commit()
    before = mail_ids()

    counted = count_archivable(CUTOFF)

    assert counted.counts == {"sent": 2, "failed": 1} and counted.path is None
    assert mail_ids() == before
    assert not archive_dir.exists()


def test_retention_and_a_chosen_cutoff_keep_at_least_a_week(
    app: Flask, clock: FixedClock
) -> None:
    assert check_before(D(2026, 4, 27), clock) == D(2026, 4, 27)  # 7 days before 4/5
    with pytest.raises(ArchiveError, match="ngày muộn nhất là 2026-04-27"):
        check_before(D(2026, 4, 28), clock)
    app.config["MAIL_RETENTION_DAYS"] = 6
    with pytest.raises(ArchiveError, match=r"MAIL_RETENTION_DAYS = 6: .* ít nhất 7 ngày"):
        retention_cutoff(clock)
    app.config["MAIL_RETENTION_DAYS"] = 30
    assert retention_cutoff(clock) == D(2026, 4, 4)


# --- the sweep after archiving --------------------------------------------------------------


def sweep_keys(clock: FixedClock, moment: dt.datetime) -> list[str]:
    clock.set(moment)
    summaries = run_reminder_sweep(clock, dry_run=True)
    return sorted(f"{s.kind}:{s.task}:{s.to}" for s in summaries)


def test_a_sweep_after_archiving_queues_nothing_again(
    app: Flask, clock: FixedClock, archive_dir: Path, smtp_server: SmtpServer
) -> None:
    """A year of a commune's reminders, the scheduler archiving, then the same moment's
    sweep: nothing new. The open task's old rows are what stop the repeats: without them
    the sweep would send its 60-days escalation again."""
    p = make_people()
    late = add_task(p.commune, p.office, opens_on=D(2025, 4, 1), due_on=D(2025, 5, 1),
                    assignee=p.officer, title="Rà soát thủ tục hành chính")
    finished = add_task(p.commune, p.office, opens_on=D(2025, 4, 1), due_on=D(2025, 5, 15),
                        assignee=p.officer, title="Niêm yết công khai")
    db.session.commit()
    late_id, finished_id = late.id, finished.id
    for day in (D(2025, 4, 1), D(2025, 5, 1), D(2025, 5, 5), D(2025, 5, 8), D(2025, 5, 12),
                D(2025, 5, 15), D(2025, 5, 31), D(2025, 6, 30)):
        tick(app, clock, at(day, 9))
    db.session.get(Task, finished_id).status = str(TaskStatus.DONE_LATE)
    db.session.commit()
    by_task = dict(db.session.execute(
        select(Mail.task_id, func.count()).group_by(Mail.task_id)).all())
    assert by_task[late_id] >= 8 and by_task[finished_id] >= 6 and by_task[None] >= 1
    escalations = set(db.session.scalars(select(Mail.dedupe_key).where(
        Mail.task_id == late_id, Mail.kind == MailKind.ESCALATION, Mail.step == "60")))
    assert len(escalations) == 2  # the chairman and the focal unit's head, on 30/6/2025
    all_sent = set(db.session.scalars(select(Mail.id).where(Mail.status == MailStatus.SENT)))
    assert all_sent == mail_ids()

    now = at(D(2026, 5, 4), 9)
    tick(app, clock, now)  # the day's first tick: the sweep's catch-up, then the archive

    (path,) = archive_dir.iterdir()
    archived = read_archive(path)
    assert {r["task_id"] for r in archived} == {finished_id, None}  # never the open task's
    assert len([r for r in archived if r["task_id"] == finished_id]) == by_task[finished_id]
    assert db.session.scalar(select(func.count()).where(Mail.task_id == finished_id)) == 0
    # Digests of 2025 went; this Monday's weekly digest (queued by this tick) stays.
    assert [m.kind for m in db.session.scalars(select(Mail).where(Mail.task_id.is_(None)))] == [
        "weekly_digest"]
    assert escalations <= set(db.session.scalars(select(Mail.dedupe_key)))
    mails_after = mail_ids()
    sent_before = len(smtp_server.inbox.messages)

    assert sweep_keys(clock, now) == []
    tick(app, clock, now + dt.timedelta(hours=1))
    assert mail_ids() == mails_after
    assert len(smtp_server.inbox.messages) == sent_before

    # Had the open task's old rows been archived, the sweep would send them again.
    db.session.execute(db.delete(Mail).where(Mail.dedupe_key.in_(escalations)))
    # Deleting mails is not a change the sweep watches for (tracker.services.reminder_sweeps):
    # forget its records so it looks at the commune as a full sweep would.
    db.session.execute(db.delete(ReminderSweep))
    db.session.commit()
    assert sweep_keys(clock, now) == sorted(
        f"escalation:{late_id}:{person.email}" for person in (p.chairman, p.focal_head))


# --- the scheduler's job: once a Vietnam day ------------------------------------------------


def test_the_scheduler_archives_at_the_first_tick_of_each_vietnam_day(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    t = make_tasks()  # the sweep of each tick also reminds the open task: other new rows
    first = make_mail(t.person, OLD, task=t.done).id
    db.session.commit()

    clock.set(at(D(2026, 5, 4), 6, 55))
    run_jobs(clock)
    assert [p.name for p in archive_dir.iterdir()] == ["mail-2026-05-04.jsonl.gz"]
    assert first not in mail_ids()
    assert db.session.get(JobRun, "archive").ran_on == D(2026, 5, 4)

    second = make_mail(t.person, OLD, task=t.cancelled).id  # archivable; the day's run is done
    db.session.commit()
    clock.set(at(D(2026, 5, 4), 23, 55))
    run_jobs(clock)
    assert second in mail_ids() and len(list(archive_dir.iterdir())) == 1

    clock.set(at(D(2026, 5, 5), 0, 5))  # 17:05 UTC, still 4/5 there: a new day in Vietnam
    run_jobs(clock)
    db.session.expire_all()
    assert second not in mail_ids()
    assert sorted(p.name for p in archive_dir.iterdir()) == [
        "mail-2026-05-04.jsonl.gz", "mail-2026-05-05.jsonl.gz"]
    assert [r["id"] for r in read_archive(archive_dir / "mail-2026-05-05.jsonl.gz")] == [second]
    assert db.session.get(JobRun, "archive").ran_on == D(2026, 5, 5)


def test_a_dry_run_of_the_jobs_neither_archives_nor_uses_up_the_day(
    app: Flask, clock: FixedClock, archive_dir: Path
) -> None:
    t = make_tasks()
    old = make_mail(t.person, OLD, task=t.done).id
    db.session.commit()
    before = mail_ids()
    run_jobs(clock, dry_run=True)
    assert mail_ids() == before and not archive_dir.exists()
    assert db.session.get(JobRun, "archive") is None
    assert archive_once_a_day(clock) is not None
    assert archive_once_a_day(clock) is None  # the day's run is done
    assert old not in mail_ids()


def test_the_scheduler_logs_an_unwritable_folder_and_goes_on(
    app: Flask, clock: FixedClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    t = make_tasks()
    old = make_mail(t.person, OLD, task=t.done).id
    db.session.commit()
    in_the_way = tmp_path / "archive-is-a-file"
    in_the_way.write_text("")
    app.config["ARCHIVE_DIR"] = str(in_the_way)

    with caplog.at_level(logging.INFO, logger="tracker.services"):
        run_jobs(clock)  # raises nothing: the other jobs of the tick are not held up

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage()[:20] for r in errors] == ["job archive failed: "]
    assert "ARCHIVE_DIR" in errors[0].getMessage()
    assert old in mail_ids()
    # Tried today: not again at every tick, but tomorrow (or `tracker db archive` by hand).
    assert db.session.get(JobRun, "archive").ran_on == D(2026, 5, 4)
    app.config["ARCHIVE_DIR"] = str(tmp_path / "archive")
    assert archive_once_a_day(clock) is None
    clock.advance(dt.timedelta(days=1))
    assert archive_once_a_day(clock) is not None
    assert old not in mail_ids()
