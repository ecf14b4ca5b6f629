"""Page texts written as a crawl goes, so that a crawl of thousands of pages holds none in memory.

Texts are content-addressed facts (`texts`, keyed by SHA-256), true whatever
becomes of the crawl, so they are written in small batches outside the
crawl's result transaction; the pages then refer to them by hash.
"""

from __future__ import annotations

import contextlib
import hashlib

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import Store

BATCH = 200


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TextWriter:
    def __init__(self, store: Store, batch: int = BATCH):
        self.store = store
        self.batch = batch
        self.pending: dict[str, str] = {}  # sha256 -> text

    def add(self, text: str) -> str:
        """Queue `text` for the store; its SHA-256."""
        digest = text_sha256(text)
        self.pending[digest] = text
        if len(self.pending) >= self.batch:
            self.flush()
        return digest

    def flush(self) -> None:
        if not self.pending:
            return
        try:
            self._insert(self.pending)
        except IntegrityError:
            # Another crawl wrote one of them in the meantime: one by one.
            for digest, text in self.pending.items():
                with contextlib.suppress(IntegrityError):
                    self._insert({digest: text})
        self.pending = {}

    def _insert(self, texts: dict[str, str]) -> None:
        with self.store.sessions.begin() as session:
            known = set(session.scalars(
                select(models.PageText.sha256).where(models.PageText.sha256.in_(list(texts)))
            ))
            now = utcnow()
            rows = [{"sha256": digest, "text": text, "created_at": now}
                    for digest, text in texts.items() if digest not in known]
            if rows:
                # One executemany: the ORM's unit of work cost the crawl's reactor
                # more than the database did.
                session.execute(insert(models.PageText), rows)
