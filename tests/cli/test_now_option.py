"""``--now`` on every command that has it: an empty or malformed value is a usage error.

An empty value (``--now "$WHEN"`` with WHEN unset) used to fall back silently to the wall
clock, so ``tracker remind --now ""`` sent today's real mails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main

COMMANDS = [["remind"], ["remind", "--dry-run"], ["workflow", "tick"], ["export-calendars"],
            ["demo"], ["db", "archive"], ["db", "archive", "--dry-run"]]  # fmt: skip


@pytest.mark.parametrize("value", ["", "  ", "2026-02-30", "04/05/2026", "tomorrow"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_bad_now_is_a_usage_error(args: list[str], value: str, database_url: str,
                                  tmp_path: Path) -> None:  # fmt: skip
    if args == ["export-calendars"]:
        args = [*args, str(tmp_path / "out")]
    result = CliRunner().invoke(main, [*args, "--now", value],
                                env={"DATABASE_URL": database_url})  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "Invalid value for --now: not an ISO date or datetime" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
