"""Connecting to the database and keeping its schema current (Alembic)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

DB_ENV = "VISA_MONITOR_DB"
MIGRATIONS = Path(__file__).with_name("migrations")

# How long one command waits for another's write to finish before it gives up
# with a message saying so (SQLite busy timeout, PostgreSQL lock_timeout).
BUSY_TIMEOUT_SECONDS = 30
# pg_advisory_xact_lock key held by a transaction that records a crawl.
_WRITE_LOCK_KEY = 0x5649_5341  # "VISA"


class DatabaseError(Exception):
    """The database cannot be used; the message says which and why."""


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "visa-monitor" / "visa-monitor.db"


def resolve_db_url(db: str | None = None) -> str:
    """`--db` value, else $VISA_MONITOR_DB, else the default SQLite file.

    A plain path is taken as an SQLite file.
    """
    value = db or os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and in-memory ones)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):  # a URI filename (`?uri=true`)
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def create_db_engine(url: str, create: bool = True) -> Engine:
    """An engine for `url`; with `create=False` an SQLite file is never made
    or changed by opening it (no folder, no switch to WAL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {redact(url)!r}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, create)
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"cannot use database {redact(url)}: {exc}") from None
    if parsed.get_backend_name() == "postgresql":
        _bound_postgresql_waits(engine)
    _explain_busy_errors(engine, url)
    return engine


def lock_for_write(session: Session) -> None:
    """Make this (new) transaction the only one recording results until it ends.

    Call it first thing in a transaction that reads and then writes: otherwise
    two writers (two crawls, a crawl and the sender) can both read "no such
    row" and both insert it. On SQLite the transaction starts as BEGIN
    IMMEDIATE, which waits up to the busy timeout for the write lock instead
    of failing when a read has to be upgraded; on PostgreSQL it takes a
    transaction-scoped advisory lock, bounded by lock_timeout. Readers are
    never blocked by it.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
    else:
        # Keyed by schema too: monitors sharing a server but not their tables
        # (one schema each) never wait for each other.
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
            {"key": _WRITE_LOCK_KEY},
        )


def _bound_postgresql_waits(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _lock_timeout(dbapi_connection, _record):
        # PostgreSQL waits for a lock forever by default; a command should not.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'")
        dbapi_connection.autocommit = autocommit


def _explain_busy_errors(engine: Engine, url: str) -> None:
    """A wait that ran out becomes a DatabaseError saying what it waited for."""

    @event.listens_for(engine, "handle_error")
    def _busy(context):
        message = str(context.original_exception).lower()
        if "database is locked" in message or "lock timeout" in message:
            raise DatabaseError(
                f"{redact(url)} is busy: waited {BUSY_TIMEOUT_SECONDS} s for another "
                "visa-monitor process (a crawl recording its results, or the alert "
                "sender) to finish writing, and it has not; try again when it is done"
            ) from context.original_exception


def _sqlite_engine(url: str, database: str | None, create: bool = True) -> Engine:
    path = sqlite_file(url)
    if path is not None and path.is_dir():
        raise DatabaseError(f"{path} is a directory; --db takes a database file or URL")
    if create and database and database != ":memory:" and path is not None:
        _create_private_file(path)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # WAL lets `status` read while a crawl writes; the busy timeout makes a
        # second writer wait instead of failing at once.
        cursor = dbapi_connection.cursor()
        if create:  # persistent, so it writes: only where writing is meant
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    _explain_busy_errors(engine, url)
    return engine


def create_readonly_engine(url: str) -> Engine:
    """An engine that can only read: for the web app, which must never write.

    SQLite opens the file with `mode=ro` (and `query_only`); PostgreSQL
    sessions start with `default_transaction_read_only`. The schema must
    already be current, since a read-only engine cannot migrate it.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {redact(url)!r}") from None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_readonly_engine(parsed)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except (ImportError, SQLAlchemyError) as exc:
            raise DatabaseError(f"cannot use database {redact(url)}: {exc}") from None
        event.listen(engine, "connect", _postgres_read_only)
    _require_current_schema(engine, url)
    return engine


def _sqlite_readonly_engine(parsed) -> Engine:
    database = parsed.database
    if not database or database == ":memory:" or not Path(database).is_file():
        raise DatabaseError(f"no database file at {database or '(none)'}: crawl first")
    uri = f"{Path(database).resolve().as_uri()}?mode=ro"
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=30,
                                                    check_same_thread=False)
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    return engine


def _postgres_read_only(dbapi_connection, _record) -> None:
    # Set outside a transaction so that it holds for the whole session.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    dbapi_connection.autocommit = autocommit


def _require_current_schema(engine: Engine, url: str) -> None:
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open database {redact(url)}: "
                            f"{getattr(exc, 'orig', None) or exc}") from None
    if revision != head_revision():
        engine.dispose()
        found = f"at schema revision {revision}" if revision else "not a visa-monitor database"
        raise DatabaseError(
            f"{redact(url)} is {found}; this version needs {head_revision()}: "
            "run `visa-monitor db upgrade --db ...` (or a crawl) first"
        )


def _create_private_file(path: Path) -> None:
    """Create a new SQLite file readable by its owner only.

    The database holds subscribers' Apprise URLs with their tokens. SQLite
    creates its -wal and -shm files with the mode of the database file, so
    creating the (empty, hence valid) file 0600 first covers all three. This
    is done with the mode of os.open rather than os.umask, which is global
    to the process and not thread-safe.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the folder for {path}: {exc}") from None
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # an existing database keeps the mode its owner gave it
    except OSError as exc:
        raise DatabaseError(f"cannot create the database file {path}: {exc}") from None


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def prepare(engine: Engine, url: str, create: bool = True) -> None:
    """Create the schema of an empty database; refuse an outdated one.

    An empty database is upgraded on first use, unless `create` is False (a
    reading command never creates anything). A database at an older revision
    is left alone: migrating real history is the user's explicit
    `visa-monitor db upgrade`.
    """
    try:
        revision = current_revision(engine)
        if revision is None:
            if not create:
                raise DatabaseError(no_database_message(url))
            if inspect(engine).get_table_names():
                raise DatabaseError(
                    f"{redact(url)} holds tables that are not visa-monitor's; "
                    "choose another database with --db"
                )
            upgrade(engine)
        elif revision != head_revision():
            raise DatabaseError(
                f"{redact(url)} is at schema revision {revision}, this version needs "
                f"{head_revision()}: run `visa-monitor db upgrade --db ...` first"
            )
    except OperationalError as exc:
        raise DatabaseError(f"cannot open database {redact(url)}: {exc.orig}") from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot use database {redact(url)}: {exc}") from None


def no_database_message(url: str) -> str:
    where = sqlite_file(url) or redact(url)
    return (f"no database at {where}; run `visa-monitor crawl` or "
            "`visa-monitor db upgrade` first")


def check_writable(engine: Engine, url: str) -> None:
    """DatabaseError unless a write would succeed (a read-only file, an
    immutable one, a read-only user or replica), tried and rolled back."""
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    except OperationalError as exc:
        raise DatabaseError(
            f"cannot write to database {redact(url)}: {_first_line(exc.orig)}"
        ) from None
    except SQLAlchemyError as exc:
        raise DatabaseError(
            f"cannot write to database {redact(url)}: {_first_line(exc)}"
        ) from None


def _first_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
