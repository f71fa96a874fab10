"""Routes where an organisation writes its one response to a published rating."""
from flask import Blueprint, make_response, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from wdp.extensions import db
from wdp.forms import clean_text
from wdp.locations.models import Location
from wdp.moderation.queries import answers_in_order
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition, Status
from wdp.organisations import access, responses
from wdp.organisations.response_forms import RESPONSE_LIMIT, ResponseForm
from wdp.organisations.responses import REWRITABLE, ResponseStatus
from wdp.publication.stats import duration_in_words
from wdp.rating_form.models import Rating

bp = Blueprint("responses", __name__, url_prefix="/organisatie/reactie")


@bp.after_request
def _private(response):
    # Opened with a secure link's session: ratings' theme answers and unpublished texts.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _page(template, status=200, **context):
    return make_response(render_template(template, **context), status)


def _typed():
    """What the person typed in this request, so a refusal never loses it."""
    return (request.form.get("text") or "").strip() if request.method == "POST" else ""


def _rating_for(rating_id):
    """(contact, rating, None), or (None, None, the page that says why not).

    An unknown rating and another location's rating get the same page: it never tells
    whether a rating exists, let alone what it says.
    """
    contact = access.current_contact()
    if contact is None:
        return None, None, _page("organisations/response_no_session.html", 403, typed=_typed())
    rating = db.session.get(Rating, rating_id, options=[joinedload(Rating.location).options(
        joinedload(Location.sector), joinedload(Location.organisation))])
    if rating is None or rating.location_id not in access.covered_location_ids(contact):
        return None, None, _page("organisations/response_not_found.html", 404, typed=_typed())
    return contact, rating, None


def _closed(rating, status=200):
    """The page for a rating that cannot get a (new) response now, and why."""
    response = rating.response
    if rating.status != Status.PUBLISHED:
        reason = "not_published"
    else:
        reason = response.status if response is not None else "open"
    return _page("organisations/response_closed.html", status, rating=rating,
                 location=rating.location, reason=reason, response=response, typed=_typed())


def _can_write(rating):
    response = rating.response
    return rating.status == Status.PUBLISHED and (
        response is None or ResponseStatus(response.status) in REWRITABLE)


def _last_decision(response):
    """The editors' last decision on an earlier version (its reasons and message), or None."""
    if response is None:
        return None
    from wdp.moderation.response_queries import last_decision
    return last_decision(response)


def _form_page(rating, form, template="organisations/response_write.html"):
    location = rating.location
    from wdp.moderation.queries import reasons_by_key
    return _page(template, rating=rating, location=location,
                 form=form, answers=answers_in_order(rating), limit=RESPONSE_LIMIT,
                 response=rating.response, decision=_last_decision(rating.response),
                 reasons=reasons_by_key(), negative=(rating.overall_score or 0) <= 3,
                 organisation_name=responses._org_name(rating))


@bp.route("/<int:rating_id>", methods=["GET", "POST"])
def write(rating_id):
    """Write the response to one published rating (or rewrite a sent-back one), with a preview."""
    contact, rating, refusal = _rating_for(rating_id)
    if refusal is not None:
        return refusal
    if not _can_write(rating):
        return _closed(rating, 200 if request.method == "GET" else 409)
    if request.method == "GET":
        form = ResponseForm(formdata=None)
        if rating.response is not None:
            form.text.data = rating.response.text  # a rewrite starts from the earlier text
        return _form_page(rating, form)
    form = ResponseForm()
    action = form.action.data
    if action == "edit":
        # Back from the preview: the text as it was, no messages yet.
        form.text.data = clean_text(form.text.data)
        return _form_page(rating, form)
    if not form.validate_on_submit():
        return _form_page(rating, form)
    if action != "send":
        return _form_page(rating, form, "organisations/response_preview.html")
    try:
        responses.submit(rating, contact, form.text.data)
        db.session.commit()
    except (IllegalTransition, ConcurrentTransition, IntegrityError):
        # Someone else with the same link sent one first, or the editors moved it.
        db.session.rollback()
        rating = db.session.get(Rating, rating_id)
        return _closed(rating, 409)
    return redirect(url_for("responses.sent", rating_id=rating.id))


@bp.get("/<int:rating_id>/verstuurd")
def sent(rating_id):
    """Say that the response went to the editors and how long their check usually takes."""
    _contact, rating, refusal = _rating_for(rating_id)
    if refusal is not None:
        return refusal
    response = rating.response
    if response is None or response.status != ResponseStatus.IN_MODERATION:
        return redirect(url_for("responses.write", rating_id=rating.id))
    return _page("organisations/response_sent.html", rating=rating, location=rating.location,
                 response=response, usual_wait=responses.usual_wait(),
                 duration=duration_in_words)
