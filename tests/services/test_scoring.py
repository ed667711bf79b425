"""The self-assessment over Bạch Đằng's scoring annex and Hòa Bình's plan without points:
the sheet, the flow of steps, and what each step refuses (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import make_user
from tracker.clock import FixedClock, today
from tracker.extensions import db
from tracker.importing import read_plan
from tracker.models import (
    AssessmentStatus,
    Commune,
    CommuneLevel,
    PlanRevision,
    Role,
    Unit,
    User,
)
from tracker.services import assessments, plan_imports, scoring
from tracker.services.assessments import ScoreEntry
from tracker.services.scoring import ScoringError, ScoringRefused

THRESHOLDS = {1: 50, 2: 65, 3: 80, 4: 90}


def _import(seeds_dir: Path, filename: str, commune_name: str, clock: FixedClock) -> Commune:
    draft = read_plan(seeds_dir / filename)
    pending = plan_imports.PendingImport(token="", filename=filename, draft=draft)
    plan, _instances = plan_imports.confirm_import(
        pending, commune_name=commune_name, actor=None, clock=clock
    )
    return plan.commune


@pytest.fixture
def bach_dang(app: Flask, seeds_dir: Path, clock: FixedClock) -> Commune:
    commune = _import(seeds_dir, "002_d308d95e65e133c3.txt", "Phường Bạch Đằng", clock)
    db.session.commit()
    return commune


def _people(commune: Commune) -> dict[str, User]:
    focal = db.session.scalars(
        select(Unit).where(Unit.commune_id == commune.id, Unit.is_focal.is_(True))
    ).one()
    centre = db.session.scalars(
        select(Unit).where(
            Unit.commune_id == commune.id, Unit.name == "Trung tâm Phục vụ hành chính công"
        )
    ).one()
    return {
        "focal": make_user(Role.FOCAL_OFFICER, commune=commune, unit=focal),
        "head": make_user(Role.UNIT_HEAD, commune=commune, unit=centre),
        "chairman": make_user(Role.CHAIRMAN, commune=commune),
        "city": make_user(Role.CITY_ADMIN),
    }


def _sheet(commune: Commune, clock: FixedClock) -> scoring.Sheet:
    return scoring.scoring_sheet(commune, 2026, today(clock), THRESHOLDS)


def test_bach_dang_sheet_has_every_scored_item_and_the_documents_subtotals(
    bach_dang: Commune, clock: FixedClock
) -> None:
    sheet = _sheet(bach_dang, clock)
    # Every leaf of the annex with points, also the "Tháng 1/2026" items that have no task.
    assert len(sheet.items) == 67
    assert all(item.points > 0 for item in sheet.items)
    groups = {g.ref: (g.stated_points, g.item_points, g.difference) for g in sheet.groups}
    assert groups == {
        "I": (24.0, 23.0, 1.0),
        "II": (24.0, 25.0, -1.0),
        "III": (None, 26.0, None),  # the document states no points for group III
        "IV": (26.0, 24.0, 2.0),
    }
    # A criterion whose items do not add up is shown as written, with the difference.
    headings = {row.ref: row for row in sheet.rows if row.is_heading}
    assert (headings["I.1"].stated_points, headings["I.1"].parts_points) == (10.0, 9.0)
    assert headings["I.1"].difference == 1.0
    assert headings["IV.5"].difference == 2.0
    assert headings["I.2"].difference is None
    assert sheet.stated_points is None  # one group states none: no document total
    assert sheet.item_points == 98.0


def test_a_plan_without_points_reports_progress_per_task(
    app: Flask, seeds_dir: Path, clock: FixedClock
) -> None:
    commune = _import(seeds_dir, "000_96978fae4b697af7.txt", "Phường Hòa Bình", clock)
    sheet = _sheet(commune, clock)
    assert not sheet.has_points and sheet.items == []
    assert len(sheet.progress) == 9
    # Every item of the annex, one due only in 2027 and 2030 with no task this year.
    assert sum(1 for row in sheet.progress if row.total == 0) == 1
    focal = _people(commune)["focal"]
    with pytest.raises(ScoringError, match="không có bảng điểm"):
        assessments.compile_assessment(sheet, focal, clock)
    with pytest.raises(ScoringError, match="Không có mục chấm điểm này"):
        assessments.propose_scores(sheet, [ScoreEntry(1, 1.0)], focal, clock)


def _score_all(sheet: scoring.Sheet, person: User, clock: FixedClock, value: float = 1.0) -> None:
    entries = [
        ScoreEntry(i.plan_item.id, min(value, i.points), "đủ minh chứng") for i in sheet.items
    ]
    assessments.propose_scores(sheet, entries, person, clock)


def test_the_whole_flow_to_a_recognised_level(bach_dang: Commune, clock: FixedClock) -> None:
    people = _people(bach_dang)
    sheet = _sheet(bach_dang, clock)
    _score_all(sheet, people["focal"], clock, value=5.0)  # full marks everywhere
    sheet = _sheet(bach_dang, clock)
    assert sheet.scored_count == 67 and sheet.self_total == 98.0
    assert sheet.self_level == 4
    assessments.compile_assessment(sheet, people["focal"], clock)
    assessments.approve_assessment(_sheet(bach_dang, clock), people["chairman"], clock)
    assessments.submit_assessment(_sheet(bach_dang, clock), people["chairman"], clock)
    sheet = _sheet(bach_dang, clock)
    assert sheet.status is AssessmentStatus.SUBMITTED
    # After submission the commune can no longer change a score.
    with pytest.raises(ScoringError, match="không sửa điểm"):
        assessments.propose_scores(
            sheet, [ScoreEntry(sheet.items[0].plan_item.id, 0.0)], people["focal"], clock
        )
    # The city appraises: 70 points in all → Mức độ 2 with these thresholds.
    entries = []
    remaining = 70.0
    for item in sheet.items:
        given = min(item.points, remaining)
        remaining -= given
        entries.append(ScoreEntry(item.plan_item.id, given, "đã kiểm tra"))
    assessments.appraise_scores(sheet, entries, people["city"], clock)
    sheet = _sheet(bach_dang, clock)
    assert sheet.appraised_total == 70.0 and sheet.appraised_level == 2
    # No task of the year is done yet: Mức độ 2 is above what the progress supports, so it
    # needs the city's confirmation and a reason, kept with the result.
    with pytest.raises(ScoringError, match="cần ít nhất 25% việc đã hoàn thành"):
        assessments.confirm_level(sheet, sheet.appraised_level, people["city"], clock)
    assessments.confirm_level(
        sheet,
        sheet.appraised_level,
        people["city"],
        clock,
        confirmed=True,
        reason="Điểm thẩm định đạt ngưỡng Mức độ 2",
    )
    db.session.commit()
    level = db.session.scalars(
        select(CommuneLevel).where(CommuneLevel.commune_id == bach_dang.id)
    ).one()
    assert (level.reached_level, level.score) == (2, 70.0)
    assert level.override_reason == "Điểm thẩm định đạt ngưỡng Mức độ 2"
    assert _sheet(bach_dang, clock).status is AssessmentStatus.RECOGNISED


def test_a_unit_head_scores_only_the_items_its_unit_leads(
    bach_dang: Commune, clock: FixedClock
) -> None:
    people = _people(bach_dang)
    sheet = _sheet(bach_dang, clock)
    own = next(i for i in sheet.items if assessments.may_score_item(people["head"], i))
    other = next(i for i in sheet.items if not assessments.may_score_item(people["head"], i))
    assert (
        assessments.propose_scores(
            sheet, [ScoreEntry(own.plan_item.id, own.points, "ảnh niêm yết")], people["head"], clock
        )
        == 1
    )
    with pytest.raises(ScoringError, match=f"Mục {other.plan_item.ref} không do đơn vị"):
        assessments.propose_scores(
            _sheet(bach_dang, clock), [ScoreEntry(other.plan_item.id, 0.5)], people["head"], clock
        )


def test_scores_are_checked_before_any_is_kept(bach_dang: Commune, clock: FixedClock) -> None:
    people = _people(bach_dang)
    sheet = _sheet(bach_dang, clock)
    first, second = sheet.items[0], sheet.items[1]
    with pytest.raises(ScoringError, match=f"mục {second.plan_item.ref}: điểm phải từ 0 đến 1"):
        assessments.propose_scores(
            sheet,
            [ScoreEntry(first.plan_item.id, 1.0), ScoreEntry(second.plan_item.id, 1.5)],
            people["focal"],
            clock,
        )
    db.session.rollback()
    assert _sheet(bach_dang, clock).scored_count == 0


def test_steps_in_the_wrong_order_or_by_the_wrong_person_are_refused(
    bach_dang: Commune, clock: FixedClock
) -> None:
    people = _people(bach_dang)
    sheet = _sheet(bach_dang, clock)
    with pytest.raises(ScoringError, match="Còn 67 mục chưa tự chấm"):
        assessments.compile_assessment(sheet, people["focal"], clock)
    with pytest.raises(ScoringRefused):
        assessments.compile_assessment(sheet, people["chairman"], clock)
    with pytest.raises(ScoringError, match="cán bộ đầu mối tổng hợp"):
        assessments.approve_assessment(sheet, people["chairman"], clock)
    with pytest.raises(ScoringError, match="chưa gửi"):
        assessments.appraise_scores(sheet, [], people["city"], clock)
    with pytest.raises(ScoringRefused):
        assessments.submit_assessment(sheet, people["city"], clock)


def test_the_chairman_and_the_city_send_it_back_with_a_reason(
    bach_dang: Commune, clock: FixedClock
) -> None:
    people = _people(bach_dang)
    _score_all(_sheet(bach_dang, clock), people["focal"], clock)
    assessments.compile_assessment(_sheet(bach_dang, clock), people["focal"], clock)
    with pytest.raises(ScoringError, match="Lý do trả lại"):
        assessments.send_back(_sheet(bach_dang, clock), "  ", people["chairman"], clock)
    assessments.send_back(_sheet(bach_dang, clock), "Bổ sung ảnh", people["chairman"], clock)
    assert _sheet(bach_dang, clock).status is AssessmentStatus.DRAFT
    assessments.compile_assessment(_sheet(bach_dang, clock), people["focal"], clock)
    assessments.approve_assessment(_sheet(bach_dang, clock), people["chairman"], clock)
    assessments.submit_assessment(_sheet(bach_dang, clock), people["focal"], clock)
    assessments.return_assessment(
        _sheet(bach_dang, clock), "Thiếu minh chứng mục I.2", people["city"], clock
    )
    sheet = _sheet(bach_dang, clock)
    assert sheet.status is AssessmentStatus.RETURNED
    assert (
        sheet.assessment is not None
        and sheet.assessment.return_reason == "Thiếu minh chứng mục I.2"
    )
    # Returned: the commune scores again.
    item = sheet.items[0]
    assert (
        assessments.propose_scores(
            sheet, [ScoreEntry(item.plan_item.id, 0.0)], people["focal"], clock
        )
        == 1
    )


def test_points_parse_and_format_in_the_pages_language() -> None:
    assert scoring.parse_points("1,5", "vi", "Mục 1") == 1.5
    assert scoring.parse_points("1.5", "en", "Item 1") == 1.5
    assert scoring.parse_points(" ", "vi", "Mục 1") is None
    with pytest.raises(ScoringError, match="có phải là “1,5”"):
        scoring.parse_points("1.5", "vi", "Mục 1")
    with pytest.raises(ScoringError, match="không phải là một số"):
        scoring.parse_points("một", "vi", "Mục 1")
    assert scoring.format_points(1.5, "vi") == "1,5"
    assert scoring.format_points(2.0, "vi") == "2"


def test_levels_follow_the_configured_thresholds() -> None:
    assert scoring.level_for(49.5, THRESHOLDS) == 0
    assert scoring.level_for(50, THRESHOLDS) == 1
    assert scoring.level_for(89.99, THRESHOLDS) == 3
    assert scoring.level_for(95, THRESHOLDS) == 4
    assert scoring.level_for(95, None) is None  # QĐ 5049's thresholds are not configured
    with pytest.raises(ValueError, match="each of Mức độ 1, 2, 3 and 4"):
        scoring.checked_thresholds({1: 50, 2: 60})
    with pytest.raises(ValueError, match="higher level"):
        scoring.checked_thresholds({1: 50, 2: 40, 3: 80, 4: 90})


def test_the_thresholds_setting_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.config import default_config

    monkeypatch.setenv("LEVEL_THRESHOLDS", "1:50,2:65,3:80,4:90")
    assert default_config()["LEVEL_THRESHOLDS"] == {1: 50.0, 2: 65.0, 3: 80.0, 4: 90.0}
    monkeypatch.delenv("LEVEL_THRESHOLDS")
    assert default_config()["LEVEL_THRESHOLDS"] is None


def test_a_row_removed_in_a_revision_is_not_among_the_points_possible(
    bach_dang: Commune, clock: FixedClock
) -> None:
    before = _sheet(bach_dang, clock)
    dropped = before.items[0].plan_item
    plan = dropped.plan
    revision = PlanRevision(plan_id=plan.id, source_name="sua-doi.txt", title="Sửa đổi",
                            amended_at=clock.now(), summary={"removed": 1})
    db.session.add(revision)
    db.session.flush()
    dropped.removed_in_id = revision.id
    db.session.flush()
    after = _sheet(bach_dang, clock)
    assert len(after.items) == len(before.items) - 1
    assert after.item(dropped.id) is None
    assert after.item_points == before.item_points - dropped.points
