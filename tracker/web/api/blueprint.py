"""The API's blueprint: who is calling (token or session), and how input errors answer.

A call is authenticated by a personal token (``Authorization: Bearer han_…``) or by the
browser session. Token calls carry no cookie a third-party page could ride on, so they are
exempt from CSRF; session calls that change something still need the CSRF token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_login import current_user
from pydantic import BaseModel

from tracker.clock import today
from tracker.extensions import csrf, get_clock
from tracker.services import api as api_service
from tracker.services import api_tokens, dashboards
from tracker.web.api.inputs import InputError
from tracker.web.errors import problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.record_once
def _exempt_from_csrf(_state: Any) -> None:
    # CSRFProtect checks every POST before any blueprint hook runs; the API checks it itself
    # (in authenticate) for session calls, and skips it for token calls.
    csrf.exempt(bp)


@bp.before_request
def authenticate() -> Response | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return problem(
                401,
                "Authorization must be 'Bearer <token>'",
                **{"WWW-Authenticate": 'Bearer realm="han"'},
            )
        user = api_tokens.authenticate_token(value.strip(), get_clock(current_app).now())
        if user is None:
            return problem(
                401,
                "invalid, revoked or expired token",
                **{"WWW-Authenticate": 'Bearer realm="han", error="invalid_token"'},
            )
        # Flask-Login reads the user from g: the token user for this request only, no session.
        g._login_user = user
        g.api_token_auth = True
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "is_public", False):
        return None
    if not current_user.is_authenticated:  # before CSRF: an anonymous POST is 401, not 400
        return problem(
            401, "log in or send a personal API token", **{"WWW-Authenticate": 'Bearer realm="han"'}
        )
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return None


@bp.errorhandler(InputError)
@bp.errorhandler(api_service.ApiQueryError)
@bp.errorhandler(dashboards.DashboardError)
def bad_input(error: ValueError) -> Response:
    return problem(400, str(error))


def answer(body: BaseModel, status: int = 200) -> Response:
    """The model as the JSON answer (dates ISO 8601, instants in UTC with "Z")."""
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = status
    return response


def this_day() -> dt.date:
    return today(get_clock(current_app))
