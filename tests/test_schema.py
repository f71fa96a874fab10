"""The migrations build exactly the schema the models describe, on this run's database."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from wdp.extensions import db


def test_migrations_match_the_models(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "a model changed without a migration: flask db migrate"
