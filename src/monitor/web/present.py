"""What the templates need to show values: labels, dates, links that keep the filters."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request

# The taxonomy's exact value names are shown; these say what they mean.
CATEGORIES = {
    "h1b": "sponsors H-1B (and J-1)",
    "h1b_limited": "H-1B case by case, mainly J-1",
    "j1_only": "J-1 only, no H-1B",
    "none": "no visa sponsorship",
    "unknown": "no stance found",
}
KINDS = {
    "stance": "Stance changed",
    "wording": "Wording changed",
    "statement_missing": "Statement missing",
    "unreachable": "Unreachable",
    "recovered": "Reachable again",
    "reread": "Read anew (page unchanged)",
    "flapping": "Flapping (alternates; not sent as a change)",
}
STEP3 = {True: "required", False: "not required", None: "—"}


def when(value: str | None) -> str:
    """An ISO time as people read it, in UTC to the minute."""
    if not value:
        return "—"
    return _utc(value).strftime("%Y-%m-%d %H:%M UTC")


def minute(value: str | None) -> str:
    """An ISO time in UTC to the minute, without the zone (the column names it)."""
    return _utc(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def day(value: str | None) -> str:
    return _utc(value).strftime("%Y-%m-%d") if value else "—"


def _utc(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed


def web_url(value: str | None) -> str | None:
    """The URL when it is an http(s) address, else None: a page never links to
    `javascript:` or `data:` whatever a site or a config file says."""
    if value and value.lower().startswith(("http://", "https://")):
        return value
    return None


def link(request: Request, **updates) -> str:
    """This page's query string with some parameters changed (None drops one)."""
    values = dict(request.query_params)
    values.update(updates)
    kept = {key: value for key, value in values.items() if value not in (None, "")}
    return "?" + urlencode(kept) if kept else request.url.path


class Options:
    """The <option>s of a long select (1,000+ institutions), escaped once.

    Made when the filter values are read (after each crawl), so a request only
    marks the chosen one instead of escaping every name again.
    """

    def __init__(self, values: list[str]):
        self.values = set(values)
        self.html = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)

    def selecting(self, chosen: str | None) -> Markup:
        if chosen not in self.values:
            return Markup(self.html)
        mark = f'<option value="{escape(chosen)}">'
        return Markup(self.html.replace(mark, mark[:-1] + " selected>", 1))


def install(env: jinja2.Environment) -> None:
    env.filters.update(when=when, minute=minute, day=day, web_url=web_url,
                       step3=lambda value: STEP3[value])
    env.globals.update(link=link, CATEGORIES=CATEGORIES, KINDS=KINDS)
