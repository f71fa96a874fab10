"""The benchmarks' reference page: one primary-key lookup and a minimal template."""
from flask import Blueprint, render_template

from wdp.extensions import db
from wdp.locations.models import Location

bp = Blueprint("baseline", __name__)


@bp.get("/_baseline/<int:location_id>")
def location(location_id):
    """Show one location's name, as cheaply as a page through the whole app can be."""
    location = db.get_or_404(Location, location_id)
    return render_template("baseline.html", location=location)
