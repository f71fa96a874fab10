"""The 5-point scale (words and face pictures) and the roles as people see them."""
from flask_babel import lazy_gettext as _l

SCORE_WORDS = {
    1: _l("Heel slecht"),
    2: _l("Slecht"),
    3: _l("Gaat wel"),
    4: _l("Goed"),
    5: _l("Heel goed"),
}

#: published ratings show the role only in broad words (product.md, anonymity)
ROLE_GROUP = {
    "self": "user",
    "parent": "close",
    "family": "close",
    "representative": "close",
    "supporter": "helper",
    "staff": "helper",
}

ROLE_GROUP_LABELS = {
    "user": _l("Geschreven door de gebruiker"),
    "close": _l("Geschreven door familie of een naaste"),
    "helper": _l("Geschreven met hulp van iemand anders"),
}


def face_image(score):
    """Static path of the face pictogram for a score."""
    return f"img/faces/{int(score)}.svg"
