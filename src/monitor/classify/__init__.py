"""The classifier: page text to a taxonomy verdict (see docs/visa-taxonomy.md).

Stages: `units` (lines to sentences, list items, table rows, FAQ pairs) →
`clauses` (negation, restriction and scope of each clause, findings) →
`verdict` (one page's verdict; `combine` for a program's pages) →
`assess` (a program's pages, fetch errors included, to a program result).
Cue words and patterns live in `lexicon`.
"""

from monitor.classify.verdict import (
    CATEGORIES,
    UNKNOWN,
    Evidence,
    Verdict,
    classify_extracted,
    classify_html,
    classify_text,
    combine,
)
from monitor.classify.version import classifier_version

__all__ = [
    "CATEGORIES",
    "UNKNOWN",
    "Evidence",
    "Verdict",
    "classify_extracted",
    "classify_html",
    "classify_text",
    "classifier_version",
    "combine",
]
