"""Editors' organisation page: locations without an address, and revoking a contact's link."""
import logging

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.editors.helpers import sign_in_fully
from tests.factories import make_location, make_rating
from tests.organisations.helpers import ORG_EMAIL, follow_link, issue_link, rated_location
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.organisations.models import OrganisationContact
from wdp.tokens import LinkToken

URL = "/redactie/organisaties"


@pytest.fixture
def signed_in(client, clock, editor):
    sign_in_fully(client, clock, editor[1])
    return client


def test_only_editors_open_the_pages(app, client):
    contact_id, _raw = issue_link(app, ORG_EMAIL)
    for url in (URL, f"{URL}/{contact_id}/intrekken"):
        response = client.get(url)
        assert response.status_code == 302 and "/redactie/aanmelden" in response.headers["Location"]
    response = client.post(f"{URL}/{contact_id}/intrekken", data={"reason": "x"})
    assert response.status_code in (302, 400)
    with app.app_context():
        assert db.session.get(OrganisationContact, contact_id).revoked_at is None
    # An organisation session is no editor session.
    org = app.test_client()
    rated_location(app, ratings=[(4, "Goed.", {})])
    _contact, raw = issue_link(app, ORG_EMAIL)
    follow_link(org, raw)
    assert org.get(URL).status_code == 302


def test_participating_locations_without_an_address_are_listed_with_their_ratings(
        app, signed_in):
    with app.app_context():
        silent = make_location(email=None, name="Huis Zonder Adres")
        for _ in range(3):
            make_rating(silent)
        make_location(email="", name="Huis Leeg Adres")
        make_location(email=None, name="Doet Niet Mee", participating=False)
        make_location(email=ORG_EMAIL, name="Huis Met Adres")
        db.session.commit()
    page = checked_page(signed_in, URL)
    rows = [[td.get_text(strip=True) for td in tr.select("td")]
            for tr in page.select("table")[0].select("tbody tr")]
    assert [(r[0], r[3]) for r in rows] == [("Huis Zonder Adres", "3"), ("Huis Leeg Adres", "0")]
    # The start page links here.
    start = checked_page(signed_in, "/redactie/")
    assert start.select_one(f"a[href='{URL}']")


def test_revoke_asks_a_reason_then_ends_every_link_and_session(app, signed_in, caplog):
    rated_location(app, ratings=[(4, "Goed.", {})], name="WZC Zonnebloem")
    contact_id, first = issue_link(app, ORG_EMAIL)
    _contact, second = issue_link(app, ORG_EMAIL)
    org = app.test_client()
    follow_link(org, first)
    assert org.get("/organisatie/").status_code == 200
    page = checked_page(signed_in, URL)
    link = page.select_one(f"a[href='{URL}/{contact_id}/intrekken']")
    assert ORG_EMAIL in link.get_text(" ")
    page = checked_page(signed_in, link["href"])
    assert page.h1.get_text(strip=True) == f"Trek de link van {ORG_EMAIL} in"
    assert "WZC Zonnebloem" in page.get_text()
    token = page.select_one("[name=csrf_token]")["value"]
    # No reason: a clear message, nothing revoked.
    response = signed_in.post(link["href"], data={"csrf_token": token, "reason": "  "})
    soup = BeautifulSoup(response.data, "html.parser")
    assert response.status_code == 200 and soup.title.get_text().startswith("Fout:")
    assert soup.select_one(".error-summary a").get_text(strip=True) \
        == "Schrijf waarom je de link intrekt."
    assert org.get("/organisatie/").status_code == 200
    caplog.set_level(logging.INFO, logger="wdp.organisations")
    response = signed_in.post(link["href"], data={
        "csrf_token": token, "reason": "Link ging naar een\nverkeerd adres"})
    assert response.status_code == 303 and response.headers["Location"] == URL
    assert f"revoked the link of organisation contact {contact_id}: " \
           "Link ging naar een verkeerd adres" in caplog.text
    assert ORG_EMAIL not in caplog.text
    notice = checked_page(signed_in, URL).select_one(".notice").get_text(strip=True)
    assert "is ingetrokken" in notice
    # The open session ends at once; both mailed links stop working.
    assert org.get("/organisatie/").status_code == 403
    for raw in (first, second):
        fresh = app.test_client()
        fresh.get(f"/organisatie/link/{raw}")
        assert fresh.get("/organisatie/openen").status_code == 410
    with app.app_context():
        tokens = db.session.scalars(select(LinkToken).where(
            LinkToken.subject_id == contact_id, LinkToken.purpose == "organisation")).all()
        assert len(tokens) == 2 and all(t.revoked_at for t in tokens)
        assert db.session.get(OrganisationContact, contact_id).revoked_at is not None


def test_revoke_of_an_unknown_contact_is_a_404(app, signed_in):
    assert signed_in.get(f"{URL}/999999/intrekken").status_code == 404


def test_contacts_are_searchable_and_paged(app, signed_in):
    with app.app_context():
        from wdp.organisations.access import contact_for
        for n in range(55):
            contact_for(f"locatie{n:02d}@voorbeeld.test")
        db.session.commit()
    page = checked_page(signed_in, URL)
    assert len(page.select("table")[-1].select("tbody tr")) == 50
    nxt = page.select_one("nav.pagination a[rel=next]")["href"]
    assert len(checked_page(signed_in, nxt).select("table")[-1].select("tbody tr")) == 5
    page = checked_page(signed_in, URL + "?q=LOCATIE07")
    assert [td.get_text(strip=True) for td in page.select("table tbody tr td:first-child")] \
        == ["locatie07@voorbeeld.test"]
    page = checked_page(signed_in, URL + "?q=%25_%5C")
    assert "Geen e-mailadres gevonden" in page.get_text()
    assert signed_in.get(URL + "?pagina=9").status_code == 404
