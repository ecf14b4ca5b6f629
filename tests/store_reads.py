"""Reading what a crawl recorded, for crawl tests (beyond what the commands show)."""

from urllib.parse import urlsplit

from sqlalchemy import select

from monitor.store import models
from monitor.store.writer import Store


def page_errors(db_url: str, crawl_id: int) -> dict[str, dict[str, str | None]]:
    """Program id -> URL path -> the error recorded for that page in the crawl."""
    store = Store.open(db_url)
    try:
        with store.sessions() as session:
            rows = session.execute(
                select(models.Program.slug, models.Url.url, models.PageFetch.error)
                .join(models.PageFetch, models.PageFetch.program_id == models.Program.id)
                .join(models.Url, models.Url.id == models.PageFetch.url_id)
                .where(models.PageFetch.crawl_id == crawl_id)
            ).all()
    finally:
        store.close()
    errors: dict[str, dict[str, str | None]] = {}
    for slug, url, error in rows:
        errors.setdefault(slug, {})[urlsplit(url).path] = error
    return errors
