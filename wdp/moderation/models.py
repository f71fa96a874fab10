"""The append-only history of every rating's moves through the state machine."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now
from wdp.extensions import db


class RatingEvent(db.Model):
    __tablename__ = "rating_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    #: "submitter", "editor", "system", "organisation", "import" ...
    actor_type: Mapped[str] = mapped_column(String(30))
    #: the editor's id when an editor acted
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    #: code-of-conduct reason keys, comma separated
    reasons: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")

    rating = relationship("Rating")
    editor = relationship("Editor")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(RatingEvent, "before_update")
@event.listens_for(RatingEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyError("rating events are never changed or deleted")


class Reason(db.Model):
    """A code-of-conduct reason an editor can give; admins edit the wording."""

    __tablename__ = "reasons"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable key stored in RatingEvent.reasons, e.g. "anonymity"
    key: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    #: retired reasons stay for the history but are no longer offered
    active: Mapped[bool] = mapped_column(default=True)
    #: offered when an organisation's response is rejected too (some are about ratings only)
    for_responses: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    label_nl: Mapped[str] = mapped_column(String(200))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))

    def label(self, language):
        return getattr(self, f"label_{language}", None) or self.label_nl


class MessageTemplate(db.Model):
    """The editable start of a message to a submitter (or an agency), per decision and language."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("key", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the decision it belongs to: "rejected", "changes_requested", "removed", "signal"
    key: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class RatingVersion(db.Model):
    """What a rating said before the submitter changed it on an editor's request."""

    __tablename__ = "rating_versions"
    __table_args__ = (UniqueConstraint("rating_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    number: Mapped[int]
    #: {"role", "overall_score", "experience_text", "answers": {theme_id: {score, text}}}
    snapshot: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)


class Report(db.Model):
    """Someone reported a published rating ("Meld deze waardering"); an editor handles it."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    #: "kept" or "removed" once an editor decided
    outcome: Mapped[str | None] = mapped_column(String(20))
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))

    rating = relationship("Rating")
