"""``tracker import-plan``: the command-line contract."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HOA_BINH = str(SEEDS / "000_96978fae4b697af7.txt")
ALL_SEEDS = sorted(str(p) for p in SEEDS.glob("*.txt"))


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import-plan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_for_every_seed() -> None:
    code, out, err = _run("--json", *ALL_SEEDS)
    assert code == 0, err
    plans = json.loads(out)
    assert [p["source"] for p in plans] == [Path(p).name for p in ALL_SEEDS]
    assert [len(p["tasks"]) for p in plans] == [9, 6, 67, 8, 9]
    for plan in plans:
        assert set(plan) >= {
            "source",
            "issuer",
            "number",
            "issued_on",
            "title",
            "period",
            "implements",
            "targets",
            "tasks",
            "criteria",
            "warnings",
        }
        # Warnings keep their shape: a line and the Vietnamese message, filled in.
        for warning in plan["warnings"]:
            assert set(warning) == {"line", "message"} and "%(" not in warning["message"]
    assert plans[1]["warnings"] == [
        {"line": 3, "message": "số văn bản để trống"},
        {"line": 5, "message": "ngày ban hành để trống"},
    ]


def _due(window: str, ref: str) -> list[str]:
    code, out, _ = _run("--json", "--window", window, HOA_BINH)
    assert code == 0
    task = next(t for t in json.loads(out)[0]["tasks"] if t["ref"] == ref)
    assert task["cadence"]["text"] == "Hằng năm" and task["cadence"]["kind"] == "yearly"
    return list(task["due_dates"])


def test_window_limits_due_dates() -> None:
    assert _due("2027-01-01:2027-12-31", "1") == ["2027-12-31"]
    assert _due("2026-01-01:2030-12-31", "1")[:2] == ["2026-12-31", "2027-12-31"]
    # 31/12/2028 is a Sunday: the deadline moves to the next working day, past the window.
    assert _due("2028-01-01:2028-12-31", "1") == []
    assert _due("2028-01-01:2029-01-31", "1") == ["2029-01-02"]


def test_readable_summary() -> None:
    code, out, _ = _run(HOA_BINH)
    assert code == 0
    assert out.startswith(
        "000_96978fae4b697af7.txt: Kế hoạch 102/KH-UBND of 17/04/2026, phường Hòa Bình, 2026–2030+"
    )
    assert "9 tasks" in out
    assert "Trước ngày 15/02 hằng năm" in out


def test_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = _run("--json", HOA_BINH, str(empty))
    assert code == 2
    assert err == "error: empty.txt: tệp rỗng\n"
    assert [p["source"] for p in json.loads(out)] == ["000_96978fae4b697af7.txt"]


def test_non_plan_exits_2(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Kính gửi các hộ dân.\nĐề nghị giữ gìn vệ sinh chung.\n", encoding="utf-8")
    code, _, err = _run(str(letter))
    assert code == 2
    assert err.startswith("error: letter.txt: không nhận ra kế hoạch (không có bảng nhiệm vụ")
    assert err.count("\n") == 1


def test_bad_window() -> None:
    code, _, err = _run("--window", "2026-12-31", HOA_BINH)
    assert code == 2
    assert "FROM:TO" in err


def test_only_failures_print_nothing_on_stdout(tmp_path: Path) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("Hôm nay trời đẹp, không có kế hoạch nào.\n", encoding="utf-8")
    code, out, err = _run(str(prose), str(tmp_path / "missing.txt"))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: prose.txt: không nhận ra kế hoạch (không có bảng nhiệm vụ, cũng không có mục "
        "nào nêu ai làm, làm gì, khi nào)",
        "error: missing.txt: không có tệp này",
    ]


def _docx_with_document_xml(xml: bytes) -> bytes:
    import io
    import zipfile

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


def test_broken_document_xml_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "hong.docx"
    broken.write_bytes(_docx_with_document_xml(b"<w:document><w:body>"))
    code, out, err = _run(str(broken))
    assert code == 2
    assert out == ""
    assert err == (
        "error: hong.docx: nội dung tài liệu Word bị hỏng (word/document.xml không đọc được)\n"
    )


def test_zip_bomb_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import io
    import zipfile

    bomb = tmp_path / "bom.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/media/x.bin", b"\0" * (60 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    code, _, err = _run(str(bomb))
    assert code == 2
    assert err.startswith("error: bom.docx: tài liệu") and err.count("\n") == 1


def test_province_hint(tmp_path: Path) -> None:
    from tests.plan_texts import commune_plan

    plan = tmp_path / "tien-yen.txt"
    plan.write_text(commune_plan("", "Tiên Yên", "xã Tiên Yên"), encoding="utf-8")
    code, out, _ = _run("--json", str(plan))  # a xã of Tuyên Quang and of Quảng Ninh
    assert code == 0
    (read,) = json.loads(out)
    assert read["commune"] is None and read["province"] is None
    assert "Xã Tiên Yên (Tuyên Quang), Xã Tiên Yên (Quảng Ninh)" in read["warnings"][0]["message"]
    code, out, _ = _run("--province", "quang_ninh", str(plan))
    assert code == 0
    assert out.startswith(f"{plan.name}: Kế hoạch 12/KH-UBND of 05/03/2026, xã Tiên Yên "
                          "(Tỉnh Quảng Ninh), 2026–2030")
    code, _, err = _run("--province", "Atlantis", str(plan))
    assert code == 2 and "Atlantis" in err
