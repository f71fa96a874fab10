"""Editors' pages about organisations: locations without an address, revoking a link."""
from flask import Blueprint

bp = Blueprint("organisation_editors", __name__, url_prefix="/redactie/organisaties")
