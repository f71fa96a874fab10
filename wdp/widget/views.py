"""Routes of the widget: the page other sites frame, its JSON feed and the explanation page."""
from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from wdp.locations.queries import listed_location, published_ratings_page
from wdp.mail.outbox import link_to
from wdp.security import allow_framing
from wdp.templating import public_date, score_word
from wdp.widget.queries import newest_ratings

bp = Blueprint("widget", __name__, url_prefix="/widget")

#: the language of a widget without ?taal= (inside a frame there is no language cookie)
DEFAULT_LANGUAGE = "nl"
#: which language the widget code of the explanation page speaks
LANGUAGE_SENTENCES = {"nl": _l("Het blok is in het Nederlands."),
                      "fr": _l("Het blok is in het Frans."),
                      "en": _l("Het blok is in het Engels.")}

#: a withdrawn or removed rating leaves every copy within 5 minutes (issue 7)
MAX_AGE = 300


def _fresh(response):
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # Words and dates follow ?taal= (in the URL, so cached apart) or else the language cookie.
    response.vary.add("Cookie")
    return response


def _language_args():
    """?taal= for the widget's own links when the URL chose a language other than Dutch
    (the default): that choice stays. A Dutch widget leaves the visitor's own choice alone."""
    taal = request.args.get("taal")
    return {"taal": taal} if taal == g.lang and taal != DEFAULT_LANGUAGE else {}


def _widget_language():
    """?taal= for the code to copy: the language the explanation page is read in."""
    return {"taal": g.lang} if g.lang != DEFAULT_LANGUAGE else {}


def location_page_url(location):
    return link_to(f"{location.sector.slug}.location", location_id=location.id)


@bp.get("/<code>")
def show(code):
    """Show the newest published ratings of a location, for a frame on another website."""
    location = listed_location(code)
    if location is None:
        # Still inside someone's frame: a short message instead of a refused frame.
        response = current_app.make_response((render_template("widget/gone.html"), 404))
        return allow_framing(_fresh(response))
    # Links stay relative: inside the frame they resolve to WDP itself. A widget in another
    # language sets it on WDP too, so the page and the form open in that language.
    page_url = url_for(f"{location.sector.slug}.location", location_id=location.id)
    rating_url = url_for("rating_form.start", code=location.code)
    if _language_args():
        page_url, rating_url = (url_for("pages.set_language", lang=g.lang, next=url)
                                for url in (page_url, rating_url))
    response = current_app.make_response(render_template(
        "widget/widget.html", location=location, ratings=newest_ratings(location),
        page_url=page_url, rating_url=rating_url))
    return allow_framing(_fresh(response))


def _published_month(value, location):
    """Year and month ("2026-11"), or the year alone where the public page shows only that."""
    if value is None:
        return None
    if location.published_count < current_app.config["WDP_MIN_RATINGS_FOR_MONTH"]:
        return f"{value.year:04d}"
    return f"{value.year:04d}-{value.month:02d}"


def _feed_error(message, status):
    response = jsonify({"error": message})
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _fresh(response)


@bp.get("/<code>.json")
def feed(code):
    """The published ratings of a location as JSON, newest first, a page at a time."""
    location = listed_location(code)
    if location is None:
        return _feed_error(_("Deze locatie bestaat niet of staat niet online."), 404)
    raw_page = request.args.get("pagina", "1")
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= 100_000:
        return _feed_error(_("Vraag een pagina met een getal vanaf 1."), 400)
    page = int(raw_page)
    per_page = current_app.config["WDP_RATINGS_PER_PAGE"]
    if page > 1 and (page - 1) * per_page >= location.published_count:
        return _feed_error(_("Deze pagina is leeg. Er zijn niet zoveel waarderingen."), 404)
    ratings = published_ratings_page(location, page)
    organisation = location.organisation.name
    items = []
    for rating in ratings.items:
        response = rating.response
        items.append({
            "score": rating.overall_score,
            "score_text": score_word(rating.overall_score),
            "text": rating.experience_text or "",
            "published": _published_month(rating.published_at, location),
            "published_text": public_date(rating.published_at, location),
            "response": ({"organisation": organisation, "text": response.text}
                         if response is not None and response.status == "approved" else None),
        })
    next_page = (link_to("widget.feed", code=location.code, pagina=page + 1, **_language_args())
                 if page < ratings.pages else None)
    body = {
        "source": "WDP",
        "language": g.lang,
        "location": {
            "name": location.name,
            "municipality": location.municipality,
            "sector": str(location.sector.name),
            "url": location_page_url(location),
            "rating_form_url": link_to("rating_form.start", code=location.code),
        },
        "total": location.published_count,
        "page": page,
        "pages": ratings.pages,
        "next": next_page,
        "ratings": items,
    }
    response = jsonify(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _fresh(response)


def iframe_snippet(widget_url, frame_title):
    """The HTML a website pastes in: a titled, borderless iframe of the widget."""
    return (f'<iframe src="{escape(widget_url)}" title="{escape(frame_title)}" width="100%" '
            'height="640" style="border: 0; max-width: 44rem;" loading="lazy"></iframe>')


@bp.get("/<code>/uitleg")
def explain(code):
    """Explain in plain words how to put the widget on a website, with the code to copy."""
    location = listed_location(code)
    if location is None:
        abort(404)
    # The widget speaks the language this page is read in, also inside another site's frame.
    widget_url = link_to("widget.show", code=location.code, **_widget_language())
    frame_title = _("Wat onze gebruikers zeggen: waarderingen van %(name)s op WDP",
                    name=location.name)
    return render_template("widget/explain.html", location=location, sector=location.sector,
                           widget_url=widget_url, frame_title=frame_title,
                           snippet=iframe_snippet(widget_url, frame_title),
                           feed_url=link_to("widget.feed", code=location.code,
                                            **_widget_language()),
                           preview_url=url_for("widget.show", code=location.code,
                                               **_widget_language()),
                           language=LANGUAGE_SENTENCES[g.lang])
