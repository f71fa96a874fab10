"""The response queue of the editors' inbox: who may come in, counts, "Volgende", the item page,
decisions with their mails, bad input and two editors at once."""
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.editors.helpers import get, make_editor, post_with_token, sign_in_fully
from tests.factories import make_location, make_rating
from tests.mailbox import outbox
from tests.organisations import helpers as org_helpers
from tests.pagecheck import check_page, checked_page
from wdp.extensions import db
from wdp.moderation.workflow import transition as rating_transition
from wdp.organisations import responses
from wdp.organisations.models import Response, ResponseEvent

ORG = "info@huize-zon.test"
SUBMITTER = "iemand@voorbeeld.test"
TEXT = "Bedankt voor uw waardering. Het spijt ons. Kom gerust langs. Groeten, het team."


def add_response(app, clock, *, sector="ouderenzorg", minutes_ago=60, text=TEXT, email=ORG,
                 rating_text="Het eten is koud.", score=2, language="nl"):
    """A published rating with a response waiting for the editors: the response's id."""
    with app.app_context():
        location = make_location(sector=sector, email=email)
        rating = make_rating(location, score=score, text=rating_text, email=SUBMITTER)
        rating.reference = f"W-Q{rating.id:05d}"
        rating.language = language
        from wdp.organisations import access
        contact = access.contact_for(email)
        response = Response(rating=rating, text=text, contact_id=contact.id)
        responses.transition(response, "in_moderation", actor_type="organisation")
        db.session.flush()
        response.submitted_at = clock.now - timedelta(minutes=minutes_ago)
        db.session.commit()
        return response.id


def press_next(client, sector=None):
    soup = get(client, "/redactie/inbox")
    data = {"csrf_token": soup.select_one("input[name=csrf_token]")["value"]}
    if sector:
        data["sector"] = sector
    return client.post("/redactie/reacties/volgende", data=data)


def decide(client, response_id, data):
    soup = get(client, f"/redactie/reacties/{response_id}")
    token = soup.select_one("input[name=csrf_token]")["value"]
    return client.post(f"/redactie/reacties/{response_id}", data={"csrf_token": token, **data})


def page_of(response):
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return soup


def state(app, response_id):
    with app.app_context():
        response = db.session.get(Response, response_id)
        events = db.session.scalars(select(ResponseEvent).where(
            ResponseEvent.response_id == response_id).order_by(ResponseEvent.id)).all()
        db.session.expunge_all()
        return response, events


def response_mails(app):
    return [m for m in outbox(app) if m.template.startswith("response_")]


# -- who may come in --------------------------------------------------------------------------

ROUTES = [("get", "/redactie/reacties/1"), ("post", "/redactie/reacties/volgende"),
          ("post", "/redactie/reacties/1"), ("post", "/redactie/reacties/1/van-de-site")]


@pytest.mark.parametrize("method,url", ROUTES)
def test_anonymous_people_and_organisations_are_sent_to_the_editors_sign_in(
        app, client, clock, method, url):
    response_id = add_response(app, clock)
    url = url.replace("/1", f"/{response_id}")
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        anonymous = getattr(client, method)(url, data={"decision": "approved"})
        organisation = app.test_client()
        with app.app_context():
            org_helpers.open_session(app, organisation, ORG)
        as_org = getattr(organisation, method)(url, data={"decision": "approved",
                                                          "take_off_message": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    for refused in (anonymous, as_org):
        assert refused.status_code == 302
        assert refused.headers["Location"].startswith("/redactie/aanmelden")
    assert state(app, response_id)[0].status == "in_moderation"


def test_an_editor_whose_session_ended_is_refused(app, signed_in, clock):
    response_id = add_response(app, clock)
    clock.advance(minutes=app.config["WDP_EDITOR_IDLE_MINUTES"] + 1)
    response = signed_in.get(f"/redactie/reacties/{response_id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/redactie/aanmelden")


def test_admins_are_editors_too(app, client, clock):
    _, secret = make_editor(app, email="admin@redactie.test", role="admin")
    sign_in_fully(client, clock, secret, email="admin@redactie.test")
    response_id = add_response(app, clock)
    checked_page(client, f"/redactie/reacties/{response_id}")


def test_the_editors_pages_are_never_cached(app, signed_in, clock):
    response_id = add_response(app, clock)
    response = signed_in.get(f"/redactie/reacties/{response_id}")
    assert response.headers["Cache-Control"] == "no-store"


# -- the queue on the inbox's start page ------------------------------------------------------

def test_the_inbox_counts_waiting_responses_per_sector_next_to_the_ratings(
        app, signed_in, clock):
    add_response(app, clock, minutes_ago=60 * 50)
    add_response(app, clock, minutes_ago=30)
    add_response(app, clock, sector="kinderopvang", minutes_ago=90)
    decided = add_response(app, clock, sector="handicap")
    with app.app_context():
        responses.transition(db.session.get(Response, decided), "approved", actor_type="editor")
        db.session.commit()
    soup = checked_page(signed_in, "/redactie/inbox")
    assert soup.select_one("#queue-ouderenzorg")  # the rating queues are still there
    elder = soup.select_one("#response-queue-ouderenzorg")
    assert elder.select_one(".queue-count").get_text(strip=True) == "2 reacties wachten"
    assert "2 dagen" in elder.select_one(".queue-age").get_text()
    assert "28/02/2026 08:00" in elder.select_one(".queue-age").get_text()
    child = soup.select_one("#response-queue-kinderopvang")
    assert child.select_one(".queue-count").get_text(strip=True) == "1 reactie wacht"
    assert "2 uur" in child.select_one(".queue-age").get_text()
    handicap = soup.select_one("#response-queue-handicap")
    assert handicap.select_one(".queue-count").get_text(strip=True) == "0 reacties wachten"
    assert not handicap.select("button")
    assert "3 reacties wachten in alle sectoren samen." in soup.select_one(
        ".response-total").get_text()
    assert soup.select_one("form[action='/redactie/reacties/volgende'] button").get_text(
        strip=True) == "Volgende reactie uit alle sectoren"


def test_next_opens_the_oldest_and_reserves_it(app, signed_in, clock, editor):
    newer = add_response(app, clock, minutes_ago=10)
    older = add_response(app, clock, minutes_ago=100)
    response = press_next(signed_in)
    assert response.headers["Location"] == f"/redactie/reacties/{older}"
    row = state(app, older)[0]
    assert (row.reserved_by_id, row.reserved_until) == (
        editor[0], clock.now + timedelta(minutes=app.config["WDP_RESERVATION_MINUTES"]))
    assert state(app, newer)[0].reserved_by_id is None
    soup = checked_page(signed_in, f"/redactie/reacties/{older}")
    assert "Open bij jou tot 10:10." in soup.select_one(".reservation").get_text()
    assert press_next(signed_in).headers["Location"] == f"/redactie/reacties/{older}"


def test_two_editors_get_different_responses_until_the_reservation_ends(app, clock, editor):
    first = add_response(app, clock, minutes_ago=100)
    second = add_response(app, clock, minutes_ago=50)
    bert_id, bert_secret = make_editor(app, email="bert@redactie.test", name="Bert Smets")
    anna, bert = app.test_client(), app.test_client()
    sign_in_fully(anna, clock, editor[1])
    sign_in_fully(bert, clock, bert_secret, email="bert@redactie.test")
    assert press_next(anna).headers["Location"] == f"/redactie/reacties/{first}"
    assert press_next(bert).headers["Location"] == f"/redactie/reacties/{second}"
    soup = checked_page(bert, f"/redactie/reacties/{first}")
    assert "Open bij Anna Peeters tot 10:10." in soup.select_one(".reservation").get_text()
    clock.advance(minutes=11)
    assert press_next(bert).headers["Location"] == f"/redactie/reacties/{first}"
    assert state(app, first)[0].reserved_by_id == bert_id
    assert state(app, second)[0].reserved_by_id is None  # one at a time


def test_next_per_sector_and_an_empty_queue(app, signed_in, clock):
    elder = add_response(app, clock, minutes_ago=100)
    child = add_response(app, clock, sector="kinderopvang", minutes_ago=10)
    assert press_next(signed_in, "kinderopvang").headers["Location"] == (
        f"/redactie/reacties/{child}")
    assert press_next(signed_in, "ouderenzorg").headers["Location"] == (
        f"/redactie/reacties/{elder}")
    response = press_next(signed_in, "handicap")
    assert response.headers["Location"] == "/redactie/inbox"
    soup = checked_page(signed_in, "/redactie/inbox")
    assert "Er wacht nu geen reactie in Personen met een handicap." in soup.select_one(
        "[role=status]").get_text()
    assert press_next(signed_in, "bestaat-niet").status_code == 404
    assert signed_in.post("/redactie/reacties/volgende").status_code == 400


def test_a_waiting_rating_is_not_in_the_response_queue(app, signed_in, clock):
    with app.app_context():
        make_rating(make_location(), status="in_moderation")
        db.session.commit()
    assert press_next(signed_in).headers["Location"] == "/redactie/inbox"


# -- the item page ----------------------------------------------------------------------------

def test_the_item_page_shows_the_rating_the_response_and_its_history(app, signed_in, clock):
    response_id = add_response(app, clock, text="Dank u. Bel Els van Dam op 0470 12 34 56.",
                               rating_text="Het eten is koud.\nDe zorg is goed.")
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    with app.app_context():
        rating = db.session.get(Response, response_id).rating
        reference, location = rating.reference, rating.location
        location_name, location_id = location.name, location.id
    assert soup.h1.get_text(strip=True) == f"Reactie op waardering {reference}"
    assert soup.select_one(".response-status").get_text(strip=True) == "Wacht op de redactie"
    assert "Nog 1 reactie wacht in Ouderenzorg." in soup.select_one(".queue-left").get_text()
    page = soup.main.get_text(" ", strip=True)
    assert location_name in page and "Ouderenzorg" in page
    assert soup.select_one(f"a[href='/ouderenzorg/locatie/{location_id}']")
    assert soup.select_one(".overall-score").get_text(strip=True) == "Slecht (2/5)"
    assert "De zorg is goed." in page
    assert soup.select_one(".response-contact").get_text(strip=True) == ORG
    # Parts of the response that look like a person's name or number are marked.
    assert [m.get_text() for m in soup.select(".response-text mark")] == [
        "Els van Dam", "0470 12 34 56"]
    events = [li.get_text(" ", strip=True) for li in soup.select(".history-event")]
    assert len(events) == 1 and "organisatie" in events[0] and "Wacht op de redactie" in events[0]
    assert len(soup.select("main form[method=post]")) == 3
    assert soup.select_one("#decision")  # the "b" shortcut's target
    assert SUBMITTER not in soup.decode()
    assert not soup.select(".changes")


def test_a_rewritten_response_shows_what_changed(app, signed_in, clock, editor):
    response_id = add_response(app, clock, text="Bedankt. Verpleegster Els kijkt het na.")
    with app.app_context():
        response = db.session.get(Response, response_id)
        responses.transition(response, "changes_requested", actor_type="editor",
                             actor_id=editor[0], message="Geen namen.")
        responses.transition(response, "in_moderation", actor_type="organisation",
                             text="Bedankt. Ons team kijkt het na.")
        db.session.commit()
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    assert [d.get_text(" ", strip=True) for d in soup.select(".changes del")] == [
        "weggehaald: Verpleegster Els"]
    assert [i.get_text(" ", strip=True) for i in soup.select(".changes ins")] == [
        "toegevoegd: Ons team"]
    assert soup.select_one(".previous-version").get_text() == (
        "Bedankt. Verpleegster Els kijkt het na.")
    events = [li.get_text(" ", strip=True) for li in soup.select(".history-event")]
    assert len(events) == 3
    assert "Anna Peeters" in events[1] and "Geen namen." in events[1]
    assert [p.get_text() for p in soup.select(".history-text")] == [
        "Bedankt. Verpleegster Els kijkt het na.", "Bedankt. Ons team kijkt het na."]


def test_an_unknown_response_is_a_404_page(app, signed_in):
    checked_page(signed_in, "/redactie/reacties/999999", status=404)
    assert post_with_token(signed_in, "/redactie/reacties/999999",
                           {"decision": "approved"}).status_code == 404


def test_a_decided_response_shows_no_decisions(app, signed_in, clock):
    response_id = add_response(app, clock)
    with app.app_context():
        responses.transition(db.session.get(Response, response_id), "rejected",
                             actor_type="editor")
        db.session.commit()
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    assert not soup.select("main form[method=post]")
    assert soup.select_one(".response-status").get_text(strip=True) == "Afgewezen"


# -- decisions --------------------------------------------------------------------------------

def test_approve_records_the_event_mails_both_and_opens_the_next(app, signed_in, clock, editor):
    response_id = add_response(app, clock, minutes_ago=100, language="en")
    next_id = add_response(app, clock, minutes_ago=50, email="ander@huis.test")
    add_response(app, clock, sector="kinderopvang", minutes_ago=500, email="k@huis.test")
    response = decide(signed_in, response_id, {"decision": "approved"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/redactie/reacties/{next_id}"
    row, events = state(app, response_id)
    assert row.status == "approved" and row.approved_at == clock.now
    assert (row.reserved_by_id, row.reserved_until) == (None, None)
    assert (events[-1].actor_type, events[-1].actor_id, events[-1].from_status,
            events[-1].to_status, events[-1].text) == (
        "editor", editor[0], "in_moderation", "approved", TEXT)
    assert [(m.template, m.recipient, m.language) for m in response_mails(app)] == [
        ("response_approved", ORG, "nl"), ("response_published", SUBMITTER, "en")]
    soup = page_of(signed_in.get(f"/redactie/reacties/{next_id}"))
    assert "Beslissing bewaard: goedgekeurd en online" in soup.select_one(
        "[role=status]").get_text()


def test_reject_with_reasons_and_a_message(app, signed_in, clock):
    response_id = add_response(app, clock)
    response = decide(signed_in, response_id, {
        "decision": "rejected", "reasons": ["staff", "swearing"],
        "reject_message": "Noem geen medewerkers."})
    assert response.headers["Location"] == "/redactie/inbox"  # nothing else waits
    row, events = state(app, response_id)
    assert row.status == "rejected"
    assert (events[-1].reasons, events[-1].message) == ("staff,swearing", "Noem geen medewerkers.")
    [mail] = response_mails(app)
    assert mail.template == "response_rejected" and mail.recipient == ORG
    assert "Noem geen medewerkers." in mail.text and "Er staan scheldwoorden in." in mail.text
    assert "/organisatie/link/" in mail.text


def test_ask_for_changes_with_a_message(app, signed_in, clock):
    response_id = add_response(app, clock)
    decide(signed_in, response_id, {"decision": "changes_requested",
                                    "changes_message": "Maak ze korter."})
    row, events = state(app, response_id)
    assert row.status == "changes_requested" and events[-1].message == "Maak ze korter."
    [mail] = response_mails(app)
    assert mail.template == "response_changes_requested" and "Maak ze korter." in mail.text


def test_the_messages_start_from_a_template(app, signed_in, clock):
    response_id = add_response(app, clock)
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    assert "Je mag een nieuwe reactie schrijven." in soup.select_one("#reject_message").get_text()
    assert "aanpassen" in soup.select_one("#changes_message").get_text()


def test_a_decision_mail_arrives_over_smtp(app, signed_in, clock, smtp):
    response_id = add_response(app, clock)
    decide(signed_in, response_id, {"decision": "rejected", "reasons": ["swearing"],
                                    "reject_message": "Er staan scheldwoorden in je reactie."})
    from wdp.mail.sender import send_due
    with app.app_context():
        send_due()
    [(recipients, mail)] = smtp.received
    assert recipients == [ORG]
    assert "Je reactie komt niet online" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "Er staan scheldwoorden in je reactie." in body and "/organisatie/link/" in body


def assert_nothing_saved(app, response_id):
    row, events = state(app, response_id)
    assert row.status == "in_moderation" and len(events) == 1 and not response_mails(app)


def test_reject_without_a_reason_keeps_the_text(app, signed_in, clock):
    response_id = add_response(app, clock)
    response = decide(signed_in, response_id, {"decision": "rejected",
                                               "reject_message": "Mijn eigen tekst."})
    assert response.status_code == 200
    soup = page_of(response)
    assert soup.title.get_text().startswith("Fout: ")
    summary = soup.select_one(".error-summary")
    assert summary.select_one("a")["href"] == "#reasons-0"
    assert "Kies minstens één reden uit de gedragscode." in summary.get_text()
    assert soup.select_one("#reject_message").get_text() == "Mijn eigen tekst."
    assert "Kies minstens één reden" in soup.select_one("#decide-reject .field-error").get_text()
    assert_nothing_saved(app, response_id)


@pytest.mark.parametrize("decision,field,value,message", [
    ("rejected", "reject_message", "   ", "Schrijf een bericht aan de organisatie."),
    ("rejected", "reject_message", "x" * 2001, "Gebruik maximaal 2000 tekens. Je hebt er nu 2001."),
    ("changes_requested", "changes_message", "", "Schrijf wat de organisatie moet aanpassen."),
    ("changes_requested", "changes_message", "y" * 2500, "Gebruik maximaal 2000 tekens."),
])
def test_an_empty_or_too_long_message_is_refused(app, signed_in, clock, decision, field, value,
                                                 message):
    response_id = add_response(app, clock)
    response = decide(signed_in, response_id, {"decision": decision, field: value,
                                               "reasons": ["swearing"]})
    soup = page_of(response)
    assert soup.select_one(".error-summary a")["href"] == f"#{field}"
    assert message in soup.select_one(".error-summary").get_text()
    if value.strip():
        assert soup.select_one(f"#{field}").get_text() == value
    if decision == "rejected":
        assert soup.select_one("#reasons-3").has_attr("checked")
    assert_nothing_saved(app, response_id)


@pytest.mark.parametrize("data", [
    {"decision": "signalled", "signal_note": "x"}, {"decision": "removed"},
    {"decision": "published"}, {},
    {"decision": "rejected", "reasons": ["made-up"], "reject_message": "x"}])
def test_a_forged_decision_or_reason_is_refused(app, signed_in, clock, data):
    response_id = add_response(app, clock)
    response = decide(signed_in, response_id, data)
    assert response.status_code == 200
    assert page_of(response).select_one(".error-summary")
    assert_nothing_saved(app, response_id)


def test_a_post_without_a_valid_token_is_refused(app, signed_in, clock):
    response_id = add_response(app, clock)
    for data in ({"decision": "approved"}, {"decision": "approved", "csrf_token": "forged"}):
        assert signed_in.post(f"/redactie/reacties/{response_id}", data=data).status_code == 400
    assert_nothing_saved(app, response_id)


def test_a_response_to_a_rating_no_longer_online_cannot_be_approved(app, signed_in, clock):
    response_id = add_response(app, clock)
    with app.app_context():
        rating = db.session.get(Response, response_id).rating
        rating_transition(rating, "removed", actor_type="editor")
        db.session.commit()
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    assert soup.select_one(".rating-offline")
    soup = page_of(decide(signed_in, response_id, {"decision": "approved"}))
    assert "De waardering staat niet meer online" in soup.select_one(".error-summary").get_text()
    assert_nothing_saved(app, response_id)
    decide(signed_in, response_id, {"decision": "rejected", "reasons": ["readability"],
                                    "reject_message": "De waardering is weg."})
    assert state(app, response_id)[0].status == "rejected"


def test_only_reasons_that_fit_a_response_are_offered(app, signed_in, clock):
    # "Not reliable" and "rated again soon" are about a rating's writer, not a response.
    response_id = add_response(app, clock)
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    offered = [box["value"] for box in soup.select("input[name=reasons]")]
    assert "swearing" in offered and "anonymity" in offered
    assert "reliability" not in offered and "repeat" not in offered
    soup = page_of(decide(signed_in, response_id, {
        "decision": "rejected", "reasons": ["repeat"], "reject_message": "Nee."}))
    assert soup.select_one(".error-summary")
    assert state(app, response_id)[0].status == "in_moderation"
    signed_in.get("/taal/fr")
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    assert "Elle contient des injures." in soup.select_one("#decide-reject").get_text()


def test_a_decision_on_a_response_already_decided_says_who_decided_what(app, clock, editor):
    response_id = add_response(app, clock)
    _, bert_secret = make_editor(app, email="bert@redactie.test", name="Bert Smets")
    anna, bert = app.test_client(), app.test_client()
    sign_in_fully(anna, clock, editor[1])
    sign_in_fully(bert, clock, bert_secret, email="bert@redactie.test")
    soup = get(bert, f"/redactie/reacties/{response_id}")  # Bert opens the page first
    token = soup.select_one("input[name=csrf_token]")["value"]
    decide(anna, response_id, {"decision": "approved"})
    response = bert.post(f"/redactie/reacties/{response_id}", data={
        "csrf_token": token, "decision": "rejected", "reasons": ["swearing"],
        "reject_message": "Bert zijn tekst."})
    assert response.status_code == 200
    soup = page_of(response)
    summary = soup.select_one(".error-summary").get_text(" ", strip=True)
    assert ("Deze reactie is al beoordeeld door Anna Peeters om 2/03/2026 10:00: "
            "goedgekeurd en online") in summary
    assert soup.select_one(".error-summary a")["href"] == "#decision"
    assert soup.select_one("#reject_message").get_text() == "Bert zijn tekst."
    row, events = state(app, response_id)
    assert row.status == "approved" and len(events) == 2
    assert [m.template for m in response_mails(app)] == ["response_approved",
                                                         "response_published"]


def test_the_second_of_two_concurrent_decisions_is_told_who_won(app, signed_in, clock, editor,
                                                               monkeypatch):
    """The conditional UPDATE refuses the later decision even after the page's own check."""
    response_id = add_response(app, clock)
    bert_id, _ = make_editor(app, email="bert@redactie.test", name="Bert Smets")
    soup = get(signed_in, f"/redactie/reacties/{response_id}")
    real_decide = responses.decide

    def bert_first(response, *args, **kwargs):
        # Bert's decision lands in another session between Anna's check and her UPDATE.
        with app.app_context():
            from wdp.editors.models import Editor
            other = db.session.get(Response, response_id)
            real_decide(other, "changes_requested", db.session.get(Editor, bert_id),
                        message="Korter graag.")
            db.session.commit()
            db.session.remove()
        return real_decide(response, *args, **kwargs)

    monkeypatch.setattr(responses, "decide", bert_first)
    response = signed_in.post(f"/redactie/reacties/{response_id}", data={
        "csrf_token": soup.select_one("input[name=csrf_token]")["value"],
        "decision": "approved"})
    assert response.status_code == 200
    summary = page_of(response).select_one(".error-summary").get_text(" ", strip=True)
    assert "al beoordeeld door Bert Smets" in summary and "aanpassing gevraagd" in summary
    row, events = state(app, response_id)
    assert row.status == "changes_requested" and len(events) == 2


# -- taking an approved response off ----------------------------------------------------------

def test_an_approved_response_can_be_taken_off_with_a_message(app, signed_in, clock, editor):
    response_id = add_response(app, clock)
    decide(signed_in, response_id, {"decision": "approved"})
    soup = checked_page(signed_in, f"/redactie/reacties/{response_id}")
    form = soup.select_one(f"form[action='/redactie/reacties/{response_id}/van-de-site']")
    token = form.select_one("input[name=csrf_token]")["value"]
    empty = signed_in.post(f"/redactie/reacties/{response_id}/van-de-site",
                           data={"csrf_token": token, "take_off_message": "  "})
    soup = page_of(empty)
    assert soup.title.get_text().startswith("Fout: ")
    assert soup.select_one(".error-summary a")["href"] == "#take_off_message"
    assert state(app, response_id)[0].status == "approved"
    done = signed_in.post(f"/redactie/reacties/{response_id}/van-de-site",
                          data={"csrf_token": token, "take_off_message": "Er staat een naam in."})
    assert done.status_code == 302
    row, events = state(app, response_id)
    assert row.status == "removed"
    assert (events[-1].actor_id, events[-1].message) == (editor[0], "Er staat een naam in.")
    assert response_mails(app)[-1].template == "response_removed"
    # Again: it is no longer online, and the page says so.
    again = signed_in.post(f"/redactie/reacties/{response_id}/van-de-site",
                           data={"csrf_token": token, "take_off_message": "Nog eens."})
    assert again.status_code == 200
    assert "al beoordeeld door Anna Peeters" in page_of(again).select_one(
        ".error-summary").get_text()


def test_with_htmx_the_next_item_keeps_its_own_address(app, signed_in, clock):
    response_id = add_response(app, clock)
    response = signed_in.get(f"/redactie/reacties/{response_id}", headers={"HX-Request": "true"})
    assert response.headers["HX-Push-Url"] == f"/redactie/reacties/{response_id}"
