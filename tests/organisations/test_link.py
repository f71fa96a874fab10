"""The mailed organisation link: a cookie and a token-free page with one button, the session, sign-out."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.organisations.helpers import ORG_EMAIL, follow_link, issue_link, rated_location
from tests.pagecheck import checked_page
from wdp.extensions import db
from wdp.logredact import redact
from wdp.organisations import access
from wdp.organisations.views import LINK_COOKIE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def location(app):
    return rated_location(app, ratings=[(4, "Fijne plek.", {0: (5, "Lekker eten.")})])[0]


def _cookie(client):
    return client.get_cookie(LINK_COOKIE, path="/organisatie")


def test_the_link_only_keeps_the_token_in_a_cookie_and_moves_to_an_address_without_it(
        app, client, location):
    _contact, raw = issue_link(app, ORG_EMAIL)
    response = client.get(f"/organisatie/link/{raw}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/organisatie/openen"
    assert raw not in response.headers["Location"]
    header = response.headers["Set-Cookie"]
    assert f"{LINK_COOKIE}={raw}" in header
    for part in ("HttpOnly", "SameSite=Lax", "Path=/organisatie", "Max-Age=1800"):
        assert part in header
    assert "Secure" not in header  # http:// in tests; https:// turns it on
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # GET did nothing: no session yet.
    assert checked_page(client, "/organisatie/", status=403).h1.get_text(strip=True) \
        == "Open eerst de link uit je mail"


def test_the_button_page_then_the_post_opens_the_session_and_drops_the_cookie(
        app, client, location):
    _contact, raw = issue_link(app, ORG_EMAIL)
    client.get(f"/organisatie/link/{raw}")
    page = checked_page(client, "/organisatie/openen")
    assert page.h1.get_text(strip=True) == "Open de pagina van je organisatie"
    [form] = page.select("main form[method=post]")
    assert form["action"] == "/organisatie/openen"
    assert form.select_one("button").get_text(strip=True) == "Open de pagina van je organisatie"
    assert raw not in str(page)
    # A second GET (a mail scanner, a reload) still opens nothing.
    client.get("/organisatie/openen")
    assert client.get("/organisatie/").status_code == 403
    response = client.post("/organisatie/openen",
                           data={"csrf_token": form.select_one("[name=csrf_token]")["value"]})
    assert response.status_code == 303 and response.headers["Location"] == "/organisatie/"
    assert _cookie(client) is None
    assert response.headers["Cache-Control"] == "no-store"
    home = checked_page(client, "/organisatie/")
    assert "Fijne plek." in home.get_text()


def test_the_post_needs_its_csrf_token(app, client, location):
    _contact, raw = issue_link(app, ORG_EMAIL)
    client.get(f"/organisatie/link/{raw}")
    assert client.post("/organisatie/openen").status_code == 400
    assert client.get("/organisatie/").status_code == 403


@pytest.mark.parametrize("raw", ["onbekend-token-0123456789abcdef", "kort", "a" * 300,
                                 "%00%ff%3Cscript%3E", "..%2F..%2Fetc"])
def test_unknown_or_malformed_links_get_a_friendly_page(app, client, location, raw):
    response = client.get(f"/organisatie/link/{raw}")
    assert response.status_code in (303, 404)
    if response.status_code == 404:
        return  # a path werkzeug does not route (a slash in it): the normal 404 page
    page = checked_page(client, "/organisatie/openen", status=410)
    assert page.h1.get_text(strip=True) == "Deze link werkt niet"
    assert page.select_one("a[href='/organisatie/nieuwe-link']")
    assert _cookie(client) is None  # dropped with the answer
    assert client.get("/organisatie/").status_code == 403


def test_a_revoked_link_says_so_and_ends_open_sessions(app, client, location):
    contact_id, raw = issue_link(app, ORG_EMAIL)
    assert follow_link(client, raw).status_code == 303
    assert client.get("/organisatie/").status_code == 200
    other = app.test_client()
    other.get(f"/organisatie/link/{raw}")
    with app.app_context():
        from wdp.organisations.models import OrganisationContact
        access.revoke_link(db.session.get(OrganisationContact, contact_id))
        db.session.commit()
    page = checked_page(client, "/organisatie/", status=403)
    assert page.h1.get_text(strip=True) == "Je bent afgemeld"
    page = checked_page(other, "/organisatie/openen", status=410)
    assert page.h1.get_text(strip=True) == "Deze link werkt niet meer"
    # A new link (from the new-link page or a mail) works again.
    _contact, fresh = issue_link(app, ORG_EMAIL)
    assert follow_link(other, fresh).status_code == 303
    assert other.get("/organisatie/").status_code == 200


def test_without_the_cookie_the_page_says_to_open_the_mail_again(app, client, location):
    page = checked_page(client, "/organisatie/openen")
    assert page.h1.get_text(strip=True) == "Open de link uit je mail opnieuw"
    assert client.post("/organisatie/openen", data={}).status_code == 400


def test_sign_out_ends_the_session(app, client, location):
    _contact, raw = issue_link(app, ORG_EMAIL)
    follow_link(client, raw)
    home = checked_page(client, "/organisatie/")
    form = home.select_one("form[action='/organisatie/afmelden']")
    assert form.select_one("button").get_text(strip=True) == "Afmelden"
    response = client.post("/organisatie/afmelden",
                           data={"csrf_token": form.select_one("[name=csrf_token]")["value"]})
    assert response.status_code == 303
    assert checked_page(client, response.headers["Location"]).h1.get_text(strip=True) \
        == "Je bent afgemeld"
    assert client.get("/organisatie/").status_code == 403


def test_the_session_ends_when_idle_and_after_its_hours(app, client, clock, location):
    app.config.update(WDP_ORG_SESSION_IDLE_MINUTES=30, WDP_ORG_SESSION_HOURS=2)
    try:
        _contact, raw = issue_link(app, ORG_EMAIL)
        follow_link(client, raw)
        clock.advance(minutes=29)
        assert client.get("/organisatie/").status_code == 200
        clock.advance(minutes=29)  # active within the idle time: still open
        assert client.get("/organisatie/").status_code == 200
        clock.advance(minutes=31)
        page = checked_page(client, "/organisatie/", status=403)
        assert page.h1.get_text(strip=True) == "Je bent afgemeld"
        follow_link(client, raw)  # the link itself still works
        for _ in range(5):
            clock.advance(minutes=25)
            client.get("/organisatie/")
        assert client.get("/organisatie/").status_code == 403  # more than 2 hours in all
    finally:
        app.config.update(WDP_ORG_SESSION_IDLE_MINUTES=60, WDP_ORG_SESSION_HOURS=8)


def test_a_forged_session_mark_opens_nothing(app, client, location):
    with client.session_transaction() as session:
        session[access.SESSION_KEY] = {"token": "x", "since": "gisteren", "seen": 3}
    assert client.get("/organisatie/").status_code == 403
    with client.session_transaction() as session:
        session[access.SESSION_KEY] = {"token": 999999, "since": "2026-03-02T10:00:00",
                                       "seen": "2026-03-02T10:00:00"}
    assert client.get("/organisatie/").status_code == 403


def test_log_lines_never_hold_organisation_tokens():
    line = '"GET /organisatie/link/AbC_123-xyzXYZ0123456789abcdefghijklmnopq HTTP/1.1" 303'
    assert redact(line) == '"GET /organisatie/link/[token] HTTP/1.1" 303'


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_access_log_never_holds_the_organisation_token(app, database_url, tmp_path,
                                                                location):
    """The real server with gunicorn.conf.py (its RedactingLogger) and an access log file."""
    _contact, raw = issue_link(app, ORG_EMAIL)
    port = _free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "WDP_DATABASE_URL": database_url, "WDP_SECRET_KEY": "x"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "--access-logfile", str(log), "-w", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/over", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        try:
            opener.open(f"{base}/organisatie/link/{raw}", timeout=5)
            raise AssertionError("the link answers with a redirect")
        except urllib.error.HTTPError as error:
            assert error.code == 303
            assert error.headers["Location"] == "/organisatie/openen"
        # The button page, with the cookie the link set: the real token found in the database.
        page = BeautifulSoup(opener.open(f"{base}/organisatie/openen", timeout=5).read(),
                             "html.parser")
        assert page.h1.get_text(strip=True) == "Open de pagina van je organisatie"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    text = log.read_text()
    assert "/organisatie/link/[token]" in text and "/organisatie/openen" in text
    assert raw not in text
