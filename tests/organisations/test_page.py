"""The organisation page: its locations, every published rating with theme answers, filters, pages,
settings."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_location, make_rating
from tests.organisations.helpers import ORG_EMAIL, open_session, rated_location
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.organisations.models import OrganisationContact, Response

OTHER = "info@andere.test"


def _texts(page):
    return [p.get_text(strip=True) for p in page.select("main li.rating > article > p.rating-text")]


@pytest.fixture
def two_addresses(app):
    """Our location with three ratings (one with a response of each kind) and another
    address's location, whose ratings we must never see."""
    ours, ours_ids = rated_location(app, ratings=[
        (5, "Heel goed verzorgd.", {0: (5, "Lekker eten."), 1: (None, "Weet niet.")}),
        (2, "Te weinig personeel.", {0: (2, "Koud eten."), 2: (1, "Nooit tijd.")}),
        (4, "Gezellig.", {})], name="WZC Zonnebloem")
    theirs, their_ids = rated_location(app, email=OTHER, ratings=[
        (1, "Geheim van de buren.", {0: (1, "Buren eten.")})], name="WZC Buren")
    with app.app_context():
        db.session.add(Response(rating_id=ours_ids[0], text="Dank je wel!", status="approved"))
        db.session.add(Response(rating_id=ours_ids[2], text="Bedankt", status="rejected"))
        db.session.commit()
    return ours, ours_ids, theirs, their_ids


def test_one_location_shows_every_rating_with_theme_answers_and_response_state(
        app, client, two_addresses):
    ours, ours_ids, _theirs, _ids = two_addresses
    open_session(app, client, ORG_EMAIL)
    page = checked_page(client, "/organisatie/")
    assert page.h1.get_text(strip=True) == "Waarderingen van WZC Zonnebloem"
    assert _texts(page) == ["Gezellig.", "Te weinig personeel.", "Heel goed verzorgd."]
    text = page.get_text(" ", strip=True)
    for words in ("Lekker eten.", "Koud eten.", "Nooit tijd.", "Weet niet.",
                  "Ik weet het niet of het past niet", "Dank je wel!",
                  "Je reactie staat online onder de waardering.",
                  "De redactie keurde je reactie niet goed."):
        assert words in text
    assert "Geheim van de buren" not in text and "Buren eten" not in text
    # The themes carry the wording of the version answered (its title).
    first = page.select("main li.rating")[2]
    titles = [dt.get_text(strip=True) for dt in first.select("dt")]
    assert len(titles) == 2 and all(titles)
    # Writing a response: for no response and for a rejected one, not for one online.
    writes = [a["href"] for a in page.select("main li.rating a[href^='/organisatie/reactie/']")]
    assert writes == [f"/organisatie/reactie/{ours_ids[2]}", f"/organisatie/reactie/{ours_ids[1]}"]
    # Promotion material and the widget of this location.
    with app.app_context():
        from wdp.locations.models import Location
        code = db.session.get(Location, ours).code
    hrefs = {a["href"] for a in page.select("main a")}
    assert f"/promotie/{code}/" in hrefs and f"/widget/{code}/uitleg" in hrefs
    assert f"/organisatie/locatie/{ours}/waarderingen.csv" in hrefs


def test_an_address_link_never_reaches_another_locations_ratings(app, client, two_addresses):
    _ours, _ours_ids, theirs, _their_ids = two_addresses
    open_session(app, client, ORG_EMAIL)
    for url in (f"/organisatie/locatie/{theirs}", f"/organisatie/locatie/{theirs}?score=1",
                f"/organisatie/locatie/{theirs}/waarderingen.csv", "/organisatie/locatie/999999"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Geheim van de buren" not in response.data
    assert b"Geheim van de buren" not in client.get("/organisatie/waarderingen.csv").data


def test_every_organisation_route_needs_the_session(app, client, two_addresses):
    ours, *_ = two_addresses
    for url in ("/organisatie/", f"/organisatie/locatie/{ours}",
                f"/organisatie/locatie/{ours}/waarderingen.csv", "/organisatie/waarderingen.csv",
                "/organisatie/meldingen", "/organisatie/meldingen/bewaard"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Heel goed verzorgd" not in response.data
    assert client.post("/organisatie/meldingen", data={"notify": "weekly"}).status_code in (
        400, 403)


def test_several_locations_of_one_address_get_an_overview(app, client):
    first, _ = rated_location(app, name="Huis A", ratings=[(5, "A1", {}), (3, "A2", {})])
    second, _ = rated_location(app, name="Huis B", ratings=[(1, "B1", {})])
    with app.app_context():  # the same address in another case is the same contact
        from wdp.locations.models import Location
        db.session.get(Location, second).contact_email = ORG_EMAIL.upper()
        db.session.commit()
    open_session(app, client, ORG_EMAIL)
    page = checked_page(client, "/organisatie/")
    assert page.h1.get_text(strip=True) == "Waarderingen van je locaties"
    cards = page.select("main .sector-card")
    assert [c.h2.get_text(strip=True) for c in cards] == ["Huis A", "Huis B"]
    assert "2" in cards[0].select("dd")[0].get_text() and "4,0 op 5" in cards[0].get_text()
    page = checked_page(client, f"/organisatie/locatie/{second}")
    assert _texts(page) == ["B1"]
    assert page.select_one("a.back-link")["href"] == "/organisatie/"


def test_filters_no_response_score_and_theme(app, client, two_addresses):
    ours, *_ = two_addresses
    open_session(app, client, ORG_EMAIL)
    url = f"/organisatie/locatie/{ours}"
    # One location on this link: no way back to an overview of several.
    page = checked_page(client, url)
    assert page.select_one("a.back-link") is None
    # Not a sector's page: no sector is marked as the current one.
    assert page.select(".sectors-nav a") and not page.select(".sectors-nav [aria-current]")
    assert _texts(checked_page(client, url + "?reactie=geen")) == [
        "Gezellig.", "Te weinig personeel."]
    assert _texts(checked_page(client, url + "?score=2")) == ["Te weinig personeel."]
    page = checked_page(client, url + "?score=3")
    assert "Geen enkele waardering past bij je keuze." in page.get_text()
    with app.app_context():
        from wdp.locations.models import Location
        from wdp.organisations.queries import current_themes
        keys = [t.key for t in current_themes(db.session.get(Location, ours).sector_id)]
    assert _texts(checked_page(client, f"{url}?thema={keys[0]}&themascore=2")) == [
        "Te weinig personeel."]
    assert _texts(checked_page(client, f"{url}?thema={keys[0]}")) == [
        "Te weinig personeel.", "Heel goed verzorgd."]
    assert _texts(checked_page(client, f"{url}?thema={keys[1]}")) == ["Heel goed verzorgd."]
    page = checked_page(client, f"{url}?thema={keys[2]}&themascore=1&reactie=geen")
    assert _texts(page) == ["Te weinig personeel."]
    # The form keeps what was chosen, without JavaScript (a GET form).
    assert page.select_one("#reactie").has_attr("checked")
    assert page.select_one(f"#thema option[value='{keys[2]}']").has_attr("selected")
    form = page.select_one("main form[method=get]")
    assert form["action"] == url


@pytest.mark.parametrize("query", ["score=9", "score=abc", "thema=%00", "thema=onbekend",
                                   "themascore=7&thema=x", "reactie=%ff", "score=-1",
                                   "score=" + "9" * 50])
def test_bad_filter_values_are_ignored_never_a_500(app, client, two_addresses, query):
    ours, *_ = two_addresses
    open_session(app, client, ORG_EMAIL)
    page = checked_page(client, f"/organisatie/locatie/{ours}?{query}")
    assert len(_texts(page)) == 3


@pytest.mark.parametrize("pagina", ["0", "-1", "abc", "99", "1" * 30])
def test_bad_page_numbers_are_a_404(app, client, two_addresses, pagina):
    ours, *_ = two_addresses
    open_session(app, client, ORG_EMAIL)
    assert client.get(f"/organisatie/locatie/{ours}?pagina={pagina}").status_code == 404


def test_pages_of_ten_newest_first_with_and_without_filters(app, client):
    ratings = [(1 + n % 5, f"Waardering {n:02d}", {}) for n in range(45)]
    location, _ = rated_location(app, ratings=ratings)
    open_session(app, client, ORG_EMAIL)
    url = f"/organisatie/locatie/{location}"
    first = checked_page(client, url)
    assert _texts(first)[:2] == ["Waardering 44", "Waardering 43"] and len(_texts(first)) == 10
    last = checked_page(client, url + "?pagina=5")
    assert _texts(last) == ["Waardering 04", "Waardering 03", "Waardering 02", "Waardering 01",
                            "Waardering 00"]
    assert client.get(url + "?pagina=6").status_code == 404
    # Filtered: 9 ratings with score 5 (n = 4, 9, ..., 44), the pages keep the filter.
    page = checked_page(client, url + "?score=5")
    assert len(_texts(page)) == 9
    assert page.select_one("#ratings-heading").get_text(" ", strip=True).startswith(
        "9 waarderingen passen bij je keuze")
    many = checked_page(client, url + "?reactie=geen")
    nxt = many.select_one("main nav.pagination a[rel=next]")["href"]
    assert "reactie=geen" in nxt and "pagina=2" in nxt
    assert len(_texts(checked_page(client, nxt))) == 10


def test_withdrawn_and_unpublished_ratings_never_show(app, client):
    location, _ = rated_location(app, ratings=[(4, "Online.", {})])
    with app.app_context():
        from wdp.locations.models import Location
        loc = db.session.get(Location, location)
        make_rating(loc, status="withdrawn", text="Ingetrokken.")
        make_rating(loc, status="in_moderation", text="Wacht nog.")
        make_rating(loc, status="removed", text="Weggehaald.")
        db.session.commit()
    open_session(app, client, ORG_EMAIL)
    assert _texts(checked_page(client, "/organisatie/")) == ["Online."]
    assert b"Wacht nog" not in client.get("/organisatie/waarderingen.csv").data


def test_an_address_that_lost_its_locations_sees_an_explanation(app, client):
    rated_location(app, ratings=[(4, "Eerst van ons.", {})])
    open_session(app, client, ORG_EMAIL)
    with app.app_context():
        from wdp.locations.models import Location
        for location in db.session.scalars(select(Location)):
            location.contact_email = "nieuw@zonnebloem.test"
        db.session.commit()
    page = checked_page(client, "/organisatie/")
    assert "Er hoort op dit moment geen locatie bij dit e-mailadres." in page.get_text()
    assert "Eerst van ons" not in page.get_text()


def test_a_location_not_listed_has_no_promotion_links(app, client):
    with app.app_context():
        location = make_location(email=ORG_EMAIL, participating=False)
        db.session.commit()
    open_session(app, client, ORG_EMAIL)
    page = checked_page(client, "/organisatie/")
    assert not page.select("a[href^='/promotie/']")
    assert "Deze locatie staat nu niet online op WDP." in page.get_text()
    assert location  # the page is that location's


def test_choose_a_weekly_digest_one_question_then_a_confirmation(app, client, clock, two_addresses):
    open_session(app, client, ORG_EMAIL)
    page = checked_page(client, "/organisatie/meldingen")
    assert page.select_one("legend h1").get_text(strip=True) == "Hoe vaak wil je een mail krijgen?"
    assert page.select_one("input[value=each]").has_attr("checked")  # the current choice
    token = page.select_one("[name=csrf_token]")["value"]
    response = client.post("/organisatie/meldingen", data={"csrf_token": token,
                                                          "notify": "maandelijks"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")  # the same page, with the error
    assert soup.title.get_text().startswith("Fout:")
    assert soup.select_one(".error-summary a")["href"] == "#notify-0"
    response = client.post("/organisatie/meldingen", data={"csrf_token": token,
                                                          "notify": "weekly"})
    assert response.status_code == 303
    assert checked_page(client, response.headers["Location"]).h1.get_text(strip=True) \
        == "Je keuze is bewaard"
    with app.app_context():
        contact = db.session.scalar(select(OrganisationContact))
        assert contact.notify == "weekly" and contact.digest_sent_at == clock.now


def test_pages_are_never_cached_nor_leak_a_referrer(app, client, two_addresses):
    open_session(app, client, ORG_EMAIL)
    for url in ("/organisatie/", "/organisatie/meldingen", "/organisatie/nieuwe-link",
                "/organisatie/waarderingen.csv"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Referrer-Policy"] == "no-referrer", url


def test_theme_titles_follow_the_page_language_also_when_kept(app, client, two_addresses):
    ours, *_ = two_addresses
    open_session(app, client, ORG_EMAIL)
    url = f"/organisatie/locatie/{ours}"
    dutch = [dt.get_text(strip=True) for dt in checked_page(client, url).select("main li dt")]
    client.get("/taal/fr?next=/")
    french = [dt.get_text(strip=True) for dt in checked_page(client, url).select("main li dt")]
    with app.app_context():
        from wdp.locations.models import Location
        from wdp.organisations.queries import current_themes
        themes = current_themes(db.session.get(Location, ours).sector_id)
    assert len(dutch) == 4 and set(dutch) <= {t.title_nl for t in themes}
    assert len(french) == 4 and set(french) <= {t.title_fr for t in themes} and french != dutch
    # Kept answers are shown again as they were rendered.
    assert [dt.get_text(strip=True) for dt in checked_page(client, url).select("main li dt")] \
        == french
