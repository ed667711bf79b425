"""The yearly self-assessment (báo cáo tự đánh giá, chấm điểm) and its per-criterion scores.

One ``SelfAssessment`` per commune and year, over the commune's scored plan (the annex with
Điểm chuẩn); one ``CriterionScore`` per scored plan item (a leaf of the scoring table): the
commune's self-score and note, then the city's appraised score (điểm thẩm định) and comment.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.commune import Commune
from tracker.models.plan import Plan, PlanItem
from tracker.models.types import UTCDateTime
from tracker.models.user import User


class AssessmentStatus(StrEnum):
    """Where the self-assessment stands (labels live in tracker.web.labels)."""

    DRAFT = "draft"  # đang tự chấm: lead units propose, the focal officer edits
    COMPILED = "compiled"  # đã tổng hợp: the focal officer hands it to the chairman
    APPROVED = "approved"  # Chủ tịch đã duyệt
    SUBMITTED = "submitted"  # đã gửi thành phố: the commune can no longer change it
    RETURNED = "returned"  # thành phố trả lại, with a reason: the commune scores again
    RECOGNISED = "recognised"  # thành phố đã thẩm định và công nhận mức đạt chuẩn

    @property
    def is_editable_by_commune(self) -> bool:
        return self in {AssessmentStatus.DRAFT, AssessmentStatus.RETURNED}


class SelfAssessment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "self_assessment"
    __table_args__ = (UniqueConstraint("commune_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=AssessmentStatus.DRAFT)
    compiled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    compiled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    recognised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    recognised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    commune: Mapped[Commune] = relationship()
    plan: Mapped[Plan] = relationship()
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    scores: Mapped[list[CriterionScore]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class CriterionScore(db.Model):  # type: ignore[name-defined,misc]
    """One scored plan item: the commune's proposal and the city's appraisal."""

    __tablename__ = "criterion_score"
    __table_args__ = (UniqueConstraint("assessment_id", "plan_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), index=True)
    self_score: Mapped[float | None]
    self_note: Mapped[str | None] = mapped_column(Text)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    scored_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    appraised_score: Mapped[float | None]
    appraisal_comment: Mapped[str | None] = mapped_column(Text)
    appraised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    appraised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    assessment: Mapped[SelfAssessment] = relationship(back_populates="scores")
    plan_item: Mapped[PlanItem] = relationship()
    scored_by: Mapped[User | None] = relationship(foreign_keys=[scored_by_id])
