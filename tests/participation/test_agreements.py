"""The admin page of participation: permissions, finding a location, recording an agreement
(online) and its end (offline, ratings kept), refused dates, and who recorded what when."""
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.factories import make_location, make_rating
from tests.pagecheck import check_page, checked_page
from tests.participation.helpers import field_errors, page, post_page, summary
from tests.rating_form.helpers import csrf
from wdp.extensions import db
from wdp.locations.models import Location, Participation
from wdp.locations.operations import end_participation, start_participation
from wdp.rating_form.models import Rating

BASE = "/redactie/beheer/deelname"


@pytest.fixture
def linde(app):
    """A listed location with three published ratings: its id."""
    with app.app_context():
        location = make_location(name="WZC De Linde", municipality="Brugge", postcode="8000")
        for score, text in ((5, "Warme zorg."), (4, "Lekker eten."), (2, "Te weinig personeel.")):
            make_rating(location, score=score, text=text)
        db.session.commit()
        return location.id


@pytest.fixture
def waiting(app):
    """A location without any agreement: its id."""
    with app.app_context():
        location = make_location(name="WZC Ter Beke", municipality="Aalst", postcode="9300",
                                 participating=False)
        db.session.commit()
        return location.id


def agreements_of(app, location_id):
    with app.app_context():
        return [(p.signed_on, p.ended_on, p.signed_by, p.note, p.recorded_by_id, p.ended_by_id,
                 p.created_at, p.end_recorded_at)
                for p in db.session.scalars(select(Participation).where(
                    Participation.location_id == location_id).order_by(Participation.id))]


def record(client, location_id, **data):
    return post_page(client, f"{BASE}/locatie/{location_id}/overeenkomst", data,
                     page_url=f"{BASE}/locatie/{location_id}")


def end(client, location_id, **data):
    return post_page(client, f"{BASE}/locatie/{location_id}/einde", data,
                     page_url=f"{BASE}/locatie/{location_id}")


def public_search(client, words):
    soup = checked_page(client, f"/ouderenzorg/zoeken?q={words}")
    return [a.get_text(strip=True) for a in soup.select("#results h3 a, #results h2 a")]


# -- permissions --------------------------------------------------------------------------------

def _urls(location_id):
    return ([f"{BASE}/", f"{BASE}/?q=linde", f"{BASE}/locatie/{location_id}"],
            [f"{BASE}/locatie/{location_id}/overeenkomst", f"{BASE}/locatie/{location_id}/einde"])


def test_anonymous_visitors_go_to_sign_in(app, client, linde):
    pages, posts = _urls(linde)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/redactie/aanmelden"), url
    for url in posts:
        assert client.post(url, data={"ended_on": "2-3-2026"}).status_code in (302, 400), url
    assert len(agreements_of(app, linde)) == 1


def test_plain_editors_get_the_admins_only_page(app, editor, linde, waiting):
    pages, posts = _urls(linde)
    for url in pages:
        checked_page(editor, url, status=403)
    token = csrf(checked_page(editor, "/redactie/wachtwoord-wijzigen"))
    for url in posts + [f"{BASE}/locatie/{waiting}/overeenkomst"]:
        response = editor.post(url, data={"csrf_token": token, "ended_on": "2-3-2026",
                                          "signed_on": "1-3-2026", "signed_by": "X"})
        assert response.status_code == 403, url
        check_page(BeautifulSoup(response.data, "html.parser"))
    assert [a[1] for a in agreements_of(app, linde)] == [None]
    assert agreements_of(app, waiting) == []


def test_admins_open_every_page_and_find_it_from_the_admin_start(admin, linde):
    assert checked_page(admin, "/redactie/beheer/").select_one(f"main a[href='{BASE}/']")
    for url in _urls(linde)[0]:
        checked_page(admin, url)
    assert admin.get(f"{BASE}/").headers["Cache-Control"] == "no-store"


def test_unknown_locations_are_not_found(admin):
    assert admin.get(f"{BASE}/locatie/999999").status_code == 404
    token = csrf(checked_page(admin, "/redactie/wachtwoord-wijzigen"))
    for action in ("overeenkomst", "einde"):
        response = admin.post(f"{BASE}/locatie/999999/{action}", data={"csrf_token": token})
        assert response.status_code == 404


def test_posts_without_csrf_are_refused(app, admin, waiting):
    response = admin.post(f"{BASE}/locatie/{waiting}/overeenkomst",
                          data={"signed_on": "1-3-2026", "signed_by": "Jan"})
    assert response.status_code == 400
    assert agreements_of(app, waiting) == []


# -- finding a location -------------------------------------------------------------------------

def test_search_finds_listed_and_unlisted_locations(app, admin, linde, waiting):
    with app.app_context():
        onderzoek = make_location(name="WZC Ter Linde", register_status="in onderzoek",
                                  municipality="Gent")
        db.session.commit()
        code, register_id = onderzoek.code, onderzoek.register_id

    def found(query):
        soup = checked_page(admin, f"{BASE}/?q={query}")
        return [a.get_text(strip=True) for a in soup.select("main .location-card a")]

    assert found("linde") == ["WZC De Linde", "WZC Ter Linde"]
    assert found("Brugge") == ["WZC De Linde"]
    assert found("9300") == ["WZC Ter Beke"]
    assert found(code) == ["WZC Ter Linde"]
    assert found(register_id) == ["WZC Ter Linde"]
    soup = checked_page(admin, f"{BASE}/?q=linde")
    assert "in onderzoek" in soup.select("main .location-card")[1].get_text()
    assert soup.select_one("#found-heading").get_text(strip=True) == "2 locaties gevonden"
    assert checked_page(admin, f"{BASE}/?q=qqqq").select_one("#found-heading").get_text(
        strip=True) == "Geen locaties gevonden"
    # Odd input is a search like any other, never a 500.
    for query in ("%25", "_", "x" * 5000, "%00", "linde%00", "%01Brugge",
                  "'; drop table locations;--"):
        checked_page(admin, f"{BASE}/?q={query}")


# -- recording an agreement and its end ---------------------------------------------------------

def test_an_agreement_puts_a_location_online(app, admin, client, waiting):
    assert public_search(client, "beke") == []
    assert client.get(f"/ouderenzorg/locatie/{waiting}").status_code == 404
    soup = checked_page(admin, f"{BASE}/locatie/{waiting}")
    assert "Nee. Er is geen lopende overeenkomst." in soup.select_one("#online-state").text
    assert soup.select_one("form[action$='/overeenkomst']")
    assert soup.select_one("form[action$='/einde']") is None

    response = record(admin, waiting, signed_on="1-3-2026", signed_by="Jan Peeters, directeur",
                      note="Getekend op het overleg.")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{BASE}/locatie/{waiting}"
    assert agreements_of(app, waiting) == [
        (date(2026, 3, 1), None, "Jan Peeters, directeur", "Getekend op het overleg.",
         admin.editor_id, None, datetime(2026, 3, 2, 10, 0), None)]
    assert public_search(client, "beke") == ["WZC Ter Beke"]
    assert client.get(f"/ouderenzorg/locatie/{waiting}").status_code == 200

    soup = checked_page(admin, f"{BASE}/locatie/{waiting}")
    assert "De overeenkomst van WZC Ter Beke is geregistreerd." in soup.select_one(".notice").text
    assert soup.select_one(f"#online-state a[href='/ouderenzorg/locatie/{waiting}']")
    card = soup.select_one("main .location-card").get_text(" ", strip=True)
    for part in ("1/03/2026", "Jan Peeters, directeur", "2/03/2026 10:00, Test admin",
                 "Loopt nog", "Getekend op het overleg."):
        assert part in card, part
    # Now only the end can be recorded.
    assert soup.select_one("form[action$='/overeenkomst']") is None
    assert soup.select_one("form[action$='/einde']")


def test_the_end_takes_it_offline_and_keeps_its_ratings_for_a_new_agreement(app, admin, client,
                                                                          clock, linde):
    page_before = client.get(f"/ouderenzorg/locatie/{linde}").get_data(as_text=True)
    assert "Te weinig personeel." in page_before
    assert public_search(client, "linde") == ["WZC De Linde"]

    response = end(admin, linde, ended_on="2-3-2026", end_note="Organisatie stopt.")
    assert response.status_code == 302
    [agreement] = agreements_of(app, linde)
    assert agreement[1] == date(2026, 3, 2) and agreement[5] == admin.editor_id
    assert agreement[3] == "Organisatie stopt."
    assert agreement[7] == clock.now, "when the end was recorded"
    # Offline at once: not in the search, no page, no rating form.
    assert public_search(client, "linde") == []
    assert client.get(f"/ouderenzorg/locatie/{linde}").status_code == 404
    with app.app_context():
        code = db.session.get(Location, linde).code
        # The ratings stay, published, with the location's counters.
        statuses = db.session.scalars(select(Rating.status).where(
            Rating.location_id == linde)).all()
        assert sorted(statuses) == ["published"] * 3
        assert db.session.get(Location, linde).published_count == 3
    assert client.get(f"/w/{code}").status_code == 404
    soup = checked_page(admin, f"{BASE}/locatie/{linde}")
    card = soup.select_one("main .location-card").get_text(" ", strip=True)
    assert "Doet niet meer mee vanaf 2/03/2026, geregistreerd op 2/03/2026 10:00 door Test admin" in card

    # A new agreement later: online again with its old ratings.
    clock.advance(minutes=10)
    response = record(admin, linde, signed_on="2-3-2026", signed_by="An Claes")
    assert response.status_code == 302
    assert public_search(client, "linde") == ["WZC De Linde"]
    page_after = client.get(f"/ouderenzorg/locatie/{linde}").get_data(as_text=True)
    for text in ("Warme zorg.", "Lekker eten.", "Te weinig personeel."):
        assert text in page_after
    assert [a[0] for a in agreements_of(app, linde)] == [date(2025, 1, 1), date(2026, 3, 2)]


def test_an_end_in_the_future_keeps_it_online_until_that_day(app, admin, client, clock, linde):
    assert end(admin, linde, ended_on="1-4-2026").status_code == 302
    assert public_search(client, "linde") == ["WZC De Linde"]
    clock.set(datetime(2026, 4, 1, 0, 0))
    assert public_search(client, "linde") == []


def test_an_agreement_for_a_location_in_onderzoek_does_not_put_it_online(app, admin, client):
    with app.app_context():
        location = make_location(name="WZC Nieuwland", participating=False,
                                 register_status="in onderzoek")
        db.session.commit()
        location_id = location.id
    assert record(admin, location_id, signed_on="1-3-2026", signed_by="Jan").status_code == 302
    assert client.get(f"/ouderenzorg/locatie/{location_id}").status_code == 404
    soup = checked_page(admin, f"{BASE}/locatie/{location_id}")
    assert "Alleen locaties die actief zijn in het register komen online" in soup.select_one(
        "#online-state").text


# -- refused input ------------------------------------------------------------------------------

@pytest.mark.parametrize("data, field, message", [
    ({"signed_on": "", "signed_by": "Jan"}, "signed_on",
     "Vul de datum in waarop de overeenkomst is ondertekend."),
    ({"signed_on": "morgen", "signed_by": "Jan"}, "signed_on",
     "Vul een bestaande datum in zoals 15-3-2026."),
    ({"signed_on": "31-2-2026", "signed_by": "Jan"}, "signed_on",
     "Vul een bestaande datum in zoals 15-3-2026."),
    ({"signed_on": "1-3-1899", "signed_by": "Jan"}, "signed_on",
     "Vul een bestaande datum in zoals 15-3-2026."),
    ({"signed_on": "3-3-2026", "signed_by": "Jan"}, "signed_on",
     "De datum van ondertekening ligt in de toekomst. Vul de datum in waarop de overeenkomst "
     "echt is ondertekend."),
    ({"signed_on": "1-3-2026", "signed_by": "  "}, "signed_by",
     "Vul in wie de overeenkomst ondertekende."),
    ({"signed_on": "1-3-2026", "signed_by": "J" * 201}, "signed_by",
     "Gebruik maximaal 200 tekens. Je hebt er nu 201."),
    ({"signed_on": "1-3-2026", "signed_by": "Jan", "note": "n" * 1001}, "note",
     "Gebruik maximaal 1000 tekens. Je hebt er nu 1001."),
])
def test_bad_agreement_input_says_what_to_do(app, admin, waiting, data, field, message):
    response = record(admin, waiting, **data)
    assert response.status_code == 200
    soup = page(response)
    assert summary(soup) == [message]
    assert field_errors(soup) == {field: message}
    assert soup.title.get_text().startswith("Fout: WZC Ter Beke")
    # Nothing typed is lost.
    assert soup.select_one("#signed_on")["value"] == data["signed_on"]
    assert soup.select_one("#signed_by")["value"] == data["signed_by"]
    assert agreements_of(app, waiting) == []


@pytest.mark.parametrize("typed, day", [("1-3-2026", date(2026, 3, 1)),
                                        ("01/03/2026", date(2026, 3, 1)),
                                        ("1.3.2026", date(2026, 3, 1)),
                                        ("2026-03-01", date(2026, 3, 1)),
                                        (" 28 - 2 - 2026 ", date(2026, 2, 28))])
def test_dates_in_the_usual_forms(app, admin, waiting, typed, day):
    assert record(admin, waiting, signed_on=typed, signed_by="Jan").status_code == 302
    assert agreements_of(app, waiting)[0][0] == day


def test_a_new_agreement_cannot_start_before_the_last_one_ended(app, admin, linde):
    assert end(admin, linde, ended_on="1-2-2026").status_code == 302
    soup = page(record(admin, linde, signed_on="31-1-2026", signed_by="Jan"))
    assert summary(soup) == ["De vorige overeenkomst liep tot 1/02/2026. Een nieuwe overeenkomst "
                             "kan pas op die dag of later beginnen."]
    assert len(agreements_of(app, linde)) == 1


def test_an_end_before_the_signing_date_is_refused(app, admin, linde):
    soup = page(end(admin, linde, ended_on="31-12-2024", end_note="Te vroeg."))
    assert summary(soup) == ["De einddatum ligt voor de dag van ondertekening (1/01/2025). Kies "
                             "die dag of een latere dag."]
    assert soup.select_one("#end_note").get_text() == "Te vroeg."
    assert agreements_of(app, linde)[0][1] is None


def test_bad_end_dates_say_what_to_do(app, admin, linde):
    assert summary(page(end(admin, linde, ended_on=""))) == [
        "Vul de eerste dag in waarop de locatie niet meer meedoet."]
    assert summary(page(end(admin, linde, ended_on="1-13-2026"))) == [
        "Vul een bestaande datum in zoals 15-3-2026."]
    assert agreements_of(app, linde)[0][1] is None


def test_overlapping_agreements_are_refused(app, admin, linde, waiting):
    # A second agreement while one runs (a second tab, or another admin was first).
    token = csrf(checked_page(admin, f"{BASE}/locatie/{linde}"))
    response = admin.post(f"{BASE}/locatie/{linde}/overeenkomst",
                          data={"csrf_token": token, "signed_on": "1-3-2026",
                                "signed_by": "Jan"})
    soup = page(response)
    assert summary(soup) == ["Deze locatie heeft al een lopende overeenkomst. Registreer eerst "
                             "het einde ervan."]
    assert soup.select_one("#signed_by")["value"] == "Jan"
    # Ending where nothing runs.
    response = admin.post(f"{BASE}/locatie/{waiting}/einde",
                          data={"csrf_token": token, "ended_on": "1-3-2026"})
    assert summary(page(response)) == [
        "Deze locatie heeft geen lopende overeenkomst. Er is niets om te beëindigen."]
    assert len(agreements_of(app, linde)) == 1 and agreements_of(app, waiting) == []


# -- the existing writers and the CLI -----------------------------------------------------------

def test_start_and_end_participation_keep_their_old_calls(app_ctx):
    location = make_location(participating=False)
    participation = start_participation(location, date(2025, 1, 1), "oud")
    assert (participation.signed_by, participation.recorded_by_id) == ("", None)
    end_participation(location, date(2025, 6, 1))
    assert participation.ended_by_id is None


def test_the_cli_records_who_signed(app):
    with app.app_context():
        location = make_location(name="WZC Cli", participating=False)
        db.session.commit()
        code, location_id = location.code, location.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["participation", "start", code, "2026-01-05",
                                 "--signed-by", "Mia Jacobs", "--note", "via cli"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["participation", "start", code, "2026-01-06"])
    assert result.exit_code != 0
    assert "already has a participation" in result.output
    result = runner.invoke(args=["participation", "end", code, "2026-01-01"])
    assert "the end date lies before the signing date" in result.output
    [agreement] = agreements_of(app, location_id)
    assert agreement[:5] == (date(2026, 1, 5), None, "Mia Jacobs", "via cli", None)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participation)) == 1
