"""The policy each worker keeps a few seconds: its own change at once, another's within the time."""
import pytest
from sqlalchemy import update

from wdp.extensions import db
from wdp.publication import policy
from wdp.publication.models import PlatformSetting


@pytest.fixture
def kept(app, monkeypatch):
    moment = [1000.0]
    monkeypatch.setattr(policy.time, "monotonic", lambda: moment[0])
    app.config["WDP_SETTINGS_CACHE_SECONDS"] = 5
    app.extensions.pop(policy.CACHE, None)
    yield moment
    app.config["WDP_SETTINGS_CACHE_SECONDS"] = 0
    app.extensions.pop(policy.CACHE, None)


def test_the_policy_is_kept_a_few_seconds_and_an_own_change_counts_at_once(app_ctx, kept):
    assert policy.current_policy() == policy.OPT_IN
    policy.set_policy(policy.CONSENT)
    db.session.commit()
    assert policy.current_policy() == policy.CONSENT, "this worker's own change: at once"
    # Another worker changes it: this one sees it once its copy is older than 5 seconds.
    db.session.execute(update(PlatformSetting).values(value=policy.AUTO_PUBLISH))
    db.session.commit()
    kept[0] += 4
    assert policy.current_policy() == policy.CONSENT
    kept[0] += 2
    assert policy.current_policy() == policy.AUTO_PUBLISH


def test_without_keeping_every_read_asks_the_database(app_ctx):
    assert policy.current_policy() == policy.OPT_IN
    db.session.add(PlatformSetting(key=policy.KEY, value=policy.CONSENT))
    db.session.commit()
    assert policy.current_policy() == policy.CONSENT
