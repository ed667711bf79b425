"""Signing in and out, and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tracker.extensions import login_manager
from tracker.i18n import LANGUAGES, _, _l
from tracker.models import User
from tracker.services import accounts
from tracker.web.access import current_account, public

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):  # type: ignore[misc]
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])
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
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
        else:
            session.clear()  # a fresh session on every login (no fixation)
            login_user(user)
            flash(_("Xin chào, %(name)s.", name=user.full_name), "success")
            return redirect(safe_next(form.next.data) or url_for("tasks.home"))
    status = 401 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/dang-xuat", methods=["POST"])
@public
def logout() -> Response:
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
    try:
        return accounts.get_user(int(user_id))
    except ValueError:
        return None


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
