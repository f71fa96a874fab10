"""Site pages: home with the search across sectors, about, code of conduct, privacy, contact."""
from flask import Blueprint

bp = Blueprint("pages", __name__)

from wdp.pages import views  # noqa: E402,F401
