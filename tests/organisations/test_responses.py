"""The response form of an organisation: who may write, the help, the preview, bad input, rewrites."""
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_editor, make_location, make_rating
from tests.organisations import helpers
from tests.pagecheck import check_page, checked_page
from wdp.extensions import db
from wdp.moderation.workflow import transition as rating_transition
from wdp.organisations import responses
from wdp.organisations.models import Response, ResponseEvent
from wdp.rating_form.models import Rating, RatingAnswer
from wdp.sectors.models import Theme

ORG = "info@huize-zon.test"
OTHER_ORG = "info@ander-huis.test"
SUBMITTER = "iemand@voorbeeld.test"
TEXT = ("Bedankt voor uw waardering. Het spijt ons dat het eten koud was.\n"
        "Kom gerust eens langs. Warme groeten, het team.")


def published_rating(app, email=ORG, score=2, text="Het eten is vaak koud.", language="nl",
                     submitter=SUBMITTER, status="published", name=None, sector="ouderenzorg"):
    """A rating of a location whose register address is `email`, with theme answers: its id."""
    with app.app_context():
        location = make_location(email=email, name=name, sector=sector)
        rating = make_rating(location, status=status, score=score, text=text, email=submitter)
        rating.language = language
        rating.reference = f"W-R{rating.id:05d}"
        themes = db.session.scalars(select(Theme).where(
            Theme.sector_id == location.sector_id, Theme.is_current)
            .order_by(Theme.position)).all()
        for n, theme in enumerate(themes[:3]):
            rating.answers.append(RatingAnswer(theme_id=theme.id, score=None if n == 1 else 2 + n,
                                               text=f"Thema-antwoord {n}."))
        db.session.commit()
        return rating.id


def open_session(app, client, email):
    """An organisation session opened at the test clock's time (the helper reads the clock
    only inside an app context)."""
    with app.app_context():
        return helpers.open_session(app, client, email)


def page_of(response):
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return soup


def token_of(soup):
    return soup.select_one("input[name=csrf_token]")["value"]


def post(client, rating_id, text, action):
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")
    return client.post(f"/organisatie/reactie/{rating_id}",
                       data={"csrf_token": token_of(soup), "text": text, "action": action})


def send(client, rating_id, text=TEXT):
    """Write, preview and send, as a person does: the response of the last POST."""
    preview = page_of(post(client, rating_id, text, "preview"))
    return client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(preview), "text": preview.select_one("input[name=text]")["value"],
        "action": "send"})


def response_of(app, rating_id):
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        if response is None:
            return None, []
        events = db.session.scalars(select(ResponseEvent).where(
            ResponseEvent.response_id == response.id).order_by(ResponseEvent.id)).all()
        db.session.expunge_all()
        return response, events


def editor_decides(app, rating_id, decision, reasons=(), message=""):
    with app.app_context():
        editor = make_editor(name="Eva Redactie")
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.decide(response, decision, editor, reasons=reasons, message=message)
        db.session.commit()


# -- who may write ----------------------------------------------------------------------------

def test_without_an_organisation_session_the_form_says_how_to_get_one(app, client, clock):
    rating_id = published_rating(app)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}", status=403)
    assert soup.h1.get_text(strip=True) == "Open eerst de link uit je mail"
    assert "Het eten is vaak koud." not in soup.get_text()
    assert soup.select_one("main a[href='/organisatie/']")
    assert checked_page(client, f"/organisatie/reactie/{rating_id}/verstuurd", status=403)


def test_a_post_after_the_session_ended_keeps_what_was_typed(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert not soup.select(".sectors-nav [aria-current]")  # not a sector's page
    clock.advance(minutes=app.config["WDP_ORG_SESSION_IDLE_MINUTES"] + 1)
    response = client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(soup), "text": "Mijn lange reactie.", "action": "send"})
    assert response.status_code == 403
    soup = page_of(response)
    assert soup.h1.get_text(strip=True) == "Open eerst de link uit je mail"
    assert soup.select_one(".typed-text .rating-text").get_text() == "Mijn lange reactie."
    assert response_of(app, rating_id)[0] is None


def test_a_session_for_one_location_cannot_see_or_answer_anothers_rating(app, client, clock):
    mine = published_rating(app, email=ORG)
    theirs = published_rating(app, email=OTHER_ORG, text="Geheime tekst van een ander huis.")
    open_session(app, client, ORG)
    checked_page(client, f"/organisatie/reactie/{mine}")
    soup = checked_page(client, f"/organisatie/reactie/{theirs}", status=404)
    assert soup.h1.get_text(strip=True) == "Deze waardering vinden we niet bij je locaties"
    assert "Geheime tekst" not in soup.get_text() and "Thema-antwoord" not in soup.get_text()
    token = token_of(checked_page(client, f"/organisatie/reactie/{mine}"))
    for action in ("preview", "send"):
        response = client.post(f"/organisatie/reactie/{theirs}", data={
            "csrf_token": token, "text": TEXT, "action": action})
        assert response.status_code == 404
        assert b"Geheime tekst" not in response.data
    assert response_of(app, theirs)[0] is None
    # An unknown rating looks the same: the page never tells whether a rating exists.
    unknown = checked_page(client, "/organisatie/reactie/987654", status=404)
    assert unknown.h1.get_text(strip=True) == soup.h1.get_text(strip=True)
    checked_page(client, f"/organisatie/reactie/{theirs}/verstuurd", status=404)


def test_a_shared_address_covers_every_location_with_it(app, client, clock):
    first = published_rating(app, email=ORG)
    second = published_rating(app, email="INFO@huize-zon.test")  # same address, other case
    open_session(app, client, ORG)
    checked_page(client, f"/organisatie/reactie/{first}")
    checked_page(client, f"/organisatie/reactie/{second}")


def test_a_post_without_a_valid_token_is_refused(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    for data in ({"text": TEXT, "action": "send"},
                 {"text": TEXT, "action": "send", "csrf_token": "vervalst"}):
        assert client.post(f"/organisatie/reactie/{rating_id}", data=data).status_code == 400
    assert response_of(app, rating_id)[0] is None


# -- the form helps ---------------------------------------------------------------------------

def test_the_form_shows_the_rating_the_elements_of_a_good_response_and_examples(
        app, client, clock):
    rating_id = published_rating(app, score=2, text="Het eten is vaak koud.\nDe zorg is goed.")
    open_session(app, client, ORG)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert soup.h1.get_text(strip=True) == "Reageer op deze waardering"
    assert soup.title.get_text().startswith("Reageer op deze waardering")
    rating = soup.select_one(".rating-to-answer")
    assert "Slecht" in rating.select_one(".rating-overall").get_text()
    assert rating.select_one(".rating-experience").get_text() == (
        "Het eten is vaak koud.\nDe zorg is goed.")
    themes = rating.select(".theme-answers .summary-row")
    assert len(themes) == 3
    assert "Thema-antwoord 0." in themes[0].get_text()
    assert "Ik weet het niet of het past niet" in themes[1].get_text()
    guidance = [li.get_text(" ", strip=True) for li in soup.select("#good-response li")]
    assert len(guidance) == 5
    assert guidance[0].startswith("Bedank") and "spijt" in guidance[1]
    assert "wat de schrijver precies vertelt" in guidance[2]
    assert "gesprek" in guidance[3] and guidance[4] == "Sluit warm af."
    # A negative rating: saying sorry is the point in bold.
    assert soup.select_one("#good-response li strong")
    assert "Het spijt ons" in soup.select_one(".example-negative").get_text()
    assert "Bedankt voor uw mooie waardering" in soup.select_one(".example-positive").get_text()
    area = soup.select_one("textarea#text")
    assert area["data-limit"] == "2000"
    assert "maximaal 2000 tekens" in soup.select_one("#text-hint").get_text()
    assert area["aria-describedby"] == "text-hint"
    assert soup.select_one("#text-count")  # the live count (JavaScript) goes here
    assert soup.select_one("button[name=action][value=preview]").get_text(strip=True) == "Bekijk"
    # Nobody's e-mail address is shown to the organisation.
    assert SUBMITTER not in soup.decode()


def test_a_positive_rating_does_not_stress_saying_sorry(app, client, clock):
    rating_id = published_rating(app, score=5, text="Heel fijn.")
    open_session(app, client, ORG)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert not soup.select("#good-response li strong")


def test_preview_edit_and_send_lose_nothing(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    response = post(client, rating_id, TEXT, "preview")
    assert response.status_code == 200
    soup = page_of(response)
    assert soup.h1.get_text(strip=True) == "Kijk je reactie na"
    assert soup.select_one(".response-preview-text").get_text() == TEXT
    assert "Reactie van Zorggroep Test" in soup.select_one(".response h2").get_text()
    assert f"telt {len(TEXT)} tekens" in soup.select_one(".char-total").get_text()
    assert soup.select_one("input[name=text]")["value"] == TEXT
    buttons = [(b["value"], b.get_text(strip=True)) for b in soup.select("main form button")]
    assert buttons == [("send", "Verstuur"), ("edit", "Wijzig")]
    assert response_of(app, rating_id)[0] is None  # a preview saves nothing
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # "Wijzig": back to the form with the text, and no error messages.
    edit = page_of(client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(soup), "text": TEXT, "action": "edit"}))
    assert edit.select_one("textarea#text").get_text() == TEXT
    assert not edit.select(".error-summary")
    # "Verstuur"
    sent = client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(soup), "text": TEXT, "action": "send"})
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/organisatie/reactie/{rating_id}/verstuurd"
    row, events = response_of(app, rating_id)
    assert (row.status, row.text) == ("in_moderation", TEXT)
    assert row.submitted_at == clock.now and row.contact_id is not None
    assert [(e.from_status, e.to_status, e.actor_type, e.text) for e in events] == [
        (None, "in_moderation", "organisation", TEXT)]
    page = checked_page(client, f"/organisatie/reactie/{rating_id}/verstuurd")
    assert page.select_one(".panel h1").get_text(strip=True) == "Je reactie is verstuurd"
    text = page.main.get_text(" ", strip=True)
    assert "De redactie leest je reactie eerst." in text
    assert "Meestal hoor je binnen enkele werkdagen iets." in text


def test_the_confirmation_says_how_long_the_check_usually_takes(app, client, clock):
    with app.app_context():
        editor = make_editor()
        for hours in (2, 3, 5, 8, 30):
            location = make_location(email=f"x{hours}@voorbeeld.test")
            rating = make_rating(location)
            response = Response(rating=rating, text="Dank u.", contact_id=None)
            responses.transition(response, "in_moderation", actor_type="organisation")
            db.session.flush()
            response.submitted_at = clock.now - timedelta(days=2, hours=hours)
            responses.transition(response, "approved", actor_type="editor", actor_id=editor.id)
            response.decided_at = clock.now - timedelta(days=2)
        db.session.commit()
        # 2, 3, 5, 8 and 30 hours: the median is 5 hours.
        assert responses.usual_wait(clock.now) == timedelta(hours=5)
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    assert send(client, rating_id).status_code == 302
    page = checked_page(client, f"/organisatie/reactie/{rating_id}/verstuurd")
    assert "Dat duurt meestal ongeveer 5 uur." in page.main.get_text(" ", strip=True)


def test_the_confirmation_page_without_a_response_goes_to_the_form(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    response = client.get(f"/organisatie/reactie/{rating_id}/verstuurd")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisatie/reactie/{rating_id}"


# -- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["preview", "send"])
@pytest.mark.parametrize("text,message", [
    ("", "Schrijf je reactie."),
    ("   \n  ", "Schrijf je reactie."),
    ("\x00\x01\x02", "Schrijf je reactie."),
    ("x" * 2001, "Gebruik maximaal 2000 tekens. Je hebt er nu 2001."),
    ("Bedankt! <b>Kom langs</b>", "zonder HTML-code"),
    ('Zie <a href="https://voorbeeld.test">onze site</a>.', "zonder HTML-code"),
    ("Dank u <script>alert(1)</script>", "zonder HTML-code"),
    ("Tot ziens <!-- verborgen -->", "zonder HTML-code"),
])
def test_bad_input_gets_a_clear_message_next_to_the_field_and_keeps_the_text(
        app, client, clock, action, text, message):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    response = post(client, rating_id, text, action)
    assert response.status_code == 200
    soup = page_of(response)
    assert soup.title.get_text().startswith("Fout: ")
    summary = soup.select_one(".error-summary")
    assert summary.select_one("a")["href"] == "#text"
    assert message in summary.get_text()
    assert message in soup.select_one("#text-error").get_text()
    assert "text-error" in soup.select_one("textarea#text")["aria-describedby"]
    if text.strip() and "\x00" not in text:
        assert soup.select_one("textarea#text").get_text() == text
    assert response_of(app, rating_id)[0] is None


@pytest.mark.parametrize("text", ["Wij scoren <3 op 5? Dat kan beter.", "Als a < b en c > d.",
                                  "Prijs: 2 <> 3 euro", "x" * 2000])
def test_text_that_only_looks_a_little_like_html_is_fine(app, client, clock, text):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    assert send(client, rating_id, text).status_code == 302
    assert response_of(app, rating_id)[0].text == text


def test_a_forged_action_is_a_preview(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    soup = page_of(post(client, rating_id, TEXT, "verzin-iets"))
    assert soup.h1.get_text(strip=True) == "Kijk je reactie na"
    assert response_of(app, rating_id)[0] is None


# -- one response per rating ------------------------------------------------------------------

def test_a_second_response_is_refused_while_the_first_waits_and_once_it_is_online(
        app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")  # opened before sending
    assert send(client, rating_id).status_code == 302
    page = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert page.h1.get_text(strip=True) == "Je reactie wacht op de redactie"
    assert page.select_one(".response .rating-text").get_text() == TEXT
    assert not page.select("textarea")
    # The page opened earlier sends a second one: refused, and what was typed is shown.
    second = client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(soup), "text": "Een tweede reactie.", "action": "send"})
    assert second.status_code == 409
    refused = page_of(second)
    assert refused.h1.get_text(strip=True) == "Je reactie wacht op de redactie"
    assert refused.select_one(".typed-text .rating-text").get_text() == "Een tweede reactie."
    row, events = response_of(app, rating_id)
    assert row.text == TEXT and len(events) == 1
    editor_decides(app, rating_id, "approved")
    page = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert page.h1.get_text(strip=True) == "Je hebt al op deze waardering gereageerd"
    assert send_refused(client, rating_id, soup) == 409


def send_refused(client, rating_id, soup):
    return client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(soup), "text": "Nog eens.", "action": "preview"}).status_code


def test_a_removed_response_cannot_be_written_again(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")
    send(client, rating_id)
    editor_decides(app, rating_id, "approved")
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.take_off(response, make_editor(name="Tom"), "Toch niet gepast.")
        db.session.commit()
    page = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert page.h1.get_text(strip=True) == "Je reactie is van de site gehaald"
    assert send_refused(client, rating_id, soup) == 409


@pytest.mark.parametrize("status", ["in_moderation", "approved", "withdrawn", "removed",
                                    "rejected"])
def test_a_rating_that_is_not_online_cannot_get_a_response(app, client, clock, status):
    rating_id = published_rating(app, status=status)
    open_session(app, client, ORG)
    page = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert page.h1.get_text(strip=True) == "Deze waardering staat niet online"
    assert not page.select("textarea")
    token = token_of(checked_page(client, f"/organisatie/reactie/{published_rating(app)}"))
    response = client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token, "text": "Mijn tekst.", "action": "send"})
    assert response.status_code == 409
    assert "Mijn tekst." in page_of(response).select_one(".typed-text").get_text()
    assert response_of(app, rating_id)[0] is None


def test_a_rating_withdrawn_between_preview_and_send(app, client, clock):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    soup = page_of(post(client, rating_id, TEXT, "preview"))
    with app.app_context():
        rating_transition(db.session.get(Rating, rating_id), "withdrawn", actor_type="submitter")
        db.session.commit()
    response = client.post(f"/organisatie/reactie/{rating_id}", data={
        "csrf_token": token_of(soup), "text": TEXT, "action": "send"})
    assert response.status_code == 409
    assert page_of(response).select_one(".typed-text .rating-text").get_text() == TEXT
    assert response_of(app, rating_id)[0] is None


# -- rewriting after the editors sent it back -------------------------------------------------

@pytest.mark.parametrize("decision,reasons,message,shown", [
    ("rejected", ("staff",), "Noem geen medewerkers.",
     "Ze valt medewerkers persoonlijk aan of noemt hen bij naam."),
    ("changes_requested", (), "Laat de naam van de verpleegster weg.",
     "De redactie vraagt je om je reactie aan te passen."),
])
def test_after_the_editors_sent_it_back_the_same_response_is_rewritten(
        app, client, clock, decision, reasons, message, shown):
    rating_id = published_rating(app)
    open_session(app, client, ORG)
    send(client, rating_id, "Bedankt. Verpleegster Els van Dam kijkt het na.")
    editor_decides(app, rating_id, decision, reasons=reasons, message=message)
    clock.advance(minutes=30)
    soup = checked_page(client, f"/organisatie/reactie/{rating_id}")
    assert soup.h1.get_text(strip=True) == "Schrijf je reactie opnieuw"
    notice = soup.select_one(".editors-decision")
    assert message in notice.select_one(".editors-message").get_text()
    assert shown in notice.get_text()
    assert soup.select_one("textarea#text").get_text() == (
        "Bedankt. Verpleegster Els van Dam kijkt het na.")
    new_text = "Bedankt. Ons team kijkt het na. Kom gerust langs."
    assert send(client, rating_id, new_text).status_code == 302
    row, events = response_of(app, rating_id)
    assert (row.status, row.text, row.submitted_at) == ("in_moderation", new_text, clock.now)
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "in_moderation"), ("in_moderation", decision), (decision, "in_moderation")]
    # The history keeps the earlier text.
    assert events[0].text == "Bedankt. Verpleegster Els van Dam kijkt het na."
    assert events[-1].text == new_text
    with app.app_context():
        assert len(db.session.scalars(select(Response).where(
            Response.rating_id == rating_id)).all()) == 1
