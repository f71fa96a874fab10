"""Editors in real Chromium: enrol by scanning the QR code, sign in with TOTP by keyboard alone,
and axe-core on every sign-in, code, enrolment, recovery-code and password page."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import assert_accessible, assert_no_sideways_scroll, tab_to
from tests.editors.helpers import PASSWORD, last_mail_to, make_editor

EMAIL = "anna@redactie.test"




def sign_in_by_keyboard(page, live_server, password=PASSWORD):
    page.goto(f"{live_server}/redactie/aanmelden")
    tab_to(page, "el.id === 'email'")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/code")


def enter_code_by_keyboard(page, code):
    tab_to(page, "el.id === 'code'")
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def decode_qr(page):
    """Draw the QR image as the browser shows it, and decode the pixels with zxing-cpp."""
    import zxingcpp
    image = page.evaluate("""async () => {
        const img = document.querySelector("main img");
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const context = canvas.getContext("2d");
        context.drawImage(img, 0, 0);
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const grey = [];
        for (let i = 0; i < data.length; i += 4) grey.push(data[i]);
        return {width: canvas.width, height: canvas.height, grey};
    }""")
    pixels = memoryview(bytes(image["grey"])).cast("B", (image["height"], image["width"]))
    result = zxingcpp.read_barcode(pixels)
    assert result is not None, "the QR code does not scan"
    return result.text


def test_enrol_then_sign_in_with_totp_by_keyboard(page, live_server, app, clock):
    make_editor(app, enrolled=False)
    sign_in_by_keyboard(page, live_server)
    assert page.locator("h1").inner_text() == "Koppel je telefoon aan je account"
    uri = decode_qr(page)
    assert uri.startswith("otpauth://totp/WDP:anna%40redactie.test?")
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert page.locator("code.totp-key").inner_text().replace(" ", "") == secret

    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_selector("h1:has-text('Bewaar je herstelcodes')")
    assert page.locator(".recovery-codes li").count() == 10
    tab_to(page, "el.textContent.trim() === 'Ik heb de codes bewaard'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/")
    assert page.locator("h1").inner_text() == "Welkom, Anna Peeters"

    tab_to(page, "el.textContent.trim() === 'Afmelden'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/redactie/aanmelden")
    assert page.locator("[role=status]").inner_text() == "Je bent afgemeld."

    clock.advance(seconds=30)
    sign_in_by_keyboard(page, live_server)
    assert page.locator("h1").inner_text() == "Vul de code uit je app in"
    enter_code_by_keyboard(page, clock.code(secret))
    page.wait_for_url("**/redactie/")
    assert page.locator("h1").inner_text() == "Welkom, Anna Peeters"


def test_a_wrong_code_is_announced_and_linked_to_the_field(page, live_server, app, clock):
    make_editor(app)
    sign_in_by_keyboard(page, live_server)
    enter_code_by_keyboard(page, "000000")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fout: Vul de code uit je app in")
    assert page.evaluate("document.activeElement.className").startswith("error-summary")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "code"


@pytest.mark.parametrize("width", [1280, 320])
def test_editor_pages_pass_axe_and_fit(page, live_server, app, clock, axe, width):
    page.set_viewport_size({"width": width, "height": 900})

    def check(label):
        assert_accessible(axe, page, f"{label} at {width}px")
        assert_no_sideways_scroll(page, f"{label} at {width}px")

    _, enrolled_secret = make_editor(app, email="bert@redactie.test", name="Bert")
    make_editor(app, enrolled=False)

    page.goto(f"{live_server}/redactie/aanmelden")
    check("sign-in")
    page.click("button:has-text('Aanmelden')")
    page.wait_for_selector(".error-summary")
    check("sign-in with errors")

    page.fill("#email", "bert@redactie.test")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Aanmelden')")
    page.wait_for_url("**/redactie/code")
    check("code")
    page.fill("#code", "000000")
    page.click("button:has-text('Aanmelden')")
    page.wait_for_selector(".error-summary")
    check("code with an error")
    page.context.clear_cookies()

    page.goto(f"{live_server}/redactie/aanmelden")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Aanmelden')")
    page.wait_for_url("**/redactie/code")
    check("enrolment")
    secret = page.locator("code.totp-key").inner_text().replace(" ", "")
    page.fill("#code", clock.code(secret))
    page.click("button:has-text('Koppelen')")
    page.wait_for_selector("h1:has-text('Bewaar je herstelcodes')")
    check("recovery codes")
    page.click("text=Ik heb de codes bewaard")
    page.wait_for_url("**/redactie/")
    check("start page")
    page.click("text=Wachtwoord wijzigen")
    check("change password")
    page.context.clear_cookies()

    page.goto(f"{live_server}/redactie/wachtwoord-vergeten")
    check("forgot password")
    page.fill("#email", EMAIL)
    page.click("button:has-text('Stuur de link')")
    page.wait_for_url("**/verstuurd")
    check("reset mail sent")
    path = re.search(r"/redactie/wachtwoord/\S+", last_mail_to(app, EMAIL).text).group(0)
    page.goto(live_server + path)
    check("new password")
    page.fill("#password", "te kort")
    page.click("button:has-text('Wachtwoord opslaan')")
    page.wait_for_selector(".error-summary")
    check("new password with errors")
    page.goto(f"{live_server}/redactie/wachtwoord/{'x' * 43}")
    check("link problem")
