"""Writes of the inbox: an editor's decision on a rating, its event and its mails."""
from flask import current_app
from flask_babel import force_locale, format_datetime
from sqlalchemy import select, update

from wdp.extensions import db
from wdp.mail.outbox import queue_mail
from wdp.moderation import queries
from wdp.moderation.models import MessageTemplate
from wdp.moderation.workflow import Status, transition
from wdp.rating_form.models import Rating
from wdp.rating_form.steps import role_options

DECISIONS = (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED, Status.SIGNALLED)


def template_body(key, language):
    """The editable start of a message, in the language (Dutch when there is none)."""
    for lang in (language, "nl"):
        body = db.session.scalar(select(MessageTemplate.body).where(
            MessageTemplate.key == key, MessageTemplate.language == lang))
        if body is not None:
            return body
    return ""


def release(rating):
    db.session.execute(update(Rating).where(Rating.id == rating.id)
                       .values(reserved_by_id=None, reserved_until=None)
                       .execution_options(synchronize_session=False))


def decide(rating, decision, editor, *, reasons=(), message="", note=""):
    """Record the editor's decision and queue its mails, in the caller's transaction.

    Raises ConcurrentTransition when another editor decided first; the caller rolls back.
    """
    decision = Status(decision)
    text = note if decision is Status.SIGNALLED else message
    transition(rating, decision, actor_type="editor", actor_id=editor.id,
               reasons=reasons if decision is Status.REJECTED else (), message=text)
    release(rating)
    from wdp.publication.links import status_link
    context = {"reference": rating.reference, "location_name": rating.location.name,
               "status_link": status_link(rating)}
    if decision is Status.APPROVED:
        # The policy in force decides: mail the publish link, or publish at once.
        from wdp.publication.operations import after_approval
        after_approval(rating)
    elif decision is Status.REJECTED:
        labels = queries.reasons_by_key()
        queue_mail(rating.email, "rating_rejected", rating.language, message=message,
                   reasons=[labels[key].label(rating.language) for key in reasons], **context)
    elif decision is Status.CHANGES_REQUESTED:
        from wdp.rating_form.operations import revise_link
        queue_mail(rating.email, "rating_changes_requested", rating.language, message=message,
                   link=revise_link(rating), days=current_app.config["WDP_REVISE_DAYS"],
                   **context)
    else:
        # The submitter is told nothing: a mail could warn someone the signal is about.
        queue_signal(rating, note)
    return rating


def queue_signal(rating, note):
    """Mail the rating (never the submitter's address) to the sector's agency, in Dutch."""
    location = rating.location
    sector = location.sector
    answers = queries.answers_in_order(rating)  # each with its theme
    roles = {value: label for value, label, _hint in role_options(sector.slug)}
    with force_locale("nl"):
        confirmed_at = (format_datetime(rating.confirmed_at, "d/MM/y HH:mm")
                        if rating.confirmed_at else "")
        place = {"name": location.name,
                 "organisation": location.organisation.name if location.organisation else "",
                 "street": location.street, "postcode": location.postcode,
                 "municipality": location.municipality,
                 "kind": str(location.kind.label) if location.kind else ""}
        role = str(roles.get(rating.role, rating.role))
    return queue_mail(
        sector.signal_email, "signal", "nl", note=note, reference=rating.reference,
        location=place, agency_name=sector.agency_name, role=role,
        overall_score=rating.overall_score, experience_text=rating.experience_text,
        answers=[{"theme": answer.theme.title_nl, "score": answer.score,
                  "text": answer.text} for answer in answers],
        confirmed_at=confirmed_at)
