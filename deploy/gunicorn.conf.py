"""gunicorn settings for Hạn: ``gunicorn -c deploy/gunicorn.conf.py`` (the systemd unit
han-web.service, and tests/deploy/test_multiprocess.py, start exactly this).

Why gunicorn: pre-forked worker processes, each with its own interpreter (no shared GIL) and
its own database pool, restarted by the master when one dies or after MAX_REQUESTS; the
usual server behind nginx on Linux. waitress (``tracker serve``) is one process of threads:
fine for the demo and one commune, not for a province.

Every setting can be changed from the environment (deploy/han.env.example) so the file
itself stays as shipped.
"""

import os

_env = os.environ.get

# Where nginx sends requests: a local port (or "unix:/run/han/web.sock").
bind = [_env("TRACKER_BIND", "127.0.0.1:8000")]
# Processes: about 2 per core; each holds DB_POOL_SIZE (+ DB_MAX_OVERFLOW) connections.
workers = int(_env("WEB_CONCURRENCY", "3"))
# Threads per process: a worker waiting on PostgreSQL or a slow upload keeps serving others.
worker_class = "gthread"
threads = int(_env("TRACKER_THREADS", "4"))
# Each worker builds its own app and engine after the fork (never share a pool across it).
wsgi_app = "tracker.wsgi:create_wsgi_app()"
preload_app = False
# A request longer than this is a stuck worker: the master replaces it (plan imports of a
# large PDF take seconds, not minutes).
timeout = int(_env("TRACKER_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycled workers bound any slow leak; the jitter keeps them from restarting together.
max_requests = int(_env("TRACKER_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The request log is the app's own (tracker.requests: one line, or one JSON object, per
# request with its duration, user and request id); gunicorn's access log would double it.
accesslog = None
errorlog = "-"
loglevel = _env("TRACKER_GUNICORN_LOGLEVEL", "info")
# nginx on this host is the only proxy whose X-Forwarded-* headers count (the app's ProxyFix,
# TRACKER_PROXY_FIX=1, reads them for the client address and https).
forwarded_allow_ips = _env("TRACKER_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "han-web"
# No gunicornc control socket: systemd reloads (HUP) and stops the service, and two
# instances on one host would otherwise both claim $HOME/.gunicorn/gunicorn.ctl.
control_socket_disable = True

if (_env("TRACKER_LOG_FORMAT") or _env("LOG_FORMAT") or "text").strip().lower() == "json":
    # gunicorn's own lines (worker started, worker timeout) as JSON too.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "tracker.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                       "stream": "ext://sys.stderr"},
        },
        # The root logger is the app's (tracker.logs.configure_logging, in each worker).
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": [], "level": "INFO", "propagate": False},
        },
    }
