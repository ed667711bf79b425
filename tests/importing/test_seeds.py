"""The five seed documents import with every task, unit, phrase and point right."""

from __future__ import annotations

import datetime as dt

from tracker.cadence import Kind
from tracker.importing import ImportWarning, PlanDraft, TaskDraft, messages
from tracker.importing.unit_register import ALL_UNITS, FOCAL_UNIT, MASS_ORGANISATIONS
from tracker.importing.units import unit_meant_by

VP = "Văn phòng HĐND và UBND"
PVHCC = "Trung tâm Phục vụ hành chính công"
DVSNC = "Trung tâm Dịch vụ sự nghiệp công"


def _task(draft: PlanDraft, ref: str) -> TaskDraft:
    return next(t for t in draft.tasks if t.ref == ref)


def _meant(names: list[str]) -> list[str]:
    """The register units the names mean: a collective keeps its wording, not its meaning."""
    meant = [unit_meant_by(name) for name in names]
    return [unit.name if unit else name for unit, name in zip(meant, names, strict=True)]


def _messages(draft: PlanDraft) -> list[str]:
    return [w.message for w in draft.warnings]


def _with(draft: PlanDraft, *templates: str) -> list[ImportWarning]:
    return [w for w in draft.warnings if w.template in templates]


# ---------------------------------------------------------------- Hòa Bình


def test_hoa_binh_title_block(hoa_binh: PlanDraft) -> None:
    assert hoa_binh.issuer == "phường Hòa Bình"
    assert hoa_binh.commune == "Phường Hòa Bình"
    assert hoa_binh.number == "102/KH-UBND"
    assert hoa_binh.issued_on == dt.date(2026, 4, 17)
    assert hoa_binh.title == (
        "Triển khai thực hiện mô hình “Chính quyền thân thiện” tại phường Hòa Bình "
        "giai đoạn 2026 - 2030 và những năm tiếp theo"
    )
    assert (hoa_binh.period.start, hoa_binh.period.end, hoa_binh.period.open_ended) == (
        2026,
        2030,
        True,
    )
    assert [(d.kind, d.number, d.issued_on) for d in hoa_binh.implements] == [
        ("Quyết định", "1376/QĐ-UBND", dt.date(2026, 4, 9)),
        ("Kế hoạch", "119/KH-UBND", dt.date(2026, 4, 9)),
    ]
    assert [(t.from_year, t.to_year, t.level) for t in hoa_binh.targets] == [
        (2026, 2026, None),
        (2027, 2027, 2),
        (2030, 2030, 3),
    ]


def test_hoa_binh_tasks(hoa_binh: PlanDraft) -> None:
    assert [t.ref for t in hoa_binh.tasks] == [str(n) for n in range(1, 10)]
    first = _task(hoa_binh, "1")
    assert first.title.startswith("Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện")
    assert first.time_text == "Hằng năm"
    assert first.cadence.kind is Kind.YEARLY
    assert first.lead_units == [DVSNC]
    assert _meant(first.coordinating_units) == [ALL_UNITS]
    assert first.points is None and first.evidence is None and first.group is None
    third = _task(hoa_binh, "3")
    assert third.time_text == "Trước ngày 15/02 hằng năm"
    assert third.lead_units == [FOCAL_UNIT]
    assert _task(hoa_binh, "4").cadence.kind is Kind.ONGOING
    assert _meant(_task(hoa_binh, "4").lead_units) == [ALL_UNITS]
    assert _task(hoa_binh, "6").coordinating_units == [VP]
    assert _task(hoa_binh, "8").lead_units == ["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert _task(hoa_binh, "9").lead_units == [VP, PVHCC]


def test_hoa_binh_deadline_before_issue_is_reported(hoa_binh: PlanDraft) -> None:
    early = _with(hoa_binh, messages.DEADLINE_BEFORE_ISSUE)
    assert [w.line for w in early] == [124]
    # "Trước ngày 15/02": 14/2/2026 is a Saturday, moved back to Friday 13/2 (a "trước"
    # deadline is never due on or after the day named)
    assert early[0].params == {"ref": "3", "dates": "13/02/2026", "issued": "17/04/2026"}
    assert early[0].message == (
        "nhiệm vụ 3: hạn 13/02/2026 đã qua trước ngày ban hành kế hoạch (17/04/2026) "
        "nên không tính là quá hạn"
    )


def test_hoa_binh_due_dates_in_a_window(hoa_binh: PlanDraft) -> None:
    data = hoa_binh.to_json(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    by_ref = {t["ref"]: t for t in data["tasks"]}
    assert by_ref["1"]["due_dates"] == ["2027-12-31"]
    assert all(d.startswith("2027-") for t in data["tasks"] for d in t["due_dates"])
    assert by_ref["5"]["due_dates"] and by_ref["5"]["due_dates"][0] <= "2027-11-16"


# ---------------------------------------------------------------- Phú Thái


def test_phu_thai_blank_number_and_day(phu_thai: PlanDraft) -> None:
    assert phu_thai.issuer == "xã Phú Thái"
    assert phu_thai.commune == "Xã Phú Thái"
    assert phu_thai.number is None
    assert phu_thai.issued_on is None
    assert phu_thai.issued_month == (2026, 4)
    assert (3, "số văn bản để trống") in [(w.line, w.message) for w in phu_thai.warnings]
    assert (5, "ngày ban hành để trống") in [(w.line, w.message) for w in phu_thai.warnings]
    assert [w.template for w in phu_thai.warnings] == [messages.NUMBER_BLANK, messages.DATE_BLANK]
    assert phu_thai.context().issued_month == (2026, 4)


def test_phu_thai_section_tasks(phu_thai: PlanDraft) -> None:
    assert [t.ref for t in phu_thai.tasks] == ["1", "2", "3", "4", "5", "6"]
    fourth = _task(phu_thai, "4")
    assert fourth.title == (
        "Nâng cao đạo đức công vụ, trách nhiệm phục vụ Nhân dân của đội ngũ cán bộ, công chức; "
        "xây dựng hình ảnh cán bộ, công chức “Trọng dân, gần dân, hiểu dân, học dân và có "
        "trách nhiệm với dân”"
    )
    assert _meant(fourth.lead_units) == [ALL_UNITS]
    assert fourth.time_text == "Hằng năm"
    fifth = _task(phu_thai, "5")
    assert fifth.lead_units == [FOCAL_UNIT, "Ủy ban MTTQ Việt Nam"]
    assert _meant(fifth.coordinating_units) == [ALL_UNITS, MASS_ORGANISATIONS]
    sixth = _task(phu_thai, "6")
    assert sixth.title == "Thực hiện Bộ tiêu chí “Chính quyền thân thiện”"
    assert sixth.time_text == "Từ năm 2026"
    assert _meant(sixth.lead_units) == [ALL_UNITS, MASS_ORGANISATIONS]


def test_phu_thai_targets_table(phu_thai: PlanDraft) -> None:
    assert [(t.from_year, t.to_year, t.level) for t in phu_thai.targets] == [
        (2026, 2026, 4),
        (2027, None, 4),
        (2028, 2030, 4),
        (2031, None, None),
    ]


# ---------------------------------------------------------------- Bạch Đằng


def test_bach_dang_title_block(bach_dang: PlanDraft) -> None:
    assert bach_dang.issuer == "phường Bạch Đằng"
    assert bach_dang.number == "38/KH-UBND"
    assert bach_dang.issued_on == dt.date(2026, 2, 5)
    assert [d.number for d in bach_dang.implements] == ["5049/QĐ-UBND", "371/QĐ-UBND", "06-NQ/ĐU"]
    assert bach_dang.implements[0].issued_on == dt.date(2025, 12, 11)


def test_bach_dang_leaves_are_the_tasks(bach_dang: PlanDraft) -> None:
    assert len(bach_dang.tasks) == 67
    groups = {t.group for t in bach_dang.tasks}
    assert len(groups) == 4
    assert sum(t.points or 0 for t in bach_dang.tasks) == 98
    first = _task(bach_dang, "I.1.a")
    assert first.title == (
        "Công khai cam kết không gây phiền hà, sách nhiễu, tiêu cực trong thực hiện nhiệm vụ, "
        "công vụ"
    )
    assert first.group == "TIÊU CHÍ 1: CHÍNH QUYỀN CÔNG KHAI, MINH BẠCH"
    assert first.time_text == "Cả năm"
    assert first.points == 1
    assert first.lead_units == [PVHCC]
    assert _meant(first.coordinating_units) == [ALL_UNITS]
    assert first.evidence == "Các văn bản/ hình ảnh hoạt động triển khai thực hiện"


def test_bach_dang_cell_continued_over_a_page_break(bach_dang: PlanDraft) -> None:
    condolences = _task(bach_dang, "II.4.b")
    assert condolences.title.startswith("Tổ chức thăm hỏi, phúng viếng")
    assert condolences.lead_units == [VP, PVHCC]


def test_bach_dang_misplaced_row_numbers(bach_dang: PlanDraft) -> None:
    posting = _task(bach_dang, "I.2.a")
    assert posting.title == "Niêm yết thường xuyên tại Trung tâm Phục vụ hành chính công phường;"
    slogans = _task(bach_dang, "IV.4.a")
    assert slogans.time_text == "Tháng 1/2026"
    assert slogans.cadence.kind is Kind.ONCE
    moved = _with(bach_dang, messages.NUMBER_MOVED_UP)
    assert [w.line for w in moved] == [557, 641]
    assert moved[0].message == (
        "số thứ tự 2 nằm ở ý đầu tiên của “Hình thức công khai đa dạng” (dòng 556); "
        "đã chuyển lên tiêu chí đó"
    )


def test_bach_dang_sample_rows(bach_dang: PlanDraft) -> None:
    holidays = _task(bach_dang, "II.5")
    assert holidays.time_text == "Nhân các ngày lễ lớn, và tết nguyên đán"
    assert holidays.cadence.kind is Kind.HOLIDAYS
    assert holidays.points == 1
    youth = _task(bach_dang, "II.3")
    assert youth.lead_units == [PVHCC, "Đoàn Thanh niên"]
    assert youth.evidence == "Các văn bản/ hình ảnh hoạt động triển khai thực hiện"
    discipline = _task(bach_dang, "III.2.6")
    assert discipline.time_text == "Trước 1/12"
    assert discipline.evidence == "Báo cáo UBND"
    survey = _task(bach_dang, "II.7.b")
    assert survey.time_text == "Quý IV"
    assert survey.points == 2
    assert _task(bach_dang, "I.1.h").lead_units == ["Phòng Kinh tế, Hạ tầng và Đô thị", FOCAL_UNIT]
    assert _task(bach_dang, "IV.2.d").coordinating_units == []
    assert _task(bach_dang, "IV.4.c").lead_units == [DVSNC]


def test_bach_dang_point_discrepancies(bach_dang: PlanDraft) -> None:
    points = _with(bach_dang, messages.POINTS_DO_NOT_ADD_UP, messages.POINTS_NOT_STATED)
    assert [(w.line, w.message.split("“")[0]) for w in points] == [
        (544, "điểm không khớp: I.1 "),
        (571, "điểm không khớp: II "),
        (592, "điểm: III "),
        (644, "điểm không khớp: IV.5 "),
    ]
    assert "ghi 10 điểm, các ý cộng lại được 9 điểm" in points[0].message
    assert "ghi 24 điểm, các ý cộng lại được 25 điểm" in points[1].message
    assert "không ghi điểm; các ý cộng lại được 26 điểm" in points[2].message
    assert "ghi 7 điểm, các ý cộng lại được 5 điểm" in points[3].message
    assert [(w.params["ref"], w.params.get("points"), w.params["total"]) for w in points] == [
        ("I.1", "10", "9"),
        ("II", "24", "25"),
        ("III", None, "26"),
        ("IV.5", "7", "5"),
    ]


def test_bach_dang_criteria_tree(bach_dang: PlanDraft) -> None:
    assert [(c.ref, c.points, c.children_points) for c in bach_dang.criteria] == [
        ("I", 24, 24),
        ("II", 24, 25),
        ("III", None, 26),
        ("IV", 26, 26),
    ]
    third = bach_dang.criteria[2]
    leader = third.children[0]
    assert (leader.ref, leader.points) == ("III.1", 15)
    assert [(c.ref, c.points) for c in leader.children] == [
        ("III.1.1", 3),
        ("III.1.2", 3),
        ("III.1.3", 3),
        ("III.1.4", 6),
    ]
    assert leader.children[0].task_ref is None
    assert leader.children[0].children[0].task_ref == "III.1.1.a"
    leaves = []

    def walk(nodes: list) -> None:  # type: ignore[type-arg]
        for node in nodes:
            if node.children:
                walk(node.children)
            else:
                leaves.append(node.task_ref)

    walk(bach_dang.criteria)
    assert leaves == [t.ref for t in bach_dang.tasks]


def test_bach_dang_missing_time_is_reported(bach_dang: PlanDraft) -> None:
    camera = _task(bach_dang, "IV.3.e")
    assert camera.title == "Có camera giám sát"
    assert camera.time_text == ""
    assert "nhiệm vụ IV.3.e không ghi thời gian thực hiện" in _messages(bach_dang)
    assert [w.params for w in _with(bach_dang, messages.NO_TIME_PHRASE)] == [{"ref": "IV.3.e"}]


# ---------------------------------------------------------------- the city


def test_city_decision(city: PlanDraft) -> None:
    assert city.issuer == "UBND thành phố Hải Phòng"
    assert city.commune is None
    assert city.document_type == "Quyết định"
    assert city.number is None and city.issued_on is None and city.issued_month is None
    assert [t.ref for t in city.tasks] == ["1", "2", "3", "4", "5", "6.1", "6.2", "6.3"]
    first = _task(city, "1")
    assert _meant(first.lead_units) == ["Đảng ủy", "Ủy ban nhân dân các xã, phường, đặc khu"]
    assert _meant(first.coordinating_units) == ["Các sở, ban, ngành thành phố"]
    fifth = _task(city, "5")
    assert fifth.lead_units == [
        "Sở Nội vụ",
        "Ủy ban MTTQ Việt Nam thành phố",
        "Ban Tuyên giáo và Dân vận Thành ủy",
    ]
    assert _task(city, "6.1").title == "Bộ tiêu chí"
    assert _task(city, "6.2").time_text == "Từ năm 2026"
    assert [d.number for d in city.implements] == [
        "04-ĐA/TU",
        "05-NQ/TU",
        "05-NQ/ĐU",
        "01/CTr-UBND",
        "291/TTr-SNV",
    ]


def test_city_targets(city: PlanDraft) -> None:
    assert [(t.from_year, t.to_year, t.level, t.share_percent) for t in city.targets] == [
        (2026, 2026, None, 80),
        (2026, 2026, 4, 20),
        (2027, None, None, 100),
        (2027, 2027, 4, 30),
        (2030, 2030, 4, 50),
    ]


# ---------------------------------------------------------------- Vĩnh Bảo


def test_vinh_bao_repaired_title_block(vinh_bao: PlanDraft) -> None:
    assert vinh_bao.issuer == "xã Vĩnh Bảo"
    assert vinh_bao.commune == "Xã Vĩnh Bảo"
    assert vinh_bao.number == "761/KH-UBND"
    assert vinh_bao.issued_on == dt.date(2026, 4, 6)
    assert vinh_bao.document_type == "Phụ lục"
    assert vinh_bao.title == (
        "PHỤ LỤC NHIỆM VỤ CỤ THỂ Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn "
        "xã Vĩnh Bảo giai đoạn 2026 - 2030 và những năm tiếp theo"
    )
    assert vinh_bao.period.open_ended
    assert vinh_bao.implements == []


def test_vinh_bao_broken_table(vinh_bao: PlanDraft) -> None:
    assert [t.ref for t in vinh_bao.tasks] == ["1", "2", "3", "4", "6", "7", "8", "9", "10"]
    third = _task(vinh_bao, "3")
    assert third.time_text == "Trước ngày 15/02 hằng năm"
    assert _meant(third.coordinating_units) == [ALL_UNITS]
    fourth = _task(vinh_bao, "4")
    assert _meant(fourth.lead_units) == [ALL_UNITS]
    assert fourth.coordinating_units == [FOCAL_UNIT]
    report = _task(vinh_bao, "7")
    assert report.title == (
        "Báo cáo kết quả triển khai thực hiện Chính quyền thân thiện xã trên địa bàn xã."
    )
    assert report.time_text == "Tháng 12 hằng năm"
    assert _task(vinh_bao, "8").lead_units == ["Phòng Kinh tế"]
    last = _task(vinh_bao, "10")
    assert last.time_text == "Năm 2027 và năm 2030"
    assert last.lead_units == [FOCAL_UNIT]
    assert _meant(last.coordinating_units) == [
        "Ban Xây dựng Đảng", "Ủy ban MTTQ Việt Nam", ALL_UNITS,
    ]  # fmt: skip
    assert last.cadence.kind is Kind.ONCE


def test_vinh_bao_stray_fragment_is_not_a_second_task(vinh_bao: PlanDraft) -> None:
    reviews = [t for t in vinh_bao.tasks if t.title.startswith("Sơ kết 2 năm")]
    assert len(reviews) == 1
    assert "Ban Tuyên giáo và Dân vận Thành ủy" not in reviews[0].coordinating_units
    assert _task(vinh_bao, "9").title.endswith("tạo điều kiện tốt nhất cho người dân, doanh nghiệp")
    stray = [w for w in vinh_bao.warnings if w.line == 108]
    assert [w.template for w in stray] == [messages.STRAY_FRAGMENT, messages.DUPLICATED_ROW]
    assert stray[0].params["owner_line"] == 88 and stray[1].params["twin_line"] == 94
    assert stray[0].message.startswith("đoạn chữ lạc “của Trung tâm phục vụ hành chính công")
    first_copies = [t for t in vinh_bao.tasks if t.title.startswith("Tuyên truyền, phổ biến")]
    assert len(first_copies) == 1
    assert any(w.line == 129 and w.message.startswith("dòng trùng") for w in vinh_bao.warnings)


def test_vinh_bao_row_number_doubts(vinh_bao: PlanDraft) -> None:
    found = {(w.line, w.message) for w in vinh_bao.warnings}
    assert (28, "thiếu số thứ tự; đánh số 2 theo vị trí của dòng") in found
    assert (53, "số thứ tự nhảy từ 4 lên 6") in found
    assert (72, "số thứ tự 7 đứng sau dòng của nó (dòng 64); đã chuyển về dòng đó") in found
    jump = _with(vinh_bao, messages.NUMBERS_JUMP)
    assert [(w.line, w.params) for w in jump] == [(53, {"previous": 4, "number": 6})]


# ---------------------------------------------------------------- every seed


def test_task_counts(
    hoa_binh: PlanDraft,
    phu_thai: PlanDraft,
    bach_dang: PlanDraft,
    city: PlanDraft,
    vinh_bao: PlanDraft,
) -> None:
    counts = [len(d.tasks) for d in (hoa_binh, phu_thai, bach_dang, city, vinh_bao)]
    assert counts == [9, 6, 67, 8, 9]


def test_every_seed_phrase_is_understood_and_every_unit_known(
    hoa_binh: PlanDraft,
    phu_thai: PlanDraft,
    bach_dang: PlanDraft,
    city: PlanDraft,
    vinh_bao: PlanDraft,
) -> None:
    for draft in (hoa_binh, phu_thai, bach_dang, city, vinh_bao):
        doubts = _with(
            draft, messages.NO_LEAD_UNIT, messages.UNKNOWN_UNIT, messages.UNKNOWN_TIME_PHRASE
        )
        assert doubts == [], draft.source
        for task in draft.tasks:
            assert task.cadence.understood or task.time_text == "", (draft.source, task.ref)


def test_json_contract(bach_dang: PlanDraft) -> None:
    data = bach_dang.to_json(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert data["source"] == "002_d308d95e65e133c3.txt"
    assert data["issued_on"] == "2026-02-05"
    assert data["period"] == {"from": 2026, "to": 2026, "open_ended": False}
    task = data["tasks"][0]
    assert set(task) >= {
        "ref",
        "title",
        "group",
        "cadence",
        "lead_units",
        "coordinating_units",
        "points",
        "evidence",
        "due_dates",
    }
    assert set(task["cadence"]) == {"text", "kind", "rrule"}
    assert task["due_dates"] == ["2026-12-31"]
    assert data["criteria"][0]["children"][0]["points"] == 10
    assert {"line", "message"} == set(data["warnings"][0])
    no_period = "kế hoạch không ghi giai đoạn; lấy năm ban hành 2026"
    assert data["warnings"][0] == {"line": 8, "message": no_period}  # the title's line
