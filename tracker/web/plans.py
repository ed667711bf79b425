"""Plan import page: upload a .txt/.docx/.doc/.pdf, see the parsed plan and its warnings, choose the
commune it belongs to, confirm → the plan and its workflows exist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from tracker.clock import today
from tracker.extensions import get_clock
from tracker.i18n import _, ngettext
from tracker.models import Plan, Role
from tracker.services import import_communes, plan_amendments, plan_corrections, plan_imports
from tracker.services import plans as plan_service
from tracker.services.api import find_visible_plan
from tracker.services.permissions import role_of
from tracker.services.scope import overseen_commune_ids
from tracker.web.access import Action, current_account, requires
from tracker.web.transactions import after_commit, discard

bp = Blueprint("plans", __name__)


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _pending_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=int(current_app.config["PENDING_IMPORT_HOURS"]))


def _preview(pending: plan_imports.PendingImport, status: int = 200, **extra: Any) -> Any:
    draft = pending.read or pending.draft
    user = current_account()
    province = import_communes.import_province(user)
    chosen = extra.pop("chosen", None) or import_communes.suggested_commune(draft, province)
    communes = import_communes.commune_choices(user)
    if chosen not in communes and communes:
        chosen = communes[0]  # what the form will send: the warning must be about it
    amends = _amended_plan(pending.amends)
    if amends is not None:
        chosen = amends.commune.name  # a revised version belongs to the plan's commune
    foreign = import_communes.foreign_text(draft, province)
    named = None if foreign else import_communes.commune_mismatch(draft, chosen, province)
    duplicate = plan_imports.find_duplicate(pending.draft, chosen, province)
    candidate = None
    if amends is None and duplicate is None:
        candidate = plan_imports.revision_candidate(pending.draft, chosen, province)
    diffs = None
    if amends is not None:
        diffs = plan_amendments.diff_plan(amends, pending.draft, today(get_clock(current_app)))
    return (
        render_template(
            "plans/preview.html",
            pending=pending,
            draft=draft,
            rows=plan_corrections.preview_rows(draft, pending.corrections),
            units=plan_corrections.unit_choices(chosen, draft, province),
            communes=communes,
            chosen=chosen,
            mismatch=import_communes.mismatch_text(named, chosen,
                                                   role_of(user) is Role.CITY_ADMIN)
            if named else None,
            foreign=foreign,
            may_override=role_of(user) is Role.CITY_ADMIN,
            duplicate=duplicate,
            duplicate_text=plan_imports.duplicate_text(duplicate) if duplicate else None,
            warnings=[(w.line, plan_imports.warning_text(w)) for w in draft.warnings],
            amends=amends,
            candidate=candidate,
            diffs=diffs,
            diff_counts=plan_amendments.counts(diffs) if diffs is not None else None,
            **extra,
        ),
        status,
    )


def _amended_plan(plan_id: int | None) -> Plan | None:
    """The plan a pending revised version amends, if this person may still see it."""
    if plan_id is None:
        return None
    return find_visible_plan(current_account(), plan_id)


@bp.route("/ke-hoach/<int:plan_id>/sua-doi", methods=["GET", "POST"])
@requires(Action.IMPORT_PLAN)
def amend_plan(plan_id: int) -> Any:
    """Upload the revised version of a plan (kế hoạch sửa đổi, bổ sung): the same preview,
    with the diff against the plan before confirming."""
    plan = find_visible_plan(current_account(), plan_id)
    if plan is None:
        abort(404)
    if request.method == "GET":
        return render_template("plans/upload.html", amends=plan)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("plans/upload.html", amends=plan,
                               error=_("Chưa chọn tệp kế hoạch.")), 400
    try:
        pending = plan_imports.read_upload(
            upload.read(), upload.filename, _upload_dir(), owner=current_account(),
            now=get_clock(current_app).now(), keep_for=_pending_lifetime(),
        )
    except plan_imports.PlanImportRefused as error:
        return render_template("plans/upload.html", amends=plan, error=str(error)), 400
    plan_imports.save_amends(pending.token, _upload_dir(), plan.id)
    return _preview(plan_imports.load_pending(pending.token, _upload_dir()))


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


@bp.route("/ke-hoach/xem-truoc/<token>")
@requires(Action.IMPORT_PLAN)
def show_preview(token: str) -> Any:
    """A pending import's preview as last saved: where an expired preview form comes back to
    (``tracker.web.expired_forms``), with the edits that were posted laid over it."""
    try:
        pending = plan_imports.load_pending(token, _upload_dir(), owner=current_account())
    except plan_imports.PlanImportRefused as error:
        return render_template("plans/upload.html", error=str(error)), 404
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
        corrections = plan_corrections.corrections_from_form(
            request.form, pending.read or pending.draft, pending.corrections
        )
    except plan_corrections.CorrectionError as error:
        return _preview(pending, 400, error=str(error), chosen=commune)
    plan_imports.save_corrections(token, _upload_dir(), corrections)
    action = request.form.get("action")
    if action in ("amend", "separate"):  # the importer's proposal taken, or declined
        target = _amended_plan(request.form.get("amend_plan", type=int))
        if action == "amend" and target is None:
            abort(404)
        plan_imports.save_amends(token, _upload_dir(), target.id if action == "amend" and
                                 target else None)
    pending = plan_imports.load_pending(token, _upload_dir())
    if action in ("update", "amend", "separate"):  # re-read the rows and show again
        return _preview(pending, chosen=commune)
    if pending.amends is not None:
        return _confirm_amendment(pending, token, commune)
    try:
        plan, instances = plan_imports.confirm_import(
            pending, commune_name=commune, actor=current_account(), clock=get_clock(current_app),
            override_reason=request.form.get("override_reason"),
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


def _confirm_amendment(pending: plan_imports.PendingImport, token: str, commune: str) -> Any:
    plan = _amended_plan(pending.amends)
    if plan is None:
        abort(404)
    try:
        revision = plan_imports.confirm_amendment(pending, plan, actor=current_account(),
                                                  clock=get_clock(current_app))
    except plan_imports.PlanImportRefused as error:
        discard()
        return _preview(pending, 400, error=str(error), chosen=commune)
    upload_dir = _upload_dir()
    after_commit(lambda: plan_imports.discard_pending(token, upload_dir))
    summary = revision.summary
    flash(
        _("Đã sửa đổi kế hoạch %(number)s theo %(document)s: %(changed)d dòng sửa, %(added)d "
          "dòng thêm, %(removed)d dòng bỏ, %(unchanged)d dòng giữ nguyên.",
          number=plan.number or plan.slug, document=revision.number or revision.source_name,
          changed=summary["changed"], added=summary["added"], removed=summary["removed"],
          unchanged=summary["unchanged"]),
        "success",
    )
    return redirect(url_for("plans.plan_list") + f"#ke-hoach-{plan.id}")


@bp.route("/ke-hoach")
@requires(Action.VIEW)
def plan_list() -> str:
    user = current_account()
    if role_of(user) is Role.NATIONAL:
        scope = None
    elif role_of(user) is Role.CITY_ADMIN:
        scope = overseen_commune_ids(user)  # the province's communes and its city row
    else:
        scope = [user.commune_id] if user.commune_id is not None else []
    found = plan_service.commune_plans(scope)
    return render_template("plans/list.html", plans=found,
                           revisions=plan_amendments.revisions_of([p.id for p, _n in found]))


@bp.route("/ke-hoach/<int:plan_id>/thu-hoi", methods=["POST"])
@requires(Action.WITHDRAW_PLAN)
def withdraw_plan(plan_id: int) -> Any:
    plan = find_visible_plan(current_account(), plan_id)
    if plan is None:
        abort(404)
    try:
        cancelled = plan_service.withdraw_plan(
            plan, current_account(), request.form.get("reason"), get_clock(current_app)
        )
    except plan_service.PlanStoreError as error:
        discard()
        flash(str(error), "error")
        return redirect(url_for("plans.plan_list") + f"#ke-hoach-{plan_id}")
    flash(
        ngettext(
            "Đã thu hồi kế hoạch %(number)s: hủy %(num)d nhiệm vụ đang mở.",
            "Đã thu hồi kế hoạch %(number)s: hủy %(num)d nhiệm vụ đang mở.",
            len(cancelled),
            number=plan.number or plan.slug,
        ),
        "success",
    )
    return redirect(url_for("plans.plan_list") + f"#ke-hoach-{plan_id}")
