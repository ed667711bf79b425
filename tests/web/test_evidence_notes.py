"""The note typed with an evidence upload is shown with its file, in the list and history."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from tests.web.conftest import World, login, page_text
from tracker.models import Role

PDF = b"%PDF-1.4\n%%EOF\n"


def _upload(client: FlaskClient, task_id: int, name: str, note: str) -> None:
    response = client.post(
        f"/viec/{task_id}/minh-chung",
        data={"file": (io.BytesIO(PDF), name), "note": note},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_the_upload_note_is_shown_with_its_file(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    task_id = world.overdue.id
    _upload(client, task_id, "bang-niem-yet.pdf", "  Ảnh bảng niêm yết tại bộ phận một cửa ")
    _upload(client, task_id, "danh-sach.pdf", "")
    text = page_text(client.get(f"/viec/{task_id}"))

    files = _section(text, 'class="evidence-list"', "</ul>")
    first, second = files.split("</li>")[:2]
    assert "bang-niem-yet.pdf</a>" in first
    assert "<q>Ảnh bảng niêm yết tại bộ phận một cửa</q>" in first
    assert "danh-sach.pdf</a>" in second and "<q>" not in second  # no note, no quote

    history = _section(text, 'class="history"', "</ol>")
    first, second = [item for item in history.split("</li>") if "tải minh chứng" in item]
    assert "bang-niem-yet.pdf</a>: <q>Ảnh bảng niêm yết tại bộ phận một cửa</q>" in first
    assert "danh-sach.pdf</a>" in second and "<q>" not in second
