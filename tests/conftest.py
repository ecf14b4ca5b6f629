"""Shared test fixtures: real databases and the fixture sites on a real HTTP server."""

from __future__ import annotations

import os
import shutil
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from monitor.config import Config, load_config
from monitor.demo import FixtureServer, fixture_config_text
from monitor.store.writer import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
PG_ENV = "VISA_MONITOR_TEST_PG"
BROWSER = "/usr/bin/chromium"
REQUIRE_BROWSER_ENV = "VISA_MONITOR_REQUIRE_BROWSER"

# Every run fails when a subscriber's token appears in any of its output.
pytest_plugins = ["output_watch"]


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium: CI installs it and requires them to run."""
    if os.path.exists(BROWSER) or os.environ.get(REQUIRE_BROWSER_ENV):
        return
    skip = pytest.mark.skip(reason=f"{BROWSER} is missing (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


@pytest.fixture(params=_backends())
def db_url(request, tmp_path) -> str:
    """A fresh, empty database: an SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'monitor.db'}"
        return
    with pg_schema("t") as url:
        yield url


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A URL of the test PostgreSQL whose tables live in a new, empty schema of
    their own (dropped afterwards): one server serves many isolated databases."""
    base = os.environ[PG_ENV]
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'monitor.db'}"


@pytest.fixture
def store(db_url):
    store = Store.open(db_url)
    yield store
    store.close()


@dataclass
class Sites:
    """A private copy of the fixture sites, served, with a config pointing at it."""

    root: Path  # the copied fixtures/ folder; edit files under root / "sites"
    server: FixtureServer
    config_path: Path

    @property
    def origin(self) -> str:
        return self.server.origin

    def config(self, *program_ids: str) -> Config:
        return load_config(self.config_path).select(list(program_ids))

    def page(self, path: str) -> Path:
        return self.root / "sites" / path.lstrip("/")

    def fetched_paths(self) -> list[str]:
        return [path for path, _ in self.server.requests]


@pytest.fixture
def sites(tmp_path) -> Sites:
    root = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, root)
    with FixtureServer(root / "sites", port=0) as server:
        config_path = tmp_path / "programs.toml"
        config_path.write_text(fixture_config_text(root, server.origin), encoding="utf-8")
        yield Sites(root, server, config_path)


@pytest.fixture(scope="session")
def expected() -> dict:
    with open(FIXTURES / "expected.toml", "rb") as handle:
        return tomllib.load(handle)["programs"]


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> str:
    """An SQLite database with a crawled history (tests/web_history.py), shared read-only."""
    from web_history import build

    return build(tmp_path_factory.mktemp("web"))
