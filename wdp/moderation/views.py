"""The editors' inbox: queues per sector, "Volgende", the item page and its decisions."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, format_timedelta
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload

from wdp.clock import now
from wdp.editors.auth import editor_required
from wdp.extensions import db
from wdp.kept import Copy
from wdp.locations.models import Location
from wdp.moderation import decisions, followup, queries
from wdp.moderation.flags import highlight
from wdp.moderation.forms import DecisionForm, NextForm
from wdp.moderation.queue import Queue, inbox_blueprint
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition, Status
from wdp.rating_form.models import Rating
from wdp.rating_form.steps import ROLE_LABELS, role_options, speaks_to_user

bp = inbox_blueprint(Blueprint("moderation", __name__, url_prefix="/redactie/inbox"))


@bp.get("")
@editor_required
def overview():
    """Show per sector how many ratings wait, how old the oldest is, and the time to publication."""
    from wdp.moderation import response_queries
    from wdp.publication import stats  # imported here: this view alone shows the figures
    moment = now()
    return render_template("moderation/overview.html", queues=queries.queue_overview(),
                           age=lambda since: format_timedelta(moment - since, threshold=1.5)
                           if since else "", next_form=NextForm(),
                           reported=queries.open_report_ratings(),
                           response_queues=response_queries.queue_overview(),
                           figures=stats.recent_figures(moment),
                           duration=stats.duration_in_words)


queue = Queue(bp, queries.claim_next, "moderation.item", "rating_id",
              lambda sector: _("Er wacht nu niets in %(sector)s.", sector=sector.name)
              if sector else _("Er wacht nu niets meer."))


def _rating_or_404(rating_id):
    # With its location, sector, kind and organisation: the item page shows them all.
    rating = db.session.get(Rating, rating_id, options=[joinedload(Rating.location).options(
        joinedload(Location.sector), joinedload(Location.kind),
        joinedload(Location.organisation))])
    if rating is None or rating.status == Status.DRAFT:
        abort(404)
    return rating


def _new_form(rating):
    form = DecisionForm(data={
        "reject_message": queries.message_templates(rating.language).get("rejected", ""),
        "changes_message": queries.message_templates(rating.language).get(
            "changes_requested", ""),
    })
    form.set_reasons(queries.active_reasons())
    return form


@bp.get("/<int:rating_id>")
@editor_required
def item(rating_id):
    """Show everything about one rating that the check needs, and the decisions."""
    # Only read here: the rating as a row and its location as a copy, in one query.
    found = queries.item_row(rating_id)
    if found is None or found[0].status == Status.DRAFT:
        abort(404)
    rating, location = found
    return _item_page(rating, None, location=location, latest_version=rating.latest_version,
                      fresh=True)


@bp.post("/<int:rating_id>")
@editor_required
def decide(rating_id):
    """Record a decision, then open the next rating of the same sector."""
    rating = _rating_or_404(rating_id)
    form = _new_form(rating)
    if not form.validate_on_submit():
        return _item_page(rating, form)
    decision = Status(form.decision.data)
    sector = rating.location.sector
    if rating.status != Status.IN_MODERATION:
        form.decision.errors.append(_already_decided(rating))
        return _item_page(rating, form)
    try:
        decisions.decide(rating, decision, g.editor, reasons=form.reasons.data,
                         message=form.reject_message.data if decision is Status.REJECTED
                         else form.changes_message.data, note=form.signal_note.data)
        db.session.commit()
        queries.decided_in(sector)
    except ConcurrentTransition:
        db.session.rollback()
        rating = _rating_or_404(rating_id)
        form.decision.errors.append(_already_decided(rating))
        return _item_page(rating, form)
    flash(_("Beslissing bewaard: %(decision)s", decision=str(decision.label).lower()))
    return queue.open_next(sector)


def _already_decided(rating):
    event = queries.last_decision(rating)
    if event is None:
        return _("Deze waardering wacht niet meer op de redactie: %(status)s.",
                 status=Status(rating.status).label)
    return _("Deze waardering is al beoordeeld door %(name)s om %(time)s: %(decision)s",
             name=actor_name(event), time=format_datetime(event.at, "d/MM/y HH:mm"),
             decision=str(Status(event.to_status).label).lower())


def actor_name(event):
    """Who moved the rating: an event, or a row of queries.history() (with editor_name)."""
    if event.actor_type == "editor":
        name = (event.editor_name if hasattr(event, "editor_name")
                else event.editor.name if event.editor is not None else None)
        if name is not None:
            return name
    if event.actor_type == "submitter":
        return _("indiener")
    return _("systeem")


def role_label(sector, role):
    labels = {value: label for value, label, _hint in role_options(sector.slug)}
    return labels.get(role) or ROLE_LABELS.get(role, (role,))[0]


def _report_form(rating, formdata=None):
    form = followup.ReportDecisionForm(formdata=formdata, data={
        "remove_message": queries.message_templates(rating.language).get("removed", "")})
    form.set_reasons(queries.active_reasons())
    return form


#: this worker's rendered decision forms: {what they show: HTML with the placeholders below}
_DECISIONS = "wdp_decisions_html"
_DECIDE_URL, _CSRF = "@@decide-url@@", "@@csrf-token@@"


#: what the page's frame asks of the decision form on a GET: it has no errors
_FRESH_FORM = Copy(errors={})


def _decisions_html(rating, sector):
    """The four decision forms, fresh (no data sent, no errors), as HTML.

    They look the same on every item page in one language with the same reasons, message
    starts and agency: each worker renders them once per such combination (the key holds
    all of it, so an edited reason or message start renders them again) and puts in the
    rating's form address and this session's CSRF token per request.
    """
    lang = getattr(g, "lang", "nl")
    reasons = queries.reasons_by_key()
    templates = queries.message_templates(rating.language)
    key = (lang, sector.agency_name, templates.get("rejected", ""),
           templates.get("changes_requested", ""),
           tuple((reason.key, reason.label(lang)) for reason in queries.active_reasons()))
    rendered = current_app.extensions.setdefault(_DECISIONS, {})
    html = rendered.get(key)
    if html is None:
        if len(rendered) >= 64:
            rendered.clear()
        html = rendered[key] = str(render_template(
            "moderation/_decisions.html", form=_new_form(rating), rating=rating,
            sector=sector, reasons=reasons, decide_url=_DECIDE_URL, csrf=_CSRF))
    return Markup(html.replace(_DECIDE_URL, escape(url_for("moderation.decide",
                                                             rating_id=rating.id)))
                  .replace(_CSRF, escape(generate_csrf())))


def _item_page(rating, form, withdraw_form=None, report_form=None, location=None,
               latest_version=None, fresh=False):
    """The item page; fresh=True for a GET (no form: the decisions come from
    _decisions_html())."""
    location = location or rating.location
    sector = location.sector
    answers, flags, history = queries.item_details(rating, location)
    reasons = queries.reasons_by_key()
    marked = flags["marked"]
    # Only a published rating can be reported; one never published has no reports.
    reports = followup.open_reports(rating) if rating.published_at else []
    waiting = rating.status == Status.IN_MODERATION
    return render_template(
        "moderation/item.html", rating=rating, location=location, sector=sector,
        form=form or _FRESH_FORM,
        decisions=_decisions_html(rating, sector) if fresh and waiting else None,
        answers=answers, flags=flags, role=role_label(sector, rating.role),
        self_wording=speaks_to_user(sector.slug, rating.role),
        mark=lambda text: marked.get(text) or highlight(text, flags["ignore"]),
        history=history, reasons=reasons, actor_name=actor_name,
        changes=queries.changes_since_last_version(rating, answers, latest_version),
        reservation=queries.reservation(rating), role_label=role_label,
        waiting=waiting, Status=Status,
        waiting_in_sector=queries.waiting_in_sector(sector),
        # Each form only where the page shows it (or with the errors of a refused POST).
        withdraw_form=withdraw_form or (followup.WithdrawApprovalForm(formdata=None)
                                        if rating.status == Status.APPROVED else None),
        report_form=report_form or (_report_form(rating) if reports else None),
        reports=reports)


@bp.post("/<int:rating_id>/intrekken")
@editor_required
def withdraw_approval(rating_id):
    """Withdraw an approval, with a reason: the rating waits for the editors again."""
    rating = _rating_or_404(rating_id)
    form = followup.WithdrawApprovalForm()
    if not form.validate_on_submit():
        return _item_page(rating, _new_form(rating), withdraw_form=form)
    try:
        followup.withdraw_approval(rating, g.editor, form.reason.data)
        db.session.commit()
    except (ConcurrentTransition, IllegalTransition):
        db.session.rollback()
        rating = _rating_or_404(rating_id)
        form.reason.errors.append(_already_decided(rating))
        return _item_page(rating, _new_form(rating), withdraw_form=form)
    flash(_("Goedkeuring ingetrokken. De waardering wacht weer op de redactie."))
    return redirect(url_for("moderation.item", rating_id=rating.id))


@bp.post("/<int:rating_id>/melding")
@editor_required
def handle_reports(rating_id):
    """Keep a reported rating online, or take it off the site with reasons."""
    rating = _rating_or_404(rating_id)
    form = _report_form(rating, request.form)
    if not form.validate_on_submit():
        return _item_page(rating, _new_form(rating), report_form=form)
    if not followup.open_reports(rating):
        form.outcome.errors.append(_("Deze meldingen zijn al afgehandeld."))
        return _item_page(rating, _new_form(rating), report_form=form)
    try:
        if form.outcome.data == "keep":
            followup.keep_reported(rating, g.editor)
        else:
            followup.remove_reported(rating, g.editor, form.remove_reasons.data,
                                     form.remove_message.data)
        db.session.commit()
    except (ConcurrentTransition, IllegalTransition):
        db.session.rollback()
        rating = _rating_or_404(rating_id)
        form.outcome.errors.append(_already_decided(rating))
        return _item_page(rating, _new_form(rating), report_form=form)
    flash(_("De waardering blijft online.") if form.outcome.data == "keep"
          else _("De waardering is van de site gehaald."))
    return redirect(url_for("moderation.overview"))


@bp.get("/zoeken")
@editor_required
def search():
    """Find ratings by reference number, e-mail address or location."""
    query = (request.args.get("q") or "").strip()[:200]
    results = queries.find_ratings(query) if query else []
    return render_template("moderation/search.html", query=query, results=results,
                           Status=Status)
