"""The web app: routes, templates and the read-only store they share."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from monitor.store import db
from monitor.store.writer import Store
from monitor.web import api, feeds, present, views
from monitor.web.security import HEADERS, SecurityHeaders

HERE = Path(__file__).parent


def create_app(db_url: str | None = None) -> Starlette:
    """The app over the database at `db_url` (default: the CLI's), opened read-only.

    Raises monitor.store.db.DatabaseError when the database cannot be read.
    """
    url = db.resolve_db_url(db_url)
    store = Store(db.create_readonly_engine(url), url)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        store.close()

    app = Starlette(
        routes=[
            Route("/", views.programs, name="programs"),
            Route("/programs/{program_id}", views.program, name="program"),
            Route("/changes", views.changes, name="changes"),
            Route("/feed.atom", feeds.all_changes, name="feed"),
            Route("/programs/{program_id}/feed.atom", feeds.program_changes,
                  name="program_feed"),
            Route("/api/status.json", api.status, name="api_status"),
            Route("/api/changes.json", api.changes, name="api_changes"),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.templates = _templates()
    app.add_middleware(SecurityHeaders)
    return app


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        # Everything a crawled site wrote is escaped; nothing is marked safe.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    present.install(env)
    return Jinja2Templates(env=env)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Errors are pages (or JSON under /api/), never a bare line of text."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": exc.status_code, "detail": exc.detail},
        status_code=exc.status_code, headers=getattr(exc, "headers", None),
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    """A failure of ours (the database went away, a bug): a page, with the headers.

    Starlette answers these outside the middleware, so the headers are set here.
    """
    templates: Jinja2Templates = request.app.state.templates
    detail = "The page could not be made. The error is in the server's log."
    return templates.TemplateResponse(request, "error.html", {"status": 500, "detail": detail},
                                      status_code=500, headers=HEADERS)
