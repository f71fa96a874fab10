"""Editors' pages about organisations: locations without an address, revoking a link."""
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from wdp.editors.auth import editor_required
from wdp.extensions import db
from wdp.locations.models import Location, participates_on
from wdp.locations.queries import Results, page_number
from wdp.organisations import access
from wdp.organisations.forms import RevokeForm
from wdp.organisations.models import OrganisationContact

bp = Blueprint("organisation_editors", __name__, url_prefix="/redactie/organisaties")

log = logging.getLogger("wdp.organisations")
PER_PAGE = 50


@bp.after_request
def _never_cached(response):
    # Register addresses of organisations: no copies in shared caches or the back button.
    response.headers["Cache-Control"] = "no-store"
    return response


def _published_count():
    return (Location.score_1_count + Location.score_2_count + Location.score_3_count
            + Location.score_4_count + Location.score_5_count)


def locations_without_address():
    """Participating locations that cannot be told about their ratings: (location, published)."""
    return db.session.execute(
        select(Location, _published_count())
        .where(participates_on(),
               or_(Location.contact_email.is_(None), func.trim(Location.contact_email) == ""))
        .order_by(_published_count().desc(), Location.name, Location.id)).all()


def contacts_page(query, page):
    """Contacts by address (those containing the query), each with its number of locations."""
    conditions = []
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(OrganisationContact.email.like(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(OrganisationContact)
                              .where(*conditions))
    if page > 1 and (page - 1) * PER_PAGE >= total:
        abort(404)
    locations = (select(func.count()).select_from(Location)
                 .where(func.lower(Location.contact_email) == OrganisationContact.email)
                 .scalar_subquery())
    rows = db.session.execute(
        select(OrganisationContact, locations).where(*conditions)
        .order_by(OrganisationContact.email)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Results(rows, total, page, PER_PAGE, query)


@bp.get("")
@editor_required
def index():
    """Show the participating locations without an address and the organisations' links."""
    query = (request.args.get("q") or "").strip()[:320]
    return render_template("organisations/editors/index.html",
                           without_address=locations_without_address(),
                           contacts=contacts_page(query, page_number(request.args.get("pagina"))),
                           query=query)


@bp.route("/<int:contact_id>/intrekken", methods=["GET", "POST"])
@editor_required
def revoke(contact_id):
    """Ask why, then end every link and session of the contact (the POST does it)."""
    contact = db.get_or_404(OrganisationContact, contact_id)
    locations = db.session.scalars(access.covered_locations(contact)).all()
    form = RevokeForm()
    if form.validate_on_submit():
        access.revoke_link(contact)
        db.session.commit()
        # The reason goes to the log with ids only: the address stays out of it.
        log.info("editor %s revoked the link of organisation contact %s: %s",
                 g.editor.id, contact.id, form.reason.data.replace("\n", " "))
        flash(_("De link van %(email)s is ingetrokken. Wie hem nog open had, is afgemeld.",
                email=contact.email))
        return redirect(url_for("organisation_editors.index"), code=303)
    return render_template("organisations/editors/revoke.html", form=form, contact=contact,
                           locations=locations)
