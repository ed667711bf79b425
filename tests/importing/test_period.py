"""A plan that states no period: which year is assumed, and where the warning points."""

from __future__ import annotations

import io

from docx import Document

from tests.importing.conftest import BACH_DANG
from tracker.importing import PlanDraft, messages, read_plan_bytes
from tracker.importing.decoding import docx_lines

_ANNEX = (
    "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp\n"
    "1\tBáo cáo kết quả thực hiện\tTháng 12 hằng năm\tPhòng Văn hóa - Xã hội\t\n"
)
_PERIOD_TEMPLATES = (messages.NO_PERIOD, messages.NO_PERIOD_ISSUE_YEAR, messages.NO_PERIOD_NO_YEAR)


def _period_warnings(draft: PlanDraft) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in draft.warnings if w.template in _PERIOD_TEMPLATES]


def test_bach_dang_warning_points_at_the_title(bach_dang: PlanDraft) -> None:
    lines = BACH_DANG.read_text(encoding="utf-8").split("\n")
    [(line, message)] = _period_warnings(bach_dang)
    assert lines[line - 1] == "Xây dựng mô hình “Chính quyền thân thiện”"
    assert message == "kế hoạch không ghi giai đoạn; lấy năm ban hành 2026"
    assert (bach_dang.period.start, bach_dang.period.end) == (2026, 2026)


def test_without_a_title_the_warning_points_at_the_issue_date() -> None:
    text = "Số: 38/KH-UBND\n\nBạch Đằng, ngày 05 tháng 02 năm 2026\n\n" + _ANNEX
    draft = read_plan_bytes(text.encode(), "bang.txt")
    assert _period_warnings(draft) == [(3, "kế hoạch không ghi giai đoạn; lấy năm ban hành 2026")]


def test_without_an_issue_date_the_warning_points_at_the_year_it_took() -> None:
    text = "Số: 38/KH-UBND\n\nBáo cáo kết quả năm 2027\n\n" + _ANNEX
    draft = read_plan_bytes(text.encode(), "bang.txt")
    assert _period_warnings(draft) == [(3, "kế hoạch không ghi giai đoạn; lấy năm 2027")]
    assert draft.period.start == 2027


def test_in_a_word_document_the_warning_points_at_the_title_paragraph() -> None:
    document = Document()
    for paragraph in BACH_DANG.read_text(encoding="utf-8").split("\n")[:12]:
        if paragraph.strip():
            document.add_paragraph(paragraph)
    document.add_paragraph("")
    rows = [line.split("\t") for line in _ANNEX.rstrip("\n").split("\n")]
    table = document.add_table(rows=0, cols=5)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    draft = read_plan_bytes(buffer.getvalue(), "bach-dang.docx")
    [(line, message)] = _period_warnings(draft)
    assert docx_lines(buffer.getvalue(), "bach-dang.docx")[line - 1] == (
        "Xây dựng mô hình “Chính quyền thân thiện”"
    )
    assert message.endswith("lấy năm ban hành 2026")
