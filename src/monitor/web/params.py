"""Reading query parameters: a bad value is a 400 that names the parameter."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.exceptions import HTTPException

from monitor.detect import changes as change_kinds


def date(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: not an ISO date or time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def kind(value: str | None) -> str | None:
    if not value:
        return None
    if value not in change_kinds.KINDS:
        raise HTTPException(400, f"kind must be one of {', '.join(change_kinds.KINDS)}")
    return value


def positive(value: str | None, name: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise HTTPException(400, f"{name} must be a whole number of at least 1")
    return int(value)


def page(value: str | None) -> int:
    """A page number; anything else is the first page (a link, not an API)."""
    return int(value) if value and value.isdigit() and int(value) >= 1 else 1
