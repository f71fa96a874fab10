"""Publication in real Chromium: a publish link from a real mail, keyboard only and without
JavaScript, and axe-core on every page of the publication flows at 1280 and 320 px."""
import re

import pytest

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, tab_to
from tests.publication.helpers import (
    START,
    approved_rating,
    decide,
    link_starting,
    mails,
    waiting_rating,
)
from wdp.extensions import db


@pytest.fixture
def clock(app):
    from tests.editors.helpers import Clock
    return Clock(app, START)


def test_publish_link_from_a_real_mail_keyboard_only_without_javascript(
        nojs_page, live_server, app, clock, smtp):
    rating_id = approved_rating(app)
    from wdp.mail.sender import send_due
    with app.app_context():
        send_due()
    [(_to, mail)] = smtp.received
    body = mail.get_body(("plain",)).get_content()
    publish = link_starting(body, "/publiceren/")
    page = nojs_page
    page.goto(live_server + publish)
    assert page.locator("h1").inner_text() == "Zet je waardering online"
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Publiceer'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn-waardering/**")
    assert "Gelukt. Je waardering staat nu online." in page.locator("main").inner_text()
    with app.app_context():
        from wdp.rating_form.models import Rating
        assert db.session.get(Rating, rating_id).status == "published"
    # Withdraw from the status page, keyboard only too.
    page.reload()
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Haal mijn waardering weg'")
    page.keyboard.press("Enter")
    # It cannot be undone: a page says so, with one button.
    page.wait_for_url(re.compile(r"/intrekken\??$"))
    assert page.locator("h1").inner_text() == "Haal je waardering weg"
    with app.app_context():
        from wdp.rating_form.models import Rating
        assert db.session.get(Rating, rating_id).status == "published"
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Haal mijn waardering weg'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn-waardering/*")
    assert "Gelukt. Je waardering staat niet meer online." in page.locator("main").inner_text()
    with app.app_context():
        assert db.session.get(Rating, rating_id).status == "withdrawn"


def _status(app, rating_id):
    from wdp.publication.links import status_token
    from wdp.rating_form.models import Rating
    with app.app_context():
        return f"/mijn-waardering/{status_token(db.session.get(Rating, rating_id))}"


def flow_pages(app, clock):
    """(label, path) of every page of the publication flows, in their different states."""
    from wdp.jobs import run_jobs
    pages = []
    approved = approved_rating(app, email="a@voorbeeld.test")
    text = mails(app, "rating_approved", "a@voorbeeld.test")[-1].text
    pages += [("publish link", link_starting(text, "/publiceren/")),
              ("not publish link", link_starting(text, "/niet-publiceren/")),
              ("status approved", _status(app, approved)),
              ("unknown link", "/publiceren/onbekend-token-0123456789"),
              ("wrong purpose", "/intrekken/" + link_starting(text, "/publiceren/")
               .split("/")[-1])]
    auto = approved_rating(app, "auto_publish", email="b@voorbeeld.test")
    pages.append(("status auto publish", _status(app, auto)))
    waiting = waiting_rating(app, email="c@voorbeeld.test")
    pages.append(("status with the editors", _status(app, waiting)))
    changes = waiting_rating(app, email="d@voorbeeld.test")
    decide(app, changes, "changes_requested", message="Laat de naam weg.")
    pages.append(("status changes asked", _status(app, changes)))
    refused = waiting_rating(app, email="e@voorbeeld.test")
    decide(app, refused, "rejected", reasons=("swearing",), message="Er staan scheldwoorden in.")
    pages.append(("status rejected", _status(app, refused)))
    consent = approved_rating(app, "consent", consent=True, email="f@voorbeeld.test")
    withdraw = link_starting(mails(app, "rating_published", "f@voorbeeld.test")[-1].text,
                             "/intrekken/")
    pages += [("withdraw link", withdraw), ("status published", _status(app, consent)),
              ("status: withdraw, asked once more", _status(app, consent) + "/intrekken"),
              ("status: do not publish, asked once more",
               _status(app, auto) + "/niet-publiceren")]
    clock.advance(days=22)
    with app.app_context():
        run_jobs()
    pages += [("status archived", _status(app, approved)),
              ("expired link", link_starting(text, "/publiceren/"))]
    return pages


def test_every_publication_page_is_accessible_at_1280_and_320(page, axe, live_server, app,
                                                             clock):
    pages = flow_pages(app, clock)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for label, path in pages:
            page.goto(live_server + path)
            assert page.locator("h1").count() == 1, label
            assert_accessible(axe, page, f"{label} at {width}px")
            assert_no_sideways_scroll(page, f"{label} at {width}px")


def test_result_pages_are_accessible(page, axe, live_server, app, clock):
    """After pressing the buttons: the success panel, and the page of a used link."""
    rating_id = approved_rating(app)
    publish = link_starting(mails(app, "rating_approved")[-1].text, "/publiceren/")
    page.goto(live_server + publish)
    page.click("main button")
    page.wait_for_url("**/mijn-waardering/**")
    assert_accessible(axe, page, "published panel")
    page.goto(live_server + publish)
    assert "al gebeurd" in page.locator("h1").inner_text()
    assert_accessible(axe, page, "used link")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + _status(app, rating_id))
        page.click("main button")  # withdraw
        page.wait_for_url("**/mijn-waardering/**")
        assert_accessible(axe, page, f"withdrawn at {width}px")
        assert_no_sideways_scroll(page, f"withdrawn at {width}px")
        rating_id = approved_rating(app, consent=True, policy="consent",
                                    email=f"w{width}@voorbeeld.test")
