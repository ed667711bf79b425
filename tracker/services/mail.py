"""Mail: render, queue as rows, deliver after the commit, retry with backoff.

Services queue mails (rows in the ``mail`` table, flushed, never sent inside a transaction);
the owner of the job or request commits and then delivers: a request only what it queued
(:func:`take_queued_ids`, :func:`deliver_mail`, off the request thread), the scheduler every
due mail (:func:`deliver_pending_mail`).
Delivery claims rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) so two deliverers never
send the same row.
Without ``SMTP_HOST`` (and no injected mailer) mails are kept in the outbox (status ``held``),
readable by administrators in the app.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, get_translations
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, pass_context
from markupsafe import Markup
from sqlalchemy import ColumnElement, and_, func, insert, or_, select, update
from sqlalchemy.orm import make_transient_to_detached

from tracker.clock import Clock
from tracker.extensions import db, get_clock
from tracker.models import Mail, MailStatus, Task, User

# Re-exported: requests and jobs take the queued ids from here.
from tracker.services.unit_of_work import QUEUED_KEY as QUEUED_KEY
from tracker.services.unit_of_work import take_queued_ids as take_queued_ids
from tracker.services.unit_of_work import unit_of_work

# Minutes to wait after the 1st, 2nd, … failed attempt; the last value repeats.
RETRY_BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# After this many failed attempts a mail is given up (status failed, shown in the outbox).
DEFAULT_MAX_ATTEMPTS = 6
# A claim older than this is considered abandoned (the deliverer died mid-send).
CLAIM_TIMEOUT = dt.timedelta(minutes=15)
DELIVERY_BATCH = 500


class Mailer(Protocol):
    """Sends messages; returns one error text (or None for success) per message."""

    def deliver(self, messages: Sequence[EmailMessage]) -> list[str | None]: ...


@dataclass
class SmtpMailer:
    """SMTP with STARTTLS, implicit TLS or plain, and an optional login."""

    host: str
    port: int = 587
    security: str = "starttls"  # none | starttls | tls
    user: str = ""
    password: str = ""
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SmtpMailer:
        return cls(
            host=config["SMTP_HOST"],
            port=int(config.get("SMTP_PORT", 587)),
            security=str(config.get("SMTP_SECURITY", "starttls")).lower(),
            user=config.get("SMTP_USER", ""),
            password=config.get("SMTP_PASSWORD", ""),
        )

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if self.user:
            conn.login(self.user, self.password)
        return conn

    def deliver(self, messages: Sequence[EmailMessage]) -> list[str | None]:
        if not messages:
            return []
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return [_describe(exc)] * len(messages)
        results: list[str | None] = []
        try:
            for message in messages:
                try:
                    conn.send_message(message)
                    results.append(None)
                except smtplib.SMTPServerDisconnected as exc:
                    # The connection is gone: this and every following message failed.
                    results.extend([_describe(exc)] * (len(messages) - len(results)))
                    break
                except (OSError, smtplib.SMTPException) as exc:
                    results.append(_describe(exc))
        finally:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()
        return results


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def active_mailer() -> Mailer | None:
    """The injected mailer, else SMTP from the configuration, else None (outbox only)."""
    injected = current_app.extensions.get("tracker.mailer")
    if injected is not None:
        return injected  # type: ignore[no-any-return]
    if current_app.config.get("SMTP_HOST"):
        return SmtpMailer.from_config(current_app.config)
    return None


# --- queueing ---------------------------------------------------------------------------


@dataclass
class OutgoingMail:
    """A mail to queue: who, what, and how to render it (inside the recipient's locale)."""

    recipient: User
    kind: str
    step: str
    scheduled_on: dt.date
    template: str  # emails/<template>.html and .txt
    subject: Callable[[], str]  # called under the recipient's locale
    context: dict[str, Any] = field(default_factory=dict)
    task: Task | None = None
    commune_id: int | None = None
    is_optional: bool = False

    @property
    def dedupe_key(self) -> str:
        return dedupe_key(self.kind, self.step, self.task.id if self.task else None,
                          self.recipient.id)


def dedupe_key(kind: str, step: str, task_id: int | None, recipient_id: int) -> str:
    return f"{kind}:{step}:{task_id if task_id is not None else '-'}:{recipient_id}"


def existing_keys(keys: Sequence[str]) -> set[str]:
    """Which of these dedupe keys already have a mail row."""
    found: set[str] = set()
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        found.update(db.session.scalars(select(Mail.dedupe_key).where(Mail.dedupe_key.in_(chunk))))
    return found


def task_url(task_id: int) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/viec/{task_id}"


def app_url(path: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}{path}"


def render_mail(outgoing: OutgoingMail) -> tuple[str, str, str]:
    """Subject, plain text and HTML, in the recipient's language."""
    locale = outgoing.recipient.locale or "vi"
    context = {
        "recipient": outgoing.recipient,
        "task": outgoing.task,
        "task_url": task_url,
        "app_url": app_url,
        "preferences_url": app_url("/tai-khoan/thu"),
        "is_optional": outgoing.is_optional,
        **outgoing.context,
    }
    with force_locale(locale):
        subject = outgoing.subject()
        env = _mail_environment(locale)
        text = env.get_template(f"emails/{outgoing.template}.txt").render(
            subject=subject, **context
        )
        html = env.get_template(f"emails/{outgoing.template}.html").render(
            subject=subject, **context
        )
    return subject, text, html


def _mail_environment(locale: str) -> Environment:
    """The app's templates with one language's catalogue bound in (call in force_locale).

    A country's first day renders ~150,000 mail templates. Through the app's environment,
    every translated phrase in them looks the request's locale and catalogue up again (Flask-Babel,
    ~20 lookups a mail), and every render runs the web pages' context processors, which mails
    do not use. An overlay per language, with its own globals and the catalogue installed,
    renders the same text without either.
    """
    cache: dict[str, Environment] = current_app.extensions.setdefault("tracker.mail_env", {})
    env = cache.get(locale)
    if env is None:
        env = current_app.jinja_env.overlay(cache_size=100)  # its own compiled templates
        # Its own globals (an overlay shares its parent's dict), with gettext bound to this
        # language's catalogue; the i18n extension's ``_`` resolves ``gettext`` from them.
        env.globals = {**current_app.jinja_env.globals, **_bound_catalogue(get_translations())}
        cache[locale] = env
    return env


def _bound_catalogue(translations: Any) -> dict[str, Any]:
    """``gettext``/``ngettext`` as Jinja's new-style callables (placeholders filled by name,
    ``num`` for plurals, the result marked safe before formatting where autoescape is on),
    bound to one catalogue."""

    singular_of, plural_of = translations.gettext, translations.ngettext

    @pass_context
    def translate(context: Any, message: str, **variables: Any) -> Any:
        text = singular_of(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # the variables are escaped into it, the result left as is
        if not variables and "%" not in text:
            return text  # most phrases have no placeholder: formatting would change nothing
        return text % variables

    @pass_context
    def translate_plural(
        context: Any, singular: str, plural: str, num: int, **variables: Any
    ) -> Any:
        variables.setdefault("num", num)
        text = plural_of(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": translate, "ngettext": translate_plural}


def queue_mails(
    outgoing: Sequence[OutgoingMail], clock: Clock, *, checked: bool = False
) -> list[Mail]:
    """Add a row for each mail whose dedupe key is new; flush. Returns the new rows.

    ``checked``: the caller has just looked the keys up (the sweep). Without a mailer the rows
    are held in the outbox. Two racing callers may both pass the key check; the unique
    constraint then fails the later commit, and the caller retries.

    The mails are rendered with autoflush off and flushed once at the end: a template's lazy
    load would otherwise flush the rows added so far, one small INSERT at a time.
    """
    now = clock.now()
    seen = set() if checked else existing_keys([o.dedupe_key for o in outgoing])
    status = MailStatus.PENDING if active_mailer() is not None else MailStatus.HELD
    domain = _message_id_domain()
    rows: list[Mail] = []
    with db.session.no_autoflush:
        for item in outgoing:
            if item.dedupe_key not in seen:
                seen.add(item.dedupe_key)
                rows.append(_mail_row(item, now, status, domain))
    if _number(rows):
        # Ids known: one INSERT executed many times, without the unit of work's bookkeeping
        # per object (half the time of the flush), then the rows join the session as stored.
        columns = [column.key for column in Mail.__table__.columns]
        db.session.execute(
            insert(Mail.__table__), [{key: getattr(row, key) for key in columns} for row in rows]
        )
        for row in rows:
            make_transient_to_detached(row)
        db.session.add_all(rows)
    else:
        db.session.add_all(rows)
        db.session.flush()
    queued = db.session.info.setdefault(QUEUED_KEY, [])
    queued.extend(row.id for row in rows if row.status == MailStatus.PENDING)
    return rows


NUMBER_AT_LEAST = 100  # rows a flush takes before their ids come from the sequence at once


def _number(rows: list[Mail]) -> bool:
    """On PostgreSQL, many rows' ids from the sequence in one query (True: numbered).

    Without ids the flush must ask for them back: one INSERT … RETURNING per thousand rows,
    each with 17,000 parameters that psycopg parses anew (too long for its statement
    cache): 40 s of a country's first day.
    """
    if len(rows) < NUMBER_AT_LEAST or db.session.get_bind().dialect.name != "postgresql":
        return False
    ids = db.session.scalars(
        select(func.nextval(func.pg_get_serial_sequence("mail", "id"))).select_from(
            func.generate_series(1, len(rows))
        )
    ).all()
    for row, row_id in zip(rows, ids, strict=True):
        row.id = row_id
    return True


def _mail_row(item: OutgoingMail, now: dt.datetime, status: MailStatus, domain: str) -> Mail:
    subject, text, html = render_mail(item)
    return Mail(
        dedupe_key=item.dedupe_key,
        recipient_id=item.recipient.id,
        address=item.recipient.email,
        kind=str(item.kind),
        step=item.step,
        task_id=item.task.id if item.task else None,
        commune_id=item.commune_id,
        scheduled_on=item.scheduled_on,
        is_optional=item.is_optional,
        subject=subject,
        body_text=text,
        body_html=html,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        status=str(status),
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def _message_id_domain() -> str:
    host = urlsplit(current_app.config.get("BASE_URL", "")).hostname
    return str(current_app.config.get("CALENDAR_UID_HOST") or host or "localhost")


# --- unsubscribe ----------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="tracker.unsubscribe")


def unsubscribe_token(user_id: int) -> str:
    return str(_serializer().dumps(user_id))


def user_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(user_id: int) -> str:
    return app_url(f"/thu/huy-nhan/{unsubscribe_token(user_id)}")


# --- delivery -------------------------------------------------------------------------------


def build_message(mail: Mail, clock: Clock) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.address
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(clock.now())
    message["Auto-Submitted"] = "auto-generated"
    if mail.is_optional and mail.recipient_id is not None:
        message["List-Unsubscribe"] = f"<{unsubscribe_url(mail.recipient_id)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.body_text)
    message.add_alternative(mail.body_html, subtype="html")
    return message


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0


def retry_delay(attempts: int) -> dt.timedelta:
    index = min(attempts, len(RETRY_BACKOFF_MINUTES)) - 1
    return dt.timedelta(minutes=RETRY_BACKOFF_MINUTES[max(index, 0)])


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return or_(
        and_(Mail.status == MailStatus.PENDING, Mail.next_attempt_at <= now),
        and_(Mail.status == MailStatus.SENDING, Mail.claimed_at < now - CLAIM_TIMEOUT),
    )


def deliver_pending_mail(clock: Clock | None = None) -> DeliveryReport:
    """Send every pending mail that is due (the scheduler's job); commits claim and results.

    Call after the commit that queued the mails. Idempotent, and safe with any number of
    deliverers at once: each claims its rows before sending (see :func:`claim_due_mail`).
    """
    clock = clock or get_clock(current_app)
    return _deliver(None, clock)


def deliver_mail(mail_ids: Sequence[int], clock: Clock | None = None) -> DeliveryReport:
    """Send just these mails (the ones a request queued), if still due; commits like above."""
    clock = clock or get_clock(current_app)
    if not mail_ids:
        return DeliveryReport()
    return _deliver(list(mail_ids), clock)


def claim_due_mail(mail_ids: list[int] | None, now: dt.datetime) -> str:
    """Mark up to :data:`DELIVERY_BATCH` due rows (of ``mail_ids``, or any) as being sent by a
    new claim; returns the claim. Flushes only: the claim counts once committed.

    On PostgreSQL the rows are picked with ``SELECT … FOR UPDATE SKIP LOCKED``: several
    deliverers (web workers, a scheduler) each take rows no other one is claiming, without
    waiting on each other's locks. SQLite has one writer at a time; its single UPDATE with the
    due condition in the WHERE is enough there.
    """
    claim = uuid.uuid4().hex
    due = select(Mail.id).where(_due(now)).order_by(Mail.id).limit(DELIVERY_BATCH)
    if mail_ids is not None:
        due = due.where(Mail.id.in_(mail_ids))
    if db.session.get_bind().dialect.name == "postgresql":
        ids = list(db.session.scalars(due.with_for_update(skip_locked=True)))
        if not ids:
            return claim
        which: ColumnElement[bool] = Mail.id.in_(ids)
    else:
        which = Mail.id.in_(due.scalar_subquery())
    db.session.execute(
        update(Mail)
        .where(which)
        .where(_due(now))
        .values(status=MailStatus.SENDING, claimed_by=claim, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return claim


def _deliver(mail_ids: list[int] | None, clock: Clock) -> DeliveryReport:
    """Claim the due rows, send them, record the results.

    Delivery is a job of its own, with two units of work: the claim (committed before any
    SMTP traffic, so no transaction stays open during it) and the results.
    """
    report = DeliveryReport()
    mailer = active_mailer()
    now = clock.now()
    if mailer is None:
        with unit_of_work():
            report.held = hold_pending_mail(now)
        return report
    with unit_of_work():
        claim = claim_due_mail(mail_ids, now)
    rows = list(
        db.session.scalars(
            select(Mail).where(Mail.claimed_by == claim, Mail.status == MailStatus.SENDING)
            .order_by(Mail.id)
        )
    )
    if not rows:
        db.session.rollback()  # ends the read's transaction
        return report
    errors = mailer.deliver([build_message(row, clock) for row in rows])
    with unit_of_work():
        record_results(rows, errors, clock.now(), report)
    return report


def record_results(
    rows: Sequence[Mail], errors: Sequence[str | None], done_at: dt.datetime,
    report: DeliveryReport,
) -> None:
    """Sent, retried later with backoff, or given up after MAIL_MAX_ATTEMPTS. Flushes only."""
    max_attempts = int(current_app.config.get("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    for row, error in zip(rows, errors, strict=True):
        row.attempts += 1
        row.claimed_by = None
        if error is None:
            row.status = MailStatus.SENT
            row.sent_at = done_at
            row.last_error = None
            row.next_attempt_at = None
            report.sent += 1
        elif row.attempts >= max_attempts:
            row.status = MailStatus.FAILED
            row.last_error = error
            row.next_attempt_at = None
            report.failed += 1
        else:
            row.status = MailStatus.PENDING
            row.last_error = error
            row.next_attempt_at = done_at + retry_delay(row.attempts)
            report.retrying += 1
    db.session.flush()


def hold_pending_mail(now: dt.datetime) -> int:
    """Without a mailer, pending rows move to the outbox (held). Flushes only."""
    result = db.session.execute(
        update(Mail)
        .where(Mail.status == MailStatus.PENDING)
        .values(status=MailStatus.HELD, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def retry_failed_mail(mail_id: int, clock: Clock) -> bool:
    """An administrator asks for a failed or held mail to be tried again. Flushes only."""
    row = db.session.get(Mail, mail_id)
    if row is None or row.status not in {MailStatus.FAILED, MailStatus.HELD}:
        return False
    row.status = MailStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = clock.now()
    db.session.flush()
    db.session.info.setdefault(QUEUED_KEY, []).append(row.id)
    return True
