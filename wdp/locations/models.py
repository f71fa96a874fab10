"""Organisations, locations (register-owned data and published-rating counters) and participation."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, and_, exists, func, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now, today
from wdp.extensions import db
from wdp.sectors.models import LocationKind, Sector

SCORES = (1, 2, 3, 4, 5)
#: overall scores that count as good everywhere (product.md: "share of good scores")
GOOD_SCORES = (4, 5)


class Organisation(db.Model):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)


class Location(db.Model):
    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("register_source", "register_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("location_kinds.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Register-owned fields: written only by the register import, editable nowhere.
    name: Mapped[str] = mapped_column(String(300))
    street: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    municipality: Mapped[str] = mapped_column(String(120), default="")
    #: receives the notifications; never shown on a page
    contact_email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(60), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    #: which register the record comes from, e.g. "sociale-kaart", "csv"
    register_source: Mapped[str] = mapped_column(String(40))
    register_id: Mapped[str] = mapped_column(String(100))
    #: status as the register gives it: "actief", "in onderzoek", "stopgezet", ...
    register_status: Mapped[str] = mapped_column(String(60))
    #: false once the record is missing from a register file that covers its kind
    in_register: Mapped[bool] = mapped_column(default=True)
    #: public page of the record in the register, and of the inspection reports, if known
    register_url: Mapped[str] = mapped_column(String(500), default="")
    inspection_url: Mapped[str] = mapped_column(String(500), default="")
    # Platform-owned fields.
    #: lowercase, accent-free name, organisation, municipality (also in French) and postcode
    search_key: Mapped[str] = mapped_column(Text, default="")
    #: stable short code for /w/<code>, the rating form's short link
    code: Mapped[str] = mapped_column(String(12), unique=True)
    #: published ratings per overall score, changed only by the rating state machine
    score_1_count: Mapped[int] = mapped_column(default=0)
    score_2_count: Mapped[int] = mapped_column(default=0)
    score_3_count: Mapped[int] = mapped_column(default=0)
    score_4_count: Mapped[int] = mapped_column(default=0)
    score_5_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    sector: Mapped[Sector] = relationship()
    kind: Mapped[LocationKind] = relationship()
    organisation: Mapped[Organisation] = relationship()
    participations: Mapped[list["Participation"]] = relationship(
        back_populates="location", order_by="Participation.signed_on")

    def score_counts(self):
        return {s: getattr(self, f"score_{s}_count") for s in SCORES}

    @property
    def published_count(self):
        return sum(self.score_counts().values())

    @property
    def good_count(self):
        counts = self.score_counts()
        return sum(counts[s] for s in GOOD_SCORES)

    @property
    def average_score(self):
        n = self.published_count
        if not n:
            return None
        return sum(s * c for s, c in self.score_counts().items()) / n

    @property
    def good_share(self):
        n = self.published_count
        return self.good_count / n if n else None

    @property
    def address_line(self):
        return ", ".join(p for p in (self.street, f"{self.postcode} {self.municipality}".strip()) if p)


class Participation(db.Model):
    """A signed participation agreement; a location participates while one is current."""

    __tablename__ = "participations"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    signed_on: Mapped[date] = mapped_column(Date)
    #: the first day it no longer participates; empty while it still does
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    #: the person who signed the agreement for the organisation
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    #: the admins who recorded the agreement and its end (empty when done from the CLI)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    #: when the end was recorded (created_at is when the agreement was)
    end_recorded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    location: Mapped[Location] = relationship(back_populates="participations")


Index("ix_locations_listing", Location.sector_id, Location.register_status, Location.name)
#: the locations an organisation contact's link covers
Index("ix_locations_lower_contact_email", func.lower(Location.contact_email))


def participates_on(day=None):
    """SQL condition: the location has a participation current on that day (default today)."""
    day = today() if day is None else day
    return exists().where(
        Participation.location_id == Location.id,
        Participation.signed_on <= day,
        or_(Participation.ended_on.is_(None), Participation.ended_on > day),
    )


def is_listed(day=None):
    """SQL condition for a location the public may see and rate."""
    return and_(Location.in_register.is_(True), Location.register_status == "actief",
                participates_on(day))
