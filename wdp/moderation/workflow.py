"""The one state machine of a rating: statuses, allowed moves and transition()."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation.models import RatingEvent
from wdp.rating_form.models import Rating


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_MODERATION = "in_moderation"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    ARCHIVED = "archived"
    PUBLISHED = "published"
    REJECTED = "rejected"
    SIGNALLED = "signalled"
    NOT_PUBLISHED = "not_published"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"
    EXPIRED = "expired"

    @property
    def label(self):
        return LABELS[self]


LABELS = {
    Status.DRAFT: _l("Wordt ingevuld"),
    Status.SUBMITTED: _l("Verstuurd, e-mail nog niet bevestigd"),
    Status.IN_MODERATION: _l("Wacht op de redactie"),
    Status.CHANGES_REQUESTED: _l("Aanpassing gevraagd"),
    Status.APPROVED: _l("Goedgekeurd"),
    Status.ARCHIVED: _l("Gearchiveerd"),
    Status.PUBLISHED: _l("Online"),
    Status.REJECTED: _l("Afgewezen"),
    Status.SIGNALLED: _l("Gesignaleerd"),
    Status.NOT_PUBLISHED: _l("Niet gepubliceerd"),
    Status.WITHDRAWN: _l("Ingetrokken"),
    Status.REMOVED: _l("Verwijderd"),
    Status.EXPIRED: _l("Verlopen"),
}

ALLOWED = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.IN_MODERATION, Status.EXPIRED},
    Status.IN_MODERATION: {Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED,
                           Status.SIGNALLED},
    Status.CHANGES_REQUESTED: {Status.IN_MODERATION, Status.ARCHIVED},
    Status.APPROVED: {Status.PUBLISHED, Status.NOT_PUBLISHED, Status.ARCHIVED,
                      Status.IN_MODERATION},
    Status.ARCHIVED: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.WITHDRAWN, Status.REMOVED},
}

#: the moves out of in_moderation that are an editor's decision (time to decision)
DECISIONS = frozenset(ALLOWED[Status.IN_MODERATION])


class IllegalTransition(ValueError):
    def __init__(self, current, to):
        super().__init__(f"a rating cannot move from {current} to {to}")
        self.current, self.to = current, to


class ConcurrentTransition(RuntimeError):
    """Someone else moved the rating first; the caller rolls back and shows what happened."""


def _score_column(score):
    return getattr(Location, f"score_{score}_count")


def _enter_published(rating):
    """Count the rating in its location and give it the next publication rank."""
    column = _score_column(rating.overall_score)
    db.session.execute(update(Location).where(Location.id == rating.location_id)
                       .values({column: column + 1}))
    # The UPDATE above holds the location's row lock (PostgreSQL) or the write lock
    # (SQLite) until commit, so this count is ours alone.
    location = db.session.execute(
        select(*(_score_column(s) for s in range(1, 6))).where(Location.id == rating.location_id)
    ).one()
    rating.publication_rank = sum(location)
    rating.published_at = now()


def _leave_published(rating):
    """Uncount the rating and close the gap it leaves in the publication ranks."""
    column = _score_column(rating.overall_score)
    db.session.execute(update(Location).where(Location.id == rating.location_id)
                       .values({column: column - 1}))
    db.session.execute(
        update(Rating)
        .where(Rating.location_id == rating.location_id,
               Rating.publication_rank > rating.publication_rank)
        .values(publication_rank=Rating.publication_rank - 1)
        .execution_options(synchronize_session=False))
    rating.publication_rank = None


def transition(rating, to, *, actor_type, actor_id=None, reasons=(), message=""):
    """Move a rating to another status, recording the event; the caller commits."""
    to = Status(to)
    current = Status(rating.status) if rating.status else None
    if current is not None and to not in ALLOWED.get(current, ()):
        raise IllegalTransition(current, to)
    if current is None and to is not Status.DRAFT:
        raise IllegalTransition(current, to)
    moment = now()
    values = {"status": to.value, "status_changed_at": moment}
    if current is Status.IN_MODERATION and to in DECISIONS:
        values["decided_at"] = moment
    if current is not None and rating.id is not None:
        # Settled in the database: only one of two concurrent moves finds the old status.
        moved = db.session.execute(
            update(Rating).where(Rating.id == rating.id, Rating.status == current)
            .values(values).execution_options(synchronize_session=False)).rowcount
        if moved != 1:
            raise ConcurrentTransition(f"rating {rating.id} is no longer {current}")
        for name, value in values.items():
            set_committed_value(rating, name, value)
    else:
        for name, value in values.items():
            setattr(rating, name, value)
    db.session.add(RatingEvent(rating=rating, from_status=current, to_status=to,
                               actor_type=actor_type, actor_id=actor_id,
                               reasons=",".join(reasons), message=message))
    # A rating not yet in the database needs no flush: nobody else can move it, and its
    # rows go in with the caller's commit. The counters need the row, so flush for those.
    if current is Status.PUBLISHED:
        db.session.flush()
        _leave_published(rating)
    if to is Status.PUBLISHED:
        db.session.flush()
        _enter_published(rating)
    return rating
