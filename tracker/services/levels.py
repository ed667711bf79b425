"""The yearly levels: the Mức độ a commune registers for, and the level the city recognises.

Before 15/02 each year the commune (its chairman or focal officer) registers the level it
aims for (Mức độ 1-4) with Sở Nội vụ; it may change the registration until the city has
recorded a result for that year. After the self-assessment the city administrator records the
level reached — 0 when the commune did not reach the standard — and the appraised score
(0-100). Both live on one ``CommuneLevel`` row per commune and year. Services flush only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from tracker.clock import Clock, today
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Commune, CommuneLevel, Role, User
from tracker.services import level_checks

LEVELS = (1, 2, 3, 4)
RESULT_LEVELS = (0, 1, 2, 3, 4)  # 0: the commune did not reach the standard
MAX_SCORE = 100.0
MAX_REASON = 500  # the reason kept with a level far above the registration or the progress
REGISTERING_ROLES = {Role.CHAIRMAN, Role.FOCAL_OFFICER}
FIRST_YEAR = 2026  # the Đề án starts in 2026


class LevelError(ValueError):
    """A registration or result that cannot be recorded; the message says why."""


class LevelNeedsConfirmation(LevelError):
    """The level is far above the registration or the progress: tick and give a reason."""

    def __init__(self, message: str, warnings: list[str]) -> None:
        super().__init__(message)
        self.warnings = warnings


class LevelRefused(PermissionError):
    """This person may not register or record levels for this commune."""


def level_of(commune: Commune, year: int) -> CommuneLevel | None:
    return db.session.scalar(
        select(CommuneLevel).where(CommuneLevel.commune_id == commune.id, CommuneLevel.year == year)
    )


def planned_level(targets: Iterable[Mapping[str, Any]], year: int) -> int | None:
    """The level a commune's own plan aims for in ``year`` (``Plan.targets``), if it says one.

    Only the commune's own targets count: a target with a share of communes ("80% … đạt
    chuẩn") is the city's. "Đạt chuẩn" without a level is the standard itself, Mức độ 1.
    When several targets cover the year, the highest level stated is the plan's aim.
    """
    found: list[int] = []
    for target in targets:
        if target.get("share_percent") is not None:
            continue
        first, last = target.get("from_year"), target.get("to_year")
        if first is None or year < first or (last is not None and year > last):
            continue
        level = target.get("level")
        if level in LEVELS:
            found.append(int(level))
        elif level is None and "đạt chuẩn" in str(target.get("text") or "").lower():
            found.append(1)
    return max(found) if found else None


def may_register(actor: User, commune: Commune) -> bool:
    """The commune's own chairman or focal officer."""
    return Role(actor.role) in REGISTERING_ROLES and actor.commune_id == commune.id


def registration_years(clock: Clock) -> tuple[int, int]:
    """The years open for registration: this year, and next year (registered in December)."""
    year = today(clock).year
    return max(year, FIRST_YEAR), year + 1


def registration_open(commune: Commune, year: int, clock: Clock) -> bool:
    """May this year's registration still be made or changed (ignoring who asks)?"""
    first, last = registration_years(clock)
    if not first <= year <= last:
        return False
    row = level_of(commune, year)
    return row is None or row.reached_level is None


def _row(commune: Commune, year: int) -> CommuneLevel:
    row = level_of(commune, year)
    if row is None:
        row = CommuneLevel(commune_id=commune.id, year=year)
        db.session.add(row)
    return row


def _check_commune(commune: Commune) -> None:
    if commune.is_city:
        raise LevelError(_("Chỉ xã, phường, đặc khu mới đăng ký và được công nhận mức đạt chuẩn."))


def register_level(
    commune: Commune, year: int, level: int | None, actor: User, clock: Clock
) -> CommuneLevel:
    """The commune registers the level it aims for in ``year`` (Mức độ 1-4)."""
    if not may_register(actor, commune):
        raise LevelRefused(
            _(
                "Chỉ Chủ tịch UBND hoặc cán bộ đầu mối của %(commune)s đăng ký được mức đạt chuẩn.",
                commune=commune.name,
            )
        )
    _check_commune(commune)
    first, last = registration_years(clock)
    if not first <= year <= last:
        raise LevelError(
            _(
                "Năm đăng ký: chỉ đăng ký được cho năm %(first)d hoặc năm %(last)d.",
                first=first,
                last=last,
            )
        )
    if level is None or level not in LEVELS:
        raise LevelError(_("Mức đăng ký: hãy chọn một mức từ Mức độ 1 đến Mức độ 4."))
    row = _row(commune, year)
    if row.reached_level is not None:
        raise LevelError(
            _(
                "Thành phố đã ghi nhận kết quả năm %(year)d, không thay đổi được mức đăng ký.",
                year=year,
            )
        )
    row.registered_level = level
    db.session.flush()
    return row


def record_result(
    commune: Commune,
    year: int,
    reached_level: int | None,
    score: float | None,
    actor: User,
    clock: Clock,
    *,
    confirmed: bool = False,
    reason: str | None = None,
) -> CommuneLevel:
    """The city records the level ``commune`` reached in ``year`` (0: not reached) and its score.

    A level far above the registration or the progress (:mod:`tracker.services.level_checks`)
    needs ``confirmed`` and a ``reason``, which the row keeps.
    """
    if Role(actor.role) is not Role.CITY_ADMIN:
        raise LevelRefused(_("Chỉ Sở Nội vụ ghi nhận được kết quả đánh giá mức đạt chuẩn."))
    _check_commune(commune)
    current = today(clock).year
    if not FIRST_YEAR <= year <= current:
        raise LevelError(
            _(
                "Năm đánh giá: chỉ ghi nhận được kết quả các năm từ %(first)d đến %(last)d.",
                first=FIRST_YEAR,
                last=current,
            )
        )
    if reached_level is None or reached_level not in RESULT_LEVELS:
        raise LevelError(
            _("Mức đạt: hãy chọn “Chưa đạt chuẩn” hoặc một mức từ Mức độ 1 đến Mức độ 4.")
        )
    if score is None or not 0 <= score <= MAX_SCORE:
        raise LevelError(_("Điểm đánh giá: hãy nhập một số từ 0 đến 100."))
    existing = level_of(commune, year)
    found = level_checks.warnings(
        reached_level, level_checks.basis(commune, year, existing, today(clock))
    )
    text = (reason or "").strip() or None
    if text is not None and len(text) > MAX_REASON:
        raise LevelError(
            _(
                "Lý do ghi mức vượt mức đăng ký hoặc tiến độ: tối đa %(max)d ký tự.",
                max=MAX_REASON,
            )
        )
    if found and not (confirmed and text):
        raise LevelNeedsConfirmation(
            " ".join(
                [
                    *found,
                    _(
                        "Để ghi mức này, hãy đánh dấu xác nhận và ghi lý do "
                        "(Lý do ghi mức vượt mức đăng ký hoặc tiến độ)."
                    ),
                ]
            ),
            found,
        )
    row = _row(commune, year)
    row.override_reason = text if found else None
    row.reached_level = reached_level
    row.score = float(score)
    db.session.flush()
    return row
