"""Admin routes of participation: sign-ups, agreements per location and the rate per sector."""
from flask import Blueprint

bp = Blueprint("participation_admin", __name__, url_prefix="/redactie/beheer/deelname")
