"""The "Stuur mijn links opnieuw" page: one question, the same answer for any address."""
from flask import Blueprint, current_app, g, make_response, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from wtforms import EmailField

from wdp.extensions import db, limiter
from wdp.forms import BaseForm, Required
from wdp.publication.lost_links import send_lost_links
from wdp.rating_form.forms import normalised_email

bp = Blueprint("publication_links", __name__)


class LostLinksForm(BaseForm):
    email = EmailField(validators=[Required(_l("Vul je e-mailadres in."))])

    def validate_email(self, field):
        field.data = normalised_email(field.data)


def _private(response):
    """The page holds an address: never cached, never sent on in a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/mijn-links", methods=["GET", "POST"], endpoint="request")
@limiter.limit(lambda: current_app.config["WDP_RATELIMIT_LOST_LINKS"], methods=["POST"])
def request_links():
    """Ask for the e-mail address and mail it the links to its ratings, if it has any."""
    form = LostLinksForm()
    if form.validate_on_submit():
        # Known or not, the same work and the same answer: the page never tells who rated.
        send_lost_links(form.email.data, g.lang)
        db.session.commit()
        return _private(redirect(url_for("publication_links.sent")))
    return _private(make_response(render_template("lost_links/request.html", form=form)))


@bp.get("/mijn-links/verstuurd")
def sent():
    """Say what happens now, without saying whether the address is known."""
    return _private(make_response(render_template("lost_links/sent.html")))
