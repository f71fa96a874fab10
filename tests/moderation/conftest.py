"""Fixtures of the inbox tests: the test clock, an editor with a second factor, signed in."""
import pytest

from tests.editors.helpers import sign_in_fully


@pytest.fixture
def signed_in(client, clock, editor):
    sign_in_fully(client, clock, editor[1])
    return client
