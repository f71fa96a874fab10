"""Passwords: the reset link through the outbox, choosing a new one, changing it, hashing."""
import logging
import re

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.editors.helpers import (
    PASSWORD,
    get,
    last_mail_to,
    make_editor,
    post_form,
    post_with_token,
    session_cookie,
    sign_in,
    sign_in_fully,
)
from wdp.editors import operations as ops
from wdp.editors.models import Editor, EditorSession
from wdp.extensions import db
from wdp.logredact import redact
from wdp.mail.models import OutboxMessage

NEW_PASSWORD = "een nieuw en lang wachtwoord"


def summary(response):
    soup = BeautifulSoup(response.data, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".error-summary a")]


def ask_reset(client, email="anna@redactie.test"):
    return post_form(client, "/redactie/wachtwoord-vergeten", {"email": email})


def reset_path(app, email="anna@redactie.test"):
    mail = last_mail_to(app, email)
    assert mail is not None and mail.template == "editor_password_reset"
    path = re.search(r"http://wdp\.test(/redactie/wachtwoord/\S+)", mail.text).group(1)
    assert path in mail.html
    return path


def outbox_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_forgot_password_page(client):
    soup = get(client, "/redactie/wachtwoord-vergeten")
    assert soup.h1.get_text(strip=True) == "Wachtwoord vergeten"
    assert soup.select_one(".back-link")["href"] == "/redactie/aanmelden"
    assert soup.select_one("#email")["autocomplete"] == "email"


@pytest.mark.parametrize("email,message", [
    ("", "Vul je e-mailadres in."),
    ("geen adres", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
])
def test_forgot_password_says_what_to_fill_in(client, email, message):
    response = ask_reset(client, email)
    assert response.status_code == 200 and summary(response) == [message]
    assert BeautifulSoup(response.data, "html.parser").select_one("#email")["value"] == email


def test_every_address_gets_the_same_answer_and_only_an_editor_a_mail(client, app, editor):
    make_editor(app, email="weg@redactie.test", name="Weg")
    with app.app_context():
        ops.disable_editor(db.session.scalar(select(Editor).where(
            Editor.email == "weg@redactie.test")))
        db.session.commit()
    answers = set()
    for address in ("niemand@redactie.test", "weg@redactie.test", "Anna@Redactie.test"):
        response = ask_reset(client, address)
        assert response.status_code == 302
        answers.add(response.headers["Location"])
    assert answers == {"/redactie/wachtwoord-vergeten/verstuurd"}
    soup = get(client, "/redactie/wachtwoord-vergeten/verstuurd")
    assert soup.h1.get_text(strip=True) == "Kijk in je mailbox"
    assert outbox_count(app) == 1
    mail = last_mail_to(app, "anna@redactie.test")
    assert mail.subject == "Kies een nieuw wachtwoord voor de redactie van WDP"
    assert "Hallo Anna Peeters," in mail.text
    assert "De link werkt 60 minuten en maar één keer." in mail.text


def test_the_reset_link_sets_a_new_password_once_and_ends_every_session(client, app, clock,
                                                                        editor):
    signed_in = app.test_client()
    sign_in_fully(signed_in, clock, editor[1])
    ask_reset(client)
    path = reset_path(app)
    # Opening the link (a mail scanner does) changes nothing.
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.h1.get_text(strip=True) == "Kies een nieuw wachtwoord"
    assert "Gebruik minstens 12 tekens." in soup.select_one("#password-hint").get_text()
    assert soup.select_one("#password")["autocomplete"] == "new-password"
    assert soup.select_one("main form")["action"] == path
    assert signed_in.get("/redactie/").status_code == 200

    response = post_form(client, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/aanmelden"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    soup = get(client, "/redactie/aanmelden")
    assert "Je nieuwe wachtwoord is opgeslagen. Meld je aan." in soup.select_one(
        "[role=status]").get_text()
    assert signed_in.get("/redactie/").status_code == 302, "the old session ended"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EditorSession).where(
            EditorSession.ended_at.is_(None))) == 0

    assert "horen niet bij elkaar" in summary(sign_in(app.test_client()))[0]
    clock.advance(seconds=30)
    assert sign_in_fully(app.test_client(), clock, editor[1],
                         password=NEW_PASSWORD).status_code == 302

    response = client.get(path)
    assert response.status_code == 410
    assert response.headers["Referrer-Policy"] == "no-referrer"
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.h1.get_text(strip=True) == "Deze link werkt niet meer"
    response = post_with_token(client, path, {"password": "nog een ander wachtwoord",
                                               "password_again": "nog een ander wachtwoord"})
    assert response.status_code == 410, "a used link sets nothing"


def test_the_reset_link_works_one_hour(client, app, clock, editor):
    ask_reset(client)
    path = reset_path(app)
    clock.advance(minutes=59)
    assert client.get(path).status_code == 200
    clock.advance(minutes=1)
    assert client.get(path).status_code == 410


def test_a_newer_link_replaces_the_older(client, app, editor):
    ask_reset(client)
    first = reset_path(app)
    ask_reset(client)
    second = reset_path(app)
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_a_forged_link_is_explained(client):
    response = client.get("/redactie/wachtwoord/" + "x" * 43)
    assert response.status_code == 410
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_disabled_editors_link_stops_working(client, app, editor):
    ask_reset(client)
    path = reset_path(app)
    with app.app_context():
        ops.disable_editor(db.session.get(Editor, editor[0]))
        db.session.commit()
    assert client.get(path).status_code == 410


@pytest.mark.parametrize("password,again,messages", [
    ("", "", ["Vul een nieuw wachtwoord in.", "Vul het nieuwe wachtwoord nog een keer in."]),
    ("te kort", "te kort", ["Gebruik minstens 12 tekens."]),
    ("x" * 201, "x" * 201, ["Gebruik maximaal 200 tekens."]),
    (NEW_PASSWORD, NEW_PASSWORD + "!", [
        "De twee wachtwoorden zijn niet gelijk. Typ twee keer hetzelfde wachtwoord."]),
])
def test_a_new_password_must_follow_the_rules(client, app, editor, password, again, messages):
    ask_reset(client)
    path = reset_path(app)
    response = post_form(client, path, {"password": password, "password_again": again})
    assert response.status_code == 200 and summary(response) == messages
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.title.get_text().startswith("Fout: Kies een nieuw wachtwoord")
    assert soup.select_one("#password")["value"] == ""
    assert not password or password not in response.text
    assert client.get(path).status_code == 200, "the link still works"


def test_the_reset_token_never_reaches_a_log(client, app, editor, caplog):
    caplog.set_level(logging.INFO)
    ask_reset(client)
    path = reset_path(app)
    token = path.rsplit("/", 1)[1]
    assert redact(f"GET {path} HTTP/1.1") == "GET /redactie/wachtwoord/[token] HTTP/1.1"
    assert redact("GET /redactie/wachtwoord-vergeten HTTP/1.1") == (
        "GET /redactie/wachtwoord-vergeten HTTP/1.1")
    post_form(client, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert token not in caplog.text and NEW_PASSWORD not in caplog.text
    assert "anna" not in caplog.text


# -- changing the password while signed in -----------------------------------------------------

def test_changing_the_password_keeps_this_session_and_ends_the_others(app, clock, editor):
    this, other = app.test_client(), app.test_client()
    sign_in_fully(this, clock, editor[1])
    clock.advance(seconds=30)
    sign_in_fully(other, clock, editor[1])
    soup = get(this, "/redactie/wachtwoord-wijzigen")
    assert soup.h1.get_text(strip=True) == "Wachtwoord wijzigen"
    assert soup.select_one(".back-link")["href"] == "/redactie/"
    response = post_form(this, "/redactie/wachtwoord-wijzigen", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.headers["Location"] == "/redactie/"
    soup = get(this, "/redactie/")
    assert soup.select_one("[role=status]").get_text(strip=True) == "Je wachtwoord is gewijzigd."
    assert other.get("/redactie/").status_code == 302
    assert session_cookie(this)
    with app.app_context():
        editor_row = db.session.get(Editor, editor[0])
        assert ops.check_password(editor_row.email, NEW_PASSWORD) is editor_row


def test_changing_needs_the_current_password(app, clock, editor):
    client = app.test_client()
    sign_in_fully(client, clock, editor[1])
    response = post_form(client, "/redactie/wachtwoord-wijzigen", {
        "current_password": "fout", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert summary(response) == [
        "Dit is niet je huidige wachtwoord. Vul het wachtwoord in waarmee je je aanmeldde."]
    assert NEW_PASSWORD not in response.text
    response = post_form(client, "/redactie/wachtwoord-wijzigen", {
        "current_password": "", "password": "kort", "password_again": ""})
    assert summary(response) == ["Vul je huidige wachtwoord in.", "Gebruik minstens 12 tekens.",
                                 "Vul het nieuwe wachtwoord nog een keer in."]


# -- hashing -----------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2id(app, editor):
    with app.app_context():
        stored = db.session.get(Editor, editor[0]).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_an_old_hash_is_upgraded_at_sign_in(client, app, editor):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with app.app_context():
        db.session.get(Editor, editor[0]).password_hash = weak
        db.session.commit()
    assert sign_in(client).headers["Location"] == "/redactie/code"
    with app.app_context():
        upgraded = db.session.get(Editor, editor[0]).password_hash
    assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)
