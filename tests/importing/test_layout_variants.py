"""Two header details (a year in the time label, a row of column numbers under the header)
in every layout the importer reads, and a scanned PDF made of an image only.

``test_layouts.py`` has each family once on tab rows; a detail of the header has to hold
whichever way the table reached us, so each is read here as tab rows, one cell a line
(docx2txt), ``|``-boxed rows (antiword), ``pdftotext -layout`` columns and a .docx table.
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from PIL import Image, ImageDraw  # pdfplumber's own dependency: always there beside it

from tracker.importing import PlanDraft, PlanImportError, messages, read_plan_bytes

_HEAD = (
    "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 214/KH-UBND\tNinh Bình, ngày 20 tháng 11 năm 2026\n\n"
    "KẾ HOẠCH\n\nChuyển đổi số trong cơ quan nhà nước năm 2027\n\n"
)
# What every layout below must read: the year of the label "Thời gian (Năm 2027)" is
# added to phrases that name none, and the row "(1) (2) (3) (4)" is no task.
_EXPECTED = [
    ("1", "Rà soát hạ tầng mạng", "tháng 3 năm 2027", ["Sở Khoa học và Công nghệ"]),
    ("2", "Tập huấn kỹ năng số", "Quý III/2027", ["Sở Nội vụ"]),
]


def _read(text: str) -> PlanDraft:
    return read_plan_bytes(text.encode(), "ke-hoach.txt")


def _read_tasks(draft: PlanDraft) -> list[tuple[str, str, str | None, list[str]]]:
    return [(t.ref, t.title, t.time_text, t.lead_units) for t in draft.tasks]


def _no_odd_rows(draft: PlanDraft) -> None:
    odd = (messages.ODD_ROW, messages.INCOMPLETE_ROW)
    assert [w for w in draft.warnings if w.template in odd] == []


def test_tab_rows() -> None:
    table = (
        "STT\tNội dung công việc\tThời gian (Năm 2027)\tĐơn vị chủ trì\n"
        "(1)\t(2)\t(3)\t(4)\n"
        "1\tRà soát hạ tầng mạng\ttháng 3\tSở Khoa học và Công nghệ\n"
        "2\tTập huấn kỹ năng số\tQuý III/2027\tSở Nội vụ\n"
    )
    draft = _read(_HEAD + table)
    assert _read_tasks(draft) == _EXPECTED
    _no_odd_rows(draft)


def test_one_cell_a_line() -> None:
    lines = [
        "STT", "Nội dung công việc", "Thời gian (Năm 2027)", "Đơn vị chủ trì",
        "(1)", "(2)", "(3)", "(4)",
        "1", "Rà soát hạ tầng mạng", "tháng 3", "Sở Khoa học và Công nghệ",
        "2", "Tập huấn kỹ năng số", "Quý III/2027", "Sở Nội vụ",
    ]  # fmt: skip
    draft = _read(_HEAD + "\n".join(f"      {line}" for line in lines) + "\n")
    assert _read_tasks(draft) == _EXPECTED
    _no_odd_rows(draft)


def test_boxed_rows() -> None:
    """antiword: the label "Thời gian (Năm 2027)" over two lines of its box, a cell wrapped."""
    table = (
        "|STT |Nội dung công việc    |Thời gian  |Đơn vị chủ trì      |\n"
        "|    |                      |(Năm 2027) |                    |\n"
        "|(1) |(2)                   |(3)        |(4)                 |\n"
        "|1   |Rà soát hạ tầng mạng  |tháng 3    |Sở Khoa học và Công |\n"
        "|    |                      |           |nghệ                |\n"
        "|2   |Tập huấn kỹ năng số   |Quý III/2027|Sở Nội vụ          |\n"
    )
    draft = _read(_HEAD + table)
    assert _read_tasks(draft) == _EXPECTED
    _no_odd_rows(draft)


def test_pdftotext_layout_columns() -> None:
    table = "\n".join(
        [
            "STT   Nội dung công việc        Thời gian (Năm 2027)   Đơn vị chủ trì",
            "(1)          (2)                       (3)                 (4)",
            " 1    Rà soát hạ tầng mạng      tháng 3                Sở Khoa học và",
            "                                                       Công nghệ",
            " 2    Tập huấn kỹ năng số       Quý III/2027           Sở Nội vụ",
            "",
            "IV. TỔ CHỨC THỰC HIỆN",
        ]
    )
    draft = _read(_HEAD + table + "\n")
    assert _read_tasks(draft) == _EXPECTED
    _no_odd_rows(draft)


def test_docx_table() -> None:
    document = Document()
    for text in _HEAD.replace("\t", "  ").split("\n"):
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    rows = [
        ("STT", "Nội dung công việc", "Thời gian\n(Năm 2027)", "Đơn vị chủ trì"),
        ("(1)", "(2)", "(3)", "(4)"),
        ("1", "Rà soát hạ tầng mạng", "tháng 3", "Sở Khoa học và Công nghệ"),
        ("2", "Tập huấn kỹ năng số", "Quý III/2027", "Sở Nội vụ"),
    ]
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    draft = read_plan_bytes(buffer.getvalue(), "ke-hoach.docx")
    assert _read_tasks(draft) == _EXPECTED
    _no_odd_rows(draft)


# ---------------------------------------------------------------- a scan


def test_a_pdf_of_an_image_only_says_it_has_no_text_layer() -> None:
    """What a scanner gives: a page that is a picture of text, with no text layer."""
    page = Image.new("RGB", (1240, 1754), "white")
    pen = ImageDraw.Draw(page)
    for row in range(12):  # lines of "writing" and a table's rules, as a scan shows them
        pen.rectangle((120, 200 + row * 90, 1120, 204 + row * 90), fill="black")
        pen.text((140, 220 + row * 90), f"{row + 1}  Nhiem vu so {row + 1}", fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    data = buffer.getvalue()
    assert data.startswith(b"%PDF-") and b"/Image" in data
    with pytest.raises(PlanImportError) as raised:
        read_plan_bytes(data, "ke-hoach-scan.pdf")
    assert raised.value.template == messages.SCANNED_PDF
    assert str(raised.value).startswith("ke-hoach-scan.pdf: tệp PDF không có lớp chữ")


# ---------------------------------------------------------------- an annex not understood


def test_an_annex_not_understood_is_never_replaced_by_the_body() -> None:
    """The body assigns work by unit headings; the annex's table has labels no meaning is
    found for. Its tasks must not silently become the body's: the file is refused, naming
    the annex's header line and the labels."""
    body = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Nội vụ\n"
        "- Tham mưu ban hành quy chế phối hợp (hoàn thành trong tháng 3/2027).\n"
        "2. Sở Tư pháp\n"
        "- Tổ chức hội nghị tập huấn trước ngày 15/06/2027.\n\n"
        "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\n"
    )
    annex = "STT\tDiễn giải\tMã số\tGhi chú\n1\tRà soát hạ tầng\tA1\t\n"
    with_annex = _HEAD + body + annex
    header_line = with_annex.split("\n").index("STT\tDiễn giải\tMã số\tGhi chú") + 1
    with pytest.raises(PlanImportError) as raised:
        _read(with_annex)
    assert raised.value.template == messages.TABLE_NOT_UNDERSTOOD
    assert raised.value.params["line"] == header_line
    assert raised.value.params["labels"] == "Diễn giải | Mã số | Ghi chú"
    # Without the annex the same body is read: the refusal is the annex's, not the body's.
    assert [t.lead_units for t in _read(_HEAD + body).tasks] == [["Sở Nội vụ"], ["Sở Tư pháp"]]


# ---------------------------------------------------------------- two-level headers

_TWO_LEVEL = [
    ("1", "Rà soát hạ tầng mạng", ["Sở Khoa học và Công nghệ"], ["Sở Nội vụ"]),
    ("2", "Tập huấn kỹ năng số", ["Sở Nội vụ"], []),
]


def _units(draft: PlanDraft) -> list[tuple[str, str, list[str], list[str]]]:
    return [(t.ref, t.title, t.lead_units, t.coordinating_units) for t in draft.tasks]


def test_two_level_header_as_tab_rows() -> None:
    """"Cơ quan thực hiện" over "Chủ trì | Phối hợp", as a Word table copied as text, the
    header repeated on the next page."""
    header = (
        "STT\tNội dung công việc\tCơ quan thực hiện\t\tThời gian (Năm 2027)\n"
        "\t\tChủ trì\tPhối hợp\t\n"
    )
    table = (
        header
        + "1\tRà soát hạ tầng mạng\tSở Khoa học và Công nghệ\tSở Nội vụ\ttháng 3\n"
        + header
        + "2\tTập huấn kỹ năng số\tSở Nội vụ\t\tQuý III/2027\n"
    )
    draft = _read(_HEAD + table)
    assert _units(draft) == _TWO_LEVEL
    assert draft.tasks[0].time_text == "tháng 3 năm 2027" and draft.tasks[0].notes is None
    assert messages.ROW_WITHOUT_TEXT not in [w.template for w in draft.warnings]
    assert messages.NUMBERS_JUMP not in [w.template for w in draft.warnings]


def test_two_level_header_as_pdftotext_layout_columns() -> None:
    header = [
        "STT   Nội dung công việc        Cơ quan thực hiện           Thời hạn",
        "                                Chủ trì        Phối hợp",
    ]
    table = "\n".join(
        [
            *header,
            " 1    Rà soát hạ tầng mạng      Sở Khoa học    Sở Nội vụ    Tháng 3/2027",
            "                                và Công nghệ",
            "\f                                   2",
            *header,
            " 2    Tập huấn kỹ năng số       Sở Nội vụ                   Quý III/2027",
            "",
            "IV. TỔ CHỨC THỰC HIỆN",
        ]
    )
    draft = _read(_HEAD + table + "\n")
    assert _units(draft) == _TWO_LEVEL
    assert [t.time_text for t in draft.tasks] == ["Tháng 3/2027", "Quý III/2027"]
    assert messages.ROW_WITHOUT_TEXT not in [w.template for w in draft.warnings]


def test_two_level_header_in_boxed_rows() -> None:
    """antiword: the lower labels come as the box's next line and join the labels above."""
    table = (
        "|STT |Nội dung công việc   |Cơ quan thực hiện |          |Thời hạn    |\n"
        "|    |                     |Chủ trì           |Phối hợp  |            |\n"
        "|1   |Rà soát hạ tầng mạng |Sở Khoa học và    |Sở Nội vụ |Tháng 3/2027|\n"
        "|    |                     |Công nghệ         |          |            |\n"
        "|2   |Tập huấn kỹ năng số  |Sở Nội vụ         |          |Quý III/2027|\n"
    )
    draft = _read(_HEAD + table)
    assert _units(draft) == _TWO_LEVEL
    assert [t.time_text for t in draft.tasks] == ["Tháng 3/2027", "Quý III/2027"]
