"""The submitter's status link: signed, no account, valid as long as the rating exists."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from wdp.extensions import db
from wdp.mail.outbox import link_to

#: a status link signed for one purpose cannot be used as any other signed value
SALT = "wdp-rating-status"
#: the status page's endpoint (wdp/publication/views.py)
STATUS_ENDPOINT = "publication.status"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def status_token(rating):
    """The signed token of a rating's status page (the same for every mail)."""
    return _serializer().dumps(rating.id)


def status_link(rating):
    """The absolute link to the rating's status page, for every mail to the submitter."""
    return link_to(STATUS_ENDPOINT, token=status_token(rating))


def rating_from_status_token(raw):
    """The rating behind a status token, or None when forged, malformed or gone."""
    from wdp.rating_form.models import Rating
    if not raw or len(raw) > 200:
        return None
    try:
        rating_id = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(rating_id, int):
        return None
    return db.session.get(Rating, rating_id)
