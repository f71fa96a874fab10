"""Organisations' responses to ratings; the organisations issue adds links and moderation."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now
from wdp.extensions import db


class Response(db.Model):
    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: one response per rating
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), unique=True)
    #: in_moderation, approved (shown), rejected, changes_requested
    status: Mapped[str] = mapped_column(String(30), default="in_moderation")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    approved_at: Mapped[datetime | None]

    rating = relationship("Rating", back_populates="response")
