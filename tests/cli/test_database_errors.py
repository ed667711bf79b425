"""Database commands on a database that is missing, empty or unreachable: one line, exit 1.

Never a traceback, and a mistyped SQLite path is not created as an empty file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import _pg_url
from tracker.cli import main

COMMANDS = [
    ["tasks"],
    ["tasks", "--json"],
    ["remind", "--now", "2026-05-04T09:00"],
    ["workflow", "tick", "--now", "2026-05-04T09:00"],
    ["workflow", "start", "--plan", "x", "--commune", "Hòa Bình", "--year", "2026"],
    ["export-calendars"],
    ["scheduler"],
]


def _one_line_error(args: list[str], url: str, tmp_path: Path) -> str:
    if args == ["export-calendars"]:
        args = [*args, str(tmp_path / "calendars")]
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": url})
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_missing_sqlite_file_is_reported_not_created(args: list[str], tmp_path: Path) -> None:
    path = tmp_path / "typo.sqlite3"
    line = _one_line_error(args, f"sqlite:///{path}", tmp_path)
    assert "no database at" in line and "tracker db upgrade" in line
    assert not path.exists()
    assert not (tmp_path / "calendars").exists()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_empty_database_asks_for_an_upgrade(args: list[str], tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    line = _one_line_error(args, f"sqlite:///{path}", tmp_path)
    assert "has no tables" in line and "tracker db upgrade" in line


@pytest.mark.skipif(os.environ.get("TRACKER_TEST_DATABASE") != "postgres",
                    reason="needs the PostgreSQL server")  # fmt: skip
@pytest.mark.parametrize("args", [*COMMANDS, ["db", "upgrade"]], ids=" ".join)
def test_postgres_database_that_does_not_exist(args: list[str], tmp_path: Path) -> None:
    url = _pg_url(f"han_missing_{uuid.uuid4().hex[:12]}").replace("://postgres@",
                                                                    "://postgres:s3cret@")
    line = _one_line_error(args, url, tmp_path)
    assert "does not exist" in line
    assert "s3cret" not in line


def test_a_migrated_database_passes_the_check(database_url: str) -> None:
    result = CliRunner().invoke(main, ["tasks"], env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 tasks\n"
