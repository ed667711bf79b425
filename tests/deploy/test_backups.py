"""tracker db backup / restore: a populated database comes back row for row.

PostgreSQL through pg_dump/pg_restore (custom format), SQLite through its backup API; the
test runs on the backend of the run (TRACKER_TEST_DATABASE), so ``make test`` does both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from psycopg import sql
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from tests.conftest import PG_ADMIN_DSN, _pg_url
from tests.factories import make_commune, make_plan, make_task, make_user, unit_named
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Role

IS_PG = os.environ.get("TRACKER_TEST_DATABASE") == "postgres"


def _rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the app, in primary-key order."""
    engine = create_engine(url, poolclass=NullPool)
    found = {}
    try:
        with engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                query = select(table).order_by(*table.primary_key.columns)
                found[table.name] = [tuple(row) for row in connection.execute(query)]
            found["alembic_version"] = [
                tuple(r) for r in connection.exec_driver_sql("SELECT * FROM alembic_version")
            ]
    finally:
        engine.dispose()
    return found


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it: a new PostgreSQL database, or a path for SQLite."""
    if not IS_PG:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"han_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield _pg_url(name)
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def _populate() -> None:
    commune = make_commune("Phường Hòa Bình")
    make_user(Role.CHAIRMAN, commune=commune, full_name="Trần Thị Hạnh")
    plan = make_plan(commune, tasks=5)
    unit = unit_named(commune, "Phòng Văn hóa - Xã hội")
    for item in plan.tasks:
        make_task(item, unit, title=f"{item.title} — Hạn chót")
    db.session.commit()


def _tracker(args: list[str], url: str) -> str:
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def test_backup_then_restore_into_a_new_database_finds_the_same_rows(
    app: Flask, database_url: str, empty_database: str, tmp_path: Path
) -> None:
    _populate()
    db.session.remove()
    backup = tmp_path / "han.dump"
    out = _tracker(["db", "backup", str(backup)], database_url)
    assert str(backup) in out and backup.stat().st_size > 0
    assert backup.read_bytes()[:5] == (b"PGDMP" if IS_PG else b"SQLit")
    assert not list(tmp_path.glob(".*partial"))
    _tracker(["db", "restore", "--yes", str(backup)], empty_database)
    before, after = _rows(database_url), _rows(empty_database)
    assert after == before
    assert len(after["task"]) == 5 and after["user_account"][0]
    # Restoring again over the restored copy (a live database) replaces it the same way.
    _tracker(["db", "restore", "--yes", str(backup)], empty_database)
    assert _rows(empty_database) == before


def test_restore_refuses_a_file_that_is_no_backup(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    _populate()
    db.session.remove()
    before = _rows(database_url)
    wrong = tmp_path / "notes.txt"
    wrong.write_text("Kế hoạch 102/KH-UBND\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["db", "restore", "--yes", str(wrong)],
                                env={"DATABASE_URL": database_url})
    assert result.exit_code == 1
    assert f"{wrong}: not" in result.output and "tracker db backup" in result.output
    assert "Traceback" not in result.output
    assert _rows(database_url) == before


def test_backup_never_overwrites_a_file(database_url: str, tmp_path: Path) -> None:
    taken = tmp_path / "han.dump"
    taken.write_bytes(b"an older backup")
    result = CliRunner().invoke(main, ["db", "backup", str(taken)],
                                env={"DATABASE_URL": database_url})
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert taken.read_bytes() == b"an older backup"


def test_restore_asks_before_replacing(database_url: str, tmp_path: Path) -> None:
    backup = tmp_path / "han.dump"
    _tracker(["db", "backup", str(backup)], database_url)
    result = CliRunner().invoke(main, ["db", "restore", str(backup)], input="n\n",
                                env={"DATABASE_URL": database_url})
    assert result.exit_code == 1 and "Aborted" in result.output
