"""Shared bits of the publication-extras tests (policy page, consent, figures, lost links)."""
from wdp.extensions import db
from wdp.publication import policy

#: the path of the submitter's status page (wdp/publication/views.py)
STATUS_PREFIX = "/mijn-waardering/"


def choose_policy(app, chosen):
    with app.app_context():
        policy.set_policy(chosen)
        db.session.commit()
