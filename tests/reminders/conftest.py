"""A real SMTP server (aiosmtpd on 127.0.0.1, a free port) and a commune to remind."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.factories import make_commune, make_user, unit_named
from tracker.models import Commune, Role, Unit, User


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    """What the SMTP server received: one parsed message per recipient."""

    messages: list[tuple[str, EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        for rcpt in envelope.rcpt_tos:
            self.messages.append((rcpt, message))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.messages if rcpt == address]

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]).strip() for _rcpt, m in self.messages]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[SmtpServer]:
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return app_config | {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_SECURITY": "none",
        "MAIL_FROM": "Hạn <han@han.test>",
    }


@dataclass
class People:
    commune: Commune
    focal_unit: Unit
    office: Unit
    chairman: User
    focal_head: User
    office_head: User
    officer: User  # assignee in the office
    coordinator: User  # head of another unit (coordinates)


def make_people(name: str = "Phường Hòa Bình") -> People:
    commune = make_commune(name)
    focal = unit_named(commune, "Phòng Văn hóa - Xã hội")
    office = unit_named(commune, "Văn phòng HĐND và UBND")
    center = unit_named(commune, "Trung tâm Phục vụ hành chính công")
    return People(
        commune=commune,
        focal_unit=focal,
        office=office,
        chairman=make_user(Role.CHAIRMAN, commune=commune, email="chutich@han.test"),
        focal_head=make_user(Role.UNIT_HEAD, commune=commune, unit=focal,
                             email="vhxh@han.test"),
        office_head=make_user(Role.UNIT_HEAD, commune=commune, unit=office,
                              email="vanphong@han.test"),
        officer=make_user(Role.UNIT_STAFF, commune=commune, unit=office,
                          email="congchuc@han.test"),
        coordinator=make_user(Role.UNIT_HEAD, commune=commune, unit=center,
                              email="ttphvhc@han.test"),
    )
