"""Ratings and their answers per theme; the rating form issue adds drafts to this."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
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
    created_at: Mapped[datetime] = mapped_column(default=now)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    #: 1..n among the location's published ratings in publication order, kept dense by
    #: the state machine so any page of ratings is one index range
    publication_rank: Mapped[int | None]

    location: Mapped[Location] = relationship()
    answers: Mapped[list["RatingAnswer"]] = relationship(
        back_populates="rating", cascade="all, delete-orphan")
    response = relationship("Response", uselist=False, back_populates="rating")


Index("ix_ratings_location_rank", Rating.location_id, Rating.publication_rank)


class RatingAnswer(db.Model):
    __tablename__ = "rating_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    #: the theme version the question was asked with
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    #: 1..5, or empty for "I don't know / not applicable"
    score: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text, default="")

    rating: Mapped[Rating] = relationship(back_populates="answers")
    theme: Mapped[Theme] = relationship()
