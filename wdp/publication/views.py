"""The submitter's pages: the publish / do not publish / withdraw links and the private status page."""
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date
from sqlalchemy import select
from werkzeug.routing import BuildError

from wdp.extensions import db
from wdp.moderation import queries
from wdp.moderation.models import RatingEvent
from wdp.moderation.workflow import ConcurrentTransition, Status
from wdp.publication import operations as ops
from wdp.publication.links import rating_from_status_token, status_token
from wdp.publication.policy import AUTO_PUBLISH
from wdp.rating_form.forms import ConfirmForm

bp = Blueprint("publication", __name__)

#: the Dutch path word of each action, for the status page's buttons
ACTION_PATHS = {"publiceren": ops.PUBLISH, "niet-publiceren": ops.NOT_PUBLISH,
                "intrekken": ops.WITHDRAW}
PATH_OF = {purpose: path for path, purpose in ACTION_PATHS.items()}
DONE = "publication_done"


def _private(response):
    """Pages behind a link: never cached, never leaking the token in a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _page(template, status=200, **context):
    return _private(make_response(render_template(template, **context), status))


def lost_links_url():
    """The "send my links again" page (publication_links.request), by path until it exists."""
    try:
        return url_for("publication_links.request")
    except BuildError:
        return "/mijn-links"


def _status_url(rating):
    return url_for("publication.status", token=status_token(rating)) if rating else None


def _problem(outcome, rating, purpose):
    """A clear page for a link or action that cannot be used (never a 500)."""
    code = 410 if outcome in (ops.UNKNOWN, ops.EXPIRED, ops.WRONG_PURPOSE) else (
        200 if outcome == ops.ALREADY else 409)
    return _page("publication/problem.html", code, outcome=outcome, purpose=purpose,
                 rating=rating, status_url=_status_url(rating), lost_links_url=lost_links_url(),
                 location=rating.location if rating else None)


def _done(rating, purpose):
    """After an action: the status page, which says what was done (POST, then redirect)."""
    session[DONE] = [rating.id, purpose]
    return _private(redirect(_status_url(rating)))


def _link_page(raw, purpose):
    """GET shows what will happen and one button; only the POST acts (mail scanners GET)."""
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            outcome, rating = ops.use_link(raw, purpose)
            db.session.commit()
        except ConcurrentTransition:  # someone (or a second click) moved it first
            db.session.rollback()
            outcome, rating, _token = ops.check_link(raw, purpose)
            outcome = ops.ALREADY if outcome == ops.OK else outcome
        if outcome == ops.OK:
            return _done(rating, purpose)
        return _problem(outcome, rating, purpose)
    outcome, rating, _token = ops.check_link(raw, purpose)
    if outcome != ops.OK:
        return _problem(outcome, rating, purpose)
    return _page("publication/action.html", form=form, purpose=purpose, rating=rating,
                 location=rating.location, action_url=request.path,
                 status_url=_status_url(rating), **_auto_date(rating))


def _auto_date(rating):
    if rating.status == Status.APPROVED and rating.publication_policy == AUTO_PUBLISH:
        days = current_app.config["WDP_AUTO_PUBLISH_DAYS"]
        return {"online_date": format_date(rating.status_changed_at + timedelta(days=days),
                                           "long")}
    return {"online_date": None}


@bp.route("/publiceren/<token>", methods=["GET", "POST"])
def publish(token):
    """The mailed "Publiceer" link."""
    return _link_page(token, ops.PUBLISH)


@bp.route("/niet-publiceren/<token>", methods=["GET", "POST"])
def not_publish(token):
    """The mailed "Niet publiceren" link."""
    return _link_page(token, ops.NOT_PUBLISH)


@bp.route("/intrekken/<token>", methods=["GET", "POST"])
def withdraw(token):
    """The mailed "Haal mijn waardering weg" link."""
    return _link_page(token, ops.WITHDRAW)


# -- the status page -----------------------------------------------------------------------

#: the step names a submitter reads in the history, per status entered
STEP_WORDS = {
    Status.SUBMITTED: "sent", Status.IN_MODERATION: "with_editors",
    Status.CHANGES_REQUESTED: "changes", Status.APPROVED: "approved",
    Status.PUBLISHED: "published", Status.ARCHIVED: "archived",
    Status.NOT_PUBLISHED: "not_published", Status.WITHDRAWN: "withdrawn",
    Status.REJECTED: "refused", Status.SIGNALLED: "refused", Status.REMOVED: "removed",
    Status.EXPIRED: "expired",
}


def _history(rating):
    """(step word, date) per event the submitter may see, oldest first."""
    events = db.session.scalars(select(RatingEvent).where(RatingEvent.rating_id == rating.id)
                                .order_by(RatingEvent.id)).all()
    steps = []
    for event in events:
        word = STEP_WORDS.get(event.to_status)
        if word is None:
            continue
        if word == "with_editors" and event.from_status == Status.CHANGES_REQUESTED:
            word = "resent"
        elif word == "with_editors" and event.from_status == Status.APPROVED:
            word = "rechecked"
        steps.append((word, format_date(event.at, "long")))
    return steps


def _editors_words(rating):
    """What the editors wrote to the submitter about the current status: (message, reasons).

    Only what the submitter was mailed: the message of a rejection, a removal or a request
    for changes. Never the note of a signal (it goes to the agency) or an internal reason.
    """
    if rating.status not in (Status.REJECTED, Status.REMOVED, Status.CHANGES_REQUESTED,
                             Status.ARCHIVED):
        return "", []
    target = rating.status
    if rating.status == Status.ARCHIVED:
        target = Status.CHANGES_REQUESTED
    event = db.session.scalar(select(RatingEvent).where(
        RatingEvent.rating_id == rating.id, RatingEvent.to_status == target)
        .order_by(RatingEvent.id.desc()).limit(1))
    if event is None or rating.personal_data_erased_at:
        return "", []
    labels = queries.reasons_by_key()
    reasons = [labels[key].label(g.lang) for key in event.reasons.split(",")
               if key and key in labels]
    return event.message, reasons


def _situation(rating):
    """The name of the template block for where the rating is now."""
    status = Status(rating.status)
    if status is Status.ARCHIVED:
        outcome = ops.check(rating, ops.PUBLISH)
        return {ops.OK: "archived", ops.ERASED: "archived_erased"}.get(outcome,
                                                                       "archived_changes")
    if status is Status.APPROVED and rating.publication_policy == AUTO_PUBLISH:
        return "approved_auto"
    return status.value


@bp.get("/mijn-waardering/<token>")
def status(token):
    """Where the rating is now, the date of each step, what happens next, the action that fits."""
    rating = rating_from_status_token(token)
    if rating is None:
        return _problem(ops.UNKNOWN, None, None)
    done = session.pop(DONE, None)
    done = done[1] if done and done[0] == rating.id else None
    message, reasons = _editors_words(rating)
    return _page("publication/status.html", rating=rating, location=rating.location,
                 situation=_situation(rating), history=_history(rating), done=done,
                 form=ConfirmForm(), message=message, reasons=reasons,
                 action_path=lambda purpose: url_for("publication.status_action", token=token,
                                                     action=PATH_OF[purpose]),
                 revise_url=url_for("publication.status_revise", token=token),
                 until=(format_date(ops.publishable_until(rating), "long")
                        if rating.status == Status.ARCHIVED else None),
                 lost_links_url=lost_links_url(), **_auto_date(rating))


@bp.route("/mijn-waardering/<token>/<any('publiceren', 'niet-publiceren', 'intrekken'):action>",
          methods=["GET", "POST"])
def status_action(token, action):
    """The buttons of the status page; the status token authorises them.

    Publishing acts at once (a POST). What cannot be undone (do not publish, withdraw) first
    opens this URL with GET: a page that says what will happen, with one button that POSTs.
    """
    purpose = ACTION_PATHS[action]
    rating = rating_from_status_token(token)
    if rating is None:
        return _problem(ops.UNKNOWN, None, purpose)
    if request.method == "GET":
        outcome = ops.check(rating, purpose)
        if outcome != ops.OK:
            return _problem(outcome, rating, purpose)
        return _page("publication/action.html", form=ConfirmForm(), purpose=purpose,
                     rating=rating, location=rating.location, action_url=request.path,
                     status_url=_status_url(rating), **_auto_date(rating))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        outcome = ops.act(rating, purpose)
        db.session.commit()
    except ConcurrentTransition:
        db.session.rollback()
        db.session.refresh(rating)
        outcome = ops.check(rating, purpose)
        outcome = ops.ALREADY if outcome == ops.OK else outcome
    if outcome == ops.OK:
        return _done(rating, purpose)
    return _problem(outcome, rating, purpose)


@bp.post("/mijn-waardering/<token>/aanpassen")
def status_revise(token):
    """Edit after the editors asked for changes: a fresh revise link, then its own page."""
    from wdp.rating_form.operations import revise_link
    rating = rating_from_status_token(token)
    if rating is None:
        return _problem(ops.UNKNOWN, None, None)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if rating.status != Status.CHANGES_REQUESTED:
        return _private(redirect(_status_url(rating)))
    link = revise_link(rating)  # absolute, under WDP_BASE_URL, like the one in the mails
    db.session.commit()
    return _private(redirect(link))
