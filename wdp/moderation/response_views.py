"""The response queue of the editors' inbox: next response, its item page and decisions."""
from flask import Blueprint

bp = Blueprint("response_moderation", __name__, url_prefix="/redactie/reacties")
