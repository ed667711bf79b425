"""The plan import page: upload → preview with warnings → choose the commune → confirm."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_commune, make_user, unit_named
from tests.web.conftest import login, page_text
from tracker.extensions import db
from tracker.models import Plan, Role, Task, User, WorkflowInstance


def _focal_officer_of_hoa_binh() -> User:
    commune = make_commune("Phường Hòa Bình")
    user = make_user(
        Role.FOCAL_OFFICER,
        commune=commune,
        unit=unit_named(commune, "Phòng Văn hóa - Xã hội"),
        username="daumoi",
    )
    db.session.commit()
    return user


def _upload(client: FlaskClient, path: Path, name: str | None = None) -> object:
    return client.post(
        "/ke-hoach/nhap",
        data={"file": (io.BytesIO(path.read_bytes()), name or path.name)},
        content_type="multipart/form-data",
    )


def _token(html: str) -> str:
    return html.split('name="token" value="')[1].split('"')[0]


def test_import_preview_then_confirm(client: FlaskClient, app: Flask, seeds_dir: Path) -> None:
    login(client, _focal_officer_of_hoa_binh())
    assert "Nhập kế hoạch" in page_text(client.get("/ke-hoach/nhap"))
    response = _upload(client, seeds_dir / "000_96978fae4b697af7.txt")
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = page_text(response)
    assert "Xem trước kế hoạch" in html and "102/KH-UBND" in html
    assert '<option value="Phường Hòa Bình" selected>' in html
    assert db.session.query(Plan).count() == 0  # nothing stored before confirming
    confirm = client.post(
        "/ke-hoach/xac-nhan", data={"token": _token(html), "commune": "Phường Hòa Bình"}
    )
    assert confirm.status_code == 302
    plan = db.session.query(Plan).one()
    assert plan.number == "102/KH-UBND" and plan.commune.name == "Phường Hòa Bình"
    assert len(plan.tasks) == 9
    # Workflows run from the plan's first year up to this one (clock: 2026).
    assert [i.year for i in db.session.query(WorkflowInstance)] == [2026]
    assert db.session.query(Task).filter_by(plan_id=plan.id).count() > 0
    listing = page_text(client.get(confirm.headers["Location"]))
    assert "Đã nhập kế hoạch 102/KH-UBND cho Phường Hòa Bình" in listing
    # The pending upload is gone: confirming twice is refused.
    again = client.post(
        "/ke-hoach/xac-nhan", data={"token": _token(html), "commune": "Phường Hòa Bình"}
    )
    assert again.status_code == 400
    assert "vui lòng tải lên lại" in page_text(again)


def test_focal_officer_cannot_import_for_another_commune(
    client: FlaskClient, seeds_dir: Path
) -> None:
    login(client, _focal_officer_of_hoa_binh())
    html = page_text(_upload(client, seeds_dir / "002_d308d95e65e133c3.txt"))  # Bạch Đằng
    assert "Phường Bạch Đằng" in html  # what the document says
    response = client.post(
        "/ke-hoach/xac-nhan", data={"token": _token(html), "commune": "Phường Bạch Đằng"}
    )
    assert response.status_code == 400
    assert "bạn không được nhập kế hoạch cho “Phường Bạch Đằng”" in page_text(response)
    assert db.session.query(Plan).count() == 0


def test_city_admin_fixes_the_commune(client: FlaskClient, seeds_dir: Path) -> None:
    admin = make_user(Role.CITY_ADMIN, username="sonoivu")
    db.session.commit()
    login(client, admin)
    html = page_text(_upload(client, seeds_dir / "004_7ea1da0f64562392.txt"))
    assert "cảnh báo khi đọc văn bản" in html  # the broken extraction warns
    response = client.post(
        "/ke-hoach/xac-nhan", data={"token": _token(html), "commune": "Xã Vĩnh Bảo"}
    )
    assert response.status_code == 302
    plan = db.session.query(Plan).one()
    assert plan.commune.name == "Xã Vĩnh Bảo"


def test_bad_files_are_refused_with_a_message(client: FlaskClient, tmp_path: Path) -> None:
    login(client, _focal_officer_of_hoa_binh())
    exe = tmp_path / "ke-hoach.exe"
    exe.write_bytes(b"MZ")
    response = _upload(client, exe)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "ke-hoach.exe: chỉ nhận tệp .txt, .docx, .doc hoặc .pdf." in page_text(response)
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    response = _upload(client, empty)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "rong.txt: tệp rỗng" in page_text(response)
    assert db.session.query(Plan).count() == 0


def test_bad_files_are_refused_in_english(client: FlaskClient, tmp_path: Path) -> None:
    login(client, _focal_officer_of_hoa_binh())
    client.post("/ngon-ngu/en")
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    response = _upload(client, empty)
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = page_text(response)
    assert "rong.txt: the file is empty" in html and "tệp rỗng" not in html
    broken = tmp_path / "hoa-binh.txt"
    lines = (Path(__file__).resolve().parents[2] / "seeds/000_96978fae4b697af7.txt").read_text(
        encoding="utf-8"
    ).split("\n")
    lines[119] = "STT\tDiễn giải\tMã số\tGhi chú\tCơ quan phối hợp"  # the annex header
    broken.write_text("\n".join(lines), encoding="utf-8")
    html = page_text(_upload(client, broken))
    assert (
        "hoa-binh.txt: line 120: a table whose task, unit or time columns were not recognised; "
        "labels that could not be placed: Diễn giải | Mã số | Ghi chú"
    ) in html


def test_warnings_in_vietnamese(client: FlaskClient, seeds_dir: Path) -> None:
    login(client, _focal_officer_of_hoa_binh())
    html = page_text(_upload(client, seeds_dir / "004_7ea1da0f64562392.txt"))  # Vĩnh Bảo
    assert "8 cảnh báo khi đọc văn bản" in html
    assert "Dòng 28: thiếu số thứ tự; đánh số 2 theo vị trí của dòng" in html
    assert "Dòng 53: số thứ tự nhảy từ 4 lên 6" in html
    assert (
        "Dòng 129: dòng trùng: lặp lại nhiệm vụ ở dòng 2 (“Tuyên truyền, phổ biến các văn bản "
        "về Chính quyền thân thiệ…”); đã bỏ qua"
    ) in html


def test_warnings_in_english(client: FlaskClient, seeds_dir: Path) -> None:
    """The templates are translated; the document's own words in them stay Vietnamese."""
    login(client, _focal_officer_of_hoa_binh())
    client.post("/ngon-ngu/en")
    html = page_text(_upload(client, seeds_dir / "004_7ea1da0f64562392.txt"))  # Vĩnh Bảo
    assert "8 warnings while reading the document" in html
    assert "Line 28: row number missing; numbered 2 from its place" in html
    assert "Line 53: row numbers jump from 4 to 6" in html
    assert "Line 72: row number 7 stands after its row (line 64); moved back to it" in html
    assert (
        "Line 129: duplicated row: repeats the task on line 2 (“Tuyên truyền, phổ biến các văn "
        "bản về Chính quyền thân thiệ…”); left out"
    ) in html
    assert (
        "Line 33: task 3: deadline 13/02/2026 falls before the plan&#39;s date (06/04/2026) "
        "and is not counted as overdue"
    ) in html
    for vietnamese in ("Dòng ", "số thứ tự", "dòng trùng", "đã bỏ qua", "đoạn chữ lạc"):
        assert vietnamese not in html, vietnamese
    phu_thai = page_text(_upload(client, seeds_dir / "001_d5d814e1c193d117.txt"))
    assert "Line 3: the document number is left blank" in phu_thai
    assert "Line 5: the date of issue is left blank" in phu_thai


def test_only_importers_may_import(client: FlaskClient) -> None:
    commune = make_commune("Phường Hòa Bình")
    head = make_user(
        Role.UNIT_HEAD, commune=commune, unit=unit_named(commune, "Phòng Văn hóa - Xã hội")
    )
    db.session.commit()
    login(client, head)
    assert client.get("/ke-hoach/nhap").status_code == 403
    assert client.post("/ke-hoach/xac-nhan", data={}).status_code == 403
