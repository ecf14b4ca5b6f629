"""Pages that speak for several programs: each program's own section or table row.

A department or GME page often holds several programs ("Family Medicine
Residency" ... "Sports Medicine Fellowship" ..., or a table "Program | J-1 |
H-1B" with a row per program), and they can differ: the H-1B of one section
is not the policy of the program in the next. The page's own verdict stays
what the whole page says (sections that differ make the H-1B ``limited``),
and beside it the classifier keeps each titled part's reading. A crawl reads
the page for one program: the part whose title names that program is then
the program's own statement (`part_for`), and text outside every titled part
still applies to each.

A part's title is a short line naming a program, specialty or track
("Hematology and Medical Oncology Fellowship", "Categorical track") that
governs the lines below it up to the next such title, or the first cell of a
table row ("Internal Medicine | Yes | Yes").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.classify import lexicon as lex
from monitor.classify.units import Unit

if TYPE_CHECKING:
    from monitor.classify.verdict import Verdict

# Words that name the kind of program, not which one ("Pediatrics Residency"
# is the "Pediatrics" program); they never decide a match.
_GENERIC = frozenset([
    "a", "an", "and", "the", "of", "for", "in", "at", "to", "on", "with", "by", "through",
    "offered", "program", "programs", "residency", "residencies", "resident", "residents",
    "fellowship", "fellowships", "fellow", "fellows", "training", "track", "tracks",
    "pathway", "pathways", "department", "division", "section", "school", "center",
    "centre", "hospital", "hospitals", "health", "system", "university", "college",
    "graduate", "medical", "education", "gme", "acgme", "accredited", "clinical",
])
# Spellings of one specialty ("Hematology/Oncology" and "Hem/Onc", "OB/GYN").
_SAME = {
    "hem": "hematology", "onc": "oncology", "ob": "obstetrics", "gyn": "gynecology",
    "obgyn": "obstetrics gynecology", "peds": "pediatrics", "paediatrics": "pediatrics",
    "paediatric": "pediatric", "im": "internal medicine", "fm": "family medicine",
    "em": "emergency medicine", "psych": "psychiatry", "gi": "gastroenterology",
    "id": "infectious diseases", "pccm": "pulmonary critical care medicine",
    "orthopaedic": "orthopedic", "orthopaedics": "orthopedics", "surgical": "surgery",
}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Part:
    """One titled part of a page and what it says, read with the page's untitled text."""
    title: str
    verdict: Verdict


def part_titles(lines: list[str], units: list[Unit]) -> list[str | None]:
    """The title of the part each unit belongs to (None: outside every titled part)."""
    headings = _headings(lines)
    titles: list[str | None] = []
    for unit in units:
        if unit.table >= 0 or " | " in unit.text:
            first = unit.text.split(" | ", 1)[0].strip()
            titles.append(first if _is_part_title(first) else None)
            continue
        above = bisect.bisect_left(headings, unit.line) - 1
        titles.append(lines[headings[above]] if above >= 0 else None)
    return titles


def _headings(lines: list[str]) -> list[int]:
    """Lines that title the text below them. Of two title-like lines in a row the
    second is the heading (a page title, then a section's); three or more in a
    row are a list or a menu ("Internal Medicine / Pediatrics / Surgery")."""
    titled = [_is_part_title(line) for line in lines]
    headings: list[int] = []
    run = 0
    for i, title in enumerate(titled):
        run = run + 1 if title else 0
        ends_run = title and not (i + 1 < len(lines) and titled[i + 1])
        if ends_run and run <= 2:
            headings.append(i)
    return headings


def _is_part_title(line: str) -> bool:
    """A short line naming a program or track, not the page's policy heading."""
    words = line.split()
    if not words or len(words) > 8 or line[-1:] in ".:?!;|,":
        return False
    low = line.lower()
    if lex.ANY_TOKEN.search(low) or lex.SECTION_NOT.search(low):
        return False
    return bool(lex.SECTION_NAME.search(low) or lex.GROUP.search(low))


def part_for(parts: Iterable[Part], name: str, specialty: str,
             institution: str = "") -> Part | None:
    """The part whose title names this program, or None when none does or it is unclear.

    A title names the program when each of its distinctive words is a word of
    the program's name or specialty ("Hematology and Medical Oncology
    Fellowship" for "Hematology/Oncology") and it names the whole specialty or
    none of it (a track: "Categorical"); the institution's words and
    generic ones (residency, program, ...) are left out on both sides. The
    most specific title wins; two equally specific ones that disagree decide
    nothing.
    """
    ignored = _words(institution)
    field = _words(specialty) - ignored
    own = (_words(name) | field) - ignored
    best: list[tuple[int, Part]] = []
    for part in parts:
        title = _words(part.title) - ignored
        if not title or not title <= own:
            continue
        if title & field and not field <= title:
            continue  # a broader specialty ("Medicine" is not "Family Medicine")
        best.append((len(title), part))
    if not best:
        return None
    top = max(size for size, _ in best)
    chosen = {part.verdict for size, part in best if size == top}
    if len(chosen) > 1:
        return None
    return next(part for size, part in best if size == top)


def _words(text: str) -> frozenset[str]:
    words: set[str] = set()
    for word in _WORD.findall(text.lower().replace("&", " and ")):
        words.update(_SAME.get(word, word).split())
    return frozenset(words - _GENERIC)
