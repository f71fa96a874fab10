"""Views of the site pages and the language switch."""
from flask import abort, redirect, render_template, request

from wdp import LANGUAGES
from wdp.locations import queries
from wdp.locations.forms import SearchForm
from wdp.pages import bp
from wdp.sectors.queries import sectors_by_slug


@bp.get("/")
def home():
    """Show what WDP is, the sectors with their complaint channels, and one search."""
    return render_template("pages/home.html", form=SearchForm(formdata=None),
                           sectors=sectors_by_slug())


@bp.get("/zoeken")
def search():
    """Search participating locations across all sectors."""
    form = SearchForm(request.args)
    page = queries.page_number(request.args.get("pagina"))
    results = queries.search_locations(form.query, page=page)
    template = "locations/_results.html" if request.headers.get("HX-Request") else "pages/search.html"
    return render_template(template, form=form, results=results, sector=None,
                           search_endpoint="pages.search")


STATIC_PAGES = {
    "over": "pages/about.html",
    "gedragscode": "pages/code_of_conduct.html",
    "privacy": "pages/privacy.html",
    "toegankelijkheid": "pages/accessibility.html",
    "contact": "pages/contact.html",
}


@bp.get("/<any(over, gedragscode, privacy, toegankelijkheid, contact):page>")
def page(page):
    """Show one of the fixed information pages."""
    return render_template(STATIC_PAGES[page], sectors=sectors_by_slug())


def _safe_next(target):
    """Only follow a path on this site (no scheme, no //host). Browsers drop tabs and line
    breaks from a URL, so "/<tab>/host" would become "//host": no whitespace or control
    characters either (a quoted URL has none)."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(c.isspace() or not c.isprintable() for c in target)):
        return "/"
    return target


@bp.get("/taal/<lang>")
def set_language(lang):
    """Switch the language and return to the same page."""
    if lang not in LANGUAGES:
        abort(404)
    response = redirect(_safe_next(request.args.get("next")))
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True, secure=request.is_secure)
    return response
