"""`visa-monitor serve`: the read-only web app (monitor.web) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.cli import render
from monitor.cli.common import DbOption
from monitor.store import db as dbmod


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; another than 127.0.0.1 "
                                           "makes the pages reachable from other machines.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the history as web pages, Atom feeds and JSON (read-only)."""
    import uvicorn

    from monitor.web import create_app

    url = dbmod.resolve_db_url(db)
    try:
        app = create_app(url)
    except dbmod.DatabaseError as exc:
        render.console(stderr=True).print(f"error: {exc}", style="bold red", highlight=False,
                                          soft_wrap=True, markup=False)
        raise typer.Exit(3) from None
    out = render.console(stderr=True)
    out.print(f"Serving {dbmod.redact(url)} (read-only) at http://{host}:{port}/",
              highlight=False)
    if host not in ("127.0.0.1", "localhost", "::1"):
        out.print(f"note: --host {host} makes the pages reachable from other machines",
                  highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
