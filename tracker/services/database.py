"""Creating and migrating the database with Alembic."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def ensure_sqlite_directory(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def upgrade_database(database_url: str) -> None:
    """Bring the database to the newest schema (from empty, or from any older revision)."""
    ensure_sqlite_directory(database_url)
    command.upgrade(alembic_config(database_url), "head")


class DatabaseNotReady(Exception):
    """The configured database cannot be opened, or holds no (current) schema."""


def describe_url(database_url: str) -> str:
    """The URL as it may be printed: without its password."""
    return make_url(database_url).render_as_string(hide_password=True)


def database_error_line(error: SQLAlchemyError) -> str:
    """The first line of what the database driver said, without SQLAlchemy's trailer."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def check_database(database_url: str) -> None:
    """Raise :class:`DatabaseNotReady` unless the database exists and is migrated to head.

    A SQLite file that does not exist is reported as missing, not created empty.
    """
    shown = describe_url(database_url)
    url = make_url(database_url)
    is_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if is_file and not Path(str(url.database)).is_file():
        raise DatabaseNotReady(
            f"no database at {shown}: run `tracker db upgrade` (or `tracker demo`) first"
        )
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise DatabaseNotReady(
            f"cannot open the database {shown}: {database_error_line(error)}"
        ) from error
    finally:
        engine.dispose()
    if current is None:
        raise DatabaseNotReady(
            f"the database {shown} has no tables: run `tracker db upgrade` (or `tracker demo`)"
        )
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    if current != head:
        raise DatabaseNotReady(
            f"the database {shown} is at schema {current}, not {head}: run `tracker db upgrade`"
        )


def is_busy(error: BaseException) -> bool:
    """A database too busy for this write right now (retrying later may succeed).

    SQLite's "database is locked"/"busy"; PostgreSQL's serialization failure, deadlock and
    lock timeout (SQLSTATE 40001, 40P01, 55P03).
    """
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error).lower()
    code = getattr(orig, "sqlstate", None)
    return "locked" in text or "busy" in text or code in {"40001", "40P01", "55P03"}


@functools.cache
def head_revision() -> str | None:
    """The newest migration (read once per process: the files do not change under it)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def schema_problem(engine: Engine) -> str | None:
    """Why this engine's database cannot serve requests now, or None (``/readyz``)."""
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        return f"database unreachable: {database_error_line(error)}"
    head = head_revision()
    if current != head:
        return f"schema at {current or 'nothing'}, migrations at {head}: run `tracker db upgrade`"
    return None
