"""The application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.clock import Clock, SystemClock
from tracker.config import default_config, engine_options_for, instance_secret_key
from tracker.extensions import babel, csrf, db, login_manager, set_clock


def create_app(
    config: dict[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    mailer: Any | None = None,
) -> Flask:
    """Build the Flask app. ``clock`` and ``mailer`` are injected so tests control them.

    Raises :class:`tracker.config.ConfigError` when it has no usable secret key.
    """
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(default_config())
    if config:
        app.config.from_mapping(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options_for(
        str(app.config["SQLALCHEMY_DATABASE_URI"]), app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    if app.config.get("PROXY_FIX"):
        # Behind nginx: the client's address and scheme come from X-Forwarded-* (only as
        # many hops as configured, so a client cannot forge them past the proxy).
        app.wsgi_app = ProxyFix(app.wsgi_app, **app.config["PROXY_FIX"])  # type: ignore[method-assign]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.config["INSTANCE_DIR"]))
    set_clock(app, clock or SystemClock())
    app.extensions["tracker.mailer"] = mailer
    register_extensions(app)
    register_blueprints(app)
    return app


def register_extensions(app: Flask) -> None:
    import tracker.models  # noqa: F401  (registers every table on db.metadata)
    from tracker import i18n

    db.init_app(app)
    from tracker.services import reminder_sweeps

    reminder_sweeps.install()  # people, unit or policy edits make the next sweep look again
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)


def register_blueprints(app: Flask) -> None:
    from tracker.web import register_blueprints as register_web

    register_web(app)

