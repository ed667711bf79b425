"""The outbox as administrators read it, and each person's mail preferences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, false, func, select

from tracker.extensions import db
from tracker.models import Mail, MailStatus, Role, User
from tracker.services.permissions import role_of

OUTBOX_PAGE = 200
MAIL_MODES = ("instant", "digest")


def _visible_mail(user: User) -> Select[tuple[Mail]]:
    """City administrators see every commune's mail; a commune's administrators their own."""
    query = select(Mail)
    if role_of(user) is Role.CITY_ADMIN:
        return query
    if user.commune_id is None:
        return query.where(false())
    return query.where(Mail.commune_id == user.commune_id)


@dataclass
class Outbox:
    mails: list[Mail]
    counts: Counter[str]
    status: str | None


def read_outbox(user: User, status: str | None = None) -> Outbox:
    """The newest mails (failed ones first when no status is chosen) and counts by status."""
    if status is not None and status not in set(MailStatus):
        status = None
    base = _visible_mail(user)
    counted = base.with_only_columns(Mail.status, func.count()).group_by(Mail.status)
    counts: Counter[str] = Counter({s: n for s, n in db.session.execute(counted)})
    query = base.order_by(
        (Mail.status != MailStatus.FAILED), Mail.created_at.desc(), Mail.id.desc()
    ).limit(OUTBOX_PAGE)
    if status is not None:
        query = query.where(Mail.status == status)
    return Outbox(list(db.session.scalars(query)), counts, status)


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
