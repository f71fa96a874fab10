"""One public blueprint per sector, all four built from the one implementation in views.py."""


def register_sector_blueprints(app):
    from wdp.sectors.catalog import SECTORS
    from wdp.sectors.views import make_sector_blueprint
    for info in SECTORS:
        app.register_blueprint(make_sector_blueprint(info.slug))
