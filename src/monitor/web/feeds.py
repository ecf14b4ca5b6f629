"""Atom feeds of change events (feedgen): one entry per event, with a stable id.

An entry's id is a tag URI made of what identifies the event in any copy of
the database (program, kind, time detected), so a feed reader never shows an
event twice, even after the database is moved or rebuilt from an export.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from monitor.store import queries
from monitor.web.present import CATEGORIES, KINDS

ENTRIES = 100
TAG = "tag:visa-monitor,2026:"
EPOCH = datetime.fromisoformat("2026-01-01T00:00:00+00:00")


def all_changes(request: Request) -> Response:
    events = queries.changes(request.app.state.store, limit=ENTRIES)
    return _atom(request, events, feed_id=f"{TAG}changes",
                 title="visa-monitor: visa policy changes",
                 page=str(request.url_for("changes")))


def program_changes(request: Request) -> Response:
    program_id = request.path_params["program_id"]
    store = request.app.state.store
    try:
        program = queries.program(store, program_id)
        events = queries.changes(store, program_id=program_id, limit=ENTRIES)
    except LookupError:
        raise HTTPException(404, f"There is no program {program_id!r} in this database.") \
            from None
    return _atom(request, events, feed_id=f"{TAG}program/{quote(program_id)}",
                 title=f"visa-monitor: {program['name']}",
                 page=str(request.url_for("program", program_id=program_id)))


def entry_id(event: dict) -> str:
    return f"{TAG}change/{quote(event['program_id'])}/{event['kind']}/{event['detected_at']}"


def _atom(request: Request, events: list[dict], feed_id: str, title: str, page: str):
    templates = request.app.state.templates
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle("Changes in what residency and fellowship programs say about H-1B and J-1 "
                  "visa sponsorship, read from their own pages.")
    feed.author({"name": "visa-monitor"})
    feed.link(href=str(request.url), rel="self")
    feed.link(href=page, rel="alternate")
    feed.generator("visa-monitor")
    # The newest event, so that an unchanged feed is byte for byte the same.
    feed.updated(datetime.fromisoformat(events[0]["detected_at"]) if events else EPOCH)
    for event in events:
        detected = datetime.fromisoformat(event["detected_at"])
        entry = feed.add_entry(order="append")
        entry.id(entry_id(event))
        entry.title(_title(event))
        entry.link(href=str(request.url_for("program", program_id=event["program_id"])))
        entry.published(detected)
        entry.updated(detected)
        entry.category(term=event["kind"], label=KINDS[event["kind"]])
        body = templates.get_template("feed_entry.html").render(event=event, KINDS=KINDS)
        entry.content(body, type="html")
    body = feed.atom_str(pretty=True)
    # Feed readers poll: an unchanged feed answers 304 to the tag they already hold.
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/atom+xml", headers=headers)


def _title(event: dict) -> str:
    before = (event["before"] or {}).get("category")
    after = (event["after"] or {}).get("category")
    if event["kind"] in ("stance", "statement_missing"):
        return f"{event['name']}: {before} → {after} ({CATEGORIES.get(after, after)})"
    return f"{event['name']}: {KINDS[event['kind']].lower()}"
