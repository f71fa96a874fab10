"""The widget: the one frameable page, its JSON feed (CORS, short cache, nothing personal) and
the page that explains how to embed it."""
import json
from datetime import datetime

import pytest
from bs4 import BeautifulSoup

from tests.conftest import checked_page
from tests.factories import make_location, make_rating
from wdp.extensions import db
from wdp.moderation.workflow import transition
from wdp.rating_form.models import Rating


@pytest.fixture
def place(app, clock):
    """A listed location with six published ratings (one with an approved response, one with
    a response still in moderation) and ratings the public never sees."""
    clock.set(datetime(2026, 3, 10, 9, 0))
    with app.app_context():
        location = make_location(name="De Linde", organisation="Zorggroep Linde")
        for n in range(1, 7):
            clock.set(datetime(2026, 3, n, 9, 0))
            make_rating(location, score=1 + n % 5, text=f"Tekst nummer {n}.",
                        email=f"schrijver{n}@voorbeeld.test",
                        response="Dank je voor je woorden." if n == 6 else None)
        waiting = make_rating(location, status="in_moderation", text="Nog niet gelezen.")
        withdrawn = make_rating(location, status="withdrawn", text="Ingetrokken tekst.")
        removed = make_rating(location, status="removed", text="Verwijderde tekst.")
        db.session.commit()
        first = db.session.scalar(db.select(Rating).where(Rating.experience_text == "Tekst nummer 1."))
        from wdp.organisations.models import Response
        db.session.add(Response(rating=first, text="Nog niet goedgekeurd antwoord.",
                                status="in_moderation"))
        db.session.commit()
        return {"code": location.code, "id": location.id, "hidden": [waiting.id, withdrawn.id, removed.id]}


def add_ratings(app, location_id, count):
    with app.app_context():
        from wdp.locations.models import Location
        location = db.session.get(Location, location_id)
        for _ in range(count):
            make_rating(location)
        db.session.commit()


def _soup(response):
    return BeautifulSoup(response.data, "html.parser")


def test_widget_shows_the_five_newest_published_ratings(client, place):
    response = client.get(f"/widget/{place['code']}")
    assert response.status_code == 200
    page = _soup(response)
    assert page.html["lang"] == "nl"
    assert page.title.get_text() == "Wat onze gebruikers zeggen – De Linde – WDP"
    assert page.h1.get_text(strip=True) == "Wat onze gebruikers zeggen"
    items = page.select("ol.widget-ratings > li")
    assert [li.select_one(".widget-text").get_text() for li in items] == [
        f"Tekst nummer {n}." for n in (6, 5, 4, 3, 2)]
    # Score in words; with fewer than 10 ratings only the year (anonymity).
    assert items[0].select_one("h2").get_text(" ", strip=True) == "Slecht"
    assert items[0].select_one(".widget-meta").get_text(strip=True) == "2026"
    assert items[0].select_one(".widget-response").get_text(" ", strip=True) == (
        "Reactie van Zorggroep Linde Dank je voor je woorden.")
    assert all(li.select_one(".widget-response") is None for li in items[1:])
    text = page.get_text()
    for hidden in ("Nog niet gelezen.", "Ingetrokken tekst.", "Verwijderde tekst.",
                   "Tekst nummer 1.", "Nog niet goedgekeurd antwoord."):
        assert hidden not in text


def test_widget_links_open_wdp_in_a_new_window_and_say_so(client, place):
    page = _soup(client.get(f"/widget/{place['code']}"))
    links = page.select(".widget-links a")
    # Relative: inside the frame they resolve to WDP, whatever site shows the frame.
    assert [a["href"] for a in links] == [
        f"/ouderenzorg/locatie/{place['id']}", f"/w/{place['code']}"]
    for a in links:
        assert a["target"] == "_blank" and "noopener" in a["rel"]
        assert a.select_one(".visually-hidden").get_text(strip=True) == "(opent in een nieuw venster)"
    assert links[0].get_text(" ", strip=True).startswith("Lees alle 6 waarderingen op WDP")


def test_widget_shows_month_and_year_from_ten_ratings(app, client, place):
    add_ratings(app, place["id"], 4)
    page = _soup(client.get(f"/widget/{place['code']}"))
    assert page.select_one(".widget-meta").get_text(strip=True) == "maart 2026"


def test_widget_of_a_location_without_ratings(app, client):
    with app.app_context():
        code = make_location(name="Nieuw Huis").code
        db.session.commit()
    page = _soup(client.get(f"/widget/{code}"))
    assert "Er is nog geen waardering online." in page.get_text()
    assert page.select_one(".widget-links a").get_text(" ", strip=True).startswith(
        "Bekijk Nieuw Huis op WDP")


def test_only_the_widget_may_be_framed(app, client, place):
    response = client.get(f"/widget/{place['code']}")
    assert "X-Frame-Options" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "frame-ancestors 'none'" not in csp
    assert "script-src 'self'" in csp
    # An unknown code inside someone's frame: a short framed message, not a refused frame.
    gone = client.get("/widget/zzzzzz")
    assert gone.status_code == 404
    assert "X-Frame-Options" not in gone.headers
    assert _soup(gone).h1.get_text(strip=True) == "Deze waarderingen staan niet online"

    others = [f"/widget/{place['code']}.json", f"/widget/{place['code']}/uitleg",
              f"/promotie/{place['code']}/", f"/ouderenzorg/locatie/{place['id']}",
              f"/w/{place['code']}", "/bestaat-niet"]
    others += [rule.rule for rule in app.url_map.iter_rules()
               if "GET" in rule.methods and not rule.arguments]
    for url in others:
        response = client.get(url)
        assert response.headers.get("X-Frame-Options") == "DENY", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


def test_widget_is_cached_for_at_most_five_minutes(client, place):
    response = client.get(f"/widget/{place['code']}")
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_json_feed_holds_the_published_ratings_and_nothing_personal(app, client, place):
    response = client.get(f"/widget/{place['code']}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    cache = response.headers["Cache-Control"]
    assert "public" in cache and int(cache.split("max-age=")[1].split(",")[0]) <= 300
    body = response.get_json()
    assert set(body) == {"source", "language", "location", "total", "page", "pages", "next",
                         "ratings"}
    assert body["location"] == {
        "name": "De Linde", "municipality": "Gent", "sector": "Ouderenzorg",
        "url": f"http://wdp.test/ouderenzorg/locatie/{place['id']}",
        "rating_form_url": f"http://wdp.test/w/{place['code']}"}
    assert (body["total"], body["page"], body["pages"], body["next"]) == (6, 1, 1, None)
    ratings = body["ratings"]
    assert [r["text"] for r in ratings] == [f"Tekst nummer {n}." for n in range(6, 0, -1)]
    assert ratings[0] == {"score": 2, "score_text": "Slecht", "text": "Tekst nummer 6.",
                          "published": "2026", "published_text": "2026",
                          "response": {"organisation": "Zorggroep Linde",
                                       "text": "Dank je voor je woorden."}}
    assert all(set(r) == set(ratings[0]) for r in ratings)
    assert all(r["response"] is None for r in ratings[1:])

    raw = response.get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(db.select(Rating)).all()
        for rating in rows:
            rating.reference = f"REF{rating.id:05d}"
        db.session.commit()
        secrets = [r.email for r in rows] + [r.reference for r in rows]
    raw = client.get(f"/widget/{place['code']}.json").get_data(as_text=True)
    for secret in secrets + ["@", "Nog niet gelezen.", "Ingetrokken tekst.", "Verwijderde tekst.",
                             "Nog niet goedgekeurd antwoord.", '"id"', "rank", "role", "email"]:
        assert secret not in raw


def test_json_feed_shows_month_and_year_from_ten_ratings(app, client, place):
    add_ratings(app, place["id"], 4)
    newest = client.get(f"/widget/{place['code']}.json").get_json()["ratings"][-1]
    assert newest["published"] == "2026-03"
    assert newest["published_text"] == "maart 2026"


def test_json_feed_pages_and_bad_pages(app, client, place):
    add_ratings(app, place["id"], 6)
    first = client.get(f"/widget/{place['code']}.json").get_json()
    assert (first["total"], first["pages"], len(first["ratings"])) == (12, 2, 10)
    assert first["next"] == f"http://wdp.test/widget/{place['code']}.json?pagina=2"
    second = client.get(f"/widget/{place['code']}.json?pagina=2").get_json()
    assert len(second["ratings"]) == 2 and second["next"] is None
    assert second["ratings"][-1]["text"] == "Tekst nummer 1."
    for query, status in (("?pagina=3", 404), ("?pagina=0", 400), ("?pagina=abc", 400),
                          ("?pagina=-1", 400), ("?pagina=99999999999", 400)):
        response = client.get(f"/widget/{place['code']}.json{query}")
        assert response.status_code == status, query
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert set(response.get_json()) == {"error"}


def test_json_feed_of_an_unknown_or_offline_location(app, client):
    with app.app_context():
        offline = make_location(participating=False).code
        db.session.commit()
    for code in ("zzzzzz", offline, "x" * 40, "%00", "T00001", "t0000'"):
        response = client.get(f"/widget/{code}.json")
        assert response.status_code == 404
        assert response.get_json() == {"error": "Deze locatie bestaat niet of staat niet online."}
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_withdrawn_or_removed_rating_leaves_widget_and_feed(app, client, place):
    assert "Tekst nummer 6." in client.get(f"/widget/{place['code']}").get_data(as_text=True)
    with app.app_context():
        newest = db.session.scalar(db.select(Rating).where(Rating.experience_text == "Tekst nummer 6."))
        transition(newest, "withdrawn", actor_type="submitter")
        second = db.session.scalar(db.select(Rating).where(Rating.experience_text == "Tekst nummer 5."))
        transition(second, "removed", actor_type="editor")
        db.session.commit()
    widget = client.get(f"/widget/{place['code']}").get_data(as_text=True)
    feed = client.get(f"/widget/{place['code']}.json").get_json()
    for gone in ("Tekst nummer 6.", "Tekst nummer 5.", "Dank je voor je woorden."):
        assert gone not in widget
    assert [r["text"] for r in feed["ratings"]] == [f"Tekst nummer {n}." for n in (4, 3, 2, 1)]
    assert feed["total"] == 4


def test_explanation_page_gives_a_titled_iframe_to_copy(client, place):
    page = checked_page(client, f"/widget/{place['code']}/uitleg")
    assert page.h1.get_text(strip=True) == "Zet de waarderingen van De Linde op je website"
    textarea = page.select_one("textarea#snippet")
    assert page.select_one("label[for=snippet]").get_text(strip=True) == "Code voor je website"
    snippet = BeautifulSoup(textarea.get_text(), "html.parser")
    [iframe] = snippet.select("iframe")
    # Dutch is the widget's own language: no ?taal= needed.
    assert iframe["src"] == f"http://wdp.test/widget/{place['code']}"
    assert iframe["title"] == "Wat onze gebruikers zeggen: waarderingen van De Linde op WDP"
    preview = page.select_one("main > iframe")
    assert preview["src"] == f"/widget/{place['code']}"
    assert preview["title"] == iframe["title"]
    assert page.select_one(f"main a[href='http://wdp.test/widget/{place['code']}.json']")
    assert "Het blok is in het Nederlands." in page.select_one("#snippet-hint").get_text()


def test_the_widget_speaks_the_language_in_its_url(client, place):
    # Inside another site's frame WDP's language cookie is not there: ?taal= decides.
    page = _soup(client.get(f"/widget/{place['code']}?taal=fr"))
    assert page.html["lang"] == "fr"
    assert page.h1.get_text(strip=True) == "Ce que disent nos usagers"
    # Its links open WDP in that language too.
    links = [a["href"] for a in page.select(".widget-links a")]
    assert links == [f"/taal/fr?next=/ouderenzorg/locatie/{place['id']}",
                     f"/taal/fr?next=/w/{place['code']}"]
    opened = client.get(links[1])
    assert opened.headers["Location"] == f"/w/{place['code']}"
    assert _soup(client.get(opened.headers["Location"])).html["lang"] == "fr"
    client.get("/taal/nl")
    feed = client.get(f"/widget/{place['code']}.json?taal=en").get_json()
    assert feed["language"] == "en"
    assert feed["ratings"][0]["score_text"] == "Bad"
    # An unknown language is ignored; the cookie (or Dutch) decides as before.
    assert _soup(client.get(f"/widget/{place['code']}?taal=de")).html["lang"] == "nl"
    client.get("/taal/en")
    assert _soup(client.get(f"/widget/{place['code']}?taal=xx")).html["lang"] == "en"
    # Only the widget reads ?taal=: other pages keep the visitor's own choice.
    assert _soup(client.get("/?taal=fr")).html["lang"] == "en"


def test_the_code_to_copy_follows_the_language_of_the_explanation_page(client, place):
    client.get("/taal/fr")
    page = checked_page(client, f"/widget/{place['code']}/uitleg")
    [iframe] = BeautifulSoup(page.select_one("#snippet").get_text(), "html.parser").select("iframe")
    assert iframe["src"] == f"http://wdp.test/widget/{place['code']}?taal=fr"
    assert page.select_one("main > iframe")["src"] == f"/widget/{place['code']}?taal=fr"
    assert "Le bloc est en français." in page.select_one("#snippet-hint").get_text()
    # On the explanation page the language switcher decides, also with ?taal= in its URL.
    url = f"/widget/{place['code']}/uitleg?taal=fr"
    client.get(f"/taal/en?next={url}")
    page = checked_page(client, url)
    assert page.html["lang"] == "en"
    [iframe] = BeautifulSoup(page.select_one("#snippet").get_text(), "html.parser").select("iframe")
    assert iframe["src"] == f"http://wdp.test/widget/{place['code']}?taal=en"


def test_a_dutch_widget_leaves_the_visitors_own_language_alone(client, place):
    client.get("/taal/fr")
    page = _soup(client.get(f"/widget/{place['code']}?taal=nl"))
    assert page.html["lang"] == "nl"
    links = [a["href"] for a in page.select(".widget-links a")]
    assert links == [f"/ouderenzorg/locatie/{place['id']}", f"/w/{place['code']}"]


def test_the_feed_keeps_its_language_on_the_next_page(app, client, place):
    add_ratings(app, place["id"], 6)
    feed = client.get(f"/widget/{place['code']}.json?taal=fr").get_json()
    assert feed["next"] == f"http://wdp.test/widget/{place['code']}.json?pagina=2&taal=fr"
    assert client.get(feed["next"].removeprefix("http://wdp.test")).get_json()["language"] == "fr"


def test_snippet_escapes_the_location_name(app, client):
    with app.app_context():
        code = make_location(name='Huis "De <Brug>" & Co').code
        db.session.commit()
    page = checked_page(client, f"/widget/{code}/uitleg")
    [iframe] = BeautifulSoup(page.select_one("#snippet").get_text(), "html.parser").select("iframe")
    assert iframe["title"] == 'Wat onze gebruikers zeggen: waarderingen van Huis "De <Brug>" & Co op WDP'


def test_explanation_page_of_an_unknown_location_is_the_friendly_404(client):
    for code in ("zzzzzz", "%00", "x" * 40):
        page = checked_page(client, f"/widget/{code}/uitleg", status=404)
        assert page.h1.get_text(strip=True) == "Deze pagina bestaat niet"
        assert client.get(f"/widget/{code}").status_code == 404


def test_raw_json_is_valid_utf8(client, place):
    raw = client.get(f"/widget/{place['code']}.json").data
    assert json.loads(raw.decode("utf-8"))["location"]["name"] == "De Linde"
