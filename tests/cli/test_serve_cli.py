"""``tracker serve``: a port already in use is one line and exit 1, and no address is announced."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from tracker.cli import main


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
