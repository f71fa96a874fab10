"""Decisions on the item page: events, statuses, mails, bad input, CSRF and two editors at once."""
import threading

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.editors.helpers import get, make_editor, post_with_token, sign_in_fully
from tests.mailbox import snapshot
from tests.moderation.test_inbox import EMAIL, add_waiting
from tests.pagecheck import check_page
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.moderation import decisions
from wdp.moderation.models import RatingEvent
from wdp.moderation.workflow import ConcurrentTransition
from wdp.rating_form.models import Rating


def decide(client, rating_id, data):
    soup = get(client, f"/redactie/inbox/{rating_id}")
    token = soup.select_one("input[name=csrf_token]")["value"]
    return client.post(f"/redactie/inbox/{rating_id}", data={"csrf_token": token, **data})


def page_of(response):
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    return soup


def state(app, rating_id):
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        events = db.session.scalars(select(RatingEvent).where(
            RatingEvent.rating_id == rating_id).order_by(RatingEvent.id)).all()
        mails = [snapshot(row) for row in db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id))]
        db.session.expunge_all()
        return rating, events, mails


def test_approve_records_the_event_mails_the_submitter_and_opens_the_next(
        app, signed_in, clock, editor):
    rating_id = add_waiting(app, clock, minutes_ago=100)
    next_id = add_waiting(app, clock, minutes_ago=50)
    add_waiting(app, clock, sector="kinderopvang", minutes_ago=500)  # another sector
    response = decide(signed_in, rating_id, {"decision": "approved"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/redactie/inbox/{next_id}"
    rating, events, mails = state(app, rating_id)
    assert rating.status == "approved"
    assert rating.reserved_by_id is None and rating.reserved_until is None
    last = events[-1]
    assert (last.actor_type, last.actor_id, last.from_status, last.to_status) == (
        "editor", editor[0], "in_moderation", "approved")
    assert [(m.template, m.recipient, m.language) for m in mails] == [
        ("rating_approved", EMAIL, "nl")]
    assert rating.reference in mails[0].subject and "goedgekeurd" in mails[0].text
    soup = page_of(signed_in.get(f"/redactie/inbox/{next_id}"))
    assert soup.select_one("[role=status]").get_text(strip=True) == (
        "Beslissing bewaard: goedgekeurd")
    assert state(app, next_id)[0].reserved_by_id == editor[0]


def test_reject_with_reasons_and_message_in_the_ratings_language(app, signed_in, clock, editor):
    rating_id = add_waiting(app, clock, language="fr")
    soup = get(signed_in, f"/redactie/inbox/{rating_id}")
    # The message starts from the template in the rating's language.
    assert soup.select_one("#reject_message").get_text().startswith(
        "Merci pour votre évaluation.")
    response = decide(signed_in, rating_id, {
        "decision": "rejected", "reasons": ["anonymity", "staff"],
        "reject_message": "Merci. Elle cite un nom."})
    assert response.headers["Location"] == "/redactie/inbox"
    rating, events, mails = state(app, rating_id)
    assert rating.status == "rejected"
    assert (events[-1].reasons, events[-1].message) == ("anonymity,staff",
                                                         "Merci. Elle cite un nom.")
    assert [(m.template, m.recipient, m.language) for m in mails] == [
        ("rating_rejected", EMAIL, "fr")]
    assert "Merci. Elle cite un nom." in mails[0].text
    assert "L'auteur ou l'usager peut être reconnu." in mails[0].text
    assert "Elle attaque le personnel ou le nomme." in mails[0].html
    soup = page_of(signed_in.get("/redactie/inbox"))
    assert [p.get_text(strip=True) for p in soup.select("[role=status] p")] == [
        "Beslissing bewaard: afgewezen", "Er wacht nu niets in Ouderenzorg."]


def test_ask_for_changes_mails_the_message(app, signed_in, clock):
    rating_id = add_waiting(app, clock, language="en")
    response = decide(signed_in, rating_id, {
        "decision": "changes_requested", "changes_message": "Please leave out the name."})
    assert response.status_code == 302
    rating, events, mails = state(app, rating_id)
    assert rating.status == "changes_requested"
    assert events[-1].message == "Please leave out the name."
    assert [(m.template, m.recipient, m.language) for m in mails] == [
        ("rating_changes_requested", EMAIL, "en")]
    assert "Please leave out the name." in mails[0].text
    # the mail's link opens the answers again, and resending returns the rating to the queue
    import re

    from tests.rating_form.helpers import post_form
    path = re.search(r"http://wdp\.test(/aanpassen/\S+)", mails[0].text).group(1)
    submitter = app.test_client()
    assert post_form(submitter, path, {}).headers["Location"] == "/waardering/controle"
    assert post_form(submitter, "/waardering/controle", {}).headers["Location"] == (
        "/waardering/verstuurd")
    rating, events, _mails = state(app, rating_id)
    assert rating.status == "in_moderation" and events[-1].actor_type == "submitter"


def test_signal_goes_to_the_agency_without_the_submitters_address(app, signed_in, clock):
    rating_id = add_waiting(app, clock, text="Mijn moeder krijgt slagen. " + EMAIL,
                            language="fr")
    response = decide(signed_in, rating_id, {
        "decision": "signalled", "signal_note": "Mogelijk geweld tegen een bewoner.",
        "reject_message": "genegeerd", "reasons": ["anonymity"]})
    assert response.status_code == 302
    rating, events, mails = state(app, rating_id)
    assert rating.status == "signalled"
    assert (events[-1].to_status, events[-1].message, events[-1].reasons) == (
        "signalled", "Mogelijk geweld tegen een bewoner.", "")
    assert len(mails) == 1, "the submitter gets no mail about a signal"
    mail = mails[0]
    assert (mail.template, mail.language) == ("signal", "nl")
    with app.app_context():
        from wdp.sectors.models import Sector
        agency = db.session.scalar(select(Sector.signal_email).where(
            Sector.slug == "ouderenzorg"))
    assert mail.recipient == agency != EMAIL
    assert "Mogelijk geweld tegen een bewoner." in mail.text
    assert rating.reference in mail.text and "Mijn moeder krijgt slagen." in mail.text
    assert "Antwoord 0." in mail.text and "Locatie" in mail.text
    # The address appears once: inside the text the submitter typed, never as a field.
    assert mail.text.count(EMAIL) == 1 and "E-mailadres" not in mail.text


def test_signal_without_the_address_anywhere(app, signed_in, clock):
    rating_id = add_waiting(app, clock, text="Er gebeuren gevaarlijke dingen.")
    decide(signed_in, rating_id, {"decision": "signalled", "signal_note": "Gevaar."})
    mail = state(app, rating_id)[2][0]
    assert EMAIL not in mail.text and EMAIL not in mail.html
    assert EMAIL not in mail.subject


def test_a_decision_mail_arrives_over_smtp(app, signed_in, clock, smtp):
    rating_id = add_waiting(app, clock)
    decide(signed_in, rating_id, {"decision": "rejected", "reasons": ["swearing"],
                                  "reject_message": "Er staan scheldwoorden in je tekst."})
    from wdp.mail.sender import send_due
    with app.app_context():
        send_due()
    assert len(smtp.received) == 1
    recipients, mail = smtp.received[0]
    assert recipients == [EMAIL]
    assert "Je waardering komt niet online" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "Er staan scheldwoorden in je tekst." in body and "Er staan scheldwoorden in." in body


# -- bad input ------------------------------------------------------------------------------

def assert_nothing_saved(app, rating_id):
    rating, events, mails = state(app, rating_id)
    assert rating.status == "in_moderation" and len(events) == 3 and not mails


def test_reject_without_a_reason_keeps_the_text(app, signed_in, clock):
    rating_id = add_waiting(app, clock)
    response = decide(signed_in, rating_id, {"decision": "rejected",
                                             "reject_message": "Mijn eigen tekst."})
    assert response.status_code == 200
    soup = page_of(response)
    assert soup.title.get_text().startswith("Fout: ")
    summary = soup.select_one(".error-summary")
    assert summary.select_one("a")["href"] == "#reasons-0"
    assert summary.get_text(" ", strip=True).endswith("Kies minstens één reden uit de gedragscode.")
    assert soup.select_one("#reasons-0")
    assert soup.select_one("#reject_message").get_text() == "Mijn eigen tekst."
    assert "Kies minstens één reden" in soup.select_one("#decide-reject .field-error").get_text()
    assert_nothing_saved(app, rating_id)


def test_the_reasons_speak_the_editors_language(app, signed_in, clock):
    # Fresh (rendered once per worker and language) and after an error.
    rating_id = add_waiting(app, clock)
    signed_in.get("/taal/fr")
    labels = [label.get_text() for label in get(signed_in, f"/redactie/inbox/{rating_id}")
              .select("#decide-reject .checkbox label")]
    assert "Elle contient des injures." in labels and "Er staan scheldwoorden in." not in labels
    soup = page_of(decide(signed_in, rating_id, {"decision": "rejected", "reject_message": "x"}))
    assert "Elle contient des injures." in soup.select_one("#decide-reject").get_text()


@pytest.mark.parametrize("decision,field,value,message", [
    ("rejected", "reject_message", "   ", "Schrijf een bericht aan de indiener."),
    ("rejected", "reject_message", "x" * 2001, "Gebruik maximaal 2000 tekens. Je hebt er nu 2001."),
    ("changes_requested", "changes_message", "", "Schrijf wat de indiener moet aanpassen."),
    ("changes_requested", "changes_message", "y" * 2500, "Gebruik maximaal 2000 tekens."),
    ("signalled", "signal_note", "", "Schrijf voor het agentschap waarom je dit signaleert."),
])
def test_an_empty_or_too_long_message_is_refused(app, signed_in, clock, decision, field, value,
                                                 message):
    rating_id = add_waiting(app, clock)
    response = decide(signed_in, rating_id, {"decision": decision, field: value,
                                             "reasons": ["swearing"]})
    soup = page_of(response)
    assert soup.select_one(".error-summary a")["href"] == f"#{field}"
    assert message in soup.select_one(".error-summary").get_text()
    if value.strip():
        assert soup.select_one(f"#{field}").get_text() == value
    if decision == "rejected":
        assert soup.select_one("#reasons-3").has_attr("checked")  # swearing stays ticked
    assert_nothing_saved(app, rating_id)


@pytest.mark.parametrize("data", [
    {"decision": "published"}, {"decision": "approve"}, {},
    {"decision": "rejected", "reasons": ["made-up"], "reject_message": "x"}])
def test_a_forged_decision_or_reason_is_refused(app, signed_in, clock, data):
    rating_id = add_waiting(app, clock)
    response = decide(signed_in, rating_id, data)
    assert response.status_code == 200
    soup = page_of(response)
    assert soup.select_one(".error-summary")
    assert_nothing_saved(app, rating_id)


def test_a_decision_on_an_unknown_rating_is_a_404(app, signed_in):
    response = post_with_token(signed_in, "/redactie/inbox/424242", {"decision": "approved"})
    assert response.status_code == 404


def test_a_post_without_a_valid_token_is_refused(app, signed_in, clock):
    rating_id = add_waiting(app, clock)
    for data in ({"decision": "approved"}, {"decision": "approved", "csrf_token": "forged"}):
        response = signed_in.post(f"/redactie/inbox/{rating_id}", data=data)
        assert response.status_code == 400
    assert_nothing_saved(app, rating_id)


def test_a_decision_on_an_item_already_decided_says_who_decided_what(app, clock, editor):
    rating_id = add_waiting(app, clock)
    _, bert_secret = make_editor(app, email="bert@redactie.test", name="Bert Smets")
    anna, bert = app.test_client(), app.test_client()
    sign_in_fully(anna, clock, editor[1])
    sign_in_fully(bert, clock, bert_secret, email="bert@redactie.test")
    soup = get(bert, f"/redactie/inbox/{rating_id}")  # Bert opens the page first
    token = soup.select_one("input[name=csrf_token]")["value"]
    decide(anna, rating_id, {"decision": "approved"})
    response = bert.post(f"/redactie/inbox/{rating_id}", data={
        "csrf_token": token, "decision": "rejected", "reasons": ["swearing"],
        "reject_message": "Bert zijn tekst."})
    assert response.status_code == 200
    soup = page_of(response)
    summary = soup.select_one(".error-summary").get_text(" ", strip=True)
    assert "Deze waardering is al beoordeeld door Anna Peeters om 2/03/2026 10:00: goedgekeurd" in (
        summary)
    assert soup.select_one(".error-summary a")["href"] == "#decision"
    assert soup.select_one("#decision")
    assert soup.select_one("#reject_message").get_text() == "Bert zijn tekst."
    rating, events, mails = state(app, rating_id)
    assert rating.status == "approved" and len(events) == 4 and len(mails) == 1


def test_two_editors_deciding_at_once_record_exactly_one_event(app, clock, editor):
    """Two threads, each with its own database session, decide the same rating together."""
    rating_id = add_waiting(app, clock)
    bert_id, _ = make_editor(app, email="bert@redactie.test", name="Bert Smets")
    barrier = threading.Barrier(2)
    outcomes = []

    def work(editor_id, decision):
        with app.app_context():
            from wdp.editors.models import Editor
            rating = db.session.get(Rating, rating_id)
            assert rating.status == "in_moderation"
            person = db.session.get(Editor, editor_id)
            barrier.wait()
            try:
                decisions.decide(rating, decision, person, reasons=("swearing",),
                                 message="Nee.")
                db.session.commit()
                outcomes.append(decision)
            except ConcurrentTransition:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(editor[0], "approved")),
               threading.Thread(target=work, args=(bert_id, "rejected"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) in (["approved", "refused"], ["refused", "rejected"])
    rating, events, mails = state(app, rating_id)
    decided = [e for e in events if e.from_status == "in_moderation"]
    assert len(decided) == 1 and decided[0].to_status == rating.status
    assert len(mails) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatingEvent).where(
            RatingEvent.rating_id == rating_id)) == 4
