"""A Word document with a real table imports to the same plan as the text it came from."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.table import _Cell

from tests.importing.conftest import BACH_DANG, HOA_BINH
from tracker.importing import PlanDraft, messages, read_plan_bytes


def _word_document(source_text: str) -> bytes:
    """Body lines as paragraphs; the annex (tab-separated lines) as one real table."""
    document = Document()
    table = None
    for line in source_text.split("\n"):
        if "\t" not in line:
            if line.strip():
                document.add_paragraph(line)
            continue
        cells = line.split("\t")
        if table is None:
            table = document.add_table(rows=0, cols=len(cells))
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _same_plan(from_docx: PlanDraft, from_text: PlanDraft) -> None:
    keys = ("issuer", "commune", "province", "number", "issued_on", "title", "period",
            "implements")
    for key in keys:
        if key == "implements":
            assert [d.number for d in from_docx.implements] == [
                d.number for d in from_text.implements
            ]
        else:
            assert getattr(from_docx, key) == getattr(from_text, key), key
    assert len(from_docx.tasks) == len(from_text.tasks)
    for docx_task, text_task in zip(from_docx.tasks, from_text.tasks, strict=True):
        assert (
            docx_task.ref,
            docx_task.title,
            docx_task.time_text,
            docx_task.lead_units,
            docx_task.coordinating_units,
            docx_task.points,
            docx_task.evidence,
            docx_task.group,
        ) == (
            text_task.ref,
            text_task.title,
            text_task.time_text,
            text_task.lead_units,
            text_task.coordinating_units,
            text_task.points,
            text_task.evidence,
            text_task.group,
        )
        assert docx_task.cadence.kind == text_task.cadence.kind


def test_hoa_binh_as_word_document(hoa_binh: PlanDraft) -> None:
    data = _word_document(HOA_BINH.read_text(encoding="utf-8"))
    draft = read_plan_bytes(data, "ke-hoach-102.docx")
    assert draft.source == "ke-hoach-102.docx"
    _same_plan(draft, hoa_binh)


def test_bach_dang_scoring_table_as_word_document(bach_dang: PlanDraft) -> None:
    data = _word_document(BACH_DANG.read_text(encoding="utf-8"))
    draft = read_plan_bytes(data, "bach-dang.docx")
    _same_plan(draft, bach_dang)
    kinds = (messages.POINTS_DO_NOT_ADD_UP, messages.POINTS_NOT_STATED)
    points = [(w.template, w.params) for w in draft.warnings if w.template in kinds]
    assert len(points) == 4
    assert points == [(w.template, w.params) for w in bach_dang.warnings if w.template in kinds]


# ---------------------------------------------------------------- Word layouts of real plans


def _paragraph(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    document.add_paragraph().add_run(text).bold = bold


def _title_block_table(document: DocxDocument, left: list[str], right: list[str]) -> None:
    """The two-column block UBND templates open with: issuer | national motto, number | date."""
    table = document.add_table(rows=len(left), cols=2)
    for row, left_text, right_text in zip(table.rows, left, right, strict=True):
        row.cells[0].text = left_text
        row.cells[1].text = right_text


def _annex_rows(draft: PlanDraft) -> list[list[str]]:
    return [
        [t.ref, t.title, t.time_text, "; ".join(t.lead_units), "; ".join(t.coordinating_units)]
        for t in draft.tasks
    ]


ANNEX_LABELS = (
    "STT",
    "Nhiệm vụ cụ thể",
    "Thời gian thực hiện",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
)


def _annex_table(document: DocxDocument, rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=5)
    for cell, label in zip(table.rows[0].cells, ANNEX_LABELS, strict=True):
        cell.text = label
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def _saved(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


VINH_BAO_HEADING = "PHỤ LỤC NHIỆM VỤ CỤ THỂ"
VINH_BAO_SUBTITLE = (
    "Thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo "
    "giai đoạn 2026 - 2030 và những năm tiếp theo"
)
VINH_BAO_CAPTION = "(Kèm theo Kế hoạch số 761/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã)"


def _vinh_bao_annex(vinh_bao: PlanDraft) -> DocxDocument:
    """Vĩnh Bảo's annex as its author typed it in Word: title block, heading, caption, table."""
    document = Document()
    _title_block_table(
        document,
        ["ỦY BAN NHÂN DÂN\nXÃ VĨNH BẢO"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
    )
    _paragraph(document, VINH_BAO_HEADING, bold=True)
    _paragraph(document, VINH_BAO_SUBTITLE, bold=True)
    _paragraph(document, VINH_BAO_CAPTION)
    return document


def test_vinh_bao_annex_typed_in_word(vinh_bao: PlanDraft) -> None:
    document = _vinh_bao_annex(vinh_bao)
    _annex_table(document, _annex_rows(vinh_bao))
    draft = read_plan_bytes(_saved(document), "phu-luc-761.docx")
    _same_plan(draft, vinh_bao)
    assert draft.title == f"{VINH_BAO_HEADING} {VINH_BAO_SUBTITLE}"


def _plan_with_annex(vinh_bao: PlanDraft, title: str) -> DocxDocument:
    document = Document()
    _title_block_table(
        document,
        ["ỦY BAN NHÂN DÂN\nXÃ VĨNH BẢO", "Số: 761/KH-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
            "Vĩnh Bảo, ngày 06 tháng 4 năm 2026",
        ],
    )
    _paragraph(document, "KẾ HOẠCH", bold=True)
    _paragraph(document, title, bold=True)
    _paragraph(document, VINH_BAO_HEADING, bold=True)
    _paragraph(document, VINH_BAO_CAPTION)
    _annex_table(document, _annex_rows(vinh_bao))
    return document


TITLE_2026 = "Triển khai mô hình “Chính quyền thân thiện” trên địa bàn xã Vĩnh Bảo năm 2026"


def test_title_ends_where_the_annex_heading_begins(vinh_bao: PlanDraft) -> None:
    draft = read_plan_bytes(_saved(_plan_with_annex(vinh_bao, TITLE_2026)), "ke-hoach.docx")
    assert draft.title == TITLE_2026
    assert (draft.issuer, draft.number, draft.issued_on) == (
        "xã Vĩnh Bảo",
        "761/KH-UBND",
        dt.date(2026, 4, 6),
    )
    assert [t.ref for t in draft.tasks] == [t.ref for t in vinh_bao.tasks]


@pytest.mark.parametrize(
    "following",
    [
        "PHỤ LỤC NHIỆM VỤ CỤ THỂ",
        "**PHỤ LỤC NHIỆM VỤ**",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "(Kèm theo Kế hoạch số 761/KH-UBND ngày 06/4/2026 của Ủy ban nhân dân xã)",
        "ỦY BAN NHÂN DÂN XÃ VĨNH BẢO",
        "Căn cứ Quyết định số 1376/QĐ-UBND ngày 09/4/2026 của Ủy ban nhân dân thành phố;",
    ],
)
def test_title_in_text_ends_at_the_next_heading(vinh_bao: PlanDraft, following: str) -> None:
    """The same in a .txt whose paragraphs have no blank line between them."""
    rows = "\n".join("\t".join(row) for row in _annex_rows(vinh_bao))
    text = (
        "Số: 761/KH-UBND\nVĩnh Bảo, ngày 06 tháng 4 năm 2026\nKẾ HOẠCH\n"
        "Triển khai mô hình “Chính quyền thân thiện”\ntrên địa bàn xã Vĩnh Bảo năm 2026\n"
        f"{following}\n\nSTT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\t"
        f"Cơ quan phối hợp\n{rows}\n"
    )
    draft = read_plan_bytes(text.encode(), "ke-hoach.txt")
    assert draft.title == TITLE_2026


def _two_level_annex_table(document: DocxDocument, rows: list[list[str]]) -> None:
    """The annex as UBND templates lay it out: a two-level header ("Cơ quan thực hiện" over
    "Cơ quan chủ trì | Cơ quan phối hợp", the other labels merged down), a row numbering the
    columns, units one per paragraph, and one lead unit merged down over the rows it leads."""
    table = document.add_table(rows=3, cols=5)
    top, bottom, numbers = (row.cells for row in table.rows)
    for column, label in enumerate(ANNEX_LABELS[:3]):
        top[column].merge(bottom[column]).text = label
    top[3].merge(top[4]).text = "Cơ quan thực hiện"
    bottom[3].text, bottom[4].text = ANNEX_LABELS[3:]
    for column, cell in enumerate(numbers, 1):
        cell.text = f"({column})"
    above: list[str] | None = None
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells[:3], values[:3], strict=True):
            cell.text = text
        if above is not None and values[3] == above[3] and above[3]:
            cells[3].merge(table.rows[len(table.rows) - 2].cells[3])
        else:
            _unit_paragraphs(cells[3], values[3])
        _unit_paragraphs(cells[4], values[4])
        above = values


def _unit_paragraphs(cell: _Cell, units: str) -> None:
    """One unit a paragraph, each but the last closed by ";" as typed."""
    *others, last = units.split("; ")
    cell.text = f"{others[0]};" if others else last
    for paragraph in [*(f"{o};" for o in others[1:]), last] if others else []:
        cell.add_paragraph(paragraph)


def test_annex_table_with_merged_header_and_cells(vinh_bao: PlanDraft) -> None:
    document = _vinh_bao_annex(vinh_bao)
    _two_level_annex_table(document, _annex_rows(vinh_bao))
    draft = read_plan_bytes(_saved(document), "phu-luc-761.docx")
    _same_plan(draft, vinh_bao)
    assert not [w for w in draft.warnings if w.template == messages.UNKNOWN_UNIT]


def test_hoa_binh_with_title_block_table_and_two_level_header(hoa_binh: PlanDraft) -> None:
    """The whole plan: title block in a table, bold headings, annex with a two-level header."""
    lines = HOA_BINH.read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("STT\t"))
    document = Document()
    _title_block_table(
        document,
        ["ỦY BAN NHÂN DÂN\nPHƯỜNG HÒA BÌNH", "Số: 102/KH-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
            "Hòa Bình, ngày 17 tháng 4 năm 2026",
        ],
    )
    for line in lines[4:header]:  # after the number and date the block already holds
        text = line.replace("**", "").strip()
        if text:
            _paragraph(document, text, bold=text.isupper() or text[:2] in ("I.", "II", "IV"))
    _two_level_annex_table(document, [line.split("\t") for line in lines[header + 1 :] if line])
    draft = read_plan_bytes(_saved(document), "ke-hoach-102.docx")
    _same_plan(draft, hoa_binh)
