"""Calendar feeds over HTTP, and the page where a person subscribes to them ("Lịch").

``/lich/<token>.ics`` is public by design (calendar clients cannot log in): the secret in
the path is the credential, so it must never reach a log. :class:`FeedTokenFilter` masks it in
werkzeug's and waitress's request logs and in the app's own log; it is installed when this
blueprint is registered.

The pages lived under ``/calendars/`` before they got a Vietnamese address: those URLs answer
308 (a bookmark or a form still lands on the same page, POST kept), and a feed subscribed at
``/calendars/<token>.ics`` is still *served* there, not redirected: some calendar clients
do not follow a redirect on a subscription, and a feed that stops updating fails silently.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from markupsafe import Markup
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response

from tracker.extensions import get_clock
from tracker.i18n import _, _l
from tracker.models import CalendarScope
from tracker.services import calendar_tokens, calendars
from tracker.web.access import Action, current_account, public, requires
from tracker.web.labels import status_label

bp = Blueprint("calendars", __name__, url_prefix="/lich")
# The English address the pages and feeds had first (see the module's docstring).
legacy_bp = Blueprint("calendars_legacy", __name__, url_prefix="/calendars")

FEED_MIMETYPE = "text/calendar"
SCOPE_LABELS: dict[CalendarScope, LazyString] = {
    CalendarScope.OWN: _l("Việc giao cho tôi"),
    CalendarScope.UNIT: _l("Việc của phòng tôi"),
    CalendarScope.COMMUNE: _l("Việc của cả xã, phường"),
    CalendarScope.CITY: _l("Một loại hạn của mọi xã, phường"),
}


@bp.route("/<token>.ics")
@public
def feed(token: str) -> Response:
    """The feed; 404 for an unknown or revoked secret, or one its owner may no longer use."""
    resolved = calendar_tokens.resolve_feed(token)
    if resolved is None:
        abort(404)
    component_arg = request.args.get("component", "vevent").strip().lower()
    try:
        component = calendars.FeedComponent(component_arg)
    except ValueError:
        abort(404)
    now = get_clock(current_app).now()
    settings = calendars.FeedSettings.from_config(current_app.config)
    state = calendars.feed_state(resolved.target, resolved.user, component, now, settings)
    calendar_tokens.mark_used(resolved.token, now)  # committed with the request
    response = Response(mimetype=FEED_MIMETYPE)
    response.set_etag(state.etag)
    response.last_modified = state.last_modified
    response.cache_control.private = True
    response.cache_control.max_age = settings.cache_seconds
    if not is_resource_modified(
        request.environ, etag=state.etag, last_modified=state.last_modified
    ):
        response.status_code = 304
        return response
    body = calendars.build_feed(
        resolved.target, resolved.user, component, now, settings, status_label
    )
    response.set_data(body)
    response.headers["Content-Disposition"] = 'inline; filename="han.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/", methods=["GET"])
@requires(Action.VIEW)
def calendar_page() -> str:
    return _render_page()


@bp.route("/", methods=["POST"])
@requires(Action.VIEW)
def create_feed() -> Any:
    user = current_account()
    try:
        scope = CalendarScope(request.form.get("scope", ""))
        alarm_text = request.form.get("alarm", "").strip()
        alarm = int(alarm_text) if alarm_text else None
    except ValueError:
        abort(400)
    try:
        token, secret = calendar_tokens.create_token(
            user,
            scope,
            device_name=request.form.get("device_name", ""),
            kind=request.form.get("kind") or None,
            alarm_minutes=alarm,
            now=get_clock(current_app).now(),
        )
    except calendar_tokens.CalendarError as error:
        flash(str(error), "error")
        return _render_page(form=request.form), 400
    # Shown once, in this answer only: the secret is stored hashed and cannot be shown again.
    response = current_app.make_response(_render_page(new_feed=_subscribe_links(token, secret)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:token_id>/thu-hoi", methods=["POST"])
@requires(Action.VIEW)
def revoke_feed(token_id: int) -> Response:
    now = get_clock(current_app).now()
    if not calendar_tokens.revoke_token(current_account(), token_id, now):
        abort(404)
    flash(
        _("Đã thu hồi đường dẫn lịch. Lịch đã đăng ký bằng đường dẫn đó sẽ ngừng cập nhật."),
        "success",
    )
    return redirect(url_for("calendars.calendar_page"))


def _render_page(new_feed: dict[str, Any] | None = None, form: Any = None) -> str:
    user = current_account()
    return render_template(
        "calendars/index.html",
        tokens=calendar_tokens.active_tokens(user),
        scopes=calendar_tokens.allowed_scopes(user),
        scope_labels=SCOPE_LABELS,
        kinds=calendars.DEADLINE_KINDS,
        alarms=calendars.ALARM_CHOICES,
        new_feed=new_feed,
        form=form or {},
    )


def _subscribe_links(token: Any, secret: str) -> dict[str, Any]:
    """Every way to add the feed: links built from BASE_URL, never from the request's Host."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    https_url = f"{base}/lich/{secret}.ics"
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    name = calendar_tokens.target_for_token(token, current_account()).name
    return {
        "token": token,
        "name": name,
        "https_url": https_url,
        "todo_url": f"{https_url}?component=vtodo",
        "webcal_url": webcal_url,
        "google_url": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal_url}),
        "outlook_url": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": https_url, "name": name}),
        "qr_svg": qr_svg(webcal_url),
    }


def qr_svg(data: str) -> Markup:
    """A QR code as inline SVG, drawn on the server (no script, no third-party service)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-hidden="true" ', 1))


# -- keeping secrets out of the logs --------------------------------------------------------

_FEED_PATH = re.compile(r"(/(?:lich|calendars)/)[^/\s\"'?#]+?(\.ics)")
_BARE_SECRET = re.compile(r"(/(?:lich|calendars)/)[A-Za-z0-9_-]{20,}")
MASKED_LOGGERS = ("werkzeug", "waitress", "wsgi", "gunicorn.access", "gunicorn.error")


def mask_feed_tokens(text: str) -> str:
    return _BARE_SECRET.sub(r"\1***", _FEED_PATH.sub(r"\1***\2", text))


class FeedTokenFilter(logging.Filter):
    """Rewrites a record whose message holds a feed secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the handler
            return True
        masked = mask_feed_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_filter(app: Any) -> None:
    loggers = [logging.getLogger(name) for name in MASKED_LOGGERS] + [app.logger]
    for logger in loggers:
        if not any(isinstance(f, FeedTokenFilter) for f in logger.filters):
            logger.addFilter(FeedTokenFilter())


bp.record_once(lambda state: install_log_filter(state.app))


# -- the old English address ----------------------------------------------------------------


@legacy_bp.route("/<token>.ics")
@public
def legacy_feed(token: str) -> Response:
    """A feed subscribed before the move: served as it is at /lich/, same secret, same answer."""
    return feed(token)


@legacy_bp.route("/", methods=["GET", "POST"])
@public
def legacy_page() -> Response:
    return _moved(url_for("calendars.calendar_page"))


@legacy_bp.route("/<int:token_id>/thu-hoi", methods=["POST"])
@public
def legacy_revoke(token_id: int) -> Response:
    return _moved(url_for("calendars.revoke_feed", token_id=token_id))


def _moved(target: str) -> Response:
    """308: permanent, and a POST stays a POST (with its form) at the new address."""
    query = request.query_string.decode("latin-1")
    return redirect(f"{target}?{query}" if query else target, code=308)
