"""Reads of the organisation page: covered locations with their figures, filtered pages of ratings."""
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from flask import abort
from sqlalchemy import Date, bindparam, func, not_, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.sql import exists

from wdp import kept
from wdp.clock import today
from wdp.extensions import db
from wdp.locations.models import SCORES, Location, is_listed
from wdp.locations.queries import Results
from wdp.organisations.models import Response
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import Theme

#: ratings per page: each shows up to 8 theme answers
PER_PAGE = 10
#: a response in one of these states no longer stands: the organisation may write again
WRITABLE_AGAIN = ("rejected", "changes_requested")


@dataclass(frozen=True)
class Filters:
    """What the organisation chose in the filter form (GET); invalid values are left out."""

    no_response: bool = False
    score: int | None = None
    theme: str | None = None
    theme_score: int | None = None

    @property
    def active(self):
        return bool(self.no_response or self.score or self.theme)

    def as_args(self):
        """The query-string values of these filters (for pagination and export links)."""
        args = {}
        if self.no_response:
            args["reactie"] = "geen"
        if self.score:
            args["score"] = self.score
        if self.theme:
            args["thema"] = self.theme
            if self.theme_score:
                args["themascore"] = self.theme_score
        return args


def _score(raw):
    return int(raw) if raw in {str(s) for s in SCORES} else None


def parse_filters(args, theme_keys):
    """Filters from a query string; a value that is not one of the choices is ignored."""
    theme = args.get("thema") or None
    if theme not in theme_keys:
        theme = None
    return Filters(no_response=args.get("reactie") == "geen", score=_score(args.get("score")),
                   theme=theme, theme_score=_score(args.get("themascore")) if theme else None)


# -- locations -------------------------------------------------------------------------------

@lru_cache(maxsize=2)
def _covered_statement(one):
    # Built once per worker (the organisation page's hottest query): the same condition as
    # access.covered_locations, plus whether each location is listed today.
    statement = (select(Location, is_listed(bindparam("day", type_=Date)).label("listed"))
                 .where(func.lower(Location.contact_email) == bindparam("email"))
                 .options(joinedload(Location.sector), joinedload(Location.kind),
                          joinedload(Location.organisation))
                 .order_by(Location.name, Location.id))
    if not one:
        return statement
    # One location, and how many the link covers (its page links back to the overview).
    covering = (select(func.count()).select_from(Location)
                .where(func.lower(Location.contact_email) == bindparam("email"))
                .scalar_subquery())
    return statement.add_columns(covering.label("covering")).where(
        Location.id == bindparam("location_id"))


def covered(contact):
    """(locations, ids of those listed now) of the contact's link, with sector, kind and
    organisation, by name, in one query. Listed locations have promotion pages and a widget."""
    rows = db.session.execute(_covered_statement(False),
                              {"email": contact.email, "day": today()}).unique().all()
    return [row[0] for row in rows], {row[0].id for row in rows if row[1]}


def covered_location_or_404(contact, location_id):
    """(location, listed now, how many locations the link covers) of a location the contact's
    link covers, in one query; any other id is a 404 (nothing is revealed)."""
    row = db.session.execute(_covered_statement(True), {
        "email": contact.email, "day": today(), "location_id": location_id}).unique().first()
    if row is None:
        abort(404)
    return row[0], bool(row[1]), row[2]


def _open_for_response():
    """SQL: the rating has no response that stands (none, or rejected / changes asked)."""
    # An alias: the page's query joins Response itself for the response it shows.
    standing = aliased(Response)
    return not_(exists().where(standing.rating_id == Rating.id,
                               standing.status.not_in(WRITABLE_AGAIN)))


def unanswered_counts(location_ids):
    """{location id: published ratings without a standing response} (ix_ratings_location_rank)."""
    if not location_ids:
        return {}
    rows = db.session.execute(
        select(Rating.location_id, func.count())
        .where(Rating.location_id.in_(location_ids), Rating.publication_rank.is_not(None),
               _open_for_response())
        .group_by(Rating.location_id))
    return dict(rows.all())


# -- themes ----------------------------------------------------------------------------------

def current_themes(sector_id):
    """Copies of the sector's current theme questions in order (kept by each worker a few
    seconds, wdp.kept): the filter's and the export's themes."""
    return kept.current_themes(sector_id)


def _theme_ids(sector_id, key):
    """Every version's id of one theme: a rating keeps the version it answered."""
    return [theme.id for theme in kept.themes_by_id().values()
            if theme.sector_id == sector_id and theme.key == key]


# -- ratings ---------------------------------------------------------------------------------

def _conditions(location, filters):
    conditions = [Rating.location_id == location.id, Rating.publication_rank.is_not(None)]
    if filters.no_response:
        conditions.append(_open_for_response())
    if filters.score:
        conditions.append(Rating.overall_score == filters.score)
    if filters.theme:
        answer = [RatingAnswer.rating_id == Rating.id,
                  RatingAnswer.theme_id.in_(_theme_ids(location.sector_id, filters.theme))]
        if filters.theme_score:
            answer.append(RatingAnswer.score == filters.theme_score)
        else:
            # "a theme" alone: the ratings that answered it with a score or a text
            answer.append(or_(RatingAnswer.score.is_not(None), RatingAnswer.text != ""))
        # A correlated scalar subquery, not EXISTS: PostgreSQL would turn EXISTS into a
        # semi-join that reads every answer of the theme in the whole table; this is one
        # lookup on ix_rating_answers_rating_id per rating of the location.
        conditions.append(select(RatingAnswer.id).where(*answer).limit(1)
                          .scalar_subquery().is_not(None))
    return conditions


#: what the organisation page shows of a rating (rows with these names)
PAGE_COLUMNS = (Rating.id, Rating.location_id, Rating.overall_score, Rating.experience_text,
                Rating.role, Rating.reference, Rating.published_at,
                Response.status.label("response_status"), Response.text.label("response_text"))


def _with_response(query):
    # Plain rows, the response in the same query (one per rating at most): a page reads
    # nothing else of them, and ORM objects cost more than the query.
    return (query.select_from(Rating).outerjoin(Response, Response.rating_id == Rating.id)
            .order_by(Rating.publication_rank.desc()))


@lru_cache(maxsize=1)
def _rank_range_statement():
    # Built once per worker: the unfiltered page, the one every organisation opens first.
    return _with_response(select(*PAGE_COLUMNS).where(
        Rating.location_id == bindparam("location_id"),
        Rating.publication_rank.between(bindparam("lowest"), bindparam("highest"))))


def ratings_page(location, filters, page, per_page=PER_PAGE):
    """One page of the location's published ratings, newest first, with responses loaded.

    Without filters it is one range of publication ranks (as the public location page);
    with filters, the location's ratings are walked along ix_ratings_location_rank (at most
    its published count) and the conditions checked on each (responses by their unique
    rating_id, answers by ix_rating_answers_rating_id). A score filter alone takes its
    total from the location's counters.
    """
    if not filters.active:
        total = location.published_count
        if page > 1 and (page - 1) * per_page >= total:
            abort(404)
        highest = total - (page - 1) * per_page
        items = db.session.execute(_rank_range_statement(), {
            "location_id": location.id, "lowest": max(1, highest - per_page + 1),
            "highest": highest}).all()
        return Results(items, total, page, per_page, "")
    conditions = _conditions(location, filters)
    if filters.score and not filters.no_response and not filters.theme:
        total = location.score_counts()[filters.score]
    else:
        total = db.session.scalar(select(func.count()).select_from(Rating).where(*conditions))
    if page > 1 and (page - 1) * per_page >= total:
        abort(404)
    query = select(*PAGE_COLUMNS).where(*conditions).limit(per_page).offset((page - 1) * per_page)
    items = db.session.execute(_with_response(query)).all()
    return Results(items, total, page, per_page, "")


@dataclass(frozen=True)
class Answer:
    """One theme answer as shown: the title of the theme version answered, score, text."""

    key: str
    title: str
    score: int | None
    text: str


def answers_of(ratings, language="nl"):
    """{rating id: [Answer]} in theme order: one query for a page, plain rows (no ORM objects:
    a page of the organisation shows 8 answers per rating)."""
    if not ratings:
        return {}
    title = {"fr": Theme.title_fr, "en": Theme.title_en}.get(language, Theme.title_nl)
    found = defaultdict(list)
    for rating_id, key, theme_title, title_nl, score, text in db.session.execute(
            select(RatingAnswer.rating_id, Theme.key, title, Theme.title_nl,
                   RatingAnswer.score, RatingAnswer.text)
            .join(Theme, Theme.id == RatingAnswer.theme_id)
            .where(RatingAnswer.rating_id.in_([r.id for r in ratings]))
            .order_by(RatingAnswer.rating_id, Theme.position, Theme.id)):
        found[rating_id].append(Answer(key, theme_title or title_nl, score, text))
    return found


def all_ratings(location, filters):
    """Every published rating of the location that the filters keep, newest first (export)."""
    return db.session.scalars(
        select(Rating).where(*_conditions(location, filters))
        .options(selectinload(Rating.response))
        .order_by(Rating.publication_rank.desc())).all()


def response_state(status):
    """What a response's status (None: no response) means to the organisation: none,
    waiting, online, again (rejected or changes asked: it may write again) or removed."""
    if status is None:
        return "none"
    if status == "approved":
        return "online"
    if status in WRITABLE_AGAIN:
        return "again"
    if status == "removed":
        return "removed"
    return "waiting"
