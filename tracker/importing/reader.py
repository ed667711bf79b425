"""Reading one plan document, from bytes to a :class:`PlanDraft`.

Where the tasks come from, in order of preference: an annex table (tabbed, or a broken
extraction read as a stream), else numbered sections with "Cơ quan chủ trì / thực hiện /
phối hợp / Thời gian thực hiện" lines. A document with neither is not a plan.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracker.importing import messages
from tracker.importing.annex import plain_tasks, scoring_tasks
from tracker.importing.body import body_tasks, lead_in_charge
from tracker.importing.building import TaskFactory
from tracker.importing.decoding import decode_text, docx_lines, is_docx
from tracker.importing.dumps import unbox, unlayout
from tracker.importing.grids import find_tables, unread_headers
from tracker.importing.limits import strip_controls
from tracker.importing.metadata import cited_documents, read_metadata
from tracker.importing.model import (
    CriterionNode,
    ImportWarning,
    PlanDraft,
    PlanImportError,
    TaskDraft,
    flat_line,
)
from tracker.importing.pdf import is_word97, pdf_lines, word97_text
from tracker.importing.sections import section_tasks
from tracker.importing.tables import (
    Table,
    find_header,
    read_spaced_rows,
    read_stream,
    stream_region,
)
from tracker.importing.targets import read_targets


def read_plan(path: Path | str, *, province: int | None = None) -> PlanDraft:
    """Read a plan from a .txt, .docx, .doc or .pdf file. Raises :class:`PlanImportError`.

    ``province`` (a register code): where to look for the commune first when the document
    names no province (the importing person's; Hải Phòng when None).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise PlanImportError(messages.FILE_NOT_FOUND, file=path.name) from error
    except PermissionError as error:
        raise PlanImportError(messages.FILE_NOT_PERMITTED, file=path.name) from error
    except OSError as error:
        raise PlanImportError(
            messages.CANNOT_READ, file=path.name, reason=error.strerror or str(error)
        ) from error
    return read_plan_bytes(data, path.name, province=province)


def read_plan_bytes(data: bytes, filename: str, *, province: int | None = None) -> PlanDraft:
    """Read a plan from the bytes of a file called ``filename``. Never a partial result."""
    if not data:
        raise PlanImportError(messages.EMPTY_FILE, file=filename)
    if data[:5] == b"%PDF-" or (filename.lower().endswith(".pdf") and not data.startswith(b"PK")):
        lines = pdf_lines(data, filename)
    elif is_docx(data, filename):
        lines = docx_lines(data, filename)
    elif is_word97(data, filename):
        lines = decode_text(word97_text(data, filename), filename).split("\n")
    else:
        lines = decode_text(data, filename).split("\n")
    text, removed = strip_controls("\n".join(lines).replace("\f", ""))
    draft = _read_lines(unlayout(unbox(text.split("\n"))), filename, province)
    if removed:
        draft.warnings.insert(0, ImportWarning.of(1, messages.CONTROL_CHARACTERS, count=removed))
    return draft


def _read_lines(lines: list[str], source: str, province: int | None) -> PlanDraft:
    # Only the task table's cells need their paragraphs apart; everything else reads spaces.
    flat = [flat_line(line) for line in lines]
    warnings: list[ImportWarning] = []
    meta = read_metadata(flat, warnings, province)
    draft = PlanDraft(
        source=source,
        document_type=meta.document_type,
        issuer=meta.issuer,
        commune=meta.commune.name if meta.commune else None,
        province=meta.province,
        number=meta.number,
        issued_on=meta.issued_on,
        issued_month=meta.issued_month,
        title=meta.title,
        period=meta.period,
        implements=cited_documents(flat),
        targets=read_targets(flat, meta.period),
        tasks=[],
        criteria=[],
        warnings=warnings,
    )
    factory = TaskFactory(draft.context(), meta.commune.kind if meta.commune else None, warnings)
    draft.tasks, draft.criteria = _tasks(lines, source, factory)
    _refuse_unread_annex(lines, source, bool(draft.tasks), {t.line for t in draft.tasks})
    if not draft.tasks:
        raise PlanImportError(messages.NOT_A_PLAN, file=source)
    draft.warnings.sort(key=lambda w: w.line)
    return draft


_ANNEX_START = re.compile(r"^[\s|*]*(?:PHỤ LỤC|Phụ lục|Nơi nhận)\b")


def _refuse_unread_annex(
    lines: list[str], source: str, has_tasks: bool, task_lines: set[int]
) -> None:
    """A table found but not understood is named, with its line and the labels that could
    not be placed — when nothing else was read, or when it is an annex (whose tasks must
    never be silently replaced by the body's)."""
    annex = _annex_start(lines)
    for line, labels in unread_headers(lines):
        in_annex = line > annex
        if not has_tasks or (in_annex and not any(t > line for t in task_lines)):
            raise PlanImportError(
                messages.TABLE_NOT_UNDERSTOOD, file=source, line=line, labels=" | ".join(labels)
            )


def _annex_start(lines: list[str]) -> int:
    """The index of the first line after the plan's body (its annexes, the signature)."""
    for index, line in enumerate(lines):
        if index > 10 and _ANNEX_START.match(line):
            return index
    return len(lines)


def _tasks(
    lines: list[str], source: str, factory: TaskFactory
) -> tuple[list[TaskDraft], list[CriterionNode]]:
    tables = find_tables(lines, source, factory.warnings)
    if not tables:
        return _old_layouts(lines, source, factory)
    tasks: list[TaskDraft] = []
    criteria: list[CriterionNode] = []
    own_leads = [("lead" in t.columns) for t in tables]
    in_charge = ""
    if any("lead" not in t.columns for t in tables):
        in_charge = lead_in_charge([flat_line(line) for line in lines[: _annex_start(lines)]])
    for table in tables:
        if "lead" not in table.columns and in_charge:
            # A schedule without a lead column ("Đơn vị được kiểm tra | Thời gian"): the
            # unit the body puts in charge ("giao Sở Nội vụ chủ trì") leads its rows.
            table.columns = [*table.columns, "lead"]
            for row in table.rows:
                row.cells["lead"] = in_charge
            factory.warnings.append(
                ImportWarning.of(table.header_line, messages.LEAD_FROM_BODY, unit=in_charge)
            )
    for number, table in enumerate(tables, 1):
        prefix = f"B{number}" if len(tables) > 1 and number > 1 else ""
        if "points" in table.columns and not prefix:
            found, tree = scoring_tasks(table, factory)
            tasks.extend(found)
            criteria.extend(tree)
        else:
            tasks.extend(plain_tasks(table, factory, prefix))
    # An annex that says who does what is the plan's task list: its body only sums it up.
    annex = _annex_start(lines)
    if any(t.header_line > annex and own for t, own in zip(tables, own_leads, strict=True)):
        return tasks, criteria
    taken = {i for t in tables for i in range(t.header_line - 1, t.end_line)}
    body = [("" if i in taken else flat_line(line)) for i, line in enumerate(lines)]
    spans = tuple((t.header_line, t.end_line) for t in tables if t.header_line <= annex)
    tasks.extend(body_tasks(body[:annex], factory, spans))
    return tasks, criteria


def _old_layouts(
    lines: list[str], source: str, factory: TaskFactory
) -> tuple[list[TaskDraft], list[CriterionNode]]:
    """A broken extraction with its header spaced apart (read as a stream), else the body."""
    header = find_header(lines)
    if header is None:
        flat = [flat_line(line) for line in lines]
        sections = section_tasks(flat, factory)
        if sections:
            return sections, []
        return body_tasks(flat[: _annex_start(lines)], factory), []
    index, columns, labels = header
    region = stream_region(lines)
    if region is None or region[1] >= index:
        region = None
    if region is None:
        table = Table(index + 1, columns, labels, read_spaced_rows(lines, index + 1, columns))
    else:
        table = read_stream(lines, region, columns, labels, index + 1, factory.warnings)
        table.rows.extend(read_spaced_rows(lines, index + 1, columns))
    if not table.rows:
        raise PlanImportError(messages.TABLE_WITHOUT_ROWS, file=source, line=index + 1)
    if "points" in columns:
        return scoring_tasks(table, factory)
    return plain_tasks(table, factory), []
