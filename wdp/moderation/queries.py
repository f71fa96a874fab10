"""Reads of the inbox: queue figures, claiming the next item, and what the item page shows."""
import time
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import and_, func, literal, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.moderation import flags
from wdp.moderation.models import MessageTemplate, RatingEvent, RatingVersion, Reason
from wdp.moderation.workflow import Status
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import Sector, Theme

#: the same address used for this many confirmed ratings is worth a look
MANY_RATINGS = 3
#: this many ratings for one location within BURST_HOURS is a burst
BURST_COUNT = 5
BURST_HOURS = 24
#: how often "Volgende" tries again when another editor claimed the same item first
CLAIM_ATTEMPTS = 5


def queue_overview():
    """Per sector (in order): the sector, how many wait, how many are held, the oldest time."""
    moment = now()
    held = (Rating.reserved_until >= moment) & Rating.reserved_by_id.is_not(None)
    rows = db.session.execute(
        select(Location.sector_id, func.count(), func.min(Rating.confirmed_at),
               func.count().filter(held))
        .join(Location, Location.id == Rating.location_id)
        .where(Rating.status == Status.IN_MODERATION)
        .group_by(Location.sector_id)).all()
    figures = {sector_id: (count, oldest, held) for sector_id, count, oldest, held in rows}
    sectors = db.session.scalars(select(Sector).order_by(Sector.position, Sector.id)).all()
    return [(sector, *figures.get(sector.id, (0, None, 0))) for sector in sectors]


def _free(editor_id, moment):
    return or_(Rating.reserved_until.is_(None), Rating.reserved_until < moment,
               Rating.reserved_by_id == editor_id)


def claim_next(editor_id, sector_id=None):
    """Reserve the oldest waiting rating nobody else holds for the editor; its id or None.

    One UPDATE picks and reserves the row (a subquery finds the oldest free one); it repeats
    the conditions, so of two editors who picked the same row only one changes it, and the
    other tries again. On PostgreSQL the subquery passes over rows another transaction is
    claiming right now (FOR UPDATE SKIP LOCKED) instead of waiting for them. The caller
    commits.
    """
    moment = now()
    until = moment + timedelta(minutes=current_app.config["WDP_RESERVATION_MINUTES"])
    candidate = (select(Rating.id)
                 .where(Rating.status == Status.IN_MODERATION, _free(editor_id, moment))
                 .order_by(Rating.confirmed_at, Rating.id).limit(1))
    if sector_id is not None:
        candidate = candidate.join(Location, Location.id == Rating.location_id).where(
            Location.sector_id == sector_id)
    if db.session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(of=Rating, skip_locked=True)
    for _attempt in range(CLAIM_ATTEMPTS):
        rating_id = db.session.scalar(
            update(Rating).where(Rating.id == candidate.scalar_subquery(),
                                 Rating.status == Status.IN_MODERATION, _free(editor_id, moment))
            .values(reserved_by_id=editor_id, reserved_until=until).returning(Rating.id)
            .execution_options(synchronize_session=False))
        if rating_id is not None:
            # An editor holds one item at a time: the one they skipped is free again.
            db.session.execute(
                update(Rating).where(Rating.reserved_by_id == editor_id, Rating.id != rating_id)
                .values(reserved_by_id=None, reserved_until=None)
                .execution_options(synchronize_session=False))
            return rating_id
        if db.session.scalar(candidate) is None:
            return None  # nothing is free (rather than a race lost to another editor)
    return None


def reservation(rating):
    """(editor, until) when someone holds the rating now, else None."""
    if rating.reserved_by_id and rating.reserved_until and rating.reserved_until >= now():
        from wdp.editors.models import Editor
        return db.session.get(Editor, rating.reserved_by_id), rating.reserved_until
    return None


def answers_in_order(rating):
    """The rating's answers in theme order, each with its theme (one query)."""
    return db.session.scalars(
        select(RatingAnswer).where(RatingAnswer.rating_id == rating.id)
        .join(Theme, Theme.id == RatingAnswer.theme_id)
        .options(contains_eager(RatingAnswer.theme)).order_by(Theme.position, Theme.id)
    ).all()


def history(rating):
    """The rating's events, oldest first, each with its editor (one query)."""
    return db.session.scalars(select(RatingEvent).where(RatingEvent.rating_id == rating.id)
                              .options(joinedload(RatingEvent.editor))
                              .order_by(RatingEvent.at, RatingEvent.id)).all()


def last_decision(rating):
    """The newest event that moved the rating out of moderation, or None."""
    return db.session.scalars(
        select(RatingEvent).where(RatingEvent.rating_id == rating.id,
                                  RatingEvent.from_status == Status.IN_MODERATION)
        .order_by(RatingEvent.id.desc()).limit(1)).first()


def _reasons():
    """Every reason in order, read once per request (the item page needs them three times)."""
    if "wdp_reasons" not in g:
        g.wdp_reasons = db.session.scalars(select(Reason).order_by(Reason.position, Reason.id)
                                           ).all()
    return g.wdp_reasons


def active_reasons():
    return [reason for reason in _reasons() if reason.active]


def reasons_by_key():
    return {reason.key: reason for reason in _reasons()}


def message_templates(language):
    """{decision key: the start of its message} in the language, else in Dutch (as
    decisions.template_body() chooses), for every key at once: one query per request."""
    cache = g.setdefault("wdp_message_templates", {})
    if language not in cache:
        rows = db.session.execute(select(MessageTemplate.key, MessageTemplate.language,
                                         MessageTemplate.body)
                                  .where(MessageTemplate.language.in_({language, "nl"}))).all()
        bodies = {key: body for key, lang, body in rows if lang == "nl"}
        bodies.update({key: body for key, lang, body in rows if lang == language})
        cache[language] = bodies
    return cache[language]


def repeats(rating):
    """Other confirmed ratings of the same address for the same location within the interval."""
    if not rating.email or rating.confirmed_at is None:
        return []
    interval = timedelta(days=current_app.config["WDP_REPEAT_INTERVAL_DAYS"])
    same = and_(
        Rating.id != rating.id, Rating.location_id == rating.location_id,
        func.lower(Rating.email) == rating.email.lower(),
        Rating.confirmed_at.between(rating.confirmed_at - interval,
                                    rating.confirmed_at + interval))
    if rating.repeat_of_id:
        # A plain OR of two indexed conditions (a BitmapOr on PostgreSQL); "id IN (subquery)
        # OR ..." made it read the whole table.
        same = or_(same, Rating.id == rating.repeat_of_id)
    return db.session.scalars(select(Rating).where(same).order_by(Rating.confirmed_at)).all()


def _burst_count(rating):
    """The count of confirmed ratings of the location within BURST_HOURS around this one, as
    a scalar subquery; None when the rating has no time to count around."""
    moment = rating.confirmed_at or rating.submitted_at
    if moment is None:
        return None
    window = timedelta(hours=BURST_HOURS)
    return select(func.count()).select_from(Rating).where(
        Rating.location_id == rating.location_id,
        Rating.confirmed_at.between(moment - window, moment + window)).scalar_subquery()


def address_and_burst(rating):
    """((count, roles) of all confirmed ratings with this address, this one included; how
    many confirmed ratings the location got within BURST_HOURS around this one), in one query."""
    burst = _burst_count(rating)
    rows = []
    if rating.email:
        rows = db.session.execute(
            select(Rating.role, func.count(), burst if burst is not None else literal(0))
            .where(func.lower(Rating.email) == rating.email.lower(),
                   Rating.confirmed_at.is_not(None))
            .group_by(Rating.role).order_by(Rating.role)).all()
    if rows:
        bursting = rows[0][2]
    else:
        bursting = db.session.scalar(select(burst)) if burst is not None else 0
    return (sum(count for _role, count, _burst in rows),
            [role for role, _count, _burst in rows]), bursting


def item_flags(rating, answers):
    """What the item page warns about, as a dict the template reads."""
    location = rating.location
    ignore = (location.name, location.organisation.name if location.organisation else "")
    text_kinds = flags.kinds_in(rating.experience_text, ignore)
    for answer in answers:
        text_kinds |= flags.kinds_in(answer.text, ignore)
    (count, roles), bursting = address_and_burst(rating)
    return {
        "repeats": repeats(rating),
        "address_count": count if count >= MANY_RATINGS else 0,
        "address_roles": roles,
        "burst": bursting if bursting >= BURST_COUNT else 0,
        "text": [kind for kind in flags.KINDS if kind in text_kinds],
        "ignore": ignore,
    }


def changes_since_last_version(rating, answers):
    """(version, [(theme or None, field, old, new)]): the newest stored version against the
    rating as it is now; None when the rating was never changed."""
    version = db.session.scalars(
        select(RatingVersion).where(RatingVersion.rating_id == rating.id)
        .order_by(RatingVersion.number.desc()).limit(1)).first()
    if version is None:
        return None
    old = version.snapshot or {}
    changes = []
    for field in ("role", "overall_score", "experience_text"):
        if old.get(field) != getattr(rating, field):
            changes.append((None, field, old.get(field), getattr(rating, field)))
    old_answers = {str(key): value for key, value in (old.get("answers") or {}).items()}
    for answer in answers:
        before = old_answers.get(str(answer.theme_id), {})
        for field in ("score", "text"):
            if before.get(field) != getattr(answer, field):
                changes.append((answer.theme, field, before.get(field), getattr(answer, field)))
    return version, changes


def find_ratings(query, limit=50):
    """Ratings by reference (exact), e-mail address (exact) or location name, newest first."""
    from wdp.locations.search_keys import query_words
    conditions = [Rating.reference == query.upper(), func.lower(Rating.email) == query.lower()]
    words = query_words(query)
    if words:
        location_match = [Location.search_key.like(f"% {word}%") for word in words]
        conditions.append(Rating.location_id.in_(
            select(Location.id).where(*location_match)))
    return db.session.scalars(
        select(Rating).where(Rating.status != "draft", or_(*conditions))
        .options(joinedload(Rating.location))
        .order_by(Rating.id.desc()).limit(limit)).all()


def open_report_ratings():
    """Published ratings with reports nobody handled yet, oldest report first."""
    from wdp.moderation.models import Report
    first = func.min(Report.created_at)
    return db.session.execute(
        select(Rating, func.count(Report.id), first).join(Report, Report.rating_id == Rating.id)
        .where(Report.outcome.is_(None)).group_by(Rating.id).order_by(first)).all()


#: how long a worker reuses the count of waiting ratings per sector that the item page shows


def waiting_in_sector(sector):
    """How many ratings of the sector wait, as counted at most WDP_WAITING_COUNT_SECONDS ago.

    Counting is a scan over every waiting rating of the sector (33,000 of 100,000 in the
    benchmark, about 60 ms under load), far more than the rest of the item page, and the
    figure is only a sense of how much is left, so each worker keeps it a few seconds;
    decided_in() takes this worker's own decisions off at once, so an editor sees their
    progress. WDP_WAITING_COUNT_SECONDS = 0 counts on every request (the tests do).
    """
    seconds = current_app.config["WDP_WAITING_COUNT_SECONDS"]
    counts = current_app.extensions.setdefault("wdp_waiting_counts", {})
    cached = counts.get(sector.id)
    if seconds and cached and cached[0] > time.monotonic():
        return cached[1]
    count = db.session.scalar(
        select(func.count()).select_from(Rating).join(Location, Location.id == Rating.location_id)
        .where(Rating.status == Status.IN_MODERATION, Location.sector_id == sector.id))
    counts[sector.id] = (time.monotonic() + seconds, count)
    return count


def decided_in(sector):
    """A rating of the sector left the queue here: one fewer in this worker's kept count."""
    counts = current_app.extensions.get("wdp_waiting_counts", {})
    if sector.id in counts:
        until, count = counts[sector.id]
        counts[sector.id] = (until, max(count - 1, 0))
