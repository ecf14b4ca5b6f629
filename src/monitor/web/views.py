"""The HTML pages: the program list, one program's timeline, the change list.

Endpoints are plain functions (Starlette runs them in its thread pool); the
database does the filtering, sorting and paging.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from monitor.detect import changes as change_kinds
from monitor.store import queries
from monitor.web import params, present, timeline

PER_PAGE = 50
CHANGES_PER_PAGE = 50


def programs(request: Request) -> Response:
    query = request.query_params
    store = request.app.state.store
    sort = query.get("sort") if query.get("sort") in queries.PROGRAM_SORTS else "name"
    descending = query.get("order") == "desc"
    facets = _facets(request)
    filters = {
        "q": query.get("q", "").strip(),
        "specialty": _one_of(query.get("specialty"), facets["specialties"]),
        "institution": _one_of(query.get("institution"), facets["institutions"]),
        "category": _one_of(query.get("category"), facets["categories"]),
    }
    result = queries.program_page(
        store,
        search=filters["q"] or None,
        specialty=filters["specialty"],
        institution=filters["institution"],
        category=filters["category"],
        sort=sort,
        descending=descending,
        page=params.page(query.get("page")),
        per_page=PER_PAGE,
    )
    return _render(request, "programs.html", {
        "result": result,
        "facets": facets,
        "filters": filters,
        "sort": sort,
        "descending": descending,
    })


def program(request: Request) -> Response:
    program_id = request.path_params["program_id"]
    store = request.app.state.store
    try:
        found = queries.program(store, program_id)
        periods = queries.program_timeline(store, program_id)
        events = queries.changes(store, program_id=program_id, limit=100)
    except LookupError:
        raise HTTPException(404, f"There is no program {program_id!r} in this database.") \
            from None
    return _render(request, "program.html", {
        "program": found,
        "entries": timeline.entries(periods),
        "events": events,
    })


def changes(request: Request) -> Response:
    query = request.query_params
    kind = query.get("kind") if query.get("kind") in change_kinds.KINDS else None
    page = params.page(query.get("page"))
    # One more than a page tells whether there is a next one, without counting.
    rows = queries.changes(request.app.state.store, kind=kind, limit=CHANGES_PER_PAGE + 1,
                           offset=(page - 1) * CHANGES_PER_PAGE)
    return _render(request, "changes.html", {
        "events": rows[:CHANGES_PER_PAGE],
        "kind": kind,
        "kinds": change_kinds.KINDS,
        "page": page,
        "has_next": len(rows) > CHANGES_PER_PAGE,
    })


def _facets(request: Request) -> dict:
    """The filter values, read again only after a crawl has finished."""
    store = request.app.state.store
    version = queries.data_version(store)
    cached = getattr(request.app.state, "facets", None)
    if cached is None or cached[0] != version:
        facets = queries.program_facets(store)
        options = {name: present.Options(facets[name]) for name in ("specialties", "institutions")}
        cached = (version, {**facets, "options": options})
        request.app.state.facets = cached
    return cached[1]


def _one_of(value: str | None, allowed: list[str]) -> str | None:
    """A filter value the database knows, else no filter."""
    return value if value in allowed else None


def _render(request: Request, name: str, context: dict) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context)
