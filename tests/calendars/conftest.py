"""A commune with five years of deadlines, people in every role, and feed helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import (
    PASSWORD,
    make_commune,
    make_plan,
    make_plan_item,
    make_task,
    make_user,
    unit_named,
)
from tracker.extensions import db
from tracker.models import CalendarScope, Commune, Role, Task, TaskStatus, Unit, User
from tracker.services import calendar_tokens

NOW = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)  # the clock fixture: 09:00 in Hải Phòng
LONG_TITLE = (
    "Rà soát, cập nhật, công khai đầy đủ, kịp thời các thủ tục hành chính thuộc thẩm quyền "
    "giải quyết của UBND phường trên Cổng Dịch vụ công quốc gia và tại Bộ phận Một cửa; "
    "niêm yết quy trình nội bộ, thời gian giải quyết và phí, lệ phí theo quy định"
)


@dataclass
class CalendarWorld:
    home: Commune
    other: Commune
    focal: Unit
    office: Unit
    economy: Unit
    users: dict[Role, User]
    tasks: list[Task]  # every task of the home commune
    foreign: list[Task]  # the other commune's

    def rows(self, **where: object) -> list[Task]:
        return [t for t in self.tasks if all(getattr(t, k) == v for k, v in where.items())]


@pytest.fixture
def cworld(app: Flask) -> CalendarWorld:
    home = make_commune("Phường Hòa Bình")
    other = make_commune("Xã Phú Thái", kind="xa")
    focal = unit_named(home, "Phòng Văn hóa - Xã hội")
    office = unit_named(home, "Văn phòng HĐND và UBND")
    economy = unit_named(home, "Phòng Kinh tế, Hạ tầng và Đô thị")
    plan = make_plan(home, tasks=0, number="102/KH-UBND")
    annex = [
        make_plan_item(
            plan,
            ref="1",
            title=LONG_TITLE,
            time_text="Thường xuyên, xuyên suốt năm; Quý IV hằng năm",
            lead_units=["Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND"],
            coordinating_units=["Các phòng, cơ quan, đơn vị"],
            evidence="Ảnh chụp bảng niêm yết; đường dẫn trang thông tin điện tử",
            points=5,
        ),
        make_plan_item(
            plan,
            ref="2",
            title="Báo cáo tự đánh giá, chấm điểm kết quả thực hiện mô hình gửi Sở Nội vụ",
            time_text="Trước ngày 15/11 hằng năm",
        ),
        make_plan_item(
            plan,
            ref="3",
            title="Đăng ký mức độ đạt chuẩn “Chính quyền thân thiện” với Sở Nội vụ",
            time_text="Trước ngày 15/02 hằng năm",
            lead_units=["Phòng Văn hóa - Xã hội"],
            coordinating_units=[],
        ),
    ]
    users = {
        Role.CITY_ADMIN: make_user(Role.CITY_ADMIN, username="sonoivu", full_name="Sở Nội vụ"),
        Role.CHAIRMAN: make_user(Role.CHAIRMAN, commune=home, username="chutich"),
        Role.FOCAL_OFFICER: make_user(Role.FOCAL_OFFICER, commune=home, unit=focal),
        Role.UNIT_HEAD: make_user(Role.UNIT_HEAD, commune=home, unit=office, username="tp"),
        Role.UNIT_STAFF: make_user(Role.UNIT_STAFF, commune=home, unit=economy, username="cc"),
    }
    staff = users[Role.UNIT_STAFF]
    tasks: list[Task] = []
    for year in range(2026, 2031):
        tasks.append(
            make_task(annex[0], office, due_on=dt.date(year, 12, 31), sequence=year - 2026)
        )
        tasks.append(make_task(annex[1], focal, due_on=dt.date(year, 11, 14)))
        tasks.append(
            make_task(annex[2], focal, due_on=dt.date(year, 2, 14), status=_status_for(year))
        )
        tasks.append(
            make_task(
                annex[0],
                economy,
                due_on=dt.date(year, 10, 31),
                occurrence_key=f"{year}-Q4",
                assignee_id=staff.id,
            )
        )
    # Finished recently: still shown, as cancelled; finished long ago: gone from the feed.
    tasks[2].completed_at = dt.datetime(2026, 4, 28, 3, 0, tzinfo=dt.UTC)
    tasks.append(
        make_task(
            annex[1],
            office,
            due_on=dt.date(2026, 3, 31),
            occurrence_key="2026-Q1",
            status=TaskStatus.DONE_LATE,
            completed_at=dt.datetime(2026, 4, 2, 3, 0, tzinfo=dt.UTC),
        )
    )
    tasks.append(
        make_task(
            annex[1],
            office,
            due_on=dt.date(2026, 6, 30),
            occurrence_key="2026-Q2",
            status=TaskStatus.CANCELLED,
            updated_at=dt.datetime(2026, 5, 2, 3, 0, tzinfo=dt.UTC),
        )
    )
    # Ongoing work without a deadline: no event, but a todo.
    tasks.append(
        make_task(
            annex[0],
            focal,
            due_on=None,
            occurrence_key="ongoing",
            status=TaskStatus.NO_DEADLINE,
        )
    )
    other_plan = make_plan(other, tasks=1)
    foreign = [
        make_task(other_plan.tasks[0], unit_named(other, "Phòng Văn hóa - Xã hội"), due_on=d)
        for d in (dt.date(2026, 11, 14), dt.date(2027, 11, 14))
    ]
    db.session.commit()
    return CalendarWorld(home, other, focal, office, economy, users, tasks, foreign)


def _status_for(year: int) -> str:
    return str(TaskStatus.DONE_ON_TIME if year == 2026 else TaskStatus.NOT_DUE)


def issue(user: User, scope: CalendarScope, **options: object) -> str:
    """A committed feed token for ``user``; returns the secret."""
    _, secret = calendar_tokens.create_token(
        user,
        scope,
        device_name=str(options.pop("device_name", "Điện thoại")),
        now=NOW,
        **options,  # type: ignore[arg-type]
    )
    db.session.commit()
    return secret


def login(client: FlaskClient, user: User) -> None:
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
