"""Staff routes of participation: sign-ups (editors), agreements per location and the rate per
sector (admins)."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from wdp.editors.auth import admin_required, editor_required
from wdp.extensions import db
from wdp.locations.models import Location
from wdp.locations.operations import ParticipationError, open_participation
from wdp.organisations.models import SignUp
from wdp.participation import operations as ops
from wdp.participation import queries
from wdp.participation.forms import (
    NOTE_LIMIT,
    AgreementForm,
    EndForm,
    HandleSignUpForm,
    LocationSearchForm,
)
from wdp.sectors.models import Sector

bp = Blueprint("participation_admin", __name__, url_prefix="/redactie/beheer/deelname")


@bp.context_processor
def _limits():
    return {"note_limit": NOTE_LIMIT}


@bp.after_request
def _never_cached(response):
    """These pages show contacts and private notes: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


# -- participation (admins) ---------------------------------------------------------------------

@bp.get("/")
@admin_required
def index():
    """Find a location to record an agreement for, and show the participation rate per sector."""
    search = LocationSearchForm(request.args)
    found, more = queries.find_locations(search.query) if search.query else ([], False)
    return render_template("participation/admin_index.html", search=search, found=found,
                           more=more, rates=queries.participation_rates(),
                           open_sign_ups=queries.open_sign_up_count())


def _location_or_404(location_id):
    return db.get_or_404(Location, location_id, description="Deze locatie bestaat niet.")


def _location_page(location, agreement_form=None, end_form=None):
    agreements = queries.agreements(location)
    running = open_participation(location)
    names = queries.editor_names([a.recorded_by_id for a in agreements]
                                 + [a.ended_by_id for a in agreements])
    form = agreement_form or end_form
    return render_template(
        "participation/admin_location.html", location=location, agreements=agreements,
        running=running, names=names, listed=queries.is_listed_now(location),
        active=location.in_register and location.register_status == queries.ACTIVE,
        agreement_form=agreement_form or AgreementForm(formdata=None),
        end_form=end_form or EndForm(formdata=None), **({"form": form} if form else {}))


@bp.get("/locatie/<int:location_id>")
@admin_required
def location(location_id):
    """Show a location's agreements and the form that records a new one or its end."""
    return _location_page(_location_or_404(location_id))


def _refusal(error, location):
    """The translated message for a ParticipationError."""
    if error.reason == "already_running":
        return _("Deze locatie heeft al een lopende overeenkomst. Registreer eerst het einde "
                 "ervan.")
    if error.reason == "starts_before_last_end":
        return _("De vorige overeenkomst liep tot %(date)s. Een nieuwe overeenkomst kan pas op "
                 "die dag of later beginnen.", date=format_date(queries.last_end(location),
                                                              "d/MM/y"))
    if error.reason == "not_running":
        return _("Deze locatie heeft geen lopende overeenkomst. Er is niets om te beëindigen.")
    running = open_participation(location)
    return _("De einddatum ligt voor de dag van ondertekening (%(date)s). Kies die dag of een "
             "latere dag.", date=format_date(running.signed_on, "d/MM/y"))


@bp.post("/locatie/<int:location_id>/overeenkomst")
@admin_required
def record_agreement(location_id):
    """Record a signed participation agreement: it puts the location online."""
    location = _location_or_404(location_id)
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            ops.record_agreement(location, form.signed_on.day, form.signed_by.data,
                                 form.note.data, g.editor)
        except ParticipationError as error:
            db.session.rollback()
            form.signed_on.errors.append(_refusal(error, location))
        else:
            db.session.commit()
            flash(_("De overeenkomst van %(name)s is geregistreerd.", name=location.name))
            return redirect(url_for("participation_admin.location", location_id=location.id))
    return _location_page(location, agreement_form=form)


@bp.post("/locatie/<int:location_id>/einde")
@admin_required
def record_end(location_id):
    """Record the end of the running agreement: the location goes offline, its ratings stay."""
    location = _location_or_404(location_id)
    form = EndForm()
    if form.validate_on_submit():
        try:
            ops.record_end(location, form.ended_on.day, form.end_note.data, g.editor)
        except ParticipationError as error:
            db.session.rollback()
            form.ended_on.errors.append(_refusal(error, location))
        else:
            db.session.commit()
            flash(_("Het einde van de deelname van %(name)s is geregistreerd.",
                    name=location.name))
            return redirect(url_for("participation_admin.location", location_id=location.id))
    return _location_page(location, end_form=form)


# -- sign-ups (editors and admins) --------------------------------------------------------------

@bp.get("/aanmeldingen")
@editor_required
def sign_ups():
    """List the sign-ups: open ones first (oldest first), then the last handled ones."""
    open_rows = queries.open_sign_ups()
    handled = queries.handled_sign_ups()
    return render_template("participation/sign_ups.html", open_rows=open_rows, handled=handled,
                           handled_shown=queries.HANDLED_SHOWN,
                           names=queries.editor_names([row.handled_by_id for row in handled]))


def _sign_up_page(row, form=None, lost_note=None):
    sector = db.session.get(Sector, row.sector_id) if row.sector_id else None
    return render_template("participation/sign_up_item.html", row=row, sector=sector,
                           form=form or HandleSignUpForm(formdata=None), lost_note=lost_note,
                           reference=ops.reference(row),
                           names=queries.editor_names([row.handled_by_id]))


@bp.get("/aanmeldingen/<int:sign_up_id>")
@editor_required
def sign_up(sign_up_id):
    """Show one sign-up with its contact details and what was done with it."""
    return _sign_up_page(db.get_or_404(SignUp, sign_up_id,
                                       description="Deze aanmelding bestaat niet."))


@bp.post("/aanmeldingen/<int:sign_up_id>")
@editor_required
def handle_sign_up(sign_up_id):
    """Mark the sign-up handled, with a note on what the editor did."""
    row = db.get_or_404(SignUp, sign_up_id, description="Deze aanmelding bestaat niet.")
    form = HandleSignUpForm()
    if form.validate_on_submit():
        if ops.handle_sign_up(row.id, g.editor, form.note.data):
            db.session.commit()
            flash(_("De aanmelding %(reference)s is afgehandeld.", reference=ops.reference(row)))
            return redirect(url_for("participation_admin.sign_ups"))
        # Someone else was first: show what they recorded, and the note typed here.
        db.session.rollback()
        db.session.refresh(row)
        return _sign_up_page(row, lost_note=form.note.data)
    return _sign_up_page(row, form)
