"""``tracker serve``: a port in use is one line and exit 1; links name the port it serves."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from click.testing import CliRunner
from flask import Flask

from tests.factories import PASSWORD, make_commune, make_user
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Role


def test_port_in_use(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)],
                                    env={"DATABASE_URL": database_url,
                                         "SCHEDULER_ENABLED": "0"})  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "đang chạy tại" not in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_links_point_at_the_served_port_without_base_url(app: Flask, database_url: str) -> None:
    """Started on another port with no BASE_URL, the feed links name that port, not :5000."""
    commune = make_commune("Phường Hòa Bình")
    make_user(Role.CHAIRMAN, commune=commune, username="chutich")
    db.session.commit()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"}
    env |= {"DATABASE_URL": database_url, "SCHEDULER_ENABLED": "0"}
    tracker = str(Path(sys.executable).with_name("tracker"))
    server = subprocess.Popen([tracker, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        for _ in range(100):  # until the server listens
            try:
                login_page = opener.open(f"{base}/dang-nhap").read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(server.stderr.read().decode() if server.stderr else "no server")

        def post(path: str, page: str, **fields: str) -> str:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
            assert token is not None
            data = urllib.parse.urlencode({"csrf_token": token.group(1), **fields}).encode()
            return opener.open(f"{base}{path}", data=data).read().decode()

        post("/dang-nhap", login_page, username="chutich", password=PASSWORD)
        calendar_page = opener.open(f"{base}/lich/").read().decode()
        created = post("/lich/", calendar_page, scope="commune", device_name="Điện thoại")
        assert f"{base}/lich/" in created
        assert "127.0.0.1:5000" not in created
    finally:
        server.terminate()
        server.wait(timeout=10)
