"""The outbox: every mail WDP sends is first a row here, written with the change that caused it."""
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wdp.clock import now
from wdp.extensions import db

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable Message-ID, so a resend after a crash is recognisable
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    #: erased (set to "") once the mail is sent and its address no longer needed
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    #: the mail template's name, kept for counts after the bodies are erased
    template: Mapped[str] = mapped_column(String(100))
    #: the template's values (plain JSON); the mail is rendered from them when it is sent,
    #: so queueing costs a request almost nothing. Erased (None) once sent: it holds live links
    context: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    #: filled when the mail is sent (kept for the record); rows queued before mails were
    #: rendered at send time hold their rendered bodies until sent
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    #: pending, sending (claimed by a sender until lease_until), sent or failed
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    lease_until: Mapped[datetime | None]
    #: the SMTP reply or error, never containing the address
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]


Index("ix_outbox_due", OutboxMessage.status, OutboxMessage.next_attempt_at)
