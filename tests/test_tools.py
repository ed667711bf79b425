"""A test whose tool is missing skips on a laptop and fails under CI=true."""

from __future__ import annotations

import pytest

from tests.tools import require_tool


def test_a_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_tool(False, "ical.js is missing")
    require_tool(True, "ical.js is missing")  # present: nothing happens


def test_a_missing_tool_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"ical\.js is missing"):
        require_tool(False, "ical.js is missing")
