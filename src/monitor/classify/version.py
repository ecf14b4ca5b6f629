"""The classifier's version: a digest of the code and word lists that read pages.

Every verdict records it, so a verdict that changes while its page text did
not can be told apart (a new reading, not a new policy). It is derived from
the source rather than bumped by hand, so no rule change can forget it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).parent
# Text extraction decides what the classifier sees, so it is part of the reading.
_EXTRACT = _PACKAGE.parent / "extract"


@cache
def classifier_version() -> str:
    """A short stable digest (12 hex digits) of every module that turns text into a verdict."""
    digest = hashlib.sha256()
    for folder in (_PACKAGE, _EXTRACT):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
