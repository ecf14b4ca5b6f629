"""Alert messages as an adviser would write them.

One message per subscriber per crawl: a title that says what happened in
the program's short name ("UCLA Internal Medicine: now sponsors H-1B (was
J-1 only)"), then for each change the sentences before and after, quoted,
the page and when it was seen, and a closing line on how to unsubscribe.
Messages are plain text: Apprise escapes them for services that read HTML or
Markdown. They are cut to the service's limits by shortening the quotes
first, so the page link and the unsubscribe line always arrive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from monitor.detect.changes import (
    RECOVERED,
    REREAD,
    STANCE,
    STATEMENT_MISSING,
    UNREACHABLE,
    WORDING,
)

CATEGORY_PHRASES = {
    "h1b": "sponsors H-1B",
    "h1b_limited": "sponsors H-1B case by case",
    "j1_only": "J-1 only",
    "none": "no visa sponsorship",
    "unknown": "no visa statement found",
}
AXIS_NAMES = {"h1b": "H-1B", "j1": "J-1"}
# Quote lengths tried, longest first, until the message fits the service.
QUOTE_LIMITS = (None, 600, 300, 160, 80, 40)
MAX_QUOTES = 3
ELLIPSIS = "…"


@dataclass(frozen=True)
class AlertEvent:
    """A change event as a message needs it."""

    program_id: str
    program_name: str
    kind: str
    before: dict | None
    after: dict | None
    evidence_before: list = field(default_factory=list)
    evidence_after: list = field(default_factory=list)
    url: str | None = None
    detected_at: datetime | None = None


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def short_name(name: str) -> str:
    """'UCLA Internal Medicine Residency (Categorical / PSTP tracks)' → 'UCLA Internal Medicine'."""
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    name = re.sub(r"\s+(Residency|Fellowship)(\s+Program)?$|\s+Program$", "", name, flags=re.I)
    return name.strip() or name


def headline(event: AlertEvent) -> str:
    """'UCLA Internal Medicine: now sponsors H-1B (was J-1 only)'."""
    return f"{short_name(event.program_name)}: {_what(event)}"


def compose(
    events: list[AlertEvent],
    unsubscribe: str,
    *,
    body_limit: int = 32768,
    title_limit: int = 250,
) -> Message:
    """One message for `events` (one subscriber, one crawl) within the service's limits."""
    if not events:
        raise ValueError("a message needs at least one event")
    title = _title(events)
    if title_limit <= 0:
        # The service has no title: Apprise puts it at the top of the body.
        body_limit -= len(title) + 2
    else:
        title = _cut(title, title_limit)
    tail = "\n\n" + unsubscribe
    for quote_limit in QUOTE_LIMITS:
        body = _body(events, quote_limit)
        if len(body) + len(tail) <= body_limit:
            return Message(title, body + tail)
    # Still too long: cut the changes, never the line that says how to unsubscribe.
    if body_limit <= len(tail):
        return Message(title, _cut(unsubscribe, max(body_limit, 0)))
    return Message(title, _cut(body, body_limit - len(tail)) + tail)


def _title(events: list[AlertEvent]) -> str:
    if len(events) == 1:
        return headline(events[0])
    names = []
    for event in events:
        name = short_name(event.program_name)
        if name not in names:
            names.append(name)
    return f"{len(events)} visa policy changes: {', '.join(names)}"


def _body(events: list[AlertEvent], quote_limit: int | None) -> str:
    return "\n\n".join(
        _section(event, quote_limit, with_headline=len(events) > 1) for event in events
    )


def _section(event: AlertEvent, quote_limit: int | None, with_headline: bool) -> str:
    lines = [headline(event)] if with_headline else []
    note = _note(event)
    if note:
        lines.append(note)
    before = [item["text"] for item in event.evidence_before][:MAX_QUOTES]
    after = [item["text"] for item in event.evidence_after][:MAX_QUOTES]
    if event.kind in (UNREACHABLE, RECOVERED):
        lines += [f"Last known: {_quote(text, quote_limit)}" for text in before or after]
    else:
        lines += [f"Before: {_quote(text, quote_limit)}" for text in before]
        if event.before is not None and not before:
            lines.append("Before: (no visa statement)")
        lines += [f"After: {_quote(text, quote_limit)}" for text in after]
        if event.after is not None and not after:
            lines.append("After: (no visa statement found on the pages read)")
    if event.url:
        lines.append(f"Page: {event.url}")
    if event.detected_at is not None:
        lines.append(f"Seen: {event.detected_at:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)


def _what(event: AlertEvent) -> str:
    before, after = event.before or {}, event.after or {}
    if event.kind == STANCE:
        return f"now {_describe(after, before)} (was {_describe(before, after)})"
    if event.kind == STATEMENT_MISSING:
        return f"visa statement no longer found (was {_describe(before, after)})"
    if event.kind == WORDING:
        return f"visa wording changed (still {_phrase(after)})"
    if event.kind == UNREACHABLE:
        known = f" (last known: {_phrase(before)})" if before else ""
        return f"pages cannot be reached{known}"
    if event.kind == RECOVERED:
        return "pages can be reached again"
    if event.kind == REREAD:
        return f"our reading changed, the page did not: now {_describe(after, before)} " \
               f"(was {_describe(before, after)})"
    return event.kind


def _note(event: AlertEvent) -> str | None:
    if event.kind == REREAD:
        return ("The page text is the same as before; the monitor's classifier was updated "
                "and reads it differently.")
    if event.kind == STATEMENT_MISSING:
        return "The pages no longer say whether the program sponsors visas (confirmed twice)."
    if event.kind == UNREACHABLE:
        return "No page of the program could be loaded in several checks; the stance is kept."
    return None


def _phrase(axes: dict) -> str:
    return CATEGORY_PHRASES.get(axes.get("category"), str(axes.get("category")))


def _describe(axes: dict, other: dict) -> str:
    """The category, or the axes that differ when the category did not move."""
    if not axes:
        return "nothing known"
    if axes.get("category") != other.get("category"):
        return _phrase(axes)
    changed = [f"{AXIS_NAMES[axis]} {axes.get(axis)}" for axis in ("h1b", "j1")
               if axes.get(axis) != other.get(axis)]
    return ", ".join(changed) or _phrase(axes)


def _quote(text: str, limit: int | None) -> str:
    text = " ".join(text.split())
    if limit is not None:
        text = _cut(text, limit)
    return f"“{text}”"


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    # At a word boundary when one is near.
    space = cut.rfind(" ")
    if space > len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS
