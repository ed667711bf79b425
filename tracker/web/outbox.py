"""The outbox (administrators), mail preferences (everyone), and the unsubscribe link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange

from tracker.extensions import csrf, get_clock
from tracker.i18n import _, _l
from tracker.models import MailKind, Role
from tracker.services import outbox as outbox_service
from tracker.services.mail import (
    retry_failed_mail,
    user_id_from_unsubscribe_token,
)
from tracker.web.access import Action, current_account, public, requires

bp = Blueprint("outbox", __name__)

MAIL_KIND_LABELS = {
    MailKind.OPENING: _l("Bắt đầu thực hiện"),
    MailKind.COORDINATION: _l("Đề nghị phối hợp"),
    MailKind.DUE_SOON: _l("Sắp đến hạn"),
    MailKind.DUE_TODAY: _l("Đến hạn hôm nay"),
    MailKind.OVERDUE: _l("Quá hạn"),
    MailKind.CATCH_UP: _l("Nhắc bù"),
    MailKind.ESCALATION: _l("Báo cáo quá hạn"),
    MailKind.MANUAL: _l("Nhắc trực tiếp"),
    MailKind.DAILY_DIGEST: _l("Tổng hợp hằng ngày"),
    MailKind.WEEKLY_DIGEST: _l("Tổng hợp quá hạn hằng tuần"),
}


@bp.app_template_global()
def mail_kind_label(kind: str) -> str:
    return str(MAIL_KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


class PreferencesForm(FlaskForm):  # type: ignore[misc]
    mail_mode = RadioField(
        _l("Cách nhận thư nhắc việc"),
        choices=[
            ("instant", _l("Nhận ngay từng thư nhắc")),
            ("digest", _l("Một thư tổng hợp mỗi ngày")),
        ],
    )
    digest_hour = IntegerField(
        _l("Giờ nhận thư tổng hợp (0-23)"), validators=[InputRequired(), NumberRange(0, 23)]
    )
    wants_optional = BooleanField(
        _l("Nhận thư không bắt buộc (bản sao cho lãnh đạo phòng, đề nghị phối hợp, "
           "tổng hợp quá hạn hằng tuần)")
    )


@bp.route("/thu-di")
@requires(Action.READ_OUTBOX)
def outbox() -> Any:
    args = request.args
    page = args.get("trang", "").strip()
    filters = outbox_service.OutboxFilters(
        status=args.get("trang-thai") or None,
        kind=args.get("loai") or None,
        recipient=args.get("nguoi-nhan", "")[:200],
        task=args.get("viec", "")[:200],
        page=int(page) if page.isdigit() else 1,
    )
    box = outbox_service.read_outbox(current_account(), filters)
    return render_template(
        "outbox/list.html",
        box=box,
        kinds=MAIL_KIND_LABELS,
        smtp_configured=bool(current_app.config.get("SMTP_HOST")),
    )


def page_args(box: outbox_service.Outbox, page: int) -> dict[str, Any]:
    """The query string of another page of the same narrowed outbox."""
    f = box.filters
    args = {"trang-thai": f.status, "loai": f.kind, "nguoi-nhan": f.recipient.strip() or None,
            "viec": f.task.strip() or None, "trang": page if page > 1 else None}
    return {key: value for key, value in args.items() if value}


@bp.app_template_global()
def outbox_url(box: outbox_service.Outbox, page: int = 1, **changes: Any) -> str:
    args = page_args(box, page)
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value:
            args[key] = value
        else:
            args.pop(key, None)
    return url_for("outbox.outbox", **args)


@bp.route("/thu-di/<int:mail_id>")
@requires(Action.READ_OUTBOX)
def mail_detail(mail_id: int) -> Any:
    mail = outbox_service.find_visible_mail(current_account(), mail_id)
    if mail is None:
        abort(404)
    # Delivery attempts and Message-IDs help whoever looks after the mail server (the focal
    # officer, Sở Nội vụ), not the chairman reading what was sent.
    internals = Role(current_account().role) in {Role.FOCAL_OFFICER, Role.CITY_ADMIN}
    return render_template("outbox/detail.html", mail=mail, shows_mail_internals=internals)


@bp.route("/thu-di/<int:mail_id>/gui-lai", methods=["POST"])
@requires(Action.READ_OUTBOX)
def retry(mail_id: int) -> Any:
    mail = outbox_service.find_visible_mail(current_account(), mail_id)
    if mail is None:
        abort(404)
    clock = get_clock(current_app)
    if retry_failed_mail(mail.id, clock):  # delivered after the commit, in the background
        flash(_("Đã gửi lại thư."), "success")
    return redirect(url_for("outbox.mail_detail", mail_id=mail_id))


@bp.route("/tai-khoan/thu", methods=["GET", "POST"])
@requires(Action.VIEW)
def preferences() -> Any:
    user = current_account()
    form = PreferencesForm(
        data={"mail_mode": user.mail_mode, "digest_hour": user.digest_hour,
              "wants_optional": not user.is_unsubscribed}
        if request.method == "GET" else None
    )
    if form.validate_on_submit():
        outbox_service.update_mail_preferences(
            user, mail_mode=form.mail_mode.data, digest_hour=form.digest_hour.data,
            wants_optional=form.wants_optional.data,
        )
        flash(_("Đã lưu cách nhận thư."), "success")
        return redirect(url_for("outbox.preferences"))
    return render_template("outbox/preferences.html", form=form)


@bp.route("/thu/huy-nhan/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def unsubscribe(token: str) -> Any:
    """List-Unsubscribe target; a POST is the one-click unsubscribe of RFC 8058."""
    user_id = user_id_from_unsubscribe_token(token)
    if user_id is None:
        abort(404)
    if request.method == "POST":
        if outbox_service.unsubscribe(user_id) is None:
            abort(404)
        return render_template("outbox/unsubscribed.html", done=True)
    return render_template("outbox/unsubscribed.html", done=False, token=token)
