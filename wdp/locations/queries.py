"""Reads of locations: search, the public location page and its pages of ratings."""
import re
from dataclasses import dataclass
from functools import lru_cache

from flask import abort, current_app
from sqlalchemy import Date, and_, bindparam, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from wdp.clock import today
from wdp.extensions import db
from wdp.locations.models import Location, is_listed
from wdp.locations.search_keys import query_words
from wdp.rating_form.models import Rating
from wdp.sectors.models import Sector

#: what a short code can look like (wdp.locations.operations.CODE_ALPHABET, up to 12 long);
#: anything else never reaches the database (PostgreSQL refuses a NUL byte with an error)
CODE_PATTERN = re.compile(r"[0-9a-z]{1,12}")


def listed_location(code):
    """The listed location with this short code (sector and organisation loaded), or None."""
    if not CODE_PATTERN.fullmatch(code):
        return None
    return db.session.scalar(
        select(Location).where(Location.code == code, is_listed())
        .options(joinedload(Location.sector), joinedload(Location.organisation)))


MAX_PAGE = 100_000


def page_number(raw):
    """Parse ?pagina=; anything that is not a sensible page number is a 404."""
    if raw in (None, ""):
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def _escape_like(word):
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class Results:
    items: list
    total: int
    page: int
    per_page: int
    query: str

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def search_locations(query, *, sector=None, kind=None, page=1):
    """Listed locations matching every word of the query, by name; 404 past the last page."""
    per_page = current_app.config["WDP_LOCATIONS_PER_PAGE"]
    conditions = [is_listed()]
    if sector is not None:
        conditions.append(Location.sector_id == sector.id)
    if kind is not None:
        conditions.append(Location.kind_id == kind.id)
    for word in query_words(query):
        conditions.append(Location.search_key.like(f"% {_escape_like(word)}%", escape="\\"))
    where = and_(*conditions)
    total = db.session.scalar(select(func.count()).select_from(Location).where(where))
    if page > 1 and (page - 1) * per_page >= total:
        abort(404)
    items = db.session.scalars(
        select(Location).where(where)
        .options(joinedload(Location.kind), joinedload(Location.sector))
        .order_by(Location.name, Location.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Results(items, total, page, per_page, query)


@lru_cache(maxsize=1)
def _listed_location_statement():
    # Built once: the location page is the hottest read, and building this statement
    # (EXISTS, joins, loader options) cost as much as running it.
    return (select(Location).join(Location.sector)
            .where(Location.id == bindparam("location_id"), Sector.slug == bindparam("slug"),
                   is_listed(bindparam("day", type_=Date)))
            .options(contains_eager(Location.sector), joinedload(Location.organisation),
                     joinedload(Location.kind)))


def listed_location_or_404(sector_slug, location_id):
    """A listed location of the sector, with its sector, kind and organisation: one query."""
    location = db.session.scalar(_listed_location_statement(), {
        "location_id": location_id, "slug": sector_slug, "day": today()})
    if location is None:
        abort(404)
    return location


def published_ratings_page(location, page):
    """One page of published ratings, newest first, as one range of publication ranks.

    Ranks are dense (1..n, kept so by the state machine), so page p of a location with
    50,000 ratings is an index range scan just like page 1.
    """
    per_page = current_app.config["WDP_RATINGS_PER_PAGE"]
    total = location.published_count
    if page > 1 and (page - 1) * per_page >= total:
        abort(404)
    highest = total - (page - 1) * per_page
    lowest = max(1, highest - per_page + 1)
    items = db.session.scalars(
        select(Rating)
        .where(Rating.location_id == location.id,
               Rating.publication_rank.between(lowest, highest))
        .options(selectinload(Rating.response))
        .order_by(Rating.publication_rank.desc())
    ).all()
    return Results(items, total, page, per_page, "")
