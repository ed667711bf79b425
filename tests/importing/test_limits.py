"""What the importer refuses to unpack, checked before parsing, and what never gets in."""

from __future__ import annotations

import io
import random
import time
import zipfile

import pytest
from docx import Document

from tracker.importing import PlanImportError, limits, messages, read_plan_bytes

_PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH\nSố: 5/KH-UBND\nNinh Bình, ngày 02 tháng 3 năm 2027\n\n"
    "KẾ HOẠCH\nTuyên truyền năm 2027\n\n"
    "STT\tNội dung\tChủ trì\tThời hạn\n1\tTổ chức hội nghị\tSở Nội vụ\tQuý II/2027\n"
)


def _docx() -> bytes:
    document = Document()
    document.add_paragraph("KẾ HOẠCH")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_part(name: str, data: bytes, *, replace: bool = True) -> bytes:
    """The small .docx with ``name`` replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if replace and item.filename == name:
                continue
            target.writestr(item, source.read(item.filename))
        target.writestr(name, data)
    return out.getvalue()


def _refused(data: bytes, name: str = "ke-hoach.docx") -> PlanImportError:
    with pytest.raises(PlanImportError) as raised:
        read_plan_bytes(data, name)
    return raised.value


def test_a_zip_bomb_is_refused_in_well_under_a_second() -> None:
    bomb = _with_part("word/media/padding.bin", b"\0" * (100 * 1024 * 1024), replace=False)
    assert len(bomb) < 200 * 1024  # about 160 KB that unpacks to 100 MB
    started = time.perf_counter()
    error = _refused(bomb)
    assert time.perf_counter() - started < 0.5
    assert error.template in (messages.ARCHIVE_TOO_LARGE, messages.ARCHIVE_RATIO)
    assert str(error).startswith("ke-hoach.docx: tài liệu")


def test_an_abnormal_compression_ratio_is_refused() -> None:
    error = _refused(_with_part("word/media/a.bin", b"\0" * (20 * 1024 * 1024), replace=False))
    assert error.template == messages.ARCHIVE_RATIO
    assert error.params["limit"] == limits.MAX_RATIO


def test_too_many_entries_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ENTRIES", 5)
    error = _refused(_docx())
    assert error.template == messages.ARCHIVE_ENTRIES


def test_xml_nested_too_deep_is_refused() -> None:
    depth = limits.MAX_XML_DEPTH + 10
    xml = b"<?xml version='1.0'?>" + b"<a>" * depth + b"</a>" * depth
    error = _refused(_with_part("word/document.xml", xml))
    assert error.template == messages.XML_TOO_DEEP


def test_a_broken_document_xml_is_one_message() -> None:
    error = _refused(_with_part("word/document.xml", b"<w:document><w:body><w:p>"))
    assert error.template == messages.BROKEN_XML
    assert str(error) == (
        "ke-hoach.docx: nội dung tài liệu Word bị hỏng (word/document.xml không đọc được)"
    )


def test_a_text_node_over_10_mb_is_refused() -> None:
    ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    alphabet = bytes(97 + i % 26 for i in range(256))
    letters = random.Random(17).randbytes(11 * 1024 * 1024).translate(alphabet)
    xml = (
        b"<w:document " + ns + b"><w:body><w:p><w:r><w:t>"
        + letters
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )  # fmt: skip
    error = _refused(_with_part("word/document.xml", xml))
    assert error.template == messages.BROKEN_XML


def test_nul_and_control_characters_never_reach_the_plan() -> None:
    text = _PLAN.replace("Tổ chức hội nghị", "Tổ chức\x00 hội\x07 nghị\x1b")
    draft = read_plan_bytes(("x" * 5000 + "\n" + text).encode(), "ke-hoach.txt")
    [task] = draft.tasks
    assert task.title == "Tổ chức hội nghị"
    [warning] = [w for w in draft.warnings if w.template == messages.CONTROL_CHARACTERS]
    assert warning.params == {"count": 3}


def test_nul_at_the_start_is_a_binary_file() -> None:
    error = _refused(b"\x00\x01" + _PLAN.encode(), "ke-hoach.txt")
    assert error.template == messages.BINARY_FILE
