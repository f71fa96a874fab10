"""Organisations' contact addresses, their responses to ratings (with history) and sign-ups."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now
from wdp.extensions import db


class OrganisationContact(db.Model):
    """One register contact address: its secure link covers every location with that address.

    The link tokens themselves are LinkToken rows (purpose "organisation", subject = this id),
    stored only as hashes; revoking the contact's link revokes them all.
    """

    __tablename__ = "organisation_contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: lowercase; equals lower(locations.contact_email) of the locations it covers
    email: Mapped[str] = mapped_column(String(320), unique=True)
    #: "each": one mail per published rating; "weekly": one digest a week
    notify: Mapped[str] = mapped_column(String(10), default="each")
    #: ratings published after this moment go into the next weekly digest
    digest_sent_at: Mapped[datetime | None]
    #: the last time an editor revoked the link (shown to editors)
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class Response(db.Model):
    """An organisation's one response to a published rating, moderated like a rating."""

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: one response per rating; a rejected one is rewritten in place (the history keeps each text)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), unique=True)
    #: in_moderation, approved (shown), rejected, changes_requested, removed
    status: Mapped[str] = mapped_column(String(30), default="in_moderation")
    text: Mapped[str] = mapped_column(Text)
    #: the contact whose link was used to write it
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("organisation_contacts.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    #: when the current text was sent to the editors (the response queue is oldest first)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    #: when the response entered its current status, and when an editor last decided
    status_changed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    #: an editor holds the item until reserved_until, as for ratings
    reserved_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    reserved_until: Mapped[datetime | None]

    rating = relationship("Rating", back_populates="response")
    contact: Mapped[OrganisationContact | None] = relationship()


Index("ix_responses_queue", Response.status, Response.submitted_at)


class ResponseEvent(db.Model):
    """The append-only history of a response: every move, with who, when, why and the text."""

    __tablename__ = "response_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    #: "organisation", "editor", "system"
    actor_type: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    #: code-of-conduct reason keys, comma separated
    reasons: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    #: the response text when the move happened, so a rewrite never loses the earlier one
    text: Mapped[str] = mapped_column(Text, default="")

    response = relationship("Response")
    editor = relationship("Editor")


@event.listens_for(ResponseEvent, "before_update")
@event.listens_for(ResponseEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    from wdp.moderation.models import AppendOnlyError
    raise AppendOnlyError("response events are never changed or deleted")


class SignUp(db.Model):
    """An organisation asked to take part (the public sign-up form); editors follow it up."""

    __tablename__ = "sign_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(300))
    #: the locations as the organisation typed them (names, addresses), one per line
    locations: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(200))
    #: shown to editors only; erased when the sign-up is handled and the retention has passed
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(60), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    #: the sector the organisation chose, if any
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    language: Mapped[str] = mapped_column(String(5), default="nl")
    created_at: Mapped[datetime] = mapped_column(default=now)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    #: what the editor did with it
    note: Mapped[str] = mapped_column(Text, default="")
