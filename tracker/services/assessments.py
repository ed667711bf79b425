"""The self-assessment's steps: self-scores, compile, approve, submit, appraise, confirm.

Who does what and when is described in :mod:`tracker.services.scoring`, which reads the sheet
these steps change. Every step checks the person and the assessment's status, checks all its
input before it writes any, and flushes only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import AssessmentStatus, Commune, CriterionScore, Role, SelfAssessment, User
from tracker.services import levels
from tracker.services.scoring import (
    ItemRow,
    ScoringError,
    ScoringRefused,
    Sheet,
    format_points,
)

SCORING_ROLES = {Role.UNIT_HEAD, Role.FOCAL_OFFICER}
SUBMITTING_ROLES = {Role.CHAIRMAN, Role.FOCAL_OFFICER}


@dataclass
class ScoreEntry:
    """What a form or a call gives for one item: the score (None: blank) and a note."""

    plan_item_id: int
    score: float | None
    note: str | None = None


def _own_commune(actor: User, commune: Commune) -> None:
    if actor.commune_id != commune.id or commune.is_city:
        raise ScoringRefused(
            _("Chỉ cán bộ của %(commune)s tự chấm điểm được cho xã, phường.", commune=commune.name)
        )


def _refuse_status(sheet: Sheet, allowed: Iterable[AssessmentStatus], message: str) -> None:
    if sheet.status not in set(allowed):
        raise ScoringError(message)


def _ensure_assessment(sheet: Sheet, clock: Clock) -> SelfAssessment:
    if sheet.assessment is not None:
        return sheet.assessment
    if sheet.plan is None or not sheet.has_points:
        raise ScoringError(
            _(
                "Kế hoạch năm %(year)d của %(commune)s không có bảng điểm: không có tiêu chí "
                "nào để chấm.",
                year=sheet.year,
                commune=sheet.commune.name,
            )
        )
    assessment = SelfAssessment(
        commune_id=sheet.commune.id,
        plan_id=sheet.plan.id,
        year=sheet.year,
        status=str(AssessmentStatus.DRAFT),
        created_at=clock.now(),
    )
    db.session.add(assessment)
    db.session.flush()
    sheet.assessment = assessment
    return assessment


def _score_row(assessment: SelfAssessment, item: ItemRow) -> CriterionScore:
    if item.score is None:
        item.score = CriterionScore(assessment_id=assessment.id, plan_item_id=item.plan_item.id)
        assessment.scores.append(item.score)
    return item.score


def _check_range(item: ItemRow, score: float | None, what: str) -> None:
    if score is not None and not 0 <= score <= item.points + 1e-9:
        raise ScoringError(
            _(
                "%(what)s mục %(ref)s: điểm phải từ 0 đến %(max)s (điểm chuẩn).",
                what=what,
                ref=item.plan_item.ref,
                max=format_points(item.points),
            )
        )


def may_score_item(actor: User, item: ItemRow) -> bool:
    """The focal officer scores any item; a unit head the items its unit leads."""
    role = Role(actor.role)
    if role is Role.FOCAL_OFFICER:
        return True
    if role is not Role.UNIT_HEAD or actor.unit is None:
        return False
    return actor.unit_id in item.unit_ids or actor.unit.name in item.plan_item.lead_units


def propose_scores(sheet: Sheet, entries: Iterable[ScoreEntry], actor: User, clock: Clock) -> int:
    """Self-scores and notes for several items at once; all are checked before any is kept.

    Returns how many items changed. A blank score clears the proposal.
    """
    _own_commune(actor, sheet.commune)
    if Role(actor.role) not in SCORING_ROLES:
        raise ScoringRefused(_("Chỉ trưởng đơn vị chủ trì hoặc cán bộ đầu mối tự chấm điểm."))
    _refuse_status(
        sheet,
        (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
        _("Bản tự đánh giá đã tổng hợp hoặc đã gửi: không sửa điểm được nữa."),
    )
    checked: list[tuple[ItemRow, ScoreEntry]] = []
    for entry in entries:
        item = sheet.item(entry.plan_item_id)
        if item is None:
            raise ScoringError(_("Không có mục chấm điểm này trong bảng điểm năm nay."))
        note = (entry.note or "").strip() or None
        if (item.self_score, item.score.self_note if item.score else None) == (entry.score, note):
            continue
        if not may_score_item(actor, item):
            raise ScoringError(
                _(
                    "Mục %(ref)s không do đơn vị của bạn chủ trì: hãy để đơn vị chủ trì hoặc "
                    "cán bộ đầu mối chấm.",
                    ref=item.plan_item.ref,
                )
            )
        _check_range(item, entry.score, _("Điểm tự chấm"))
        checked.append((item, ScoreEntry(entry.plan_item_id, entry.score, note)))
    if not checked:
        return 0
    assessment = _ensure_assessment(sheet, clock)
    for item, entry in checked:
        row = _score_row(assessment, item)
        row.self_score = entry.score
        row.self_note = entry.note
        row.scored_by_id = actor.id
        row.scored_at = clock.now()
    db.session.flush()
    return len(checked)


def compile_assessment(sheet: Sheet, actor: User, clock: Clock) -> SelfAssessment:
    """The focal officer hands the scored table to the chairman: every item needs a score."""
    _own_commune(actor, sheet.commune)
    if Role(actor.role) is not Role.FOCAL_OFFICER:
        raise ScoringRefused(_("Chỉ cán bộ đầu mối tổng hợp được bản tự đánh giá."))
    _refuse_status(
        sheet,
        (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
        _("Bản tự đánh giá đã được tổng hợp rồi."),
    )
    missing = [item.plan_item.ref for item in sheet.items if item.self_score is None]
    if missing:
        raise ScoringError(
            _(
                "Còn %(count)d mục chưa tự chấm điểm: %(refs)s.",
                count=len(missing),
                refs=", ".join(missing[:12]) + (" …" if len(missing) > 12 else ""),
            )
        )
    assessment = _ensure_assessment(sheet, clock)
    assessment.status = str(AssessmentStatus.COMPILED)
    assessment.compiled_at, assessment.compiled_by_id = clock.now(), actor.id
    db.session.flush()
    return assessment


def _chairman(actor: User, sheet: Sheet) -> None:
    _own_commune(actor, sheet.commune)
    if Role(actor.role) is not Role.CHAIRMAN:
        raise ScoringRefused(_("Chỉ Chủ tịch UBND duyệt được bản tự đánh giá."))


def approve_assessment(sheet: Sheet, actor: User, clock: Clock) -> SelfAssessment:
    _chairman(actor, sheet)
    _refuse_status(
        sheet,
        (AssessmentStatus.COMPILED,),
        _("Chỉ duyệt được bản tự đánh giá đã được cán bộ đầu mối tổng hợp."),
    )
    assert sheet.assessment is not None
    sheet.assessment.status = str(AssessmentStatus.APPROVED)
    sheet.assessment.approved_at, sheet.assessment.approved_by_id = clock.now(), actor.id
    db.session.flush()
    return sheet.assessment


def send_back(sheet: Sheet, reason: str | None, actor: User, clock: Clock) -> SelfAssessment:
    """The chairman sends the compiled (or approved, not yet sent) table back for rescoring."""
    _chairman(actor, sheet)
    _refuse_status(
        sheet,
        (AssessmentStatus.COMPILED, AssessmentStatus.APPROVED),
        _("Chỉ trả lại được bản tự đánh giá đã tổng hợp và chưa gửi thành phố."),
    )
    text = (reason or "").strip()
    if not text:
        raise ScoringError(_("Lý do trả lại: hãy ghi rõ cần chấm lại điều gì."))
    assert sheet.assessment is not None
    sheet.assessment.status = str(AssessmentStatus.DRAFT)
    sheet.assessment.return_reason = text
    sheet.assessment.returned_at, sheet.assessment.returned_by_id = clock.now(), actor.id
    sheet.assessment.approved_at = sheet.assessment.approved_by_id = None
    db.session.flush()
    return sheet.assessment


def submit_assessment(sheet: Sheet, actor: User, clock: Clock) -> SelfAssessment:
    """Sent to the city (Sở Nội vụ): the commune can no longer change it."""
    _own_commune(actor, sheet.commune)
    if Role(actor.role) not in SUBMITTING_ROLES:
        raise ScoringRefused(_("Chỉ Chủ tịch UBND hoặc cán bộ đầu mối gửi được bản tự đánh giá."))
    _refuse_status(
        sheet,
        (AssessmentStatus.APPROVED,),
        _("Chỉ gửi được bản tự đánh giá đã được Chủ tịch UBND duyệt."),
    )
    assert sheet.assessment is not None
    sheet.assessment.status = str(AssessmentStatus.SUBMITTED)
    sheet.assessment.submitted_at, sheet.assessment.submitted_by_id = clock.now(), actor.id
    db.session.flush()
    return sheet.assessment


def _city(actor: User, sheet: Sheet) -> None:
    if Role(actor.role) is not Role.CITY_ADMIN:
        raise ScoringRefused(_("Chỉ Sở Nội vụ thẩm định được bản tự đánh giá."))
    _refuse_status(
        sheet,
        (AssessmentStatus.SUBMITTED,),
        _(
            "%(commune)s chưa gửi bản tự đánh giá năm %(year)d.",
            commune=sheet.commune.name,
            year=sheet.year,
        ),
    )


def return_assessment(
    sheet: Sheet, reason: str | None, actor: User, clock: Clock
) -> SelfAssessment:
    """The city returns a submitted assessment with a reason; the commune scores again."""
    _city(actor, sheet)
    text = (reason or "").strip()
    if not text:
        raise ScoringError(_("Lý do trả lại: hãy ghi rõ xã, phường cần bổ sung điều gì."))
    assert sheet.assessment is not None
    sheet.assessment.status = str(AssessmentStatus.RETURNED)
    sheet.assessment.return_reason = text
    sheet.assessment.returned_at, sheet.assessment.returned_by_id = clock.now(), actor.id
    db.session.flush()
    return sheet.assessment


def appraise_scores(sheet: Sheet, entries: Iterable[ScoreEntry], actor: User, clock: Clock) -> int:
    """The city's appraised score (điểm thẩm định) and comment per item; all checked first."""
    _city(actor, sheet)
    assert sheet.assessment is not None
    checked: list[tuple[ItemRow, ScoreEntry]] = []
    for entry in entries:
        item = sheet.item(entry.plan_item_id)
        if item is None:
            raise ScoringError(_("Không có mục chấm điểm này trong bảng điểm năm nay."))
        note = (entry.note or "").strip() or None
        current = (item.appraised_score, item.score.appraisal_comment if item.score else None)
        if current == (entry.score, note):
            continue
        _check_range(item, entry.score, _("Điểm thẩm định"))
        checked.append((item, ScoreEntry(entry.plan_item_id, entry.score, note)))
    for item, entry in checked:
        row = _score_row(sheet.assessment, item)
        row.appraised_score = entry.score
        row.appraisal_comment = entry.note
        row.appraised_by_id = actor.id
        row.appraised_at = clock.now()
    db.session.flush()
    return len(checked)


def confirm_level(
    sheet: Sheet,
    reached_level: int | None,
    actor: User,
    clock: Clock,
    *,
    confirmed: bool = False,
    reason: str | None = None,
) -> SelfAssessment:
    """The city confirms the recognised level with the appraised total as the year's score.

    A level far above the registration or the progress needs ``confirmed`` and a ``reason``.
    """
    _city(actor, sheet)
    missing = [item.plan_item.ref for item in sheet.items if item.appraised_score is None]
    if missing:
        raise ScoringError(
            _(
                "Còn %(count)d mục chưa có điểm thẩm định: %(refs)s.",
                count=len(missing),
                refs=", ".join(missing[:12]) + (" …" if len(missing) > 12 else ""),
            )
        )
    total = sheet.appraised_total or 0.0
    try:
        levels.record_result(
            sheet.commune,
            sheet.year,
            reached_level,
            total,
            actor,
            clock,
            confirmed=confirmed,
            reason=reason,
        )
    except levels.LevelRefused as refused:
        raise ScoringRefused(str(refused)) from refused
    except levels.LevelError as error:
        raise ScoringError(str(error)) from error
    assert sheet.assessment is not None
    sheet.assessment.status = str(AssessmentStatus.RECOGNISED)
    sheet.assessment.recognised_at, sheet.assessment.recognised_by_id = clock.now(), actor.id
    db.session.flush()
    return sheet.assessment
