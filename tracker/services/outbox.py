"""The outbox as administrators read it, and each person's mail preferences."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Mail, MailKind, MailStatus, Role, Task, User
from tracker.services.permissions import role_of
from tracker.services.scope import commune_ids

OUTBOX_PAGE = 200
MAIL_MODES = ("instant", "digest")


def _visible_mail(user: User) -> Select[tuple[Mail]]:
    """Sở Nội vụ sees its province's mail (and the city's own); a commune's administrators
    their commune's."""
    query = select(Mail)
    if role_of(user) is Role.CITY_ADMIN:
        return query.where(or_(Mail.commune_id.in_(commune_ids(user)), Mail.commune_id.is_(None)))
    if user.commune_id is None:
        return query.where(false())
    return query.where(Mail.commune_id == user.commune_id)


@dataclass(frozen=True)
class OutboxFilters:
    """What the outbox is narrowed to: the query string of ``/thu-di``, already parsed."""

    status: str | None = None
    kind: str | None = None
    recipient: str = ""  # part of a name or an address
    task: str = ""  # a task number ("1234") or part of its title
    page: int = 1


@dataclass
class Outbox:
    mails: list[Mail]
    counts: Counter[str]
    filters: OutboxFilters
    matching: int  # mails that match the filters, over every page
    page: int
    pages: int

    @property
    def status(self) -> str | None:
        return self.filters.status

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * OUTBOX_PAGE + 1 if self.mails else 0

    @property
    def last_shown(self) -> int:
        return (self.page - 1) * OUTBOX_PAGE + len(self.mails)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def read_outbox(user: User, filters: OutboxFilters | None = None) -> Outbox:
    """One page of the mails this person may read, newest first (failed ones first when no
    status is chosen), narrowed by ``filters``, and the counts by status before narrowing."""
    filters = filters or OutboxFilters()
    if filters.status is not None and filters.status not in set(MailStatus):
        filters = replace(filters, status=None)
    if filters.kind is not None and filters.kind not in set(MailKind):
        filters = replace(filters, kind=None)
    base = _visible_mail(user)
    counted = base.with_only_columns(Mail.status, func.count()).group_by(Mail.status)
    counts: Counter[str] = Counter({s: n for s, n in db.session.execute(counted)})
    query = base
    if filters.status is not None:
        query = query.where(Mail.status == filters.status)
    if filters.kind is not None:
        query = query.where(Mail.kind == filters.kind)
    if filters.recipient.strip():
        pattern = _like(filters.recipient.strip())
        query = query.outerjoin(User, User.id == Mail.recipient_id).where(
            or_(
                func.lower(Mail.address).like(pattern, escape="\\"),
                func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    task_text = filters.task.strip().lstrip("#")
    if task_text:
        if task_text.isdigit():
            query = query.where(Mail.task_id == int(task_text))
        else:
            pattern = _like(task_text)
            query = query.join(Task, Task.id == Mail.task_id).where(
                func.lower(Task.title).like(pattern, escape="\\")
            )
    matching = db.session.scalar(
        query.with_only_columns(func.count(Mail.id)).order_by(None)
    ) or 0
    pages = max(1, math.ceil(matching / OUTBOX_PAGE))
    page = min(max(1, filters.page), pages)
    ordered = query.order_by(
        (Mail.status != MailStatus.FAILED), Mail.created_at.desc(), Mail.id.desc()
    ).options(selectinload(Mail.recipient))
    rows = list(db.session.scalars(ordered.limit(OUTBOX_PAGE).offset((page - 1) * OUTBOX_PAGE)))
    return Outbox(rows, counts, filters, matching, page, pages)


def find_visible_mail(user: User, mail_id: int) -> Mail | None:
    return db.session.scalar(_visible_mail(user).where(Mail.id == mail_id))


def update_mail_preferences(
    user: User, *, mail_mode: str, digest_hour: int, wants_optional: bool
) -> None:
    """Instant mails or one daily digest at an hour (Vietnam time). Flushes only."""
    if mail_mode not in MAIL_MODES or not 0 <= digest_hour <= 23:
        raise ValueError("invalid mail preference")
    user.mail_mode = mail_mode
    user.digest_hour = digest_hour
    user.is_unsubscribed = not wants_optional
    db.session.flush()


def unsubscribe(user_id: int) -> User | None:
    """The List-Unsubscribe target: optional mails stop. Flushes only."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.is_unsubscribed = True
        db.session.flush()
    return user
