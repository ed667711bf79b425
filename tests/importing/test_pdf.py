"""PDF and Word 97 plans, on documents the suite makes itself with LibreOffice.

LibreOffice is what turns our .docx into the PDF (and the .doc) a commune would sign and
upload. Without it the tests skip with the reason — except under CI=true, where a missing
tool fails (``make test`` installs it: see the Makefile's ``document-deps``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from tracker.importing import PlanDraft, PlanImportError, messages, read_plan_bytes
from tracker.importing import pdf as pdf_module

_SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _need(tool: str | None, name: str) -> str:
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is needed for these tests (make document-deps)")
        pytest.skip(f"{name} is not installed")
    return tool


_ROWS = [
    ("1", "Rà soát thủ tục hành chính nội bộ", "Quý I/2027", "Văn phòng UBND tỉnh", "Sở Tư pháp"),
    ("2", "Tập huấn kỹ năng số cho công chức", "Tháng 6/2027", "Sở Nội vụ", "Các sở, ban, ngành"),
    ("3", "Tổng kết, khen thưởng", "Tháng 12/2027", "Sở Nội vụ", ""),
]


def _plan_document(rows: int = 1) -> bytes:
    """A plan with a title block table and a bordered task table of ``rows`` x 3 rows."""
    document = Document()
    block = document.add_table(rows=2, cols=2)
    block.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH"
    block.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    block.cell(1, 0).text = "Số: 88/KH-UBND"
    block.cell(1, 1).text = "Ninh Bình, ngày 14 tháng 12 năm 2026"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2027")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Nâng cao chất lượng phục vụ người dân, doanh nghiệp.")
    document.add_paragraph("PHỤ LỤC")
    document.add_paragraph("NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2027")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    labels = ("STT", "Nhiệm vụ", "Thời gian hoàn thành", "Chủ trì thực hiện", "Phối hợp thực hiện")
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = label
    number = 0
    for batch in range(rows):
        for row in _ROWS:
            number += 1
            title = row[1] if batch == 0 else f"{row[1]} (đợt {batch + 1})"
            cells = table.add_row().cells
            for cell, text in zip(cells, (str(number), title, *row[2:]), strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _convert(data: bytes, target: str, tmp_path: Path) -> bytes:
    soffice = _need(_SOFFICE, "LibreOffice")
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(data)
    subprocess.run(
        [soffice, "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    return (tmp_path / f"ke-hoach.{target}").read_bytes()


def _summary(draft: PlanDraft) -> list[tuple[str, str, str, list[str], list[str]]]:
    return [
        (t.ref, t.title, t.time_text, t.lead_units, t.coordinating_units) for t in draft.tasks
    ]


@pytest.fixture(scope="module")
def word_and_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    data = _plan_document()
    return data, _convert(data, "pdf", tmp_path_factory.mktemp("pdf"))


def test_the_pdf_word_exports_imports_as_its_docx(word_and_pdf: tuple[bytes, bytes]) -> None:
    word, pdf = word_and_pdf
    from_word = read_plan_bytes(word, "ke-hoach.docx")
    from_pdf = read_plan_bytes(pdf, "ke-hoach.pdf")
    assert _summary(from_pdf) == _summary(from_word)
    assert len(from_pdf.tasks) == 3
    for key in ("issuer", "number", "issued_on", "title", "period"):
        assert getattr(from_pdf, key) == getattr(from_word, key), key
    assert from_pdf.number == "88/KH-UBND"
    assert (from_pdf.period.start, from_pdf.period.end) == (2027, 2027)


def test_a_table_across_page_breaks(tmp_path: Path) -> None:
    """Forty rows run over pages: LibreOffice repeats no header; rows are not lost or split."""
    pdf = _convert(_plan_document(rows=14), "pdf", tmp_path)
    draft = read_plan_bytes(pdf, "dai.pdf")
    assert [t.ref for t in draft.tasks] == [str(n) for n in range(1, 43)]
    assert draft.tasks[-1].title == "Tổng kết, khen thưởng (đợt 14)"
    assert all(t.lead_units for t in draft.tasks)


def test_a_pdf_by_its_content_whatever_its_name(word_and_pdf: tuple[bytes, bytes]) -> None:
    draft = read_plan_bytes(word_and_pdf[1], "tai-lieu")
    assert len(draft.tasks) == 3


# A PDF page with no text at all: what a scanner produces, less the image.
_BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_scanned_pdf_says_it_has_no_text_layer() -> None:
    with pytest.raises(PlanImportError) as raised:
        read_plan_bytes(_BLANK_PDF, "ban-scan.pdf")
    assert raised.value.template == messages.SCANNED_PDF
    assert str(raised.value).startswith("ban-scan.pdf: tệp PDF không có lớp chữ")


def test_a_broken_pdf_is_one_message() -> None:
    with pytest.raises(PlanImportError) as raised:
        read_plan_bytes(b"%PDF-1.7\n\x00\x01 broken", "hong.pdf")
    assert raised.value.template == messages.UNREADABLE_PDF


def test_too_many_pages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MAX_PDF_PAGES", 0)
    with pytest.raises(PlanImportError) as raised:
        read_plan_bytes(_BLANK_PDF, "day.pdf")
    assert raised.value.template == messages.TOO_MANY_PAGES


# ---------------------------------------------------------------- Word 97


def test_a_word_97_document_through_the_converter_found(tmp_path: Path) -> None:
    _need(shutil.which("antiword") or _SOFFICE, "antiword or LibreOffice")
    data = _plan_document()
    doc = _convert(data, "doc", tmp_path)
    draft = read_plan_bytes(doc, "ke-hoach.doc")
    assert [t.title for t in draft.tasks] == [row[1] for row in _ROWS]
    assert draft.number == "88/KH-UBND"


def test_without_a_converter_the_message_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    with pytest.raises(PlanImportError) as raised:
        read_plan_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "cu.doc")
    assert raised.value.template == messages.DOC_NEEDS_CONVERTER
    assert "antiword" in str(raised.value) and "LibreOffice" in str(raised.value)
