"""Quản trị xã, its units: the city administrator creates, renames, deactivates a unit.

A unit is never deleted (its tasks keep their history); a deactivated one is not offered to new
accounts. The work is in tracker.services.units.
"""

from __future__ import annotations

from flask import abort, flash, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Unit
from tracker.services import units
from tracker.web.access import Action, requires
from tracker.web.admin import _commune, _page, bp
from tracker.web.transactions import discard


@bp.route("/quan-tri/<slug>/don-vi", methods=["POST"])
@requires(Action.MANAGE_ACCOUNTS)
def create_unit(slug: str) -> Response:
    commune = _commune(slug)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn, hãy gửi lại."), "error")
        return _page(commune)
    try:
        unit = units.create_unit(commune, request.form.get("name"))
    except units.UnitError as error:
        discard()
        flash(_("Không thêm được đơn vị: %(why)s", why=str(error)), "error")
        return _page(commune)
    flash(_("Đã thêm đơn vị %(name)s.", name=unit.name), "success")
    return _page(commune)


@bp.route("/quan-tri/<slug>/don-vi/<int:unit_id>", methods=["POST"])
@requires(Action.MANAGE_ACCOUNTS)
def update_unit(slug: str, unit_id: int) -> Response:
    commune = _commune(slug)
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.commune_id != commune.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn, hãy gửi lại."), "error")
        return _page(commune)
    action = request.form.get("action", "rename")
    try:
        if action == "deactivate":
            units.set_active(unit, False)
            message = _("Đã ngừng hoạt động đơn vị %(name)s.", name=unit.name)
        elif action == "activate":
            units.set_active(unit, True)
            message = _("Đơn vị %(name)s hoạt động lại.", name=unit.name)
        else:
            units.rename_unit(unit, request.form.get("name"))
            message = _("Đã đổi tên đơn vị thành %(name)s.", name=unit.name)
    except units.UnitError as error:
        discard()
        flash(_("Không lưu được đơn vị: %(why)s", why=str(error)), "error")
        return _page(commune)
    flash(message, "success")
    return _page(commune)
