"""The words the system wrote into a task's history, in the reader's language.

History rows are stored with the text the system wrote at the time, in Vietnamese, some with
a number or a date in them ("… quá hạn 3 ngày", "Xin gia hạn đến 01/06/2026. Lý do: …"). A
plain lookup in the catalogue cannot find those, so each such sentence is recognised here by
its pattern, its values taken out, and the sentence written again with gettext in the
reader's language. This works for every row already stored (no migration, no new column);
a row that matches no pattern is shown as stored — a person's own words are never changed,
only the system's frame around them (the reason after "Lý do:" stays as typed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tracker.i18n import _, ngettext

_DATE = r"(\d{2}/\d{2}/\d{4}|chưa có)"


def _day(text: str) -> str:
    return _("chưa có") if text == "chưa có" else text


def _escalated(found: re.Match[str]) -> str:
    days = int(found.group(1))
    return ngettext(
        "Báo cáo Chủ tịch và đơn vị đầu mối: quá hạn %(num)d ngày",
        "Báo cáo Chủ tịch và đơn vị đầu mối: quá hạn %(num)d ngày",
        days,
    )


def _asked(found: re.Match[str]) -> str:
    return _("Xin gia hạn đến %(new)s. Lý do: %(reason)s", new=_day(found.group(1)),
             reason=found.group(2))


def _approved(found: re.Match[str]) -> str:
    said = _("Đồng ý gia hạn đến %(new)s.", new=_day(found.group(1)))
    return f"{said} {found.group(2)}" if found.group(2) else said


def _refused(found: re.Match[str]) -> str:
    said = _("Không đồng ý gia hạn đến %(new)s.", new=_day(found.group(1)))
    return f"{said} {found.group(2)}" if found.group(2) else said


def _moved(found: re.Match[str]) -> str:
    return _("Hạn %(old)s → %(new)s. Lý do: %(reason)s", old=_day(found.group(1)),
             new=_day(found.group(2)), reason=found.group(3))


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Báo cáo Chủ tịch và đơn vị đầu mối: quá hạn (\d+) ngày"), _escalated),
    (re.compile(rf"Xin gia hạn đến {_DATE}\. Lý do: (.*)", re.DOTALL), _asked),
    (re.compile(rf"Không đồng ý gia hạn đến {_DATE}\.(?: (.*))?", re.DOTALL), _refused),
    (re.compile(rf"Đồng ý gia hạn đến {_DATE}\.(?: (.*))?", re.DOTALL), _approved),
    (re.compile(rf"Hạn {_DATE} → {_DATE}\. Lý do: (.*)", re.DOTALL), _moved),
]


def system_comment(event: Any) -> str | None:
    """What a history row says, in the reader's language where the system wrote it."""
    comment = event.comment
    if not comment:
        return None
    for pattern, write in PATTERNS:
        found = pattern.fullmatch(comment)
        if found:
            return write(found)
    if event.actor_id is None:  # a fixed sentence of the system's
        return str(_(comment))
    return str(comment)
