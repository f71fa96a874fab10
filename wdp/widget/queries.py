"""Reads for the widget: the newest published ratings of a location."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wdp.extensions import db
from wdp.rating_form.models import Rating

#: ratings the embedded widget shows; the full list stays on WDP
WIDGET_RATINGS = 5


def newest_ratings(location, limit=WIDGET_RATINGS):
    """The newest published ratings: the top of the dense publication ranks."""
    total = location.published_count
    if not total:
        return []
    return db.session.scalars(
        select(Rating)
        .where(Rating.location_id == location.id, Rating.status == "published",
               Rating.publication_rank > total - limit)
        .options(selectinload(Rating.response))
        .order_by(Rating.publication_rank.desc())
        .limit(limit)
    ).all()
