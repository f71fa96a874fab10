"""Signed-in admins and editors for the admin page tests."""
import pytest

from tests.editors.helpers import make_editor, sign_in_fully

ADMIN_EMAIL = "beheer@redactie.test"
EDITOR_EMAIL = "anna@redactie.test"


def signed_in(app, clock, email, role):
    editor_id, secret = make_editor(app, email=email, name=f"Test {role}", role=role)
    client = app.test_client()
    response = sign_in_fully(client, clock, secret, email)
    assert response.status_code == 302, response.data[:500]
    client.editor_id, client.secret = editor_id, secret
    return client


@pytest.fixture
def admin(app, clock):
    """A test client signed in as an admin (its .editor_id is the admin's id)."""
    return signed_in(app, clock, ADMIN_EMAIL, "admin")


@pytest.fixture
def editor(app, clock):
    """A test client signed in as a plain editor."""
    return signed_in(app, clock, EDITOR_EMAIL, "editor")
