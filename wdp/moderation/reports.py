"""Reporting a published rating ("Meld deze waardering"): the public form that files a Report."""
from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from wdp.extensions import db, limiter
from wdp.forms import BaseForm, PlainText, Required
from wdp.moderation.models import Report
from wdp.moderation.workflow import Status
from wdp.rating_form.models import Rating

bp = Blueprint("reports", __name__)
REPORT_LIMIT = 1000


class ReportForm(BaseForm):
    reason = TextAreaField(validators=[
        Required(_l("Schrijf waarom je deze waardering meldt.")), PlainText(REPORT_LIMIT)])


def _published_or_404(rating_id):
    rating = db.session.get(Rating, rating_id)
    if rating is None or rating.status != Status.PUBLISHED:
        abort(404)
    return rating


@bp.route("/melden/<int:rating_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["WDP_RATELIMIT_REPORTS"], methods=["POST"])
def report(rating_id):
    """Ask why someone reports a published rating, and file the report for the editors."""
    rating = _published_or_404(rating_id)
    form = ReportForm()
    if form.validate_on_submit():
        db.session.add(Report(rating_id=rating.id, reason=form.reason.data))
        db.session.commit()
        return redirect(url_for("reports.reported", rating_id=rating.id))
    location = rating.location
    return render_template("moderation/report.html", form=form, rating=rating,
                           location=location, sector=location.sector, limit=REPORT_LIMIT)


@bp.get("/melden/<int:rating_id>/verstuurd")
def reported(rating_id):
    """Thank the person; the editors look at every report."""
    rating = _published_or_404(rating_id)
    location = rating.location
    return render_template("moderation/reported.html", rating=rating, location=location,
                           sector=location.sector)
