"""``tracker export-calendars``: a file per commune and per unit, from DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from flask import Flask

from tests.calendars.checks import check_octets, expected_events, expected_rows
from tests.calendars.conftest import NOW, CalendarWorld
from tracker.cli import main


def test_export_writes_stable_files_and_skips_unchanged(
    app: Flask, cworld: CalendarWorld, database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BASE_URL", "https://hoabinh.haiphong.gov.vn")
    out = tmp_path / "lich"
    runner = CliRunner()
    result = runner.invoke(main, ["export-calendars", str(out), "--now", "2026-05-04T09:00"])
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.ics"))
    units = [u.slug for u in cworld.home.units]
    other_units = [u.slug for u in cworld.other.units]
    assert files == sorted(
        ["phuong-hoa-binh.ics", "xa-phu-thai.ics"]
        + [f"phuong-hoa-binh/{slug}.ics" for slug in units]
        + [f"xa-phu-thai/{slug}.ics" for slug in other_units]
    )
    commune = (out / "phuong-hoa-binh.ics").read_bytes()
    check_octets(commune)
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(commune).walk("VEVENT")}
    wanted = expected_events(expected_rows(cworld.tasks, NOW), "han.haiphong.gov.vn")
    assert uids == {i.uid for i in wanted}
    assert b"https://hoabinh.haiphong.gov.vn/viec/" in commune

    office = (out / "phuong-hoa-binh" / "van-phong-hdnd-va-ubnd.ics").read_bytes()
    office_rows = expected_rows(cworld.rows(unit_id=cworld.office.id), NOW)
    assert len(icalendar.Calendar.from_ical(office).walk("VEVENT")) == len(office_rows)

    stamp = (out / "phuong-hoa-binh.ics").stat().st_mtime_ns
    again = runner.invoke(main, ["export-calendars", str(out), "--now", "2026-05-04T10:00"])
    assert again.exit_code == 0, again.output
    assert f"0 feeds written, {len(files)} unchanged" in again.output
    assert (out / "phuong-hoa-binh.ics").stat().st_mtime_ns == stamp
    assert not list(out.rglob("*.tmp"))
