"""Quản trị xã: the city administrator onboards a commune — its units and its accounts.

Create an account (a random password shown once), change a person's role or unit, disable
or enable an account, reset a password. The work is in tracker.services.accounts.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker.extensions import db, get_clock
from tracker.i18n import _
from tracker.models import Commune, Role, Unit, User
from tracker.services import accounts
from tracker.services.scope import OVERSEERS, scoped_commune
from tracker.web.access import Action, current_account, requires
from tracker.web.transactions import discard

bp = Blueprint("admin", __name__)

COMMUNE_ROLES = [r for r in Role if r not in OVERSEERS]


def _commune(slug: str) -> Commune:
    """The commune of the administrator's own province called ``slug`` (404 otherwise)."""
    commune = scoped_commune(current_account(), slug)
    if commune is None or commune.is_city:
        abort(404)
    return commune


def _page(commune: Commune) -> Response:
    return redirect(url_for("admin.commune_accounts", slug=commune.slug))


def _role(text: str) -> Role | None:
    try:
        role = Role(text)
    except ValueError:
        return None
    return role if role in COMMUNE_ROLES else None


def _unit(commune: Commune, text: str) -> Unit | None:
    if not text.isdigit():
        return None
    unit = db.session.get(Unit, int(text))
    return unit if unit is not None and unit.commune_id == commune.id else None



@bp.route("/quan-tri/<slug>")
@requires(Action.MANAGE_ACCOUNTS)
def commune_accounts(slug: str) -> str:
    commune = _commune(slug)
    return render_template(
        "admin/commune.html", commune=commune, units=commune.units,
        people=accounts.commune_accounts(commune.id), roles=COMMUNE_ROLES, form=FlaskForm(),
    )


@bp.route("/quan-tri/<slug>/tai-khoan", methods=["POST"])
@requires(Action.MANAGE_ACCOUNTS)
def create_account(slug: str) -> Response:
    commune = _commune(slug)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn, hãy gửi lại."), "error")
        return _page(commune)
    role = _role(request.form.get("role", ""))
    unit = _unit(commune, request.form.get("unit", ""))
    if unit is not None and not unit.is_active:
        why = _("Đơn vị %(name)s đã ngừng hoạt động: hãy chọn đơn vị khác.", name=unit.name)
        flash(why, "error")
        return _page(commune)
    username = request.form.get("username", "").strip()
    full_name = request.form.get("full_name", "").strip()
    if role is None or not full_name:
        flash(_("Hãy điền họ tên và chọn vai trò."), "error")
        return _page(commune)
    password = accounts.new_password()
    try:
        user = accounts.create_user(
            username=username, full_name=full_name, password=password, role=role,
            created_at=get_clock(current_app).now(), commune_id=commune.id,
            unit_id=unit.id if unit else None, email=request.form.get("email", "").strip(),
        )
    except accounts.AccountError as error:
        discard()
        flash(_("Không tạo được tài khoản: %(why)s", why=str(error)), "error")
        return _page(commune)
    flash(_("Đã tạo tài khoản %(username)s, mật khẩu: %(password)s (chỉ hiện một lần).",
            username=user.username, password=password), "success")
    return _page(commune)


def _person(commune: Commune, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.commune_id != commune.id:
        abort(404)
    return user


@bp.route("/quan-tri/<slug>/tai-khoan/<int:user_id>", methods=["POST"])
@requires(Action.MANAGE_ACCOUNTS)
def update_account(slug: str, user_id: int) -> Response:
    commune = _commune(slug)
    user = _person(commune, user_id)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn, hãy gửi lại."), "error")
        return _page(commune)
    role = _role(request.form.get("role", ""))
    if role is None:
        flash(_("Hãy chọn vai trò."), "error")
        return _page(commune)
    unit = _unit(commune, request.form.get("unit", ""))
    try:
        accounts.update_account(user, role=role, unit_id=unit.id if unit else None,
                                is_enabled=request.form.get("is_enabled") == "1")
    except accounts.AccountError as error:
        discard()
        flash(_("Không lưu được: %(why)s", why=str(error)), "error")
        return _page(commune)
    flash(_("Đã lưu tài khoản %(username)s.", username=user.username), "success")
    return _page(commune)


@bp.route("/quan-tri/<slug>/tai-khoan/<int:user_id>/mat-khau", methods=["POST"])
@requires(Action.MANAGE_ACCOUNTS)
def reset_password(slug: str, user_id: int) -> Response:
    commune = _commune(slug)
    user = _person(commune, user_id)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn, hãy gửi lại."), "error")
        return _page(commune)
    password = accounts.reset_password(user)
    flash(_("Mật khẩu mới của %(username)s: %(password)s (chỉ hiện một lần).",
            username=user.username, password=password), "success")
    return _page(commune)
