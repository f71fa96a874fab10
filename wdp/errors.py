"""Styled error pages: 404 for anything unknown, 400 for a bad form, 500 with a rollback."""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from wdp.extensions import db


def init_app(app):
    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/400.html", reason=_(
            "We konden je formulier niet goed ontvangen. Ga terug, laad de pagina opnieuw "
            "en probeer het nog eens.")), 400

    @app.errorhandler(429)
    def too_many(error):
        return render_template("errors/429.html"), 429

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("errors/400.html", reason=None), 400

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/500.html"), 500
