"""What every command needs: shared options, errors as exit codes, the store.

Exit codes: 0 when the command ran (whatever the sites answered), 2 for a
bad config or bad arguments, 3 when the database cannot be used, 4 when the
crawl process itself failed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from monitor.cli import render
from monitor.config import ConfigError
from monitor.crawl.runner import CrawlBusy, CrawlError
from monitor.store import db as dbmod
from monitor.store import queries
from monitor.store.writer import Store

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar=dbmod.DB_ENV, show_envvar=True, metavar="URL|FILE",
                 help="Database URL or SQLite file (default: the user data folder)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", envvar="VISA_MONITOR_CONFIG", show_envvar=True, dir_okay=False,
                 help="Program config (default: config/programs.toml)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ProgramOption = Annotated[
    list[str] | None,
    typer.Option("--program", metavar="ID", help="Only this program (repeat for more)."),
]


class UnknownProgramError(LookupError):
    """An id the user typed that names no program; the message offers the closest."""


def fail(message: str, code: int) -> typer.Exit:
    """Print `error: message` on stderr; return the Exit to raise.

    The message is escaped: it often quotes page text, paths or driver errors,
    whose square brackets Rich would otherwise read as markup and drop.
    """
    render.console(stderr=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True
    )
    return typer.Exit(code)


@contextmanager
def errors(*usage: type[Exception]) -> Iterator[None]:
    """Turn the tool's own failures into a message and an exit code.

    `usage` names a command's own input errors (a bad evidence file, a refused
    subscription URL): exit 2, like a config error.
    """
    try:
        yield
    except (ConfigError, *usage) as exc:
        raise fail(str(exc), 2) from None
    except dbmod.DatabaseError as exc:
        raise fail(str(exc), 3) from None
    except CrawlBusy as exc:  # another crawl or the daemon holds the database
        raise fail(str(exc), 5) from None
    except CrawlError as exc:
        raise fail(str(exc), 4) from None
    except LookupError as exc:
        raise fail(str(exc.args[0] if exc.args else exc), 2) from None
    except KeyboardInterrupt:
        raise fail("interrupted; a crawl in progress is recorded as aborted", 130) from None


@contextmanager
def reading_store(db: str | None) -> Iterator[Store]:
    """The existing database, for a command that only reads it.

    Never creates anything: a missing SQLite file (a mistyped --db) or an
    empty database is a DatabaseError telling how to make one.
    """
    store = Store.open(db, create=False)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def writing_store(db: str | None) -> Iterator[Store]:
    """The database for a crawl, created when new, refused when it cannot be
    written (read-only, immutable, a directory) before anything is fetched."""
    store = Store.open(db)
    try:
        store.check_writable()
        yield store
    finally:
        store.close()


def check_program_ids(requested: Iterable[str] | None, known: Iterable[str],
                      where: str) -> None:
    """UnknownProgramError naming every unknown id and the closest known ones."""
    known = sorted(set(known))
    missing = [pid for pid in dict.fromkeys(requested or []) if pid not in known]
    if not missing:
        return
    parts = []
    for pid in missing:
        close = difflib.get_close_matches(pid, known, n=3, cutoff=0.6)
        hint = f" (closest: {', '.join(close)})" if close else ""
        parts.append(f"{pid!r}{hint}")
    raise UnknownProgramError(f"no program with id {'; '.join(parts)} in {where}")


def check_stored_ids(store: Store, requested: Iterable[str] | None) -> None:
    """As check_program_ids, against the programs the database knows."""
    if requested:
        check_program_ids(requested, queries.program_ids(store),
                          f"the database {dbmod.redact(store.url)}")
