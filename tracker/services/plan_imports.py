"""The plan import page's use case: upload → parsed draft → choose the commune → store and run.

Between the preview and the confirmation the uploaded file waits under UPLOAD_DIR/imports
with a random name; confirming reads it again, so what is stored is exactly what was shown.
Each import happens in one province (:mod:`tracker.services.import_communes`): its communes
are the choices, the document's commune is looked up there, and duplicates and revised
versions are looked for among its plans only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.importing import ImportWarning, PlanDraft, PlanImportError, messages, read_plan_bytes
from tracker.models import Commune, Plan, PlanRevision, Province, Role, User, WorkflowInstance
from tracker.services import (
    plan_amendments,
    plan_corrections,
    plan_matching,
    plans,
    rollover,
    workflows,
)
from tracker.services.communes import CITY_NAME, CommuneError
from tracker.services.import_communes import (
    commune_choices,
    commune_mismatch,
    document_province,
    foreign_text,
    import_province,
    mismatch_text,
    scope_clause,
    stored_commune,
)
from tracker.services.permissions import role_of
from tracker.services.provinces import commune_province

PLAN_EXTENSIONS = ("txt", "docx", "doc", "pdf")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class PlanImportRefused(ValueError):
    """The upload or the confirmation was refused; the message names the file or field."""


def refusal(error: PlanImportError) -> PlanImportRefused:
    """The importer's error in the reader's language (its template is in the catalogue)."""
    return PlanImportRefused(_(error.template, **error.params))


def warning_text(warning: ImportWarning) -> str:
    """An importer warning in the reader's language; the document's words stay as written."""
    return _(warning.template, **warning.params)


@dataclass(frozen=True)
class PendingImport:
    token: str
    filename: str
    draft: PlanDraft  # as corrected in the preview (plan_corrections)
    corrections: dict[str, Any] | None = None
    # The draft as read, before corrections (the preview shows both).
    read: PlanDraft | None = None
    notes: tuple[str | None, ...] = ()  # per task kept: what was corrected
    lines: tuple[str, ...] = ()  # what was corrected, one line per row
    amends: int | None = None  # the plan this document is a revised version of


# A pending import neither confirmed nor cancelled is swept after this long.
DEFAULT_PENDING_LIFETIME = dt.timedelta(hours=24)


def _pending_dir(upload_dir: Path) -> Path:
    return upload_dir / "imports"


def read_upload(data: bytes, filename: str, upload_dir: Path, *, owner: User | None = None,
                now: dt.datetime | None = None,
                keep_for: dt.timedelta = DEFAULT_PENDING_LIFETIME,
                province: Province | None = None) -> PendingImport:
    """Parse an uploaded plan and keep its bytes for the confirmation step.

    The pending import belongs to its uploader (``owner``): nobody else can confirm or
    cancel it. Pending imports older than ``keep_for`` are swept first. The document's
    commune is looked for first in ``province`` (else the owner's province; Hải Phòng for
    neither) when the document names no province.
    """
    if now is not None:
        sweep_pending(upload_dir, now, keep_for)
    name = Path(filename.replace("\\", "/")).name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in PLAN_EXTENSIONS:
        raise PlanImportRefused(
            _("%(name)s: chỉ nhận tệp .txt, .docx, .doc hoặc .pdf.", name=name or "?")
        )
    if province is None and owner is not None:
        province = import_province(owner)
    hint = province.code if province is not None else None
    try:
        draft = read_plan_bytes(data, name, province=hint)
    except PlanImportError as error:
        raise refusal(error) from error
    token = secrets.token_hex(16)
    folder = _pending_dir(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}.bin").write_bytes(data)
    meta = {
        "filename": name,
        "owner": owner.id if owner is not None else None,
        "created": now.isoformat() if now is not None else None,
        "province": hint,  # read again the same way on confirming
    }
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return PendingImport(token=token, filename=name, draft=draft)


def load_pending(token: str, upload_dir: Path, owner: User | None = None) -> PendingImport:
    """The pending import ``token`` of ``owner``; another person's is "no longer there"."""
    if not _TOKEN.match(token or ""):
        raise PlanImportRefused(_("Tệp đã tải lên không còn; vui lòng tải lên lại."))
    folder = _pending_dir(upload_dir)
    try:
        data = (folder / f"{token}.bin").read_bytes()
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PlanImportRefused(_("Tệp đã tải lên không còn; vui lòng tải lên lại.")) from error
    if owner is not None and meta.get("owner") != owner.id:
        raise PlanImportRefused(_("Tệp đã tải lên không còn; vui lòng tải lên lại."))
    filename = str(meta["filename"])
    hint = meta.get("province")
    try:
        read = read_plan_bytes(data, filename, province=hint)
        draft = read_plan_bytes(data, filename, province=hint)
    except PlanImportError as error:
        raise refusal(error) from error
    corrections = meta.get("corrections")
    lines = plan_corrections.summary(read, corrections)
    notes = plan_corrections.apply_corrections(draft, corrections)
    amends = meta.get("amends")
    return PendingImport(token=token, filename=filename, draft=draft, corrections=corrections,
                         read=read, notes=tuple(notes), lines=tuple(lines),
                         amends=int(amends) if amends is not None else None)


def save_corrections(token: str, upload_dir: Path, corrections: dict[str, Any]) -> None:
    """Keep the preview's corrections beside the uploaded file until confirm or cancel."""
    _update_meta(token, upload_dir, corrections=corrections)


def save_amends(token: str, upload_dir: Path, plan_id: int | None) -> None:
    """Mark the pending import as the revised version of a plan (None: a plan of its own)."""
    _update_meta(token, upload_dir, amends=plan_id)


def _update_meta(token: str, upload_dir: Path, **values: Any) -> None:
    path = _pending_dir(upload_dir) / f"{token}.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PlanImportRefused(_("Tệp đã tải lên không còn; vui lòng tải lên lại.")) from error
    meta.update(values)
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def sweep_pending(upload_dir: Path, now: dt.datetime,
                  keep_for: dt.timedelta = DEFAULT_PENDING_LIFETIME) -> int:
    """Remove pending imports neither confirmed nor cancelled within ``keep_for``."""
    folder = _pending_dir(upload_dir)
    if not folder.is_dir():
        return 0
    removed = 0
    for meta_path in folder.glob("*.json"):
        try:
            created = json.loads(meta_path.read_text(encoding="utf-8")).get("created")
            at = dt.datetime.fromisoformat(created) if created else None
        except (OSError, ValueError, AttributeError):
            at = None  # unreadable: as old as can be
        if at is None or at < now - keep_for:
            discard_pending(meta_path.stem, upload_dir)
            removed += 1
    for orphan in folder.glob("*.bin"):  # bytes whose description is gone
        if not orphan.with_suffix(".json").exists():
            orphan.unlink(missing_ok=True)
    return removed


def discard_pending(token: str, upload_dir: Path) -> None:
    if _TOKEN.match(token or ""):
        for suffix in (".bin", ".json"):
            (_pending_dir(upload_dir) / f"{token}{suffix}").unlink(missing_ok=True)


@dataclass(frozen=True)
class Duplicate:
    plan: Plan
    same_text: bool  # the same rows word for word (else: same number, date and commune)


def content_digest(draft: PlanDraft) -> str:
    """The plan's text as read: number, title and every row (any file format)."""
    parts = [draft.number or "", draft.title or ""]
    for task in draft.tasks:
        parts.extend([task.ref, task.title, task.time_text])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _plans_in(province: Province | None) -> Any:
    return select(Plan).join(Commune, Commune.id == Plan.commune_id).where(
        scope_clause(province))


def find_duplicate(draft: PlanDraft, commune_name: str,
                   province: Province | None = None) -> Duplicate | None:
    """A plan of ``province`` already stored with the same number, date and commune, or the
    same text — word for word (in any file format), or reworded: the commune's plan whose
    rows' titles are nearly all the same (``plan_matching.is_copy``)."""
    digest = content_digest(draft)
    same_text = db.session.scalars(
        _plans_in(province).where(Plan.content_digest == digest).order_by(Plan.id)
    ).first()
    if same_text is None:  # a revised version already applied to a plan is that plan's text
        same_text = db.session.scalars(
            _plans_in(province).join(PlanRevision, PlanRevision.plan_id == Plan.id)
            .where(PlanRevision.content_digest == digest).order_by(Plan.id)
        ).first()
    if same_text is None:
        titles = [t.title for t in draft.tasks]
        same_text = next((p for p in commune_plans_named(commune_name, province)
                          if plan_matching.is_copy([t.title for t in p.live_items], titles)),
                         None)
    if same_text is not None:
        return Duplicate(same_text, True)
    if not draft.number:
        return None
    query = _plans_in(province).where(Plan.number == draft.number, Commune.name == commune_name)
    if draft.issued_on is not None:
        query = query.where(Plan.issued_on == draft.issued_on)
    found = db.session.scalars(query.order_by(Plan.id)).first()
    return Duplicate(found, False) if found is not None else None


def commune_plans_named(commune_name: str, province: Province | None = None) -> list[Plan]:
    """The plans in force of the commune of ``province`` called ``commune_name``, oldest
    first."""
    return list(db.session.scalars(
        _plans_in(province).where(Commune.name == commune_name, Plan.withdrawn_at.is_(None))
        .order_by(Plan.id)
    ))


_AMENDS = re.compile(r"sửa đổi\W+bổ sung\W+(?:một số nội dung\W+(?:của|tại)\W+)?kế hoạch"
                     r"\W+(?:số\W+)?(\d+\s*/\s*[\w-]+)", re.IGNORECASE)
# Titles at least this alike (and the same commune): the document may revise that plan.
_TITLE_RATIO = 0.75


def revision_candidate(draft: PlanDraft, commune_name: str,
                       province: Province | None = None) -> Plan | None:
    """A plan of the same commune this document looks like a revised version of: it says
    "sửa đổi, bổ sung Kế hoạch số …" of it, or has its number, or a title close to its."""
    if find_duplicate(draft, commune_name, province) is not None:
        return None
    found = commune_plans_named(commune_name, province)
    said = _AMENDS.search(unicodedata.normalize("NFC", draft.title or ""))
    cited = {re.sub(r"\s+", "", said.group(1)).upper()} if said else set()
    for plan in found:
        if plan.number and re.sub(r"\s+", "", plan.number).upper() in cited:
            return plan
    for plan in found:
        if draft.number and plan.number == draft.number:
            return plan
    title = plan_matching.fold(_AMENDS.sub("", draft.title or ""))
    scored = [(plan_matching.similarity(plan_matching.fold(p.title), title), p) for p in found]
    best = max(scored, key=lambda s: s[0], default=None)
    if best is not None and title and best[0] >= _TITLE_RATIO:
        return best[1]
    return None


def duplicate_text(duplicate: Duplicate) -> str:
    plan = duplicate.plan
    when = plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else (plan.issued_month or "")
    if duplicate.same_text:
        return _("Văn bản này đã được nhập: kế hoạch %(number)s ngày %(date)s của %(commune)s "
                 "có cùng nội dung.", number=plan.number or _("(chưa có số)"), date=when,
                 commune=plan.commune.name)
    return _("Kế hoạch số %(number)s ngày %(date)s của %(commune)s đã được nhập trước đó.",
             number=plan.number or "", date=when, commune=plan.commune.name)


def import_scope(draft: PlanDraft, actor: User | None,
                 province: Province | None = None) -> Province | None:
    """The province an import happens in: the person's; without one (the command line)
    ``province`` (``--province``), else the one the document reads."""
    if actor is not None:
        return import_province(actor)
    if province is not None:
        return province
    try:
        return document_province(draft)
    except CommuneError as error:
        raise PlanImportRefused(str(error)) from error


_UNSURE = (messages.COMMUNE_AMBIGUOUS, messages.COMMUNE_NOT_IN_PROVINCE)


def unsure_commune(draft: PlanDraft) -> ImportWarning | None:
    """The warning that the document names a commune without saying which (else None)."""
    return next((w for w in draft.warnings if w.template in _UNSURE), None)


def confirm_import(
    pending: PendingImport, *, commune_name: str, actor: User | None, clock: Clock,
    override_reason: str | None = None, province: Province | None = None,
) -> tuple[Plan, list[WorkflowInstance]]:
    """Store the plan for the chosen commune and start its workflows for the years that came.

    The rest of its period starts year by year (tracker.services.rollover); a plan for a later
    period starts nothing yet. A document of another province's commune is refused; one that
    names another commune than the one chosen is refused, unless the city administrator
    overrides it with a reason; a plan already stored is refused in plain words. The
    preview's corrections are what is stored, and the history says so. ``province``: the
    province of an import without ``actor`` (see :func:`import_scope`).
    """
    if actor is not None and commune_name not in commune_choices(actor):
        raise PlanImportRefused(
            _("Xã, phường: bạn không được nhập kế hoạch cho “%(name)s”.", name=commune_name)
        )
    draft = pending.draft
    scope = import_scope(draft, actor, province)
    foreign = foreign_text(draft, scope)
    if foreign is not None:
        raise PlanImportRefused(foreign)
    unsure = unsure_commune(draft)
    if unsure is not None and commune_name == CITY_NAME:
        raise PlanImportRefused(
            _("Văn bản là kế hoạch của một xã, phường nhưng không rõ xã, phường nào (%(doubt)s): "
              "chọn đúng xã, phường.", doubt=warning_text(unsure))
        )
    named = commune_mismatch(draft, commune_name, scope)
    reason = (override_reason or "").strip()
    if named is not None:
        may_override = actor is None or role_of(actor) is Role.CITY_ADMIN
        if not (may_override and reason):
            raise PlanImportRefused(mismatch_text(named, commune_name, may_override))
    duplicate = find_duplicate(draft, commune_name, scope)
    if duplicate is not None:
        raise PlanImportRefused(duplicate_text(duplicate))
    digest = content_digest(draft)
    lines = list(pending.lines)
    if named is not None:
        lines.insert(0, _("Văn bản ghi %(named)s, nhập cho %(chosen)s. Lý do: %(reason)s",
                          named=named, chosen=commune_name, reason=reason))
    draft.commune = None if commune_name == CITY_NAME else commune_name
    try:
        commune = stored_commune(commune_name, scope)
        plan = plans.store_plan(draft, source_name=pending.filename, clock=clock,
                                imported_by=actor, commune=commune)
        plan.content_digest = digest
        instances = [
            workflows.start_instance(plan, plan.commune, year, clock)
            for year in rollover.due_years(plan, today(clock))
        ]
        plan_corrections.record_history(plan, list(pending.notes), lines, actor, clock)
    except (CommuneError, plans.PlanStoreError, workflows.WorkflowServiceError) as error:
        raise PlanImportRefused(str(error)) from error
    return plan, instances


def confirm_amendment(pending: PendingImport, plan: Plan, *, actor: User | None,
                      clock: Clock) -> PlanRevision:
    """Apply a pending revised version to ``plan`` (tracker.services.plan_amendments)."""
    if actor is not None and plan.commune.name not in commune_choices(actor):
        raise PlanImportRefused(
            _("Xã, phường: bạn không được sửa kế hoạch của “%(name)s”.", name=plan.commune.name)
        )
    scope = commune_province(plan.commune)
    foreign = foreign_text(pending.draft, scope)
    if foreign is not None:
        raise PlanImportRefused(foreign)
    named = commune_mismatch(pending.draft, plan.commune.name, scope)
    if named is not None:
        raise PlanImportRefused(
            _("Văn bản ghi “%(named)s”, không phải “%(chosen)s”: không phải bản sửa đổi của kế "
              "hoạch này.", named=named, chosen=plan.commune.name)
        )
    try:
        return plan_amendments.amend_plan(
            plan, pending.draft, filename=pending.filename, digest=content_digest(pending.draft),
            actor=actor, clock=clock,
        )
    except plan_amendments.AmendmentRefused as error:
        raise PlanImportRefused(str(error)) from error
