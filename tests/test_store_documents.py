"""The document cache on every configured database backend."""

import hashlib

from sqlalchemy import func, select

from monitor.store import models
from monitor.store.documents import find_document, remember_document


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_text_and_errors_are_found_by_hash_and_reader(store):
    policy, scan = _sha(b"policy"), _sha(b"scan")
    assert find_document(store, policy, "r1") is None
    remember_document(store, policy, "r1", "page one\fpage two", None)
    remember_document(store, scan, "r1", None, "scanned PDF without a text layer (1 page)")
    found = find_document(store, policy, "r1")
    assert (found.text, found.error) == ("page one\fpage two", None)
    found = find_document(store, scan, "r1")
    assert (found.text, found.error) == (None, "scanned PDF without a text layer (1 page)")
    # Another version of the reader reads the same bytes afresh.
    assert find_document(store, policy, "r2") is None


def test_a_second_record_of_the_same_bytes_is_harmless(store):
    sha = _sha(b"policy")
    remember_document(store, sha, "r1", "same text", None)
    remember_document(store, sha, "r1", "same text", None)
    remember_document(store, _sha(b"other bytes"), "r1", "same text", None)
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Document)) == 2
        # The text is stored once, like every page text.
        assert session.scalar(select(func.count()).select_from(models.PageText)) == 1
