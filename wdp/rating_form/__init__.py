"""The rating form: its start page, the steps, drafts, submission and e-mail confirmation."""
from flask import Blueprint

bp = Blueprint("rating_form", __name__)

from wdp.rating_form import views  # noqa: E402,F401
