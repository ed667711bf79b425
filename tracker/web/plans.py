"""Plan import page: upload a .txt/.docx/.doc/.pdf, see the parsed plan and its warnings, choose the
commune it belongs to, confirm → the plan and its workflows exist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from tracker.extensions import get_clock
from tracker.i18n import _
from tracker.services import plan_imports
from tracker.web.access import Action, current_account, requires
from tracker.web.transactions import after_commit, discard

bp = Blueprint("plans", __name__)


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _pending_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=int(current_app.config["PENDING_IMPORT_HOURS"]))


def _preview(pending: plan_imports.PendingImport, status: int = 200, **extra: Any) -> Any:
    draft = pending.draft
    return (
        render_template(
            "plans/preview.html",
            pending=pending,
            draft=draft,
            communes=plan_imports.commune_choices(current_account()),
            chosen=extra.pop("chosen", None) or plan_imports.suggested_commune(draft),
            warnings=[(w.line, plan_imports.warning_text(w)) for w in draft.warnings],
            **extra,
        ),
        status,
    )


@bp.route("/ke-hoach/nhap", methods=["GET", "POST"])
@requires(Action.IMPORT_PLAN)
def import_plan() -> Any:
    if request.method == "GET":
        return render_template("plans/upload.html")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("plans/upload.html", error=_("Chưa chọn tệp kế hoạch.")), 400
    try:
        pending = plan_imports.read_upload(
            upload.read(), upload.filename, _upload_dir(), owner=current_account(),
            now=get_clock(current_app).now(), keep_for=_pending_lifetime(),
        )
    except plan_imports.PlanImportRefused as error:
        return render_template("plans/upload.html", error=str(error)), 400
    return _preview(pending)


@bp.route("/ke-hoach/xac-nhan", methods=["POST"])
@requires(Action.IMPORT_PLAN)
def confirm_import() -> Any:
    token = request.form.get("token", "")
    try:
        pending = plan_imports.load_pending(token, _upload_dir(), owner=current_account())
    except plan_imports.PlanImportRefused as error:
        return render_template("plans/upload.html", error=str(error)), 400
    if request.form.get("action") == "cancel":
        plan_imports.discard_pending(token, _upload_dir())
        flash(_("Đã hủy nhập kế hoạch."), "info")
        return redirect(url_for("plans.import_plan"))
    commune = request.form.get("commune", "").strip()
    try:
        plan, instances = plan_imports.confirm_import(
            pending, commune_name=commune, actor=current_account(), clock=get_clock(current_app)
        )
    except plan_imports.PlanImportRefused as error:
        discard()
        return _preview(pending, 400, error=str(error), chosen=commune)
    upload_dir = _upload_dir()
    after_commit(lambda: plan_imports.discard_pending(token, upload_dir))
    flash(
        _(
            "Đã nhập kế hoạch %(number)s cho %(commune)s: %(tasks)d nhiệm vụ, "
            "khởi chạy %(years)d năm.",
            number=plan.number or plan.slug,
            commune=plan.commune.name,
            tasks=len(plan.tasks),
            years=len(instances),
        ),
        "success",
    )
    return redirect(url_for("tasks.task_list", ke_hoach=plan.id, nam="tat-ca"))
