"""Writes of participation: a sign-up with its receipt, handling it, agreements and their end."""
import logging
from datetime import timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import update

from wdp.clock import now
from wdp.extensions import db
from wdp.locations import page_cache
from wdp.locations.operations import end_participation, start_participation
from wdp.mail.outbox import queue_mail
from wdp.organisations.models import SignUp
from wdp.participation import queries

log = logging.getLogger(__name__)

#: receipts one address gets per 24 hours at most
MAX_RECEIPTS_PER_DAY = 3


def reference(sign_up):
    """The number an organisation can quote when it calls about its sign-up."""
    return f"A-{sign_up.id}"


def sign_up(*, organisation, locations, contact_name, email, phone, message, sector, language):
    """File a sign-up for the editors and queue a receipt to the contact; the caller commits."""
    moment = now()
    # Anyone can type any address: past a few receipts a day, an address gets no more mail
    # (the sign-ups are still filed). Counted in the database, so it holds across servers.
    receipt = queries.sign_ups_from(email, moment - timedelta(days=1)) < MAX_RECEIPTS_PER_DAY
    row = SignUp(organisation=organisation, locations=locations, contact_name=contact_name,
                 email=email, phone=phone, message=message,
                 sector_id=sector.id if sector else None, language=language, created_at=moment)
    db.session.add(row)
    db.session.flush()
    if not receipt:
        log.info("sign-up %s filed, no receipt (too many for the address today)",
                 reference(row))
        return row
    with force_locale(language):
        sent_on = format_date(row.created_at.date(), "d MMMM y")
        sector_name = str(sector.name) if sector else ""
    # The receipt repeats nothing that was typed: anyone can type any address, and the mail
    # must not carry someone else's words to it.
    queue_mail(email, "signup_received", language, reference=reference(row), sent_on=sent_on,
               sector=sector_name)
    log.info("sign-up %s filed", reference(row))
    return row


def handle_sign_up(sign_up_id, editor, note):
    """Mark a sign-up handled by the editor, with what they did. False when someone else handled
    it first (a conditional UPDATE, so two editors never both record it). The caller commits."""
    result = db.session.execute(
        update(SignUp).where(SignUp.id == sign_up_id, SignUp.handled_at.is_(None))
        .values(handled_at=now(), handled_by_id=editor.id, note=note)
        .execution_options(synchronize_session=False))
    if result.rowcount == 1:
        log.info("sign-up A-%s handled by editor %s", sign_up_id, editor.id)
    return result.rowcount == 1


def _claim(location):
    # Writing the location row first makes two admins recording at once take turns (the second
    # waits for the first to commit, then sees its agreement), and renews the cached page.
    page_cache.touch(location.id)


def record_agreement(location, signed_on, signed_by, note, admin):
    """Record a signed agreement from signed_on on: the location is online from that day (if the
    register lists it as active). Raises ParticipationError. The caller commits."""
    _claim(location)
    participation = start_participation(location, signed_on, note, signed_by=signed_by,
                                        recorded_by=admin)
    log.info("participation of location %s from %s recorded by editor %s",
             location.id, signed_on.isoformat(), admin.id)
    return participation


def record_end(location, ended_on, note, admin):
    """Record the end of the running agreement: from ended_on on the location is offline; its
    ratings stay and return with a new agreement. Raises ParticipationError. The caller commits.
    """
    _claim(location)
    participation = end_participation(location, ended_on, note, ended_by=admin)
    log.info("participation of location %s ended on %s, recorded by editor %s",
             location.id, ended_on.isoformat(), admin.id)
    return participation


#: what an erased sign-up's address reads, so the row stays valid and shows what happened
ERASED_EMAIL = ""


def erase_handled_sign_ups():
    """Erase the contact details of sign-ups handled longer than the retention period ago.

    The organisation, its locations and the editors' note stay: they are the record of what
    was asked and done. Returns how many sign-ups were erased. The caller commits.
    """
    from flask import current_app
    limit = now() - timedelta(days=current_app.config["WDP_RETENTION_DAYS"])
    result = db.session.execute(
        update(SignUp)
        .where(SignUp.handled_at.is_not(None), SignUp.handled_at < limit,
               SignUp.email != ERASED_EMAIL)
        .values(email=ERASED_EMAIL, phone="", contact_name="", message=""))
    return result.rowcount
