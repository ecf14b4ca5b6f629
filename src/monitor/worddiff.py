"""Word diff between two versions of a policy text, for the CLI and the web pages.

The text is compared word by word (line breaks kept as words of their own) and
returned as segments: runs of equal, deleted and inserted words. Each front
end draws them its own way (`[-…-]`/`{+…+}` in colour, `<del>`/`<ins>` in HTML).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

EQUAL, DELETE, INSERT = "equal", "delete", "insert"


@dataclass(frozen=True)
class Segment:
    kind: str  # equal | delete | insert
    text: str  # the words joined by spaces, line breaks kept
    space_before: bool  # a space separates it from the previous segment


def word_diff(older: str, newer: str) -> list[Segment]:
    old_words, new_words = words(older), words(newer)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    chunks: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append((EQUAL, join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            chunks.append((DELETE, join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            chunks.append((INSERT, join(new_words[b1:b2])))
    segments: list[Segment] = []
    for kind, text in chunks:
        if not text:
            continue
        previous = segments[-1].text if segments else ""
        space = bool(previous) and not previous.endswith("\n") and not text.startswith("\n")
        segments.append(Segment(kind, text, space))
    return segments


def words(text: str) -> list[str]:
    """Words, with each line break kept as a token of its own."""
    return re.findall(r"\n|[^\s]+", text)


def join(chunk: list[str]) -> str:
    """Words joined by spaces, with no space around a line break."""
    return " ".join(chunk).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


GAP = "gap"


def with_context(segments: list[Segment], context: int = 20) -> list[Segment]:
    """The diff with long unchanged runs cut to `context` words around each change.

    A cut is a GAP segment ("…"), so a long page shows its changes, not its
    whole text. A diff with no change at all is returned whole.
    """
    if all(segment.kind == EQUAL for segment in segments):
        return segments
    out: list[Segment] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        tokens = words(segment.text)
        keep_head = 0 if index == 0 else context  # words after the previous change
        keep_tail = 0 if index == last else context  # words before the next change
        if segment.kind != EQUAL or len(tokens) <= keep_head + keep_tail + 1:
            out.append(segment)
            continue
        if keep_head:
            out.append(Segment(EQUAL, join(tokens[:keep_head]), segment.space_before))
        out.append(Segment(GAP, "…", bool(keep_head) or segment.space_before))
        if keep_tail:
            out.append(Segment(EQUAL, join(tokens[-keep_tail:]), True))
    return out
