"""Routes of the organisation side: the secure link, the organisation page, export and settings."""
import functools
import re
import threading
import time
from collections import OrderedDict

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    get_template_attribute,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from wdp.clock import now
from wdp.extensions import db, limiter
from wdp.locations.models import SCORES
from wdp.locations.queries import page_number
from wdp.organisations import access, export, notify, queries
from wdp.organisations.forms import ButtonForm, NewLinkForm, NotifyForm
from wdp.templating import role_labels, score_word

bp = Blueprint("organisations", __name__, url_prefix="/organisatie")

#: holds the raw token between the mailed link and its button, never in a URL
LINK_COOKIE = "wdp_org_link"
LINK_COOKIE_PATH = "/organisatie"
LINK_COOKIE_SECONDS = 30 * 60
#: what a token can look like (secrets.token_urlsafe); anything else is "unknown" at once
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,100}")


@bp.after_request
def _private(response):
    """Every page here is behind a secret link or shows an organisation's own data."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _secure():
    return current_app.config["WDP_BASE_URL"].startswith("https://")


def _forget_link_cookie(response):
    response.delete_cookie(LINK_COOKIE, path=LINK_COOKIE_PATH, httponly=True, samesite="Lax",
                           secure=_secure())
    return response


def write_url(rating_id):
    """The page to write (or rewrite) a response: responses.write, by path until it exists."""
    try:
        return url_for("responses.write", rating_id=rating_id)
    except BuildError:
        return f"/organisatie/reactie/{rating_id}"


def contact_required(view):
    """Only with an organisation session; otherwise a page that says how to get one."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        had_session = access.SESSION_KEY in session
        contact = access.current_contact()
        if contact is None:
            return make_response(render_template(
                "organisations/no_session.html", ended=had_session), 403)
        return view(contact, *args, **kwargs)

    return wrapped


# -- the mailed link --------------------------------------------------------------------------

@bp.get("/link/<token>")
def link(token):
    """Keep the mailed token in a short cookie and show a URL without it; nothing is done yet."""
    response = redirect(url_for("organisations.open_link"), code=303)
    value = token if TOKEN_PATTERN.fullmatch(token) else "-"
    response.set_cookie(LINK_COOKIE, value, max_age=LINK_COOKIE_SECONDS, path=LINK_COOKIE_PATH,
                        httponly=True, samesite="Lax", secure=_secure())
    return response


def _link_problem(state):
    status = 200 if state == "missing" else 410
    response = make_response(render_template("organisations/link_problem.html", state=state),
                             status)
    return _forget_link_cookie(response) if state != "missing" else response


@bp.route("/openen", methods=["GET", "POST"])
def open_link():
    """One button that opens the organisation's page (a POST: mail scanners only GET)."""
    raw = request.cookies.get(LINK_COOKIE)
    form = ButtonForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)
    if not raw:
        if request.method == "GET" and access.current_contact() is not None:
            return redirect(url_for("organisations.home"))
        return _link_problem("missing")
    state, token = access.token_state(raw)
    if state != "valid":
        return _link_problem(state)
    if request.method == "POST":
        access.start_session(token)
        return _forget_link_cookie(redirect(url_for("organisations.home"), code=303))
    return render_template("organisations/open.html", form=form)


@bp.post("/afmelden")
def sign_out():
    """End the organisation session on this device."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    access.end_session()
    return redirect(url_for("organisations.signed_out"), code=303)


@bp.get("/afgemeld")
def signed_out():
    """Say that the session ended and how to come back."""
    return render_template("organisations/signed_out.html")


# -- a new link -------------------------------------------------------------------------------

@bp.route("/nieuwe-link", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["WDP_RATELIMIT_ORG_LINKS"],
               methods=["POST"])
def new_link():
    """Ask for the register address and mail it a new link if a participating location has it."""
    form = NewLinkForm()
    if form.validate_on_submit():
        # Known or not, the same answer: the page never tells which addresses are known.
        notify.request_link(form.email.data)
        db.session.commit()
        return redirect(url_for("organisations.new_link_sent"), code=303)
    return render_template("organisations/new_link.html", form=form)


@bp.get("/nieuwe-link/verstuurd")
def new_link_sent():
    """Say what happens now, without saying whether the address is known."""
    return render_template("organisations/new_link_sent.html")


# -- the organisation page --------------------------------------------------------------------

def _overview(contact, locations, listed):
    return render_template("organisations/overview.html", contact=contact, locations=locations,
                           unanswered=queries.unanswered_counts([loc.id for loc in locations]),
                           listed=listed)


#: rendered theme answers per (rating id, language): a published rating's answers and the
#: theme versions they answered never change, so each worker renders them once (the bulk of
#: the page: up to 10 ratings x 8 answers). Bounded in size and age, so the text of a rating
#: that was withdrawn meanwhile (no longer shown: the page lists published ratings only)
#: leaves memory soon.
ANSWERS_CACHE_SIZE = 5000
ANSWERS_CACHE_SECONDS = 600
_answers_cache = OrderedDict()


_answers_lock = threading.Lock()


def _answers_key(rating, language):
    # More than the id: a database emptied and filled again (tests) reuses ids.
    return (rating.id, rating.location_id, rating.reference, rating.published_at, language)


def answers_html(ratings, language):
    """{rating id: Markup of its theme answers}, from the cache or rendered (one query)."""
    moment = time.monotonic()
    found, missing = {}, []
    with _answers_lock:
        for rating in ratings:
            hit = _answers_cache.get(_answers_key(rating, language))
            if hit is not None and moment - hit[0] < ANSWERS_CACHE_SECONDS:
                found[rating.id] = hit[1]
            else:
                missing.append(rating)
    if missing:
        macro = get_template_attribute("organisations/_answers.html", "answers")
        words = {s: score_word(s) for s in SCORES}
        unknown, heading = _("Ik weet het niet of het past niet"), _("Antwoorden per thema")
        answers = queries.answers_of(missing, language)
        rendered = {rating.id: macro(answers.get(rating.id, []), words, unknown, heading)
                    for rating in missing}
        found.update(rendered)
        with _answers_lock:
            for rating in missing:
                _answers_cache[_answers_key(rating, language)] = (moment, rendered[rating.id])
            while len(_answers_cache) > ANSWERS_CACHE_SIZE:
                _answers_cache.popitem(last=False)
    return found


def clear_answers_cache():
    with _answers_lock:
        _answers_cache.clear()


def _location_page(contact, location, several, listed):
    themes = queries.current_themes(location.sector_id)
    filters = queries.parse_filters(request.args, {theme.key for theme in themes})
    page = page_number(request.args.get("pagina"))
    ratings = queries.ratings_page(location, filters, page)
    # Built once per page, not per rating (the loop is the page's cost).
    write_base = write_url(0).rsplit("/", 1)[0]
    return render_template(
        "organisations/location.html", contact=contact, location=location, several=several,
        themes=themes, filters=filters, ratings=ratings,
        answers=answers_html(ratings.items, g.lang),
        response_state=queries.response_state,
        write_url=lambda rating_id: f"{write_base}/{rating_id}",
        role_labels=role_labels(),
        listed=listed)


@bp.get("/")
@contact_required
def home(contact):
    """The organisation's page: its one location's ratings, or an overview of its locations."""
    locations, listed = queries.covered(contact)
    if len(locations) == 1:
        return _location_page(contact, locations[0], False, locations[0].id in listed)
    return _overview(contact, locations, listed)


@bp.get("/locatie/<int:location_id>")
@contact_required
def location(contact, location_id):
    """The published ratings of one covered location, with theme answers, filtered and paged."""
    location, listed, covering = queries.covered_location_or_404(contact, location_id)
    return _location_page(contact, location, covering > 1, listed)


def _csv(text, name):
    response = make_response(text)
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/locatie/<int:location_id>/waarderingen.csv")
@contact_required
def export_location(contact, location_id):
    """Download the location's published ratings that the filters keep, as CSV."""
    location, _listed, _covering = queries.covered_location_or_404(contact, location_id)
    themes = queries.current_themes(location.sector_id)
    filters = queries.parse_filters(request.args, {theme.key for theme in themes})
    from wdp.promotion.views import file_name
    return _csv(export.ratings_csv([location], filters),
                file_name("waarderingen", location, "csv"))


@bp.get("/waarderingen.csv")
@contact_required
def export_all(contact):
    """Download the published ratings of every covered location, as CSV."""
    filters = queries.parse_filters(request.args, set())
    return _csv(export.ratings_csv(queries.covered(contact)[0], filters),
                f"waarderingen-{now():%Y-%m-%d}.csv")


# -- settings ---------------------------------------------------------------------------------

@bp.route("/meldingen", methods=["GET", "POST"])
@contact_required
def settings(contact):
    """Ask how often the organisation wants a mail: one per rating, or one a week."""
    form = NotifyForm()
    if request.method == "GET":
        form.notify.data = contact.notify
    if form.validate_on_submit():
        if form.notify.data == notify.WEEKLY and contact.notify != notify.WEEKLY:
            # The first digest covers what is published from now on: the mails so far
            # already told of everything before.
            contact.digest_sent_at = now()
        contact.notify = form.notify.data
        db.session.commit()
        return redirect(url_for("organisations.settings_saved"), code=303)
    return render_template("organisations/settings.html", form=form, contact=contact)


@bp.get("/meldingen/bewaard")
@contact_required
def settings_saved(contact):
    """Confirm the choice and say what happens next."""
    return render_template("organisations/settings_saved.html", contact=contact)
