"""The outbox page, mail preferences, the unsubscribe link, and "send a reminder now"."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import PASSWORD, make_user
from tests.reminders.conftest import make_people
from tests.reminders.helpers import add_task, at, tick
from tests.smtp import SmtpServer
from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import Mail, MailStatus, Role, TaskEvent, User
from tracker.services.mail import deliver_pending_mail, unsubscribe_url
from tracker.services.reminders import send_reminder_now
from tracker.web.transactions import dispatcher

D = dt.date


def login(client: FlaskClient, user: User) -> None:
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_without_smtp_mails_stay_in_the_outbox_for_administrators(
    app: Flask, client: FlaskClient, clock: FixedClock
) -> None:
    app.config["SMTP_HOST"] = ""
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
             assignee=p.officer, title="Rà soát thủ tục hành chính")
    other = make_people("Xã Phú Thái")
    add_task(other.commune, other.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
             assignee=other.officer, title="Việc của xã khác")
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))
    assert {m.status for m in db.session.scalars(db.select(Mail))} == {MailStatus.HELD}

    login(client, p.chairman)
    page = client.get("/thu-di").get_data(as_text=True)
    assert "Chưa cấu hình máy chủ thư" in page
    assert "vào tệp lưu trữ của máy chủ sau 180 ngày" in page  # where older mail went
    assert "Rà soát thủ tục hành chính" in page
    assert "Việc của xã khác" not in page  # another commune's mail is not shown
    mail = db.session.scalars(db.select(Mail).where(Mail.commune_id == p.commune.id)).first()
    detail = client.get(f"/thu-di/{mail.id}").get_data(as_text=True)
    assert "https://han.test/viec/" in detail and "Gửi lại" in detail
    foreign = db.session.scalars(db.select(Mail).where(Mail.commune_id == other.commune.id)).first()
    assert client.get(f"/thu-di/{foreign.id}").status_code == 404

    client.post("/dang-xuat")
    login(client, p.officer)
    assert client.get("/thu-di").status_code == 403


def test_failed_mail_is_shown_first_and_can_be_retried(
    app: Flask, client: FlaskClient, clock: FixedClock, smtp_port: int
) -> None:
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
             assignee=p.officer)
    db.session.commit()
    tick(app, clock, at(D(2026, 5, 4), 9))  # nothing listens: refused, given up
    failed = db.session.scalars(db.select(Mail).where(Mail.status == MailStatus.FAILED)).all()
    assert len(failed) == 2

    login(client, p.chairman)
    page = client.get("/thu-di?trang-thai=failed").get_data(as_text=True)
    assert "Gửi không được" in page
    detail = client.get(f"/thu-di/{failed[0].id}").get_data(as_text=True)
    assert "Message-ID" not in detail and "Số lần thử" not in detail  # not for the chairman
    server = SmtpServer(smtp_port)
    server.start()
    try:
        response = client.post(f"/thu-di/{failed[0].id}/gui-lai")
        dispatcher(app).wait()  # delivered after the commit, off the request thread
    finally:
        server.stop()
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Mail, failed[0].id).status == MailStatus.SENT
    assert len(server.inbox.messages) == 1


def test_a_person_chooses_the_daily_digest(app: Flask, client: FlaskClient) -> None:
    p = make_people()
    db.session.commit()
    login(client, p.officer)
    page = client.get("/tai-khoan/thu").get_data(as_text=True)
    assert "Một thư tổng hợp mỗi ngày" in page
    response = client.post("/tai-khoan/thu", data={"mail_mode": "digest", "digest_hour": "16"})
    assert response.status_code == 302
    db.session.expire_all()
    officer = db.session.get(User, p.officer.id)
    assert (officer.mail_mode, officer.digest_hour, officer.is_unsubscribed) == (
        "digest", 16, True)


def test_the_unsubscribe_link_stops_optional_mail_only(
    app: Flask, client: FlaskClient, clock: FixedClock, smtp_server: SmtpServer
) -> None:
    p = make_people()
    add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
             assignee=p.officer)
    db.session.commit()
    url = unsubscribe_url(p.office_head.id).removeprefix("https://han.test")
    assert "Ngừng nhận" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 200  # one click, no CSRF token, no login
    assert client.post("/thu/huy-nhan/gia-mao").status_code == 404
    db.session.expire_all()
    assert db.session.get(User, p.office_head.id).is_unsubscribed

    result = tick(app, clock, at(D(2026, 5, 4), 9))
    assert [m.to for m in result.mails] == [p.officer.email]  # the head's copy is optional


def test_send_a_reminder_now(app: Flask, clock: FixedClock, smtp_server: SmtpServer) -> None:
    p = make_people()
    task = add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 4, 20),
                    assignee=p.officer, title="Báo cáo quý")
    vice = make_user(Role.VICE_CHAIRMAN, commune=p.commune, full_name="Trần Thị Phó")
    db.session.commit()
    rows = send_reminder_now(task, vice, clock)
    assert sorted(r.address for r in rows) == sorted([p.officer.email, p.office_head.email])
    assert send_reminder_now(task, vice, clock) == []  # a double click in the same minute
    db.session.commit()
    deliver_pending_mail(clock)
    [message] = smtp_server.inbox.to(p.officer.email)
    body = message.get_body(("plain",)).get_content()
    assert "Trần Thị Phó đề nghị đồng chí quan tâm việc dưới đây." in body
    assert f"https://han.test/viec/{task.id}" in body
    events = db.session.scalars(db.select(TaskEvent).where(TaskEvent.action == "remind")).all()
    assert [e.actor_id for e in events] == [vice.id]


def test_the_outbox_pages_through_every_mail_and_narrows_by_recipient_kind_task_state(
    app: Flask, client: FlaskClient, clock: FixedClock
) -> None:
    from tracker.services import outbox as outbox_service

    app.config["SMTP_HOST"] = ""
    p = make_people()
    first = add_task(p.commune, p.office, opens_on=D(2026, 4, 1), due_on=D(2026, 5, 11),
                     assignee=p.officer, title="Rà soát thủ tục hành chính")
    for n in range(outbox_service.OUTBOX_PAGE + 5):
        db.session.add(Mail(
            dedupe_key=f"manual:{n}:{first.id}:{p.officer.id}", recipient_id=p.officer.id,
            address=p.officer.email, kind="manual", step=str(n), task_id=first.id,
            commune_id=p.commune.id, scheduled_on=D(2026, 5, 4), subject=f"Thư số {n:03d}",
            body_text="", body_html="", message_id=f"<{n}@han.test>", status="held",
            created_at=clock.now() + dt.timedelta(seconds=n),
        ))
    db.session.add(Mail(
        dedupe_key="daily:x", recipient_id=p.chairman.id, address=p.chairman.email,
        kind="daily_digest", step="", task_id=None, commune_id=p.commune.id,
        scheduled_on=D(2026, 5, 4), subject="Thư tổng hợp của chủ tịch", body_text="",
        body_html="", message_id="<d@han.test>", status="sent", created_at=clock.now(),
    ))
    db.session.commit()
    total = outbox_service.OUTBOX_PAGE + 6
    login(client, p.chairman)
    page1 = client.get("/thu-di").get_data(as_text=True)
    assert f"Thư 1-{outbox_service.OUTBOX_PAGE} trong {total} thư" in page1
    assert "Thư số 204" in page1 and "Thư số 004" not in page1
    page2 = client.get("/thu-di?trang=2").get_data(as_text=True)
    assert f"Thư {outbox_service.OUTBOX_PAGE + 1}-{total} trong {total} thư" in page2
    assert "Thư số 004" in page2 and "Thư số 204" not in page2
    assert "Thư tổng hợp của chủ tịch" in page2
    by_kind = client.get("/thu-di?loai=daily_digest").get_data(as_text=True)
    assert "Thư tổng hợp của chủ tịch" in by_kind and "Thư số" not in by_kind
    by_recipient = client.get(f"/thu-di?nguoi-nhan={p.chairman.email}").get_data(as_text=True)
    assert "Thư 1-1 trong 1 thư" in by_recipient
    by_task = client.get(f"/thu-di?viec={first.id}&trang-thai=held").get_data(as_text=True)
    assert f"trong {total - 1} thư" in by_task
    by_title = client.get("/thu-di?viec=th%E1%BB%A7+t%E1%BB%A5c").get_data(as_text=True)
    assert f"trong {total - 1} thư" in by_title
    nothing = client.get("/thu-di?nguoi-nhan=ai-do-khac").get_data(as_text=True)
    assert "Không có thư nào khớp với điều kiện lọc." in nothing
