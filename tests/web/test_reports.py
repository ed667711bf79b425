"""The files that go upward, read back: the Word self-assessment (python-docx), the Excel
tables (openpyxl), and each opened by LibreOffice headless (converted to PDF, its text read).

Runs on the demo: the five seed plans imported, a person in every role."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import pdf_text
from tracker.clock import VN_TZ, FixedClock, today
from tracker.extensions import db, get_clock
from tracker.models import Commune, User
from tracker.services import api_tokens, city_rollups, scoring
from tracker.services.demo import DEMO_PASSWORD, build_demo

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reports"
THRESHOLDS = {1: 50, 2: 65, 3: 80, 4: 90}


@pytest.fixture
def clock() -> FixedClock:
    """Friday 20 November 2026: the self-assessment season, with work overdue."""
    return FixedClock(dt.datetime(2026, 11, 20, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    return app_config | {"LEVEL_THRESHOLDS": THRESHOLDS}


@pytest.fixture
def demo(app: Flask, seeds_dir: Path) -> None:
    build_demo(seeds_dir, get_clock(app))
    db.session.commit()


def _login(client: FlaskClient, username: str) -> None:
    client.post("/dang-xuat")
    response = client.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def _commune(slug: str) -> Commune:
    return db.session.scalars(select(Commune).where(Commune.slug == slug)).one()


def _bearer(app: Flask, username: str) -> dict[str, str]:
    user = db.session.scalars(select(User).where(User.username == username)).one()
    _token, plaintext = api_tokens.create_token(user, "báo cáo", get_clock(app).now())
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def _self_score_everything(client: FlaskClient) -> None:
    """The focal officer scores every item through the page: "1,5" where 2 points are due."""
    html = client.get("/tu-danh-gia").get_data(as_text=True)
    fields = re.findall(r'name="diem-(\d+)"', html)
    maxima = {
        int(i): float(p.replace(",", "."))
        for i, p in re.findall(r'id="muc-(\d+)"[^>]*>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*'
                               r'<td class="num">([\d,]+)</td>', html)
    }  # fmt: skip
    form = {}
    for item in fields:
        points = maxima[int(item)]
        form[f"diem-{item}"] = "1,5" if points == 2 else str(int(points))
        form[f"ghi-chu-{item}"] = "Đã thực hiện"
    assert client.post("/tu-danh-gia/cham-diem", data=form).status_code == 302


def test_bach_dang_report_has_every_item_its_points_and_the_group_totals(
    app: Flask, client: FlaskClient, demo: None, soffice: object, tmp_path: Path
) -> None:
    _login(client, "daumoi.bachdang")
    _self_score_everything(client)
    response = client.get("/tu-danh-gia/bao-cao.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]  # type: ignore[union-attr]
    assert document.styles["Normal"].font.name == "Times New Roman"

    heading = document.tables[0]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert "PHƯỜNG BẠCH ĐẰNG" in left and "Số: …/BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Bạch Đằng, ngày … tháng … năm 2026" in right
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body and "Kính gửi: Sở Nội vụ thành phố Hải Phòng." in body
    assert "Kế hoạch số 38/KH-UBND" in body

    sheet = scoring.scoring_sheet(_commune("phuong-bach-dang"), 2026, today(get_clock(app)))
    assert len(sheet.items) == 67
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    for item in sheet.items:
        ref = item.plan_item.ref
        assert ref in rows, ref
        assert rows[ref][2] == scoring.format_points(item.points), ref
        assert rows[ref][3] == ("1,5" if item.points == 2 else scoring.format_points(item.points))
    totals = {
        row.cells[0].text: row.cells[2].text
        for row in table.rows
        if row.cells[1].text.startswith("Cộng ")
    }
    assert totals == {"I": "23", "II": "25", "III": "26", "IV": "24"}
    # The document's own subtotal is kept, with what its items add up to.
    assert rows["I.1"][2] == "10\n(các ý: 9)"
    # Results by group say where the document's figures differ.
    assert "(Chênh lệch so với văn bản: 2 điểm.)" in body
    assert "Nơi nhận:" in "\n".join(c.text for c in document.tables[-1].rows[0].cells)

    path = tmp_path / "bao-cao.docx"
    path.write_bytes(response.data)
    pdf = soffice(path)  # type: ignore[operator]
    text = pdf_text(pdf)
    for phrase in ("BÁO CÁO", "Độc lập - Tự do - Hạnh phúc", "TIÊU CHÍ 4", "Nơi nhận:"):
        assert phrase in text, phrase
    # The first page as a picture (the README shows it: docs/self-assessment-report.png).
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(ARTIFACTS / "self-assessment-report")],
            check=True,
        )  # fmt: skip
        assert (ARTIFACTS / "self-assessment-report.png").stat().st_size > 10_000


def test_a_plan_without_points_reports_progress_per_task(
    client: FlaskClient, demo: None, soffice: object, tmp_path: Path
) -> None:
    _login(client, "chutich.hoabinh")
    page = client.get("/tu-danh-gia").get_data(as_text=True)
    assert "không có bảng điểm" in page
    response = client.get("/tu-danh-gia/bao-cao.docx")
    document = Document(io.BytesIO(response.data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells][:3] == ["STT", "Nhiệm vụ", "Đơn vị chủ trì"]
    assert len(table.rows) == 1 + 9  # every task of the annex
    path = tmp_path / "hoa-binh.docx"
    path.write_bytes(response.data)
    assert "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ" in pdf_text(soffice(path))  # type: ignore[operator]


def _sheet_rows(content: bytes, sheet_index: int = 0) -> tuple[object, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[sheet_index]
    return sheet, list(sheet.iter_rows(values_only=True))


def _header_index(rows: list[tuple[object, ...]], first: str) -> int:
    return next(n for n, row in enumerate(rows) if row and row[0] == first)


def test_api_files_by_bearer_token(
    app: Flask, client: FlaskClient, demo: None, soffice: object, tmp_path: Path
) -> None:
    city = _bearer(app, "sonoivu")
    day = today(get_clock(app))

    response = client.get("/api/v1/rollups/city.xlsx?year=2026", headers=city)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet, rows = _sheet_rows(response.data)
    header = _header_index(rows, "Xã, phường, đặc khu")
    assert sheet.freeze_panes == f"A{header + 2}"  # type: ignore[attr-defined]
    rollup = city_rollups.city_rollup(2026, day)
    body = rows[header + 1 :]
    assert len(body) == len(rollup.rows)  # a row per commune of the city roll-up
    assert [r[0] for r in body] == [r.commune.name for r in rollup.rows]
    assert all(isinstance(r[2], int) for r in body)  # counts are numbers
    path = tmp_path / "city.xlsx"
    path.write_bytes(response.data)
    assert "Phường Bạch Đằng" in pdf_text(soffice(path))  # type: ignore[operator]

    slug = "phuong-hoa-binh"
    response = client.get(f"/api/v1/communes/{slug}/overdue.xlsx", headers=city)
    sheet, rows = _sheet_rows(response.data)
    header = _header_index(rows, "Số TT")
    late = rows[header + 1 :]
    assert late and all(isinstance(r[4], dt.datetime) for r in late)  # real dates
    assert all(isinstance(r[5], int) and r[5] > 0 for r in late)
    assert sheet.cell(row=header + 2, column=5).number_format == "DD/MM/YYYY"  # type: ignore[attr-defined]

    response = client.get(f"/api/v1/communes/{slug}/rollup.xlsx?year=2026", headers=city)
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Theo đơn vị", "Theo nhóm tiêu chí"]

    response = client.get("/api/v1/tasks.xlsx?status=overdue&commune=phuong-hoa-binh", headers=city)
    _sheet, rows = _sheet_rows(response.data)
    tasks = rows[_header_index(rows, "Số TT") + 1 :]
    listed = client.get(
        "/api/v1/tasks?status=overdue&commune=phuong-hoa-binh&per_page=200", headers=city
    ).get_json()
    assert len(tasks) == listed["total"] > 0
    assert {r[9] for r in tasks} == {"Quá hạn"}

    response = client.get("/api/v1/communes/phuong-bach-dang/self-assessment.docx", headers=city)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert "PHƯỜNG BẠCH ĐẰNG" in document.tables[0].rows[0].cells[0].text

    # A commune's chairman sees his own commune's files, not another's (404), nor the city's.
    chairman = _bearer(app, "chutich.hoabinh")
    assert client.get(f"/api/v1/communes/{slug}/overdue.xlsx", headers=chairman).status_code == 200
    other = "/api/v1/communes/phuong-bach-dang/self-assessment.docx"
    assert client.get(other, headers=chairman).status_code == 404
    assert client.get("/api/v1/rollups/city.xlsx", headers=chairman).status_code == 403
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for route in (
        "/communes/{slug}/self-assessment.docx",
        "/communes/{slug}/rollup.xlsx",
        "/communes/{slug}/overdue.xlsx",
        "/rollups/city.xlsx",
        "/tasks.xlsx",
    ):
        assert route in paths, route


def test_the_scoring_table_and_the_task_list_as_excel(
    client: FlaskClient, demo: None, soffice: object, tmp_path: Path
) -> None:
    _login(client, "daumoi.bachdang")
    _self_score_everything(client)
    response = client.get("/tu-danh-gia/bang-diem.xlsx")
    _sheet, rows = _sheet_rows(response.data)
    header = _header_index(rows, "Số TT")
    assert rows[header][:7] == (
        "Số TT", "Tiêu chí", "Điểm chuẩn", "Các ý cộng lại", "Chênh lệch", "Đơn vị chủ trì",
        "Điểm tự chấm",
    )  # fmt: skip
    by_ref = {r[0]: r for r in rows[header + 1 :] if r[0]}
    assert by_ref["I.2.b"][2] == 2 and by_ref["I.2.b"][6] == 1.5  # numbers, not "1,5"
    assert by_ref["I.1"][2:5] == (10, 9, 1)  # the document's subtotal and the difference
    assert rows[-1][1] == "Tổng cộng" and rows[-1][3] == 98

    response = client.get("/viec.xlsx?nam=2026&muc=overdue")
    _sheet, rows = _sheet_rows(response.data)
    listed = rows[_header_index(rows, "Số TT") + 1 :]
    assert listed and {r[9] for r in listed} == {"Quá hạn"}  # the filter applies
    path = tmp_path / "viec.xlsx"
    path.write_bytes(response.data)
    assert "Nội dung công việc" in pdf_text(soffice(path))  # type: ignore[operator]


def test_pages_link_their_downloads_and_the_roll_ups_draw_charts(
    client: FlaskClient, demo: None
) -> None:
    _login(client, "sonoivu")
    city = client.get("/thanh-pho").get_data(as_text=True)
    assert "/thanh-pho.xlsx" in city and 'id="bieu-do-xa"' in city and "<svg" in city
    assert "cdn" not in city.lower()
    commune = client.get("/tong-hop?xa=phuong-hoa-binh").get_data(as_text=True)
    assert "/tong-hop.xlsx?xa=phuong-hoa-binh" in commune and 'id="bieu-do-phong"' in commune
    # Readable without colour: hatched and solid bars, with the percentage written.
    assert "-hatch" in commune and re.search(r"<text[^>]*>\d+%</text>", commune)
    board = client.get("/bang-qua-han?xa=phuong-hoa-binh").get_data(as_text=True)
    assert "/bang-qua-han.xlsx?xa=phuong-hoa-binh" in board
    assert 'media="print"' in board and "print.css" in board
