"""Admin pages in real Chromium: axe-core and no sideways scrolling at 1280 and 320 px,
error pages included; signed in with a password and a TOTP code as a person does."""
from sqlalchemy import select

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll
from tests.editors.helpers import PASSWORD, Clock, make_editor
from wdp.extensions import db
from wdp.moderation.models import Reason

EMAIL = "beheer@redactie.test"


def test_admin_pages_pass_axe_and_fit(page, live_server, app, axe):
    clock = Clock(app)
    admin_id, secret = make_editor(app, email=EMAIL, name="Bea Beheer", role="admin")
    make_editor(app, email="anna@redactie.test", name="Anna Peeters", enrolled=False)
    with app.app_context():
        reason_id = db.session.scalar(select(Reason.id).order_by(Reason.position))

    page.goto(f"{live_server}/redactie/aanmelden")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/code")
    page.fill("#code", clock.code(secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/")
    page.click("main a[href='/redactie/beheer/']")
    page.wait_for_url("**/redactie/beheer/")

    base = f"{live_server}/redactie/beheer"
    urls = ["/", "/redacteurs", "/redacteurs/nieuw", f"/redacteurs/{admin_id}", "/redenen",
            "/redenen/nieuw", f"/redenen/{reason_id}", "/berichten", "/berichten/signal/fr",
            "/themas", "/themas/jeugdhulp"]
    page.goto(f"{base}/themas/jeugdhulp")
    urls.append(page.locator("main a:has-text('Wijzig')").first.get_attribute("href")
                .removeprefix("/redactie/beheer"))

    def check(label):
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(axe, page, f"{label} at {width}px")
            if width == 320:
                assert_no_sideways_scroll(page, label)

    for url in urls:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(base + url)
        assert page.locator("h1").count() == 1, url
        check(url)

    # Pages with errors: the summary gets focus and its links lead to the fields.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/redacteurs/nieuw")
    page.fill("#name", "Bram Claes")
    page.click("button:has-text('Redacteur toevoegen')")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Fout: ")
    check("new editor with errors")
    page.goto(f"{base}/berichten/rejected/nl")
    page.fill("#body", "")
    page.click("button:has-text('Bericht opslaan')")
    page.wait_for_selector(".error-summary")
    check("template with errors")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "body"
    page.goto(base + urls[-1])
    page.fill("#title_nl", "")
    page.click("button:has-text('Nieuwe versie opslaan')")
    page.wait_for_selector(".error-summary")
    check("theme with errors")
