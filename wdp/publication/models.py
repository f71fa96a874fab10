"""The platform settings an admin chooses (the publication policy) and the reminders sent."""
from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wdp.clock import now
from wdp.extensions import db


class PlatformSetting(db.Model):
    """One setting of the whole platform, chosen by an admin (e.g. the publication policy)."""

    __tablename__ = "platform_settings"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))


class Reminder(db.Model):
    """A reminder mail sent for a rating that waits for its submitter.

    The key (rating, cycle, number) makes a second send of the same reminder impossible,
    whichever job runner tries: cycle_started_at is the rating's status_changed_at when it
    entered the waiting status (approved or changes_requested), so a rating that waits a
    second time (after a resubmission) gets its own two reminders.
    """

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("rating_id", "cycle_started_at", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"))
    cycle_started_at: Mapped[datetime]
    #: 1 or 2
    number: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)
