"""The deadline engine's explanations in the reader's language: the task page and the import
preview in English say how a date was read in English, and stay Vietnamese by default."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient

from tests.factories import make_commune, make_user, unit_named
from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Role

SEED = "000_96978fae4b697af7.txt"  # Phường Hòa Bình's plan


def test_the_task_page_explains_the_deadline_in_english(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    vietnamese = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "Hạn chót 29/04/2026 (trước ngày 01/05/2026); 30/04/2026 là ngày nghỉ" in vietnamese
    client.post("/ngon-ngu/en")
    english = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert (
        'Due 29/04/2026 (before 01/05/2026); 30/04/2026 is a day off, so a "before" '
        "deadline moves back to the previous working day"
    ) in english.replace("&#34;", '"').replace("&quot;", '"')
    assert "Hạn chót" not in english and "ngày nghỉ" not in english


def _upload(client: FlaskClient, path: Path) -> str:
    response = client.post(
        "/ke-hoach/nhap",
        data={"file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return page_text(response)


def test_the_import_preview_explains_each_phrase_in_english(
    client: FlaskClient, seeds_dir: Path
) -> None:
    commune = make_commune("Phường Hòa Bình")
    officer = make_user(Role.FOCAL_OFFICER, commune=commune,
                        unit=unit_named(commune, "Phòng Văn hóa - Xã hội"))  # fmt: skip
    db.session.commit()
    login(client, officer)
    vietnamese = _upload(client, seeds_dir / SEED)
    assert "Hằng năm, hạn chót 14/02 (trước ngày 15/02)" in vietnamese
    client.post("/ngon-ngu/en")
    english = _upload(client, seeds_dir / SEED)
    assert "Every year, due 14/02 (before 15/02)" in english
    assert "Hằng năm, hạn chót" not in english and "lùi về ngày làm việc" not in english
    # The phrase itself is the document's words and stays as written.
    assert "Trước ngày 15/02 hằng năm" in english
