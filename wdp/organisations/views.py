"""Routes of the organisation side: the secure link, the organisation page, export and settings."""
from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/organisatie")
