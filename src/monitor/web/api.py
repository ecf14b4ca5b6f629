"""JSON endpoints: the same objects as the command line's `--json`.

Endpoints are plain functions: Starlette runs them in its thread pool, so a
database read never blocks the event loop.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from monitor.evidence import report as h1b_filings
from monitor.store import queries
from monitor.web import params


def status(request: Request) -> JSONResponse:
    """`visa-monitor status --json` (`?program=` may repeat)."""
    program_ids = request.query_params.getlist("program") or None
    store = request.app.state.store
    return JSONResponse(h1b_filings.annotate(store, queries.status(store, program_ids)))


def changes(request: Request) -> JSONResponse:
    """`visa-monitor changes --json`, with ?since=, ?kind=, ?program=, ?limit=."""
    query = request.query_params
    rows = queries.changes(
        request.app.state.store,
        since=params.date(query.get("since"), "since"),
        kind=params.kind(query.get("kind")),
        program_id=query.get("program") or None,
        limit=params.positive(query.get("limit"), "limit"),
    )
    return JSONResponse(rows)
