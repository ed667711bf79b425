"""End-to-end fixtures: the demo data on a fixed day, served by a real server in a thread,
driven by Debian's chromium through Playwright. Screenshots go to test-artifacts/e2e/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tools import require_tool
from tracker.clock import VN_TZ, FixedClock

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def clock() -> FixedClock:
    """Friday 20 November 2026: after the 15/11 self-assessment deadline, so much is overdue."""
    return FixedClock(dt.datetime(2026, 11, 20, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # The browser posts real forms: CSRF stays on, as in production.
    return app_config | {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM.exists(), "Debian's chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
