"""The forms of the levels: a commune registers one, the city records the one reached."""

from __future__ import annotations

import math
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from tracker.i18n import _, _l
from tracker.services import levels
from tracker.web.edge import MAX_ID


def _int_or_none(value: Any) -> int | None:
    """A choice as a number; anything else is None, for the service to refuse in Vietnamese."""
    try:
        number = None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None
    return number if number is None or abs(number) <= MAX_ID else None


def _level_choices() -> list[SelectChoice]:
    return [SelectChoice(str(n), _l("Mức độ %(level)d", level=n)) for n in levels.LEVELS]


class RegisterLevelForm(FlaskForm):  # type: ignore[misc]
    level = SelectField(
        _l("Mức đăng ký"),
        choices=[SelectChoice("", _l("— Chọn mức —")), *_level_choices()],
        coerce=_int_or_none,
        validate_choice=False,
    )


class RecordLevelForm(FlaskForm):  # type: ignore[misc]
    reached_level = SelectField(
        _l("Mức đạt được"),
        choices=[
            SelectChoice("", _l("— Chọn mức —")),
            SelectChoice("0", _l("Chưa đạt chuẩn")),
            *_level_choices(),
        ],
        coerce=_int_or_none,
        validate_choice=False,
    )
    score = StringField(_l("Điểm đánh giá (0-100)"))

    def validate_score(self, field: StringField) -> None:
        try:
            parse_score(field.data)
        except ValueError:
            raise ValidationError(
                _("Điểm đánh giá: “%(value)s” không phải là một số.", value=field.data.strip())
            ) from None


def parse_score(text: str | None) -> float | None:
    """ "87,5" or "87.5" → 87.5; blank → None (the service asks for it). ValueError otherwise.

    Babel reads it, strictly, as Vietnamese writes numbers and then as English does.
    """
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        return None
    for locale in ("vi", "en"):
        try:
            value = float(parse_decimal(cleaned, locale=locale, strict=True))
        except NumberFormatError:
            continue
        if not math.isfinite(value):  # "nan", "inf", "1e400" are not scores
            break
        return value
    raise ValueError(f"not a number: {text!r}")

