"""Thin blueprints: parse input, call one service, render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Every blueprint of the app, in one list."""
