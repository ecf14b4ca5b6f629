"""From a page's lines to the units the classifier reads.

The text is split into lines (block elements) and sentences.  Only lines
holding a visa-related word are analysed in depth (a cheap prefilter keeps
multi-megabyte pages fast), plus the neighbours that structure needs:
a heading such as "Visas accepted:" is read together with the short item
lines under it, a table row ``Visa sponsorship | J-1 only`` as a
``key: value`` pair, and an FAQ question together with its answer
("Do you sponsor H-1B visas?" + "No.").  A question alone decides nothing.
Structure, more precisely: a short title without a colon over a list
("Eligibility Requirements" / "ECFMG certificate" / "J-1 visa") is a
heading too; a bare visa name over a one-word answer ("H-1B" / "No", a
definition list) is a pair; the items of a heading are not headings
themselves, and an item that is a ``key: value`` line is read on its own;
a table's first row is a header only if it holds no answers ("Accepts
IMGs | Yes" is a row); a roster ("Name | Visa") states no policy; "J-1:
Yes / H-1B: No" is two pairs; "Is there H-1B sponsorship? no" on one line
is a question and its answer.  A first row of bare visa names ("J-1 Visa |
H-1B Visa", "Visa | J-1 | H-1B", "H-1B | J-1 | Other") is a header and
pairs with the answer rows under it ("Yes | No"); when it is one cell
short (an empty corner cell), the row's label cell is dropped and the
rest paired.  A table cell of several sentences ("Visas | We participate in
the ECFMG J-1 program. H-1B: not offered.") is read sentence by sentence,
the row's key staying with the first.

Plain text (``classify_text``) is reflowed first, because text extracted
from PDFs wraps lines mid-sentence: a line ending in a hyphen after a
letter, or a long line (six words or more) without closing punctuation,
is joined to a next line that starts in lower case or with a number that
is not a list number ("H-" / "1B visas"; "USMLE Step" / "3 before";
"spon-" / "sor"; "with U.S." / "citizen or ..."); and a line of four words
or more that ends on a word no sentence ends on (an article, a preposition,
a modal, "not", a verb that wants its object, a sentence opened by "No") or
on a comma is joined to the next line, whatever it starts with, unless that
opens a list item or asks a question ("... U.S. citizenship. No" / "H1B
Visas will be accepted."; not "... but the site will not sponsor" / "How
many positions do you offer?").
"""

from __future__ import annotations

import functools
import operator
import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from monitor.classify import lexicon as lex
from monitor.classify.clauses import (
    Finding,
    canonical,
    limited_answer,
    negative_findings,
    positive_findings,
    skip_clause,
    step3_findings,
    visa_tokens,
    yes_answer,
)
from monitor.classify.lexicon import H, J, V
from monitor.classify.rules import rule

# Hang guards: a page has a handful of visa sentences; a pathological page
# (the same token a million times) must still finish quickly.
MAX_UNITS = 400
MAX_UNIT_CHARS = 600
MAX_ROW_CHARS = 2000  # a longer "a | b | c" line is not a table row but soup
MAX_ITEM_WORDS = 16  # a longer line is a sentence, not a list item
MAX_HEADING_WORDS = 16  # a longer line before a list is a sentence, not its title
MAX_BULLET_WORDS = 80  # ...unless it is marked as one (eligibility items run long)
BULLETS = lex.BULLETS


# --- reflowing wrapped lines (plain text) -------------------------------------


def reflow(lines: list[str]) -> list[str]:
    # Each output line is built from parts joined once (linear in the text even
    # when thousands of wrapped lines make one paragraph).
    out: list[list[str]] = []
    prev = ""  # the last input line, which decides whether the next continues it
    for line in lines:
        if out and " | " not in prev and _cut_after_word(prev) and (
            not lex.LIST_ITEM_START.match(line) and not line.endswith("?")
        ):
            out[-1].extend((" ", line))
        elif not out or " | " in prev or not lex.CONTINUES.match(line):
            out.append([line])
        elif lex.CUT_HYPHEN.search(prev):
            # "spon-" + "sor" is one word; "H-" + "1B" keeps its hyphen
            parts = out[-1]
            if line[0].isalpha():
                parts[-1] = parts[-1][:-1]
            parts.append(line)
        elif lex.CUT_LINE.match(prev):
            out[-1].extend((" ", line))
        else:
            out.append([line])
        prev = line
    return ["".join(parts) for parts in out]


def _cut_after_word(line: str) -> bool:
    """A line of four words or more that ends where no sentence ends (`lex.CUT_WORDS`, a
    comma)."""
    head, _, last = line.rpartition(" ")
    if head.count(" ") < 2:
        return False
    return last.lower() in lex.CUT_WORDS or line.endswith(lex.CUT_BEFORE_NO) or (
        line.endswith(",")  # ("... U.S. citizen," / "US permanent resident ...")
    )


# --- which lines are read -----------------------------------------------------


MAX_SCREEN_HITS = 20000


def hot_lines(lines: list[str], text: str) -> set[int]:
    """Indices of the lines that mention a visa, a status or sponsorship."""
    lower = text.lower()
    ones = _ones(lower)
    positions: list[int] = []
    for word, haystack in [(w, lower) for w in lex.SCREEN] + [("EAD", text)]:
        if ones is not None and word[-1] == "1":
            # Speed: half the screen words ("h-1", "j 1", ...) end in their only
            # "1", and a page holds few "1"s: each occurrence of such a word is
            # one of those "1"s preceded by the rest of the word, found in the
            # same (increasing) order as the str.find loop below, without a scan
            # of the page per word.  (No such word overlaps itself.)
            start = len(word) - 1
            for one in ones:
                if len(positions) >= MAX_SCREEN_HITS:
                    break
                if one >= start and lower.startswith(word, one - start):
                    positions.append(one - start)
            continue
        pos = haystack.find(word)
        while pos != -1 and len(positions) < MAX_SCREEN_HITS:
            positions.append(pos)
            pos = haystack.find(word, pos + len(word))
    if not positions:
        return set()
    # Line i ends at ends[i] (the index of its newline): a position maps to the
    # first line that ends after it.
    ends = list(map(operator.add, accumulate(map(len, lines)), range(len(lines))))
    found = {bisect_left(ends, pos) for pos in positions}
    return {i for i in found if i < len(lines) and lex.ANY_TOKEN.search(lines[i])}


_MAX_ONES = 64  # beyond this many "1"s, a str.find scan per screen word is cheaper


def _ones(lower: str) -> list[int] | None:
    """Positions of the "1"s of the page, or None when there are too many."""
    out: list[int] = []
    pos = lower.find("1")
    while pos != -1:
        if len(out) >= _MAX_ONES:
            return None
        out.append(pos)
        pos = lower.find("1", pos + 1)
    return out


def _wanted_lines(lines: list[str], hot: set[int]) -> list[int]:
    """Hot lines plus the neighbours that structure needs."""
    wanted = set(hot)
    for i in hot:
        wanted.add(i + 1)  # an FAQ answer ("No.") or a heading's items
        if " | " in lines[i]:
            # Rows under a hot header row ("Program | Visa sponsorship").
            wanted.update(range(i + 1, min(len(lines), i + 30)))
        for k in range(i - 1, max(-1, i - 9), -1):
            # A list under "Visas accepted:" or "Requirements" whose items are
            # the hot lines.
            if lines[k].endswith(":") or _is_list_title(lines[k]):
                wanted.add(k)
                break
            if not _is_item(lines[k]):
                break
    return sorted(i for i in wanted if i < len(lines))


def _is_list_title(line: str) -> bool:
    """A title such as "Eligibility Requirements" over a list of short items."""
    return (
        len(line.split()) <= 6 and line[-1:] not in ".!?|" and ":" not in line
        and bool(lex.LIST_TITLE.search(line))
    )


def _is_item(line: str) -> bool:
    # A line marked as a list item ("- Graduate of an accredited school in the US or
    # Canada, or ...") is one even when long; an unmarked long line is a sentence.
    limit = MAX_BULLET_WORDS if line[:1] in BULLETS else MAX_ITEM_WORDS
    return (
        len(line.split()) <= limit and not line.endswith("?") and not line.endswith(":")
        and " | " not in line
    )


# --- units: sentences, headings with items, table rows ------------------------


@dataclass
class Unit:
    text: str  # verbatim (whitespace-normalised) text, for evidence
    analyse: str  # what the rules read
    line: int
    table: int = -1  # first line of the table, for rows read against a header row


def split_units(lines: list[str], hot: set[int]) -> list[Unit]:
    """The units of a page: its table rows, headings with their items and sentences."""
    units: list[Unit] = []
    items: set[int] = set()  # lines already read as items of a heading above them
    for i in _wanted_lines(lines, hot):
        if len(units) >= MAX_UNITS:
            break
        line = lines[i]
        if " | " in line and len(line) <= MAX_ROW_CHARS:
            _table_row(lines, i, hot, units)
            continue
        if (
            i not in items and _is_heading(line)
            and (i in hot or line.endswith(":") or _is_list_title(line))
        ):
            items.update(_heading_unit(lines, i, hot, units))
        if i not in hot and i - 1 not in hot:
            continue  # the line after a hot one may be an FAQ answer ("No.")
        key = _line_key(line)
        title = _list_title_above(lines, i) if i not in items else None
        for n, sentence in enumerate(_sentences(line)):
            for piece in _chunks(sentence):
                analyse = lex.QA_PREFIX.sub("", piece)
                if not n and title and not lex.SENTENCE_VERB.search(_item_head(analyse)):
                    # "Minimum Requirements:" ... "- US citizen or permanent resident.":
                    # a verbless item read alone is still an item of the list's title
                    # (also when a sentence follows it after a dash: "- Citizen or
                    # permanent resident - we do not sponsor ...").
                    analyse = f"{title}: {analyse.lstrip(BULLETS + ' ')}"
                elif n and key and not lex.SENTENCE_VERB.search(analyse.lower()):
                    # "Eligibility: Graduate of ... . U.S. citizen, permanent resident,
                    # or visitor with a J-1 visa.": a fragment of the keyed item
                    analyse = f"{key}: {analyse}"
                units.append(Unit(piece, analyse, i))
    return units[:MAX_UNITS]


def _titles_requirements(item: str) -> bool:
    """ "Requirements for H-1B Visa Status for Physicians": a title over an explanation."""
    return bool(lex.VISA_REQUIREMENTS_TITLE.match(canonical(item)[0]))


def _item_head(item: str) -> str:
    """A list item's own words, before a spaced dash that starts a comment on it."""
    return item.lstrip(BULLETS + " ").split(" - ", 1)[0].lower()


def _list_title_above(lines: list[str], i: int) -> str | None:
    """The requirement title ("Minimum Requirements:") of the bulleted list line `i`
    belongs to, if any."""
    if lines[i][:1] not in BULLETS:
        return None
    for k in range(i - 1, max(-1, i - 9), -1):
        if lines[k].endswith(":") and _is_heading(lines[k]):
            head = _sentences(lines[k])[-1].rstrip(":").strip()
            return head if lex.LIST_TITLE.search(head) else None
        if lines[k][:1] not in BULLETS:
            return None
    return None


def _line_key(line: str) -> str | None:
    """The requirement key a line opens with ("- Eligibility: ..."), if any."""
    head, colon, _ = line.lstrip(BULLETS + " ").partition(":")
    if colon and len(head.split()) <= 4 and lex.LIST_TITLE.search(head):
        return head.strip()
    return None


def _sentences(line: str) -> list[str]:
    out, start = [], 0
    for match in lex.SENTENCE_END.finditer(line):
        end = match.end()
        # Only a short window before the period is examined: linear time.
        window = max(start, match.start() - 12)
        if match.group().startswith(".") and lex.ABBREV.search(line, window, match.start() + 1):
            continue  # "U.S. Citizens", "e.g. J-1"
        out.append(line[start:end].strip())
        start = end
    rest = line[start:].strip()
    if rest:
        out.append(rest)
    return out


def _chunks(sentence: str) -> list[str]:
    """Cap analysed length: a run-on line is read in bounded windows."""
    if len(sentence) <= MAX_UNIT_CHARS:
        return [sentence]
    out = []
    pos = 0
    while pos < len(sentence) and len(out) < MAX_UNITS:
        end = min(len(sentence), pos + MAX_UNIT_CHARS)
        if end < len(sentence):
            cut = max(sentence.rfind(",", pos, end), sentence.rfind(" ", pos, end))
            end = cut + 1 if cut > pos else end
        out.append(sentence[pos:end].strip())
        pos = end
    return [piece for piece in out if piece]


def _is_heading(line: str) -> bool:
    """A short title line that a following list or one-word answer belongs to."""
    words = line.split()
    if line.endswith(":"):
        # (its last sentence: "... will be offered an interview. All other applicants
        # who meet the criteria below will be considered:")
        return len(_sentences(line)[-1].split()) <= MAX_HEADING_WORDS
    if ":" in line:
        return False  # "H-1B: No" is a key-value line of its own
    if len(words) > 6 or line[-1:] in ".!?|":
        return False
    return bool(lex.ANY_TOKEN.search(line) or lex.LIST_TITLE.search(line))


def _heading_unit(lines: list[str], i: int, hot: set[int], units: list[Unit]) -> range:
    """A heading read together with the short item lines under it; returns the items."""
    items, item_hot = [], False
    for j in range(i + 1, min(len(lines), i + 9)):
        nxt = lines[j]
        if not _is_item(nxt) or _is_heading(nxt) and nxt.endswith(":") or ":" in nxt:
            break  # a "key: value" line is read on its own
        if lex.EXPLAINING_KEY.match(nxt.lower()):
            break  # a list ends where an explaining section begins ("About Visas")
        if nxt[-1] in ".!" and len(nxt.split()) > 3:
            if j == i + 1 and not items and _elliptical_answer(lines[i], nxt):
                # "Visa Sponsorship" / "Unfortunately, we are not able to at this
                # time.": the sentence answers the title, whose subject it omits.
                head = lines[i].rstrip(":").strip()
                units.append(Unit(f"{head}: {nxt}", f"{head}: {nxt}", i))
                return range(i + 1, i + 2)
            break  # a sentence of its own, read on its own
        items.append(nxt.lstrip(BULLETS + " ").strip())
        item_hot = item_hot or j in hot
        if j == i + 1 and _is_short_answer(items[0]) and not lines[i].endswith(":"):
            break  # a definition list: "H-1B" / "No" / "J-1" / "Yes"
    while items and not _bears_on_visas(items[-1]):
        # Short lines after the list are the page's next lines, not its items ("J-1 /
        # US Citizen / Read more news / Contact us"): a list ends with its last visa item.
        items.pop()
    head = _sentences(lines[i])[-1].rstrip(":").strip()
    if items and (i in hot or item_hot) and not (
        lex.EXPLAINING_KEY.match(head.lower()) or any(map(_titles_requirements, items))
    ):
        # A heading line may end a paragraph: "We consider IMGs. Visa options:"; one that
        # introduces an explanation ("About Visas", "Understanding the J-1"), or whose
        # lines title a visa's requirements, gives no answer through them.
        units.append(Unit(f"{head}: {'; '.join(items)}", f"{head}: {', '.join(items)}", i))
        return range(i + 1, i + 1 + len(items))
    return range(0)


def _bears_on_visas(item: str) -> bool:
    """An item that names a visa, a status or Step 3, or answers yes or no."""
    low = item.lower()
    return bool(lex.ANY_TOKEN.search(item) or lex.STEP3.search(low)) or _is_answer(low)


def _is_answer(low: str) -> bool:
    """A yes, no or limited answer ("No.", "Case by case")."""
    return bool(
        lex.ANSWER_NO.search(low) or lex.ANSWER_YES.search(low) or lex.ANSWER_LIMITED.search(low)
    )


def _elliptical_answer(title: str, line: str) -> bool:
    """A short denial under a visa title that leaves the visas unsaid."""
    return (
        len(line.split()) <= 14 and bool(lex.ANY_TOKEN.search(title))
        and not lex.ANY_TOKEN.search(line)
        and bool(lex.ANSWER_NO.search(line.lower())) and bool(lex.STRANDED.search(line.lower()))
    )


def _is_short_answer(line: str) -> bool:
    low = line.lower()
    return len(low.split()) <= 4 and _is_answer(low)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(" | ")]


def _table_row(lines: list[str], i: int, hot: set[int], units: list[Unit]) -> None:
    """Add a table row unit, read against the table's header row if it has one."""
    header, first = _table_header(lines, i)
    is_header = header is not None and (i == 0 or " | " not in lines[i - 1])
    if is_header or (header is not None and lex.ROSTER.search(header[0].lower())):
        return  # a header row, or a row of a roster ("Name | Medical school | Visa")
    header_visas = header is not None and any(lex.ANY_TOKEN.search(h) for h in header)
    if i in hot or header_visas:
        table = first if header is not None else -1
        if len(_cells(lines[i])) == 2 and not header_visas:
            # A two-column fact table under a generic header ("Item | Detail"):
            # each row is its own "key: value" pair.
            header = None
        text = _row_text(lines[i], header)
        # "Visas | We participate in the J-1 program. H-1B: not offered." -- a cell
        # of several sentences is read sentence by sentence (the key stays with
        # the first), not as one value of the key.
        several = header is None and any(len(_sentences(c)) > 1 for c in _cells(lines[i]))
        for sentence in _sentences(text) if several else [text]:
            units.append(Unit(lines[i], sentence, i, table))


def _table_header(lines: list[str], i: int) -> tuple[list[str] | None, int]:
    """The table's first row when it is a header ("Program | Visa types"), and its index."""
    first = i
    while first > 0 and i - first < 50 and " | " in lines[first - 1]:
        first -= 1
    cells = _cells(lines[first])
    if _visa_name_header(cells):
        return cells, first  # "J-1 Visa | H-1B Visa" over "Yes | No"
    if lex.ANY_TOKEN.search(cells[0]) or any(_is_short_answer(cell) for cell in cells[1:]):
        return None, first  # "Accepts IMGs | Yes" is a row of answers, not a header
    return cells, first


_HEADER_CELL_MAX = 120


def _visa_name_header(cells: list[str]) -> bool:
    """A header row of bare visa names ("Visa | J-1 | H-1B", "H-1B | J-1 | Other")."""
    # Every row of a table asks about the same first row: remember the answer.
    return _is_visa_name_header(tuple(cells))


@functools.lru_cache(maxsize=1024)
def _is_visa_name_header(cells: tuple[str, ...]) -> bool:
    if any(len(cell) > _HEADER_CELL_MAX for cell in cells):
        return False  # a header cell naming a visa is a few words, not a sentence
    canon = [canonical(cell)[0] for cell in cells if cell]
    return (
        len(canon) >= 2 and any(c in (H, J) for c in canon)
        and all(lex.HEADER_CELL.fullmatch(c) for c in canon)
    )


def _row_text(line: str, header: list[str] | None) -> str:
    """A table row as 'key: value' text; a question cell ends a sentence."""
    cells = [cell.strip() for cell in line.split(" | ")]
    if header and len(header) == len(cells):
        return "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=True) if c)
    if header and len(header) + 1 == len(cells) and _visa_name_header(header):
        # "(blank) | J-1 | H-1B" over "Accepted? | Yes | Case-by-case": the empty
        # corner cell is lost, so the row label is dropped and the rest paired.
        return "; ".join(f"{h}: {c}" for h, c in zip(header, cells[1:], strict=True) if c)
    out = cells[0]
    for previous, cell in zip(cells, cells[1:], strict=False):
        if out.endswith(("?", ":")):
            out += " " + cell
        elif ":" in previous or ":" in cell:
            out += "; " + cell  # "H-1B: Yes | J-1: Yes" -- pairs side by side
        else:
            out += ": " + cell
    return out


# --- FAQ pairs ----------------------------------------------------------------


@rule("faq-answer", ("h1b=yes", "h1b=limited", "h1b=no", "j1=yes", "j1=no"), (
    ("Do you sponsor H1-B visas?\nNo, we do not sponsor H1-B visas.\nDo you sponsor J-1 visas?"
     "\nYes, we do sponsor J-1 visas.", "j1_only"),
))
def faq_findings(question: Unit, answer: Unit) -> list[Finding]:
    """Read an answer in the light of its question ("Do you sponsor H-1B?" "No.")."""
    q, _ = canonical(question.analyse)
    a_text = answer.analyse
    a, _ = canonical(a_text)
    q_tokens = visa_tokens(q)
    if not q_tokens or skip_clause(q):
        return []
    findings: list[Finding] = []
    if lex.ANSWER_LIMITED.search(a):
        findings = limited_answer(q_tokens)
    elif lex.ANSWER_NO.search(a):
        findings = negative_findings(q_tokens, q)
    elif lex.ANSWER_YES.search(a) and H not in q_tokens and visa_tokens(a) & {H, J}:
        # "Do you sponsor visas?" "Yes, J-1 and H-1B." -- the answer is the list.
        findings = positive_findings(
            a, visa_tokens(a) | (q_tokens & {J}), listing=True, ecfmg=False
        )
    elif lex.ANSWER_YES.search(a):
        findings = yes_answer(q_tokens, a)
        if lex.ASKS_AS_HOLDER.search(q) and not lex.SPONSOR_VERB.search(f"{q} {a}"):
            # "Can I apply if I am on an H-1B visa?" "Yes, you may apply.": only
            # those who already hold one
            findings = [Finding("h1b", "limited", 3) if f.axis == "h1b" else f
                        for f in findings]
    elif re.match(r"^(?:what|which)\b", q) and lex.PRED.search(q) and visa_tokens(a) - {V}:
        # "Which visas do you sponsor?" "J-1." -- the answer is the full list.
        findings = positive_findings(a, visa_tokens(a), listing=True, ecfmg=False)
    if findings and H in q_tokens:
        findings.extend(step3_findings(a, True))
    return findings


