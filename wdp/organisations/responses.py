"""The one state machine of an organisation's response, and the writes that go through it."""
import statistics
from datetime import timedelta
from enum import StrEnum

from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from wdp.clock import now
from wdp.extensions import db
from wdp.locations import page_cache
from wdp.mail.outbox import link_to, queue_mail
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition
from wdp.organisations import access
from wdp.organisations.models import Response, ResponseEvent


class ResponseStatus(StrEnum):
    IN_MODERATION = "in_moderation"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    REMOVED = "removed"

    @property
    def label(self):
        return LABELS[self]


LABELS = {
    ResponseStatus.IN_MODERATION: _l("Wacht op de redactie"),
    ResponseStatus.APPROVED: _l("Goedgekeurd en online"),
    ResponseStatus.REJECTED: _l("Afgewezen"),
    ResponseStatus.CHANGES_REQUESTED: _l("Aanpassing gevraagd"),
    ResponseStatus.REMOVED: _l("Van de site gehaald"),
}

#: None is a response that is not yet in the database: it can only be sent to the editors
ALLOWED = {
    None: {ResponseStatus.IN_MODERATION},
    ResponseStatus.IN_MODERATION: {ResponseStatus.APPROVED, ResponseStatus.REJECTED,
                                   ResponseStatus.CHANGES_REQUESTED},
    # The organisation rewrites the same row; the events keep every earlier text.
    ResponseStatus.REJECTED: {ResponseStatus.IN_MODERATION},
    ResponseStatus.CHANGES_REQUESTED: {ResponseStatus.IN_MODERATION},
    ResponseStatus.APPROVED: {ResponseStatus.REMOVED},
}

#: an editor's decisions on a waiting response
DECISIONS = (ResponseStatus.APPROVED, ResponseStatus.REJECTED, ResponseStatus.CHANGES_REQUESTED)
#: after these the organisation may write its response again
REWRITABLE = frozenset({ResponseStatus.REJECTED, ResponseStatus.CHANGES_REQUESTED})


class IllegalResponseTransition(IllegalTransition):
    def __init__(self, current, to):
        super().__init__(current, to)
        self.args = (f"a response cannot move from {current} to {to}",)


class ConcurrentResponseTransition(ConcurrentTransition):
    """Someone else moved the response first; the caller rolls back and shows what happened."""


def transition(response, to, *, actor_type, actor_id=None, reasons=(), message="", text=None):
    """Move a response to another status, recording the event with its text; the caller commits.

    A response already in the database moves with one conditional UPDATE (compare and set on
    its status), so of two editors deciding at once exactly one succeeds; the other gets
    ConcurrentResponseTransition. `text` replaces the text when the organisation (re)writes.
    """
    to = ResponseStatus(to)
    persisted = response.id is not None
    current = ResponseStatus(response.status) if persisted else None
    if to not in ALLOWED.get(current, ()):
        raise IllegalResponseTransition(current, to)
    moment = now()
    values = {"status": to.value, "status_changed_at": moment}
    if text is not None:
        values["text"] = text
    if to is ResponseStatus.IN_MODERATION:
        values["submitted_at"] = moment
    if current is ResponseStatus.IN_MODERATION:
        values.update(decided_at=moment, reserved_by_id=None, reserved_until=None)
    if to is ResponseStatus.APPROVED:
        values["approved_at"] = moment
    if persisted:
        moved = db.session.execute(
            update(Response).where(Response.id == response.id, Response.status == current)
            .values(values).execution_options(synchronize_session=False)).rowcount
        if moved != 1:
            raise ConcurrentResponseTransition(f"response {response.id} is no longer {current}")
        for name, value in values.items():
            set_committed_value(response, name, value)
    else:
        for name, value in values.items():
            setattr(response, name, value)
        db.session.add(response)
    db.session.add(ResponseEvent(
        response=response, at=moment, from_status=current.value if current else None,
        to_status=to.value, actor_type=actor_type, actor_id=actor_id,
        reasons=",".join(reasons), message=message, text=response.text))
    if ResponseStatus.APPROVED in (current, to):
        # Shown or hidden under the rating: no cached copy of the page may survive.
        page_cache.touch(response.rating.location_id)
    return response


# -- the organisation writes --------------------------------------------------------------

def submit(rating, contact, text):
    """Send a new response, or the rewrite of a rejected one, to the editors.

    Raises IllegalResponseTransition when the rating's response is waiting, online or
    removed, and ConcurrentResponseTransition when someone else moved it meanwhile. A second
    new response for the same rating at the same moment fails on the unique rating_id
    (IntegrityError at commit).
    """
    response = rating.response
    if response is None:
        response = Response(rating=rating, contact_id=contact.id, text=text)
        return transition(response, ResponseStatus.IN_MODERATION, actor_type="organisation",
                          text=text)
    response.contact_id = contact.id
    return transition(response, ResponseStatus.IN_MODERATION, actor_type="organisation",
                      text=text)


def usual_wait(moment=None, days=90, at_least=5):
    """The median time the editors took to decide responses lately, or None (too few)."""
    moment = moment or now()
    rows = db.session.execute(
        select(Response.submitted_at, Response.decided_at)
        .where(Response.decided_at >= moment - timedelta(days=days),
               Response.submitted_at.is_not(None), Response.decided_at >= Response.submitted_at)
    ).all()
    if len(rows) < at_least:
        return None
    return statistics.median_low([decided - submitted for submitted, decided in rows])


# -- the editors decide -----------------------------------------------------------------------

def decide(response, decision, editor, *, reasons=(), message=""):
    """Record an editor's decision and queue its mails, in the caller's transaction."""
    decision = ResponseStatus(decision)
    if decision not in DECISIONS:
        raise IllegalResponseTransition(response.status, decision)
    transition(response, decision, actor_type="editor", actor_id=editor.id,
               reasons=reasons if decision is ResponseStatus.REJECTED else (), message=message)
    rating = response.rating
    if decision is ResponseStatus.APPROVED:
        _mail_contact(response, "response_approved", location_link=_public_link(rating))
        if rating.email and rating.personal_data_erased_at is None:
            from wdp.publication.links import status_link
            queue_mail(rating.email, "response_published", rating.language,
                       location_name=rating.location.name, organisation_name=_org_name(rating),
                       reference=rating.reference or "", response_text=response.text,
                       location_link=_public_link(rating), status_link=status_link(rating))
    else:
        from wdp.moderation.queries import reasons_by_key
        labels = reasons_by_key()
        _mail_contact(response, f"response_{decision.value}", message=message,
                      reasons=[labels[key].label("nl") for key in reasons if key in labels]
                      if decision is ResponseStatus.REJECTED else [], with_link=True)
    return response


def take_off(response, editor, message):
    """An editor takes an approved response off the site, with a message to the organisation."""
    transition(response, ResponseStatus.REMOVED, actor_type="editor", actor_id=editor.id,
               message=message)
    _mail_contact(response, "response_removed", message=message)
    return response


def _org_name(rating):
    organisation = rating.location.organisation
    return organisation.name if organisation else rating.location.name


def _public_link(rating):
    location = rating.location
    return link_to(f"{location.sector.slug}.location", location_id=location.id)


def _contact_now(response):
    """The organisation contact to write to: the location's register address now (a location
    whose address changed is no longer the old contact's), else the contact that wrote it."""
    return access.contact_for(response.rating.location.contact_email) or response.contact


def _fresh_link(contact):
    """A new token of the contact's link, for this one mail (only its hash is stored)."""
    return link_to("organisations.link", token=access.issue_link(contact))


def _mail_contact(response, template, with_link=False, **context):
    contact = _contact_now(response)
    if contact is None:
        return None
    rating = response.rating
    published = rating.published_at
    with force_locale("nl"):
        month = format_date(published, "MMMM y") if published else ""
    if with_link:
        context["link"] = _fresh_link(contact)
    return queue_mail(contact.email, template, "nl", location_name=rating.location.name,
                      organisation_name=_org_name(rating), response_text=response.text,
                      rating_score=rating.overall_score, rating_month=month, **context)
