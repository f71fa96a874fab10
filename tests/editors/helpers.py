"""Editors in tests: accounts, codes from the WDP clock, and signing in the way a person does."""
from datetime import UTC, datetime, timedelta

import pyotp

from tests.mailbox import last_mail_to  # noqa: F401  (re-exported)
from tests.rating_form.helpers import csrf, get, post_form  # noqa: F401  (re-exported)
from wdp.editors import operations as ops
from wdp.extensions import db

PASSWORD = "paard batterij nietje correct"
START = datetime(2026, 3, 2, 10, 0, 0)


class Clock:
    """Moves the WDP clock of the app (WDP_NOW) in tests."""

    def __init__(self, app, start=START):
        self.app = app
        self.set(start)

    def set(self, moment):
        self.app.config["WDP_NOW"] = moment.isoformat()

    @property
    def now(self):
        return datetime.fromisoformat(self.app.config["WDP_NOW"])

    def advance(self, **delta):
        self.set(self.now + timedelta(**delta))

    def code(self, secret, steps=0):
        """The TOTP code an authenticator app shows now (or `steps` steps away)."""
        return pyotp.TOTP(secret).at(self.now.replace(tzinfo=UTC), counter_offset=steps)


def make_editor(app, email="anna@redactie.test", name="Anna Peeters", role="editor",
                password=PASSWORD, enrolled=True):
    """An editor with a password and (when enrolled) an authenticator key: (id, key)."""
    with app.app_context():
        editor = ops.create_editor(name, email, role)
        editor.password_hash = ops.hash_password(password) if password else None
        if enrolled:
            editor.totp_secret = pyotp.random_base32()
            editor.enrolled_at = datetime(2026, 1, 1)
        db.session.commit()
        return editor.id, editor.totp_secret


def sign_in(client, email="anna@redactie.test", password=PASSWORD):
    return post_form(client, "/redactie/aanmelden", {"email": email, "password": password})


def enter_code(client, code):
    return post_form(client, "/redactie/code", {"code": code})


def sign_in_fully(client, clock, secret, email="anna@redactie.test", password=PASSWORD):
    """Password and app code; the response of the code step (a redirect when it worked)."""
    response = sign_in(client, email, password)
    assert response.status_code == 302 and response.headers["Location"] == "/redactie/code"
    return enter_code(client, clock.code(secret))


def post_with_token(client, url, data=None):
    """POST with a valid CSRF token of the session, without loading the page first."""
    token = csrf(get(client, "/redactie/wachtwoord-vergeten"))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def session_cookie(client):
    cookie = client.get_cookie("wdp_editor", path="/redactie/")
    return cookie.value if cookie else None


