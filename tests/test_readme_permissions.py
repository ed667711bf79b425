"""README's permission matrix is the code's: every role's column, every action's row."""

from __future__ import annotations

from pathlib import Path

from tracker.services.permissions import MATRIX, Action, Role

README = Path(__file__).resolve().parent.parent / "README.md"


def _matrix() -> tuple[list[str], dict[str, list[str]]]:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| action |"))
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    rows: dict[str, list[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1:]
    return header[1:], rows


def test_readme_matrix_names_every_role_and_action() -> None:
    roles, rows = _matrix()
    assert sorted(roles) == sorted(str(r) for r in Role)
    assert sorted(rows) == sorted(str(a) for a in Action)


def test_readme_matrix_agrees_with_the_grants() -> None:
    roles, rows = _matrix()
    for action, cells in rows.items():
        for role, cell in zip(roles, cells, strict=True):
            assert cell in {"✓", "—"}, (action, role, cell)
            assert (cell == "✓") == (Action(action) in MATRIX[Role(role)]), (action, role)
