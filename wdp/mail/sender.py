"""The outbox sender: claims due mails atomically, sends them over SMTP, retries with backoff."""
import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message
from sqlalchemy import select, update

from wdp import extensions as ext
from wdp.clock import now
from wdp.extensions import db
from wdp.mail.models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from wdp.mail.outbox import rendered

log = logging.getLogger(__name__)

#: the longest wait between two tries, however many tries came before
MAX_RETRY_SECONDS = 6 * 60 * 60
#: one send is a few SMTP commands (MAIL, RCPT, DATA, the body), each allowed MAIL_TIMEOUT
COMMANDS_PER_SEND = 4
LEASE_EXPIRED = "lease expired: the sender stopped before it recorded the outcome"
#: anything that looks like a mail address; no stored or logged error keeps one
ADDRESS = re.compile(r"<?[^\s<>()\[\]\"',;]+@[^\s<>()\[\]\"',;]+>?")


@dataclass
class SendCounts:
    """What one round did: mails sent, to retry later, failed, and expired leases taken back."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    reclaimed: int = 0

    def count(self, status):
        if status == SENT:
            self.sent += 1
        elif status == PENDING:
            self.retry += 1
        else:
            self.failed += 1

    def __str__(self):
        return f"sent {self.sent}, retry later {self.retry}, failed {self.failed}"


def send_due(limit=100):
    """Send up to limit due mails and record each outcome; return the counts."""
    counts = SendCounts()
    counts.reclaimed, counts.failed = reclaim_expired_leases()
    lease_until, ids = claim_due(limit)
    if ids:
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id))
        _send_claimed(list(rows), lease_until, counts)
    return counts


def reclaim_expired_leases():
    """Give rows whose sender stopped mid-send back to pending (failed after the last try)."""
    moment = now()
    stale = (OutboxMessage.status == SENDING, OutboxMessage.lease_until < moment)
    last_try = OutboxMessage.attempts >= current_app.config["WDP_MAIL_MAX_ATTEMPTS"]
    failed = _update_where(*stale, last_try, status=FAILED, lease_until=None,
                           last_error=LEASE_EXPIRED)
    reclaimed = _update_where(*stale, status=PENDING, lease_until=None, next_attempt_at=moment,
                              last_error=LEASE_EXPIRED)
    db.session.commit()
    if reclaimed or failed:
        log.warning("outbox: %d expired leases back to pending, %d failed", reclaimed, failed)
    return reclaimed, failed


def claim_due(limit):
    """Mark up to limit due rows as ours until the lease ends; return the lease and their ids.

    The claim is one conditional UPDATE, so no two senders claim the same row. Claiming
    counts as a try, so a mail that keeps stopping its sender still ends.
    """
    moment = now()
    lease_until = moment + timedelta(seconds=current_app.config["WDP_MAIL_LEASE_SECONDS"])
    due = (OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= moment)
    candidates = select(OutboxMessage.id).where(*due).order_by(OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        # Locked until the commit; a second sender skips these rows instead of waiting.
        # (Not a subquery of the UPDATE: PostgreSQL may run it again and claim past limit.)
        ids = db.session.scalars(candidates.with_for_update(skip_locked=True)).all()
        chosen = OutboxMessage.id.in_(ids)
    else:
        # SQLite runs the whole UPDATE, subquery included, under its single write lock.
        chosen = OutboxMessage.id.in_(candidates)
    claim = (update(OutboxMessage).where(chosen, *due)
             .values(status=SENDING, lease_until=lease_until,
                     attempts=OutboxMessage.attempts + 1)
             .returning(OutboxMessage.id))
    claimed = db.session.scalars(claim, execution_options={"synchronize_session": False}).all()
    db.session.commit()
    return lease_until, sorted(claimed)


def send_until_stopped(stop, limit=100, interval=30.0, report=None):
    """Send what is due every interval seconds until stop is set; after a full batch, at once."""
    while not stop.is_set():
        counts = send_due(limit)
        db.session.remove()  # hold no database connection while waiting
        if report is not None:
            report(counts)
        if counts.sent < limit:
            stop.wait(interval)


def _send_claimed(rows, lease_until, counts):
    """Send claimed rows over one connection; when it fails, all unsent rows try again later."""
    unsent = list(rows)
    try:
        with _connection() as connection:
            while unsent and _time_for_one_more(lease_until):
                _record(unsent[0], lease_until, _send_one(connection, unsent[0]), counts)
                unsent.pop(0)
    except OSError as error:  # no server, or the connection broke (SMTPException is an OSError)
        for row in unsent:
            _record(row, lease_until, _failure(row, error), counts)
        return
    _release(unsent, lease_until)


def _send_one(connection, row):
    """Send one mail; return the changes that record the outcome.

    A reply from the server is this mail's outcome; a broken connection is raised.
    """
    try:
        mail = rendered(row)
    except Exception as error:  # a template that cannot render: retrying will not help
        log.exception("outbox %s (%s): the mail could not be rendered", row.id, row.template)
        return {"status": FAILED, "lease_until": None,
                "last_error": describe_error(error, row.recipient)}
    try:
        connection.send(_message(row, mail))
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, BadHeaderError) as error:
        return _failure(row, error)
    # The server has it: the values and bodies (live links) and the address are no longer
    # needed; the subject stays for the record.
    return {"status": SENT, "sent_at": now(), "recipient": "", "context": None,
            "subject": mail.subject, "body_text": "", "body_html": "",
            "lease_until": None, "last_error": ""}


def _message(row, mail):
    message = Message(
        subject=mail.subject, recipients=[row.recipient], body=mail.text, html=mail.html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"Content-Language": row.language, "Auto-Submitted": "auto-generated"})
    message.msgId = row.message_id  # the stored one: a resend after a crash is recognisable
    return message


def _failure(row, error):
    """Retry later with backoff, or fail for good on a 5xx reply or after the last try."""
    last_error = describe_error(error, row.recipient)
    code = reply_code(error)
    permanent = isinstance(error, BadHeaderError) or (code is not None and code >= 500)
    if permanent or row.attempts >= current_app.config["WDP_MAIL_MAX_ATTEMPTS"]:
        return {"status": FAILED, "lease_until": None, "last_error": last_error}
    return {"status": PENDING, "lease_until": None, "last_error": last_error,
            "next_attempt_at": now() + retry_delay(row.attempts)}


def retry_delay(attempts):
    """base * 2**attempts seconds after the tries so far, at most MAX_RETRY_SECONDS."""
    base = current_app.config["WDP_MAIL_RETRY_BASE_SECONDS"]
    return timedelta(seconds=min(base * 2 ** attempts, MAX_RETRY_SECONDS))


def reply_code(error):
    """The SMTP reply code an error carries, or None when the server did not answer."""
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return next(iter(error.recipients.values()))[0]
    return None


def describe_error(error, recipient):
    """The error on one line, without the recipient or any other mail address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, reply = next(iter(error.recipients.values()))
        text = f"{code} {_text(reply)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    if recipient:
        text = re.sub(f"<?{re.escape(recipient)}>?", "<address>", text, flags=re.IGNORECASE)
    return " ".join(ADDRESS.sub("<address>", text).split())[:500]


def _text(reply):
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _record(row, lease_until, changes, counts):
    """Store an outcome if the row is still ours, count it and log it without the address."""
    row_id, template = row.id, row.template
    still_ours = _update_where(OutboxMessage.id == row_id, OutboxMessage.status == SENDING,
                               OutboxMessage.lease_until == lease_until, **changes)
    db.session.commit()
    if not still_ours:
        log.warning("outbox %s (%s): lease lost before the outcome was stored", row_id, template)
        return
    counts.count(changes["status"])
    error = changes["last_error"]
    log.info("outbox %s (%s): %s%s", row_id, template, changes["status"],
             f" ({error})" if error else "")


def _release(rows, lease_until):
    """Give back claimed rows that were not tried, without counting a try."""
    if not rows:
        return
    _update_where(OutboxMessage.id.in_([row.id for row in rows]),
                  OutboxMessage.status == SENDING, OutboxMessage.lease_until == lease_until,
                  status=PENDING, lease_until=None, attempts=OutboxMessage.attempts - 1)
    db.session.commit()


def _time_for_one_more(lease_until):
    """Whether one more send surely ends before the lease, after which another sender may retry."""
    worst_case = timedelta(seconds=COMMANDS_PER_SEND * current_app.config["MAIL_TIMEOUT"])
    return now() + worst_case < lease_until


def _update_where(*conditions, **values):
    """One UPDATE on the outbox; return how many rows it changed."""
    statement = update(OutboxMessage).where(*conditions).values(**values)
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    return result.rowcount


def _connection():
    # The MAIL_* settings are read now, not at start-up, so a changed setting applies.
    return _TimedConnection(ext.mail.init_mail(current_app.config))


class _TimedConnection(Connection):
    """Flask-Mail's connection with MAIL_TIMEOUT, so a silent server cannot outlast a lease."""

    def configure_host(self):
        # Never smtplib's debug output: it prints addresses and bodies.
        smtp = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp(self.mail.server, self.mail.port, timeout=current_app.config["MAIL_TIMEOUT"])
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb):
        try:
            super().__exit__(exc_type, exc_value, tb)
        except OSError:  # the server already went away: close our side quietly
            self.host.close()
