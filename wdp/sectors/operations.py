"""Writes for sectors: seeding the four sectors, their kinds and default themes."""
from sqlalchemy import select

from wdp.extensions import db
from wdp.sectors.catalog import SECTORS
from wdp.sectors.default_themes import DEFAULT_THEMES
from wdp.sectors.models import LocationKind, Sector, Theme


def seed_reference_data():
    """Create what is missing of the reference data every installation needs: sectors, kinds,
    themes, and the moderation reasons and message templates; never overwrite edits."""
    from wdp.moderation.operations import seed_moderation_defaults
    seed_moderation_defaults()
    existing = {s.slug: s for s in db.session.scalars(select(Sector))}
    kinds = set(db.session.scalars(select(LocationKind.slug)))
    for position, info in enumerate(SECTORS):
        sector = existing.get(info.slug)
        if sector is None:
            sector = Sector(slug=info.slug, position=position, agency_name=info.agency_name,
                            signal_email=info.signal_email, complaint_name=info.complaint_name,
                            complaint_url=info.complaint_url)
            db.session.add(sector)
            db.session.flush()
        for kind_position, kind in enumerate(info.kinds):
            if kind.slug not in kinds:
                db.session.add(LocationKind(sector_id=sector.id, slug=kind.slug,
                                            position=kind_position))
        have_themes = set(db.session.scalars(
            select(Theme.key).where(Theme.sector_id == sector.id)))
        for theme_position, (key, texts) in enumerate(DEFAULT_THEMES[info.slug]):
            if key in have_themes:
                continue
            values = {}
            for lang in ("nl", "fr", "en"):
                title, q_self, q_other, help_text = texts.get(lang, texts["nl"])
                values.update({f"title_{lang}": title, f"question_self_{lang}": q_self,
                               f"question_other_{lang}": q_other, f"help_{lang}": help_text})
            db.session.add(Theme(sector_id=sector.id, key=key, version=1, is_current=True,
                                 position=theme_position, **values))
    db.session.flush()
