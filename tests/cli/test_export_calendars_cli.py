"""``tracker export-calendars DIR``: a DIR that cannot be written is one line, not a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.factories import make_commune
from tracker.cli import main
from tracker.extensions import db


def _export(directory: Path, database_url: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export-calendars", str(directory), "--now", "2026-05-04"],
                                env={"DATABASE_URL": database_url})  # fmt: skip
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_directory_that_is_a_file(app: object, database_url: str, tmp_path: Path) -> None:
    make_commune("Hòa Bình")
    db.session.commit()
    target = tmp_path / "calendars"
    target.write_text("not a directory")
    code, out, err = _export(target, database_url)
    assert code == 2 and out == ""
    assert "is a file" in err
    assert target.read_text() == "not a directory"


def test_directory_inside_a_file(app: object, database_url: str, tmp_path: Path) -> None:
    make_commune("Hòa Bình")
    db.session.commit()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out, err = _export(blocker / "calendars", database_url)
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("Error: cannot write ") and "Not a directory" in line


def test_writes_and_then_leaves_unchanged(app: object, database_url: str, tmp_path: Path) -> None:
    make_commune("Hòa Bình")
    db.session.commit()
    assert _export(tmp_path / "out", database_url)[:2] == (
        0, f"{1 + _units()} feeds written, 0 unchanged, in {tmp_path / 'out'}\n")  # fmt: skip
    assert _export(tmp_path / "out", database_url)[:2] == (
        0, f"0 feeds written, {1 + _units()} unchanged, in {tmp_path / 'out'}\n")  # fmt: skip


def _units() -> int:
    from tracker.models import Unit

    return int(db.session.scalar(db.select(db.func.count(Unit.id))) or 0)
