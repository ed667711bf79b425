"""The dashboards' blueprint and what its pages share: the commune they show and the year."""

from __future__ import annotations

from flask import Blueprint, abort, request

from tracker.i18n import _
from tracker.models import Commune
from tracker.services import dashboards
from tracker.services.scope import is_overseer
from tracker.web.access import current_account
from tracker.web.edge import MAX_YEAR, MIN_YEAR

bp = Blueprint("dashboards", __name__)


def commune_or_picker(slug: str | None) -> Commune | None:
    """The commune to show; 404 for one this person may not see. None: let the city pick."""
    user = current_account()
    commune = dashboards.resolve_commune(user, slug)
    if commune is None and (slug or not is_overseer(user)):
        abort(404)
    return commune


def year_arg(default: int) -> int:
    value = request.args.get("nam", "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
        abort(400, description=_("Năm không hợp lệ: %(value)s.", value=value))
    return int(value)


def picker_choices() -> list[Commune]:
    """The city administrator chooses a commune; commune people never see the choice."""
    user = current_account()
    if is_overseer(user):
        return dashboards.dashboard_communes(user)
    return []

