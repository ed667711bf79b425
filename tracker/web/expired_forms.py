"""An expired form keeps what was typed: the page it came from, shown again, filled in.

A browser form fails its CSRF check when the session that issued its token has ended (the
cookie was lost, the browser restarted, the person logged out in another tab) or the token was
tampered with. Answering with a bare 400 throws away a long comment or a corrected import
preview. Instead the handler here:

1. finds the page the form was on: the ``Referer`` (same host only; our Referrer-Policy is
   ``same-origin``), else the form's own URL when it also answers GET;
2. renders that page afresh with a GET *inside this request* — the action itself is never
   run again, nothing is stored — so it carries a new token for the current session;
3. copies what was posted into the form(s) that post to the same URL (text, dates, text
   areas, selects, check boxes; never a password, a hidden field or the old token) and puts
   the message "Phiên làm việc đã hết hạn, vui lòng gửi lại" at the top of the form.

When that page cannot be shown (the person is no longer signed in, no page is known) the
answer lists what was typed, read-only, so it can be copied, with a link to sign in again.
Both answers are 400: the request was refused, the person only has to press the button again.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
from flask import Response, current_app, g, render_template, request, session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from tracker.i18n import _

# Marks the inner GET so that a failure inside it is never handled a second time.
INNER_KEY = "tracker.expired_form_inner"
# Fields never copied back: the stale token, and what must be typed again on purpose.
SKIPPED_FIELDS = {"csrf_token", "kept_page"}
SKIPPED_INPUT_TYPES = {"password", "hidden", "file", "submit", "button", "image", "reset"}
# Never echoed on the fallback page, which cannot tell a password field by its type.
SECRET_FIELDS = {"password", "mat_khau"}


def expired_message() -> str:
    return _("Phiên làm việc đã hết hạn, vui lòng gửi lại.")


def render_again() -> Response | None:
    """The answer to a browser POST refused by CSRF, or None to fall back to the error page."""
    if request.method != "POST" or request.environ.get(INNER_KEY):
        return None
    posted = MultiDict(
        (k, v) for k, v in request.form.items(multi=True) if k not in SKIPPED_FIELDS
    )
    origin = _origin()
    body = _inner_page(origin) if origin else None
    if body is not None:
        filled = fill_forms(body, request.path, posted, expired_message())
        if filled is not None:
            return Response(filled, status=400, mimetype="text/html")
    page = render_template(
        "errors/expired_form.html", message=expired_message(), posted=_visible(posted),
        origin=origin,
    )
    return Response(page, status=400, mimetype="text/html")


def _origin() -> str | None:
    """The local path (with query) of the page the form was on.

    A form shown as the answer to a POST (the import preview) has no address of its own to
    come back to: it names the page that shows it again in a hidden ``kept_page`` field.
    """
    kept_page = request.form.get("kept_page", "")
    if kept_page.startswith("/") and not kept_page.startswith("//"):
        return kept_page
    referer = request.headers.get("Referer", "")
    if referer:
        parts = urlsplit(referer)
        if parts.netloc == request.host and parts.path.startswith("/"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(request.path, method="GET")
    except HTTPException:
        return None
    return request.full_path.rstrip("?")


def _inner_page(origin: str) -> str | None:
    """The origin page rendered by a GET within this request; None unless it is a 200 page."""
    path, _sep, query = origin.partition("?")
    environ = dict(request.environ)
    environ.update({
        "REQUEST_METHOD": "GET",
        # WSGI carries the path as latin-1 text of its UTF-8 bytes.
        "PATH_INFO": unquote(path).encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "CONTENT_LENGTH": "0",
        "wsgi.input": BytesIO(b""),
        INNER_KEY: True,
    })
    environ.pop("CONTENT_TYPE", None)
    environ.pop("HTTP_REFERER", None)
    started = g.get("request_started")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.request_context(environ):
        response = app.full_dispatch_request()
        inner_session = dict(session)
    g.request_started = started
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    # The fresh token (and the flashes the page showed) belong to this answer's session.
    session.clear()
    session.update(inner_session)
    return str(response.get_data(as_text=True))


def fill_forms(body: str, action: str, posted: MultiDict[str, str], message: str) -> str | None:
    """``body`` with the POST forms whose action is ``action`` filled from ``posted``."""
    document = lxml.html.document_fromstring(body)
    forms = [
        form for form in document.forms
        if (form.get("method") or "get").lower() == "post"
        and urlsplit(form.get("action") or "").path == action
    ]
    if not forms:
        return None
    for form in forms:
        _fill(form, posted)
        notice = lxml.html.Element("p", {"class": "flash flash-error", "role": "alert"})
        notice.text = message
        form.insert(0, notice)
        # A folded box (the form's own, or one inside it holding a typed value) is opened.
        for details in form.iterancestors("details"):
            details.set("open", "open")
        for field in form.xpath(".//details//textarea|.//details//input"):
            if field.get("name") in posted and posted.get(field.get("name"), "").strip():
                for details in field.iterancestors("details"):
                    details.set("open", "open")
    html: bytes = lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="utf-8")
    return html.decode("utf-8")


def _fill(form: Any, posted: MultiDict[str, str]) -> None:
    seen: dict[str, int] = {}
    for field in form.xpath(".//input[@name]|.//textarea[@name]|.//select[@name]"):
        name = field.get("name")
        if name in SKIPPED_FIELDS:
            continue
        values = posted.getlist(name)
        if field.tag == "select":
            for option in field.iter("option"):
                value = option.get("value", option.text_content())
                if value in values:
                    option.set("selected", "selected")
                else:
                    option.attrib.pop("selected", None)
            continue
        kind = (field.get("type") or "text").lower()
        if field.tag == "input" and kind in SKIPPED_INPUT_TYPES:
            continue
        if kind in {"checkbox", "radio"}:
            if field.get("value", "on") in values:
                field.set("checked", "checked")
            else:
                field.attrib.pop("checked", None)
            continue
        index = seen.get(name, 0)
        seen[name] = index + 1
        if index >= len(values):
            continue
        if field.tag == "textarea":
            field.text = values[index]
        else:
            field.set("value", values[index])


def _visible(posted: MultiDict[str, str]) -> list[tuple[str, str]]:
    return [
        (name, value) for name, value in posted.items(multi=True)
        if value.strip() and name not in SECRET_FIELDS and name != "next"
    ]
