"""The migrations build exactly the schema of models.py (SQLite, and PostgreSQL when set)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from monitor.store.models import Base
from monitor.store.writer import Store


def test_migrations_match_the_models(db_url):
    store = Store.open(db_url)  # an empty database is migrated to the head revision
    try:
        with store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        store.close()
    assert differences == []
