"""The web app opens the database read-only: a write through its engine fails, on
SQLite and PostgreSQL; a database it cannot read is a clear error."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient
from typer.testing import CliRunner

from monitor.cli.main import app as cli
from monitor.store import models
from monitor.store.db import DatabaseError
from monitor.store.models import utcnow
from monitor.store.writer import Store
from monitor.web import create_app


@pytest.fixture
def web_app(store, db_url):
    """The app over a migrated database (the fixture `store` created its schema)."""
    app = create_app(db_url)
    yield app
    app.state.store.close()


def test_a_write_through_the_apps_engine_fails(web_app):
    with pytest.raises(DBAPIError) as raised, web_app.state.store.engine.begin() as connection:
        connection.execute(insert(models.Crawl).values(started_at=utcnow(), outcome="running"))
    message = str(raised.value.orig).lower()
    assert "read-only" in message or "readonly" in message or "read only" in message


def test_a_schema_change_through_the_apps_engine_fails(web_app):
    with pytest.raises(DBAPIError), web_app.state.store.engine.begin() as connection:
        connection.execute(text("CREATE TABLE intruder (id INTEGER)"))


def test_the_app_reads_while_the_writer_writes(web_app, store):
    crawl = store.start_crawl(None, 0)
    with web_app.state.store.engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM crawls")).scalar_one() == crawl


def test_an_empty_database_shows_empty_pages(web_app):
    client = TestClient(web_app)
    assert "No program matches" in client.get("/").text
    assert client.get("/api/status.json").json() == []
    assert client.get("/changes").status_code == 200


def test_a_missing_sqlite_file_is_an_error_not_a_new_file(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(DatabaseError, match="no database file"):
        create_app(f"sqlite:///{path}")
    assert not path.exists()


def test_a_database_at_another_revision_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Store.open(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="revision old.*db upgrade"):
        create_app(url)


def test_serve_with_a_missing_database_exits_3(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3
    assert "no database file" in result.stderr


def test_a_database_that_breaks_while_serving_is_an_error_page(tmp_path):
    url = f"sqlite:///{tmp_path / 'breaks.db'}"
    Store.open(url).close()
    app = create_app(url)
    app.state.store.engine.dispose()
    (tmp_path / "breaks.db").write_bytes(b"this is not a database" * 100)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "The page could not be made" in response.text
    assert "not a database" not in response.text  # the details go to the log only
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-frame-options"] == "DENY"
