"""Vietnamese labels for stored codes (statuses, roles, sections, history actions)."""

from __future__ import annotations

from flask_babel import LazyString

from tracker.i18n import _l
from tracker.models import Role, TaskEventAction, TaskStatus

STATUS_LABELS: dict[str, LazyString] = {
    TaskStatus.NOT_DUE: _l("Chưa đến kỳ"),
    TaskStatus.IN_PROGRESS: _l("Đang thực hiện"),
    TaskStatus.AWAITING_REVIEW: _l("Chờ duyệt"),
    TaskStatus.RETURNED: _l("Bị trả lại"),
    TaskStatus.DONE_ON_TIME: _l("Hoàn thành đúng hạn"),
    TaskStatus.DONE_LATE: _l("Hoàn thành quá hạn"),
    TaskStatus.OVERDUE: _l("Quá hạn"),
    TaskStatus.NO_DEADLINE: _l("Không thời hạn"),
    TaskStatus.CANCELLED: _l("Đã hủy"),
    # Not stored: a task without a deadline whose phrase was not understood (needs_deadline).
    "needs_deadline": _l("Chưa có hạn — cần đặt hạn"),
}

SECTION_LABELS: dict[str, LazyString] = {
    "overdue": _l("Quá hạn"),
    "due_soon": _l("Sắp đến hạn"),
    "returned": _l("Bị trả lại"),
    "in_progress": _l("Đang thực hiện"),
    "awaiting_review": _l("Chờ duyệt"),
    "not_due": _l("Chưa đến kỳ"),
    "done": _l("Đã hoàn thành"),
}

ROLE_LABELS: dict[str, LazyString] = {
    Role.CITY_ADMIN: _l("Sở Nội vụ (thành phố)"),
    Role.NATIONAL: _l("Bộ Nội vụ (toàn quốc)"),
    Role.CHAIRMAN: _l("Chủ tịch UBND"),
    Role.VICE_CHAIRMAN: _l("Phó Chủ tịch UBND"),
    Role.FOCAL_OFFICER: _l("Cán bộ đầu mối (Phòng Văn hóa - Xã hội)"),
    Role.UNIT_HEAD: _l("Trưởng phòng/đơn vị"),
    Role.UNIT_STAFF: _l("Công chức"),
}

EVENT_LABELS: dict[TaskEventAction, LazyString] = {
    TaskEventAction.OPEN: _l("mở việc"),
    TaskEventAction.SUBMIT: _l("gửi duyệt"),
    TaskEventAction.RETURN: _l("trả lại"),
    TaskEventAction.APPROVE: _l("duyệt hoàn thành"),
    TaskEventAction.OVERDUE: _l("chuyển quá hạn"),
    TaskEventAction.ESCALATE: _l("báo cáo lên lãnh đạo"),
    TaskEventAction.ASSIGN: _l("phân công"),
    TaskEventAction.SPLIT: _l("chia cho các đơn vị"),
    TaskEventAction.SHARES_APPROVED: _l("hoàn thành khi mọi phần được chia đã được duyệt"),
    TaskEventAction.COMMENT: _l("ý kiến"),
    TaskEventAction.REMIND: _l("nhắc việc"),
    TaskEventAction.EVIDENCE: _l("tải minh chứng"),
    TaskEventAction.ATTACH: _l("đính kèm thêm minh chứng"),
    TaskEventAction.SYNC: _l("cập nhật trạng thái theo quy trình"),
    # Deadlines, extensions and plan corrections (tracker.models.task.CORRECTION_ACTIONS).
    TaskEventAction.DEADLINE_SET: _l("đặt hạn"),
    TaskEventAction.EXTENSION_REQUEST: _l("xin gia hạn"),
    TaskEventAction.EXTENSION_APPROVE: _l("đồng ý gia hạn"),
    TaskEventAction.EXTENSION_REFUSE: _l("không đồng ý gia hạn"),
    TaskEventAction.WITHDRAW: _l("hủy do thu hồi kế hoạch"),
    TaskEventAction.IMPORT_CORRECTED: _l("sửa khi nhập kế hoạch"),
    TaskEventAction.AMEND: _l("sửa theo bản sửa đổi kế hoạch"),
}


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def section_label(section: str) -> str:
    label = SECTION_LABELS.get(section)
    return str(label) if label is not None else section


def role_label(role: str) -> str:
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else role


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)  # type: ignore[call-overload]
    return str(label) if label is not None else action
