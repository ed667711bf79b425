"""Deployment tests: the recipe's processes, health, logs, backups.

Tests marked ``pg_only`` need PostgreSQL itself (several processes on one database, row
locks, pg_dump). They are deselected from a SQLite run (``make unit-tests``) and run by the
PostgreSQL run (``make pg-tests``, part of ``make test``), so each runs once, never skipped.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("TRACKER_TEST_DATABASE", "sqlite") == "postgres":
        return
    chosen = [item for item in items if item.get_closest_marker("pg_only") is None]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen
