"""Signing in and out, and the language switch."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tracker.extensions import get_clock, login_manager
from tracker.i18n import LANGUAGES, _, _l
from tracker.models import User
from tracker.services import accounts, login_security
from tracker.web import format_datetime_short
from tracker.web.access import current_account, public
from tracker.web.transactions import keep

bp = Blueprint("auth", __name__)

# The key of the server-side session's secret in the signed cookie.
SESSION_SECRET = "han_session"


class LoginForm(FlaskForm):  # type: ignore[misc]
    # WTForms has no Vietnamese catalogue: the messages are ours, in gettext.
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Hãy nhập tên đăng nhập.")),
        Length(max=80, message=_l("Tên đăng nhập dài tối đa %(max)d ký tự.")),
    ])
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(_l("Hãy nhập mật khẩu.")),
        Length(max=200, message=_l("Mật khẩu dài tối đa %(max)d ký tự.")),
    ])
    next = HiddenField()


class LanguageForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the language comes from the button pressed."""


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after logging in; anything else is dropped."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/dang-nhap", methods=["GET", "POST"])
@public
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("tasks.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        now, rules, address = get_clock(current_app).now(), _rules(), _address()
        until = login_security.retry_at(form.username.data, address, now, rules)
        if until is not None:  # refused before any password is hashed
            flash(
                _(
                    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(time)s.",
                    time=format_datetime_short(until),
                ),
                "error",
            )
            seconds = max(int((until - now).total_seconds()), 1)
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(seconds)}
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            login_security.record_failure(form.username.data, address, now, rules)
            keep()  # the failure counts even though the answer is 401
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
        else:
            login_security.clear_failures(form.username.data)
            chosen_locale = session.get("locale")  # the language picked on the login page
            session.clear()  # a fresh session on every login (no fixation)
            if chosen_locale:
                session["locale"] = chosen_locale
            session.permanent = True  # PERMANENT_SESSION_LIFETIME: the session lifetime
            session[SESSION_SECRET] = login_security.open_session(user, now, _lifetime())
            login_user(user)
            refresh()  # the greeting in this person's language, not the login page's default
            flash(_("Xin chào, %(name)s.", name=user.full_name), "success")
            return redirect(safe_next(form.next.data) or url_for("tasks.home"))
    status = 401 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _rules() -> login_security.ThrottleRules:
    config = current_app.config
    return login_security.ThrottleRules(
        max_failures=int(config["LOGIN_MAX_FAILURES"]),
        max_per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        window=dt.timedelta(minutes=int(config["LOGIN_THROTTLE_MINUTES"])),
    )


def _address() -> str:
    """The client's address as the WSGI server saw it (behind a proxy: configure ProxyFix)."""
    return request.remote_addr or "-"


def _lifetime() -> dt.timedelta:
    return dt.timedelta(hours=int(current_app.config["SESSION_LIFETIME_HOURS"]))


@bp.route("/dang-xuat", methods=["POST"])
@public
def logout() -> Response:
    login_security.close_session(session.get(SESSION_SECRET))  # a copied cookie stops working
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/ngon-ngu/<lang>", methods=["POST"])
@public
def set_language(lang: str) -> Response:
    """Remember the language for the session and, when signed in, for the person."""
    if lang not in LANGUAGES or not LanguageForm().validate_on_submit():
        return redirect(url_for("tasks.home"))
    session["locale"] = lang
    if current_user.is_authenticated:
        accounts.set_locale(current_account(), lang)
    return redirect(safe_next(request.form.get("next")) or url_for("tasks.home"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The person of this browser's session, if the session is still open on the server."""
    try:
        number = int(user_id)
    except ValueError:
        return None
    now = get_clock(current_app).now()
    return login_security.session_user(session.get(SESSION_SECRET), number, now)


def init_app(app: Flask) -> None:
    app.permanent_session_lifetime = dt.timedelta(hours=int(app.config["SESSION_LIFETIME_HOURS"]))
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @app.before_request
    def forget_last_person() -> None:
        # Flask-Login caches the person on ``g``, which outlives one request when a caller (a
        # test with several browsers, a re-rendered form) holds the app context open: every
        # request must read its own cookie.
        g.pop("_login_user", None)
