"""Scheduled publication work: reminders, archiving, auto-publishing and erasing after retention.

Safe with two runners at once: a reminder is first inserted under its unique key (rating,
cycle, number) with ON CONFLICT DO NOTHING and only the rows this runner inserted get a
mail; moves go through transition(), whose conditional UPDATE lets one runner win. Every
query walks the (status, status_changed_at) index and works in batches, one commit each.
"""
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import joinedload

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.mail.outbox import link_to, queue_mail, queue_mails
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition, Status, transition
from wdp.publication import operations as ops
from wdp.publication.links import STATUS_ENDPOINT, status_link
from wdp.publication.links import _serializer as status_serializer
from wdp.publication.models import Reminder
from wdp.publication.policy import AUTO_PUBLISH
from wdp.rating_form.models import Rating, RatingAnswer

#: rows per batch and commit; WDP_JOB_BATCH (not an environment setting) lets tests use small ones
BATCH = 1000


def _batch():
    return current_app.config.get("WDP_JOB_BATCH", BATCH)
#: the statuses that wait for the submitter and get reminders, then are archived
WAITING = (Status.APPROVED, Status.CHANGES_REQUESTED)


def _days(key):
    return timedelta(days=current_app.config[key])


def run_publication_jobs():
    """Everything due, in an order where a rating gets at most one mail per run. Returns counts."""
    done = {}
    done["auto-published ratings"] = auto_publish_due()
    done["archived ratings"] = archive_due()
    done["second reminders"] = send_reminders(2)
    done["first reminders"] = send_reminders(1)
    done["erased after retention"] = erase_after_retention()
    return done


def _not_auto_publish():
    return or_(Rating.publication_policy.is_(None), Rating.publication_policy != AUTO_PUBLISH)


def _waiting_in(since, until):
    """Ratings waiting for their submitter that entered the status in [since, until)."""
    return and_(
        Rating.status.in_([status.value for status in WAITING]),
        Rating.status_changed_at >= since, Rating.status_changed_at < until,
        # auto-published ratings get no reminders: they go online by themselves
        or_(Rating.status == Status.CHANGES_REQUESTED, _not_auto_publish()))


# -- reminders -----------------------------------------------------------------------------

def send_reminders(number):
    """Reminder 1 or 2 to every rating due for it; returns how many mails were queued.

    A rating that is due for the second one gets only that (e.g. after the runner stood
    still for a week), and one past the archiving day gets none: it is archived instead.
    Each status is walked in the order of its index (status, status_changed_at), a batch at
    a time, continuing after the last batch (keyset), so no batch re-reads earlier ones.
    """
    moment = now()
    first, second, archive = (_days(key) for key in (
        "WDP_FIRST_REMINDER_DAYS", "WDP_SECOND_REMINDER_DAYS", "WDP_ARCHIVE_DAYS"))
    if number == 1:
        since, until = moment - second, moment - first
    else:
        since, until = moment - archive, moment - second
    links = _LinkMaker()
    sent = 0
    for status in WAITING:
        after = since
        while True:
            not_sent = ~select(Reminder.id).where(
                Reminder.rating_id == Rating.id,
                Reminder.cycle_started_at == Rating.status_changed_at,
                Reminder.number == number).exists()
            query = (select(Rating.id, Rating.status_changed_at)
                     .where(Rating.status == status, Rating.status_changed_at >= after,
                            Rating.status_changed_at < until, Rating.email.is_not(None),
                            not_sent)
                     .order_by(Rating.status_changed_at).limit(_batch()))
            if status is Status.APPROVED:
                # auto-published ratings get no reminders: they go online by themselves
                query = query.where(_not_auto_publish())
            due = db.session.execute(query).all()
            if not due:
                break
            after = due[-1].status_changed_at
            claimed = _claim_reminders(due, number, moment)
            sent += _mail_reminders(claimed, number, status, links)
            db.session.commit()
    return sent


def _claim_reminders(due, number, moment):
    """Insert the reminders; the ids of the ratings whose reminder this runner inserted.

    ON CONFLICT DO NOTHING: a reminder another runner inserted first (committed or not;
    PostgreSQL waits for the other transaction) returns no row here, so it gets no mail.
    """
    if db.engine.dialect.name == "postgresql":
        # One statement with two arrays: no per-row round trip or statement compilation.
        return list(db.session.scalars(text(
            "INSERT INTO reminders (rating_id, cycle_started_at, number, created_at) "
            "SELECT r, c, :number, :created FROM unnest(CAST(:ratings AS integer[]), "
            "CAST(:cycles AS timestamp[])) AS t(r, c) "
            "ON CONFLICT (rating_id, cycle_started_at, number) DO NOTHING RETURNING rating_id"
        ), {"number": number, "created": moment, "ratings": [row[0] for row in due],
            "cycles": [row[1] for row in due]}))
    table = Reminder.__table__
    statement = (sqlite.insert(table)
                 .on_conflict_do_nothing(index_elements=["rating_id", "cycle_started_at",
                                                         "number"])
                 .returning(table.c.rating_id))
    rows = [{"rating_id": rating_id, "cycle_started_at": cycle, "number": number,
             "created_at": moment} for rating_id, cycle in due]
    return list(db.session.scalars(statement, rows))


class _LinkMaker:
    """Absolute links of one endpoint built once, the token put in per mail (50,000 a run)."""

    PLACEHOLDER = "TOKENPLACEHOLDER"

    def __init__(self):
        self._bases = {}

    def __call__(self, endpoint, token):
        base = self._bases.get(endpoint)
        if base is None:
            base = self._bases[endpoint] = link_to(endpoint, token=self.PLACEHOLDER)
        return base.replace(self.PLACEHOLDER, token)


@lru_cache(maxsize=256)
def _mail_date(day, language):
    return ops.mail_date(datetime(day.year, day.month, day.day), language)


def _mail_reminders(rating_ids, number, status, links):
    if not rating_ids:
        return 0
    rows = db.session.execute(
        select(Rating.id, Rating.email, Rating.language, Rating.reference,
               Rating.status_changed_at, Location.name)
        .join(Location, Location.id == Rating.location_id)
        .where(Rating.id.in_(rating_ids))).all()
    if status is Status.APPROVED:
        publish = ops.issue_tokens(ops.PUBLISH, rating_ids)
        not_publish = ops.issue_tokens(ops.NOT_PUBLISH, rating_ids)
    archive = _days("WDP_ARCHIVE_DAYS")
    signer = status_serializer()
    mails = []
    for row in rows:
        context = {"number": number, "reference": row.reference, "location_name": row.name,
                   "status_link": links(STATUS_ENDPOINT, signer.dumps(row.id)),
                   "archive_date": _mail_date((row.status_changed_at + archive).date(),
                                              row.language)}
        if status is Status.APPROVED:
            context.update(
                kind="approved",
                publish_link=links(ops.ENDPOINTS[ops.PUBLISH], publish[row.id]),
                not_publish_link=links(ops.ENDPOINTS[ops.NOT_PUBLISH], not_publish[row.id]))
        else:
            from wdp.rating_form.operations import revise_link
            context.update(kind="changes", revise_link=revise_link(row))
        mails.append((row.email, "rating_reminder", row.language, context))
    # The addresses were checked when the ratings were submitted.
    return queue_mails(mails, addresses_checked=True)


# -- moves ---------------------------------------------------------------------------------

def _batches(condition, skipped):
    """Ratings matching the condition, a batch at a time, until none is left.

    The caller commits each batch before the next is read; a moved rating no longer
    matches, and one another runner moved first is put in `skipped` by the caller.
    """
    while True:
        query = select(Rating).where(condition)
        if skipped:
            query = query.where(Rating.id.not_in(skipped))
        ratings = db.session.scalars(query.order_by(Rating.status_changed_at).limit(_batch())
                                     .options(joinedload(Rating.location))).all()
        if not ratings:
            return
        yield ratings


def _move(rating, to):
    """transition() in a savepoint: False when another runner moved the rating first."""
    try:
        with db.session.begin_nested():
            transition(rating, to, actor_type="system")
        return True
    except (ConcurrentTransition, IllegalTransition):
        db.session.expire(rating)
        return False


def archive_due():
    """Archive what waited WDP_ARCHIVE_DAYS for its submitter, with a last mail."""
    moment = now()
    until = moment - _days("WDP_ARCHIVE_DAYS")
    condition = and_(
        Rating.status.in_([status.value for status in WAITING]),
        Rating.status_changed_at < until,
        or_(Rating.status == Status.CHANGES_REQUESTED, _not_auto_publish()))
    archived, skipped = 0, set()
    for ratings in _batches(condition, skipped):
        for rating in ratings:
            publishable = rating.status == Status.APPROVED
            if not _move(rating, Status.ARCHIVED):
                skipped.add(rating.id)
                continue
            archived += 1
            if not rating.email:
                continue
            context = {"reference": rating.reference, "location_name": rating.location.name,
                       "status_link": status_link(rating), "publishable": publishable,
                       "until_date": ops.mail_date(ops.publishable_until(rating),
                                                   rating.language)}
            if publishable:
                context["publish_link"] = ops.action_link(ops.PUBLISH, rating)
            queue_mail(rating.email, "rating_archived", rating.language, **context)
        db.session.commit()
    return archived


def auto_publish_due():
    """Publish what was approved under auto_publish WDP_AUTO_PUBLISH_DAYS ago and not refused."""
    until = now() - _days("WDP_AUTO_PUBLISH_DAYS")
    condition = and_(Rating.status == Status.APPROVED, Rating.status_changed_at < until,
                     Rating.publication_policy == AUTO_PUBLISH)
    published, skipped = 0, set()
    for ratings in _batches(condition, skipped):
        for rating in ratings:
            try:
                with db.session.begin_nested():
                    ops.publish(rating, actor_type="system", how="auto")
                published += 1
            except (ConcurrentTransition, IllegalTransition):  # another runner was first
                db.session.expire(rating)
                skipped.add(rating.id)
        db.session.commit()
    return published


#: final or archived statuses whose personal data goes after WDP_RETENTION_DAYS
RETAINED = (Status.ARCHIVED, Status.REJECTED, Status.NOT_PUBLISHED)


def erase_after_retention():
    """Erase text and e-mail of archived, rejected and not published ratings past retention.

    The rows, scores and events stay (the counts remain honest). One UPDATE per batch: the
    values do not depend on the row, and a second runner erasing the same rows does no harm.
    """
    moment = now()
    until = moment - _days("WDP_RETENTION_DAYS")
    erased = 0
    while True:
        ids = db.session.scalars(select(Rating.id).where(
            Rating.status.in_([status.value for status in RETAINED]),
            Rating.status_changed_at < until,
            Rating.personal_data_erased_at.is_(None)).limit(_batch())).all()
        if not ids:
            return erased
        db.session.execute(update(RatingAnswer).where(RatingAnswer.rating_id.in_(ids))
                           .values(text="").execution_options(synchronize_session=False))
        erased += db.session.execute(
            update(Rating).where(Rating.id.in_(ids), Rating.personal_data_erased_at.is_(None))
            .values(email=None, experience_text="", personal_data_erased_at=moment)
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
