"""Stuur mijn links opnieuw: one question, the same answer for a known and an unknown address,
one mail with a status link per rating that still holds personal data, limits per IP and address."""
import logging
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.factories import make_location, make_rating
from tests.pagecheck import check_page, checked_page
from tests.publication.extras_helpers import STATUS_PREFIX
from tests.rating_form.helpers import csrf
from wdp.clock import now
from wdp.extensions import db, limiter
from wdp.mail.models import OutboxMessage
from wdp.mail.outbox import rendered
from wdp.mail.sender import send_due
from wdp.publication.links import rating_from_status_token

URL = "/mijn-links"
ADDRESS = "iemand@voorbeeld.test"


@pytest.fixture
def ratings(app):
    """Three ratings of ADDRESS with personal data (an older one in French), one erased, one
    of someone else: {name: (id, reference)}."""
    with app.app_context():
        linde = make_location(name="WZC De Linde")
        zon = make_location(sector="kinderopvang", name="Kinderdagverblijf De Zon")
        made = {
            "published": make_rating(linde, status="published", email=ADDRESS),
            "approved": make_rating(zon, status="approved", email=ADDRESS),
            "waiting": make_rating(linde, status="in_moderation", email=ADDRESS),
            "erased": make_rating(zon, status="rejected", email=ADDRESS),
            "other": make_rating(linde, status="approved", email="ander@voorbeeld.test"),
        }
        for number, rating in enumerate(made.values()):
            rating.reference = f"W-TEST{number}"
        made["approved"].language = "fr"
        made["erased"].personal_data_erased_at = now()
        db.session.commit()
        return {name: (rating.id, rating.reference) for name, rating in made.items()}


def ask(client, address):
    token = csrf(checked_page(client, URL))
    return client.post(URL, data={"csrf_token": token, "email": address})


def mails(app):
    with app.app_context():
        return [(row.recipient, row.template, row.language, rendered(row))
                for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_the_page_asks_one_question(client):
    soup = checked_page(client, URL)
    assert soup.select_one("h1").get_text(strip=True) == "Stuur mijn links opnieuw"
    assert soup.title.get_text().startswith("Stuur mijn links opnieuw")
    form = soup.select_one("main form")
    assert form["method"] == "post" and form["action"] == URL
    field = form.select_one("input#email")
    assert field["type"] == "email" and field["autocomplete"] == "email"
    assert form.select_one("label[for=email]").get_text(strip=True) == "Wat is je e-mailadres?"
    assert field["aria-describedby"] == "email-hint"
    assert len(form.select("input:not([type=hidden])")) == 1


def test_every_page_links_to_it_from_the_footer(client):
    for url in ("/", "/contact", URL):
        link = checked_page(client, url).select_one(f"footer a[href='{URL}']")
        assert link.get_text(strip=True) == "Stuur mijn links opnieuw", url
    # The help page explains it too.
    assert checked_page(client, "/contact").select_one(f"main a[href='{URL}']")


def test_known_and_unknown_addresses_get_the_same_answer(app, client, ratings, caplog):
    with caplog.at_level(logging.DEBUG):
        known = ask(app.test_client(), ADDRESS)
        unknown = ask(app.test_client(), "niemand@voorbeeld.test")
    for response in (known, unknown):
        assert response.status_code == 302
        assert response.headers["Location"] == "/mijn-links/verstuurd"
        assert response.headers["Cache-Control"] == "no-store"
    assert known.data == unknown.data
    pages = [checked_page(app.test_client(), "/mijn-links/verstuurd").select_one("main")
             for _ in range(2)]
    assert pages[0] == pages[1]
    assert "Stuurde je een waardering met dit e-mailadres?" in pages[0].get_text()
    assert ADDRESS not in caplog.text and "niemand@" not in caplog.text
    # Only the known address gets a mail.
    assert [(to, template) for to, template, _lang, _mail in mails(app)] == [
        (ADDRESS, "lost_links")]


def test_the_mail_lists_each_rating_with_its_status_link(app, client, ratings):
    response = ask(client, " Iemand@Voorbeeld.TEST ")
    assert response.status_code == 302
    [(to, _template, language, mail)] = mails(app)
    # The mail goes out in the language of the newest rating.
    assert to == ADDRESS and language == "nl"
    assert mail.subject == "Je links naar je waarderingen"
    links = re.findall(r"https?://\S+", mail.text)
    status_links = [link for link in links if STATUS_PREFIX in link]
    assert len(status_links) == 3
    with app.app_context():
        ids = [rating_from_status_token(link.split(STATUS_PREFIX)[1]).id
               for link in status_links]
    # Newest first; the erased rating and the other address's rating are not there.
    assert ids == [ratings["waiting"][0], ratings["approved"][0], ratings["published"][0]]
    for name in ("waiting", "approved", "published"):
        assert f"Referentienummer {ratings[name][1]}" in mail.text
    for name in ("erased", "other"):
        assert ratings[name][1] not in mail.text and ratings[name][1] not in mail.html
    blocks = mail.text.split("Waardering over ")[1:]
    assert blocks[0].startswith("WZC De Linde") and "Nu: De redactie leest je waardering." in (
        blocks[0])
    assert blocks[1].startswith("Kinderdagverblijf De Zon") and (
        "Nu: Goedgekeurd, nog niet online." in blocks[1])
    assert "Nu: Online." in blocks[2]
    html = BeautifulSoup(mail.html, "html.parser")
    anchors = [a for a in html.select("a") if STATUS_PREFIX in a["href"]]
    assert [a["href"] for a in anchors] == status_links
    assert anchors[1].get_text(strip=True) == "Bekijk je waardering over Kinderdagverblijf De Zon"


def test_the_mail_speaks_the_language_of_the_newest_rating(app, client, ratings):
    with app.app_context():
        from wdp.rating_form.models import Rating
        db.session.get(Rating, ratings["waiting"][0]).language = "fr"
        db.session.commit()
    ask(client, ADDRESS)
    [(_to, _template, language, mail)] = mails(app)
    assert language == "fr"
    assert "La rédaction lit votre évaluation." in mail.text


def test_the_mail_arrives_over_smtp(app, client, ratings, smtp):
    ask(client, ADDRESS)
    with app.app_context():
        counts = send_due()
    assert counts.sent == 1
    [(recipients, mail)] = smtp.received
    assert recipients == [ADDRESS]
    assert mail["Subject"] == "Je links naar je waarderingen"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert text.count(STATUS_PREFIX) == 3
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert html.count(STATUS_PREFIX) == 3
    # Each link opens that rating's status page, in a browser without any cookie.
    paths = re.findall(r"https?://[^/\s]+(" + STATUS_PREFIX + r"\S+)", text)
    assert len(paths) == 3
    for path in paths:
        page = checked_page(app.test_client(), path)
        assert any(reference in page.get_text() for _id, reference in ratings.values()), path


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Vul je e-mailadres in."),
    ("   ", "Vul je e-mailadres in."),
    ("iemand", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
    ("iemand@@voorbeeld.test", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
    ("a" * 250 + "@voorbeeld.test", "Je e-mailadres is te lang. Kijk na of het klopt."),
    ("iemand@mailinator.com", "Gebruik een e-mailadres dat je zelf leest. Een wegwerpadres kan niet."),
    ("iemand @voorbeeld.test", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
])
def test_bad_input_shows_what_to_do(app, client, ratings, typed, message):
    response = ask(client, typed)
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    check_page(soup)
    assert soup.title.get_text().startswith("Fout: Stuur mijn links opnieuw")
    link = soup.select_one(".error-summary a")
    assert link["href"] == "#email" and link.get_text(strip=True) == message
    assert soup.select_one("#email-error").get_text(" ", strip=True) == f"Fout: {message}"
    assert "email-error" in soup.select_one("#email")["aria-describedby"]
    assert mails(app) == []


def test_without_csrf_token_nothing_happens(app, client, ratings):
    checked_page(client, URL)
    assert client.post(URL, data={"email": ADDRESS}).status_code == 400
    assert mails(app) == []


def test_per_ip_rate_limit(app, ratings):
    limiter.enabled = True
    app.config["WDP_RATELIMIT_LOST_LINKS"] = "2 per hour"
    try:
        # fresh browsers, one IP address: the limit counts the IP
        codes = [ask(app.test_client(), f"persoon{n}@voorbeeld.test").status_code
                 for n in range(3)]
        page_still_opens = app.test_client().get(URL).status_code
    finally:
        limiter.enabled = False
        app.config["WDP_RATELIMIT_LOST_LINKS"] = "10 per hour"
        limiter.reset()
    assert codes == [302, 302, 429]
    assert page_still_opens == 200


def test_per_address_limit_in_the_database(app, client, ratings, clock):
    limit = app.config["WDP_MAX_LOST_LINK_MAILS_PER_HOUR"]
    for _ in range(limit + 2):
        assert ask(app.test_client(), ADDRESS).status_code == 302
    assert len(mails(app)) == limit
    clock.advance(minutes=61)
    ask(app.test_client(), ADDRESS)
    assert len(mails(app)) == limit + 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == ADDRESS)) == limit + 1
