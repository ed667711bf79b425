"""The English catalogue translates every message; pages switch language completely."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.web.conftest import World, login, page_text
from tracker.models import Role

CATALOGUE = Path(__file__).resolve().parents[2] / "tracker/translations/en/LC_MESSAGES/messages.po"


def test_every_message_has_an_english_translation() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (not m.string or (not isinstance(m.string, str) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_task_page_in_english(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    client.post("/ngon-ngu/en")
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    for english in ("Text in the annex", "Lead unit", "Due date", "History", "Upload evidence"):
        assert english in text, english
    # The annex text is the document's own words and stays Vietnamese.
    assert "Niêm yết công khai thủ tục hành chính tại trụ sở" in text
    assert "Nội dung theo phụ lục" not in text
    assign = page_text(client.get(f"/viec/{world.overdue.id}/phan-cong"))
    assert "Assign task 1" in assign and "Point person" in assign


def test_vietnamese_by_default(client: FlaskClient, world: World) -> None:
    login(client, world.users[Role.FOCAL_OFFICER])
    text = page_text(client.get(f"/viec/{world.overdue.id}"))
    assert "Nội dung theo phụ lục" in text and "Text in the annex" not in text
    assert "ngày 01 tháng 05 năm 2026" in text  # the formal date style
