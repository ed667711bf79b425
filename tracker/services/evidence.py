"""What people add to a task besides transitions: evidence files and comments.

Evidence files live under UPLOAD_DIR (outside the web root) under random names; the
original name is kept only in the database. A file is checked against the allowed
extensions, the size limit and the signature its extension promises, so a renamed
executable is not accepted as a PDF.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from tracker.clock import Clock
from tracker.extensions import db
from tracker.i18n import _
from tracker.models import Evidence, Task, TaskEvent, TaskEventAction, User
from tracker.services.permissions import visible_tasks

CHUNK = 64 * 1024
MAX_COMMENT_CHARS = 4000

# The first bytes each kind of file starts with (None: plain text, checked as UTF-8).
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "doc": _OLE,
    "xls": _OLE,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "zip": _ZIP,
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "txt": None,
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
}


class EvidenceError(ValueError):
    """An upload that was refused; the message names the file and the reason."""


@dataclass(frozen=True)
class UploadRules:
    upload_dir: Path
    extensions: tuple[str, ...]
    max_bytes: int


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def clean_filename(filename: str) -> str:
    """The name as shown to people: no directories, no control characters, not too long."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 200:
        stem, _dot, ext = name.rpartition(".")
        name = f"{stem[: 190 - len(ext)]}.{ext}" if stem else name[:200]
    return name


# Control characters no text file has (tab, line breaks and form feed are text).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def text_charset(name: str, data: bytes) -> str:
    """The charset of an evidence text file: UTF-8 (with or without BOM, or UTF-16 with a
    BOM), else the Windows Vietnamese code page, as the plan importer reads text; a file that
    is neither, or holds control characters such as NUL, is refused."""
    for bom, charset in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(charset)
            except UnicodeDecodeError:
                break
            if not _NOT_TEXT.search(text):
                return charset
    for charset in ("utf-8", "cp1258"):
        try:
            text = data.decode(charset)
        except UnicodeDecodeError:
            continue
        if _NOT_TEXT.search(text):
            break
        return "windows-1258" if charset == "cp1258" else charset
    raise EvidenceError(
        _("%(name)s: không phải tệp văn bản (UTF-8 hoặc bảng mã tiếng Việt cp1258).", name=name)
    )


def _check_signature(name: str, ext: str, head: bytes) -> None:
    signatures = SIGNATURES.get(ext, ())
    if signatures is None:
        return  # text: the whole file is checked (text_charset)
    if not any(head.startswith(sig) for sig in signatures):
        raise EvidenceError(
            _(
                "%(name)s: nội dung không phải tệp .%(ext)s như phần mở rộng cho biết.",
                name=name,
                ext=ext,
            )
        )


def store_evidence(
    task: Task,
    uploader: User,
    filename: str,
    stream: BinaryIO,
    rules: UploadRules,
    clock: Clock,
    note: str = "",
) -> Evidence:
    """Check and store one evidence file for a task, and record it in the history."""
    name = clean_filename(filename or "")
    if not name:
        raise EvidenceError(_("Chưa chọn tệp minh chứng."))
    ext = extension_of(name)
    if ext not in rules.extensions or ext not in SIGNATURES:
        raise EvidenceError(
            _(
                "%(name)s: loại tệp không được nhận. Chỉ nhận: %(allowed)s.",
                name=name,
                allowed=", ".join(sorted(set(rules.extensions) & set(SIGNATURES))),
            )
        )
    stored_name = secrets.token_hex(20)
    target_dir = rules.upload_dir / stored_name[:2]
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / stored_name
    partial = target.with_suffix(".part")
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("xb") as out:
            while chunk := stream.read(CHUNK):
                if len(head) < 512:
                    head += chunk[: 512 - len(head)]
                size += len(chunk)
                if size > rules.max_bytes:
                    raise EvidenceError(
                        _(
                            "%(name)s: tệp lớn hơn giới hạn %(mb)d MB.",
                            name=name,
                            mb=rules.max_bytes // (1024 * 1024),
                        )
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise EvidenceError(_("%(name)s: tệp rỗng.", name=name))
        _check_signature(name, ext, head)
        content_type = CONTENT_TYPES[ext]
        if SIGNATURES.get(ext, ()) is None:
            content_type = f"text/plain; charset={text_charset(name, partial.read_bytes())}"
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    try:
        evidence = Evidence(
            task_id=task.id,
            original_name=name,
            stored_name=stored_name,
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by_id=uploader.id,
            uploaded_at=clock.now(),
        )
        db.session.add(evidence)
        db.session.flush()
        db.session.add(
            TaskEvent(
                task_id=task.id,
                actor_id=uploader.id,
                at=clock.now(),
                action=TaskEventAction.EVIDENCE,
                comment=note.strip()[:MAX_COMMENT_CHARS] or name,
                evidence_id=evidence.id,
            )
        )
        db.session.flush()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return evidence


def evidence_path(upload_dir: Path, evidence: Evidence) -> Path:
    return upload_dir / evidence.stored_name[:2] / evidence.stored_name


def find_visible_evidence(user: User, evidence_id: int) -> Evidence | None:
    """The evidence if its task is visible to this person, else None (404)."""
    visible = visible_tasks(user).with_only_columns(Task.id).scalar_subquery()
    return db.session.scalar(
        select(Evidence).where(Evidence.id == evidence_id, Evidence.task_id.in_(visible))
    )


def add_comment(task: Task, author: User, text: str, clock: Clock) -> TaskEvent:
    body = text.strip()
    if not body:
        raise EvidenceError(_("Ý kiến không được để trống."))
    if len(body) > MAX_COMMENT_CHARS:
        raise EvidenceError(_("Ý kiến dài quá %(max)d ký tự.", max=MAX_COMMENT_CHARS))
    event = TaskEvent(
        task_id=task.id, actor_id=author.id, at=clock.now(), action=TaskEventAction.COMMENT,
        comment=body,
    )
    db.session.add(event)
    db.session.flush()
    return event
