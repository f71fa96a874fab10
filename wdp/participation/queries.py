"""Reads of participation: sign-ups, agreements of a location, the rate per sector, newcomers."""
import calendar
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from wdp.clock import today
from wdp.editors.models import Editor
from wdp.extensions import db
from wdp.forms import clean_text
from wdp.locations.models import Location, Participation, is_listed
from wdp.locations.search_keys import query_words
from wdp.organisations.models import SignUp
from wdp.sectors.models import Sector

#: the register status that counts (product.md: "only `actief` register entries count")
ACTIVE = "actief"
#: how many handled sign-ups the editors' list shows under the open ones
HANDLED_SHOWN = 50
#: how many locations the admin's search shows
SEARCH_LIMIT = 30
#: "Nieuw op het platform": locations whose current agreement was signed this many months ago
NEWCOMER_MONTHS = 3


# -- sign-ups -----------------------------------------------------------------------------------

def open_sign_ups():
    """Sign-ups nobody handled yet, oldest first."""
    return db.session.scalars(select(SignUp).where(SignUp.handled_at.is_(None))
                              .order_by(SignUp.created_at, SignUp.id)).all()


def open_sign_up_count():
    return db.session.scalar(select(func.count()).select_from(SignUp)
                             .where(SignUp.handled_at.is_(None)))


def sign_ups_from(email, since):
    """How many sign-ups the address sent since that moment."""
    return db.session.scalar(select(func.count()).select_from(SignUp).where(
        SignUp.email == email, SignUp.created_at > since))


def handled_sign_ups(limit=HANDLED_SHOWN):
    """The most recently handled sign-ups, newest first."""
    return db.session.scalars(select(SignUp).where(SignUp.handled_at.is_not(None))
                              .order_by(SignUp.handled_at.desc(), SignUp.id.desc())
                              .limit(limit)).all()


def editor_names(ids):
    """{editor id: name} for the ids that are not None."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(Editor.id, Editor.name).where(Editor.id.in_(wanted))).all())


# -- locations and their agreements -------------------------------------------------------------

def _escape_like(word):
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_locations(query, limit=SEARCH_LIMIT):
    """Every location (listed or not) matching all words of the query, or its exact short code
    or register id: (locations by name, whether there were more)."""
    # Control characters dropped: PostgreSQL refuses a NUL byte in a parameter.
    text = clean_text(query)
    words = query_words(text)
    if not words:
        return [], False
    by_words = [Location.search_key.like(f"% {_escape_like(word)}%", escape="\\")
                for word in words]
    exact = [Location.code == text.lower(), Location.register_id == text]
    found = db.session.scalars(
        select(Location).where(or_(*exact, and_(*by_words)))
        .options(joinedload(Location.sector), joinedload(Location.kind))
        .order_by(Location.name, Location.id).limit(limit + 1)).all()
    return found[:limit], len(found) > limit


def agreements(location):
    """The location's agreements, newest first."""
    return db.session.scalars(select(Participation).where(
        Participation.location_id == location.id)
        .order_by(Participation.signed_on.desc(), Participation.id.desc())).all()


def is_listed_now(location):
    """Whether the public sees the location today (the same condition as every public page)."""
    return bool(db.session.scalar(select(func.count()).select_from(Location).where(
        Location.id == location.id, is_listed())))


def last_end(location):
    """The end date of the location's most recently ended agreement, or None."""
    return db.session.scalar(select(func.max(Participation.ended_on)).where(
        Participation.location_id == location.id))


# -- the participation rate ---------------------------------------------------------------------

@dataclass
class RateRow:
    """Counted locations of one kind (or of a whole sector): active and of those participating."""

    label: object
    active: int = 0
    participating: int = 0

    @property
    def share(self):
        return self.participating / self.active if self.active else None


@dataclass
class NotCounted:
    """Locations left out of the rate: another register status, or gone from the register."""

    status: str
    in_register: bool
    locations: int = 0
    #: of those, how many have a current agreement all the same (they are not online)
    with_agreement: int = 0


@dataclass
class SectorRate:
    sector: Sector
    total: RateRow
    kinds: list = field(default_factory=list)
    not_counted: list = field(default_factory=list)


def current_agreements(day):
    """Subquery: ids of locations with an agreement current on that day (one row each)."""
    return (select(Participation.location_id)
            .where(Participation.signed_on <= day,
                   or_(Participation.ended_on.is_(None), Participation.ended_on > day))
            .distinct().subquery())


def participation_rates(day=None):
    """Per sector and kind: active locations (register status "actief", still in the register)
    and how many of them have a current agreement, counted from the agreements themselves;
    with the locations that are left out, per register status. One query."""
    day = today() if day is None else day
    current = current_agreements(day)
    rows = db.session.execute(
        select(Location.sector_id, Location.kind_id, Location.register_status,
               Location.in_register, func.count(Location.id), func.count(current.c.location_id))
        .outerjoin(current, current.c.location_id == Location.id)
        .group_by(Location.sector_id, Location.kind_id, Location.register_status,
                  Location.in_register)).all()
    sectors = db.session.scalars(select(Sector).order_by(Sector.position)
                                 .options(joinedload(Sector.kinds))).unique().all()
    rates = {}
    kinds = {}
    for sector in sectors:
        rate = rates[sector.id] = SectorRate(sector, RateRow(sector.name))
        for kind in sector.kinds:
            kinds[kind.id] = RateRow(kind.label)
            rate.kinds.append(kinds[kind.id])
    left_out = {}
    for sector_id, kind_id, status, in_register, locations, participating in rows:
        rate = rates[sector_id]
        if in_register and status == ACTIVE:
            for row in (rate.total, kinds[kind_id]):
                row.active += locations
                row.participating += participating
        else:
            key = (sector_id, status if in_register else "", bool(in_register))
            entry = left_out.setdefault(key, NotCounted(key[1], key[2]))
            entry.locations += locations
            entry.with_agreement += participating
    for (sector_id, _status, _in_register), entry in sorted(
            left_out.items(), key=lambda item: (not item[0][2], item[0][1])):
        rates[sector_id].not_counted.append(entry)
    return [rates[sector.id] for sector in sectors]


# -- newcomers ----------------------------------------------------------------------------------

def months_before(day, months):
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Newcomer:
    location: Location
    signed_on: date


def newcomers(day=None, months=NEWCOMER_MONTHS):
    """Per sector (in order), the listed locations whose current agreement was signed in the
    last `months` months, newest first: [(sector, [Newcomer])], also for empty sectors."""
    day = today() if day is None else day
    since = months_before(day, months)
    # An alias: is_listed() has its own subquery on participations, correlated to locations only.
    agreement = aliased(Participation)
    rows = db.session.execute(
        select(Location, agreement.signed_on)
        .join(agreement, agreement.location_id == Location.id)
        .where(is_listed(day), agreement.signed_on <= day, agreement.signed_on >= since,
               or_(agreement.ended_on.is_(None), agreement.ended_on > day))
        .options(joinedload(Location.kind))
        .order_by(agreement.signed_on.desc(), Location.name, Location.id)).all()
    sectors = db.session.scalars(select(Sector).order_by(Sector.position)).all()
    per_sector = {sector.id: [] for sector in sectors}
    for location, signed_on in rows:
        per_sector[location.sector_id].append(Newcomer(location, signed_on))
    return [(sector, per_sector[sector.id]) for sector in sectors], since
