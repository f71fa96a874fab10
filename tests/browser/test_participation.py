"""Participation in real Chromium: the sign-up form with the keyboard alone and without
JavaScript (an error round included), and axe-core at 1280 and 320 px on the sign-up form,
its confirmation, "Nieuw op het platform" and the staff pages of participation."""
from datetime import date

from sqlalchemy import select

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, tab_to
from tests.editors.helpers import PASSWORD, make_editor
from tests.factories import make_location, make_rating
from wdp.extensions import db
from wdp.locations.operations import end_participation, start_participation
from wdp.organisations.models import SignUp

ADMIN = "beheer@redactie.test"


def focused(page, condition):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()")


def test_sign_up_keyboard_only_without_javascript(nojs_page, live_server, app, clock):
    page = nojs_page
    page.goto(f"{live_server}/deelnemen")
    assert page.locator("h1").inner_text() == "Meld je organisatie aan"
    tab_to(page, "el.id === 'organisation'")
    page.keyboard.type("Zorggroep Zonneweelde")
    page.keyboard.press("Tab")
    assert focused(page, "el.id === 'locations'")
    page.keyboard.type("WZC Zonneweelde, Gent")
    page.keyboard.press("Enter")
    page.keyboard.type("Dagverzorging De Klaproos, Aalst")
    # The sector radios: Tab enters the group, an arrow key chooses.
    tab_to(page, "el.id === 'sector-0'")
    page.keyboard.press("ArrowDown")
    assert page.locator("#sector-1").is_checked()
    tab_to(page, "el.id === 'contact_name'")
    page.keyboard.type("Lies Maes")
    # The e-mail address is forgotten: the error round.
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Verstuur je aanmelding'")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: Meld je organisatie aan")
    # The summary has focus without JavaScript (autofocus) and leads to the field.
    assert focused(page, "el.classList.contains('error-summary')")
    page.keyboard.press("Tab")
    assert focused(page, "el.getAttribute('href') === '#email'")
    assert page.locator(".error-summary a").inner_text() == (
        "Vul het e-mailadres van de contactpersoon in.")
    page.keyboard.press("Enter")
    assert focused(page, "el.id === 'email'")
    # Nothing typed was lost.
    assert page.locator("#organisation").input_value() == "Zorggroep Zonneweelde"
    assert page.locator("#locations").input_value() == (
        "WZC Zonneweelde, Gent\nDagverzorging De Klaproos, Aalst")
    assert page.locator("#sector-1").is_checked()
    assert page.locator("#contact_name").input_value() == "Lies Maes"
    page.keyboard.type("lies.maes@zonneweelde.test")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Verstuur je aanmelding'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/deelnemen/verstuurd")
    assert page.locator("h1").inner_text() == "Je aanmelding is verstuurd"
    with app.app_context():
        [row] = db.session.scalars(select(SignUp)).all()
        assert (row.organisation, row.email) == ("Zorggroep Zonneweelde",
                                                 "lies.maes@zonneweelde.test")
        assert row.locations == "WZC Zonneweelde, Gent\nDagverzorging De Klaproos, Aalst"
        reference = f"A-{row.id}"
    assert reference in page.locator(".panel").inner_text()


def check(axe, page, label):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("h1").count() == 1, label
        assert_accessible(axe, page, f"{label} at {width}px")
        if width == 320:
            assert_no_sideways_scroll(page, f"{label} at {width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_public_participation_pages_pass_axe_and_fit(page, live_server, app, axe, clock):
    with app.app_context():
        newcomer = make_location(name="WZC Zonnebloem met een heel lange naam die moet passen",
                                 participating=False, municipality="Sint-Genesius-Rode")
        start_participation(newcomer, date(2026, 2, 1))
        kid = make_location(name="Kribbe De Zon", sector="kinderopvang", participating=False)
        start_participation(kid, date(2026, 1, 20))
        db.session.commit()

    page.goto(f"{live_server}/deelnemen")
    check(axe, page, "sign-up form")
    # With every error at once.
    page.fill("#email", "geen adres")
    page.fill("#phone", "bel me")
    page.click("button:has-text('Verstuur je aanmelding')")
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary li").count() == 5
    check(axe, page, "sign-up form with errors")
    page.click(".error-summary a[href='#phone']")
    assert page.evaluate("document.activeElement.id") == "phone"
    page.fill("#organisation", "Zorggroep Zonneweelde")
    page.fill("#locations", "WZC Zonneweelde, Gent")
    page.fill("#contact_name", "Lies Maes")
    page.fill("#email", "lies.maes@zonneweelde.test")
    page.fill("#phone", "")
    page.click("button:has-text('Verstuur je aanmelding')")
    page.wait_for_url("**/deelnemen/verstuurd")
    check(axe, page, "sign-up sent")
    page.goto(f"{live_server}/nieuw")
    assert page.locator("main .location-card").count() == 2
    check(axe, page, "newcomers")
    page.goto(f"{live_server}/over")
    page.click("main a[href='/deelnemen']")
    page.wait_for_url("**/deelnemen")


def test_staff_participation_pages_pass_axe_and_fit(page, live_server, app, axe, clock):
    make_editor(app, email=ADMIN, name="Bea Beheer", role="admin")
    with app.app_context():
        from wdp.editors.models import Editor
        secret = db.session.scalar(select(Editor.totp_secret).where(Editor.email == ADMIN))
        linde = make_location(name="WZC De Linde", municipality="Brugge")
        make_rating(linde, text="Warme zorg.")
        gone = make_location(name="WZC De Linde-Oost", municipality="Brugge")
        end_participation(gone, date(2026, 1, 1))
        make_location(name="WZC Linde in onderzoek", register_status="in onderzoek")
        db.session.add(SignUp(organisation="Zorggroep Zonneweelde", contact_name="Lies Maes",
                              locations="WZC Zonneweelde, Gent\nWZC Klaproos, Aalst",
                              email="lies@zonneweelde.test", message="Bel ons."))
        db.session.commit()
        linde_id, gone_id = linde.id, gone.id
        sign_up_id = db.session.scalar(select(SignUp.id))

    page.goto(f"{live_server}/redactie/aanmelden")
    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/code")
    page.fill("#code", clock.code(secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/")
    page.click("main a:has-text('Aanmeldingen van organisaties')")
    page.wait_for_url("**/deelname/aanmeldingen")
    check(axe, page, "sign-ups")
    page.goto(f"{live_server}/redactie/beheer/deelname/aanmeldingen/{sign_up_id}")
    check(axe, page, "one sign-up")
    page.click("button:has-text('Markeer als afgehandeld')")
    page.wait_for_selector(".error-summary")
    check(axe, page, "one sign-up with an error")

    page.goto(f"{live_server}/redactie/beheer/")
    page.click("main a:has-text('Deelname van locaties')")
    page.wait_for_url("**/redactie/beheer/deelname/")
    page.fill("#q", "linde")
    page.keyboard.press("Enter")
    page.wait_for_url("**/deelname/?q=linde")
    assert page.locator("main .location-card").count() == 3
    check(axe, page, "participation admin with results and rates")
    page.click("main .location-card a:has-text('WZC De Linde-Oost')")
    page.wait_for_url(f"**/deelname/locatie/{gone_id}")
    check(axe, page, "location without a running agreement")
    page.fill("#signed_on", "1-1-2025")
    page.click("button:has-text('Registreer de overeenkomst')")
    page.wait_for_selector(".error-summary")
    check(axe, page, "agreement refused")
    page.goto(f"{live_server}/redactie/beheer/deelname/locatie/{linde_id}")
    check(axe, page, "location with a running agreement")
    page.fill("#ended_on", "31-12-2024")
    page.click("button:has-text('Registreer het einde')")
    page.wait_for_selector(".error-summary")
    check(axe, page, "end refused")


def _field_in_view(page, field_id):
    """Whether the field has focus and its error, label and box are all in the window."""
    return page.evaluate("""(id) => {
        const input = document.getElementById(id);
        const field = input.closest('.field');
        const label = document.querySelector(`label[for="${id}"]`) || field.querySelector('legend');
        const error = field.querySelector('.field-error');
        const inside = (el) => { const r = el.getBoundingClientRect();
                                 return r.top >= -1 && r.bottom <= window.innerHeight + 1; };  // subpixels
        return document.activeElement === input && inside(label) && inside(error)
               && input.getBoundingClientRect().top < window.innerHeight;
    }""", field_id)


def test_an_error_summary_link_shows_the_whole_field_on_a_phone(page, live_server):
    # The link puts the cursor in the field and shows its error and question too, not the
    # box alone at the top of the window (on a phone the label would be above the screen).
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server}/deelnemen")
    page.click("button[type=submit]")
    page.wait_for_selector(".error-summary")
    links = page.locator(".error-summary a")
    ids = [href.removeprefix("#") for href in links.evaluate_all("els => els.map(a => a.getAttribute('href'))")]
    assert ids[:2] == ["organisation", "locations"] and "email" in ids
    for index, field_id in enumerate(ids):
        page.evaluate("window.scrollTo(0, 0)")
        links.nth(index).click()
        assert _field_in_view(page, field_id), field_id
