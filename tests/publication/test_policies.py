"""Every publication policy end to end: the editors approve, real mail arrives, its links are followed."""

import pytest

from tests.publication.helpers import (
    EMAIL,
    START,
    approved_rating,
    events_to,
    link_starting,
    mails,
    page,
    press,
    rating_state,
)
from wdp.extensions import db
from wdp.locations.models import Location


@pytest.fixture
def clock(app):
    from tests.editors.helpers import Clock
    return Clock(app, START)


def deliver(app, smtp, to=EMAIL):
    """Send what the outbox holds through the real SMTP server: (subject, plain text) of
    the mails that reached `to`."""
    from wdp.mail.sender import send_due
    before = len(smtp.received)
    with app.app_context():
        send_due()
    return [(mail["Subject"], mail.get_body(("plain",)).get_content())
            for recipients, mail in smtp.received[before:] if to in recipients]


def run_jobs(app):
    from wdp.jobs import run_jobs as run
    with app.app_context():
        done = run()
        db.session.remove()
        return done


def published_count(app, rating_id):
    with app.app_context():
        rating = rating_state(app, rating_id)
        return db.session.get(Location, rating.location_id).published_count


def test_opt_in_publish_link_from_the_real_mail_puts_it_online(app, client, clock, smtp):
    rating_id = approved_rating(app, "opt_in")
    [(subject, body)] = deliver(app, smtp)
    assert "goedgekeurd" in subject
    assert rating_state(app, rating_id).status == "approved"
    publish = link_starting(body, "/publiceren/")
    link_starting(body, "/niet-publiceren/")
    status = link_starting(body, "/mijn-waardering/")
    # A mail scanner opens the link: nothing happens.
    page(client, publish)
    client.head(publish)
    assert rating_state(app, rating_id).status == "approved"
    response = press(client, publish)
    assert response.headers["Location"] == status
    rating = rating_state(app, rating_id)
    assert rating.status == "published" and rating.publication_policy == "opt_in"
    assert published_count(app, rating_id) == 1
    _response, soup = page(client, status)
    assert "Gelukt. Je waardering staat nu online." in soup.get_text()
    # The mail after publication holds the withdraw link.
    [(subject, body)] = deliver(app, smtp)
    assert "staat online" in subject
    link_starting(body, "/intrekken/")
    link_starting(body, "/mijn-waardering/")


def test_opt_in_not_publish_link(app, client, clock, smtp):
    rating_id = approved_rating(app, "opt_in")
    [(_subject, body)] = deliver(app, smtp)
    press(client, link_starting(body, "/niet-publiceren/"))
    assert rating_state(app, rating_id).status == "not_published"
    # The publish link of the same mail now explains it is too late, and changes nothing.
    _response, soup = page(client, link_starting(body, "/publiceren/"), status=409)
    assert "niet te publiceren" in soup.h1.get_text()
    assert rating_state(app, rating_id).status == "not_published"


def test_consent_with_consent_publishes_at_approval_and_says_so(app, client, clock, smtp):
    rating_id = approved_rating(app, "consent", consent=True)
    assert rating_state(app, rating_id).status == "published"
    assert events_to(app, rating_id, "published") == 1
    assert published_count(app, rating_id) == 1
    [(subject, body)] = deliver(app, smtp)
    assert "staat online" in subject and "toestemming" in body
    withdraw = link_starting(body, "/intrekken/")
    press(client, withdraw)
    rating = rating_state(app, rating_id)
    assert rating.status == "withdrawn" and rating.email is None and rating.experience_text == ""
    assert published_count(app, rating_id) == 0


@pytest.mark.parametrize("consent", [False, None])
def test_consent_without_consent_is_opt_in(app, client, clock, smtp, consent):
    rating_id = approved_rating(app, "consent", consent=consent)
    [(_subject, body)] = deliver(app, smtp)
    assert rating_state(app, rating_id).status == "approved"
    assert rating_state(app, rating_id).publication_policy == "consent"
    press(client, link_starting(body, "/publiceren/"))
    assert rating_state(app, rating_id).status == "published"


def test_auto_publish_goes_online_after_the_days_unless_refused(app, client, clock, smtp):
    kept = approved_rating(app, "auto_publish")
    refused = approved_rating(app, "auto_publish", email="nee@voorbeeld.test")
    sent = len(smtp.received)
    [(subject, body)] = deliver(app, smtp)
    assert "binnenkort online" in subject and "16 maart 2026" in body
    link_starting(body, "/publiceren/")
    [(to, refusal)] = smtp.received[sent + 1:]
    assert to == ["nee@voorbeeld.test"]
    press(client, link_starting(refusal.get_body(("plain",)).get_content(), "/niet-publiceren/"))
    clock.advance(days=13, hours=23)
    assert run_jobs(app)["auto-published ratings"] == 0
    # No reminders under auto-publish.
    assert [s for s, _b in deliver(app, smtp)] == []
    clock.advance(hours=2)
    assert run_jobs(app)["auto-published ratings"] == 1
    assert rating_state(app, kept).status == "published"
    assert events_to(app, kept, "published") == 1
    assert rating_state(app, refused).status == "not_published"
    [(subject, body)] = deliver(app, smtp)
    assert "staat online" in subject
    link_starting(body, "/intrekken/")
    assert run_jobs(app)["auto-published ratings"] == 0


@pytest.mark.parametrize("language,month", [("fr", "mars"), ("en", "March")])
def test_mails_go_out_in_the_ratings_language_with_dates_in_it(app, clock, language, month):
    rating_id = approved_rating(app, "auto_publish", language=language)
    [mail] = mails(app, "rating_approved")
    assert mail.language == language and f"16 {month} 2026" in mail.text.replace(
        "March 16, 2026", "16 March 2026")
    assert rating_state(app, rating_id).status == "approved"
    other = approved_rating(app, "opt_in", language=language, email="ander@voorbeeld.test")
    clock.advance(days=3, minutes=1)
    assert run_jobs(app)["first reminders"] == 1
    [reminder] = mails(app, "rating_reminder", "ander@voorbeeld.test")
    assert reminder.language == language and month in reminder.text
    assert rating_state(app, other).status == "approved"
