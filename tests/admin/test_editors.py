"""Admins manage editor accounts: invite by mail, role, disable and enable, reset 2FA."""
import logging
import re

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.admin.conftest import ADMIN_EMAIL, EDITOR_EMAIL
from tests.editors.helpers import PASSWORD, last_mail_to, post_form, session_cookie, sign_in, sign_in_fully
from tests.pagecheck import checked_page
from wdp.editors.models import Editor, RecoveryCode
from wdp.extensions import db


def _editor(app, email):
    with app.app_context():
        return db.session.scalar(select(Editor).where(Editor.email == email))


def test_list_shows_accounts_without_addresses_or_secrets(app, admin, editor):
    page = checked_page(admin, "/redactie/beheer/redacteurs")
    text = page.get_text(" ", strip=True)
    assert "Test admin" in text and "Test editor" in text
    assert "Beheerder" in text and "Redacteur" in text and "Telefoon gekoppeld" in text
    assert "Werkt" in text and "Laatst aangemeld" in text
    assert EDITOR_EMAIL not in text and "argon2" not in page.decode()
    assert _editor(app, EDITOR_EMAIL).totp_secret not in page.decode()


def test_invite_an_editor_by_mail_and_the_link_sets_a_password(app, admin, clock, caplog):
    caplog.set_level(logging.INFO, logger="wdp.admin")
    response = post_form(admin, "/redactie/beheer/redacteurs/nieuw",
                         {"name": "Bram Claes", "email": "Bram@Redactie.test", "role": "editor"})
    assert response.status_code == 302
    new = _editor(app, "bram@redactie.test")
    assert new.role == "editor" and new.password_hash is None and new.enrolled_at is None
    page = checked_page(admin, response.headers["Location"])
    assert "kreeg een e-mail" in page.select_one(".notice").get_text()
    assert not any("bram@" in r.getMessage().lower() for r in caplog.records)
    assert any(r.name == "wdp.admin" and f"created editor {new.id}" in r.getMessage()
               for r in caplog.records)

    mail = last_mail_to(app, "bram@redactie.test")
    assert mail.template == "editor_invitation" and "24 uur" in mail.text
    link = re.search(r"http://wdp\.test(/redactie/wachtwoord/\S+)", mail.text).group(1)
    newcomer = app.test_client()
    response = post_form(newcomer, link, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    assert newcomer.get(link).status_code == 410  # single use
    # The first sign-in asks to enrol a phone.
    response = sign_in(newcomer, "bram@redactie.test")
    assert response.headers["Location"] == "/redactie/code"
    assert "Koppel je telefoon" in checked_page(newcomer, "/redactie/code").h1.get_text()


def test_invitation_link_expires_after_24_hours(app, admin, clock):
    post_form(admin, "/redactie/beheer/redacteurs/nieuw",
              {"name": "Bram Claes", "email": "bram@redactie.test", "role": "admin"})
    link = re.search(r"http://wdp\.test(/redactie/wachtwoord/\S+)",
                     last_mail_to(app, "bram@redactie.test").text).group(1)
    clock.advance(hours=24, minutes=1)
    assert app.test_client().get(link).status_code == 410


def test_invite_validation_keeps_the_input(app, admin):
    response = post_form(admin, "/redactie/beheer/redacteurs/nieuw",
                         {"name": "Bram Claes", "email": "geen-adres", "role": ""})
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.get_text().startswith("Fout: ")
    summary = [a["href"] for a in page.select(".error-summary a")]
    assert summary == ["#email", "#role-0"]
    assert page.select_one("#name")["value"] == "Bram Claes"
    assert page.select_one("#email")["value"] == "geen-adres"

    response = post_form(admin, "/redactie/beheer/redacteurs/nieuw",
                         {"name": "Dubbel", "email": ADMIN_EMAIL.upper(), "role": "editor"})
    assert "Er is al een account met dit e-mailadres" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Editor.id))) == 1


def test_disabling_ends_sessions_at_once_and_enabling_lets_them_back(app, admin, editor, clock):
    old_cookie = session_cookie(editor)
    assert editor.get("/redactie/").status_code == 200
    target = _editor(app, EDITOR_EMAIL)
    page = checked_page(admin, f"/redactie/beheer/redacteurs/{target.id}")
    token = page.select_one(f"form[action$='/{target.id}/uitschakelen'] input[name=csrf_token]")
    response = admin.post(f"/redactie/beheer/redacteurs/{target.id}/uitschakelen",
                          data={"csrf_token": token["value"]})
    assert response.status_code == 302
    assert _editor(app, EDITOR_EMAIL).disabled_at is not None
    # The old cookie no longer opens anything.
    intruder = app.test_client()
    intruder.set_cookie("wdp_editor", old_cookie, path="/redactie/")
    assert intruder.get("/redactie/").headers["Location"].startswith("/redactie/aanmelden")
    assert editor.get("/redactie/").status_code == 302
    assert sign_in(app.test_client(), EDITOR_EMAIL).status_code == 200  # refused

    page = checked_page(admin, f"/redactie/beheer/redacteurs/{target.id}")
    assert "Uitgeschakeld" in page.get_text()
    post = admin.post(f"/redactie/beheer/redacteurs/{target.id}/inschakelen",
                      data={"csrf_token": token["value"]})
    assert post.status_code == 302 and _editor(app, EDITOR_EMAIL).disabled_at is None
    clock.advance(minutes=1)
    assert sign_in_fully(app.test_client(), clock, target.totp_secret,
                         EDITOR_EMAIL).status_code == 302


def test_an_admin_cannot_disable_or_demote_themselves(app, admin):
    url = f"/redactie/beheer/redacteurs/{admin.editor_id}"
    page = checked_page(admin, url)
    assert page.select_one("form[action$='/uitschakelen']") is None
    assert "niet uitschakelen" in page.get_text()
    token = page.select_one("input[name=csrf_token]")["value"]
    response = admin.post(url + "/uitschakelen", data={"csrf_token": token}, follow_redirects=True)
    assert "Je kunt je eigen account niet uitschakelen" in response.get_data(as_text=True)
    assert _editor(app, ADMIN_EMAIL).disabled_at is None

    response = post_form(admin, url, {"role": "editor"})
    assert response.status_code == 200
    assert "Je kunt jezelf geen andere rol geven" in response.get_data(as_text=True)
    assert _editor(app, ADMIN_EMAIL).role == "admin"


def test_change_the_role_of_another_editor(app, admin, editor):
    target = _editor(app, EDITOR_EMAIL)
    response = post_form(admin, f"/redactie/beheer/redacteurs/{target.id}", {"role": "admin"})
    assert response.status_code == 302
    assert _editor(app, EDITOR_EMAIL).role == "admin"
    checked_page(editor, "/redactie/beheer/")  # now allowed
    response = post_form(admin, f"/redactie/beheer/redacteurs/{target.id}", {"role": "baas"})
    assert "Kies een rol." in response.get_data(as_text=True)


def test_reset_second_factor_forces_enrolment_and_ends_sessions(app, admin, editor, clock):
    target = _editor(app, EDITOR_EMAIL)
    with app.app_context():
        from wdp.editors import operations as ops
        ops.new_recovery_codes(db.session.get(Editor, target.id))
        db.session.commit()
    page = checked_page(admin, f"/redactie/beheer/redacteurs/{target.id}")
    token = page.select_one("input[name=csrf_token]")["value"]
    response = admin.post(f"/redactie/beheer/redacteurs/{target.id}/tweede-stap",
                          data={"csrf_token": token})
    assert response.status_code == 302
    after = _editor(app, EDITOR_EMAIL)
    assert after.totp_secret is None and after.enrolled_at is None
    with app.app_context():
        assert db.session.scalar(select(func.count(RecoveryCode.id)).where(
            RecoveryCode.editor_id == target.id)) == 0
    assert editor.get("/redactie/").status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, EDITOR_EMAIL).headers["Location"] == "/redactie/code"
    assert "Koppel je telefoon" in checked_page(fresh, "/redactie/code").h1.get_text()
    assert "Nog niet gekoppeld" in checked_page(
        admin, f"/redactie/beheer/redacteurs/{target.id}").get_text()
