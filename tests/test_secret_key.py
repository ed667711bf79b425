"""SECRET_KEY: one per installation, kept across restarts and shared by every process."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from tracker import create_app
from tracker.config import ConfigError, instance_secret_key
from tracker.services.mail import unsubscribe_token, user_id_from_unsubscribe_token


def _config(instance: Path, **extra: Any) -> dict[str, Any]:
    return {"SECRET_KEY": "", "INSTANCE_DIR": str(instance), "SCHEDULER_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": "sqlite://", **extra}


def test_without_secret_key_one_is_generated_once_into_the_instance_folder(
    tmp_path: Path,
) -> None:
    first = create_app(_config(tmp_path))
    again = create_app(_config(tmp_path))  # a restart, or `tracker remind` beside the server
    key = first.config["SECRET_KEY"]
    assert len(key) == 64 and again.config["SECRET_KEY"] == key
    path = tmp_path / "secret_key"
    assert path.read_text(encoding="ascii").strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_an_unsubscribe_link_from_one_process_works_in_another(tmp_path: Path) -> None:
    remind, server = create_app(_config(tmp_path)), create_app(_config(tmp_path))
    with remind.app_context():
        token = unsubscribe_token(42)
    with server.app_context():
        assert user_id_from_unsubscribe_token(token) == 42


def test_the_environment_key_wins_and_writes_nothing(tmp_path: Path) -> None:
    app = create_app(_config(tmp_path, SECRET_KEY="k" * 40))
    assert app.config["SECRET_KEY"] == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="ascii")
    with pytest.raises(ConfigError, match=r"SECRET_KEY is not set and .*not-a-folder/secret_key"):
        instance_secret_key(blocker)


def test_a_truncated_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short\n", encoding="ascii")
    with pytest.raises(ConfigError, match="too short"):
        instance_secret_key(tmp_path)
