"""A program's timeline for its page: periods newest first, each with the word
diff of its policy text against the period before it."""

from __future__ import annotations

from monitor import worddiff


def entries(periods: list[dict]) -> list[dict]:
    """`program_timeline` periods (oldest first) as page entries, newest first.

    Every period but the first gets "diffs": one per page URL of either
    version, {"url", "status" (changed, unchanged, added, removed),
    "segments"}; the first gets "diffs": None.
    """
    out = []
    for index, period in enumerate(periods):
        previous = periods[index - 1] if index else None
        diffs = _page_diffs(previous["pages"], period["pages"]) if previous else None
        out.append({**period, "diffs": diffs})
    return out[::-1]


def _page_diffs(older: dict[str, str], newer: dict[str, str]) -> list[dict]:
    diffs = []
    for url in sorted(set(older) | set(newer)):
        before, after = older.get(url), newer.get(url)
        if before == after:
            diffs.append({"url": url, "status": "unchanged", "segments": []})
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        segments = worddiff.with_context(worddiff.word_diff(before or "", after or ""))
        diffs.append({"url": url, "status": status, "segments": segments})
    return diffs
