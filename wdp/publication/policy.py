"""The publication policy: one platform setting, chosen by an admin, read by approval and the form."""
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wdp.clock import now
from wdp.extensions import db
from wdp.publication.models import PlatformSetting

#: approval mails a "Publiceer" link; the rating goes online only when the submitter uses it
OPT_IN = "opt_in"
#: the check page asks whether the rating may go online at once when approved
CONSENT = "consent"
#: approval says the rating goes online after WDP_AUTO_PUBLISH_DAYS unless the submitter says no
AUTO_PUBLISH = "auto_publish"

POLICIES = {
    OPT_IN: _l("De indiener kiest na de goedkeuring (publiceer-link)"),
    CONSENT: _l("De indiener kiest bij het versturen; zonder toestemming kiest hij na de goedkeuring"),
    AUTO_PUBLISH: _l("Online na een aantal dagen, tenzij de indiener nee zegt"),
}
KEY = "publication_policy"
#: this worker's copy: (until, policy)
CACHE = "wdp_publication_policy"
DEFAULT = OPT_IN


def current_policy():
    """The policy in force now (the pilot's opt-in when no admin chose one).

    Read on every check page and submit, so each worker keeps it WDP_SETTINGS_CACHE_SECONDS
    (a change reaches the other workers within that time; 0 reads it every time).
    """
    seconds = current_app.config["WDP_SETTINGS_CACHE_SECONDS"]
    kept = current_app.extensions.get(CACHE)
    if seconds and kept and kept[0] > time.monotonic():
        return kept[1]
    value = db.session.scalar(select(PlatformSetting.value).where(PlatformSetting.key == KEY))
    policy = value if value in POLICIES else DEFAULT
    current_app.extensions[CACHE] = (time.monotonic() + seconds, policy)
    return policy


def set_policy(policy, editor_id=None):
    """Choose the policy; it applies to every approval from now on. The caller commits."""
    if policy not in POLICIES:
        raise ValueError(f"unknown publication policy {policy!r}")
    setting = db.session.get(PlatformSetting, KEY)
    if setting is None:
        setting = PlatformSetting(key=KEY, value=policy)
        db.session.add(setting)
    setting.value, setting.updated_at, setting.updated_by_id = policy, now(), editor_id
    current_app.extensions.pop(CACHE, None)  # this worker sees its own change at once
    return setting
