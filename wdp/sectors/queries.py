"""Reads of sectors, kinds and themes."""
from sqlalchemy import select

from wdp.extensions import db
from wdp.sectors.models import LocationKind, Sector, Theme


def sectors_by_slug():
    return {s.slug: s for s in db.session.scalars(select(Sector).order_by(Sector.position))}


def sector_or_404(slug):
    return db.one_or_404(select(Sector).where(Sector.slug == slug))


def kind_in_sector(sector, slug):
    return db.session.scalar(select(LocationKind).where(
        LocationKind.sector_id == sector.id, LocationKind.slug == slug))


def current_themes(sector):
    return db.session.scalars(select(Theme).where(
        Theme.sector_id == sector.id, Theme.is_current.is_(True)).order_by(Theme.position)).all()
