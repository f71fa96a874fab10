"""Public routes of participation: the sign-up form and "Nieuw op het platform"."""
from flask import Blueprint

bp = Blueprint("participation", __name__)
