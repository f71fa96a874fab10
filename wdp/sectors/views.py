"""The public pages of a sector: its home, the location search and the location page."""
from flask import Blueprint, abort, current_app, g, render_template, request

from wdp.locations import page_cache, queries
from wdp.locations.forms import SearchForm
from wdp.sectors.queries import kind_in_sector, sector_or_404


def make_sector_blueprint(slug):
    """Build the blueprint that serves /<slug>/."""
    bp = Blueprint(slug, __name__, url_prefix=f"/{slug}")

    def _form(sector):
        form = SearchForm(request.args)
        form.set_kinds(sector.kinds)
        return form

    @bp.get("/")
    def home():
        """Show the sector, its kinds of location and the search form."""
        sector = sector_or_404(slug)
        form = _form(sector)
        return render_template("sectors/home.html", sector=sector, form=form)

    @bp.get("/zoeken")
    def search():
        """Search the sector's participating locations, optionally by kind."""
        sector = sector_or_404(slug)
        form = _form(sector)
        kind = None
        if form.soort.data:
            kind = kind_in_sector(sector, form.soort.data)
            if kind is None:
                abort(404)
        page = queries.page_number(request.args.get("pagina"))
        results = queries.search_locations(form.query, sector=sector, kind=kind, page=page)
        template = ("locations/_results.html" if request.headers.get("HX-Request")
                    else "sectors/search.html")
        return render_template(template, sector=sector, form=form, results=results,
                               search_endpoint=f"{slug}.search")

    @bp.get("/locatie/<int:location_id>")
    def location(location_id):
        """Show a location, its figures and its published ratings, newest first."""
        page = queries.page_number(request.args.get("pagina"))
        location = queries.listed_location_or_404(slug, location_id)
        key = page_cache.key_for(location, page, g.lang, request.full_path)
        html = page_cache.get(key)
        if html is None:
            ratings = queries.published_ratings_page(location, page)
            enough = (location.published_count
                      >= current_app.config["WDP_MIN_RATINGS_FOR_AVERAGE"])
            html = render_template("locations/location.html", sector=location.sector,
                                   location=location, ratings=ratings,
                                   enough_for_average=enough)
            page_cache.put(key, html)
        return html

    return bp
