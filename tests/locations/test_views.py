"""The public sector pages: search, filters, the location page and what it must never show."""
from datetime import date, datetime

import pytest

from tests.conftest import checked_page
from tests.factories import make_location, make_rating
from wdp.extensions import db
from wdp.locations.operations import end_participation


@pytest.fixture
def places(app_ctx):
    found = {
        "linde": make_location(name="WZC De Linde", municipality="Antwerpen", postcode="2000"),
        "sint": make_location(name="Résidence Sint-Jozef", municipality="Leuven", postcode="3000",
                              kind="dagverzorgingscentrum"),
        "nest": make_location(name="Kinderdagverblijf Het Nestje", sector="kinderopvang",
                              municipality="Gent", postcode="9000"),
        "onderzoek": make_location(name="WZC Onderzoek", register_status="in onderzoek"),
        "zonder": make_location(name="WZC Zonder Overeenkomst", participating=False),
        "gestopt": make_location(name="WZC Gestopt"),
        "weg": make_location(name="WZC Weg Uit Register", in_register=False),
    }
    end_participation(found["gestopt"], date(2025, 6, 1))
    db.session.commit()
    return found


def names(soup):
    return [a.get_text(strip=True) for a in soup.select(".location-card h3 a")]


def test_sector_home_has_search_and_kinds(client, places):
    soup = checked_page(client, "/ouderenzorg/")
    assert soup.select_one("form.search")["action"] == "/ouderenzorg/zoeken"
    assert [a.get_text(strip=True) for a in soup.select(".link-list a")][:3] == [
        "Woonzorgcentrum", "Centrum voor kortverblijf", "Dagverzorgingscentrum"]
    assert soup.select_one("#complaint-heading + p a")["href"].startswith("https://")


def test_only_participating_active_locations_are_listed(client, places):
    soup = checked_page(client, "/ouderenzorg/zoeken?q=")
    assert names(soup) == ["Résidence Sint-Jozef", "WZC De Linde"]
    for key in ("onderzoek", "zonder", "gestopt", "weg"):
        checked_page(client, f"/ouderenzorg/locatie/{places[key].id}", status=404)


def test_location_of_another_sector_is_404(client, places):
    checked_page(client, f"/kinderopvang/locatie/{places['linde'].id}", status=404)


@pytest.mark.parametrize("query,expected", [
    ("linde", ["WZC De Linde"]),
    ("LINDE", ["WZC De Linde"]),
    ("residence", ["Résidence Sint-Jozef"]),
    ("Résidence", ["Résidence Sint-Jozef"]),
    ("Anvers", ["WZC De Linde"]),
    ("louvain", ["Résidence Sint-Jozef"]),
    ("3000", ["Résidence Sint-Jozef"]),
    ("de linde antwerpen", ["WZC De Linde"]),
    ("zorggroep", ["Résidence Sint-Jozef", "WZC De Linde"]),
    ("nestje", []),
])
def test_search_ignores_case_and_accents_and_knows_french_names(client, places, query, expected):
    soup = checked_page(client, f"/ouderenzorg/zoeken?q={query}")
    assert names(soup) == expected


def test_search_across_sectors_from_home(client, places):
    soup = checked_page(client, "/zoeken?q=gand")
    assert names(soup) == ["Kinderdagverblijf Het Nestje"]
    assert "Kinderopvang" in soup.select_one(".location-card .meta").get_text()


def test_filter_by_kind(client, places):
    soup = checked_page(client, "/ouderenzorg/zoeken?q=&soort=dagverzorgingscentrum")
    assert names(soup) == ["Résidence Sint-Jozef"]
    assert soup.select_one("#soort option[selected]")["value"] == "dagverzorgingscentrum"


@pytest.mark.parametrize("query", [
    "", " ", "x" * 10_000, "' OR 1=1; DROP TABLE locations; --", "%", "_", "\\",
    "<script>alert(1)</script>", "linde%' --", "\u0000", "😀",
])
def test_odd_queries_give_a_normal_page(client, places, query):
    response = client.get("/ouderenzorg/zoeken", query_string={"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.data
    checked_page(client, "/zoeken", query_string={"q": query})


def test_wildcards_are_punctuation_not_patterns(client, places):
    everything = names(checked_page(client, "/ouderenzorg/zoeken?q="))
    assert names(checked_page(client, "/ouderenzorg/zoeken?q=%25")) == everything
    assert names(checked_page(client, "/ouderenzorg/zoeken?q=_")) == everything
    assert names(checked_page(client, "/ouderenzorg/zoeken?q=l%25e")) == []


@pytest.mark.parametrize("url", [
    "/zorg/", "/ouderenzorg/zoeken?soort=gezinsopvang", "/ouderenzorg/zoeken?soort=bestaat-niet",
    "/ouderenzorg/zoeken?pagina=0", "/ouderenzorg/zoeken?pagina=-1",
    "/ouderenzorg/zoeken?pagina=abc", "/ouderenzorg/zoeken?pagina=2",
    "/ouderenzorg/zoeken?pagina=99999999999999999999", "/ouderenzorg/locatie/999999",
    "/ouderenzorg/locatie/abc", "/w/bestaatniet",
])
def test_unknown_things_are_a_styled_404(client, places, url):
    checked_page(client, url, status=404)


def test_search_pagination(client, app, app_ctx):
    for i in range(25):
        make_location(name=f"WZC Huis {i:02d}")
    db.session.commit()
    soup = checked_page(client, "/ouderenzorg/zoeken?q=huis")
    assert len(names(soup)) == 20
    assert soup.select_one("#results-heading").get_text(strip=True) == "25 locaties gevonden"
    next_link = soup.select_one(".pagination a[rel=next]")["href"]
    soup = checked_page(client, next_link)
    assert names(soup) == [f"WZC Huis {i}" for i in range(20, 25)]
    assert soup.select_one(".pagination a[rel=prev]")
    checked_page(client, "/ouderenzorg/zoeken?q=huis&pagina=3", status=404)


def test_htmx_request_gets_only_the_results_fragment(client, places):
    response = client.get("/ouderenzorg/zoeken?q=linde", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<section id=\"results\"" in html and "<html" not in html and "<title>" in html
    assert "WZC De Linde" in html


def test_location_page_shows_facts_figures_and_never_the_email(client, app_ctx):
    location = make_location(name="WZC De Linde", phone="03 123 45 67",
                             website="https://www.delinde.test", email="geheim@delinde.test",
                             register_url="https://register.test/1",
                             inspection_url="https://inspectie.test/1")
    for score in (5, 5, 4, 2):
        make_rating(location, score=score, email="schrijver@voorbeeld.test")
    db.session.commit()
    soup = checked_page(client, f"/ouderenzorg/locatie/{location.id}")
    text = soup.get_text(" ")
    assert soup.h1.get_text(strip=True) == "WZC De Linde"
    assert "Zorggroep Test" in text and "Kerkstraat 1, 9000 Gent" in text
    assert soup.select_one("a[href='tel:031234567']")
    assert soup.select_one("a[href='https://www.delinde.test']")
    assert soup.select_one("a[href='https://register.test/1']")
    assert soup.select_one("a[href='https://inspectie.test/1']")
    assert "geheim@delinde.test" not in str(soup) and "schrijver@" not in str(soup)
    assert "Gemiddeld 4,0 op 5, uit 4 waarderingen." in " ".join(text.split())
    assert "75 % gaf een goede score" in text
    spread = [li.get_text(" ", strip=True) for li in soup.select(".spread li")]
    assert spread[0].startswith("Heel goed") and "2 waarderingen (50 %)" in spread[0]
    assert "0 waarderingen (0 %)" in spread[2]
    cta = soup.select_one("a.button", string="Schrijf een waardering")
    assert cta["href"] == f"/w/{location.code}"


def test_too_few_ratings_for_an_average(client, app_ctx):
    location = make_location()
    make_rating(location, score=5)
    make_rating(location, score=1)
    db.session.commit()
    soup = checked_page(client, f"/ouderenzorg/locatie/{location.id}")
    text = " ".join(soup.get_text(" ").split())
    assert "Er zijn 2 waarderingen. Dat is te weinig voor een gemiddelde." in text
    assert not soup.select(".spread") and "Gemiddeld" not in text


def test_ratings_newest_first_with_anonymous_role_and_date(client, app, app_ctx):
    location = make_location()
    app.config["WDP_NOW"] = "2026-03-15T10:00:00"
    make_rating(location, score=2, text="Eerste.", role="staff")
    app.config["WDP_NOW"] = "2026-05-02T10:00:00"
    make_rating(location, score=5, text="Tweede.", role="parent",
                response="Bedankt voor je mooie woorden.")
    db.session.commit()
    soup = checked_page(client, f"/ouderenzorg/locatie/{location.id}")
    items = soup.select("ol.ratings > li")
    assert [i.select_one(".rating-text").get_text() for i in items] == ["Tweede.", "Eerste."]
    # fewer than 10 ratings: the year only
    assert items[0].select_one(".meta").get_text(" ", strip=True) == (
        "Geschreven door familie of een naaste · 2026")
    assert items[1].select_one(".meta").get_text(" ", strip=True) == (
        "Geschreven met hulp van iemand anders · 2026")
    assert items[0].select_one(".response p").get_text() == "Bedankt voor je mooie woorden."
    assert items[0].select_one(".score-word").get_text() == "Heel goed"
    assert items[0].select_one(".score img")["alt"] == ""


def test_month_and_year_from_ten_ratings(client, app, app_ctx):
    location = make_location()
    app.config["WDP_NOW"] = "2026-05-02T10:00:00"
    for _ in range(10):
        make_rating(location)
    db.session.commit()
    soup = checked_page(client, f"/ouderenzorg/locatie/{location.id}")
    assert soup.select_one("ol.ratings .meta").get_text(strip=True).endswith("mei 2026")


def test_unapproved_responses_stay_hidden(client, app_ctx):
    from wdp.organisations.models import Response
    location = make_location()
    rating = make_rating(location)
    db.session.add(Response(rating=rating, text="Nog niet gekeurd.", status="in_moderation"))
    db.session.commit()
    soup = checked_page(client, f"/ouderenzorg/locatie/{location.id}")
    assert "Nog niet gekeurd." not in soup.get_text()


def test_unpublished_ratings_are_not_shown(client, app_ctx):
    location = make_location()
    make_rating(location, text="Zichtbaar.")
    for status in ("in_moderation", "approved", "rejected", "withdrawn"):
        make_rating(location, status=status, text=f"Verborgen {status}.")
    db.session.commit()
    text = checked_page(client, f"/ouderenzorg/locatie/{location.id}").get_text()
    assert "Zichtbaar." in text and "Verborgen" not in text


def test_rating_pages_are_rank_ranges(client, app, app_ctx):
    location = make_location()
    for i in range(23):
        make_rating(location, text=f"Nummer {i}.")
    db.session.commit()
    texts = lambda soup: [p.get_text() for p in soup.select(".rating-text")]  # noqa: E731
    first = checked_page(client, f"/ouderenzorg/locatie/{location.id}")
    assert texts(first) == [f"Nummer {i}." for i in range(22, 12, -1)]
    last = checked_page(client, f"/ouderenzorg/locatie/{location.id}?pagina=3")
    assert texts(last) == ["Nummer 2.", "Nummer 1.", "Nummer 0."]
    assert "(pagina 3)" in last.title.get_text()
    checked_page(client, f"/ouderenzorg/locatie/{location.id}?pagina=4", status=404)


def test_rating_start_page_explains_and_links_the_complaint_channel(client, app_ctx):
    location = make_location(name="WZC De Linde")
    db.session.commit()
    soup = checked_page(client, f"/w/{location.code}")
    text = soup.get_text(" ")
    assert "ongeveer 5 minuten" in text and "anoniem" in text
    assert soup.select_one(".notice a")["href"] == "https://www.departementzorg.be/nl/klachten"


def test_datetime_not_date_is_what_the_page_formats(app_ctx):
    # public_date receives published_at datetimes; guard the assumption in one place
    from wdp.templating import public_date
    location = make_location()
    assert public_date(datetime(2026, 5, 2, 10), location) == "2026"
