"""Writes of publication: after approval, publish / do not publish / withdraw, and their links and mails."""
from datetime import timedelta

from babel.dates import format_date
from flask import current_app
from sqlalchemy import select, text

from wdp.clock import now
from wdp.extensions import db
from wdp.locations import page_cache
from wdp.mail.outbox import link_to, queue_mail
from wdp.moderation.models import RatingEvent
from wdp.moderation.workflow import Status, transition
from wdp.publication.links import status_link
from wdp.publication.policy import AUTO_PUBLISH, CONSENT, current_policy
from wdp.rating_form.operations import erase_personal_data
from wdp.tokens import LinkToken, find_token, token_hash

#: token purposes of the mailed action links; a token never works for another purpose
PUBLISH = "publish"
NOT_PUBLISH = "not_publish"
WITHDRAW = "withdraw"
PURPOSES = (PUBLISH, NOT_PUBLISH, WITHDRAW)
#: the endpoint of each action link (wdp/publication/views.py)
ENDPOINTS = {PUBLISH: "publication.publish", NOT_PUBLISH: "publication.not_publish",
             WITHDRAW: "publication.withdraw"}

#: outcomes of an action: OK means it may be done (or was done)
OK = "ok"
ALREADY = "already"            # this very action was done before (a double click, an old link)
PUBLISHED = "published"        # it is online: "do not publish" no longer fits, withdraw does
WITHDRAWN = "withdrawn"        # the submitter took it off the site: final
NOT_PUBLISHED = "not_published"  # the submitter said no: final
REFUSED = "refused"            # rejected, signalled or removed by the editors
ERASED = "erased"              # archived past retention or expired: the personal data is gone
NEEDS_CHANGES = "needs_changes"  # changes were asked (or it was archived after that)
NOT_YET = "not_yet"            # not approved (yet): submitted or with the editors
NOT_ONLINE = "not_online"      # withdraw of a rating that is not online
ARCHIVED = "archived"          # "do not publish" of an archived rating: it stays offline anyway
EXPIRED = "expired"            # the link is too old or was replaced
UNKNOWN = "unknown"            # no such link (forged, mistyped, or its rating is gone)
WRONG_PURPOSE = "wrong_purpose"  # a real link of this rating, but for another action


def _days(key):
    return timedelta(days=current_app.config[key])


def mail_date(moment, language):
    """A date written out in the mail's language (mail context holds plain strings only)."""
    return format_date(moment.date(), format="long", locale=language)


# -- links ---------------------------------------------------------------------------------

LIFETIMES = {PUBLISH: "WDP_PUBLISH_LINK_DAYS", NOT_PUBLISH: "WDP_PUBLISH_LINK_DAYS",
             WITHDRAW: "WDP_WITHDRAW_LINK_DAYS"}


def action_link(purpose, rating):
    """A new single-purpose link for a mail; raw tokens are never stored, so every mail
    gets its own. Earlier links keep working until used or expired."""
    from wdp.tokens import issue_token
    raw = issue_token(purpose, rating.id, _days(LIFETIMES[purpose]))
    return link_to(ENDPOINTS[purpose], token=raw)


def issue_tokens(purpose, rating_ids):
    """Many tokens with one INSERT (the jobs): {rating id: raw token}."""
    import secrets
    raws = {rating_id: secrets.token_urlsafe(32) for rating_id in rating_ids}
    if not raws:
        return raws
    moment = now()
    expires = moment + _days(LIFETIMES[purpose])
    if db.engine.dialect.name == "postgresql":
        # One statement with two arrays: no per-row round trip or statement compilation.
        db.session.execute(text(
            "INSERT INTO link_tokens (token_hash, purpose, subject_id, created_at, expires_at) "
            "SELECT h, :purpose, s, :created, :expires "
            "FROM unnest(CAST(:hashes AS text[]), CAST(:subjects AS integer[])) AS t(h, s)"
        ), {"purpose": purpose, "created": moment, "expires": expires,
            "hashes": [token_hash(raw) for raw in raws.values()], "subjects": list(raws)})
    else:
        db.session.execute(LinkToken.__table__.insert(), [
            {"token_hash": token_hash(raw), "purpose": purpose, "subject_id": rating_id,
             "created_at": moment, "expires_at": expires}
            for rating_id, raw in raws.items()])
    return raws


def _common(rating):
    return {"reference": rating.reference, "location_name": rating.location.name,
            "status_link": status_link(rating)}


# -- what fits now -------------------------------------------------------------------------

def archived_from(rating):
    """The status an archived rating was archived from (approved or changes_requested)."""
    return db.session.scalar(
        select(RatingEvent.from_status).where(RatingEvent.rating_id == rating.id,
                                              RatingEvent.to_status == Status.ARCHIVED)
        .order_by(RatingEvent.id.desc()).limit(1))


def publishable_until(rating):
    """Until when an archived rating can still be published (its personal data is kept)."""
    return rating.status_changed_at + _days("WDP_RETENTION_DAYS")


def check(rating, purpose):
    """OK when the action fits the rating's status now, else the outcome saying why not."""
    status = Status(rating.status)
    if status is Status.WITHDRAWN:
        return ALREADY if purpose == WITHDRAW else WITHDRAWN
    if status in (Status.REJECTED, Status.SIGNALLED, Status.REMOVED):
        return REFUSED
    if status is Status.EXPIRED:
        return ERASED
    if status is Status.NOT_PUBLISHED:
        return ALREADY if purpose == NOT_PUBLISH else NOT_PUBLISHED
    if status is Status.PUBLISHED:
        return {PUBLISH: ALREADY, NOT_PUBLISH: PUBLISHED, WITHDRAW: OK}[purpose]
    if purpose == WITHDRAW:
        return NOT_ONLINE
    if status is Status.APPROVED:
        return OK
    if status is Status.CHANGES_REQUESTED:
        return NEEDS_CHANGES
    if status is Status.ARCHIVED:
        if rating.personal_data_erased_at or publishable_until(rating) <= now():
            return ERASED
        if archived_from(rating) != Status.APPROVED:
            return NEEDS_CHANGES
        # archived -> not_published is no move of the state machine, and not needed:
        # an archived rating stays offline unless its submitter publishes it.
        return OK if purpose == PUBLISH else ARCHIVED
    return NOT_YET


def check_link(raw, purpose):
    """(outcome, rating, token) for a mailed action link, without using it."""
    token = find_token(raw, purpose)
    if token is None:
        other = None
        if raw and len(raw) <= 100:
            other = db.session.scalar(select(LinkToken).where(
                LinkToken.token_hash == token_hash(raw), LinkToken.purpose.in_(PURPOSES)))
        if other is None:
            return UNKNOWN, None, None
        return WRONG_PURPOSE, _rating(other.subject_id), None
    rating = _rating(token.subject_id)
    if rating is None:
        return UNKNOWN, None, None
    outcome = check(rating, purpose)
    if outcome != OK:
        return outcome, rating, token
    if token.state == "used":
        return ALREADY, rating, token
    if token.state != "valid":
        return EXPIRED, rating, token
    return OK, rating, token


def _rating(rating_id):
    from wdp.rating_form.models import Rating
    return db.session.get(Rating, rating_id)


def use_link(raw, purpose):
    """Use a mailed action link: (outcome, rating). The caller commits, or rolls back on
    ConcurrentTransition (someone, or a second click, moved the rating first)."""
    outcome, rating, token = check_link(raw, purpose)
    if outcome != OK:
        return outcome, rating
    # Claim the token in the database: of two clicks at once, one acts.
    claimed = db.session.execute(
        LinkToken.__table__.update()
        .where(LinkToken.id == token.id, LinkToken.used_at.is_(None),
               LinkToken.revoked_at.is_(None), LinkToken.expires_at > now())
        .values(used_at=now())).rowcount
    if claimed != 1:
        return ALREADY, rating
    return act(rating, purpose), rating


def act(rating, purpose):
    """Do the submitter's action when it fits: the outcome (OK when done)."""
    outcome = check(rating, purpose)
    if outcome != OK:
        return outcome
    {PUBLISH: publish, NOT_PUBLISH: not_publish, WITHDRAW: withdraw}[purpose](rating)
    return OK


# -- the moves -----------------------------------------------------------------------------

def after_approval(rating):
    """Called by the editors' approval (moderation.decisions.decide): apply the policy in force.

    opt_in, and consent without consent: mail the publish / do-not-publish links.
    consent with consent: publish at once and mail that it is online.
    auto_publish: mail the date it goes online unless the submitter says no.
    """
    policy = current_policy()
    rating.publication_policy = policy
    if policy == CONSENT and rating.publish_consent:
        publish(rating, actor_type="system", how="consent")
        return rating
    context = _common(rating)
    context.update(publish_link=action_link(PUBLISH, rating),
                   not_publish_link=action_link(NOT_PUBLISH, rating))
    if policy == AUTO_PUBLISH:
        online = rating.status_changed_at + _days("WDP_AUTO_PUBLISH_DAYS")
        context.update(mode="auto", online_date=mail_date(online, rating.language))
    else:
        context.update(mode="opt_in", reminder_days=current_app.config["WDP_ARCHIVE_DAYS"])
    queue_mail(rating.email, "rating_approved", rating.language, **context)
    return rating


def publish(rating, actor_type="submitter", how="submitter"):
    """Put an approved (or archived, still publishable) rating online and mail the withdraw link.

    how: "submitter" (their link or status page), "consent" (approved with consent at
    submission) or "auto" (the auto-publish policy, after WDP_AUTO_PUBLISH_DAYS).
    """
    transition(rating, Status.PUBLISHED, actor_type=actor_type)
    on_published(rating)
    if rating.email:
        queue_mail(rating.email, "rating_published", rating.language, how=how,
                   withdraw_link=action_link(WITHDRAW, rating), **_common(rating))
    return rating


def on_published(rating):
    """The one hand-off point after a rating went online, whoever published it.

    transition() has already counted the rating in its location's figures and given it
    its publication rank; this marks the location page as changed so no cached copy
    survives, and tells the location's contact (a mail now, or the weekly digest).
    """
    page_cache.touch(rating.location_id)
    from wdp.organisations.notify import rating_published
    rating_published(rating)


def not_publish(rating):
    """The submitter says no: final. The data is kept like a rejected rating's, then erased."""
    transition(rating, Status.NOT_PUBLISHED, actor_type="submitter")
    _revoke_action_links(rating)
    return rating


def withdraw(rating):
    """Take a published rating off the site at once and erase its text and e-mail address.

    transition() uncounts it (the figures) and closes its gap in the publication ranks; the
    location page lists published ratings only, so the rating and the organisation's
    response to it disappear together. touch() makes sure no cached page survives even when
    the counters would come back to the same values. Row, scores and events stay.
    """
    transition(rating, Status.WITHDRAWN, actor_type="submitter")
    page_cache.touch(rating.location_id)
    erase_personal_data(rating)
    _revoke_action_links(rating)
    return rating


def _revoke_action_links(rating):
    db.session.execute(
        LinkToken.__table__.update()
        .where(LinkToken.subject_id == rating.id, LinkToken.purpose.in_(PURPOSES),
               LinkToken.used_at.is_(None), LinkToken.revoked_at.is_(None))
        .values(revoked_at=now()))
