"""Routes where an organisation writes its one response to a published rating."""
from flask import Blueprint

bp = Blueprint("responses", __name__, url_prefix="/organisatie/reactie")
