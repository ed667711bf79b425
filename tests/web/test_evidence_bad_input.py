"""Bad evidence uploads: each case gets its message, and nothing is half-written.

"Nothing half-written" is checked three ways after every refusal: no Evidence row, no
history event, and no file (complete or partial) left in the upload folder.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.web.conftest import World, login, page_text
from tracker.extensions import db
from tracker.models import Evidence, Role, TaskEvent

VIETNAMESE = "Biên bản họp tổ dân phố: đã niêm yết công khai thủ tục hành chính.\r\n"


def _cp1258(text: str) -> bytes:
    """Text as Windows writes Vietnamese: ê, ơ, ư… precomposed, the tone a combining mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            try:
                out += unicodedata.normalize("NFC", parts[:2]).encode("cp1258")
                out += parts[2:].encode("cp1258")
            except UnicodeEncodeError:
                out += parts.encode("cp1258")
    return out


def _upload(client: FlaskClient, task_id: int, name: str, data: bytes, note: str = "") -> object:
    return client.post(
        f"/viec/{task_id}/minh-chung",
        data={"file": (io.BytesIO(data), name), "note": note},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _nothing_written(app: Flask) -> None:
    assert db.session.scalar(select(func.count(Evidence.id))) == 0
    assert db.session.scalar(
        select(func.count(TaskEvent.id)).where(TaskEvent.evidence_id.is_not(None))
    ) == 0
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bien-ban.txt", b"abc\x00def", "bien-ban.txt: không phải tệp văn bản"),
        ("bien-ban.txt", VIETNAMESE.encode() + b"\x00" * 5000, "không phải tệp văn bản"),
        ("anh.png", b"GIF89a not a png", "anh.png: nội dung không phải tệp .png"),
        ("bao-cao.pdf", b"<html>not a pdf</html>", "bao-cao.pdf: nội dung không phải tệp .pdf"),
        ("rong.txt", b"", "rong.txt: tệp rỗng."),
        ("chay.exe", b"MZ\x90\x00", "chay.exe"),
    ],
)
def test_refused_uploads_say_why_and_leave_nothing(
    app: Flask, client: FlaskClient, world: World, name: str, data: bytes, message: str
) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = _upload(client, world.overdue.id, name, data)
    assert message in page_text(response)
    _nothing_written(app)


def test_a_file_over_the_limit_is_refused_whole(
    app: Flask, client: FlaskClient, world: World
) -> None:
    app.config["EVIDENCE_MAX_BYTES"] = 1024 * 1024
    login(client, world.users[Role.UNIT_HEAD])
    response = _upload(client, world.overdue.id, "lon.txt", b"a" * (1024 * 1024 + 1))
    assert "lon.txt: tệp lớn hơn giới hạn 1 MB." in page_text(response)
    _nothing_written(app)


def test_nul_in_the_file_name_or_note_is_refused_at_the_edge(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    named = _upload(client, world.overdue.id, "bien\x00ban.txt", VIETNAMESE.encode())
    assert named.status_code == 400 and "ký tự điều khiển" in page_text(named)
    noted = _upload(client, world.overdue.id, "bien-ban.txt", VIETNAMESE.encode(), "ghi\x00chú")
    assert noted.status_code == 400 and "note" in page_text(noted)
    _nothing_written(app)


@pytest.mark.parametrize(
    ("encoded", "charset"),
    [
        (VIETNAMESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"), "utf-8"),
        (_cp1258(VIETNAMESE), "windows-1258"),
    ],
)
def test_text_evidence_is_downloaded_with_its_charset_once(
    client: FlaskClient, world: World, encoded: bytes, charset: str
) -> None:
    login(client, world.users[Role.UNIT_HEAD])
    response = _upload(client, world.overdue.id, "bien-ban.txt", encoded)
    assert "Đã tải lên minh chứng bien-ban.txt." in page_text(response)
    evidence = db.session.scalars(select(Evidence)).one()
    download = client.get(f"/minh-chung/{evidence.id}")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == f"text/plain; charset={charset}"
    assert download.data == encoded
    assert download.data.decode(charset.replace("windows-", "cp")).replace("\ufeff", "")
