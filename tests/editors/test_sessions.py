"""Server-side sessions: who reaches which page, sign-out, idle expiry, disabling, CSRF."""
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.editors.helpers import PASSWORD, Clock, get, make_editor, post_form, session_cookie, sign_in_fully
from wdp.clock import now
from wdp.editors import operations as ops
from wdp.editors.models import Editor, EditorSession
from wdp.extensions import db

#: pages anyone may open: everything else of the blueprint needs a signed-in editor
PUBLIC = {"editors.sign_in", "editors.second_factor", "editors.forgot_password",
          "editors.reset_sent", "editors.new_password"}


@pytest.fixture
def signed_in(app, client, clock, editor):
    assert sign_in_fully(client, clock, editor[1]).status_code == 302
    return client


def editor_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("editors.") and rule.endpoint not in PUBLIC:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule


def test_every_editor_route_sends_anonymous_people_to_sign_in(app, client):
    routes = list(editor_routes(app))
    assert {path for _method, path in routes} >= {
        "/redactie/", "/redactie/afmelden", "/redactie/wachtwoord-wijzigen"}
    token = get(client, "/redactie/aanmelden").select_one("input[name=csrf_token]")["value"]
    for method, path in routes:
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, path)
        location = response.headers["Location"]
        assert location.startswith("/redactie/aanmelden"), (method, path, location)
        if method == "GET":
            assert location == f"/redactie/aanmelden?volgende={path}"


def test_a_forged_or_unknown_cookie_is_refused(app, client):
    client.set_cookie("wdp_editor", "x" * 43, path="/redactie/")
    assert client.get("/redactie/").status_code == 302
    client.set_cookie("wdp_editor", "x" * 500, path="/redactie/")
    assert client.get("/redactie/").status_code == 302


def test_after_sign_in_the_editor_lands_where_they_wanted_to_go(client, clock, editor):
    response = client.get("/redactie/wachtwoord-wijzigen")
    response = post_form(client, response.headers["Location"],
                         {"email": "anna@redactie.test", "password": PASSWORD})
    assert response.headers["Location"] == "/redactie/code"
    response = post_form(client, "/redactie/code", {"code": clock.code(editor[1])})
    assert response.headers["Location"] == "/redactie/wachtwoord-wijzigen"


@pytest.mark.parametrize("target", ["https://elders.test/", "//elders.test/redactie/",
                                    "/redactie//elders.test", "/over"])
def test_only_editor_pages_are_followed_after_sign_in(client, clock, editor, target):
    response = post_form(client, f"/redactie/aanmelden?volgende={target}",
                         {"email": "anna@redactie.test", "password": PASSWORD})
    response = post_form(client, "/redactie/code", {"code": clock.code(editor[1])})
    assert response.headers["Location"] == "/redactie/"


def test_a_signed_in_editor_skips_the_sign_in_page(signed_in):
    assert signed_in.get("/redactie/aanmelden").headers["Location"] == "/redactie/"


def test_editor_pages_are_never_cached(signed_in):
    assert signed_in.get("/redactie/").headers["Cache-Control"] == "no-store"
    assert signed_in.get("/redactie/aanmelden").headers["Cache-Control"] == "no-store"


def test_sign_out_ends_the_session_on_the_server(app, signed_in, editor):
    old_cookie = session_cookie(signed_in)
    response = post_form(signed_in, "/redactie/", {})
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/aanmelden"
    assert session_cookie(signed_in) is None, "the browser forgets the cookie"
    soup = get(signed_in, "/redactie/aanmelden")
    assert soup.select_one("[role=status]").get_text(strip=True) == "Je bent afgemeld."
    with app.app_context():
        row = db.session.scalars(select(EditorSession)).one()
        assert row.ended_at is not None
    # Someone who kept a copy of the cookie gets nothing.
    thief = app.test_client()
    thief.set_cookie("wdp_editor", old_cookie, path="/redactie/")
    response = thief.get("/redactie/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/redactie/aanmelden")


def test_sign_out_is_a_post_only(signed_in):
    assert signed_in.get("/redactie/afmelden").status_code == 405
    assert signed_in.get("/redactie/").status_code == 200


def test_a_session_ends_after_thirty_idle_minutes(app, signed_in, clock):
    clock.advance(minutes=29)
    assert signed_in.get("/redactie/").status_code == 200, "activity keeps it going"
    clock.advance(minutes=29)
    assert signed_in.get("/redactie/").status_code == 200
    clock.advance(minutes=30)
    response = signed_in.get("/redactie/")
    assert response.headers["Location"] == "/redactie/aanmelden?volgende=/redactie/"
    assert session_cookie(signed_in) is None
    soup = get(signed_in, "/redactie/aanmelden?volgende=/redactie/")
    assert "Je was te lang niet actief. Meld je opnieuw aan." in soup.select_one(
        "[role=status]").get_text()
    with app.app_context():
        assert db.session.scalars(select(EditorSession)).one().ended_at == clock.now


def test_the_idle_time_is_a_setting(app, signed_in, clock):
    app.config["WDP_EDITOR_IDLE_MINUTES"] = 5
    try:
        clock.advance(minutes=5)
        assert signed_in.get("/redactie/").status_code == 302
    finally:
        app.config["WDP_EDITOR_IDLE_MINUTES"] = 30


def test_a_session_ends_after_twelve_hours_however_active(signed_in, clock):
    for _ in range(47):
        clock.advance(minutes=15)
        assert signed_in.get("/redactie/").status_code == 200
    clock.advance(minutes=15)
    assert signed_in.get("/redactie/").status_code == 302


def test_disabling_an_editor_ends_their_open_session_at_once(app, signed_in, editor):
    assert signed_in.get("/redactie/").status_code == 200
    with app.app_context():
        ops.disable_editor(db.session.get(Editor, editor[0]))
        db.session.commit()
        assert db.session.scalars(select(EditorSession)).one().ended_at is not None
    assert signed_in.get("/redactie/").status_code == 302


def test_a_disabled_flag_alone_also_refuses_the_session(app, signed_in, editor):
    with app.app_context():
        db.session.get(Editor, editor[0]).disabled_at = now()
        db.session.commit()
    assert signed_in.get("/redactie/").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(EditorSession)).one().ended_at is not None


def test_sessions_of_other_editors_stay_open(app, signed_in, clock, editor):
    other_id, secret = make_editor(app, email="bert@redactie.test", name="Bert")
    other = app.test_client()
    sign_in_fully(other, clock, secret, email="bert@redactie.test")
    with app.app_context():
        ops.disable_editor(db.session.get(Editor, editor[0]))
        db.session.commit()
    assert other.get("/redactie/").status_code == 200


@pytest.mark.parametrize("path", ["/redactie/aanmelden", "/redactie/code", "/redactie/afmelden",
                                  "/redactie/wachtwoord-vergeten",
                                  "/redactie/wachtwoord-wijzigen"])
def test_a_post_without_a_csrf_token_is_refused(signed_in, path):
    response = signed_in.post(path, data={"email": "anna@redactie.test", "code": "123456"})
    assert response.status_code == 400
    assert signed_in.get("/redactie/").status_code == 200, "nothing happened"


def test_a_post_with_a_forged_csrf_token_is_refused(client, editor):
    response = client.post("/redactie/aanmelden", data={
        "csrf_token": "forged", "email": "anna@redactie.test",
        "password": "paard batterij nietje correct"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.h1.get_text(strip=True) == "Dat lukte niet"


# -- admin_required ----------------------------------------------------------------------------

@pytest.fixture
def admin_app(database_url):
    """A second app on the same database, with one page behind admin_required."""
    from wdp import create_app
    from wdp.editors.auth import admin_required
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret", "WDP_BASE_URL": "http://wdp.test",
                      "RATELIMIT_ENABLED": False})

    @app.get("/redactie/test-beheer")
    @admin_required
    def admin_only():
        return "alleen beheerders"

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_admin_pages_refuse_anonymous_people_and_editors(admin_app, editor):
    clock = Clock(admin_app)
    client = admin_app.test_client()
    response = client.get("/redactie/test-beheer")
    assert response.headers["Location"] == "/redactie/aanmelden?volgende=/redactie/test-beheer"
    sign_in_fully(client, clock, editor[1])
    response = client.get("/redactie/test-beheer")
    assert response.status_code == 403
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.h1.get_text(strip=True) == "Alleen voor beheerders"
    assert b"alleen beheerders" not in response.data


def test_admin_pages_open_for_admins(admin_app):
    clock = Clock(admin_app)
    _, secret = make_editor(admin_app, email="admin@redactie.test", role="admin")
    client = admin_app.test_client()
    sign_in_fully(client, clock, secret, email="admin@redactie.test")
    response = client.get("/redactie/test-beheer")
    assert response.status_code == 200 and response.data == b"alleen beheerders"
    assert client.get("/redactie/").status_code == 200, "an admin is an editor too"

