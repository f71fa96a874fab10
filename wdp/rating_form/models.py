"""Ratings, their answers per theme, the drafts of the form and its anonymous step counts."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.sectors.models import Theme

#: who fills in the rating (product.md "Who are you?")
ROLES = ("self", "parent", "family", "representative", "supporter", "staff")


class Rating(db.Model):
    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    #: a wdp.moderation.workflow.Status value; only workflow.transition() sets it
    status: Mapped[str] = mapped_column(String(30), index=True)
    role: Mapped[str] = mapped_column(String(30))
    #: the language the person wrote in; their mails go out in it
    language: Mapped[str] = mapped_column(String(5), default="nl")
    overall_score: Mapped[int | None] = mapped_column(SmallInteger)
    experience_text: Mapped[str] = mapped_column(Text, default="")
    #: never shown publicly; erased with the text when personal data must go
    email: Mapped[str | None] = mapped_column(String(320))
    #: short number shown to the person and quoted in every mail, e.g. "W-4K7P2Q"
    reference: Mapped[str | None] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    submitted_at: Mapped[datetime | None]
    #: when the e-mail address was confirmed (the rating entered moderation)
    confirmed_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    #: when the rating entered its current status (set by workflow.transition()): reminders,
    #: archiving and auto-publishing count from here
    status_changed_at: Mapped[datetime | None]
    #: when an editor last decided on it (left in_moderation): time to decision
    decided_at: Mapped[datetime | None]
    #: asked on the check page under the "consent at submission" policy: may it go online
    #: as soon as the editors approve it? None when not asked
    publish_consent: Mapped[bool | None]
    #: the publication policy applied at the last approval (wdp/publication/policy.py), so a
    #: later change of policy does not break what the approval mail promised
    publication_policy: Mapped[str | None] = mapped_column(String(20))
    #: an earlier confirmed rating of the same address for the same location, within
    #: the repeat interval: shown to the editors, never blocking
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))
    #: when text and e-mail were erased (expired, rejected past retention, withdrawn)
    personal_data_erased_at: Mapped[datetime | None]
    #: an editor holds the item until reserved_until, so two editors never judge it at once
    reserved_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    reserved_until: Mapped[datetime | None]
    #: 1..n among the location's published ratings in publication order, kept dense by
    #: the state machine so any page of ratings is one index range
    publication_rank: Mapped[int | None]

    location: Mapped[Location] = relationship()
    answers: Mapped[list["RatingAnswer"]] = relationship(
        back_populates="rating", cascade="all, delete-orphan")
    response = relationship("Response", uselist=False, back_populates="rating")

    @property
    def versions_count(self):
        """How often the submitter changed this rating after the editors asked."""
        from sqlalchemy import func, select

        from wdp.moderation.models import RatingVersion
        return db.session.scalar(select(func.count()).select_from(RatingVersion).where(
            RatingVersion.rating_id == self.id))


Index("ix_ratings_location_rank", Rating.location_id, Rating.publication_rank)
#: repeat ratings: the same (lowercased) address at the same location
Index("ix_ratings_location_email", Rating.location_id, Rating.email)
#: the editors' queues: waiting ratings, oldest confirmation first
Index("ix_ratings_status_confirmed", Rating.status, Rating.confirmed_at)
#: one address's ratings, whatever the case of its local part: the editors' flags (same
#: address, repeat), editor search and "send my links again"
Index("ix_ratings_lower_email_location", func.lower(Rating.email), Rating.location_id)
#: the editors' burst flag: a location's recent confirmations
Index("ix_ratings_location_confirmed", Rating.location_id, Rating.confirmed_at)
#: "Volgende" frees the editor's earlier reservation: only reserved rows are indexed
Index("ix_ratings_reserved_by", Rating.reserved_by_id,
      postgresql_where=Rating.reserved_by_id.is_not(None),
      sqlite_where=Rating.reserved_by_id.is_not(None))
#: the jobs: ratings waiting in a status since a moment (reminders, archiving, auto-publish)
Index("ix_ratings_status_changed", Rating.status, Rating.status_changed_at)


class RatingAnswer(db.Model):
    __tablename__ = "rating_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"))
    #: the theme version the question was asked with
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    #: 1..5, or empty for "I don't know / not applicable"
    score: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text, default="")

    rating: Mapped[Rating] = relationship(back_populates="answers")
    theme: Mapped[Theme] = relationship()


#: a rating's answers, and the organisation page's theme filter (rating, theme, score) from
#: the index alone
Index("ix_rating_answers_rating_theme", RatingAnswer.rating_id, RatingAnswer.theme_id,
      RatingAnswer.score)


class Draft(db.Model):
    """An unfinished rating, kept on the server under a random token held in a cookie."""

    __tablename__ = "rating_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the cookie's token; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    role: Mapped[str | None] = mapped_column(String(30))
    #: {theme id: {"score": 1..5 or None, "unknown": bool, "text": str}}
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    overall_score: Mapped[int | None] = mapped_column(SmallInteger)
    experience_text: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    agreed: Mapped[bool] = mapped_column(default=False)
    #: the answer to "may it go online as soon as it is approved?" (consent policy only)
    publish_consent: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    #: set once submitted: the draft then only leads to the "check your mailbox" page
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))
    #: the rating this draft changes, after the editors asked for changes
    revises_rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))

    location: Mapped[Location] = relationship()
    rating: Mapped[Rating | None] = relationship(foreign_keys=[rating_id])
    revises: Mapped[Rating | None] = relationship(foreign_keys=[revises_rating_id])


class FormStepCount(db.Model):
    """Anonymous counts per sector, step and day: no IP, no cookie, no draft id."""

    __tablename__ = "form_step_counts"
    __table_args__ = (UniqueConstraint("sector_id", "step", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"))
    step: Mapped[str] = mapped_column(String(30))
    day: Mapped[date] = mapped_column(Date)
    views: Mapped[int] = mapped_column(default=0)
    completions: Mapped[int] = mapped_column(default=0)
    stops: Mapped[int] = mapped_column(default=0)
