"""Writes for locations: adding them with their search key and short code, and participation."""
import secrets

from sqlalchemy import or_, select

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location, Participation
from wdp.locations.search_keys import location_search_key

#: no 0/o, 1/l/i: a code read aloud or typed from a poster stays unambiguous
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_location_code(length=6):
    """A random short code for /w/<code> that no location has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
        if db.session.scalar(select(Location.id).where(Location.code == code)) is None:
            return code


def refresh_search_key(location):
    """Recompute the search key after a name, organisation or address change."""
    location.search_key = location_search_key(
        location.name, location.organisation.name if location.organisation else "",
        location.municipality, location.postcode)


def add_location(**fields):
    """Add a location with a fresh short code and its search key; the caller commits."""
    location = Location(code=fields.pop("code", None) or new_location_code(), **fields)
    db.session.add(location)
    refresh_search_key(location)
    return location


class ParticipationError(ValueError):
    """A change that would make the agreements contradict each other.

    `reason` is a stable key for a translated message ("already_running",
    "starts_before_last_end", "not_running", "ends_before_start"); str() is for the CLI.
    """

    def __init__(self, message, reason=""):
        super().__init__(message)
        self.reason = reason


def find_location(reference):
    """A location by id, short code or register id."""
    conditions = [Location.code == reference, Location.register_id == reference]
    if reference.isdigit():
        conditions.append(Location.id == int(reference))
    found = db.session.scalars(select(Location).where(or_(*conditions))).all()
    if len(found) != 1:
        return None
    return found[0]


def open_participation(location):
    return db.session.scalar(select(Participation).where(
        Participation.location_id == location.id, Participation.ended_on.is_(None)))


def start_participation(location, signed_on, note="", *, signed_by="", recorded_by=None):
    """Record a signed participation agreement from signed_on on.

    signed_by: who signed for the organisation; recorded_by: the admin (None from the CLI).
    """
    if open_participation(location) is not None:
        raise ParticipationError("this location already has a participation without an end",
                                 "already_running")
    last = db.session.scalar(select(Participation).where(
        Participation.location_id == location.id).order_by(Participation.ended_on.desc()))
    if last is not None and last.ended_on and signed_on < last.ended_on:
        raise ParticipationError("a new participation cannot start before the last one ended",
                                 "starts_before_last_end")
    participation = Participation(location=location, signed_on=signed_on, note=note,
                                  signed_by=signed_by,
                                  recorded_by_id=recorded_by.id if recorded_by else None)
    db.session.add(participation)
    return participation


def end_participation(location, ended_on, note="", *, ended_by=None):
    """End the running participation; ended_on is the first day it no longer participates.

    ended_by: the admin who records the end (None from the CLI).
    """
    participation = open_participation(location)
    if participation is None:
        raise ParticipationError("this location has no running participation", "not_running")
    if ended_on < participation.signed_on:
        raise ParticipationError("the end date lies before the signing date", "ends_before_start")
    participation.ended_on = ended_on
    participation.ended_by_id = ended_by.id if ended_by else None
    participation.end_recorded_at = now()
    if note:
        participation.note = (participation.note + "\n" + note).strip()
    return participation
