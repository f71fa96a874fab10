"""The migrations build exactly the schema the models describe, on this run's database."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from wdp.extensions import db

# Expression indexes (lower(email)) cannot be reflected on SQLite, so autogenerate skips
# them; the test below checks them by name instead.
SKIPPED_EXPRESSION_INDEXES = [
    "ignore:Skipped unsupported reflection of expression-based index",
    "ignore:autogenerate skipping metadata-specified expression-based index",
]


@pytest.mark.filterwarnings(*SKIPPED_EXPRESSION_INDEXES)
def test_migrations_match_the_models(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "a model changed without a migration: flask db migrate"


def test_every_index_of_the_models_exists_by_name(app_ctx):
    if db.engine.dialect.name == "postgresql":
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    existing = set(db.session.scalars(text(query)))
    wanted = {index.name for table in db.metadata.tables.values() for index in table.indexes}
    assert "ix_ratings_lower_email_location" in wanted
    assert wanted <= existing, f"missing: {sorted(wanted - existing)}"
