"""A Word document with a real table imports to the same plan as the text it came from."""

from __future__ import annotations

import io

from docx import Document

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
    keys = ("issuer", "commune", "number", "issued_on", "title", "period", "implements")
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
