"""Input that is not a plan, or not text, fails with a clear message and no partial result."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from tests.importing.conftest import HOA_BINH, PHU_THAI
from tracker.importing import PlanDraft, PlanImportError, messages, read_plan, read_plan_bytes

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """How Windows writes Vietnamese in cp1258: base letters, then separate tone marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def test_empty_file() -> None:
    with pytest.raises(PlanImportError, match=r"^blank\.txt: tệp rỗng$") as raised:
        read_plan_bytes(b"", "blank.txt")
    assert (raised.value.template, raised.value.params) == (
        messages.EMPTY_FILE,
        {"file": "blank.txt"},
    )
    assert raised.value.message == "blank.txt: tệp rỗng"
    with pytest.raises(PlanImportError, match=r"^blank\.txt: tệp rỗng$"):
        read_plan_bytes(b"  \n\r\n ", "blank.txt")


def test_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PlanImportError, match=r"^nowhere\.txt: không có tệp này$"):
        read_plan(tmp_path / "nowhere.txt")
    (tmp_path / "folder").mkdir()
    with pytest.raises(PlanImportError, match=r"^folder: không đọc được tệp \(.+\)$") as raised:
        read_plan(tmp_path / "folder")
    assert raised.value.template == messages.CANNOT_READ and raised.value.params["reason"]


def test_binary_file() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(
        PlanImportError, match=r"^scan\.txt: tệp nhị phân, không phải văn bản hay tài liệu Word$"
    ):
        read_plan_bytes(png, "scan.txt")


def test_broken_word_document() -> None:
    with pytest.raises(
        PlanImportError, match=r"^plan\.docx: không phải tài liệu Word đọc được"
    ) as raised:
        read_plan_bytes(b"PK\x03\x04 this is not a zip archive at all", "plan.docx")
    assert raised.value.__cause__ is not None  # zipfile's reason, for whoever debugs it


def test_text_that_is_not_a_plan() -> None:
    letter = (
        "Kính gửi: Ban Quản lý chợ\n\nĐề nghị các hộ kinh doanh giữ gìn vệ sinh chung.\n"
        "Trân trọng cảm ơn.\n"
    ).encode()
    with pytest.raises(PlanImportError, match=r"^thu\.txt: không nhận ra kế hoạch \(không có bảng"):
        read_plan_bytes(letter, "thu.txt")


def test_latin_text_in_an_unknown_encoding() -> None:
    german = "Grüße aus Köln, schöne Straße, Übermaß an Bürokratie. " * 20
    with pytest.raises(
        PlanImportError,
        match=r"^brief\.txt: văn bản không phải UTF-8, UTF-16 hay bảng mã tiếng Việt cp1258$",
    ):
        read_plan_bytes(german.encode("latin-1"), "brief.txt")


def _summary(draft: PlanDraft) -> tuple[object, ...]:
    return (
        draft.issuer,
        draft.number,
        draft.issued_on,
        draft.title,
        [(t.ref, t.title, t.time_text, t.lead_units, t.coordinating_units) for t in draft.tasks],
    )


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda text: text.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(lambda text: unicodedata.normalize("NFD", text).encode(), id="nfd"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(_cp1258, id="cp1258"),
    ],
)
def test_encodings_import_the_same_plan(encode, hoa_binh: PlanDraft) -> None:  # type: ignore[no-untyped-def]
    data = encode(HOA_BINH.read_text(encoding="utf-8"))
    assert _summary(read_plan_bytes(data, "ke-hoach.txt")) == _summary(hoa_binh)


def test_cp1258_is_really_cp1258(phu_thai: PlanDraft) -> None:
    data = _cp1258(PHU_THAI.read_text(encoding="utf-8"))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert _summary(read_plan_bytes(data, "phu-thai.txt")) == _summary(phu_thai)


def _hoa_binh_with_row(line_number: int, change) -> bytes:  # type: ignore[no-untyped-def]
    lines = HOA_BINH.read_text(encoding="utf-8").split("\n")
    lines[line_number - 1] = change(lines[line_number - 1])
    return "\n".join(lines).encode()


def test_table_row_with_an_extra_column_is_a_warning_not_a_refusal() -> None:
    """One odd row never refuses the file: it is left out, with its line and the header."""
    data = _hoa_binh_with_row(125, lambda line: line + "\tthừa")
    draft = read_plan_bytes(data, "hoa-binh.txt")
    [odd] = [w for w in draft.warnings if w.template == messages.ODD_ROW]
    header = "STT | Nhiệm vụ cụ thể | Thời gian thực hiện | Cơ quan chủ trì | Cơ quan phối hợp"
    assert odd.line == 125
    assert odd.params == {"found": 6, "expected": 5, "header": header}
    assert len(draft.tasks) == 8


def test_table_row_with_a_missing_column_is_padded_and_reported() -> None:
    data = _hoa_binh_with_row(126, lambda line: line.rsplit("\t", 1)[0])
    draft = read_plan_bytes(data, "hoa-binh.txt")
    [short] = [w for w in draft.warnings if w.template == messages.INCOMPLETE_ROW]
    assert short.line == 126
    assert short.params == {"found": 4, "expected": 5}
    assert len(draft.tasks) == 9
