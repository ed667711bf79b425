"""The tables people see, as workbook tables: task lists, the overdue board, the roll-ups
and the scoring table. Headings are Vietnamese (gettext); status labels come from the caller
(the web layer owns them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from tracker.clock import VN_TZ
from tracker.i18n import _, format_date_short
from tracker.models import Commune, Task
from tracker.services.city_rollups import CityRollup
from tracker.services.dashboards import AGE_BUCKETS, ROLLUP_STATUSES, OverdueBoard
from tracker.services.exports.workbook import Column, Table
from tracker.services.rollups import CommuneRollup, StatusCounts
from tracker.services.scoring import Sheet

Label = Callable[[str], str]


def caption(
    title: str, commune: Commune | None, year: int | None, printed_on: dt.date
) -> list[str]:
    lines = [title]
    if commune is not None:
        lines.append(commune.name)
    if year is not None:
        lines.append(_("Năm %(year)d", year=year))
    lines.append(_("Ngày in: %(day)s", day=format_date_short(printed_on)))
    return lines


def _local(at: dt.datetime | None) -> dt.datetime | None:
    """An instant as Hải Phòng wall time without zone (Excel has no zones)."""
    return at.astimezone(VN_TZ).replace(tzinfo=None) if at else None


def _days_late(task: Task, status: str, day: dt.date) -> int | None:
    if status != "overdue" or task.due_on is None or task.due_on >= day:
        return None
    return (day - task.due_on).days


def task_table(
    tasks: Iterable[tuple[Task, str]],
    status_label: Label,
    day: dt.date,
    caption_lines: list[str],
) -> Table:
    """Tasks with their (effective) status, in the order given."""
    columns = [
        Column(_("Số TT"), 9),
        Column(_("Nội dung công việc"), 60),
        Column(_("Nhóm tiêu chí"), 28),
        Column(_("Xã, phường"), 20),
        Column(_("Đơn vị chủ trì"), 28),
        Column(_("Người phụ trách"), 22),
        Column(_("Năm"), 7, "int"),
        Column(_("Ngày bắt đầu"), 12, "date"),
        Column(_("Hạn hoàn thành"), 12, "date"),
        Column(_("Trạng thái"), 18),
        Column(_("Số ngày quá hạn"), 10, "int"),
        Column(_("Điểm chuẩn"), 9, "number"),
        Column(_("Ngày hoàn thành"), 12, "date"),
    ]
    rows = [
        [
            task.ref,
            task.title,
            task.group,
            task.commune.name,
            task.unit.name,
            task.assignee.full_name if task.assignee else None,
            task.year,
            task.opens_on,
            task.due_on,
            status_label(status),
            _days_late(task, status, day),
            task.points,
            _local(task.completed_at).date() if task.completed_at else None,  # type: ignore[union-attr]
        ]
        for task, status in tasks
    ]
    return Table(_("Danh sách việc"), caption_lines, columns, rows)


def overdue_tables(board: OverdueBoard, bucket_label: Label, printed_on: dt.date) -> list[Table]:
    lines = caption(_("Bảng việc quá hạn"), board.commune, None, printed_on)
    items = Table(
        _("Việc quá hạn"),
        lines,
        [
            Column(_("Số TT"), 9),
            Column(_("Nội dung công việc"), 60),
            Column(_("Đơn vị chủ trì"), 28),
            Column(_("Người phụ trách"), 22),
            Column(_("Hạn hoàn thành"), 12, "date"),
            Column(_("Số ngày quá hạn"), 10, "int"),
            Column(_("Mức quá hạn"), 16),
            Column(_("Nhắc lần cuối"), 17, "datetime"),
            Column(_("Đã báo cáo lãnh đạo"), 12),
        ],
        [
            [
                e.task.ref,
                e.task.title,
                e.task.unit.name,
                e.task.assignee.full_name if e.task.assignee else None,
                e.task.due_on,
                e.days_late,
                bucket_label(e.bucket),
                _local(e.last_reminded_at),
                _("Có") if e.task.escalated_at else "",
            ]
            for e in board.items
        ],
    )
    buckets = [key for key, _first, _last in AGE_BUCKETS]
    by_unit = Table(
        _("Theo đơn vị"),
        lines,
        [
            Column(_("Đơn vị"), 36),
            Column(_("Tổng số việc quá hạn"), 12, "int"),
            *[Column(bucket_label(key), 12, "int") for key in buckets],
        ],
        [[r.unit.name, r.total, *[r.by_bucket[k] for k in buckets]] for r in board.by_unit]
        + [[_("Tổng cộng"), board.total, *[board.by_bucket[k] for k in buckets]]],
        bold_rows={len(board.by_unit)},
    )
    return [items, by_unit]


def _counts_columns(status_label: Label) -> list[Column]:
    return [
        Column(_("Tổng số việc"), 10, "int"),
        *[Column(status_label(str(s)), 12, "int") for s in ROLLUP_STATUSES],
        Column(_("Tiến độ"), 9, "percent"),
        Column(_("Tỷ lệ đúng hạn"), 10, "percent"),
        Column(_("Điểm đạt được"), 10, "number"),
        Column(_("Điểm tối đa"), 10, "number"),
    ]


def _counts_values(counts: StatusCounts) -> list[object]:
    return [
        counts.total,
        *[counts.count(s) for s in ROLLUP_STATUSES],
        counts.progress,
        counts.on_time_rate,
        counts.points_secured if counts.has_points else None,
        counts.points_possible if counts.has_points else None,
    ]


def commune_rollup_tables(
    rollup: CommuneRollup, status_label: Label, printed_on: dt.date
) -> list[Table]:
    lines = caption(_("Tổng hợp kết quả thực hiện"), rollup.commune, rollup.year, printed_on)
    by_unit = Table(
        _("Theo đơn vị"),
        lines,
        [Column(_("Đơn vị"), 36), *_counts_columns(status_label)],
        [[u.name, *_counts_values(c)] for u, c in rollup.by_unit]
        + [[_("Toàn xã, phường"), *_counts_values(rollup.total)]],
        bold_rows={len(rollup.by_unit)},
    )
    by_group = Table(
        _("Theo nhóm tiêu chí"),
        lines,
        [Column(_("Nhóm tiêu chí"), 48), *_counts_columns(status_label)],
        [[g or _("Ngoài nhóm tiêu chí"), *_counts_values(c)] for g, c in rollup.by_group],
    )
    return [by_unit, by_group]


def city_rollup_table(rollup: CityRollup, status_label: Label, printed_on: dt.date) -> Table:
    lines = caption(_("Tổng hợp các xã, phường, đặc khu"), None, rollup.year, printed_on)
    return Table(
        _("Toàn thành phố"),
        lines,
        [
            Column(_("Xã, phường, đặc khu"), 30),
            Column(_("Mã đơn vị hành chính"), 12),
            *_counts_columns(status_label),
            Column(_("Mức đăng ký"), 10, "int"),
            Column(_("Mức đạt"), 10, "int"),
            Column(_("Điểm thẩm định"), 10, "number"),
        ],
        [
            [
                r.commune.name,
                r.commune.code,
                *_counts_values(r.counts),
                r.registered_level,
                r.reached_level,
                r.score,
            ]
            for r in rollup.rows
        ],
    )


def scoring_table(sheet: Sheet, printed_on: dt.date) -> Table:
    """The scoring table in document order, then the totals per group and overall."""
    lines = caption(_("Bảng tự đánh giá, chấm điểm"), sheet.commune, sheet.year, printed_on)
    columns = [
        Column(_("Số TT"), 11),
        Column(_("Tiêu chí"), 60),
        Column(_("Điểm chuẩn"), 9, "number"),
        Column(_("Các ý cộng lại"), 9, "number"),
        Column(_("Chênh lệch"), 9, "number"),
        Column(_("Đơn vị chủ trì"), 26),
        Column(_("Điểm tự chấm"), 9, "number"),
        Column(_("Giải trình"), 30),
        Column(_("Minh chứng"), 40),
        Column(_("Điểm thẩm định"), 9, "number"),
        Column(_("Nhận xét của thành phố"), 30),
    ]
    rows: list[list[object]] = []
    bold: set[int] = set()
    for row in sheet.rows:
        item = row.item
        if item is None:
            bold.add(len(rows))
            rows.append(
                [row.ref, row.title, row.stated_points, row.parts_points, row.difference]
                + [None] * 6
            )
            continue
        rows.append(
            [
                row.ref,
                ("    " * row.depth) + row.title,
                item.points,
                None,
                None,
                ", ".join(item.unit_names),
                item.self_score,
                item.score.self_note if item.score else None,
                evidence_text(item.plan_item.evidence, [e.original_name for e in item.evidence]),
                item.appraised_score,
                item.score.appraisal_comment if item.score else None,
            ]
        )
    for group in sheet.groups:
        bold.add(len(rows))
        rows.append(
            [
                group.ref,
                _("Cộng %(group)s", group=group.title),
                group.stated_points,
                group.item_points,
                group.difference,
                None,
                group.self_total,
                None,
                None,
                group.appraised_total,
                None,
            ]
        )
    bold.add(len(rows))
    rows.append(
        [
            "",
            _("Tổng cộng"),
            sheet.stated_points,
            sheet.item_points,
            None,
            None,
            sheet.self_total,
            None,
            None,
            sheet.appraised_total,
            None,
        ]
    )
    return Table(_("Bảng điểm"), lines, columns, rows, bold)


def evidence_text(expected: str | None, files: list[str]) -> str:
    """What the annex expects, then the files the item's tasks hold."""
    parts = [expected] if expected else []
    if files:
        parts.append(_("Tệp đính kèm: %(files)s", files="; ".join(files)))
    return "\n".join(parts)
