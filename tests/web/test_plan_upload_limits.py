"""The import page on documents the importer refuses to unpack, and on a PDF."""

from __future__ import annotations

import io
import zipfile

from flask.testing import FlaskClient

from tests.factories import make_commune, make_user, unit_named
from tests.web.conftest import login, page_text
from tracker.extensions import db
from tracker.models import Plan, Role


def _login(client: FlaskClient) -> None:
    commune = make_commune("Phường Hòa Bình")
    user = make_user(
        Role.FOCAL_OFFICER,
        commune=commune,
        unit=unit_named(commune, "Phòng Văn hóa - Xã hội"),
        username="daumoi",
    )
    db.session.commit()
    login(client, user)


def _upload(client: FlaskClient, data: bytes, name: str) -> object:
    return client.post(
        "/ke-hoach/nhap",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_zip_bomb_gets_a_message_not_a_500(client: FlaskClient) -> None:
    _login(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/media/x.bin", b"\0" * (60 * 1024 * 1024))
    response = _upload(client, buffer.getvalue(), "bom.docx")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "bom.docx: tài liệu" in page_text(response)
    assert db.session.query(Plan).count() == 0


def test_a_broken_document_xml_gets_a_message(client: FlaskClient) -> None:
    _login(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document><w:body>")
    response = _upload(client, buffer.getvalue(), "hong.docx")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "hong.docx: nội dung tài liệu Word bị hỏng" in page_text(response)


def test_a_scanned_pdf_is_accepted_for_reading_and_refused_with_the_reason(
    client: FlaskClient,
) -> None:
    _login(client)
    blank = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    response = _upload(client, blank, "ban-scan.pdf")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "ban-scan.pdf: tệp PDF không có lớp chữ" in page_text(response)
    assert 'accept=".txt,.docx,.doc,.pdf"' in client.get("/ke-hoach/nhap").get_data(as_text=True)
