"""The edge of the app: what every request must satisfy and every response carries.

* Ids in paths are whole numbers from 1 to :data:`MAX_ID` (PostgreSQL's ``integer``; one
  bound on every database so both behave alike); anything else does not match the route (404).
  Numbers in query strings and forms are read with :func:`id_arg` / :func:`whole_arg`, which
  answer 400 naming the parameter when a value is out of range.
* Text with NUL or other control characters (except tab and line breaks in forms and JSON)
  is refused with 400 naming the field, before any view or database sees it; so is a path
  with them (404). The API also refuses a query parameter given twice.
* Every response carries a Content-Security-Policy without inline script or style, frame
  protection, ``nosniff`` and a Referrer-Policy; the session cookie is ``SameSite=Lax`` and
  ``Secure`` when ``BASE_URL`` is https.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from tracker.i18n import _

# The largest id a table holds: PostgreSQL's ``integer`` (SQLite's would be 2^63 - 1).
MAX_ID = 2**31 - 1
# The plan years the app takes anywhere (query strings, forms, the API).
MIN_YEAR, MAX_YEAR = 2000, 2100
# Pages beyond this are refused rather than turned into an OFFSET the database cannot take.
MAX_PAGE = 100_000

# NUL and the C0/C1 control characters; tab, line feed and carriage return are kept in forms.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_ANYWHERE = re.compile(r"[\x00-\x1f\x7f-\x9f]")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Feed and unsubscribe links carry secrets in their path: never send them elsewhere.
    "Referrer-Policy": "same-origin",
}


class BoundedIdConverter(IntegerConverter):
    """``<int:…>`` in every route: 1 … MAX_ID, so a huge id is a plain 404."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = 1,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIdConverter


def bad_argument(name: str, message: str) -> None:
    abort(400, description=_("Tham số “%(name)s”: %(problem)s", name=name, problem=message))


def whole_number(name: str, text: str, low: int, high: int) -> int:
    """``text`` as a whole number in [low, high], else 400 naming the parameter."""
    value = text.strip()
    if not value.isascii() or not value.isdigit():
        bad_argument(name, _("phải là số nguyên"))
    number = int(value) if len(value) <= 12 else high + 1
    if not low <= number <= high:
        bad_argument(name, _("phải từ %(low)d đến %(high)d", low=low, high=high))
    return number


def id_arg(name: str, source: Any = None) -> int | None:
    """An optional id from the query string (or ``source``): None when absent or empty."""
    values = request.args if source is None else source
    text = values.get(name, "")
    if not text.strip():
        return None
    return whole_number(name, text, 1, MAX_ID)


def year_value(text: str) -> int | None:
    """A year from a page's filter (``nam``): None when empty; 400 outside MIN … MAX_YEAR."""
    if not text.strip():
        return None
    return whole_number("nam", text, MIN_YEAR, MAX_YEAR)


def ids_arg(name: str, source: Any = None) -> list[int]:
    """Every id given for a repeated field (checkboxes), each checked like :func:`id_arg`."""
    values = request.form if source is None else source
    return [whole_number(name, v, 1, MAX_ID) for v in values.getlist(name) if v.strip()]


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document, with where it is (``items[2].name``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path or "$", str(key)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _first_bad(pairs: Iterable[tuple[str, str]], pattern: re.Pattern[str]) -> str | None:
    for name, text in pairs:
        if pattern.search(name) or pattern.search(text):
            return name
    return None


def check_input() -> None:
    """Refuse control characters in the path, query, form and JSON; repeated API parameters."""
    if CONTROL_ANYWHERE.search(request.path):
        abort(404)
    field = _first_bad(request.args.items(multi=True), CONTROL_ANYWHERE)
    if field is None and request.method not in {"GET", "HEAD", "OPTIONS"}:
        field = _first_bad(request.form.items(multi=True), CONTROL_IN_TEXT)
        if field is None:
            field = _first_bad(
                ((name, f.filename or "") for name, f in request.files.items(multi=True)),
                CONTROL_ANYWHERE,
            )
        if field is None and request.is_json:
            field = _first_bad(_strings(request.get_json(silent=True), ""), CONTROL_IN_TEXT)
    if field is not None:
        abort(
            400,
            description=_(
                "Trường “%(name)s” chứa ký tự điều khiển (như NUL) không được phép.",
                name=CONTROL_ANYWHERE.sub("?", field)[:80],
            ),
        )
    if request.path.startswith("/api/"):
        for name in request.args:
            if len(request.args.getlist(name)) > 1:
                bad_argument(name, _("chỉ được cho một lần"))


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = str(app.config.get("BASE_URL", "")).startswith(
            "https://"
        )
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.before_request_funcs.setdefault(None, []).insert(0, check_input)
    app.after_request(add_security_headers)
