"""Reads of the response queue: figures per sector, claiming the next response, its history."""
import difflib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation.queries import CLAIM_ATTEMPTS
from wdp.organisations.models import Response, ResponseEvent
from wdp.organisations.responses import ResponseStatus
from wdp.rating_form.models import Rating
from wdp.sectors.models import Sector

WAITING = ResponseStatus.IN_MODERATION.value


def _in_sector(statement, sector_id):
    return (statement.join(Rating, Rating.id == Response.rating_id)
            .join(Location, Location.id == Rating.location_id)
            .where(Location.sector_id == sector_id))


def queue_overview():
    """Per sector (in order): the sector, how many responses wait, how many are held, the
    oldest sending time."""
    moment = now()
    held = (Response.reserved_until >= moment) & Response.reserved_by_id.is_not(None)
    rows = db.session.execute(
        select(Location.sector_id, func.count(), func.min(Response.submitted_at),
               func.count().filter(held))
        .select_from(Response)
        .join(Rating, Rating.id == Response.rating_id)
        .join(Location, Location.id == Rating.location_id)
        .where(Response.status == WAITING)
        .group_by(Location.sector_id)).all()
    figures = {sector_id: (count, oldest, held) for sector_id, count, oldest, held in rows}
    sectors = db.session.scalars(select(Sector).order_by(Sector.position, Sector.id)).all()
    return [(sector, *figures.get(sector.id, (0, None, 0))) for sector in sectors]


def waiting_in_sector(sector):
    return db.session.scalar(_in_sector(
        select(func.count()).select_from(Response).where(Response.status == WAITING),
        sector.id))


def _free(editor_id, moment):
    return or_(Response.reserved_until.is_(None), Response.reserved_until < moment,
               Response.reserved_by_id == editor_id)


def claim_next(editor_id, sector_id=None):
    """Reserve the oldest waiting response nobody else holds for the editor; its id or None.

    As for ratings (wdp.moderation.queries.claim_next): one conditional UPDATE picks and
    reserves, so of two editors who picked the same row only one gets it and the other
    tries the next. The caller commits.
    """
    moment = now()
    until = moment + timedelta(minutes=current_app.config["WDP_RESERVATION_MINUTES"])
    candidate = (select(Response.id)
                 .where(Response.status == WAITING, _free(editor_id, moment))
                 .order_by(Response.submitted_at, Response.id).limit(1))
    if sector_id is not None:
        candidate = _in_sector(candidate, sector_id)
    if db.session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(of=Response, skip_locked=True)
    for _attempt in range(CLAIM_ATTEMPTS):
        response_id = db.session.scalar(
            update(Response).where(Response.id == candidate.scalar_subquery(),
                                   Response.status == WAITING, _free(editor_id, moment))
            .values(reserved_by_id=editor_id, reserved_until=until).returning(Response.id)
            .execution_options(synchronize_session=False))
        if response_id is not None:
            # One response at a time: the one the editor skipped is free again.
            db.session.execute(
                update(Response).where(Response.reserved_by_id == editor_id,
                                       Response.id != response_id)
                .values(reserved_by_id=None, reserved_until=None)
                .execution_options(synchronize_session=False))
            return response_id
        if db.session.scalar(candidate) is None:
            return None
    return None


def reservation(response):
    """(editor, until) when someone holds the response now, else None."""
    if response.reserved_by_id and response.reserved_until and response.reserved_until >= now():
        from wdp.editors.models import Editor
        return db.session.get(Editor, response.reserved_by_id), response.reserved_until
    return None


def history(response):
    """The response's events, oldest first, each with its editor (one query)."""
    return db.session.scalars(select(ResponseEvent).where(ResponseEvent.response_id == response.id)
                              .options(joinedload(ResponseEvent.editor))
                              .order_by(ResponseEvent.at, ResponseEvent.id)).all()


def last_decision(response):
    """The newest event that moved the response out of moderation, or None."""
    return db.session.scalars(
        select(ResponseEvent).where(ResponseEvent.response_id == response.id,
                                    ResponseEvent.from_status == WAITING)
        .order_by(ResponseEvent.id.desc()).limit(1)).first()


def changes_since_last_version(events):
    """For a rewritten response: (earlier text, [(kind, words)]) where kind is "same",
    "removed" or "added"; None when the response was sent only once.

    Every sending is an event into in_moderation that holds the text of that moment.
    """
    sent = [event for event in events if event.to_status == WAITING]
    if len(sent) < 2:
        return None
    old, new = sent[-2].text, sent[-1].text
    old_words, new_words = old.split(" "), new.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return old, parts


def find_response(response_id):
    """A response with its rating, location, sector, kind and organisation, or None."""
    return db.session.get(Response, response_id, options=[
        joinedload(Response.rating).joinedload(Rating.location).options(
            joinedload(Location.sector), joinedload(Location.kind),
            joinedload(Location.organisation)),
        joinedload(Response.contact)])
