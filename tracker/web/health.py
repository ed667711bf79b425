"""Health and readiness, for the load balancer and systemd: public, no session, JSON.

``/healthz`` answers 200 while the process serves requests (it touches no database, so a
database outage never makes the balancer kill healthy workers). ``/readyz`` answers 200 when
the database is reachable and its schema is at the migrations' head, else 503 with the
reason, so a worker is sent traffic only once it can serve it (and a deploy that forgot
``tracker db upgrade`` is told so). Neither sets a cookie or logs a line per call.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from tracker.extensions import db
from tracker.services.database import schema_problem
from tracker.web.access import public

bp = Blueprint("health", __name__)

# Paths the request log leaves out: probes every few seconds would drown real requests.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@public
def healthz() -> Response:
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
@public
def readyz() -> Response:
    problem = schema_problem(db.engine)
    if problem is not None:
        response = jsonify(status="unavailable", reason=problem)
        response.status_code = 503
        return _no_store(response)
    return _no_store(jsonify(status="ok"))
