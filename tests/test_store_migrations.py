"""The migrations build exactly the schema of models.py (SQLite, and PostgreSQL when set)."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from monitor.store import db
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


def test_the_alerts_migration_goes_down_and_up_again(db_url):
    store = Store.open(db_url)
    try:
        config = db.alembic_config(store.engine)
        command.downgrade(config, "0001")
        tables = set(inspect(store.engine).get_table_names())
        assert not tables & {"subscriptions", "outbox", "delivery_attempts"}
        columns = {c["name"] for c in inspect(store.engine).get_columns("verdicts")}
        assert "classifier_version" not in columns
        command.upgrade(config, "head")
        assert db.current_revision(store.engine) == db.head_revision()
    finally:
        store.close()
