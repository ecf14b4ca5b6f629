"""The document cache: what a PDF's bytes read as, by their SHA-256.

A crawl looks a downloaded PDF up here before parsing it; an unchanged
document (same bytes, same reader) gives back its stored text or error at the
cost of one indexed query. Entries are written as soon as a document is read,
outside the crawl's result transaction: they are facts about bytes, true
whatever becomes of the crawl, and the text is content-addressed like every
page text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.texts import text_sha256
from monitor.store.writer import Store


@dataclass(frozen=True)
class StoredDocument:
    text: str | None
    error: str | None


def find_document(store: Store, sha256: str, reader: str) -> StoredDocument | None:
    with store.sessions() as session:
        row = session.execute(
            select(models.Document.error, models.PageText.text)
            .outerjoin(models.PageText, models.PageText.id == models.Document.text_id)
            .where(models.Document.sha256 == sha256, models.Document.reader == reader)
        ).first()
    if row is None:
        return None
    return StoredDocument(text=row.text, error=row.error)


def remember_document(
    store: Store, sha256: str, reader: str, text: str | None, error: str | None
) -> None:
    """Record what the document read as; a concurrent crawl that did it first wins."""
    try:
        with store.sessions.begin() as session:
            text_id = None
            if text is not None:
                text_id = _text_id(session, text)
            session.add(models.Document(sha256=sha256, reader=reader, text_id=text_id,
                                        error=error, created_at=utcnow()))
    except IntegrityError:
        pass  # the same bytes were recorded in the meantime


def _text_id(session, text: str) -> int:
    digest = text_sha256(text)
    existing = session.scalar(select(models.PageText.id).where(models.PageText.sha256 == digest))
    if existing is not None:
        return existing
    row = models.PageText(sha256=digest, text=text, created_at=utcnow())
    session.add(row)
    session.flush()
    return row.id
