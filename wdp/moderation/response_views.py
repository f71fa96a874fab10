"""The response queue of the editors' inbox: next response, its item page and decisions."""
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from wdp.editors.auth import editor_required
from wdp.extensions import db
from wdp.moderation import queries
from wdp.moderation import response_queries as rq
from wdp.moderation.flags import highlight
from wdp.moderation.queue import Queue, inbox_blueprint
from wdp.moderation.response_forms import CHANGES_START, REJECT_START, ResponseDecisionForm, TakeOffForm
from wdp.moderation.workflow import ConcurrentTransition, IllegalTransition, Status
from wdp.organisations import responses
from wdp.organisations.responses import ResponseStatus

bp = inbox_blueprint(Blueprint("response_moderation", __name__,
                               url_prefix="/redactie/reacties"))


queue = Queue(bp, rq.claim_next, "response_moderation.item", "response_id",
              lambda sector: _("Er wacht nu geen reactie in %(sector)s.", sector=sector.name)
              if sector else _("Er wacht nu geen reactie meer."))


def _response_or_404(response_id):
    response = rq.find_response(response_id)
    if response is None:
        abort(404)
    return response


def _new_form():
    # The organisation's mails are in Dutch, whatever language the editor reads the site in.
    with force_locale("nl"):
        starts = {"reject_message": str(REJECT_START), "changes_message": str(CHANGES_START)}
    form = ResponseDecisionForm(formdata=None, data=starts)
    form.set_reasons(queries.active_reasons(for_responses=True))
    return form


def _posted_form():
    form = ResponseDecisionForm()
    form.set_reasons(queries.active_reasons(for_responses=True))
    return form


@bp.get("/<int:response_id>")
@editor_required
def item(response_id):
    """Show the rating, the organisation's response, its history and the decisions."""
    response = _response_or_404(response_id)
    return _item_page(response, _new_form())


@bp.post("/<int:response_id>")
@editor_required
def decide(response_id):
    """Record a decision, then open the next response of the same sector."""
    response = _response_or_404(response_id)
    form = _posted_form()
    if not form.validate_on_submit():
        return _item_page(response, form)
    decision = ResponseStatus(form.decision.data)
    rating = response.rating
    sector = rating.location.sector
    if response.status != ResponseStatus.IN_MODERATION:
        form.decision.errors.append(_already_decided(response))
        return _item_page(response, form)
    if decision is ResponseStatus.APPROVED and rating.status != Status.PUBLISHED:
        form.decision.errors.append(_(
            "De waardering staat niet meer online, dus de reactie kan niet online. "
            "Wijs de reactie af of vraag een aanpassing."))
        return _item_page(response, form)
    try:
        responses.decide(response, decision, g.editor, reasons=form.reasons.data or (),
                         message=form.reject_message.data if decision is ResponseStatus.REJECTED
                         else form.changes_message.data
                         if decision is ResponseStatus.CHANGES_REQUESTED else "")
        db.session.commit()
    except (ConcurrentTransition, IllegalTransition):
        db.session.rollback()
        response = _response_or_404(response_id)
        form.decision.errors.append(_already_decided(response))
        return _item_page(response, form)
    flash(_("Beslissing bewaard: %(decision)s", decision=str(decision.label).lower()))
    return queue.open_next(sector)


@bp.post("/<int:response_id>/van-de-site")
@editor_required
def take_off(response_id):
    """Take an approved response off the site, with a message to the organisation."""
    response = _response_or_404(response_id)
    form = TakeOffForm()
    if not form.validate_on_submit():
        return _item_page(response, _new_form(), take_off_form=form)
    try:
        responses.take_off(response, g.editor, form.take_off_message.data)
        db.session.commit()
    except (ConcurrentTransition, IllegalTransition):
        db.session.rollback()
        response = _response_or_404(response_id)
        form.take_off_message.errors.append(_already_decided(response))
        return _item_page(response, _new_form(), take_off_form=form)
    flash(_("De reactie is van de site gehaald."))
    return redirect(url_for("response_moderation.item", response_id=response.id))


def _already_decided(response):
    event = rq.history(response)[-1]
    if event.actor_type != "editor":
        return _("Deze reactie wacht niet meer op de redactie: %(status)s.",
                 status=ResponseStatus(response.status).label)
    return _("Deze reactie is al beoordeeld door %(name)s om %(time)s: %(decision)s",
             name=actor_name(event), time=format_datetime(event.at, "d/MM/y HH:mm"),
             decision=str(ResponseStatus(event.to_status).label).lower())


def actor_name(event):
    if event.actor_type == "editor" and event.editor is not None:
        return event.editor.name
    if event.actor_type == "organisation":
        return _("organisatie")
    return _("systeem")


def _item_page(response, form, take_off_form=None):
    rating = response.rating
    location = rating.location
    sector = location.sector
    history = rq.history(response)
    ignore = (location.name, location.organisation.name if location.organisation else "")
    return render_template(
        "moderation/response_item.html", response=response, rating=rating, location=location,
        sector=sector, form=form, take_off_form=take_off_form or TakeOffForm(formdata=None),
        answers=queries.answers_in_order(rating), history=history,
        reasons=queries.reasons_by_key(), actor_name=actor_name,
        changes=rq.changes_since_last_version(history),
        reservation=rq.reservation(response),
        waiting=response.status == ResponseStatus.IN_MODERATION,
        waiting_in_sector=rq.waiting_in_sector(sector),
        mark=lambda text: highlight(text, ignore), ResponseStatus=ResponseStatus, Status=Status)
