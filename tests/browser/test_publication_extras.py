"""The publication extras in real Chromium: the admin's policy page, the consent question on the
check page (with and without JavaScript), the figures on the inbox and "Stuur mijn links
opnieuw", each with axe-core at 1280 and 320 px, error states included."""
import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll
from tests.browser.test_rating_form import fill_by_clicking
from tests.editors.helpers import PASSWORD, make_editor
from tests.factories import make_location, make_rating
from tests.publication.extras_helpers import choose_policy
from tests.publication.test_stats import known_data  # noqa: F401  (fixture)
from wdp.extensions import db
from wdp.mail.models import OutboxMessage
from wdp.publication import policy
from wdp.rating_form.models import Rating


def check(axe, page, label, widths=(1280, 320)):
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(page, live_server, clock, email, secret):
    page.goto(f"{live_server}/redactie/aanmelden")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/code")
    page.fill("#code", clock.code(secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/")


def test_admin_chooses_the_policy(page, live_server, app, clock, axe):
    _, secret = make_editor(app, email="beheer@redactie.test", name="Bea Beheer", role="admin")
    sign_in(page, live_server, clock, "beheer@redactie.test", secret)
    page.goto(f"{live_server}/redactie/beheer/")
    page.click("main a:has-text('Hoe komt een waardering online?')")
    page.wait_for_url("**/redactie/beheer/publicatie")
    check(axe, page, "policy page")

    # No choice at all (only possible by forging): the error summary gets focus.
    page.evaluate("document.querySelectorAll('input[name=policy]').forEach(r => r.checked = false)")
    page.click("button:has-text('Beleid opslaan')")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: ")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check(axe, page, "policy page with an error")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "policy-0"

    page.get_by_label("Online na een aantal dagen, tenzij de indiener nee zegt").check()
    page.click("button:has-text('Beleid opslaan')")
    page.wait_for_selector("[role=status]")
    assert "Gekozen door Bea Beheer" in page.locator("main").inner_text()
    with app.app_context():
        assert policy.current_policy() == policy.AUTO_PUBLISH
    check(axe, page, "policy page after saving")


@pytest.fixture
def code(app):
    with app.app_context():
        location = make_location(name="WZC De Linde")
        db.session.commit()
        return location.code


def consents(app):
    with app.app_context():
        return db.session.scalars(select(Rating.publish_consent)).all()


def test_consent_question_with_javascript_and_axe(page, live_server, app, code, axe):
    choose_policy(app, policy.CONSENT)
    page.goto(f"{live_server}/w/{code}")
    fill_by_clicking(page, "Ik krijg hier zelf zorg", "toestemming@voorbeeld.test")
    legend = page.locator("fieldset legend")
    assert legend.inner_text() == "Mag je waardering online komen zodra de redactie ze goedkeurt?"
    assert page.locator("input[name=publish_consent]:checked").count() == 0
    check(axe, page, "check page with the consent question")

    page.click("button:has-text('Verstuur je waardering')")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: ")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check(axe, page, "check page without an answer")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "publish_consent-0"
    assert consents(app) == []

    page.get_by_label("Ja, zet ze online zodra de redactie ze goedkeurt").check()
    page.click("button:has-text('Verstuur je waardering')")
    page.wait_for_url("**/waardering/verstuurd")
    assert consents(app) == [True]


def test_consent_question_without_javascript(nojs_page, live_server, app, code):
    choose_policy(app, policy.CONSENT)
    page = nojs_page
    page.goto(f"{live_server}/w/{code}")
    fill_by_clicking(page, "Ik krijg hier zelf zorg", "zonderjs@voorbeeld.test")
    page.click("button:has-text('Verstuur je waardering')")
    page.wait_for_selector(".error-summary")
    assert "Kies of je waardering online mag komen" in page.locator(".field-error").inner_text()
    page.get_by_label("Nee, ik kies zelf na de goedkeuring").check()
    page.click("button:has-text('Verstuur je waardering')")
    page.wait_for_url("**/waardering/verstuurd")
    assert consents(app) == [False]


def test_inbox_figures_pass_axe_and_fit(page, live_server, app, clock, axe, known_data):  # noqa: F811
    _, secret = make_editor(app)
    sign_in(page, live_server, clock, "anna@redactie.test", secret)
    page.goto(f"{live_server}/redactie/inbox")
    table = page.locator("table.figures")
    assert table.locator("#figures-ouderenzorg td").first.inner_text() == "3 dagen 2 uur"
    check(axe, page, "inbox with figures")
    # At 320 px the table scrolls inside its own region, reachable by keyboard.
    page.set_viewport_size({"width": 320, "height": 900})
    region = page.locator(".table-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    page.keyboard.press("ArrowRight")
    # Chromium scrolls with a short animation: wait for it (the CSP forbids wait_for_function).
    for _ in range(50):
        if region.evaluate("el => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(20)
    assert region.evaluate("el => el.scrollLeft") > 0


def test_lost_links_pages(page, live_server, app, axe):
    with app.app_context():
        make_rating(make_location(name="WZC De Linde"), status="approved",
                    email="kwijt@voorbeeld.test")
        db.session.commit()
    page.goto(live_server + "/")
    page.click("footer a:has-text('Stuur mijn links opnieuw')")
    page.wait_for_url("**/mijn-links")
    check(axe, page, "lost links")
    page.fill("#email", "geen-adres")
    page.click("button:has-text('Stuur mijn links')")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: ")
    check(axe, page, "lost links with an error")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "email"
    page.fill("#email", "kwijt@voorbeeld.test")
    page.click("button:has-text('Stuur mijn links')")
    page.wait_for_url("**/mijn-links/verstuurd")
    assert page.locator("h1").inner_text() == "Kijk in je mailbox"
    check(axe, page, "lost links sent")
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage.template)).all() == ["lost_links"]
