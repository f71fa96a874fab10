"""Public routes of participation: the sign-up form and "Nieuw op het platform"."""
from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)

from wdp.extensions import db, limiter
from wdp.participation import operations as ops
from wdp.participation import queries
from wdp.participation.forms import LOCATIONS_LIMIT, MESSAGE_LIMIT, SignUpForm
from wdp.sectors.queries import sectors_by_slug

bp = Blueprint("participation", __name__)

#: per-IP first line against bulk sign-ups (set WDP_RATELIMIT_SIGN_UP to change it)
DEFAULT_SIGN_UP_LIMIT = "10 per hour"
#: the reference of this browser's last sign-up, for the confirmation page
SESSION_KEY = "sign_up_reference"


def _private(response):
    """The page can hold a contact's address: never cached, never sent on in a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/deelnemen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("WDP_RATELIMIT_SIGN_UP", DEFAULT_SIGN_UP_LIMIT),
               methods=["POST"])
def sign_up():
    """Ask an organisation who it is and which locations want to take part; file it."""
    sectors = sectors_by_slug()
    form = SignUpForm()
    form.set_sectors(sectors.values())
    if form.validate_on_submit():
        row = ops.sign_up(
            organisation=form.organisation.data, locations="\n".join(form.location_lines),
            contact_name=form.contact_name.data, email=form.email.data,
            phone=form.phone.data, message=form.message.data,
            sector=sectors.get(form.sector.data), language=g.lang)
        db.session.commit()
        session[SESSION_KEY] = ops.reference(row)
        return _private(redirect(url_for("participation.sent")))
    return _private(make_response(render_template(
        "participation/sign_up.html", form=form, locations_limit=LOCATIONS_LIMIT,
        message_limit=MESSAGE_LIMIT)))


@bp.get("/deelnemen/verstuurd")
def sent():
    """Say that the sign-up arrived and what happens next (also from a bookmark)."""
    return _private(make_response(render_template(
        "participation/sent.html", reference=session.get(SESSION_KEY))))


@bp.get("/nieuw")
def newcomers():
    """List per sector the locations that joined in the last three months, newest first."""
    per_sector, since = queries.newcomers()
    return render_template("participation/newcomers.html", per_sector=per_sector, since=since)
