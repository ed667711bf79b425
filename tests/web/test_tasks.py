"""The unit task list, the task page, comments and evidence."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Evidence, Role, TaskEvent, TaskStatus

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _upload(client: FlaskClient, task_id: int, name: str, data: bytes) -> object:
    return client.post(
        f"/viec/{task_id}/minh-chung",
        data={"file": (io.BytesIO(data), name), "note": ""},
        content_type="multipart/form-data",
    )


def test_unit_list_has_sections_counts_and_colours(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = client.get("/viec")
    assert response.status_code == 200
    text = page_text(response)
    assert "Việc của phòng" in text and "Phòng Văn hóa - Xã hội" in text
    assert "Niêm yết công khai thủ tục hành chính" in text
    assert 'class="task-item is-overdue"' in text  # red: due 01/05, today 04/05
    assert "quá 3 ngày" in text
    assert 'class="task-item is-soon"' in text  # orange: due 06/05
    assert "còn 2 ngày" in text
    # Counts at the top: one overdue, one due soon.
    assert 'count-overdue"><a href="/viec?muc=overdue"><span class="number">1<' in text
    assert 'count-due_soon"><a href="/viec?muc=due_soon"><span class="number">1<' in text
    # The unit head sees only their unit: not the office's task, not the other commune's.
    assert f'/viec/{world.office_task.id}"' not in text
    assert f'/viec/{world.foreign.id}"' not in text


def test_list_filters_by_section_year_and_group(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    text = page_text(client.get("/viec?muc=overdue"))
    assert f'/viec/{world.overdue.id}"' in text and f'/viec/{world.soon.id}"' not in text
    text = page_text(client.get("/viec?nhom=I.+Công+khai,+minh+bạch"))
    assert f'/viec/{world.overdue.id}"' in text and f'/viec/{world.office_task.id}"' not in text
    text = page_text(client.get("/viec?nam=2027"))
    assert "Không có việc nào khớp với bộ lọc." in text
    text = page_text(client.get(f"/viec?phong={world.office.id}&nam=tat-ca"))
    assert f'/viec/{world.office_task.id}"' in text and f'/viec/{world.overdue.id}"' not in text


def test_staff_sees_only_assigned_tasks(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_STAFF])
    text = page_text(client.get("/viec"))
    assert f'/viec/{world.office_task.id}"' in text
    assert f'/viec/{world.overdue.id}"' not in text
    assert client.get(f"/viec/{world.overdue.id}").status_code == 404


def test_task_page_shows_the_annex_and_deadline(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = client.get(f"/viec/{world.overdue.id}")
    assert response.status_code == 200
    text = page_text(response)
    for expected in (
        "Niêm yết công khai thủ tục hành chính tại trụ sở",
        "Trước ngày 01/5/2026",
        "ngày 01 tháng 05 năm 2026",
        "Đơn vị chủ trì",
        "Các phòng, cơ quan, đơn vị",
        "Ảnh chụp bảng niêm yết",
        "Điểm chuẩn",
        "102/KH-UBND",
        "Quá hạn",
    ):
        assert expected in text, expected


def test_another_communes_task_is_not_found(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    assert client.get(f"/viec/{world.foreign.id}").status_code == 404
    assert client.get("/viec/999999").status_code == 404
    response = client.post(f"/viec/{world.foreign.id}/y-kien", data={"comment": "x"})
    assert response.status_code == 404


def test_city_admin_reads_every_commune_but_cannot_comment(
    client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.CITY_ADMIN])
    assert client.get(f"/viec/{world.foreign.id}").status_code == 200
    response = client.post(f"/viec/{world.overdue.id}/y-kien", data={"comment": "x"})
    assert response.status_code == 403


def test_comment_is_recorded_in_history(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    response = client.post(
        f"/viec/{world.overdue.id}/y-kien",
        data={"comment": "Đề nghị hoàn thành trong tuần"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Đã ghi ý kiến." in text and "Đề nghị hoàn thành trong tuần" in text
    empty = client.post(
        f"/viec/{world.overdue.id}/y-kien", data={"comment": "  "}, follow_redirects=True
    )
    assert "Ý kiến không được để trống." in page_text(empty)
    assert db.session.query(TaskEvent).filter_by(action="comment").count() == 1


def test_evidence_upload_is_stored_outside_web_root_and_downloadable(
    client: FlaskClient, world: World, app: Flask
) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = _upload(client, world.overdue.id, "bien-ban niem yet.pdf", PDF)
    assert response.status_code == 302  # type: ignore[attr-defined]
    evidence = db.session.query(Evidence).one()
    assert evidence.original_name == "bien-ban niem yet.pdf"
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    stored = upload_dir / evidence.stored_name[:2] / evidence.stored_name
    assert stored.read_bytes() == PDF
    assert "niem" not in evidence.stored_name and len(evidence.stored_name) == 40
    static_dir = Path(app.static_folder or "")
    assert static_dir not in stored.parents
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "bien-ban niem yet.pdf" in text
    download = client.get(f"/minh-chung/{evidence.id}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_404_for_those_who_may_not_see_the_task(
    client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    _upload(client, world.overdue.id, "anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    evidence = db.session.query(Evidence).one()
    client.post("/dang-xuat")
    login(client, world.users[Role.UNIT_STAFF])  # another unit's staff member
    assert client.get(f"/minh-chung/{evidence.id}").status_code == 404
    client.post("/dang-xuat")
    login(client, world.other_chairman)  # another commune
    assert client.get(f"/minh-chung/{evidence.id}").status_code == 404
    client.post("/dang-xuat")
    assert client.get(f"/minh-chung/{evidence.id}").status_code == 302  # to the login page


def test_evidence_type_and_content_are_checked(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = _upload(client, world.overdue.id, "virus.exe", b"MZ\x90\x00")
    follow = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert "virus.exe: loại tệp không được nhận." in follow
    _upload(client, world.overdue.id, "gia-mao.pdf", b"MZ\x90\x00 not a pdf")
    follow = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "gia-mao.pdf: nội dung không phải tệp .pdf" in follow
    _upload(client, world.overdue.id, "rong.txt", b"")
    assert "rong.txt: tệp rỗng." in page_text(client.get(f"/viec/{world.overdue.id}"))
    assert db.session.query(Evidence).count() == 0


def test_evidence_size_limit(client: FlaskClient, world: World, app: Flask) -> None:
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    login(client, world.users[Role.UNIT_HEAD])
    _upload(client, world.overdue.id, "lon.pdf", PDF + b"0" * 2048)
    assert "lon.pdf: tệp lớn hơn giới hạn" in page_text(client.get(f"/viec/{world.overdue.id}"))
    assert db.session.query(Evidence).count() == 0
    leftovers = [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
    assert leftovers == []
    # Beyond MAX_CONTENT_LENGTH the whole request is refused before reaching the view.
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = _upload(client, world.overdue.id, "lon.pdf", PDF + b"0" * 4096)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "Tệp quá lớn" in page_text(response)


def test_staff_of_another_unit_cannot_upload(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_STAFF])
    response = _upload(client, world.overdue.id, "a.pdf", PDF)
    assert response.status_code == 404  # type: ignore[attr-defined]


def test_chairman_cannot_upload_evidence(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.CHAIRMAN])
    response = _upload(client, world.overdue.id, "a.pdf", PDF)
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_home_sends_unit_people_to_their_list(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    assert client.get("/").headers["Location"] == "/viec"
    assert world.overdue.status == TaskStatus.IN_PROGRESS


def test_task_page_writes_sizes_and_points_the_vietnamese_way(
    client: FlaskClient, world: World
) -> None:
    """Not "0.0 KB" for a small file nor "2.5" points: sizes in B/KB/MB, decimal comma."""
    world.overdue.points = 2.5
    db.session.commit()
    login(client, world.users[Role.UNIT_HEAD])
    _upload(client, world.overdue.id, "nho.pdf", PDF)
    _upload(client, world.overdue.id, "lon.pdf", PDF + b"%" * (3 * 1024 + 512))
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert f"({len(PDF)} B, " in text and "(3,5 KB, " in text
    assert "0.0 KB" not in text
    facts = text.split('class="facts"')[1].split("</dl>")[0]
    assert "<dd>2,5</dd>" in facts

    client.post("/ngon-ngu/en")
    english = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "(3.5 KB, " in english and "<dd>2.5</dd>" in english


def test_task_page_in_english_writes_dates_in_english(client: FlaskClient, world: World) -> None:
    """The formal date ("ngày 01 tháng 05 năm 2026") is Vietnamese administrative style;
    an English page says "May 1, 2026". The annex text and time phrase stay as written."""
    login(client, world.users[Role.UNIT_HEAD])
    client.post("/ngon-ngu/en")
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "(May 1, 2026)" in text
    assert "ngày 01 tháng 05 năm 2026" not in text
    assert "Trước ngày 01/5/2026" in text  # the document's own words
