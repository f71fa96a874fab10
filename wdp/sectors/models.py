"""Sectors, kinds of location and the versioned theme questions of each sector."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wdp.clock import now
from wdp.extensions import db
from wdp.sectors.catalog import KIND_BY_SLUG, SECTOR_BY_SLUG


class Sector(db.Model):
    __tablename__ = "sectors"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL part and key into wdp.sectors.catalog
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    agency_name: Mapped[str] = mapped_column(String(200))
    #: where the editors' signals go (never shown publicly)
    signal_email: Mapped[str] = mapped_column(String(320))
    complaint_name: Mapped[str] = mapped_column(String(200))
    complaint_url: Mapped[str] = mapped_column(String(500))

    kinds: Mapped[list["LocationKind"]] = relationship(
        back_populates="sector", order_by="LocationKind.position")

    @property
    def name(self):
        return SECTOR_BY_SLUG[self.slug].name

    @property
    def summary(self):
        return SECTOR_BY_SLUG[self.slug].summary


class LocationKind(db.Model):
    __tablename__ = "location_kinds"
    id: Mapped[int] = mapped_column(primary_key=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    sector: Mapped[Sector] = relationship(back_populates="kinds")

    @property
    def label(self):
        return KIND_BY_SLUG[self.slug].label


class Theme(db.Model):
    """One version of one theme question; a rating keeps the version it answered."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("sector_id", "key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    #: stable key within the sector, e.g. "food"; meanings differ between sectors
    key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(default=1)
    #: only the newest version of a key is current; older ones stay for old ratings
    is_current: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    #: short name for lists and summaries
    title_nl: Mapped[str] = mapped_column(String(120))
    title_fr: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(120))
    #: the question as asked of the person who uses the service ("jij")
    question_self_nl: Mapped[str] = mapped_column(Text)
    question_self_fr: Mapped[str] = mapped_column(Text)
    question_self_en: Mapped[str] = mapped_column(Text)
    #: the question as asked of someone filling in for them ("hij of zij")
    question_other_nl: Mapped[str] = mapped_column(Text)
    question_other_fr: Mapped[str] = mapped_column(Text)
    question_other_en: Mapped[str] = mapped_column(Text)
    help_nl: Mapped[str] = mapped_column(Text)
    help_fr: Mapped[str] = mapped_column(Text)
    help_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    def text(self, field, language):
        """Return title, question_self, question_other or help in a language."""
        return getattr(self, f"{field}_{language}", None) or getattr(self, f"{field}_nl")
