"""The organisation side in real Chromium: from the mailed link to the page, keyboard only and
without JavaScript; axe-core and no sideways scrolling on every page at 1280 and 320 px."""
import re

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, tab_to
from tests.editors.helpers import PASSWORD, Clock, make_editor
from tests.mailbox import outbox
from tests.organisations.helpers import ORG_EMAIL, rated_location
from wdp.extensions import db

LINK = re.compile(r"http://wdp\.test(/organisatie/link/[A-Za-z0-9_-]+)")


def _location_with_ratings(app, name="WZC Zonnebloem", email=ORG_EMAIL, count=3):
    ratings = [(5, "Heel fijne plek. Het personeel is vriendelijk.", {0: (5, "Lekker eten."),
                                                                     1: (None, "")}),
               (2, "Te weinig tijd voor een babbel.", {0: (2, "Vaak koud."), 3: (1, "Druk.")}),
               (4, "Goed, maar de tuin is klein.", {2: (4, "")})][:count]
    return rated_location(app, ratings=ratings, name=name, email=email)


def _mailed_link(app):
    """A real publication: the contact's mail, and the link in it (path only)."""
    from tests.organisations.test_notify import _approved
    from wdp.locations.models import Location
    from wdp.publication.operations import publish
    location_id, _ = _location_with_ratings(app)
    with app.app_context():
        publish(_approved(db.session.get(Location, location_id), score=3,
                          text="Nieuw: het eten mag warmer."))
        db.session.commit()
    mail = [m for m in outbox(app, ORG_EMAIL) if m.template == "organisation_rating"][-1]
    return LINK.search(mail.text).group(1), location_id


def _focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_the_whole_organisation_journey_keyboard_only_without_javascript(
        nojs_page, live_server, app):
    Clock(app)
    link, location_id = _mailed_link(app)
    page = nojs_page
    page.goto(live_server + link)
    # The token stays out of the address bar: the page is /organisatie/openen.
    page.wait_for_url("**/organisatie/openen")
    assert link.rsplit("/", 1)[1] not in page.url
    assert page.locator("h1").inner_text() == "Open de pagina van je organisatie"
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === "
                 "'Open de pagina van je organisatie'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/organisatie/$"))
    assert page.locator("h1").inner_text() == "Waarderingen van WZC Zonnebloem"
    main = page.locator("main").inner_text()
    assert "Nieuw: het eten mag warmer." in main and "Lekker eten." in main
    # Filter without JavaScript: only ratings without a response, with score "Slecht".
    tab_to(page, "el.id === 'reactie'")
    page.keyboard.press("Space")
    tab_to(page, "el.id === 'score'")
    page.keyboard.press("ArrowDown")  # Heel goed
    page.keyboard.press("ArrowDown")  # Goed
    page.keyboard.press("ArrowDown")  # Neutraal
    page.keyboard.press("ArrowDown")  # Slecht
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Toon de waarderingen'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"reactie=geen"))
    assert "score=2" in page.url
    articles = page.locator("main li.rating")
    assert articles.count() == 1
    assert "Te weinig tijd voor een babbel." in articles.first.inner_text()
    # The response link of that rating (built by another page; here only its address).
    tab_to(page, "el.tagName === 'A' && el.textContent.trim().startsWith('Schrijf een reactie')")
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith(
        "/organisatie/reactie/")
    # Settings: one question, radios by arrow keys.
    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Hoe vaak krijg je een mail?'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisatie/meldingen")
    assert page.locator("legend h1").inner_text() == "Hoe vaak wil je een mail krijgen?"
    tab_to(page, "el.type === 'radio' && el.value === 'each'")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "weekly"
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Bewaar'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisatie/meldingen/bewaard")
    assert page.locator("h1").inner_text() == "Je keuze is bewaard"
    with app.app_context():
        from wdp.organisations.access import contact_for
        assert contact_for(ORG_EMAIL, create=False).notify == "weekly"
    # Sign out.
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Afmelden'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisatie/afgemeld")
    assert page.locator("h1").inner_text() == "Je bent afgemeld"
    page.goto(f"{live_server}/organisatie/locatie/{location_id}")
    assert page.locator("h1").inner_text() == "Open eerst de link uit je mail"


def test_every_organisation_page_is_accessible_at_1280_and_320(page, axe, live_server, app):
    clock = Clock(app)
    first, _ = _location_with_ratings(app, name="WZC Zonnebloem")
    second, _ = _location_with_ratings(app, name="Dagcentrum De Linde", count=1)
    other_email = "ander@voorbeeld.test"
    rated_location(app, email=other_email, ratings=[(3, "Elders.", {})], name="Elders")
    from tests.organisations.helpers import issue_link
    _contact, raw = issue_link(app, ORG_EMAIL)
    with app.app_context():
        from wdp.locations.models import Location
        from wdp.organisations.queries import current_themes
        theme = current_themes(db.session.get(Location, first).sector_id)[0].key
    public = [("new link", "/organisatie/nieuwe-link"),
              ("new link sent", "/organisatie/nieuwe-link/verstuurd"),
              ("signed out", "/organisatie/afgemeld"),
              ("no session", "/organisatie/"),
              ("open without cookie", "/organisatie/openen"),
              ("unknown link", "/organisatie/link/onbekend-token-0123456789abcdef")]
    private = [("overview", "/organisatie/"),
               ("location", f"/organisatie/locatie/{first}"),
               ("location filtered", f"/organisatie/locatie/{first}?reactie=geen&score=2"
                                     f"&thema={theme}&themascore=2"),
               ("location nothing found", f"/organisatie/locatie/{first}?score=1"),
               ("second location", f"/organisatie/locatie/{second}"),
               ("settings", "/organisatie/meldingen")]
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        for label, path in public:
            page.goto(live_server + path)
            assert page.locator("h1").count() == 1, label
            assert_accessible(axe, page, f"{label} at {width}px")
            assert_no_sideways_scroll(page, f"{label} at {width}px")
        page.goto(f"{live_server}/organisatie/link/{raw}")
        page.wait_for_url("**/organisatie/openen")
        assert_accessible(axe, page, f"open button at {width}px")
        assert_no_sideways_scroll(page, f"open button at {width}px")
        page.click("main button")
        page.wait_for_url(re.compile(r"/organisatie/$"))
        for label, path in private:
            page.goto(live_server + path)
            assert page.locator("h1").count() == 1, label
            assert "Elders." not in page.locator("main").inner_text()
            assert_accessible(axe, page, f"{label} at {width}px")
            assert_no_sideways_scroll(page, f"{label} at {width}px")
        # The settings form with an error, then its confirmation.
        page.goto(f"{live_server}/organisatie/meldingen")
        # The current choice is shown checked; a forged value brings the error summary.
        page.evaluate("document.querySelector('#notify-0').value = 'maandelijks'")
        page.check("#notify-0")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("load")
        assert page.title().startswith("Fout:")
        assert_accessible(axe, page, f"settings error at {width}px")
        page.check("#notify-1")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/meldingen/bewaard")
        assert_accessible(axe, page, f"settings saved at {width}px")
        assert_no_sideways_scroll(page, f"settings saved at {width}px")
    # A revoked link says so.
    with app.app_context():
        from wdp.organisations.access import contact_for, revoke_link
        revoke_link(contact_for(ORG_EMAIL))
        db.session.commit()
    page.goto(f"{live_server}/organisatie/link/{raw}")
    page.wait_for_url("**/organisatie/openen")
    assert page.locator("h1").inner_text() == "Deze link werkt niet meer"
    assert_accessible(axe, page, "revoked link")

    # The editors' page, signed in as a person does.
    _editor_id, secret = make_editor(app, email="eva@redactie.test", name="Eva Redactie")
    with app.app_context():
        from tests.factories import make_location
        make_location(email=None, name="Huis Zonder Adres")
        db.session.commit()
    page.goto(f"{live_server}/redactie/aanmelden")
    page.fill("#email", "eva@redactie.test")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/code")
    page.fill("#code", clock.code(secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/")
    page.click("main a[href='/redactie/organisaties']")
    page.wait_for_url("**/redactie/organisaties")
    revoke = page.locator("main a[href$='/intrekken']").first.get_attribute("href")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for label, path in (("editors' organisations", "/redactie/organisaties"),
                            ("revoke", revoke)):
            page.goto(live_server + path)
            assert_accessible(axe, page, f"{label} at {width}px")
            assert_no_sideways_scroll(page, f"{label} at {width}px")
