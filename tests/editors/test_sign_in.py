"""Signing in: password, then an app code or a recovery code; enrolment; lockout; logs."""
import logging
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.editors.helpers import (
    PASSWORD,
    enter_code,
    get,
    make_editor,
    post_form,
    post_with_token,
    session_cookie,
    sign_in,
    sign_in_fully,
)
from wdp.editors import operations as ops
from wdp.editors.models import Editor, EditorSession, RecoveryCode, SignInCounter
from wdp.extensions import db

WRONG = "Dit e-mailadres en wachtwoord horen niet bij elkaar."


def page_of(response):
    return BeautifulSoup(response.data, "html.parser")


def summary(response):
    return [a.get_text(strip=True) for a in page_of(response).select(".error-summary a")]


def test_sign_in_page_asks_for_address_and_password(client):
    soup = get(client, "/redactie/aanmelden")
    assert soup.h1.get_text(strip=True) == "Aanmelden voor de redactie"
    assert soup.select_one("label[for=email]").get_text(strip=True) == "E-mailadres"
    assert soup.select_one("#email")["autocomplete"] == "username"
    assert soup.select_one("#password")["type"] == "password"
    assert soup.select_one("#password")["autocomplete"] == "current-password"
    assert soup.select_one("a[href='/redactie/wachtwoord-vergeten']")


def test_empty_form_says_what_to_fill_in(client):
    response = post_form(client, "/redactie/aanmelden", {"email": " ", "password": ""})
    soup = page_of(response)
    assert soup.title.get_text().startswith("Fout: Aanmelden voor de redactie")
    assert summary(response) == ["Vul je e-mailadres in.", "Vul je wachtwoord in."]
    assert [a["href"] for a in soup.select(".error-summary a")] == ["#email", "#password"]


def test_sign_in_with_password_and_app_code(client, app, clock, editor):
    editor_id, secret = editor
    response = sign_in(client, "  Anna@Redactie.TEST ")
    assert response.headers["Location"] == "/redactie/code"
    assert session_cookie(client) is None, "no session before the second factor"
    with app.app_context():
        assert db.session.scalars(select(EditorSession)).all() == []
    soup = get(client, "/redactie/code")
    assert soup.h1.get_text(strip=True) == "Vul de code uit je app in"
    assert soup.select_one("#code")["autocomplete"] == "one-time-code"
    assert "herstelcodes" in soup.select_one("#code-hint").get_text()
    response = enter_code(client, clock.code(secret))
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/"
    soup = get(client, "/redactie/")
    assert soup.h1.get_text(strip=True) == "Welkom, Anna Peeters"
    links = [a["href"] for a in soup.select("main a")]
    assert links == ["/redactie/inbox", "/redactie/beheer/deelname/aanmeldingen",
                     "/redactie/organisaties", "/redactie/wachtwoord-wijzigen"]
    assert soup.select_one("main form[action='/redactie/afmelden'] button").get_text(
        strip=True) == "Afmelden"
    with app.app_context():
        row = db.session.scalars(select(EditorSession)).one()
        assert row.editor_id == editor_id and row.ended_at is None
        assert row.token_hash != session_cookie(client), "only a hash is stored"
        assert db.session.get(Editor, editor_id).last_sign_in_at == clock.now


def test_session_cookie_is_httponly_lax_and_scoped(client, clock, editor):
    sign_in(client)
    response = enter_code(client, clock.code(editor[1]))
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("wdp_editor="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/redactie/" in cookie
    assert "Secure" not in cookie and "Expires" not in cookie


def test_session_cookie_is_secure_on_https(client, app, clock, editor):
    app.config["WDP_BASE_URL"] = "https://wdp.test"
    try:
        sign_in(client)
        response = enter_code(client, clock.code(editor[1]))
    finally:
        app.config["WDP_BASE_URL"] = "http://wdp.test"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("wdp_editor="))
    assert "Secure" in cookie


@pytest.mark.parametrize("email,password", [
    ("anna@redactie.test", "niet het wachtwoord"),
    ("niemand@redactie.test", PASSWORD),
    ("niemand@redactie.test", "niet het wachtwoord"),
])
def test_a_wrong_combination_gets_one_neutral_message(client, editor, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 200
    assert summary(response) == [WRONG]
    soup = page_of(response)
    assert soup.select_one("#email")["value"] == email, "the address is kept"
    assert soup.select_one("#password")["value"] == "", "a password is never sent back"
    assert session_cookie(client) is None


def test_an_account_without_a_password_cannot_sign_in(client, app):
    make_editor(app, email="nieuw@redactie.test", password=None)
    assert summary(sign_in(client, "nieuw@redactie.test", "")) == ["Vul je wachtwoord in."]
    assert summary(sign_in(client, "nieuw@redactie.test", "iets")) == [WRONG]


def test_a_wrong_app_code_is_refused(client, clock, editor):
    sign_in(client)
    wrong = f"{(int(clock.code(editor[1])) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    assert summary(response) == ["Deze code klopt niet. Vul de code in die je app nu toont."]
    assert page_of(response).select_one("#code")["value"] == wrong
    assert session_cookie(client) is None
    assert enter_code(client, clock.code(editor[1])).headers["Location"] == "/redactie/"


def test_a_code_of_the_neighbouring_step_is_accepted(client, clock, editor):
    sign_in(client)
    assert enter_code(client, clock.code(editor[1], steps=-1)).status_code == 302


def test_a_code_two_steps_old_is_refused(client, clock, editor):
    sign_in(client)
    assert enter_code(client, clock.code(editor[1], steps=-2)).status_code == 200


def test_a_replayed_code_in_the_same_step_is_refused(app, clock, editor):
    first, second = app.test_client(), app.test_client()
    sign_in(first)
    sign_in(second)
    code = clock.code(editor[1])
    assert enter_code(first, code).status_code == 302
    clock.advance(seconds=5)
    response = enter_code(second, code)
    assert response.status_code == 200
    assert summary(response) == [
        "Deze code is al gebruikt. Wacht tot je app een nieuwe code toont en vul die in."]
    assert session_cookie(second) is None


def test_an_older_code_after_a_newer_one_is_refused(app, clock, editor):
    first, second = app.test_client(), app.test_client()
    sign_in(first)
    sign_in(second)
    assert enter_code(first, clock.code(editor[1])).status_code == 302
    assert enter_code(second, clock.code(editor[1], steps=-1)).status_code == 200
    clock.advance(seconds=30)
    assert enter_code(second, clock.code(editor[1])).status_code == 302


def test_the_code_page_needs_the_password_first(client, editor):
    response = client.get("/redactie/code")
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/aanmelden"
    soup = get(client, "/redactie/aanmelden")
    assert "Meld je eerst aan met je e-mailadres en wachtwoord." in soup.select_one(
        "[role=status]").get_text()


def test_the_password_step_waits_ten_minutes_for_the_code(client, clock, editor):
    sign_in(client)
    clock.advance(minutes=10, seconds=1)
    response = post_with_token(client, "/redactie/code", {"code": clock.code(editor[1])})
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/aanmelden"


def test_a_new_password_cancels_a_waiting_sign_in(client, app, clock, editor):
    sign_in(client)
    with app.app_context():
        ops.set_password(db.session.get(Editor, editor[0]), "een heel ander wachtwoord")
        db.session.commit()
    assert client.get("/redactie/code").headers["Location"] == "/redactie/aanmelden"


# -- enrolment ---------------------------------------------------------------------------------

def test_first_sign_in_enrols_the_app_and_shows_recovery_codes_once(client, app, clock):
    editor_id, _ = make_editor(app, enrolled=False)
    assert sign_in(client).headers["Location"] == "/redactie/code"
    soup = get(client, "/redactie/code")
    assert soup.h1.get_text(strip=True) == "Koppel je telefoon aan je account"
    image = soup.select_one("main img")
    assert image["src"].startswith("data:image/svg+xml") and image["alt"]
    key = soup.select_one("code.totp-key").get_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", key)
    with app.app_context():
        editor = db.session.get(Editor, editor_id)
        assert editor.totp_secret == key.replace(" ", "") and editor.enrolled_at is None
        secret = editor.totp_secret
        assert "otpauth://totp/WDP:anna%40redactie.test?secret=" + secret in (
            ops.provisioning_uri(editor))
    assert get(client, "/redactie/code").select_one("code.totp-key").get_text() == key, (
        "reloading the page keeps the key")

    response = post_form(client, "/redactie/code", {"code": "123"})
    assert response.status_code == 200 and "Deze code klopt niet" in summary(response)[0]
    response = post_form(client, "/redactie/code", {"code": clock.code(secret)})
    assert response.status_code == 200
    soup = page_of(response)
    assert soup.h1.get_text(strip=True) == "Bewaar je herstelcodes"
    assert response.headers["Cache-Control"] == "no-store"
    codes = [c.get_text() for c in soup.select(".recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    assert soup.select_one("main a.button")["href"] == "/redactie/"
    assert session_cookie(client), "enrolment signs the editor in"
    assert get(client, "/redactie/").h1.get_text(strip=True) == "Welkom, Anna Peeters"
    with app.app_context():
        assert db.session.get(Editor, editor_id).enrolled_at == clock.now
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not set(codes) & set(hashes)

    # The next sign-in asks for a code, and never shows the key again.
    other = app.test_client()
    sign_in(other)
    soup = get(other, "/redactie/code")
    assert soup.h1.get_text(strip=True) == "Vul de code uit je app in"
    assert not soup.select("code.totp-key") and secret not in str(soup)


def test_every_new_password_sign_in_before_enrolment_gets_a_fresh_key(client, app):
    editor_id, _ = make_editor(app, enrolled=False)
    sign_in(client)
    first = get(client, "/redactie/code").select_one("code.totp-key").get_text()
    sign_in(app.test_client())
    with app.app_context():
        assert db.session.get(Editor, editor_id).totp_secret != first.replace(" ", "")


def test_the_qr_code_holds_the_key(client, app):
    """Decode the QR code with zxing-cpp, from the same matrix the SVG draws."""
    import segno
    import zxingcpp

    make_editor(app, enrolled=False)
    sign_in(client)
    key = get(client, "/redactie/code").select_one("code.totp-key").get_text().replace(" ", "")
    with app.app_context():
        uri = ops.provisioning_uri(db.session.scalar(select(Editor)))
    matrix = [list(row) for row in segno.make(uri, error="m").matrix_iter(scale=4, border=4)]
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = memoryview(pixels).cast("B", (len(matrix), len(matrix[0])))
    result = zxingcpp.read_barcode(image)
    assert result is not None and f"secret={key}" in result.text


# -- recovery codes ----------------------------------------------------------------------------

def test_a_recovery_code_signs_in_once(app, clock, editor):
    with app.app_context():
        codes = ops.new_recovery_codes(db.session.get(Editor, editor[0]))
        db.session.commit()
    first = app.test_client()
    sign_in(first)
    response = enter_code(first, codes[3].upper().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/"
    with app.app_context():
        assert ops.remaining_recovery_codes(db.session.get(Editor, editor[0])) == 9
    second = app.test_client()
    sign_in(second)
    response = enter_code(second, codes[3])
    assert summary(response) == ["Deze code klopt niet. Vul de code in die je app nu toont."]
    assert enter_code(second, codes[4]).status_code == 302


def test_another_editors_recovery_code_does_not_work(client, app, editor):
    other_id, _ = make_editor(app, email="bert@redactie.test", name="Bert")
    with app.app_context():
        codes = ops.new_recovery_codes(db.session.get(Editor, other_id))
        db.session.commit()
    sign_in(client)
    assert enter_code(client, codes[0]).status_code == 200


# -- lockout -----------------------------------------------------------------------------------

LOCKED = ("Je hebt te vaak een verkeerd wachtwoord of een verkeerde code ingevuld. "
          "Wacht {} minuten en probeer het dan opnieuw.")


def test_five_wrong_passwords_lock_the_address_for_fifteen_minutes(app, clock, editor):
    # Each attempt from a new client: the count is per address, not per browser.
    for attempt in range(4):
        assert summary(sign_in(app.test_client(), password=f"fout {attempt}")) == [WRONG]
        clock.advance(minutes=2)
    assert summary(sign_in(app.test_client(), password="fout 5")) == [LOCKED.format(15)]
    response = sign_in(app.test_client())
    assert summary(response) == [LOCKED.format(15)], "even the right password waits"
    clock.advance(minutes=14)
    assert summary(sign_in(app.test_client())) == [LOCKED.format(1).replace("minuten", "minuut")]
    clock.advance(minutes=1)
    assert sign_in(app.test_client()).headers["Location"] == "/redactie/code"


def test_the_lock_message_counts_down_in_whole_minutes(app, clock, editor):
    for _ in range(5):
        sign_in(app.test_client(), password="fout")
    clock.advance(minutes=7, seconds=30)
    assert summary(sign_in(app.test_client())) == [LOCKED.format(8)]


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(app, clock, editor):
    for _ in range(4):
        sign_in(app.test_client(), password="fout")
    clock.advance(minutes=15)
    assert summary(sign_in(app.test_client(), password="fout")) == [WRONG]
    assert sign_in(app.test_client()).headers["Location"] == "/redactie/code"


def test_unknown_addresses_lock_the_same_way(app, clock):
    for _ in range(4):
        assert summary(sign_in(app.test_client(), "niemand@redactie.test", "x")) == [WRONG]
    assert summary(sign_in(app.test_client(), "Niemand@redactie.test", "x")) == [
        LOCKED.format(15)]
    with app.app_context():
        row = db.session.scalars(select(SignInCounter)).one()
        assert "niemand" not in row.address_hash and row.failures == 5


def test_wrong_codes_count_and_lock_too(client, app, clock, editor):
    sign_in(client)
    for _ in range(4):
        assert "klopt niet" in summary(enter_code(client, "000000"))[0]
    assert summary(enter_code(client, "000000")) == [LOCKED.format(15)]
    assert summary(enter_code(client, clock.code(editor[1]))) == [LOCKED.format(15)]
    assert session_cookie(client) is None


def test_a_full_sign_in_clears_the_count(app, clock, editor):
    for _ in range(4):
        sign_in(app.test_client(), password="fout")
    assert sign_in_fully(app.test_client(), clock, editor[1]).status_code == 302
    for _ in range(4):
        assert summary(sign_in(app.test_client(), password="fout")) == [WRONG]


def test_the_per_ip_limit_is_a_first_line(app, clock, editor):
    from wdp.extensions import limiter
    limiter.enabled = True
    app.config["WDP_RATELIMIT_EDITOR_SIGN_IN"] = "2 per hour"
    try:
        # Other addresses, fresh browsers: only the per-IP limit can stop the third.
        statuses = [sign_in(app.test_client(), f"persoon{n}@redactie.test", "x").status_code
                    for n in range(3)]
    finally:
        limiter.enabled = False
        app.config["WDP_RATELIMIT_EDITOR_SIGN_IN"] = "60 per hour"
        limiter.reset()
    assert statuses == [200, 200, 429]


# -- disabled editors --------------------------------------------------------------------------

def test_a_disabled_editor_cannot_sign_in(client, app, clock, editor):
    with app.app_context():
        ops.disable_editor(db.session.get(Editor, editor[0]))
        db.session.commit()
    assert summary(sign_in(client)) == [WRONG]


def test_disabling_ends_a_waiting_sign_in(client, app, clock, editor):
    sign_in(client)
    with app.app_context():
        ops.disable_editor(db.session.get(Editor, editor[0]))
        db.session.commit()
    response = post_with_token(client, "/redactie/code", {"code": clock.code(editor[1])})
    assert response.headers["Location"] == "/redactie/aanmelden"


# -- logs --------------------------------------------------------------------------------------

def test_logs_hold_no_password_code_or_address(app, client, clock, caplog):
    caplog.set_level(logging.INFO, logger="wdp.editors")
    editor_id, _ = make_editor(app, enrolled=False)
    sign_in(client, password="een fout wachtwoord")
    sign_in(app.test_client(), "onbekend@elders.test", "nog een fout wachtwoord")
    sign_in(client)
    with app.app_context():
        secret = db.session.get(Editor, editor_id).totp_secret
    enter_code(client, "999999")
    code = clock.code(secret)
    response = enter_code(client, code)
    recovery = [c.get_text() for c in page_of(response).select(".recovery-codes code")]
    text = caplog.text
    for secret_text in (PASSWORD, "een fout wachtwoord", "nog een fout wachtwoord", code,
                        "999999", secret, *recovery, "anna", "redactie.test", "onbekend",
                        "elders.test"):
        assert secret_text not in text, secret_text
    assert f"editor {editor_id} signed in (enrolment)" in text
    assert f"second factor failed for editor {editor_id}" in text
    assert text.count("password sign-in failed for address") == 2
