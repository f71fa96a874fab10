"""Lost links: mail an address fresh status links of each of its ratings that still hold personal data."""
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, format_date
from sqlalchemy import func, select

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.mail.outbox import queue_mail
from wdp.moderation.workflow import Status
from wdp.publication.links import status_link
from wdp.rating_form.models import Rating
from wdp.tokens import LinkToken, issue_token

# Never the address in these lines: the page must not tell anyone whether it is known.
log = logging.getLogger("wdp.publication")

#: a LinkToken purpose used only as a counter of lost-links mails per address (the raw
#: token is thrown away at once, so it opens nothing): counted in the database, the limit
#: holds across all app servers, like the confirmation mails' limit
COUNTER_PURPOSE = "lost_links_mail"
TEMPLATE = "lost_links"


def ratings_of(address):
    """The ratings of an address (in any case) that still hold personal data, newest first
    (index ix_ratings_lower_email_location)."""
    return db.session.execute(
        select(Rating, Location.name)
        .join(Location, Location.id == Rating.location_id)
        .where(func.lower(Rating.email) == address.lower(),
               Rating.personal_data_erased_at.is_(None),
               Rating.status != Status.DRAFT)
        .order_by(Rating.created_at.desc(), Rating.id.desc())).all()


def mails_last_hour(rating_id):
    return db.session.scalar(select(func.count()).select_from(LinkToken).where(
        LinkToken.purpose == COUNTER_PURPOSE, LinkToken.subject_id == rating_id,
        LinkToken.created_at > now() - timedelta(hours=1)))


def send_lost_links(address, page_language):
    """Queue one mail listing the address's ratings with their status links; the caller commits.

    Returns how many ratings the mail lists (0: nothing queued, for an unknown address or
    one that asked too often this hour). The caller answers the same in every case.
    """
    found = ratings_of(address)
    if not found:
        log.info("lost links asked for an address without ratings")
        return 0
    newest = found[0][0]
    if mails_last_hour(newest.id) >= current_app.config["WDP_MAX_LOST_LINK_MAILS_PER_HOUR"]:
        log.info("lost links not sent for rating %s: asked too often this hour", newest.id)
        return 0
    language = newest.language or page_language
    with force_locale(language):
        ratings = [{"location_name": name, "reference": rating.reference or "",
                    "status": rating.status,
                    "sent_on": format_date(rating.submitted_at or rating.created_at,
                                           "d MMMM y"),
                    "link": status_link(rating)}
                   for rating, name in found]
    queue_mail(address, TEMPLATE, language, ratings=ratings)
    issue_token(COUNTER_PURPOSE, newest.id, timedelta(hours=1))
    log.info("lost links queued for %s ratings, newest %s", len(ratings), newest.id)
    return len(ratings)
