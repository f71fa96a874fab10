"""Views of the rating form."""
from flask import abort, render_template
from sqlalchemy import select

from wdp.extensions import db
from wdp.locations.models import Location, is_listed
from wdp.rating_form import bp


@bp.get("/w/<code>")
def start(code):
    """Explain the rating form for one location (the short link on posters and cards)."""
    location = db.session.scalar(select(Location).where(Location.code == code[:12], is_listed()))
    if location is None:
        abort(404)
    return render_template("rating_form/start.html", location=location, sector=location.sector)
