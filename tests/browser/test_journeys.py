"""Journeys in real Chromium: keyboard only, without JavaScript, and the htmx enhancement."""
import pytest

from tests.factories import make_location, make_rating


@pytest.fixture
def linde(app):
    from wdp.extensions import db
    with app.app_context():
        location = make_location(name="WZC De Linde", municipality="Antwerpen", postcode="2000")
        make_location(name="WZC Ter Linden", municipality="Gent", postcode="9000")
        make_rating(location, score=5, text="Hier voel ik me thuis.")
        db.session.commit()
        return location.id


def press_tab_until(page, predicate, limit=80):
    """Tab forward until the focused element satisfies predicate (a JS function body)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"never focused: {predicate}")


def test_keyboard_only_from_home_to_a_location(page, live_server, linde):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    press_tab_until(page, "el.id === 'q'")
    page.keyboard.type("linde antwerpen")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results .location-card")
    press_tab_until(page, "el.textContent.trim() === 'WZC De Linde'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ouderenzorg/locatie/{linde}")
    assert page.locator("h1").inner_text() == "WZC De Linde"
    assert "Hier voel ik me thuis." in page.locator(".ratings").inner_text()


def test_focus_is_always_visible(page, live_server, linde):
    page.goto(live_server + f"/ouderenzorg/locatie/{linde}")
    for _ in range(15):
        page.keyboard.press("Tab")
        style = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
            return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow; })()""")
        assert not style.startswith("none 0px none"), style


def test_without_javascript_search_and_open_a_result(nojs_page, live_server, linde):
    page = nojs_page
    page.goto(live_server + "/ouderenzorg/")
    page.fill("#q", "Anvers")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/ouderenzorg/zoeken?*")
    assert page.locator("#results-heading").inner_text() == "1 locatie gevonden"
    page.click("text=WZC De Linde")
    page.wait_for_url(f"**/ouderenzorg/locatie/{linde}")
    assert page.locator("h1").inner_text() == "WZC De Linde"


def test_with_javascript_results_swap_in_place_and_take_focus(page, live_server, linde):
    page.goto(live_server + "/ouderenzorg/zoeken?q=")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#q", "gent")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("#results-heading:has-text('1 locatie gevonden')")
    assert page.evaluate("window.__marker") == "same page", "htmx should swap, not reload"
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert "q=gent" in page.url
    assert page.title() == "1 locatie gevonden – WDP"
    assert page.locator("#results .location-card h3").inner_text() == "WZC Ter Linden"
