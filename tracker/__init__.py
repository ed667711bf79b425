"""Hạn — task-and-deadline tracking for Vietnamese commune governments.

``create_app`` is the only factory; nothing runs at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from tracker.clock import Clock


def create_app(
    config: dict[str, Any] | None = None, *, clock: Clock | None = None, mailer: Any | None = None
) -> Flask:
    from tracker.app import create_app as _create_app

    return _create_app(config, clock=clock, mailer=mailer)
