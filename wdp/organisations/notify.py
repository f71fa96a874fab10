"""Mails to organisations: a rating went online, the weekly digest, and a fresh secure link."""
import logging
from datetime import timedelta

from babel.dates import format_date
from flask import current_app
from sqlalchemy import func, or_, select, update

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location, participates_on
from wdp.mail.outbox import link_to, queue_mail
from wdp.organisations import access
from wdp.organisations.models import OrganisationContact
from wdp.rating_form.models import Rating
from wdp.tokens import LinkToken

# Never an address in these lines: ids only.
log = logging.getLogger("wdp.organisations")

#: organisations in the pilot are Flemish: their mails are in Dutch
LANGUAGE = "nl"
EACH = "each"
WEEKLY = "weekly"
DIGEST_INTERVAL = timedelta(days=7)
#: a digest lists at most this many ratings; the page has them all
DIGEST_LIMIT = 50
#: the longest text quoted in a mail; the page shows it whole
QUOTE_LIMIT = 1500


def _date(moment):
    return format_date(moment.date(), format="long", locale=LANGUAGE)


def _quote(text):
    text = text or ""
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT].rstrip() + " …"


def secure_link(contact):
    """An absolute link with a fresh token of the contact's link (one per mail)."""
    return link_to("organisations.link", token=access.issue_link(contact))


def _mailable(contact, what):
    """Queue nothing for an address that cannot be mailed; say so in the log (by id)."""
    try:
        from wdp.mail.outbox import checked_address
        checked_address(contact.email)
        return True
    except ValueError:
        log.warning("%s not mailed: the register address of contact %s cannot be mailed",
                    what, contact.id)
        return False


def rating_published(rating):
    """Tell the location's contact that a rating went online, if it asked for one mail each.

    Called from publication.operations.on_published in the caller's transaction. A location
    without a register address gets no mail: it is on the editors' list
    (organisation_editors.index). Nothing here may stop a publication.
    """
    location = rating.location
    contact = access.contact_for(location.contact_email)
    if contact is None or contact.notify != EACH or not _mailable(contact, "rating"):
        return None
    return queue_mail(
        contact.email, "organisation_rating", LANGUAGE,
        location_name=location.name, score=rating.overall_score,
        text=_quote(rating.experience_text), published_on=_date(rating.published_at or now()),
        themes_answered=len(rating.answers), link=secure_link(contact))


def send_link(contact, reason, location_name=None):
    """Mail a fresh link to the contact's address. reason: "asked" (the new-link page) or
    "address" (the register now gives this address for location_name)."""
    if not _mailable(contact, "link"):
        return None
    names = [loc.name for loc in db.session.scalars(access.covered_locations(contact))]
    return queue_mail(contact.email, "organisation_link", LANGUAGE, reason=reason,
                      location_name=location_name, location_names=names,
                      link=secure_link(contact))


# -- the "send me a new link" page --------------------------------------------------------------

def links_last_hour(contact):
    """Tokens of the contact's link made in the last hour: every mail with a link counts."""
    return db.session.scalar(select(func.count()).select_from(LinkToken).where(
        LinkToken.purpose == access.PURPOSE, LinkToken.subject_id == contact.id,
        LinkToken.created_at > now() - timedelta(hours=1)))


def max_link_mails_per_hour():
    return current_app.config["WDP_MAX_ORG_LINK_MAILS_PER_HOUR"]


def request_link(address):
    """Mail a new link when a participating location has this register address.

    True when a mail was queued. The caller commits and answers the same in every case.
    """
    email = access.normalise(address)
    participating = db.session.scalar(select(func.count()).select_from(Location).where(
        func.lower(Location.contact_email) == email, participates_on()))
    if not participating:
        log.info("organisation link asked for an address without a participating location")
        return False
    contact = access.contact_for(email)
    if links_last_hour(contact) >= max_link_mails_per_hour():
        log.info("organisation link for contact %s not sent: asked too often this hour",
                 contact.id)
        return False
    send_link(contact, "asked")
    log.info("organisation link queued for contact %s", contact.id)
    return True


def register_address_changed(location, old_email):
    """The register import gave a participating location a new address: mail it a link.

    The old address's link stops covering the location by itself (covered_locations).
    """
    if access.normalise(location.contact_email) in ("", access.normalise(old_email)):
        return None
    participating = db.session.scalar(select(func.count()).select_from(Location).where(
        Location.id == location.id, participates_on()))
    if not participating:
        return None
    contact = access.contact_for(location.contact_email)
    log.info("register address of location %s changed: link mailed to contact %s",
             location.id, contact.id)
    return send_link(contact, "address", location_name=location.name)


# -- the weekly digest --------------------------------------------------------------------------

def _claim(contact_id, since, moment):
    """Move the contact's digest moment from `since` to `moment`: True for the one runner
    that did it (a conditional UPDATE, atomic on SQLite and PostgreSQL)."""
    unchanged = (OrganisationContact.digest_sent_at.is_(None) if since is None
                 else OrganisationContact.digest_sent_at == since)
    result = db.session.execute(
        update(OrganisationContact)
        .where(OrganisationContact.id == contact_id, unchanged)
        .values(digest_sent_at=moment)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def digest_ratings(contact, since, until):
    """Ratings online now that were published in (since, until] at the covered locations."""
    ids = access.covered_location_ids(contact)
    if not ids:
        return []
    return db.session.execute(
        select(Rating, Location.name).join(Location, Location.id == Rating.location_id)
        .where(Rating.location_id.in_(ids), Rating.publication_rank.is_not(None),
               Rating.published_at > since, Rating.published_at <= until)
        .order_by(Location.name, Rating.published_at.desc(), Rating.id.desc())).all()


def send_digests():
    """Send the weekly digest of every contact that chose it and is due; returns mails sent.

    Due 7 days after the last digest (or after the contact was made). Each contact is
    claimed by moving digest_sent_at in a conditional UPDATE first, so two runners at once
    never send one digest twice; each contact commits on its own.
    """
    moment = now()
    due_before = moment - DIGEST_INTERVAL
    due = db.session.execute(
        select(OrganisationContact.id, OrganisationContact.digest_sent_at,
               OrganisationContact.created_at)
        .where(OrganisationContact.notify == WEEKLY,
               or_(OrganisationContact.digest_sent_at <= due_before,
                   (OrganisationContact.digest_sent_at.is_(None)
                    & (OrganisationContact.created_at <= due_before))))
        .order_by(OrganisationContact.id)).all()
    sent = 0
    for contact_id, sent_at, created_at in due:
        if not _claim(contact_id, sent_at, moment):
            db.session.rollback()
            continue  # another runner has it
        contact = db.session.get(OrganisationContact, contact_id)
        found = digest_ratings(contact, sent_at or created_at, moment)
        if found and _mailable(contact, "digest"):
            ratings = [{"location_name": name, "score": rating.overall_score,
                        "text": _quote(rating.experience_text),
                        "published_on": _date(rating.published_at)}
                       for rating, name in found[:DIGEST_LIMIT]]
            queue_mail(contact.email, "organisation_digest", LANGUAGE, ratings=ratings,
                       total=len(found), more=max(0, len(found) - DIGEST_LIMIT),
                       since=_date(sent_at or created_at), link=secure_link(contact))
            sent += 1
        db.session.commit()
    return sent
