"""Fixtures of the inbox tests: the test clock, an editor with a second factor, signed in."""
import pytest

from tests.editors.helpers import Clock, make_editor, sign_in_fully


@pytest.fixture
def clock(app):
    return Clock(app)


@pytest.fixture
def editor(app):
    return make_editor(app)


@pytest.fixture
def signed_in(client, clock, editor):
    sign_in_fully(client, clock, editor[1])
    return client
