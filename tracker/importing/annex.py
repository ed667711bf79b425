"""Annex tables to tasks: plain task lists, and scoring tables as a criteria tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.importing import messages
from tracker.importing.building import TaskFactory, parse_points
from tracker.importing.model import CriterionNode, ImportWarning, TaskDraft
from tracker.importing.tables import NOTE, RawRow, Table
from tracker.importing.text import fold, repair

_ROMAN = re.compile(r"^[IVX]{1,4}$")
_NUMBERED = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_BULLET = re.compile(r"^\s*[-–+•]\s*")
# Vietnamese documents letter their items a, b, c, d, đ, e, g, h, i, k…
_LETTERS = tuple("abcdđeghiklmnopqrstuvxy")


def _letter(index: int) -> str:
    if index < len(_LETTERS):
        return _LETTERS[index]
    return f"{_LETTERS[index % len(_LETTERS)]}{index // len(_LETTERS) + 1}"


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------- plain task lists


_GROUP_REF = re.compile(r"^(?:[IVXL]{1,5}|[A-Z])$")
_GROUP_TITLE = re.compile(r"^(?:Nhóm|Phần|PHẦN|NHÓM)\b")


def _is_group_row(row: RawRow) -> bool:
    """ "I | Cải cách thể chế |  |  | …": a group's number and name, nothing else."""
    ref = row.get("ref").strip().rstrip(".")
    title = row.get("title").strip()
    others = any(row.get(c) for c in ("time", "lead", "coord", "evidence", "points"))
    if others or not title:
        return False
    return bool(_GROUP_REF.match(ref)) or (not ref and bool(_GROUP_TITLE.match(title)))


def _is_sub_row(row: RawRow) -> bool:
    """A row under a task whose number and text are merged down over it: its own work."""
    if row.get("ref") or row.get("title") or row.get("points"):
        return False
    return sum(1 for c in ("time", "lead", "evidence") if row.get(c)) >= 2


def _merged_down(row: RawRow, previous: RawRow, title: str, previous_title: str) -> bool:
    if fold(title) != fold(previous_title) or row.get("ref") not in ("", previous.get("ref")):
        return False
    return any(row.get(c) != previous.get(c) for c in ("time", "lead", "evidence"))


def plain_tasks(table: Table, factory: TaskFactory, prefix: str = "") -> list[TaskDraft]:
    """One task per row; duplicated rows and stray fragments are reported and left out.

    Group rows ("I", "II", "A", "Nhóm …") start a group: the numbers of the rows under it
    restart, and a task's reference is the group's and its own ("II.3"), so a number seen
    in two groups is no duplicate. A row under a task whose number and text are merged
    down over it (a second product, deadline and lead) is a task of its own with that text.
    """
    warnings = factory.warnings
    groups: list[tuple[str, str | None, list[tuple[RawRow, str]]]] = [("", None, [])]
    seen: list[tuple[RawRow, str]] = []
    for row in table.rows:
        if not table.is_stream and _is_group_row(row):
            ref = row.get("ref").strip().rstrip(".")
            groups.append((ref, repair(row.get("title")), []))
            continue
        accepted = groups[-1][2]
        if not table.is_stream and _is_sub_row(row) and accepted:
            parent, parent_title = accepted[-1]
            row.cells["title"] = parent_title
            row.cells["sub_of"] = parent.get("ref") or "?"
            accepted.append((row, parent_title))
            continue
        title = _title_without_stray_fragment(row, seen, warnings)
        if title is None:
            continue
        previous = accepted[-1] if accepted else None
        if not table.is_stream and previous and _merged_down(row, previous[0], title, previous[1]):
            # A Word cell merged down repeats its number and text in every row it covers:
            # a row with its own deadline, lead or product under it is its own work.
            row.cells["sub_of"] = accepted[-1][0].get("ref") or "?"
            accepted.append((row, title))
            continue
        if not title:
            warnings.append(ImportWarning.of(row.line, messages.ROW_WITHOUT_TEXT))
            continue
        twin = next((r for r, t in accepted if fold(t) == fold(title)), None)
        if twin is not None:
            warnings.append(
                ImportWarning.of(
                    row.line, messages.DUPLICATED_ROW, twin_line=twin.line, title=_short(title)
                )
            )
            continue
        accepted.append((row, title))
        seen.append((row, title))
    tasks: list[TaskDraft] = []
    for group_ref, group_title, accepted in groups:
        main = [row for row, _ in accepted if not row.get("sub_of")]
        refs = iter(_number_rows(main, warnings))
        current = ""
        subs = 0
        for row, title in accepted:
            if row.get("sub_of"):
                subs += 1
                ref = f"{current}-{subs + 1}"
            else:
                current, subs = next(refs), 0
                ref = current
            full_ref = ".".join(p for p in (prefix, group_ref, ref) if p)
            tasks.append(
                factory.make(
                    ref=full_ref,
                    title=title,
                    group=group_title,
                    time_text=_with_year(row.get("time"), table.year),
                    lead=row.get("lead"),
                    coordinating=row.get("coord"),
                    points=parse_points(row.get("points")),
                    evidence=row.get("evidence") or None,
                    line=row.line,
                    notes=row.get(NOTE) or None,
                )
            )
    return tasks


def _with_year(time_text: str, year: int | None) -> str:
    """A time cell under "Thời gian (Năm 2026)": the year the header gives it, written out
    when the cell names none ("ngày 23 tháng 1" → "ngày 23 tháng 1 năm 2026")."""
    text = " ".join(time_text.split())
    if year is None or not text or re.search(r"\b(?:19|20)\d\d\b", text):
        return time_text
    return f"{text} năm {year}"


def _title_without_stray_fragment(
    row: RawRow, accepted: list[tuple[RawRow, str]], warnings: list[ImportWarning]
) -> str | None:
    """The row's task text; a leading piece that repeats an earlier task is dropped.

    A piece that starts in lower case cannot begin a task: it is the tail of some cell.
    When an earlier task already holds it, it is a stray fragment of another copy of the
    table (Vĩnh Bảo's annex carries one from the city's template).
    """
    pieces = [p for p in row.get("title_pieces").split("\n") if p.strip()]
    if len(pieces) < 2 or not pieces[0][:1].islower():
        return repair(row.get("title"))
    fragment = fold(pieces[0])
    owner = next((r for r, t in accepted if fragment and fragment in fold(t)), None)
    if owner is None:
        return repair(row.get("title"))
    warnings.append(
        ImportWarning.of(
            row.line,
            messages.STRAY_FRAGMENT,
            fragment=_short(repair(pieces[0]), 40),
            owner_line=owner.line,
        )
    )
    return repair(" ".join(pieces[1:]))


def _number_rows(rows: list[RawRow], warnings: list[ImportWarning]) -> list[str]:
    refs: list[str] = []
    previous = 0
    for row in rows:
        written = row.get("ref").strip().rstrip(".")
        if written.isdigit():
            number = int(written)
            if number != previous + 1:
                warnings.append(
                    ImportWarning.of(
                        row.ref_line or row.line,
                        messages.NUMBERS_JUMP,
                        previous=previous,
                        number=number,
                    )
                )
        elif written:
            refs.append(written)
            continue
        else:
            number = previous + 1
            warnings.append(ImportWarning.of(row.line, messages.NUMBER_MISSING, number=number))
        if str(number) in refs:
            warnings.append(ImportWarning.of(row.line, messages.NUMBER_TWICE, number=number))
        refs.append(str(number))
        previous = number
    return refs


# ---------------------------------------------------------------- scoring tables


@dataclass
class _Node:
    row: RawRow
    title: str
    points: float | None
    number: str | None  # as written (or moved back to it)
    is_bullet: bool
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    ref: str = ""


def scoring_tasks(
    table: Table, factory: TaskFactory
) -> tuple[list[TaskDraft], list[CriterionNode]]:
    """Groups I-IV → criteria → items. Items without children are the tasks."""
    warnings = factory.warnings
    roots: list[_Node] = []
    group: _Node | None = None
    last_criterion: _Node | None = None
    numbered: dict[str, _Node] = {}

    for row in table.rows:
        ref = row.get("ref").strip().rstrip(".")
        raw_title = repair(row.get("title"))
        is_bullet = bool(_BULLET.match(raw_title))
        title = _BULLET.sub("", raw_title).strip()
        points = parse_points(row.get("points"))
        if _ROMAN.match(ref):
            group = _Node(row, title, points, ref, False, None)
            roots.append(group)
            last_criterion, numbered = None, {}
            continue
        if group is None:
            group = _Node(RawRow(row.line, {}), "", None, "", False, None)
            roots.append(group)
        if (
            is_bullet
            and ref
            and last_criterion is not None
            and last_criterion.number is None
            and not last_criterion.children
        ):
            # "2 | - Niêm yết…" under an unnumbered criterion: the number is the criterion's.
            last_criterion.number = ref
            numbered[ref] = last_criterion
            warnings.append(
                ImportWarning.of(
                    row.line,
                    messages.NUMBER_MOVED_UP,
                    ref=ref,
                    title=_short(last_criterion.title),
                    criterion_line=last_criterion.row.line,
                )
            )
            ref = ""
        if is_bullet and not ref:
            parent = last_criterion or group
            parent.children.append(_Node(row, title, points, None, True, parent))
            continue
        parent_ref = ref.rsplit(".", 1)[0] if "." in ref else None
        parent = numbered.get(parent_ref, group) if parent_ref else group
        node = _Node(row, title, points, ref or None, False, parent)
        parent.children.append(node)
        if ref:
            numbered[ref] = node
        last_criterion = node

    for root in roots:
        _assign_refs(root, root.number or "", warnings)
    tasks: list[TaskDraft] = []
    for root in roots:
        _collect_tasks(root, root.title or None, factory, tasks)
    criteria = [_to_criterion(root, warnings) for root in roots]
    return tasks, criteria


def _assign_refs(node: _Node, ref: str, warnings: list[ImportWarning]) -> None:
    node.ref = ref
    previous = 0
    bullets = 0
    for child in node.children:
        if child.is_bullet:
            child_ref = f"{ref}.{_letter(bullets)}" if ref else _letter(bullets)
            bullets += 1
        else:
            last = (child.number or "").rsplit(".", 1)[-1]
            if last.isdigit():
                previous = int(last)
                child_ref = f"{ref}.{last}" if ref else last
            else:
                previous += 1
                child_ref = f"{ref}.{previous}" if ref else str(previous)
                warnings.append(
                    ImportWarning.of(
                        child.row.line,
                        messages.CRITERION_UNNUMBERED,
                        title=_short(child.title),
                        ref=child_ref,
                    )
                )
        _assign_refs(child, child_ref, warnings)


def _inherited(node: _Node, name: str) -> str:
    here: _Node | None = node
    while here is not None:
        value = here.row.get(name)
        if value:
            return value
        here = here.parent
    return ""


def _collect_tasks(
    node: _Node, group: str | None, factory: TaskFactory, tasks: list[TaskDraft]
) -> None:
    for child in node.children:
        if child.children:
            _collect_tasks(child, group, factory, tasks)
            continue
        tasks.append(
            factory.make(
                ref=child.ref,
                title=child.title,
                group=group,
                time_text=_inherited(child, "time"),
                lead=_inherited(child, "lead"),
                coordinating=_inherited(child, "coord"),
                points=child.points,
                evidence=_inherited(child, "evidence") or None,
                line=child.row.line,
            )
        )


def _format_points(value: float) -> str:
    return f"{value:g}"


def _to_criterion(node: _Node, warnings: list[ImportWarning]) -> CriterionNode:
    criterion = CriterionNode(
        ref=node.ref,
        title=node.title,
        points=node.points,
        line=node.row.line,
        children=[_to_criterion(child, warnings) for child in node.children],
        task_ref=None if node.children else node.ref,
    )
    total = criterion.children_points
    if total is not None:
        if node.points is None:
            warnings.append(
                ImportWarning.of(
                    node.row.line,
                    messages.POINTS_NOT_STATED,
                    ref=node.ref,
                    title=_short(node.title),
                    total=_format_points(total),
                )
            )
        elif abs(node.points - total) > 1e-9:
            warnings.append(
                ImportWarning.of(
                    node.row.line,
                    messages.POINTS_DO_NOT_ADD_UP,
                    ref=node.ref,
                    title=_short(node.title),
                    points=_format_points(node.points),
                    total=_format_points(total),
                )
            )
    return criterion
