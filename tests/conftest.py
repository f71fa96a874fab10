"""Test fixtures: one migrated database per run (SQLite or PostgreSQL), emptied between tests.

WDP_TEST_DATABASE_URL chooses the database server: unset means SQLite in a temporary
folder; a postgresql+psycopg:// URL to a server means a template database is migrated once
and each test process works in its own copy of it.
"""
import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.pagecheck import checked_page  # noqa: F401  (re-exported for tests)
from tests.smtp import smtp, smtp_down  # noqa: F401  (fixtures)

TEST_DB_URL = os.environ.get("WDP_TEST_DATABASE_URL", "")


def _migrate(url):
    """Build the schema with the migrations, as production does."""
    from flask_migrate import upgrade

    from wdp import create_app
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        from wdp.extensions import db
        db.engine.dispose()


def _postgres_database():
    base = make_url(TEST_DB_URL)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    # Names per process, so that several test runs can share one server.
    template = f"{base.database}_template_{os.getpid()}"
    worker = f"{base.database}_{os.getpid()}"
    with admin.connect() as conn:
        # The template is rebuilt each run so a changed migration is always exercised.
        conn.execute(text(f'DROP DATABASE IF EXISTS "{worker}"'))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{template}"'))
        conn.execute(text(f'CREATE DATABASE "{template}"'))
    _migrate(base.set(database=template).render_as_string(hide_password=False))
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{worker}" TEMPLATE "{template}"'))
    return admin, template, worker, base.set(database=worker).render_as_string(
        hide_password=False)


@pytest.fixture(scope="session")
def database_url():
    if TEST_DB_URL:
        admin, template, worker, url = _postgres_database()
        yield url
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{worker}" WITH (FORCE)'))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{template}"'))
        admin.dispose()
        return
    folder = tempfile.mkdtemp(prefix="wdp-test-")
    url = "sqlite:///" + str(Path(folder) / "test.sqlite")
    _migrate(url)
    yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from wdp import create_app
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WDP_BASE_URL": "http://wdp.test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_DEFAULT_SENDER": "WDP <noreply@wdp.test>",
        "SERVER_NAME": None,
        "RATELIMIT_ENABLED": False,
        # One app serves many tests' databases: count the queue on every request.
        "WDP_WAITING_COUNT_SECONDS": 0,
        "WDP_SETTINGS_CACHE_SECONDS": 0,
    })
    yield app
    from wdp.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables(app):
    from wdp.extensions import db
    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        # DELETE beats TRUNCATE by far on tables this small, on PostgreSQL too.
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Every test starts with only the sectors, kinds and themes in the database."""
    from wdp.extensions import db
    from wdp.locations import page_cache
    from wdp.sectors.operations import seed_reference_data
    _empty_all_tables(app)
    page_cache.clear()
    with app.app_context():
        seed_reference_data()
        db.session.commit()
        db.session.remove()
    yield
    app.config.pop("WDP_NOW", None)


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        from wdp.extensions import db
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def clock(app):
    """The test clock of the editors' tests (TOTP codes follow it)."""
    from tests.editors.helpers import Clock
    return Clock(app)


@pytest.fixture
def editor(app):
    """An editor with a second factor: (id, TOTP secret)."""
    from tests.editors.helpers import make_editor
    return make_editor(app)
