"""Reads of the inbox: queue figures, claiming the next item, and what the item page shows."""
import functools
import time
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import joinedload

from wdp.clock import now
from wdp.extensions import db
from wdp.kept import Copy, kept, themes_by_id
from wdp.locations.models import Location, Organisation
from wdp.moderation import flags
from wdp.moderation.models import MessageTemplate, RatingEvent, RatingVersion, Reason
from wdp.moderation.workflow import Status
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import LocationKind, Sector

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


class SectorCopy(Copy):
    name = Sector.name


class KindCopy(Copy):
    label = LocationKind.label


def _run(statement, **params):
    """Execute a prebuilt Core statement on the session's connection: no statement to build,
    no ORM step (about a quarter of the CPU of session.execute(select(...)))."""
    return db.session.connection().execute(statement, params)


@functools.cache
def _item_statement():
    latest = (select(func.coalesce(func.max(RatingVersion.number), 0))
              .where(RatingVersion.rating_id == Rating.id).scalar_subquery())
    return (select(Rating.__table__, latest.label("latest_version"),
                   Location.name.label("l_name"), Location.sector_id.label("l_sector_id"),
                   Location.kind_id.label("l_kind_id"), Sector.slug.label("s_slug"),
                   Sector.agency_name.label("s_agency_name"), LocationKind.slug.label("k_slug"),
                   Organisation.id.label("o_id"), Organisation.name.label("o_name"))
            .join(Location, Location.id == Rating.location_id)
            .join(Sector, Sector.id == Location.sector_id)
            .outerjoin(LocationKind, LocationKind.id == Location.kind_id)
            .outerjoin(Organisation, Organisation.id == Location.organisation_id)
            .where(Rating.id == bindparam("rating_id")))


def item_row(rating_id):
    """(rating, location) for the item page in one query, without ORM objects: the rating as
    a row of all its columns plus latest_version (the number of its newest stored version, 0
    when it was never changed), its location as a copy with sector, kind and organisation
    (each a copy, or None). None when there is no such rating."""
    row = _run(_item_statement(), rating_id=rating_id).first()
    if row is None:
        return None
    sector = SectorCopy(id=row.l_sector_id, slug=row.s_slug, agency_name=row.s_agency_name)
    location = Copy(
        id=row.location_id, name=row.l_name, sector_id=row.l_sector_id, sector=sector,
        kind=KindCopy(id=row.l_kind_id, slug=row.k_slug) if row.k_slug else None,
        organisation=Copy(id=row.o_id, name=row.o_name) if row.o_id is not None else None)
    return row, location


def reservation(rating):
    """(editor, until) when someone holds the rating now, else None."""
    if rating.reserved_by_id and rating.reserved_until and rating.reserved_until >= now():
        from wdp.editors.models import Editor
        return db.session.get(Editor, rating.reserved_by_id), rating.reserved_until
    return None


class Answer(Copy):
    """A rating's answer to one theme: theme_id, score, text, and theme (a copy)."""


@functools.cache
def _answers_statement():
    return select(RatingAnswer.id, RatingAnswer.theme_id, RatingAnswer.score,
                  RatingAnswer.text).where(RatingAnswer.rating_id == bindparam("rating_id"))


def answers_in_order(rating):
    """The rating's answers in theme order, each with its theme (one narrow query; the themes
    are this worker's copies, wdp.kept.themes_by_id)."""
    rows = _run(_answers_statement(), rating_id=rating.id).all()
    themes = themes_by_id({row.theme_id for row in rows})
    answers = [Answer(id=row.id, rating_id=rating.id, theme_id=row.theme_id, score=row.score,
                      text=row.text, theme=themes[row.theme_id]) for row in rows]
    answers.sort(key=lambda answer: (answer.theme.position, answer.theme.id))
    return answers


@functools.cache
def _history_statement():
    from wdp.editors.models import Editor
    return (select(RatingEvent.id, RatingEvent.at, RatingEvent.actor_type, RatingEvent.actor_id,
                   RatingEvent.from_status, RatingEvent.to_status, RatingEvent.reasons,
                   RatingEvent.message, Editor.name.label("editor_name"))
            .outerjoin(Editor, Editor.id == RatingEvent.actor_id)
            .where(RatingEvent.rating_id == bindparam("rating_id"))
            .order_by(RatingEvent.at, RatingEvent.id))


def history(rating):
    """The rating's events, oldest first, as rows with the acting editor's name (editor_name,
    None when no editor acted): one query, no objects."""
    return _run(_history_statement(), rating_id=rating.id).all()


def last_decision(rating):
    """The newest event that moved the rating out of moderation, or None."""
    return db.session.scalars(
        select(RatingEvent).where(RatingEvent.rating_id == rating.id,
                                  RatingEvent.from_status == Status.IN_MODERATION)
        .order_by(RatingEvent.id.desc()).limit(1)).first()


class ReasonCopy(Copy):
    """A reason as this worker keeps it: key, position, active, label(language)."""
    label = Reason.label


def _load_reasons():
    return [ReasonCopy(**row._asdict()) for row in db.session.execute(
        select(Reason.__table__).order_by(Reason.position, Reason.id))]


def _reasons():
    """Every reason in order: this worker's copy (wdp.kept, a few seconds old at most), the
    same list for the whole request."""
    if "wdp_reasons" not in g:
        g.wdp_reasons = kept("reasons", _load_reasons)
    return g.wdp_reasons


def active_reasons(for_responses=False):
    """The reasons editors can choose now, in order; for a response only those that fit one."""
    return [reason for reason in _reasons()
            if reason.active and (reason.for_responses or not for_responses)]


def reasons_by_key():
    return {reason.key: reason for reason in _reasons()}


def message_templates(language):
    """{decision key: the start of its message} in the language, else in Dutch (as
    decisions.template_body() chooses), for every key at once: this worker's copy (wdp.kept)."""
    cache = g.setdefault("wdp_message_templates", {})
    if language not in cache:
        cache[language] = kept(("message_templates", language),
                               lambda: _load_message_templates(language))
    return cache[language]


def _load_message_templates(language):
    rows = db.session.execute(select(MessageTemplate.key, MessageTemplate.language,
                                     MessageTemplate.body)
                              .where(MessageTemplate.language.in_({language, "nl"}))).all()
    bodies = {key: body for key, lang, body in rows if lang == "nl"}
    bodies.update({key: body for key, lang, body in rows if lang == language})
    return bodies


#: the columns of _details_statement(): each kind of row fills some, the rest are NULL
_DETAIL_COLUMNS = {
    "kind": String, "id": Integer, "reference": String, "at": DateTime, "status": String,
    "role": String, "n": Integer, "theme_id": Integer, "score": Integer, "text": Text,
    "actor_type": String, "actor_id": Integer, "from_status": String, "to_status": String,
    "reasons": Text, "message": Text, "editor_name": String,
}


def _detail_rows(kind, **columns):
    return select(literal_column(f"'{kind}'", String).label("kind"), *(
        # A typed NULL: PostgreSQL matches a UNION's column types branch by branch.
        (columns[name] if name in columns else cast(null(), type_)).label(name)
        for name, type_ in _DETAIL_COLUMNS.items() if name != "kind"))


@functools.cache
def _details_statement():
    """What the item page shows of a rating besides the rating itself, in one round trip,
    each row told apart by "kind":

    - "answer": an answer (id, theme_id, score, text);
    - "event": an event of its history (id, at, actor_type, actor_id, from_status,
      to_status, reasons, message, editor_name: the acting editor's name);
    - "repeat": another confirmed rating of the same address for the same location within
      the interval, or the one repeat_of_id names (id, reference, at: confirmed, status);
    - "role": per role, how many confirmed ratings the address gave (role, n);
    - "burst": how many confirmed ratings the location got around this one (n).
    """
    from wdp.editors.models import Editor
    answers = _detail_rows(
        "answer", id=RatingAnswer.id, theme_id=RatingAnswer.theme_id, score=RatingAnswer.score,
        text=RatingAnswer.text).where(RatingAnswer.rating_id == bindparam("rating_id"))
    events = _detail_rows(
        "event", id=RatingEvent.id, at=RatingEvent.at, actor_type=RatingEvent.actor_type,
        actor_id=RatingEvent.actor_id, from_status=RatingEvent.from_status,
        to_status=RatingEvent.to_status, reasons=RatingEvent.reasons,
        message=RatingEvent.message, editor_name=Editor.name,
    ).outerjoin(Editor, Editor.id == RatingEvent.actor_id).where(
        RatingEvent.rating_id == bindparam("rating_id"))
    same = and_(
        Rating.id != bindparam("rating_id"), Rating.location_id == bindparam("location_id"),
        func.lower(Rating.email) == bindparam("email", type_=String),
        Rating.confirmed_at.between(bindparam("repeat_from", type_=DateTime),
                                    bindparam("repeat_to", type_=DateTime)))
    # A plain OR of two indexed conditions (a BitmapOr on PostgreSQL); "id IN (subquery)
    # OR ..." made it read the whole table. Without repeat_of_id the second is never true.
    repeats = _detail_rows(
        "repeat", id=Rating.id, reference=Rating.reference, at=Rating.confirmed_at,
        status=Rating.status).where(or_(same, Rating.id == bindparam("repeat_of", type_=Integer)))
    roles = _detail_rows("role", role=Rating.role, n=func.count()).where(
        func.lower(Rating.email) == bindparam("address", type_=String),
        Rating.confirmed_at.is_not(None)).group_by(Rating.role)
    burst = _detail_rows("burst", n=func.count()).select_from(Rating).where(
        Rating.location_id == bindparam("location_id"),
        Rating.confirmed_at.between(bindparam("burst_from", type_=DateTime),
                                    bindparam("burst_to", type_=DateTime)))
    return union_all(answers, events, repeats, roles, burst)


def item_details(rating, location=None):
    """(answers, flags, history) of the item page, from one query (_details_statement()):
    the answers as answers_in_order() gives them, the flags as a dict the template reads,
    the history as rows like history() gives them."""
    email = rating.email.lower() if rating.email else None
    confirmed = rating.confirmed_at
    interval = timedelta(days=current_app.config["WDP_REPEAT_INTERVAL_DAYS"])
    looks_back = email is not None and confirmed is not None
    moment = confirmed or rating.submitted_at
    window = timedelta(hours=BURST_HOURS)
    rows = _run(
        _details_statement(), rating_id=rating.id, location_id=rating.location_id,
        email=email if looks_back else None, address=email,
        repeat_from=confirmed - interval if looks_back else None,
        repeat_to=confirmed + interval if looks_back else None,
        repeat_of=rating.repeat_of_id if looks_back else None,
        burst_from=moment - window if moment else None,
        burst_to=moment + window if moment else None).all()
    kinds = {"answer": [], "event": [], "repeat": [], "role": [], "burst": []}
    for row in rows:
        kinds[row.kind].append(row)
    themes = themes_by_id({row.theme_id for row in kinds["answer"]})
    answers = sorted((Answer(id=row.id, rating_id=rating.id, theme_id=row.theme_id,
                             score=row.score, text=row.text, theme=themes[row.theme_id])
                      for row in kinds["answer"]),
                     key=lambda answer: (answer.theme.position, answer.theme.id))
    history_rows = sorted(kinds["event"], key=lambda row: (row.at, row.id))
    repeats = [Copy(id=row.id, reference=row.reference, confirmed_at=row.at, status=row.status)
               for row in sorted(kinds["repeat"], key=lambda row: (
                   row.at is None, row.at or datetime.min, row.id))]
    roles = sorted((row.role, row.n) for row in kinds["role"])
    bursting = kinds["burst"][0].n if moment and kinds["burst"] else 0
    return answers, _flags(rating, answers, location or rating.location, repeats,
                           (sum(n for _role, n in roles), [role for role, _n in roles]),
                           bursting), history_rows


def _flags(rating, answers, location, repeats, address, bursting):
    """What the item page warns about, as a dict the template reads.

    "marked" holds each text (the experience and the answers) escaped with its suspicious
    parts inside <mark>: the heuristics run once per text, for the warning and the marks.
    """
    ignore = (location.name, location.organisation.name if location.organisation else "")
    marked, text_kinds = {}, set()
    for text in [rating.experience_text] + [answer.text for answer in answers]:
        if text and text not in marked:
            spans = flags.find(text, ignore)
            marked[text] = flags.highlight_spans(text, spans)
            text_kinds.update(kind for _start, _end, kind in spans)
    count, roles = address
    return {
        "repeats": repeats,
        "address_count": count if count >= MANY_RATINGS else 0,
        "address_roles": roles,
        "burst": bursting if bursting >= BURST_COUNT else 0,
        "text": [kind for kind in flags.KINDS if kind in text_kinds],
        "ignore": ignore,
        "marked": marked,
    }


def changes_since_last_version(rating, answers, latest_number=None):
    """(version, [(theme or None, field, old, new)]): the newest stored version against the
    rating as it is now; None when the rating was never changed. latest_number=0 says the
    caller knows there is no version (item_row() reads it): no query then."""
    if latest_number == 0:
        return None
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
