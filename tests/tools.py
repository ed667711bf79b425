"""Tests that need a tool outside Python (node packages, Debian's chromium).

On a developer's machine a missing tool skips the test with the command that installs it;
under ``CI=true`` it fails, so a CI machine without the tool never passes by skipping.
"""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_tool(available: bool, missing: str) -> None:
    """Go on when ``available``; otherwise skip, or fail under CI=true."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{missing} (CI=true: a missing tool fails the test)", pytrace=False)
    pytest.skip(missing)
