"""Every organisation test starts without rendered theme answers kept from another test."""
import pytest


@pytest.fixture(autouse=True)
def _no_kept_answers():
    from wdp.organisations.views import clear_answers_cache
    clear_answers_cache()
    yield
