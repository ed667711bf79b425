"""The import preview can be corrected before confirming; the commune and duplicates are checked."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from tests.factories import make_user
from tests.web.conftest import login, page_text
from tests.web.test_plans import _focal_officer_of_hoa_binh, _token, _upload
from tracker.extensions import db
from tracker.models import Plan, PlanItem, Role, Task, TaskEvent

HOA_BINH = "000_96978fae4b697af7.txt"
VINH_BAO = "004_7ea1da0f64562392.txt"


def test_corrected_rows_are_what_is_stored(client: FlaskClient, seeds_dir: Path) -> None:
    officer = _focal_officer_of_hoa_binh()
    login(client, officer)
    html = page_text(_upload(client, seeds_dir / HOA_BINH))
    token = _token(html)
    assert 'name="r0-title"' in html and 'name="n-title"' in html
    form = {
        "token": token, "commune": "Phường Hòa Bình", "action": "update",
        "r0-lead_new": "Phòng Hạnh phúc nhân dân",
        "r0-time_text": "Quý III/2026",
        "r1-drop": "1",
        "r2-points": "abc",
    }
    refused = client.post("/ke-hoach/xac-nhan", data=form)
    assert refused.status_code == 400
    assert "Dòng 3, điểm chuẩn: “abc” không phải là số." in page_text(refused)
    form["r2-points"] = "2,5"
    form |= {"n-title": "Rà soát niêm yết thủ tục hành chính", "n-time_text": "Trong vòng 15 ngày",
             "n-lead": "Văn phòng HĐND và UBND"}
    updated = page_text(client.post("/ke-hoach/xac-nhan", data=form))
    # The corrected phrase is read again at once, with its explanation and first date.
    assert "hạn chót 30/09/2026" in updated and "30/09/2026" in updated
    assert "Phòng Hạnh phúc nhân dân" in updated
    assert "Chưa có hạn — cần đặt hạn" in updated  # the added row's phrase is not understood
    assert 'name="a0-title"' in updated
    assert db.session.query(Plan).count() == 0  # still nothing stored
    # Confirming posts the form as it now stands (the corrections are carried again).
    confirm = {k: v for k, v in form.items() if not k.startswith("n-")} | {
        "action": "confirm", "a0-title": "Rà soát niêm yết thủ tục hành chính",
        "a0-time_text": "Trong vòng 15 ngày", "a0-lead": "Văn phòng HĐND và UBND", "a0-ref": "10",
    }
    response = client.post("/ke-hoach/xac-nhan", data=confirm)
    assert response.status_code == 302, page_text(response)
    plan = db.session.query(Plan).one()
    rows = {t.ref: t for t in plan.tasks}
    assert "2" not in rows and len(plan.tasks) == 9  # one dropped, one added
    assert rows["1"].lead_units == ["Phòng Hạnh phúc nhân dân"]
    assert rows["1"].time_text == "Quý III/2026" and rows["1"].cadence_kind == "once"
    assert rows["3"].points == 2.5
    assert rows["10"].time_text == "Trong vòng 15 ngày"
    assert plan.corrections is not None and plan.corrections["by"] == officer.full_name
    assert any("bỏ" in line for line in plan.corrections["lines"])
    task = db.session.query(Task).filter_by(plan_item_id=rows["1"].id).one()
    assert task.unit.name == "Phòng Hạnh phúc nhân dân"
    assert str(task.due_on) == "2026-09-30"
    event = db.session.query(TaskEvent).filter_by(task_id=task.id,
                                                  action="import_corrected").one()
    assert event.actor_id == officer.id and "Phòng Hạnh phúc nhân dân" in (event.comment or "")
    page = page_text(client.get(f"/viec/{task.id}"))
    assert "sửa khi nhập kế hoạch" in page
    added = db.session.query(Task).filter_by(plan_item_id=rows["10"].id).one()
    assert "Chưa có hạn — cần đặt hạn" in page_text(client.get(f"/viec/{added.id}"))
    assert "Rà soát niêm yết" in page_text(client.get("/viec/can-dat-han"))
    # The plans page lists it, with who imported it.
    plans_page = page_text(client.get("/ke-hoach"))
    assert "102/KH-UBND" in plans_page and officer.full_name in plans_page
    assert HOA_BINH in plans_page
    assert db.session.query(PlanItem).filter_by(plan_id=plan.id).count() == 9


def test_a_row_marked_as_heading_groups_the_rows_after_it(
    client: FlaskClient, seeds_dir: Path
) -> None:
    login(client, _focal_officer_of_hoa_binh())
    token = _token(page_text(_upload(client, seeds_dir / HOA_BINH)))
    response = client.post("/ke-hoach/xac-nhan", data={
        "token": token, "commune": "Phường Hòa Bình", "action": "confirm",
        "r3-heading": "1", "r3-title": "II. Tổ chức thực hiện",
    })
    assert response.status_code == 302
    plan = db.session.query(Plan).one()
    assert [t.ref for t in plan.tasks] == ["1", "2", "3", "5", "6", "7", "8", "9"]
    assert {t.group for t in plan.tasks[3:]} == {"II. Tổ chức thực hiện"}


def test_another_communes_document_is_a_blocking_warning(
    client: FlaskClient, seeds_dir: Path
) -> None:
    admin = make_user(Role.CITY_ADMIN, username="sonoivu")
    db.session.commit()
    login(client, admin)
    html = page_text(_upload(client, seeds_dir / VINH_BAO))
    token = _token(html)
    form = {"token": token, "commune": "Phường Hòa Bình", "action": "update"}
    preview = page_text(client.post("/ke-hoach/xac-nhan", data=form))
    assert "Văn bản ghi “Xã Vĩnh Bảo”, không phải “Phường Hòa Bình”" in preview
    assert 'name="override_reason"' in preview
    refused = client.post("/ke-hoach/xac-nhan", data=form | {"action": "confirm"})
    assert refused.status_code == 400 and db.session.query(Plan).count() == 0
    done = client.post("/ke-hoach/xac-nhan", data=form | {
        "action": "confirm", "override_reason": "Văn bản ghi nhầm tên xã"})
    assert done.status_code == 302
    plan = db.session.query(Plan).one()
    assert plan.commune.name == "Phường Hòa Bình"
    assert "Văn bản ghi nhầm tên xã" in plan.corrections["lines"][0]


def test_a_focal_officer_cannot_override_the_commune(
    client: FlaskClient, seeds_dir: Path
) -> None:
    login(client, _focal_officer_of_hoa_binh())
    html = page_text(_upload(client, seeds_dir / VINH_BAO))
    # Warned at once, in the first preview, before any confirmation.
    assert "Văn bản ghi “Xã Vĩnh Bảo”, không phải “Phường Hòa Bình”" in html
    assert 'name="override_reason"' not in html
    token = _token(html)
    response = client.post("/ke-hoach/xac-nhan", data={
        "token": token, "commune": "Phường Hòa Bình", "override_reason": "Tôi chắc chắn"})
    assert response.status_code == 400
    assert "đề nghị Sở Nội vụ nhập thay" in page_text(response)
    assert db.session.query(Plan).count() == 0


def test_a_duplicate_is_shown_in_plain_words_with_a_link(
    client: FlaskClient, seeds_dir: Path
) -> None:
    login(client, _focal_officer_of_hoa_binh())
    token = _token(page_text(_upload(client, seeds_dir / HOA_BINH)))
    client.post("/ke-hoach/xac-nhan", data={"token": token, "commune": "Phường Hòa Bình"})
    plan = db.session.query(Plan).one()
    html = page_text(_upload(client, seeds_dir / HOA_BINH, "ban-sao.txt"))
    assert ("Văn bản này đã được nhập: kế hoạch 102/KH-UBND ngày 17/04/2026 của Phường Hòa "
            "Bình có cùng nội dung.") in html
    assert f'href="/ke-hoach#ke-hoach-{plan.id}"' in html
    again = client.post("/ke-hoach/xac-nhan",
                        data={"token": _token(html), "commune": "Phường Hòa Bình"})
    assert again.status_code == 400 and "đã được nhập" in page_text(again)
    assert "phuong-hoa-binh" not in page_text(again).split("flash-error")[1][:300]
