"""``tracker db archive``: what it prints, the dry run, a cutoff by hand, and its refusals."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import select

from tests.factories import make_commune, make_mail, make_plan, make_task, make_user, unit_named
from tracker.cli import main
from tracker.clock import VN_TZ
from tracker.extensions import db
from tracker.models import Mail, MailKind, MailStatus, Role, TaskStatus

NOW = "2026-05-04T09:00"  # 180 days earlier: 5 November 2025


@pytest.fixture
def old_mails(app: Flask) -> dict[str, set[int]]:
    """Three archivable mails of 2025 (sent, failed, held), one of an open task, one recent."""
    commune = make_commune("Xã Phú Thái")
    unit = unit_named(commune, "Văn phòng HĐND và UBND")
    person = make_user(Role.UNIT_HEAD, commune=commune, unit=unit)
    plan = make_plan(commune, tasks=2)
    done = make_task(plan.tasks[0], unit, due_on=dt.date(2025, 6, 2),
                     status=str(TaskStatus.DONE_ON_TIME))
    still_open = make_task(plan.tasks[1], unit, due_on=dt.date(2025, 6, 2),
                           status=str(TaskStatus.OVERDUE))
    june = dt.datetime(2025, 6, 2, 9, tzinfo=VN_TZ)
    gone = {
        make_mail(person, june, task=done).id,
        make_mail(person, june, task=done, status=MailStatus.FAILED).id,
        make_mail(person, dt.datetime(2025, 10, 1, 9, tzinfo=VN_TZ),
                  kind=MailKind.DAILY_DIGEST, step="2025-10-01", status=MailStatus.HELD).id,
    }
    kept = {
        make_mail(person, june, task=still_open).id,
        make_mail(person, dt.datetime(2026, 4, 1, 9, tzinfo=VN_TZ), task=done).id,
    }
    db.session.commit()
    db.session.remove()
    return {"gone": gone, "kept": kept}


def archive(database_url: str, directory: Path, *args: str, **env: str) -> Result:
    return CliRunner().invoke(
        main, ["db", "archive", "--now", NOW, *args],
        env={"DATABASE_URL": database_url, "ARCHIVE_DIR": str(directory), **env},
    )


def mail_ids() -> set[int]:
    ids = set(db.session.scalars(select(Mail.id)))
    db.session.remove()
    return ids


def test_archive_prints_the_counts_the_file_and_its_size(
    old_mails: dict[str, set[int]], database_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "archive"
    result = archive(database_url, directory)

    assert result.exit_code == 0, result.output
    path = directory / "mail-2026-05-04.jsonl.gz"
    assert result.stdout.splitlines() == [
        "Đã lưu trữ 3 thư trước ngày 2025-11-05:",
        "  Đã gửi (sent): 1",
        "  Gửi không được (failed): 1",
        "  Lưu trong hộp thư đi (held): 1",
        f"Tệp: {path} ({path.stat().st_size} byte)",
    ]
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        assert {json.loads(line)["id"] for line in lines} == old_mails["gone"]
    assert mail_ids() == old_mails["kept"]

    again = archive(database_url, directory)
    assert again.exit_code == 0, again.output
    assert again.stdout == "Không có thư nào trước ngày 2025-11-05 cần lưu trữ.\n"
    assert [p.name for p in directory.iterdir()] == ["mail-2026-05-04.jsonl.gz"]


def test_the_dry_run_counts_only(
    old_mails: dict[str, set[int]], database_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "archive"
    result = archive(database_url, directory, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Chạy thử: 3 thư trước ngày 2025-11-05 sẽ được lưu trữ (không ghi, không xóa gì):")
    assert "  Đã gửi (sent): 1" in result.stdout.splitlines()
    assert "Tệp:" not in result.stdout
    assert not directory.exists()
    assert mail_ids() == old_mails["gone"] | old_mails["kept"]


def test_before_chooses_the_cutoff_but_not_within_the_last_week(
    old_mails: dict[str, set[int]], database_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "archive"
    too_recent = archive(database_url, directory, "--before", "2026-04-28")
    assert too_recent.exit_code == 2
    assert "Invalid value for '--before': 2026-04-28 là quá gần" in too_recent.stderr
    assert "ngày muộn nhất là 2026-04-27" in too_recent.stderr
    assert "Traceback" not in too_recent.output
    malformed = archive(database_url, directory, "--before", "04/05/2026")
    assert malformed.exit_code == 2 and "Invalid value for '--before'" in malformed.stderr

    # Only the June mails: the digest of 1/10/2025 is not before 1/9/2025.
    result = archive(database_url, directory, "--before", "2025-09-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Đã lưu trữ 2 thư trước ngày 2025-09-01:")
    assert len(mail_ids()) == 3

    # A week ago is allowed: the April mail of the done task goes too.
    week = archive(database_url, directory, "--before", "2026-04-27")
    assert week.exit_code == 0, week.output
    assert week.stdout.startswith("Đã lưu trữ 2 thư trước ngày 2026-04-27:")
    assert len(mail_ids()) == 1


def test_an_unwritable_archive_dir_is_one_line_and_deletes_nothing(
    old_mails: dict[str, set[int]], database_url: str, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "archive"
    in_the_way.write_text("a file where the folder should be")
    result = archive(database_url, in_the_way)

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: Không ghi được vào thư mục lưu trữ {in_the_way} "
                               "(ARCHIVE_DIR):")
    assert lines[0].endswith("Không thư nào bị xóa.")
    assert mail_ids() == old_mails["gone"] | old_mails["kept"]


def test_a_retention_under_a_week_is_refused(
    old_mails: dict[str, set[int]], database_url: str, tmp_path: Path
) -> None:
    result = archive(database_url, tmp_path / "archive", MAIL_RETENTION_DAYS="3")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: MAIL_RETENTION_DAYS = 3: thư phải được giữ ít nhất "
                                    "7 ngày")
    assert not (tmp_path / "archive").exists()
    assert len(mail_ids()) == 5


def test_help_says_what_goes_and_where() -> None:
    result = CliRunner().invoke(main, ["db", "archive", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for words in ("--dry-run", "--before YYYY-MM-DD", "--now ISO_DATETIME",
                  "MAIL_RETENTION_DAYS (180)", "ARCHIVE_DIR/mail-YYYY-MM-DD.jsonl.gz",
                  "its task is done or cancelled", "once a day"):
        assert words in text, words
    assert "archive" in CliRunner().invoke(main, ["db", "--help"]).output
