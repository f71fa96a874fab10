"""Who an organisation is: contact addresses, their secure link tokens and the short session.

One contact per register address (lowercased). Its link covers every location with that
address, computed on each request, so a location whose register address changes drops out
of the old link at once. Tokens are LinkToken rows (purpose "organisation"): random, stored
only as a SHA-256 hash, valid until an editor revokes the contact's link. A hashed token
cannot be mailed twice, so every mail carries a fresh token of the same contact's link; a
revocation ends them all (and every session opened with them).

The session: the token is exchanged (POST) for a mark in the signed Flask session holding
the token's id and two times; every request checks the token row again (revoked?) and ends
the session after WDP_ORG_SESSION_IDLE_MINUTES without a request or
WDP_ORG_SESSION_HOURS in all.
"""
import functools
from datetime import datetime, timedelta

from flask import current_app, g, session
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from wdp.clock import now
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.organisations.models import OrganisationContact
from wdp.tokens import LinkToken, find_token, issue_token, revoke_tokens

PURPOSE = "organisation"
#: "valid until revoked": the expiry exists only because link_tokens needs one
LINK_LIFETIME = timedelta(days=365 * 100)
SESSION_KEY = "org"


def normalise(email):
    return (email or "").strip().lower()


def contact_for(email, create=True):
    """The contact of a register address (created on first use), or None for no address."""
    email = normalise(email)
    if not email:
        return None
    contact = db.session.scalar(select(OrganisationContact).where(
        OrganisationContact.email == email))
    if contact is None and create:
        try:
            # A savepoint: two publications for a new address at once (a job and a
            # submitter) both try to create it; the second takes the first one's row.
            with db.session.begin_nested():
                contact = OrganisationContact(email=email)
                db.session.add(contact)
        except IntegrityError:
            contact = db.session.scalar(select(OrganisationContact).where(
                OrganisationContact.email == email))
    return contact


def covered_locations(contact):
    """SELECT of the locations a contact's link covers (same register address), by name."""
    return (select(Location).where(func.lower(Location.contact_email) == contact.email)
            .order_by(Location.name, Location.id))


def covered_location_ids(contact):
    return list(db.session.scalars(covered_locations(contact).with_only_columns(Location.id)))


def issue_link(contact):
    """A new raw token for the contact's link (for one mail); only its hash is stored."""
    return issue_token(PURPOSE, contact.id, LINK_LIFETIME)


def revoke_link(contact):
    """End every token and session of the contact's link; a new link can be requested."""
    revoke_tokens(PURPOSE, contact.id)
    contact.revoked_at = now()


def token_state(raw):
    """(state, token row or None): "valid", "revoked", "unknown" (also malformed)."""
    token = find_token(raw, PURPOSE)
    if token is None:
        return "unknown", None
    if token.revoked_at is not None:
        return "revoked", token
    if token.expires_at <= now():
        return "revoked", token
    return "valid", token


def start_session(token):
    """Exchange a valid token for the session mark (the caller redirects away from the token)."""
    moment = now().isoformat()
    session[SESSION_KEY] = {"token": token.id, "since": moment, "seen": moment}


def end_session():
    session.pop(SESSION_KEY, None)
    g.pop("org_contact", None)


def _minutes(key):
    return timedelta(minutes=current_app.config[key])


@functools.cache
def _session_statement():
    # Built once per worker: every organisation page runs it.
    return (select(LinkToken, OrganisationContact)
            .join(OrganisationContact, OrganisationContact.id == LinkToken.subject_id)
            .where(LinkToken.id == bindparam("token_id"), LinkToken.purpose == PURPOSE))


def current_contact():
    """The contact of this request's organisation session, or None (and the mark is dropped).

    One query: the token row joined with its contact. Cached on g for the request.
    """
    if "org_contact" in g:
        return g.org_contact
    g.org_contact = None
    mark = session.get(SESSION_KEY)
    if not isinstance(mark, dict):
        return None
    try:
        since = datetime.fromisoformat(mark["since"])
        seen = datetime.fromisoformat(mark["seen"])
        token_id = int(mark["token"])
    except (KeyError, TypeError, ValueError):
        end_session()
        return None
    moment = now()
    if (moment - seen > _minutes("WDP_ORG_SESSION_IDLE_MINUTES")
            or moment - since > timedelta(hours=current_app.config["WDP_ORG_SESSION_HOURS"])):
        end_session()
        return None
    row = db.session.execute(_session_statement(), {"token_id": token_id}).first()
    if row is None or row[0].revoked_at is not None or row[0].expires_at <= moment:
        end_session()
        return None
    # Rewrite the mark at most once a minute: the cookie changes only then.
    if moment - seen > timedelta(minutes=1):
        session[SESSION_KEY] = {**mark, "seen": moment.isoformat()}
    g.org_contact = row[1]
    return g.org_contact
