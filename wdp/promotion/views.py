"""Routes of the promotion material: an overview page, poster and cards as PDF, the QR code."""
import re
from functools import lru_cache

from flask import Blueprint, abort, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from unidecode import unidecode

from wdp.extensions import db
from wdp.locations.models import Location
from wdp.locations.queries import listed_location
from wdp.promotion import pdf, qr
from wdp.promotion.texts import PROMISES, TEXTS

bp = Blueprint("promotion", __name__, url_prefix="/promotie")

#: generated files change only when the location's name or the address of WDP changes
MAX_AGE = 3600


def listed_location_or_404(code):
    """The listed location with this short code; 404 otherwise."""
    location = listed_location(code)
    if location is None:
        abort(404)
    return location


def file_name(prefix, location, extension):
    """A plain ASCII file name per location, e.g. affiche-de-linde-gent-ab12cd.pdf."""
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(location.name).lower()).strip("-")[:60]
    return f"{prefix}-{slug or 'locatie'}-{location.code}.{extension}"


def _download(data, mimetype, name, vary_language=False):
    response = make_response(data)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if vary_language:
        # The words follow the visitor's language, which lives in a cookie.
        response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


def _print_context(location):
    link = qr.short_link(location)
    return {
        "location": location,
        "link": link,
        "texts": TEXTS[location.sector.slug],
        "promises": PROMISES,
        "site": current_app.config["WDP_BASE_URL"].split("://", 1)[-1],
        "qr_svg": qr.svg_inline(link, _("QR-code naar %(link)s", link=link)),
    }


@lru_cache(maxsize=64)
def _cached_pdf(template, code, name, sector, base_url, language, location_id):
    # Keyed on everything the document shows; the location is loaded again for the template.
    location = db.session.get(Location, location_id)
    return pdf.html_to_pdf(render_template(template, **_print_context(location)))


def _pdf(template, location):
    return _cached_pdf(template, location.code, location.name, location.sector.slug,
                       current_app.config["WDP_BASE_URL"], g.lang, location.id)


@bp.get("/<code>/")
def index(code):
    """Show the poster, the cards and the QR code of a location, ready to download."""
    location = listed_location_or_404(code)
    return render_template("promotion/index.html", location=location, sector=location.sector,
                           link=qr.short_link(location))


@bp.get("/<code>/affiche.pdf")
def poster(code):
    """Download an A4 poster that invites people to write a rating."""
    location = listed_location_or_404(code)
    return _download(_pdf("promotion/poster.html", location), "application/pdf",
                     file_name("affiche", location, "pdf"), vary_language=True)


@bp.get("/<code>/kaartjes.pdf")
def cards(code):
    """Download an A4 sheet with four A6 cards to cut out and hand out."""
    location = listed_location_or_404(code)
    return _download(_pdf("promotion/cards.html", location), "application/pdf",
                     file_name("kaartjes", location, "pdf"), vary_language=True)


@bp.get("/<code>/qr-code.svg")
def qr_svg(code):
    """Download the QR code of the short link as SVG (sharp at any size)."""
    location = listed_location_or_404(code)
    link = qr.short_link(location)
    return _download(qr.svg_file(link, _("QR-code naar %(link)s", link=link)), "image/svg+xml",
                     file_name("qr-code", location, "svg"), vary_language=True)


@bp.get("/<code>/qr-code.png")
def qr_png(code):
    """Download the QR code of the short link as PNG."""
    location = listed_location_or_404(code)
    return _download(qr.png_file(qr.short_link(location)), "image/png",
                     file_name("qr-code", location, "png"))
