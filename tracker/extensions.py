"""Flask extensions, created uninitialised; ``create_app`` binds them. Also the app's clock."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from tracker.clock import Clock

# Named constraints so that Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

_CLOCK = "tracker.clock"


def set_clock(app: Flask, clock: Clock) -> None:
    """Inject the clock every reader of "now" in this app uses (``create_app`` does)."""
    app.extensions[_CLOCK] = clock


def get_clock(app: Flask) -> Clock:
    """The app's injected clock: the one accessor for web, services and jobs alike."""
    clock: Clock = app.extensions[_CLOCK]
    return clock
