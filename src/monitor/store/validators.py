"""What the last full read of each URL found: validators, body hash, text and page verdict.

The spider sends the validators back (If-None-Match / If-Modified-Since);
the classify pipeline looks up the reading of a page that answered 304 or
whose body hash is unchanged, and reuses it instead of extracting and
classifying again. Only readings by the installed classifier are reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from monitor.classify.sections import Part
from monitor.classify.verdict import Evidence, Verdict
from monitor.store import models

if TYPE_CHECKING:  # the writer saves validators: no import cycle at run time
    from monitor.store.writer import Store


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None
    body_sha256: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredReading:
    text_sha256: str
    verdict: Verdict


def load_validators(store: Store, classifier_version: str) -> dict[str, Validators]:
    """{url: validators} of every URL whose stored reading the installed classifier made."""
    with store.sessions() as session:
        rows = session.execute(
            select(models.Url.url, models.PageValidator.etag,
                   models.PageValidator.last_modified, models.PageValidator.body_sha256,
                   models.PageValidator.links)
            .join(models.PageValidator, models.PageValidator.url_id == models.Url.id)
            .where(models.PageValidator.classifier_version == classifier_version)
        )
        return {url: Validators(etag, modified, body, tuple(links))
                for url, etag, modified, body, links in rows}


_READING = (
    select(models.PageText.sha256, models.PageValidator.verdict)
    .join(models.PageValidator, models.PageValidator.text_id == models.PageText.id)
    .join(models.Url, models.Url.id == models.PageValidator.url_id)
    .where(models.Url.url == bindparam("url"),
           models.PageValidator.body_sha256 == bindparam("body"),
           models.PageValidator.classifier_version == bindparam("version"))
)


class Readings:
    """Looks up stored readings on one connection (a crawl asks once per unchanged page)."""

    def __init__(self, store: Store, classifier_version: str):
        self.connection = store.engine.connect()
        self.version = classifier_version

    def find(self, url: str, body_sha256: str) -> StoredReading | None:
        """The stored text hash and page verdict of `url` when its body is still `body_sha256`."""
        try:
            row = self.connection.execute(
                _READING, {"url": url, "body": body_sha256, "version": self.version}
            ).first()
        finally:
            self.connection.rollback()  # hold no snapshot between pages
        if row is None:
            return None
        return StoredReading(row[0], verdict_from_dict(row[1]))

    def close(self) -> None:
        self.connection.close()


def validator_row(
    url_id: int, text_id: int, etag: str | None, last_modified: str | None,
    body_sha256: str, verdict: Verdict, classifier_version: str, links: list[str],
) -> dict:
    return {"url_id": url_id, "etag": etag, "last_modified": last_modified,
            "body_sha256": body_sha256, "text_id": text_id,
            "classifier_version": classifier_version, "verdict": verdict_to_dict(verdict),
            "links": list(links)}


def save_validators(session: Session, rows: list[dict]) -> None:
    """Insert or replace the rows (`validator_row`), in bulk."""
    if not rows:
        return
    ids = [row["url_id"] for row in rows]
    known = set()
    column = models.PageValidator.url_id
    for start in range(0, len(ids), 500):
        known.update(session.scalars(select(column).where(column.in_(ids[start:start + 500]))))
    new = [row for row in rows if row["url_id"] not in known]
    old = [row for row in rows if row["url_id"] in known]
    if new:
        session.execute(insert(models.PageValidator), new)
    if old:
        session.execute(update(models.PageValidator), old)  # by primary key


def verdict_to_dict(verdict: Verdict) -> dict:
    data = {
        "category": verdict.category, "h1b": verdict.h1b, "j1": verdict.j1,
        "step3_required": verdict.step3_required,
        "evidence": [{"text": e.text, "url": e.url, "axis": e.axis} for e in verdict.evidence],
        # combine() needs to know which axes were only inferred.
        "weak": sorted(verdict.weak),
    }
    if verdict.parts:  # a page of several programs: each one's part (classify.sections)
        data["parts"] = [{"title": part.title, "verdict": verdict_to_dict(part.verdict)}
                         for part in verdict.parts]
    return data


def verdict_from_dict(data: dict) -> Verdict:
    return Verdict(
        data["category"], data["h1b"], data["j1"], data["step3_required"],
        tuple(Evidence(e["text"], e["url"], e["axis"]) for e in data["evidence"]),
        frozenset(data["weak"]),
        tuple(Part(part["title"], verdict_from_dict(part["verdict"]))
              for part in data.get("parts", ())),
    )
