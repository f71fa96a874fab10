"""Signed-in admins and editors for the participation tests (as tests/admin does)."""
import pytest

from tests.admin.conftest import signed_in

ADMIN_EMAIL = "beheer@redactie.test"
EDITOR_EMAIL = "anna@redactie.test"


@pytest.fixture
def admin(app, clock):
    """A test client signed in as an admin (its .editor_id is the admin's id)."""
    return signed_in(app, clock, ADMIN_EMAIL, "admin")


@pytest.fixture
def editor(app, clock):
    """A test client signed in as a plain editor."""
    return signed_in(app, clock, EDITOR_EMAIL, "editor")
