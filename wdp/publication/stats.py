"""Time to publication per sector: the editors' figures over the last 30 days, and durations in words."""
import math
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation.models import RatingEvent
from wdp.moderation.workflow import Status
from wdp.rating_form.models import Rating
from wdp.sectors.catalog import SECTOR_BY_SLUG
from wdp.sectors.models import Sector

WINDOW = timedelta(days=30)

#: every status a rating can have after it was published (published_at stays set)
AFTER_PUBLICATION = (Status.PUBLISHED, Status.WITHDRAWN, Status.REMOVED)
#: every status a rating can have after an editor's decision (decided_at stays set)
AFTER_DECISION = (Status.IN_MODERATION, Status.APPROVED, Status.REJECTED,
                  Status.CHANGES_REQUESTED, Status.SIGNALLED, Status.ARCHIVED,
                  *AFTER_PUBLICATION, Status.NOT_PUBLISHED)
#: the ways an approved rating stops waiting for its submitter (an editor taking the
#: approval back, approved -> in_moderation, is not an end: the rating is judged again)
APPROVAL_ENDS = (Status.PUBLISHED, Status.NOT_PUBLISHED, Status.ARCHIVED)
#: every status a rating can have once its approval ended that way
AFTER_APPROVAL_END = (*AFTER_PUBLICATION, Status.NOT_PUBLISHED, Status.ARCHIVED)


@dataclass(frozen=True)
class Durations:
    """The median and 90th percentile of some durations, and how many there were."""

    count: int
    median: timedelta | None
    p90: timedelta | None

    @classmethod
    def of(cls, durations):
        values = sorted(durations)
        return cls(len(values), percentile(values, 0.5), percentile(values, 0.9))


@dataclass(frozen=True)
class SectorFigures:
    """Plain values only (no database rows), so a worker can keep them between requests."""

    slug: str
    #: from submitted_at to published_at, over the ratings published in the window
    to_publication: Durations
    #: from confirmed_at to decided_at, over the ratings decided in the window
    to_decision: Durations
    #: approvals that ended in the window (published, not published or archived) ...
    approvals_ended: int
    #: ... and how many of those ended in the archive
    archived: int

    @property
    def name(self):
        return SECTOR_BY_SLUG[self.slug].name

    @property
    def archived_share(self):
        return self.archived / self.approvals_ended if self.approvals_ended else None


def percentile(sorted_values, fraction):
    """The percentile with linear interpolation between neighbours (PostgreSQL's
    percentile_cont), or None without values."""
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    low, high = math.floor(position), math.ceil(position)
    below, above = sorted_values[low], sorted_values[high]
    return below + (above - below) * (position - low)


def time_to_publication(moment=None):
    """The figures of every sector (in the sectors' order) over the 30 days up to moment.

    Every query starts from the index on (status, status_changed_at): a rating published,
    decided or leaving its approval in the window has changed status since the window
    began, whatever it did later, so only ratings touched in the last 30 days are read.
    The percentiles are computed here over those durations (the same on SQLite and
    PostgreSQL; 30 days of ratings are a few thousand values).
    """
    moment = moment or now()
    since = moment - WINDOW
    touched = Rating.status_changed_at >= since

    published = db.session.execute(
        select(Location.sector_id, Rating.submitted_at, Rating.published_at)
        .join(Location, Location.id == Rating.location_id)
        .where(Rating.status.in_(AFTER_PUBLICATION), touched,
               Rating.published_at >= since, Rating.published_at <= moment,
               Rating.submitted_at.is_not(None)))
    to_publication = {}
    for sector_id, submitted_at, published_at in published:
        to_publication.setdefault(sector_id, []).append(published_at - submitted_at)

    decided = db.session.execute(
        select(Location.sector_id, Rating.confirmed_at, Rating.decided_at)
        .join(Location, Location.id == Rating.location_id)
        .where(Rating.status.in_(AFTER_DECISION), touched,
               Rating.decided_at >= since, Rating.decided_at <= moment,
               Rating.confirmed_at.is_not(None)))
    to_decision = {}
    for sector_id, confirmed_at, decided_at in decided:
        to_decision.setdefault(sector_id, []).append(decided_at - confirmed_at)

    # The end of an approval is read from the rating's events (only the moved ratings').
    ends = db.session.execute(
        select(Location.sector_id, RatingEvent.to_status, func.count())
        .select_from(Rating)
        .join(Location, Location.id == Rating.location_id)
        .join(RatingEvent, RatingEvent.rating_id == Rating.id)
        .where(Rating.status.in_(AFTER_APPROVAL_END), touched,
               RatingEvent.from_status == Status.APPROVED,
               RatingEvent.to_status.in_(APPROVAL_ENDS),
               RatingEvent.at >= since, RatingEvent.at <= moment)
        .group_by(Location.sector_id, RatingEvent.to_status))
    ended, archived = {}, {}
    for sector_id, to_status, count in ends:
        ended[sector_id] = ended.get(sector_id, 0) + count
        if to_status == Status.ARCHIVED:
            archived[sector_id] = count

    sectors = db.session.scalars(select(Sector).order_by(Sector.position, Sector.id))
    return [SectorFigures(sector.slug, Durations.of(to_publication.get(sector.id, ())),
                          Durations.of(to_decision.get(sector.id, ())),
                          ended.get(sector.id, 0), archived.get(sector.id, 0))
            for sector in sectors]


_cache = {}
_cache_lock = threading.Lock()


def recent_figures(moment=None):
    """time_to_publication(), computed at most once per WDP_FIGURES_CACHE_SECONDS per worker.

    On a million ratings the 30 days hold tens of thousands of durations (most of a second
    to read and sort), and the figures barely move in a few minutes: the inbox start page
    shows the figures of the current period of that many seconds. 0 turns the cache off.
    """
    moment = moment or now()
    seconds = current_app.config["WDP_FIGURES_CACHE_SECONDS"]
    if seconds <= 0:
        return time_to_publication(moment)
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], int(moment.timestamp() // seconds))
    with _cache_lock:
        cached = _cache.get("figures")
    if cached and cached[0] == key:
        return cached[1]
    figures = time_to_publication(moment)
    with _cache_lock:
        _cache["figures"] = (key, figures)
    return figures


def clear_cache():
    with _cache_lock:
        _cache.clear()


def duration_in_words(delta):
    """A duration people read at a glance: "2 dagen 4 uur", "3 uur 15 minuten", "—" for none.

    Days come with whole hours, hours with whole minutes; each rounded to the nearest.
    """
    if delta is None:
        return "—"
    seconds = max(delta.total_seconds(), 0)
    if seconds < 60:
        return _("minder dan een minuut")
    if seconds < 3600 - 30:
        return _minutes(round(seconds / 60))
    if seconds < 86400 - 1800:
        hours, minutes = divmod(round(seconds / 60), 60)
        return _join(_hours(hours), _minutes(minutes) if minutes else "")
    days, hours = divmod(round(seconds / 3600), 24)
    return _join(_days(days), _hours(hours) if hours else "")


def _join(*parts):
    return " ".join(part for part in parts if part)


def _days(number):
    return ngettext("%(num)s dag", "%(num)s dagen", number)


def _hours(number):
    return ngettext("%(num)s uur", "%(num)s uur", number)


def _minutes(number):
    return ngettext("%(num)s minuut", "%(num)s minuten", number)
