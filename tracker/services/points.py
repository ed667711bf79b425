"""Points: read and written in the reader's locale (Babel), and the level they reach.

The numbers of the self-assessment (tracker.services.scoring) and the level the city
records (tracker.services.levels) share them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from tracker.i18n import _
from tracker.services import levels


class ScoringError(ValueError):
    """A score or a step that cannot be recorded; the message names the item or the reason."""


# --------------------------------------------------------------------------- numbers


def parse_points(text: str | None, locale: str, field_name: str) -> float | None:
    """ "1,5" (Vietnamese) or "1.5" (English) → 1.5; blank → None.

    Babel's strict parsing: "1.5" on a Vietnamese page is not read as fifteen; the message
    suggests what was probably meant.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    try:
        return float(parse_decimal(cleaned, locale=locale, strict=True))
    except NumberFormatError as error:
        suggestions = getattr(error, "suggestions", None) or []
        if suggestions:
            raise ScoringError(
                _(
                    "%(field)s: “%(value)s” không đúng cách viết số; có phải là “%(hint)s”?",
                    field=field_name,
                    value=cleaned,
                    hint=suggestions[-1],
                )
            ) from None
        raise ScoringError(
            _("%(field)s: “%(value)s” không phải là một số.", field=field_name, value=cleaned)
        ) from None


def format_points(value: float | None, locale: str = "vi") -> str:
    """1.5 → "1,5" in Vietnamese; "" for no value."""
    if value is None:
        return ""
    return str(format_decimal(value, format="#,##0.##", locale=locale))


# --------------------------------------------------------------------------- thresholds


def checked_thresholds(raw: Mapping[Any, Any] | None) -> dict[int, float] | None:
    """The configured minimum points per level (Mức độ 1-4), rising with the level."""
    if not raw:
        return None
    thresholds = {int(level): float(points) for level, points in raw.items()}
    if set(thresholds) != set(levels.LEVELS):
        raise ValueError("LEVEL_THRESHOLDS needs a minimum for each of Mức độ 1, 2, 3 and 4")
    ordered = [thresholds[level] for level in levels.LEVELS]
    if ordered != sorted(ordered):
        raise ValueError("LEVEL_THRESHOLDS: a higher level needs at least as many points")
    return thresholds


def level_for(total: float | None, thresholds: Mapping[int, float] | None) -> int | None:
    """The level the points reach: the highest whose minimum they meet; 0 below Mức độ 1.

    None when no thresholds are configured: Quyết định 5049/QĐ-UBND sets them and is not
    among our documents, so the city chooses the level itself until LEVEL_THRESHOLDS is set.
    """
    if total is None or not thresholds:
        return None
    reached = [level for level, minimum in thresholds.items() if total + 1e-9 >= minimum]
    return max(reached) if reached else 0


