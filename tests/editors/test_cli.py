"""flask create-admin: the first admin, a one-time link to choose a password, never a password."""
import re

from sqlalchemy import select

from tests.editors.helpers import Clock, get, post_form, sign_in
from wdp.editors.models import Editor
from wdp.extensions import db


def test_create_admin_prints_a_one_time_link(app, client):
    Clock(app)
    result = app.test_cli_runner().invoke(args=["create-admin", "Beheer@Redactie.test",
                                                "Bea Beheer"])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://wdp\.test(/redactie/wachtwoord/[A-Za-z0-9_-]+)\n", result.output)
    assert link, result.output
    assert "works once" in result.output and "24 hours" in result.output
    with app.app_context():
        admin = db.session.scalars(select(Editor)).one()
        assert (admin.email, admin.name, admin.role) == ("beheer@redactie.test", "Bea Beheer",
                                                         "admin")
        assert admin.password_hash is None and admin.enrolled_at is None
    assert get(client, link.group(1)).h1.get_text(strip=True) == "Kies een nieuw wachtwoord"
    password = "mijn eerste lange wachtwoord"
    response = post_form(client, link.group(1), {"password": password, "password_again": password})
    assert response.headers["Location"] == "/redactie/aanmelden"
    assert sign_in(client, "beheer@redactie.test", password).headers["Location"] == (
        "/redactie/code")
    assert client.get(link.group(1)).status_code == 410


def test_the_link_waits_a_working_day(app, client):
    clock = Clock(app)
    result = app.test_cli_runner().invoke(args=["create-admin", "beheer@redactie.test", "Bea"])
    path = re.search(r"(/redactie/wachtwoord/\S+)", result.output).group(1)
    clock.advance(hours=23, minutes=59)
    assert client.get(path).status_code == 200
    clock.advance(minutes=1)
    assert client.get(path).status_code == 410


def test_create_admin_refuses_an_existing_address(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["create-admin", "beheer@redactie.test", "Bea"]).exit_code == 0
    result = runner.invoke(args=["create-admin", "BEHEER@redactie.test", "Bea 2"])
    assert result.exit_code != 0 and "already exists" in result.output
    with app.app_context():
        assert len(db.session.scalars(select(Editor)).all()) == 1


def test_create_admin_checks_its_arguments(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "geen-adres", "Bea"])
    assert result.exit_code == 2 and "EMAIL" in result.output
    result = runner.invoke(args=["create-admin", "bea@redactie.test", "  "])
    assert result.exit_code == 2 and "NAME" in result.output
    assert runner.invoke(args=["create-admin", "bea@redactie.test"]).exit_code == 2
    with app.app_context():
        assert db.session.scalars(select(Editor)).all() == []


def test_create_admin_takes_no_password_option(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--help"])
    assert result.exit_code == 0 and "password" not in result.output.lower().replace(
        "choose a password", "")
