"""``tracker cadence``: what the deadline engine makes of time phrases.

    tracker cadence [--issued-on YYYY-MM-DD] [--window FROM:TO] [--json] PHRASE...

The plan is taken to be issued on ``--issued-on`` (default: none, a draft, so nothing is cut
off before 1 January of its first year) and to cover that year and the four after it, going
on after them ("… và những năm tiếp theo"). The default window is the same five years.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from tracker.cadence import Cadence, PlanContext, parse_cadence
from tracker.clock import SystemClock, today
from tracker.i18n import format_date_short

PLAN_YEARS = 5


def _parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{what} phải là ngày dạng YYYY-MM-DD: {text!r}") from exc


def _parse_window(text: str | None, first_year: int) -> tuple[dt.date, dt.date]:
    if text is None:
        return dt.date(first_year, 1, 1), dt.date(first_year + PLAN_YEARS - 1, 12, 31)
    start_text, sep, end_text = text.partition(":")
    if not sep:
        raise click.BadParameter(f"--window phải có dạng FROM:TO: {text!r}")
    start, end = _parse_date(start_text, "FROM"), _parse_date(end_text, "TO")
    if end < start:
        raise click.BadParameter(f"--window: TO trước FROM: {text!r}")
    return start, end


def cadence_record(cadence: Cadence, start: dt.date, end: dt.date) -> dict[str, object]:
    """The JSON object of one phrase, as the command-line contract spells it."""
    occurrences = [o for o in cadence.occurrences(start, end) if o.due_on is not None]
    return {
        "text": cadence.text,
        "kind": cadence.kind.value,
        "rrule": cadence.rrule,
        "due_dates": [o.due_on.isoformat() for o in occurrences if o.due_on is not None],
        "opens": [o.opens_on.isoformat() for o in occurrences],
        # the times of day the phrase names ("từ 19 giờ 30 đến 21 giờ"), one per due date
        "times": [_times(o.starts_at, o.ends_at) for o in occurrences],
        "understood": cadence.understood,
        "explanation": cadence.explanation,
    }


def _times(starts_at: dt.time | None, ends_at: dt.time | None) -> str | None:
    if starts_at is None:
        return f"đến {ends_at:%H:%M}" if ends_at is not None else None  # "trước 17 giờ"
    return f"{starts_at:%H:%M}" + (f"-{ends_at:%H:%M}" if ends_at is not None else "")


def _table(records: list[dict[str, object]]) -> str:
    lines: list[str] = []
    for record in records:
        text = " ".join(str(record["text"]).split())
        lines.append(f"{text}")
        lines.append(f"  loại: {record['kind']}   rrule: {record['rrule'] or '—'}")
        lines.append(f"  {record['explanation']}")
        dues = record["due_dates"]
        opens = record["opens"]
        times = record["times"]
        assert isinstance(dues, list) and isinstance(opens, list) and isinstance(times, list)
        if not dues:
            lines.append("  (không có hạn trong khoảng thời gian này)")
        for due, opened, at in zip(dues, opens, times, strict=True):
            due_on, opens_on = dt.date.fromisoformat(due), dt.date.fromisoformat(opened)
            hour = "" if not at else f"   {at}" if at.startswith("đến") else f"   lúc {at}"
            lines.append(
                f"    hạn {format_date_short(due_on)}{hour}   mở từ {format_date_short(opens_on)}"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n")


@click.command("cadence")
@click.option("--issued-on", "issued_on_text", metavar="YYYY-MM-DD", help="Ngày ban hành kế hoạch.")
@click.option("--window", "window_text", metavar="FROM:TO", help="Khoảng ngày (ISO) cần liệt kê.")
@click.option("--json", "as_json", is_flag=True, help="In mảng JSON thay cho bảng.")
@click.argument("phrases", nargs=-1, required=True)
def cadence_command(
    issued_on_text: str | None, window_text: str | None, as_json: bool, phrases: tuple[str, ...]
) -> None:
    """Đọc các cụm "Thời gian thực hiện" và liệt kê hạn chót."""
    issued_on = _parse_date(issued_on_text, "--issued-on") if issued_on_text else None
    first_year = issued_on.year if issued_on else today(SystemClock()).year
    start, end = _parse_window(window_text, first_year)
    years = tuple(range(first_year, first_year + PLAN_YEARS))
    ctx = PlanContext(issued_on=issued_on, years=years, open_ended=True)
    records = [cadence_record(parse_cadence(phrase, ctx), start, end) for phrase in phrases]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(records))
