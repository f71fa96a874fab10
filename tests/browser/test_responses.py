"""Responses in real Chromium: an organisation writes one by keyboard alone without JavaScript,
an editor approves it by keyboard (with and without JavaScript), it shows on the public page;
axe-core on every page of the flow at 1280 and 320 px."""
import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, tab_to
from tests.browser.test_editors import enter_code_by_keyboard, sign_in_by_keyboard
from tests.editors.helpers import make_editor
from tests.moderation.test_response_queue import add_response
from tests.organisations.helpers import issue_link
from tests.organisations.test_responses import ORG, OTHER_ORG, published_rating
from wdp.editors.models import Editor
from wdp.extensions import db
from wdp.organisations import responses
from wdp.organisations.models import Response
from wdp.rating_form.models import Rating

TEXT = "Bedankt voor uw waardering. Het spijt ons dat het eten koud was. Kom gerust langs."


def button(label):
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === '{label}'"


def open_organisation_page(page, live_server, app, email=ORG):
    """Open the organisation's page the way its mail does: the link, then its one button."""
    with app.app_context():
        _contact_id, raw = issue_link(app, email)
    page.goto(f"{live_server}/organisatie/link/{raw}")
    tab_to(page, button("Open de pagina van je organisatie"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisatie/")


def location_path(app, rating_id):
    with app.app_context():
        rating = db.session.get(Rating, rating_id)
        return f"/{rating.location.sector.slug}/locatie/{rating.location_id}"


def write_by_keyboard(page, live_server, app, rating_id):
    page.goto(f"{live_server}/organisatie/reactie/{rating_id}")
    assert page.locator("h1").inner_text() == "Reageer op deze waardering"
    tab_to(page, "el.id === 'text'")
    page.keyboard.type(TEXT)
    tab_to(page, button("Bekijk"))
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Kijk je reactie na')")
    assert page.locator(".response-preview-text").inner_text() == TEXT
    # "Wijzig" brings the text back; then preview again and send.
    tab_to(page, button("Wijzig"))
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Reageer op deze waardering')")
    assert page.locator("#text").input_value() == TEXT
    tab_to(page, button("Bekijk"))
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Kijk je reactie na')")
    tab_to(page, button("Verstuur"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisatie/reactie/{rating_id}/verstuurd")
    assert page.locator("h1").inner_text() == "Je reactie is verstuurd"


def approve_by_keyboard(page, live_server, app, clock, secret):
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    tab_to(page, "el.textContent.trim() === 'Naar de inbox'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/inbox")
    tab_to(page, button("Volgende reactie uit alle sectoren"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/reacties/*")
    assert page.locator(".response-text").inner_text() == TEXT
    tab_to(page, button("Goedkeuren"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/inbox")
    assert "Beslissing bewaard: goedgekeurd en online" in page.locator(
        "[role=status]").inner_text()


def test_write_by_keyboard_without_javascript_then_approve_and_see_it_online(
        browser, live_server, app, clock):
    _, secret = make_editor(app)
    rating_id = published_rating(app)
    organisation = browser.new_context(viewport={"width": 1280, "height": 900},
                                       java_script_enabled=False, locale="nl-BE")
    editor = browser.new_context(viewport={"width": 1280, "height": 900},
                                 java_script_enabled=False, locale="nl-BE")
    try:
        page = organisation.new_page()
        page.set_default_timeout(10_000)
        open_organisation_page(page, live_server, app)
        write_by_keyboard(page, live_server, app, rating_id)
        with app.app_context():
            assert db.session.get(Rating, rating_id).response.status == "in_moderation"
        approve_by_keyboard(editor.new_page(), live_server, app, clock, secret)
        with app.app_context():
            assert db.session.get(Rating, rating_id).response.status == "approved"
        page.goto(live_server + location_path(app, rating_id))
        response = page.locator(".ratings .response")
        assert response.locator("h4").inner_text() == "Reactie van Zorggroep Test"
        assert response.locator("p").inner_text() == TEXT
        assert response.locator("form, a, button, textarea").count() == 0
    finally:
        organisation.close()
        editor.close()


def test_with_htmx_approving_swaps_in_the_next_response(page, live_server, app, clock):
    _, secret = make_editor(app)
    first = add_response(app, clock, minutes_ago=300, text=TEXT)
    second = add_response(app, clock, minutes_ago=200, email="ander@huis.test")
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    page.goto(f"{live_server}/redactie/inbox")
    tab_to(page, button("Volgende reactie uit alle sectoren"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/redactie/reacties/{first}")
    assert "Nog 2 reacties wachten" in page.locator(".queue-left").inner_text()
    page.evaluate("window.__marker = 'no reload'")
    page.keyboard.press("b")  # the documented shortcut to the decisions
    assert page.evaluate("document.activeElement.id") == "decision"
    tab_to(page, button("Goedkeuren"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/redactie/reacties/{second}")
    page.wait_for_selector(".queue-left:has-text('Nog 1 reactie wacht')")
    assert page.evaluate("window.__marker") == "no reload", "htmx swapped, no full page load"
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.title().startswith("Reactie op waardering")
    assert "Beslissing bewaard" in page.locator("[role=status]").inner_text()
    with app.app_context():
        assert db.session.get(Response, first).status == "approved"


def organisation_pages(app, clock, live_server):
    """(label, path, action) of every organisation page of the flow; action runs on the page."""
    fresh = published_rating(app, score=5, text="Heel fijn.")
    negative = published_rating(app, score=1, text="Het eten is koud.\nDe kamers zijn klein.")
    waiting = published_rating(app)
    online = published_rating(app, status="withdrawn")
    theirs = published_rating(app, email=OTHER_ORG)

    def errors(page):
        page.fill("#text", "<b>Bedankt</b>")
        page.click("button:has-text('Bekijk')")
        page.wait_for_selector(".error-summary")

    def preview(page):
        page.fill("#text", TEXT)
        page.click("button:has-text('Bekijk')")
        page.wait_for_selector("h1:has-text('Kijk je reactie na')")

    def sent(page):
        preview(page)
        page.click("button:has-text('Verstuur')")
        page.wait_for_url("**/verstuurd")

    return [("form, positive rating", f"/organisatie/reactie/{fresh}", None),
            ("form with an error", f"/organisatie/reactie/{fresh}", errors),
            ("preview", f"/organisatie/reactie/{negative}", preview),
            ("sent", f"/organisatie/reactie/{waiting}", sent),
            ("waiting", f"/organisatie/reactie/{waiting}", None),
            ("not online", f"/organisatie/reactie/{online}", None),
            ("another's rating", f"/organisatie/reactie/{theirs}", None)]


@pytest.mark.parametrize("width", [1280, 320])
def test_every_organisation_page_passes_axe_and_fits(page, live_server, app, clock, axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    pages = organisation_pages(app, clock, live_server)
    page.goto(f"{live_server}/organisatie/reactie/1")
    assert page.locator("h1").inner_text() == "Open eerst de link uit je mail"
    assert_accessible(axe, page, f"no session at {width}px")
    open_organisation_page(page, live_server, app)
    for label, path, action in pages:
        page.goto(live_server + path)
        if action:
            action(page)
        assert page.locator("h1").count() == 1, label
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")
    page.goto(f"{live_server}/organisatie/reactie/{pages[1][1].split('/')[-1]}")
    page.click("summary:has-text('Bekijk twee voorbeelden')")
    assert_accessible(axe, page, f"examples open at {width}px")
    page.fill("#text", "x" * 10)
    assert page.locator("#text-count").inner_text() == "Je hebt nog 1990 tekens over."


@pytest.mark.parametrize("width", [1280, 320])
def test_every_editor_page_of_the_response_queue_passes_axe_and_fits(
        page, live_server, app, clock, axe, width):
    page.set_viewport_size({"width": width, "height": 900})

    def check(label):
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")

    _, secret = make_editor(app)
    waiting = add_response(app, clock, text="Dank u. Bel Els van Dam op 0470 12 34 56 of mail "
                           "naar een.heel.lang.adres.van.het.team@voorbeeld-organisatie.test.")
    rewritten = add_response(app, clock, sector="kinderopvang", email="k@huis.test")
    approved = add_response(app, clock, sector="handicap", email="h@huis.test")
    with app.app_context():
        editor_row = db.session.scalars(select(Editor)).first()
        row = db.session.get(Response, rewritten)
        responses.transition(row, "changes_requested", actor_type="editor",
                             actor_id=editor_row.id, message="Korter graag.")
        responses.transition(row, "in_moderation", actor_type="organisation",
                             text="Bedankt. Kom langs.")
        responses.transition(db.session.get(Response, approved), "approved",
                             actor_type="editor", actor_id=editor_row.id)
        db.session.commit()
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    page.goto(f"{live_server}/redactie/inbox")
    check("inbox with the response queue")
    page.goto(f"{live_server}/redactie/reacties/{waiting}")
    assert page.locator(".response-text mark").count() == 3
    check("response item")
    page.click("button:has-text('Afwijzen')")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: ")
    check("response item with errors")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "reasons-0"
    page.goto(f"{live_server}/redactie/reacties/{rewritten}")
    assert page.locator(".changes del").count() >= 1 and page.locator(".changes ins").count() >= 1
    check("rewritten response")
    page.goto(f"{live_server}/redactie/reacties/{approved}")
    page.click("button:has-text('Haal de reactie van de site')")
    page.wait_for_selector(".error-summary")
    check("take off with an error")
