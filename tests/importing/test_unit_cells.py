"""RegisterUnit cells whose units sit on separate lines: a separator, or one name broken in two.

In Word an annex often lists a cell's units one per paragraph with nothing between them;
in a .txt a line break inside a cell may do the same, or may only break one long name
("Phòng Văn hóa" / "- Xã hội", "Văn phòng HĐND và UBND; Trung" / "tâm Phục vụ…" across a
page). Either way the units are the same and no name is doubted.
"""

from __future__ import annotations

import io

from docx import Document
from docx.table import _Cell

from tracker.importing import PlanDraft, messages, read_plan_bytes

_HEAD = (
    "ỦY BAN NHÂN DÂN\nXÃ VĨNH BẢO\nSố: 761/KH-UBND\nVĩnh Bảo, ngày 06 tháng 4 năm 2026\n"
    "KẾ HOẠCH\nTriển khai mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo năm 2026\n"
)
_LABELS = ("STT", "Nhiệm vụ cụ thể", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp")

DVSNC = "Trung tâm Dịch vụ sự nghiệp công"
PVHCC = "Trung tâm Phục vụ hành chính công"
XDD = "Ban Xây dựng Đảng"
MTTQ = "Ủy ban MTTQ Việt Nam"
VP = "Văn phòng HĐND và UBND"
FOCAL = "Phòng Văn hóa - Xã hội"

# (lead paragraphs, coordinating paragraphs, lead units, coordinating units)
_ROWS = (
    (
        ["Trung tâm Dịch vụ sự nghiệp công", "Ban Xây dựng Đảng ủy", "Ủy ban MTTQ Việt Nam xã"],
        ["Văn phòng HĐND và UBND", "Công an xã", "Đoàn Thanh niên"],
        [DVSNC, XDD, MTTQ],
        [VP, "Công an", "Đoàn Thanh niên"],
    ),
    (
        ["Ban Xây dựng Đảng", "Ủy ban Mặt trận Tổ quốc Việt Nam xã"],
        ["Ban Xây dựng Đảng", "Ủy ban MTTQ Việt Nam", "Hội Liên hiệp Phụ nữ", "Hội Nông dân"],
        [XDD, MTTQ],
        [],  # the lead units again, then the rest
    ),
    (
        ["Phòng Văn hóa - Xã hội"],
        ["Trung tâm Phục vụ hành chính công", "Ban Xây dựng Đảng", "Ủy ban nhân dân thành phố"],
        [FOCAL],
        [PVHCC, XDD, "Ủy ban nhân dân thành phố"],
    ),
)


def _unit_warnings(draft: PlanDraft) -> list[str]:
    return [w.message for w in draft.warnings if w.template == messages.UNKNOWN_UNIT]


def _paragraphs(cell: _Cell, texts: list[str]) -> None:
    cell.text = texts[0]
    for text in texts[1:]:
        cell.add_paragraph(text)


def test_word_cell_with_one_unit_a_paragraph_and_no_separators() -> None:
    document = Document()
    for line in _HEAD.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=5)
    for cell, label in zip(table.rows[0].cells, _LABELS, strict=True):
        cell.text = label
    for number, (lead, coordinating, _, _) in enumerate(_ROWS, 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(number), f"Nhiệm vụ {number}", "Hằng năm"
        _paragraphs(cells[3], lead)
        _paragraphs(cells[4], coordinating)
    buffer = io.BytesIO()
    document.save(buffer)
    draft = read_plan_bytes(buffer.getvalue(), "phu-luc.docx")

    assert [t.lead_units for t in draft.tasks] == [row[2] for row in _ROWS]
    assert draft.tasks[0].coordinating_units == _ROWS[0][3]
    assert draft.tasks[1].coordinating_units == ["Hội Liên hiệp Phụ nữ", "Hội Nông dân"]
    assert draft.tasks[2].coordinating_units == _ROWS[2][3]
    assert _unit_warnings(draft) == []


def test_text_cell_broken_over_lines() -> None:
    """A tabbed .txt: a cell carried on to the next page, and a name wrapped onto a line."""
    rows = (
        "\t".join(_LABELS),
        # One name broken across a page break: still one unit.
        "1\tNhiệm vụ 1\tHằng năm\tVăn phòng HĐND và UBND; Trung\tCông an xã",
        "\t".join(_LABELS),
        "\t\t\ttâm Phục vụ hành chính công\t",
        # Two units, one a page, nothing between them: two units.
        "2\tNhiệm vụ 2\tHằng năm\tBan Xây dựng Đảng\tĐoàn Thanh niên",
        "\t\t\tỦy ban MTTQ Việt Nam xã\t",
        # A name wrapped onto a line of its own: still one unit.
        "3\tNhiệm vụ 3\tHằng năm\tCông an xã\tPhòng Văn hóa",
        "- Xã hội",
        "4\tNhiệm vụ 4\tHằng năm\tĐoàn Thanh niên\t",
    )
    text = _HEAD + "\n" + "\n".join(rows) + "\n"
    draft = read_plan_bytes(text.encode(), "ke-hoach.txt")

    assert [(t.lead_units, t.coordinating_units) for t in draft.tasks] == [
        ([VP, PVHCC], ["Công an"]),
        ([XDD, MTTQ], ["Đoàn Thanh niên"]),
        (["Công an"], [FOCAL]),
        (["Đoàn Thanh niên"], []),
    ]
    assert _unit_warnings(draft) == []
