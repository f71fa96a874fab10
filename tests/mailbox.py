"""Reading the outbox in tests: rows rendered as they will be sent, usable outside the app context."""
from dataclasses import dataclass

from sqlalchemy import select

from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.mail.outbox import rendered


@dataclass
class Mail:
    id: int
    template: str
    recipient: str
    language: str
    status: str
    subject: str
    text: str
    html: str


def snapshot(row):
    """An outbox row with its rendered subject, text and HTML (call inside the app context)."""
    mail = rendered(row)
    return Mail(row.id, row.template, row.recipient, row.language, row.status,
                mail.subject, mail.text, mail.html)


def outbox(app, recipient=None):
    """Every mail in the outbox (to one recipient), oldest first."""
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient is not None:
            query = query.where(OutboxMessage.recipient == recipient)
        return [snapshot(row) for row in db.session.scalars(query)]


def last_mail_to(app, recipient):
    """The newest mail to the address, or None."""
    mails = outbox(app, recipient)
    return mails[-1] if mails else None
