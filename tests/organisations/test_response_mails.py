"""The mails of a response: to the organisation on each decision, to the submitter on approval."""
import re

import pytest
from sqlalchemy import select

from tests.factories import make_editor
from tests.mailbox import outbox
from tests.organisations.test_responses import ORG, SUBMITTER, TEXT, published_rating, send
from tests.organisations.test_responses import open_session as org_session
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.organisations import access, responses
from wdp.organisations.models import Response
from wdp.rating_form.models import Rating


def respond_and_decide(app, client, decision, reasons=(), message="", **rating):
    rating_id = published_rating(app, **rating)
    org_session(app, client, ORG)
    assert send(client, rating_id).status_code == 302
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.decide(response, decision, make_editor(), reasons=reasons, message=message)
        db.session.commit()
    return rating_id


def response_mails(app, recipient):
    return [mail for mail in outbox(app, recipient) if mail.template.startswith("response_")]


def test_sending_a_response_mails_nobody(app, client, clock):
    rating_id = published_rating(app)
    org_session(app, client, ORG)
    send(client, rating_id)
    assert response_mails(app, ORG) == [] and response_mails(app, SUBMITTER) == []


def test_approval_mails_the_organisation_and_the_submitter_in_the_ratings_language(
        app, client, clock):
    rating_id = respond_and_decide(app, client, "approved", language="fr",
                                   name="Huize Zon")
    [org] = response_mails(app, ORG)
    assert (org.template, org.language) == ("response_approved", "nl")
    assert "Je reactie staat online (Huize Zon)" == org.subject
    assert "Huize Zon" in org.text and TEXT in org.text
    assert "http://wdp.test/ouderenzorg/locatie/" in org.text
    assert "Slecht" in org.text  # the rating's score in words
    assert SUBMITTER not in org.text + org.html  # never the submitter's address
    [mail] = response_mails(app, SUBMITTER)
    assert (mail.template, mail.language) == ("response_published", "fr")
    assert TEXT in mail.text and "Huize Zon" in mail.text
    with app.app_context():
        reference = db.session.get(Rating, rating_id).reference
    assert reference in mail.subject
    assert "/mijn-waardering/" in mail.text  # the status link every submitter mail has
    assert "/organisatie/" not in mail.text  # never the organisation's link


def test_no_mail_to_the_submitter_once_the_address_is_erased(app, client, clock):
    rating_id = published_rating(app)
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        rating.email = None
        rating.personal_data_erased_at = clock.now
        db.session.commit()
    org_session(app, client, ORG)
    send(client, rating_id)
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.decide(response, "approved", make_editor())
        db.session.commit()
        templates = db.session.scalars(select(OutboxMessage.template)).all()
    assert [t for t in templates if t.startswith("response_")] == ["response_approved"]


def link_in(text):
    return re.search(r"http://wdp\.test/organisatie/link/(\S+)", text).group(1)


def test_rejection_mails_the_reasons_the_message_and_a_fresh_link(app, client, clock):
    respond_and_decide(app, client, "rejected", reasons=("staff", "swearing"),
                       message="Noem geen medewerkers bij naam.")
    [mail] = response_mails(app, ORG)
    assert mail.template == "response_rejected"
    assert "Je reactie komt niet online" in mail.subject
    for words in ("Noem geen medewerkers bij naam.",
                  "Ze valt medewerkers persoonlijk aan of noemt hen bij naam.",
                  "Er staan scheldwoorden in.", "Je mag een nieuwe reactie schrijven.", TEXT):
        assert words in mail.text
    token = link_in(mail.text)
    assert token in mail.html
    with app.app_context():
        state, row = access.token_state(token)
        assert state == "valid"
        assert row.subject_id == access.contact_for(ORG).id
    assert response_mails(app, SUBMITTER) == []


def test_changes_asked_mails_the_message_and_a_fresh_link(app, client, clock):
    respond_and_decide(app, client, "changes_requested", message="Laat de naam weg.")
    [mail] = response_mails(app, ORG)
    assert mail.template == "response_changes_requested"
    assert "Laat de naam weg." in mail.text and "Laat de naam weg." in mail.html
    with app.app_context():
        assert access.token_state(link_in(mail.text))[0] == "valid"
    assert response_mails(app, SUBMITTER) == []


def test_taking_off_mails_the_organisation(app, client, clock):
    rating_id = respond_and_decide(app, client, "approved")
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.take_off(response, make_editor(name="Tom"), "Er staat een naam in.")
        db.session.commit()
    mail = response_mails(app, ORG)[-1]
    assert mail.template == "response_removed" and "Er staat een naam in." in mail.text


def test_mails_go_to_the_locations_address_now(app, client, clock):
    """A location whose register address changed: the new address gets the decision."""
    rating_id = published_rating(app)
    org_session(app, client, ORG)
    send(client, rating_id)
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        rating.location.contact_email = "nieuw@huize-zon.test"
        response = db.session.scalar(select(Response).where(Response.rating_id == rating_id))
        responses.decide(response, "changes_requested", make_editor(), message="Korter.")
        db.session.commit()
    assert response_mails(app, ORG) == []
    [mail] = response_mails(app, "nieuw@huize-zon.test")
    with app.app_context():
        _state, token = access.token_state(link_in(mail.text))
        assert token.subject_id == access.contact_for("nieuw@huize-zon.test").id


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_submitter_mail_renders_in_every_language(app, client, clock, language):
    respond_and_decide(app, client, "approved", language=language)
    [mail] = response_mails(app, SUBMITTER)
    assert mail.language == language and TEXT in mail.text and mail.html.startswith("<!doctype")
    assert f'lang="{language}"' in mail.html


def test_a_decision_mail_arrives_over_smtp(app, client, clock, smtp):
    respond_and_decide(app, client, "approved", name="Huize Zon")
    from wdp.mail.sender import send_due
    with app.app_context():
        send_due()
    received = {tuple(rcpts): mail for rcpts, mail in smtp.received}
    org = received[(ORG,)]
    assert org["Subject"] == "Je reactie staat online (Huize Zon)"
    body = org.get_body(("plain",)).get_content()
    assert "Bedankt voor uw waardering." in body
    submitter = received[(SUBMITTER,)]
    assert "Zorggroep Test reageerde op je waardering" in submitter["Subject"]
    html = submitter.get_body(("html",)).get_content()
    assert "Het spijt ons dat het eten koud was." in html
