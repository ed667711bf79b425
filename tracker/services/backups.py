"""Backups of the database into one file, and restoring one.

PostgreSQL: ``pg_dump --format=custom`` (compressed, restorable table by table, readable by
any newer pg_restore) and ``pg_restore --clean --if-exists`` into the configured database,
so restoring over a live copy replaces it and restoring into an empty one fills it. The
client programs come from PATH (``postgresql-client`` of the server's major version or newer).
SQLite: the sqlite3 module's online backup API, consistent even while the app writes.
The password of DATABASE_URL reaches the tools through PGPASSWORD, never the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from tracker.services.database import describe_url

# The header of a pg_dump custom-format file.
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why (file, tool, server)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    database: str


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, and the environment with the password."""
    args = ["--dbname", str(url.database or "")]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"{what}: {error}") from error
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{what} failed: {lines[0] if lines else f'exit {done.returncode}'}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def backup_database(database_url: str, target: Path) -> BackupResult:
    """Write the whole database to ``target`` (which must not exist yet).

    Written to a temporary name first and renamed at the end, so a failed backup never
    leaves a file that looks complete.
    """
    url = make_url(database_url)
    if target.exists():
        raise BackupError(f"{target}: already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such folder")
    draft = target.with_name(f".{target.name}.partial")
    try:
        if url.get_backend_name() == "postgresql":
            args, env = _libpq(url)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  "--file", str(draft), *args], env, "pg_dump")
        elif url.get_backend_name() == "sqlite":
            source_path = _sqlite_path(url)
            if not source_path.is_file():
                raise BackupError(f"no database at {source_path}")
            with sqlite3.connect(source_path) as source, sqlite3.connect(draft) as copy:
                source.backup(copy)
            source.close()
            copy.close()
        else:
            raise BackupError(f"backups of {url.get_backend_name()} are not supported")
        draft.replace(target)
    finally:
        draft.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, describe_url(database_url))


def restore_database(database_url: str, source: Path) -> BackupResult:
    """Replace the database's content with the backup in ``source``.

    The file's kind is checked first (a pg_dump custom file for PostgreSQL, an SQLite file
    for SQLite), so the wrong file is refused before anything is touched.
    """
    url = make_url(database_url)
    try:
        with source.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise BackupError(f"{source}: {error.strerror or error}") from error
    if url.get_backend_name() == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source}: not a backup made by `tracker db backup` (pg_dump)")
        args, env = _libpq(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *args, str(source)], env, "pg_restore")
    elif url.get_backend_name() == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source}: not an SQLite backup made by `tracker db backup`")
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as backup, sqlite3.connect(target_path) as live:
            backup.backup(live)
        backup.close()
        live.close()
    else:
        raise BackupError(f"restoring into {url.get_backend_name()} is not supported")
    return BackupResult(source, source.stat().st_size, describe_url(database_url))
