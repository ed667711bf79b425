"""Amending a plan from the plans page: upload the revised version, see the diff, confirm."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from tests.factories import make_commune, make_user, unit_named
from tests.plan_texts import as_docx, original_plan, revised_plan
from tests.web.conftest import login, page_text
from tracker.extensions import db
from tracker.models import Plan, PlanItem, PlanRevision, Role, Task, TaskStatus, User


def _officer() -> User:
    commune = make_commune("Phường Hòa Bình")
    user = make_user(Role.FOCAL_OFFICER, commune=commune,
                     unit=unit_named(commune, "Phòng Văn hóa - Xã hội"), username="daumoi")
    db.session.commit()
    return user


def _post_file(client: FlaskClient, url: str, data: bytes, name: str) -> object:
    return client.post(url, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _token(html: str) -> str:
    return html.split('name="token" value="')[1].split('"')[0]


def _import_original(client: FlaskClient) -> Plan:
    html = page_text(_post_file(client, "/ke-hoach/nhap", original_plan(), "ke-hoach-21.txt"))
    response = client.post("/ke-hoach/xac-nhan", data={
        "token": _token(html), "commune": "Phường Hòa Bình", "action": "confirm"})
    assert response.status_code == 302, page_text(response)
    return db.session.query(Plan).one()


def test_the_revised_version_shows_a_diff_then_amends_the_plan(client: FlaskClient) -> None:
    officer = _officer()
    login(client, officer)
    plan = _import_original(client)
    listing = page_text(client.get("/ke-hoach"))
    assert "Nhập bản sửa đổi" in listing
    assert "Nhập bản sửa đổi, bổ sung" in page_text(client.get(f"/ke-hoach/{plan.id}/sua-doi"))
    response = _post_file(client, f"/ke-hoach/{plan.id}/sua-doi",
                          as_docx(revised_plan().decode()), "ke-hoach-35.docx")
    html = page_text(response)
    assert "Xem trước bản sửa đổi, bổ sung" in html
    assert "Giữ nguyên 1, sửa 2, thêm 1, bỏ 1 dòng." in html
    assert "<del>Quý II hằng năm</del> → <ins>Quý III hằng năm</ins>" in html
    assert "hạn mới" in html and "30/09/2026" in html
    assert db.session.query(PlanRevision).count() == 0  # nothing stored before confirming
    token = _token(html)
    confirmed = client.post("/ke-hoach/xac-nhan", data={
        "token": token, "commune": "Phường Hòa Bình", "action": "confirm"})
    assert confirmed.status_code == 302, page_text(confirmed)
    listing = page_text(client.get("/ke-hoach"))
    assert "Sửa đổi theo 35/KH-UBND" in listing and officer.full_name in listing
    assert "sửa 2, thêm 1, bỏ 1 dòng" in listing and "ke-hoach-35.docx" in listing
    removed = db.session.scalars(db.select(Task).join(PlanItem).where(
        PlanItem.removed_in_id.is_not(None))).one()
    assert removed.status == TaskStatus.CANCELLED
    page = page_text(client.get(f"/viec/{removed.id}"))
    assert "Bỏ trong bản sửa đổi 35/KH-UBND" in page
    # The same revised document again: named as already there, refused at confirm.
    again = page_text(_post_file(client, f"/ke-hoach/{plan.id}/sua-doi", revised_plan(),
                                 "ke-hoach-35.txt"))
    assert "Văn bản này đã được nhập" in again
    refused = client.post("/ke-hoach/xac-nhan", data={
        "token": _token(again), "commune": "Phường Hòa Bình", "action": "confirm"})
    assert refused.status_code == 400
    assert "đã được áp dụng" in page_text(refused)
    assert db.session.query(PlanRevision).count() == 1


def test_the_importer_proposes_an_amendment(client: FlaskClient) -> None:
    login(client, _officer())
    plan = _import_original(client)
    html = page_text(_post_file(client, "/ke-hoach/nhap", revised_plan(), "sua-doi.txt"))
    assert "có vẻ là bản sửa đổi, bổ sung của kế hoạch 21/KH-UBND" in html
    token = _token(html)
    shown = page_text(client.post("/ke-hoach/xac-nhan", data={
        "token": token, "commune": "Phường Hòa Bình", "action": "amend",
        "amend_plan": str(plan.id)}))
    assert "Đối chiếu với kế hoạch 21/KH-UBND" in shown
    # Declined: it is imported as a plan of its own.
    alone = page_text(client.post("/ke-hoach/xac-nhan", data={
        "token": token, "commune": "Phường Hòa Bình", "action": "separate"}))
    assert "Đối chiếu với kế hoạch" not in alone and "Xem trước kế hoạch" in alone
    # Someone else's plan cannot be amended.
    other = make_commune("Xã Vĩnh Bảo", kind="xa")
    stranger = make_user(Role.FOCAL_OFFICER, commune=other, username="vinhbao")
    db.session.commit()
    client.post("/dang-xuat")
    login(client, stranger)
    assert client.get(f"/ke-hoach/{plan.id}/sua-doi").status_code == 404
    assert _post_file(client, f"/ke-hoach/{plan.id}/sua-doi", revised_plan(),
                      "x.txt").status_code == 404  # type: ignore[attr-defined]


def test_a_reworded_copy_is_named_in_the_preview(client: FlaskClient) -> None:
    login(client, _officer())
    plan = _import_original(client)
    reworded = original_plan().decode().replace("Số: 21/KH-UBND", "Số: 40/KH-UBND")
    reworded = reworded.replace("các văn bản", "những văn bản").replace("các tiêu chí",
                                                                         "những tiêu chí")
    html = page_text(_post_file(client, "/ke-hoach/nhap", reworded.encode(), "ban-sao.txt"))
    assert "Văn bản này đã được nhập: kế hoạch 21/KH-UBND" in html
    assert f"#ke-hoach-{plan.id}" in html
