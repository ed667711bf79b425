"""The main navigation: one list, one line per page. Other blueprints add their line here.

Pages about one's own account (mail preferences, API keys) are linked beside the person's
name instead: few people need them, and everyone's menu would carry them.

An item shows when its endpoint is registered and the role holds its action, so the menu
never links to a page that answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import LazyString

from tracker.i18n import _l
from tracker.services.permissions import Action
from tracker.services.task_lists import waiting_count


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString
    action: Action


NAV: list[NavItem] = [
    NavItem("tasks.task_list", _l("Việc của phòng"), Action.VIEW),
    NavItem("reviews.review_queue", _l("Chờ duyệt"), Action.REVIEW),
    NavItem("assignments.assignment_list", _l("Phân công"), Action.ASSIGN),
    NavItem("deadlines.needing_deadline", _l("Cần đặt hạn"), Action.SET_DEADLINE),
    NavItem("deadlines.extension_queue", _l("Gia hạn"), Action.DECIDE_EXTENSION),
    NavItem("dashboards.overdue_board", _l("Bảng quá hạn"), Action.VIEW_OVERDUE_BOARD),
    NavItem("dashboards.commune_rollup", _l("Tổng hợp xã"), Action.VIEW_COMMUNE_ROLLUP),
    NavItem("national.national_rollup", _l("Toàn quốc"), Action.VIEW_NATIONAL_ROLLUP),
    NavItem("dashboards.city_rollup", _l("Toàn thành phố"), Action.VIEW_CITY_ROLLUP),
    NavItem("reports.assessment", _l("Tự đánh giá"), Action.VIEW_ASSESSMENT),
    NavItem("plans.import_plan", _l("Nhập kế hoạch"), Action.IMPORT_PLAN),
    NavItem("plans.plan_list", _l("Kế hoạch"), Action.VIEW),
    NavItem("outbox.outbox", _l("Thư đi"), Action.READ_OUTBOX),
    NavItem("calendars.calendar_page", _l("Lịch"), Action.VIEW),
]


def _waiting(item: NavItem) -> int:
    """What waits for this person behind a menu line ("Chờ duyệt 3"); 0 for other lines."""
    if item.action is not Action.REVIEW:
        return 0
    from tracker.web.access import current_account  # access imports this module's users

    return waiting_count(current_account())


def init_app(app: Flask) -> None:
    from tracker.web.access import role_may

    @app.context_processor
    def navigation() -> dict[str, Any]:
        def nav_items() -> list[dict[str, Any]]:
            items = []
            for item in NAV:
                if item.endpoint not in current_app.view_functions or not role_may(item.action):
                    continue
                items.append(
                    {
                        "url": url_for(item.endpoint),
                        "label": item.label,
                        "current": request.endpoint == item.endpoint,
                        "waiting": _waiting(item),
                    }
                )
            return items

        return {"nav_items": nav_items}
