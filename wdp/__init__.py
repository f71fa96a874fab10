"""create_app(): configuration, extensions, blueprints, error pages and CLI commands."""
import logging
import os

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from wdp import config
from wdp import extensions as ext

LANGUAGES = ("nl", "fr", "en")


#: pages that take their language from ?taal=: the widget and its feed live in other sites'
#: frames and scripts, where WDP's language cookie is not there (third-party cookies are
#: blocked). Not its explanation page: there the language switcher decides.
LANGUAGE_FROM_URL = ("widget.show", "widget.feed")


def select_locale():
    """The language of this request: ?taal= on the widget, else the cookie, else Dutch."""
    if request.endpoint in LANGUAGE_FROM_URL and request.args.get("taal") in LANGUAGES:
        return request.args["taal"]
    lang = request.cookies.get("lang")
    return lang if lang in LANGUAGES else "nl"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL and a busy timeout on every SQLite connection, so readers and a writer coexist."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def create_app(test_config=None):
    """Create the WDP application."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["WDP_PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["WDP_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.basicConfig(level=logging.INFO)
    from wdp import logredact
    logredact.install()

    # Through the module: the subpackage wdp.mail would shadow a bare name "mail" here.
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(config.ROOT / "migrations"))
    ext.csrf.init_app(app)
    ext.babel.init_app(app, locale_selector=select_locale)
    ext.mail.init_app(app)
    ext.htmx.init_app(app)
    ext.limiter.init_app(app)

    from wdp import (
        models,  # noqa: F401  (every table known to Alembic and the app)
        security,
        templating,
    )
    security.init_app(app)
    templating.init_app(app)

    from wdp.admin.views import bp as admin_bp
    from wdp.editors.views import bp as editors_bp
    from wdp.moderation.reports import bp as reports_bp
    from wdp.moderation.views import bp as moderation_bp
    from wdp.pages import bp as pages_bp
    from wdp.publication.lost_links_views import bp as publication_links_bp
    from wdp.publication.views import bp as publication_bp
    from wdp.rating_form.views import bp as rating_form_bp
    from wdp.sectors import register_sector_blueprints
    app.register_blueprint(pages_bp)
    app.register_blueprint(rating_form_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(editors_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(publication_bp)
    app.register_blueprint(publication_links_bp)
    from wdp.promotion.views import bp as promotion_bp
    app.register_blueprint(promotion_bp)
    from wdp.widget.views import bp as widget_bp
    app.register_blueprint(widget_bp)
    from wdp.moderation.response_views import bp as response_moderation_bp
    from wdp.organisations.editor_views import bp as organisation_editors_bp
    from wdp.organisations.response_views import bp as responses_bp
    from wdp.organisations.views import bp as organisations_bp
    from wdp.participation.admin_views import bp as participation_admin_bp
    from wdp.participation.views import bp as participation_bp
    for blueprint in (organisations_bp, responses_bp, organisation_editors_bp,
                      response_moderation_bp, participation_bp, participation_admin_bp):
        app.register_blueprint(blueprint)
    register_sector_blueprints(app)
    if app.config["WDP_BENCH_BASELINE"]:
        from wdp.baseline import bp as baseline_bp
        app.register_blueprint(baseline_bp)

    from wdp import errors
    errors.init_app(app)

    from wdp import cli
    cli.init_app(app)

    @app.before_request
    def _language():
        g.lang = select_locale()

    return app
