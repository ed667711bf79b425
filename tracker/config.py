"""Every setting, its default, and why. Environment variables override the defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE_DIR", PROJECT_ROOT / "var"))
SECRET_KEY_FILE = "secret_key"


class ConfigError(RuntimeError):
    """A setting the app cannot start with; the message says which and what to do."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _days(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ConfigError(f"{name}: “{value}” is not a whole number of days")
    return int(value)


def _thresholds(name: str) -> dict[int, float] | None:
    """ "1:50,2:65,3:80,4:90" → {1: 50.0, 2: 65.0, 3: 80.0, 4: 90.0}; unset → None."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    found: dict[int, float] = {}
    for part in value.split(","):
        level, sep, points = part.partition(":")
        if not sep or not level.strip().isdigit():
            raise ValueError(f"{name}: “{part.strip()}” is not LEVEL:POINTS (e.g. 1:50,2:65)")
        found[int(level)] = float(points)
    return found


def default_config() -> dict[str, Any]:
    """The configuration as read from the environment at call time."""
    return {
        # SQLite in var/ by default (the demo); PostgreSQL by DATABASE_URL.
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(),
        # Signs sessions and unsubscribe links, so every process of an installation (server,
        # `tracker remind`, `tracker scheduler`) must share it and keep it across restarts.
        # Without SECRET_KEY, create_app reads INSTANCE_DIR/secret_key, generating it once.
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "INSTANCE_DIR": os.environ.get("TRACKER_INSTANCE_DIR", str(PROJECT_ROOT / "var")),
        "WTF_CSRF_TIME_LIMIT": None,
        # The session cookie: never sent by third-party pages' requests (Lax), only over
        # HTTPS when BASE_URL is https (None: decided from BASE_URL by tracker.web.edge).
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": None,
        # A login lasts this long; logging out ends it on the server too (tracker.web.auth).
        "SESSION_LIFETIME_HOURS": _int("SESSION_LIFETIME_HOURS", 12),
        # Login throttling: this many failed attempts for one account (or from one address)
        # within the window refuse further attempts until the oldest leaves the window.
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 10),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30),
        "LOGIN_THROTTLE_MINUTES": _int("LOGIN_THROTTLE_MINUTES", 15),
        # An import upload that was neither confirmed nor cancelled is removed after this long.
        "PENDING_IMPORT_HOURS": _int("PENDING_IMPORT_HOURS", 24),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        # Public base URL used in mails and calendar links (never the request's Host header).
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Host name in calendar UIDs: stable across deployments of one installation.
        "CALENDAR_UID_HOST": os.environ.get("CALENDAR_UID_HOST", "han.haiphong.gov.vn"),
        # A finished or cancelled task stays in calendar feeds, as STATUS:CANCELLED, this long.
        "CALENDAR_KEEP_FINISHED_DAYS": _int("CALENDAR_KEEP_FINISHED_DAYS", 14),
        # Cache-Control max-age of a feed: short, private (Google polls on its own schedule).
        "CALENDAR_CACHE_SECONDS": _int("CALENDAR_CACHE_SECONDS", 600),
        # Evidence files live outside the web root, under random names.
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads")),
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 20) * 1024 * 1024,
        "EVIDENCE_EXTENSIONS": (
            "pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png", "txt", "zip",
        ),
        # Where the workflow generator writes BPMN files.
        "WORKFLOW_DIR": os.environ.get("WORKFLOW_DIR", str(PROJECT_ROOT / "workflows")),
        # Mail: without SMTP_HOST, mails stay in the outbox table (the demo).
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": _int("SMTP_PORT", 587),
        "SMTP_SECURITY": os.environ.get("SMTP_SECURITY", "starttls"),  # none | starttls | tls
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Hạn <han@localhost>"),
        # A mail that fails this many times is marked failed and shown in the outbox.
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 6),
        # Archiving (services.archives, once a day by the scheduler, `tracker db archive`):
        # a finished mail (sent, failed, held) of a done or cancelled task, or of no task,
        # leaves the database this many Vietnam days after it was sent (or queued), into a
        # gzip JSON-lines file in ARCHIVE_DIR. At least 7: a weekly digest's row guards
        # against a repeat until its week is over.
        "MAIL_RETENTION_DAYS": _days("MAIL_RETENTION_DAYS", 180),
        "ARCHIVE_DIR": os.environ.get("ARCHIVE_DIR", str(INSTANCE_DIR / "archive")),
        # City targets per year {year: (share reaching the standard, share at Mức độ 4)};
        # None means decision 003's figures (tracker/services/rollups.py DEFAULT_CITY_TARGETS).
        "CITY_TARGETS": None,
        # The minimum points of each level {Mức độ: points}, from which the self-assessment's
        # total proposes a level. Quyết định 5049/QĐ-UBND (11/12/2025) sets them and is NOT
        # among our documents, so there is no default: unset, the city chooses the level
        # itself. Env: LEVEL_THRESHOLDS="1:…,2:…,3:…,4:…" (checked by services.scoring).
        "LEVEL_THRESHOLDS": _thresholds("LEVEL_THRESHOLDS"),
        # The scheduler runs inside `tracker serve` unless disabled; only one holds the lease.
        "SCHEDULER_ENABLED": _bool("SCHEDULER_ENABLED", True),
        "SCHEDULER_INTERVAL_SECONDS": _int("SCHEDULER_INTERVAL_SECONDS", 300),
        # How long the scheduler lease lasts without renewal: a dead leader's successor takes
        # over after at most this long. 0: three ticks, at least a minute (services.scheduler).
        "SCHEDULER_LEASE_SECONDS": _int("SCHEDULER_LEASE_SECONDS", 0),
        # Behind a reverse proxy (deploy/nginx-han.conf): how many proxies set each of
        # X-Forwarded-For/-Proto/-Host/-Port/-Prefix (werkzeug's ProxyFix). 0: trust none,
        # the right value when nothing sits in front (never trust headers a client may send).
        "PROXY_FIX": _proxy_fix("TRACKER_PROXY_FIX"),
        # Log lines: "text" (one readable line, the default in development) or "json" (one
        # JSON object per line, for journald/Loki/ELK). tracker.logs reads it.
        "LOG_FORMAT": _log_format(),
    }


def engine_options() -> dict[str, Any]:
    """SQLAlchemy's pool, from the environment (docs/deployment.md sizes it).

    Each process keeps ``DB_POOL_SIZE`` connections (plus ``DB_MAX_OVERFLOW`` under load):
    web workers × threads and the scheduler must stay below PostgreSQL's max_connections.
    Pre-ping drops a connection the server closed (a restart) before a request meets it;
    recycling renews connections a firewall or pgbouncer would cut after being idle.
    SQLite ignores the sizes (its pool is per file, one writer at a time anyway).
    """
    return {
        "pool_pre_ping": _bool("DB_POOL_PRE_PING", True),
        "pool_recycle": _int("DB_POOL_RECYCLE_SECONDS", 1800),
        "pool_size": _int("DB_POOL_SIZE", 5),
        "max_overflow": _int("DB_MAX_OVERFLOW", 5),
        "pool_timeout": _int("DB_POOL_TIMEOUT_SECONDS", 30),
    }


POOL_SIZING = ("pool_size", "max_overflow", "pool_timeout")


def engine_options_for(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options a database of this URL takes: SQLite's pools have no size to set."""
    if url.startswith("postgresql"):
        return dict(options)
    return {key: value for key, value in options.items() if key not in POOL_SIZING}


def _log_format() -> str:
    value = (os.environ.get("TRACKER_LOG_FORMAT") or os.environ.get("LOG_FORMAT") or "text")
    value = value.strip().lower()
    if value not in {"text", "json"}:
        raise ConfigError(f"LOG_FORMAT: “{value}” is neither text nor json")
    return value


def _proxy_fix(name: str) -> dict[str, int]:
    """ "1" → one proxy for for/proto/host/port; "for=1,proto=1,host=1,prefix=1" exactly."""
    value = os.environ.get(name, "").strip()
    if not value:
        return {}
    if value.isdigit():
        count = int(value)
        return {"x_for": count, "x_proto": count, "x_host": count, "x_port": count} if count else {}
    found: dict[str, int] = {}
    for part in value.split(","):
        key, sep, hops = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in {"for", "proto", "host", "port", "prefix"} or not (
            hops.strip().isdigit()
        ):
            raise ConfigError(
                f"{name}: “{part.strip()}” is not NAME=HOPS (for, proto, host, port, prefix)"
            )
        found[f"x_{key}"] = int(hops)
    return found


def instance_secret_key(instance_dir: Path) -> str:
    """The installation's secret key: read from ``instance_dir/secret_key``, which is
    generated (256 random bits, mode 0600) the first time, atomically, so two processes
    starting together agree on one key."""
    path = instance_dir / SECRET_KEY_FILE
    try:
        if not path.exists():
            instance_dir.mkdir(parents=True, exist_ok=True)
            draft = instance_dir / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            try:
                os.link(draft, path)  # fails if another process was first: keep its key
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"SECRET_KEY is not set and {path} cannot be used ({error}); set SECRET_KEY, "
            "or TRACKER_INSTANCE_DIR to a folder this user may write"
        ) from error
    if len(key) < 32:
        raise ConfigError(f"{path}: the secret key is missing or too short (32+ characters)")
    return key
