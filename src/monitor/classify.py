"""Visa-policy classifier: what a program page says about H-1B and J-1 sponsorship.

The values follow the contract in ``docs/visa-taxonomy.md`` (axes ``h1b`` and
``j1``, the derived ``category``, ``step3_required`` and ``evidence``).

How a page is read
------------------
1. The text is split into lines (block elements) and sentences.  Only lines
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
2. Each unit is canonicalised: spelling variants of the visa names become
   single tokens (H1B, H-1B, H1-B, H 1B, "H-1" in a visa context; J1, J-1,
   "exchange visitor"), citizenship / permanent residency / EAD wording
   becomes a status token, "USMLE Step 3" a step token ("J visas" is the J-1;
   a bare "H-1" counts when its sentence or its paragraph speaks of visas:
   "J-1 and F-1 accepted. H-1 only if ...").  Descriptors that are
   not the program's stance are removed ("sponsored by ECFMG"), as are topic
   references ("questions about visa sponsorship").  Sentences that explain a
   visa, report H-1B news (lottery, cap, fees) or talk about other programs or
   about moonlighting/dependants are skipped, and so are clauses about
   consular logistics (appointments, embassies), social events ("a welcome
   dinner for residents on J-1 and H-1B visas"), third parties (law
   firms), visas for non-trainees ("for faculty", "for observers", "for
   visiting students") and clauses whose denial has ECFMG as its agent
   ("H-1B visas are not sponsored by ECFMG").  A person's status line ("Visa
   status: J-1" on a resident's profile) states no policy, and neither does
   the answer to an explanatory question ("What is a J-1 visa?") unless a
   sentence of it names the program.
   Typographic apostrophes ("don’t") are read as ASCII ones, common
   misspellings as the word meant ("sponser", "sponsered", "dont"), and the
   Spanish of Puerto Rico pages as English ("Visa J-1: sí", "aceptamos",
   "patrocinamos", "no auspicia", "caso por caso").  A semicolon between two
   bare visa names is a list separator ("Visas sponsored: J-1; H-1B").  An
   informal "we do H1B" is a positive statement, and so is "we (only) take
   J1".  Advice to the reader ("check / ask whether each program sponsors
   ...") is skipped, and so are statements about generic groups of other
   programs with a modifier ("many community programs", "university
   programs often prefer J-1", "programs that sponsor H-1B usually ...").
   "J1 and H1 lots" are places, like "Lot H1".
   Also skipped: hopes and plans ("we hope to offer H-1B in the future",
   "exploring the possibility"; a negated future such as "and will not in
   the future" still denies); a past cue only inside a relative clause about
   people ("... including those who previously trained elsewhere") does not
   make the clause past; a sentence about one person ("Dr. Ortega ... is on
   a J-1 visa", "She came on an H-1B"; not "he or she" in a policy, nor a
   sentence with "we"; a profile's "Visa status: J-1 — Name, MD, PGY-2");
   a news watch ("monitoring recent changes to H-1B regulations"); visitor
   and travel visas (B-1/B-2, "visitor visa",
   e-Visa, ESTA, invitation letters); visas for nurses, physician
   assistants, pharmacists, therapists, technologists ("Nurses: H-1B
   sponsorship available"), and for postdocs and research scholars even
   beside the word "fellows".  A sentence after a past cue counts again
   from a present or future marker ("starting with the 2026 Match we will
   sponsor J-1 only", "going forward").  Emoji marks before a visa name are
   list marks: a prohibition sign or cross denies it, a check mark lists it
   ("Visas: 🚫 H-1B ✅ J-1"); a mark after a key answers it ("J-1: ✔").
   Plain text (``classify_text``) is reflowed first, because text extracted
   from PDFs wraps lines mid-sentence: a line ending in a hyphen after a
   letter, or a long line (six words or more) without closing punctuation,
   is joined to a next line that starts in lower case or with a number that
   is not a list number ("H-" / "1B visas"; "USMLE Step" / "3 before";
   "spon-" / "sor").
3. A unit is cut into clauses at contrastive joints (";", "but", "however",
   "although", "and" + a new verb; not "but" before "limited" / "rare":
   "H1B possible but limited" is one restricted predicate) so that a negation applies to its own
   clause only: "cannot sponsor any visa, but ECFMG J-1 holders may apply";
   a comma splice before a new visa subject is a joint too ("We do not
   sponsor H1B visas, J1 applicants are welcome"), and so is a parenthesis
   with its own subject ("Eligible for J-1 sponsorship (we do not sponsor
   H-1B)").  An elliptical clause
   ("and is not available in all departments") continues only a clause about
   visas -- not a list ending in something else ("..., J-1 / H-1B, US
   clinical experience preferred, not required") nor a skipped clause.
   "Applicants are not accepted / eligible / considered" is a denial (unlike
   "applicants who are not US citizens").
   ", as / since / because" + a subject ("..., as the program does not sponsor
   H-1B") and ", no" + a visa name ("we take J1, no H1") start a clause of
   their own.  A relative clause about hard-to-fill positions ("positions that
   cannot otherwise be filled") is not a denial.
   Within a clause a negation covers every visa listed ("we do not sponsor
   J1, H1B, or other visas") except those after "other than"/"except"; in a
   positive clause the visas after "except" are denied ("we accept all visa
   types except H-1B").  Quantifying negations are not denials ("no limit on
   the number of H-1B visas", "not subject to the cap", "not only").  In a
   list ("Visa: J-1 only, no H-1B"; "J-1 (H-1B not offered)") each item is
   read on its own.  Denying O-1/TN or "employment-based visas" says nothing
   about the J-1.  An H-1B denial with an exception is ``limited`` when the
   exception is a restriction or a group of people ("except for chief
   residents") and ``yes`` when it is an ordinary condition ("except for
   candidates who have passed Step 3"); "limited to" reads the same way
   ("limited to one position" is ``limited``, "limited to candidates who have
   passed all three Steps" is ``yes``).  Quantities are not restrictions
   ("J-1 positions are not limited").  A verbless policy line ("H-1B for
   residents") is a positive statement.
4. Each clause yields findings ``(axis, value, strength)``:
   strength 3 = an explicit statement about that visa; 2 = a statement about
   all visas or an implied one (a Step 3 condition for H-1B); 1 = an
   inference (a statement naming only J-1 is the program's full answer, so
   H-1B is ``no``; "we do not sponsor visas" says J-1 is ``no`` too, but only
   weakly, because the J-1 is sponsored by ECFMG and a program that does not
   sponsor visas often still accepts it).
5. Per axis the strongest finding wins; ties between different values are
   resolved conservatively (h1b: no > limited > yes; j1: no > yes), except
   that a partial policy is ``limited``: one sentence saying both "yes" and
   "no" about H-1B ("for residents but not for fellows"), a table of programs
   whose H-1B column says yes for some and no for others, a row with yes in
   one column and no in another, and pairs keyed by training groups
   ("PGY-1 positions: J-1 only" / "PGY-2 positions: J-1 or H-1B"), one
   sentence giving H-1B to one training group and not to another ("H-1B for
   residents; fellows must be on J-1"), and a denial scoped to some
   positions ("H-1B visas are not sponsored for PGY-1 positions").  So is a
   department page whose sections, each under a title naming a program or
   track ("Categorical" / "Sponsors J-1 and H-1B visas." / "Preliminary" /
   "J-1 visas only."; "Neonatology" / ... / "Pediatric Cardiology" / ...),
   differ on H-1B; page-level titles ("Institutional policy", "Visa Policy",
   "Eligibility") are not such sections, so a program's own statement still
   beats the GME banner above it.  In one sentence, a clause that files new
   H-1B petitions lifts a transfer-only restriction beside it ("We accept
   transfers on H-1B and also file new H-1B petitions" is ``yes``).

Choices the taxonomy leaves open, made here:

* "We do not sponsor visas." alone is ``none`` (h1b no, j1 no).  A J-1
  statement anywhere else on the page ("ECFMG J-1 holders may apply")
  overrides the weak j1=no and gives ``j1_only``.
* Requiring US citizenship / permanent residency / EAD sets j1=no and also
  h1b=no (an H-1B holder meets none of those).  The j1=no is inferred, so an
  explicit J-1 acceptance beside it wins ("IMGs must be US citizens or
  permanent residents; J visas are acceptable in select situations" is
  ``j1_only``).  A status list naming H-1B but not J-1 ("US citizens,
  permanent residents and current H-1B holders") weakly sets j1=no.
* "Accept" is one of the taxonomy's yes verbs, for visas and for their
  holders alike: "We accept J-1 and H-1B visa holders", "The program accepts
  applicants on J-1 or H-1B visas" and "Applicants on H-1B visas are
  accepted" are all ``yes``.  The acceptance is ``limited`` when it is
  narrowed to existing holders: "only" ("we only accept H-1B holders"),
  "already hold", "current(ly)", "existing", "transfer(s)" ("we can accept
  transfers on H-1B").  Such an "only" restricts the H-1B; it does not list
  the visas, so it does not deny the J-1.  Letting H-1B holders apply without
  an accepting or sponsoring verb ("H-1B visa holders may apply", "we welcome
  applications from H-1B holders", "must have an H-1B visa", a "Yes" to "Can I
  apply if I am on an H-1B?") is ``limited``: only those who already hold one.
* Implied J-1 statements are J-1 policy like "we accept J-1": "will need a
  J-1 visa", "appointed in J-1 status", "may come on a J1", "the J-1 is the
  standard route / usual pathway", "...; otherwise J-1", "J-1 visas are also
  sponsored via ECFMG" (in a policy paragraph).  "Needing" an H-1B is not
  read that way (it says who needs one, not that it is given).
* "All other IMGs / programs: J-1 only" presupposes a group that gets more
  than the J-1: it makes H-1B ``limited``, not ``no`` ("H1B: only for F-1
  graduates. All other IMGs: J1 only."; a GME page whose IM residency
  sponsors H-1B and "all other programs" J-1 only).
* A numeric cap makes H-1B ``limited``: "up to 2 H-1B visas per year", "no
  more than one ... per class", "at most", "a maximum of".
* Hedges that make H-1B ``limited``: "may" with a sponsoring verb and any
  subject ("the program may sponsor", "H-1B visas may be sponsored"; not the
  choice in "may be sponsored on either a J-1 or an H-1B"), approval by an
  authority ("requires approval from the DIO", "pending GMEC approval",
  "institutional approval"), funding ("if funding permits", "subject to the
  availability of funds"), "reserves the right to decline / determine".  A
  hedge on visa sponsorship in general, right after an H-1B offer, limits it
  ("We sponsor J-1 and H-1B visas. The Institution reserves the right to
  determine which visa is offered."; "... Visa sponsorship is at the
  discretion of the DIO.").
* An FAQ answer may open with a time phrase: "At this time, no.",
  "Currently, yes."
* "All (residency) programs sponsor / accept ..." states the institution's
  policy (on a GME page); "most / many / some programs ..." talks about
  other programs.
* A two-column fact table under a generic header ("Item | Detail") is read
  row by row as ``key: value`` pairs.
* "J-1 visa sponsorship is through ECFMG" is the program's answer (j1 yes,
  h1b no by inference).  "J-1 visas are sponsored by ECFMG" is the answer
  only in a paragraph that states a policy; alone it explains who sponsors.
  "(ECFMG sponsors the J-1;) we do not sponsor any other visa type" leaves
  the J-1 in: ``j1_only``.
* A conclusion right after a conditional offer denies the offered visas:
  "GME sponsors visas (TN, H-1B, J-1) only for hard-to-fill positions. Our
  programs are not, so we do not sponsor visas." is ``none``.
* Descriptions of people state no policy: "Current residents hold J-1 and
  H-1B visas", "Visa status: J-1" on a profile.
* A positive statement about "visas" in general ("we sponsor visas") names no
  type and decides nothing.
* A bare "must be authorized / eligible to work in the US" is not a
  citizenship requirement (a J-1 physician is work-authorised once
  admitted) and decides nothing; "permanent work authorization", "already
  authorized to work" and "without (the need for) visa sponsorship" are.
* "Will consider H-1B sponsorship for candidates with Step 3" is ``yes`` (a
  consideration with ordinary conditions, as in the taxonomy's "to be
  considered for an H-1B"); "may consider", "for the right candidate",
  "in select cases" are ``limited``.
* ``step3_required`` is reported only when h1b is ``yes`` or ``limited``: a
  Step 3 condition for an H-1B the page does not offer means nothing.  A bare
  Step 3 sentence right after an H-1B statement is read as its condition
  ("We sponsor H-1B visas. Step 3 must be passed before ranking.").

Combining pages (``combine``)
-----------------------------
Per axis (h1b, j1, step3_required) independently:

1. Rank: statements on the program's own pages (``own=True``) beat
   institution-wide pages; an institution page only fills an axis that all
   of the program's pages leave unknown.
2. Within the winning rank, an explicit statement beats an inferred (weak)
   one, and a known value always beats ``unknown`` -- a vague mention or a
   silent page never undoes an explicit statement elsewhere.
3. Remaining conflicts between statements of the same rank and strength are
   resolved conservatively, because a false "sponsors H-1B" is the costliest
   error: h1b ``no`` > ``limited`` > ``yes``; j1 ``no`` > ``yes``;
   step3_required ``True`` > ``False``.
4. The category is re-derived from the combined axes, and the evidence is
   the deciding sentences of the pages that supplied the winning values
   (at most one per axis, three in all, ordered h1b, j1, step3).
5. ``step3_required`` is kept only when the combined h1b is ``yes`` or
   ``limited``, as for a single page.

The result depends only on the multiset of pages, never on their order.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from monitor import lexicon as lex
from monitor.htmltext import html_to_text, normalize_text
from monitor.lexicon import NC, OTHER, ST, H, J, S, V

__all__ = [
    "UNKNOWN",
    "Evidence",
    "Verdict",
    "classify_html",
    "classify_text",
    "combine",
    "derive_category",
]

H1B_VALUES = ("yes", "limited", "no", "unknown")
J1_VALUES = ("yes", "no", "unknown")
CATEGORIES = ("h1b", "h1b_limited", "j1_only", "none", "unknown")

EVIDENCE_MAX_CHARS = 300
MAX_EVIDENCE = 3
# Hang guards: a page has a handful of visa sentences; a pathological page
# (the same token a million times) must still finish quickly.
MAX_UNITS = 400
MAX_UNIT_CHARS = 600
MAX_ROW_CHARS = 2000  # a longer "a | b | c" line is not a table row but soup
MAX_ITEM_WORDS = 16  # a longer line is a sentence, not a list item


# --- public data types --------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    text: str
    url: str | None
    axis: str  # "h1b" | "j1" | "step3"

    def to_dict(self) -> dict:
        return {"url": self.url, "text": self.text}


@dataclass(frozen=True)
class Verdict:
    category: str
    h1b: str
    j1: str
    step3_required: bool | None
    evidence: tuple[Evidence, ...] = ()
    # Axes whose value was only inferred (strength 1), e.g. h1b=no read from a
    # sentence that names J-1 alone.  combine() lets an explicit statement on
    # another page of the same rank override these.  Not part of the stored
    # verdict (to_dict) nor of equality.
    weak: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def to_dict(self) -> dict:
        return {
            "category": self.category,
            "h1b": self.h1b,
            "j1": self.j1,
            "step3_required": self.step3_required,
            "evidence": [item.to_dict() for item in self.evidence],
        }


UNKNOWN = Verdict("unknown", "unknown", "unknown", None, ())


def derive_category(h1b: str, j1: str, j1_only: bool = False) -> str:
    """The taxonomy's category rule, applied in its table order."""
    if h1b == "yes":
        return "h1b"
    if h1b == "limited":
        return "h1b_limited"
    if (h1b == "no" and j1 != "no") or (j1_only and j1 != "no"):
        return "j1_only"
    if j1 == "no" and h1b in ("no", "unknown"):
        return "none"
    return "unknown"


# --- canonicalisation ---------------------------------------------------------
#
# Visa names and statuses become single lowercase tokens so that every later
# rule can be written once.  The patterns live in monitor.lexicon.


def _token_unless_located(token: str):
    def replace(match: re.Match) -> str:
        return match.group() if match.group(1) else f" {token} "

    return replace


class _Paragraph:
    """A line of the page; whether it speaks of visas is computed once, on demand."""

    __slots__ = ("_text", "_visas")

    def __init__(self, text: str) -> None:
        self._text = text
        self._visas: bool | None = None

    def about_visas(self) -> bool:
        if self._visas is None:
            self._visas = bool(lex.VISA_CONTEXT.search(self._text.lower()))
        return self._visas


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


def _canonical(sentence: str, paragraph: _Paragraph | None = None) -> tuple[str, bool]:
    """Lowercase `sentence` with visa names replaced by tokens.

    A bare "H-1" is the H-1B when the sentence or the `paragraph` around it
    speaks of visas ("J-1 and F-1 accepted. H-1 only if ...").
    Returns the canonical text and whether ECFMG was named (an "ECFMG-sponsored
    visa" is a J-1 even when the J-1 is not named).
    """
    s = sentence.lower()
    if "\u2019" in s or "\u02bc" in s or "\u2018" in s:
        s = s.translate(_APOSTROPHES)  # "don’t" as typed on most web pages
    if any(word in s for word in lex.RESPELL_SCREEN):
        # "sponser", "dont", Spanish "Visa J-1: s\u00ed"
        s = lex.RESPELL_RE.sub(lambda m: lex.RESPELL[m.group()], s)
    payment = bool(lex.PAYMENT.search(s))
    context = bool(lex.VISA_CONTEXT.search(s)) or (
        paragraph is not None and "1" in s and paragraph.about_visas()
    )
    s = lex.STEP3.sub(f" {ST} ", s)
    s = lex.H1B.sub(f" {H} ", s)
    if context:
        s = lex.H1.sub(_token_unless_located(H), s)
    s = lex.J1.sub(_token_unless_located(J), s)
    s = lex.F1.sub(" xxf1 ", s)
    s = lex.OTHER_NAME.sub(f" {OTHER} ", s)
    s = lex.DEPENDANT.sub(" xxdependant ", s)
    if payment:
        # "Visa" the card brand: only compound forms ("visa sponsorship") count.
        s = re.sub(r"\bvisa(?:s)?[ \-]+(?:sponsorship|status|types?|policy)\b", f" {V} ", s)
    else:
        s = lex.GENERIC.sub(f" {V} ", s)
    s = lex.NONCITIZEN_WORDS.sub(f" {NC} ", s)
    s = lex.STATUS.sub(f" {S} ", s)
    s = lex.NONCITIZEN.sub(f" {NC} ", s)
    if "xx" not in s.replace(ST, "") and lex.SPONSORSHIP_CONTEXT.search(s):
        s = lex.BARE_SPONSORSHIP.sub(f" {V} ", s)
    ecfmg = "ecfmg" in s or "educational commission" in s
    # Kept as a marker: "J-1: sponsored through ECFMG" still answers "yes".
    s = lex.DESCRIPTOR.sub(" ecfmgsponsored ", s)
    s = lex.TOPIC.sub(" ", s)
    if "\u2705" in s or "\U0001f6ab" in s or "\u274c" in s or "\u2714" in s or "\u2716" in s:
        s = _MARK_NO.sub(", no ", s)  # "Visas: \U0001f6ab H-1B \u2705 J-1"
        s = _MARK_YES.sub(", ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if ";" in s:
        s = lex.VISA_LIST_SEMICOLON.sub(r"\1, ", s)
    return s, ecfmg


# (not when the name after the mark is a key: in "J-1: \u2714 H-1B: \u2718" the mark
# answers the key before it)
_MARK_NO = re.compile("(?:\U0001f6ab|\u274c|\u2716)\ufe0f? *(?=xx[a-z0-9]+\\b(?! ?:))")
_MARK_YES = re.compile("(?:\u2705|\u2714)\ufe0f? *(?=xx[a-z0-9]+\\b(?! ?:))")


# --- cue lexicons -------------------------------------------------------------





@dataclass
class _Finding:
    axis: str  # "h1b" | "j1" | "step3"
    value: object
    strength: int
    # h1b: "limited" only because the clause takes existing holders (transfers);
    # "yes" from a clause that files new petitions.  See _merge_unit.
    holders: bool = False
    new_petitions: bool = False


# --- clause analysis ----------------------------------------------------------


def _tokens(s: str) -> set[str]:
    return {t for t in (H, J, V, S, NC, OTHER, "xxf1") if t in s}




def _split_clauses(s: str) -> list[str]:
    parts = (
        lex.REASON.sub("", lex.LEADING_CONJUNCTION.sub("", part.strip(" ,.()")).strip(" ,"))
        for part in _split_pairs(lex.CLAUSE_SPLIT.split(s)) if part
    )
    return [part for part in parts if part]


def _split_pairs(parts: list[str]) -> list[str]:
    """ "J-1: Yes / H-1B: No" -- several key-value pairs side by side ("J-1 / H-1B:
    both sponsored" is one pair whose key is a list)."""
    out = []
    for part in parts:
        if part.count(":") > 1:
            out.extend(lex.PAIR_SEPARATOR.split(part))
        else:
            out.append(part)
    return out






def _skip_clause(c: str) -> bool:
    """Explanations, news, past policy and talk about other programs decide nothing."""
    if lex.OTHER_SUBJECT.search(c) and not lex.ALL_PROGRAMS_POLICY.match(c):
        return True
    if lex.PAST.search(_WHO_CLAUSE.sub("", c)):
        return True  # (a past cue inside "... who previously trained ..." is about people)
    if lex.FUTURE.search(c) and not (
        lex.NEG.search(lex.FALSE_NEG.sub(" ", c)) or lex.REAFFIRM.search(c)
    ):
        return True  # "we hope to offer H-1B sponsorship in the future"
    if lex.NON_TRAINEE_STRONG.search(c):
        return True  # "postdoctoral research fellows on J-1 research scholar visas"
    if lex.OFF_TOPIC.search(c) and not lex.PROGRAM_SUBJECT.search(c):
        return True
    if lex.ALWAYS_OFF_TOPIC.search(c):
        return True
    if lex.THIRD_PARTY.search(c) and not re.search(r"\bwe\b|\bthe program\b", c):
        return True  # "Immigration attorneys: Smith LLP (H-1B, O-1 petitions)"
    if lex.NON_TRAINEE.search(c) and not lex.TRAINEE.search(c):
        return True  # "The institution sponsors H-1B visas for faculty"
    c = lex.FUNDING.sub(" ", c)  # "if funding permits" is a condition, not an explanation
    return bool(lex.EXPLAIN.search(c)) and not re.search(r"\b(?:we|our)\b", c)


_WHO_CLAUSE = re.compile(r"\b(?:who|whom)\b[^;]*")


def _key_value(c: str) -> list[_Finding] | None:
    """Read "key: value" (table rows, headings with items, "H-1B: No")."""
    key, _, value = c.partition(":")
    key, value = key.strip(), value.strip(" .")
    key_tokens, value_tokens = _tokens(key), _tokens(value)
    if not key_tokens and value_tokens & {H, J} and _is_list_key(key) and _is_list(value):
        return _listing(key, value, set())  # "PGY-2 positions: J-1 or H-1B"
    if not key_tokens or not value:
        return None
    if value_tokens - {V}:
        if (V in key_tokens or lex.PRED.search(key) or lex.REQUIRE.search(key)) and _is_list(value):
            # "Visas accepted: J-1, permanent resident" -- a full list.
            return _listing(key, value, key_tokens - {V})
        return None
    answers = [part.strip() for part in value.split(":")]
    if len(answers) > 1 and any(lex.ANSWER_NO.search(a) for a in answers) and any(
        lex.ANSWER_YES.search(a) for a in answers
    ):
        return _limited_answer(key_tokens)  # yes in one column, no in another
    limited = lex.RESTRICT.search(value) and not lex.ANSWER_NO.search(value)
    if lex.ANSWER_LIMITED.search(value) or limited:
        return _limited_answer(key_tokens)
    if lex.ANSWER_NO.search(value):
        return _negative(key_tokens, key)
    if lex.ANSWER_YES.search(value) or re.match(r"^(?:both|all)\b", value):
        return _yes_answer(key_tokens, value)
    return None


def _is_list_key(key: str) -> bool:
    """A short key over a list of visas: a training group ("PGY-1 positions",
    "Fellows") or a list title ("Sponsorship", "Requirements")."""
    return len(key.split()) <= 4 and bool(lex.GROUP.search(key) or lex.LIST_TITLE.search(key))


_LIST_SEPARATOR = re.compile(r",|;|/|&|\(|\)|\band\b|\bor\b|\bplus\b")
_LIST_ITEM_WORDS = 7


def _is_list(value: str) -> bool:
    """A value made of short items ("J-1, H-1B (limited)"), not a sentence of its own."""
    return all(
        len(item.split()) <= _LIST_ITEM_WORDS for item in _LIST_SEPARATOR.split(value)
    )


def _listing(key: str, value: str, extra: set[str]) -> list[_Finding]:
    """A list of accepted visas/statuses; a negated item ("no H-1B") is denied."""
    if lex.TOPIC_WORDS.search(key):
        return []  # "Visa resources: H-1B overview, J-1 guide"
    positive, denied = set(extra), set()
    for item in _LIST_SEPARATOR.split(value):
        item_tokens = _tokens(item)
        if not item_tokens or lex.TOPIC_WORDS.search(item):
            continue
        if lex.NEG.search(lex.FALSE_NEG.sub(" ", item)):
            denied |= item_tokens
        else:
            positive |= item_tokens
    out = _positive(f"{key} {value}", positive - denied, listing=True, ecfmg=False)
    if denied:
        out = [f for f in out if f.axis not in _axes(denied)]
        out += _negative(denied, " ".join(sorted(denied)))
    return out


def _axes(tokens: set[str]) -> set[str]:
    return {axis for token, axis in ((H, "h1b"), (J, "j1")) if token in tokens}


def _yes_answer(tokens: set[str], text: str) -> list[_Finding]:
    out = []
    if H in tokens:
        out.append(_Finding("h1b", "limited" if lex.RESTRICT.search(text) else "yes", 3))
    if J in tokens:
        out.append(_Finding("j1", "yes", 3))
    return out


def _limited_answer(tokens: set[str]) -> list[_Finding]:
    out = []
    if H in tokens:
        out.append(_Finding("h1b", "limited", 3))
    if J in tokens:
        out.append(_Finding("j1", "yes", 3))
    return out




def _negative(tokens: set[str], c: str) -> list[_Finding]:
    """A denial covering every visa named in the clause."""
    out: list[_Finding] = []
    if H in tokens:
        if lex.HEDGE_NEG.search(c) or lex.SUBGROUP_SCOPE.search(c):
            # "we generally do not sponsor"; "not sponsored for PGY-1 positions"
            # (so for some other positions)
            out.append(_Finding("h1b", "limited", 3))
        else:
            out.append(_Finding("h1b", "no", 2 if lex.NEW_ONLY.search(c) else 3))
    if J in tokens:
        out.append(_Finding("j1", "no", 3))
    if tokens & {V, NC} or (S in tokens and NC in tokens):
        if H not in tokens:
            out.append(_Finding("h1b", "no", 2))
        if J not in tokens:
            out.append(_Finding("j1", "no", 1))
    return out




def _h1b_restricted(c: str) -> bool:
    # "limited to" reads as "only for": a restriction to a group ("limited to one
    # position", "to chief residents"), but an ordinary condition when what follows
    # is one ("limited to candidates who have passed all three Steps").
    scoped = bool(_LIMITED_TO.search(c))
    if lex.RESTRICT.search(_LIMITED_TO.sub(" ", c) if scoped else c):
        return True
    return (scoped or bool(lex.ONLY_SCOPE.search(c))) and not lex.CONDITION.search(c)


_LIMITED_TO = re.compile(r"\b(?:limited|restricted) to (?!xx)")


_H1B_ONLY = re.compile(
    rf"\b{H} only\b(?! (?:for|to|if|when|in|after|with|under|on|at|by)\b)"
    rf"|\bonly (?:sponsors? |accepts? |offers? )?(?:the )?{H}"
    r"(?! (?:only )?(?:for|to|if|when|in|after|with|under|on|at|by)\b)"
)


_ALL_OTHER = re.compile(r"^(?:all|any|every) other\b")
_ACCEPT = re.compile(r"\baccept(?:s|ed|ing)?\b")
_TRANSFERS = re.compile(r"\btransfers?\b")
_HOLDERS_ONLY = re.compile(r"\btransfer|\balready\b|\bcurrent|\bexisting\b")


def _positive(c: str, tokens: set[str], listing: bool, ecfmg: bool) -> list[_Finding]:
    """A statement that the program takes the visas (or statuses) it names."""
    out: list[_Finding] = []
    only = bool(lex.ONLY.search(c))
    restricted = False
    if J not in tokens and V in tokens and ecfmg:
        tokens = tokens | {J}  # "we accept ECFMG-sponsored visas"
    if H in tokens:
        # "H-1B visa holders may apply": only those who already hold one.  "We accept
        # J-1 and H-1B visa holders" accepts H-1B (the taxonomy's "accepts"), unless
        # "only" narrows it to the holders ("we only accept current H-1B holders").
        holders = lex.H1B_HOLDERS.search(c) and (
            not (lex.SPONSOR_VERB.search(c) or _ACCEPT.search(c)) or lex.ONLY.search(c)
        )
        restricted = bool(_h1b_restricted(c) or holders)
        out.append(_Finding(
            "h1b", "limited" if restricted else "yes", 3,
            holders=restricted and bool(holders or _HOLDERS_ONLY.search(c)),
            new_petitions=not restricted and bool(
                lex.NEW_ONLY.search(c) and lex.SPONSOR_VERB.search(c)
            ),
        ))
        if S in tokens and J not in tokens and (only or listing or lex.REQUIRE.search(c)
                                                or lex.APPLY.search(c)):
            # "US citizens, permanent residents and current H-1B holders may apply":
            # the full list leaves the J-1 out (weakly: a J-1 sentence overrides).
            out.append(_Finding("j1", "no", 1))
    if J in tokens:
        out.append(_Finding("j1", "yes", 3))
        if H not in tokens:
            # A policy naming J-1 alone is the program's full answer.  "All other
            # IMGs / programs: J-1 only" presupposes a group that gets more: a
            # partial policy, so H-1B is limited.
            partial = only and _ALL_OTHER.match(c)
            out.append(_Finding("h1b", "limited" if partial else "no", 3 if only else 1))
    elif H in tokens and _H1B_ONLY.search(c) and not restricted:
        # "We accept H-1B visas only."  (In "we only accept H-1B holders who are
        # transferring" the "only" restricts the H-1B, it does not list visas.)
        out.append(_Finding("j1", "no", 1))
    elif S in tokens and H not in tokens and (only or listing or lex.REQUIRE.search(c)):
        # "Applicants must be US citizens, permanent residents or hold an EAD."
        # Inferred, so an explicit J-1 statement beside it wins ("...; J visas
        # are acceptable in select situations").
        out.append(_Finding("j1", "no", 2))
        out.append(_Finding("h1b", "no", 2))
    return out




def _step3(c: str, h_context: bool) -> list[_Finding]:
    if ST not in c or not h_context or lex.STEP3_PREFERENCE.search(c):
        return []
    if lex.STEP3_NOT_FOR_APPLYING.search(c):
        # "not required to apply" is a denial unless the text goes on to require
        # Step 3 for the petition ("..., but it must be passed before we file").
        rest = lex.STEP3_NOT_FOR_APPLYING.sub(" ", c)
        return [_Finding("step3", bool(lex.STEP3_LATER.search(rest)), 3)]
    if lex.STEP3_NOT_NEEDED.search(c):
        return [_Finding("step3", False, 3)]
    if lex.STEP3_NEEDED.search(c):
        return [_Finding("step3", True, 3)]
    return []


def _analyse_clause(c: str, ecfmg: bool, prev_pred: bool) -> tuple[list[_Finding], bool]:
    """Findings of one clause, and whether it had a stance predicate."""
    if _skip_clause(c):
        return [], bool(lex.PRED.search(c))  # "... but no longer do so" still refers to it
    tokens = _tokens(c)
    if not tokens:
        return [], bool(lex.PRED.search(c))
    if ":" in c:
        found = _key_value(c)
        if found is not None:
            return found, True
    elif "?" in c:
        # "Is there H1B sponsorship? no" -- a question and its answer in one line
        found = _key_value(c.replace("?", ":", 1))
        if found is not None:
            return found, True
    if "not " in c:
        c = lex.NOT_ONLY.sub(" ", c)  # "not only J-1 but also H-1B": no denial, no "only"
    c_neg = lex.FALSE_NEG.sub(" ", c)
    if ST in c_neg:
        # "Step 3 is not required" denies a condition, not the visa.
        c_neg = lex.STEP3_NOT_NEEDED.sub(" ", c_neg)
    limiting_neg = bool(lex.LIMITING_NEG.search(c_neg))
    c_neg = lex.LIMITING_NEG.sub(" limited ", c_neg)
    pred = bool(lex.PRED.search(c) or lex.ONLY.search(c) or lex.RESTRICT.search(c))
    neg = bool(lex.NEG.search(c_neg))
    if neg and lex.COSTS.search(c):
        return [], False  # "does not pay the H-1B fees" denies a cost, not the visa
    if neg and _NOT_BY_AGENT.search(c_neg):
        return [], False  # "H-1B visas are not sponsored by ECFMG": ECFMG's role, not ours
    if neg:
        direct = re.search(r"\bno (?:\w+ )?xx|\bnone\b|^not\b|\bnot (?:an? )?xx", c_neg)
        if not (pred or prev_pred or direct or lex.REQUIRE.search(c)):
            return [], False
        if lex.CONDITIONAL_NEG.search(c) and ST in c and H in tokens:
            # "H-1B visas are not sponsored unless Step 3 is passed": a condition.
            return [_Finding("h1b", "yes", 2)], True
        return _negative_with_exceptions(c_neg, tokens, ecfmg), True
    if limiting_neg and H in tokens:
        return [_Finding("h1b", "limited", 3)], True
    if (
        H in tokens and ST in c and lex.STEP3_NEEDED.search(c) and lex.STEP3_POLICY.search(c)
        and not lex.PRED.search(c.replace(ST, ""))
    ):
        # "H-1B sponsorship requires Step 3", "applicants needing an H-1B must pass
        # Step 3": the program sponsors H-1B.  ("The H-1B requires Step 3" is a fact.)
        restricted = _h1b_restricted(c)
        return [_Finding("h1b", "limited" if restricted else "yes", 2)], True
    if not (pred or lex.REQUIRE.search(c)):
        verbless = _VERBLESS_FOR.match(c)
        if verbless and lex.GROUP.match(c, verbless.end()):
            # "H-1B for residents" (a policy line without a verb)
            return _positive(c, tokens, listing=True, ecfmg=ecfmg), True
        return [], False
    match = lex.EXCEPT.search(c)
    if match and _tokens(c[match.end():]) & {H, J}:
        # "We accept all visa types except H-1B": what follows "except" is denied.
        before, after = c[: match.start()], c[match.end():]
        out = _positive(before, _tokens(before), listing=False, ecfmg=ecfmg)
        return out + _negative(_tokens(after) & {H, J}, after), True
    return _positive(c, tokens, listing=False, ecfmg=ecfmg), True


_VERBLESS_FOR = re.compile(
    rf"^(?:{H}|{J})(?: (?:and|or|&|/) (?:{H}|{J}))?(?: sponsorship)? (?:for|to) "
    r"(?:all |our |the |eligible |qualified )?"
)
_NOT_BY_AGENT = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:been\s+|be\s+)?ecfmgsponsored\b")


def _negative_with_exceptions(c: str, tokens: set[str], ecfmg: bool) -> list[_Finding]:
    """Negation over the clause, except visas after "other than"/"except"."""
    match = lex.EXCEPT.search(c)
    if not match:
        out = _negative(tokens, c)
        if ecfmg and J not in tokens and V in tokens and re.search(r"\bbut\b|\baccept", c):
            out.append(_Finding("j1", "yes", 3))
        return out
    before, after = c[: match.start()], c[match.end():]
    after_tokens = _tokens(after)
    if not after_tokens & {H, J} and H in _tokens(before):
        if lex.RESTRICT.search(after):
            return [_Finding("h1b", "limited", 3)]  # "not ... except in rare cases"
        if lex.CONDITION.search(after):
            # "not ... except for candidates who have passed Step 3": an ordinary
            # condition, as "only for candidates with Step 3"
            return [_Finding("h1b", "yes", 3)]
        if lex.PEOPLE.search(after):
            return [_Finding("h1b", "limited", 3)]  # "except for chief residents"
    out = _negative(_tokens(before) or {V}, before)
    if J in after_tokens:
        out.append(_Finding("j1", "yes", 3))
    if H in after_tokens:
        out.append(_Finding("h1b", "yes", 3))
    return out




@dataclass
class _Around:
    """What the sentences before a unit, in the same paragraph, said."""

    tokens: set[str] = field(default_factory=set)  # their visa tokens
    h_recent: bool = False  # an H-1B statement just preceded (a bare Step 3 is its condition)
    paragraph: _Paragraph | None = None  # the line the unit is on
    policy: bool = False  # an earlier sentence stated a stance
    conditional: bool = False  # an earlier sentence offered H-1B on a condition


def _personal_status(text: str, canon: str) -> bool:
    """ "Visa status: J-1" on a resident's profile describes a person, not a policy."""
    if not _STATUS_KEY.match(text):
        return False
    value = _AFFILIATION.sub(" ", canon.partition(":")[2]).strip(" .")
    # "Visa status: J-1 — Maria Gomez, MD, PGY-2": the person's name after a dash
    value = _PERSON_TAIL.sub("", value).strip(" .")
    return value in (H, J, "xxf1", OTHER, S)


_PERSON_TAIL = re.compile(
    r"\s*[—–-][^—–]{0,80}\b(?:md|do|mbbs|pgy-?\d|dr)\b[^—–]{0,40}$"
)


def _about_a_person(canon: str) -> bool:
    """ "Dr. Ortega trained in Guadalajara and is on a J-1 visa." (a bio), not "he or
    she" in a policy, nor a sentence that speaks for the program ("we")."""
    return bool(
        lex.PERSON_START.match(lex.GENERIC_PERSON.sub(" ", canon).lstrip())
        and not re.search(r"\bwe\b", canon)
    )


_AFFILIATION = re.compile(r"\(\s*ecfmg\s*\)")  # "J-1 (ECFMG)"


_STATUS_KEY = re.compile(
    r"^\s*(?:(?:current|immigration|visa|citizenship)\s+){1,3}status\s*:", re.I
)


def _analyse(text: str, around: _Around) -> tuple[list[_Finding], set[str]]:
    """Findings of one unit (a sentence, a heading with its items, a table row).

    `around.tokens` holds the visa tokens of the previous sentences of the same
    paragraph ("... Our program accepts both.").
    """
    canon, ecfmg = _canonical(text, around.paragraph)
    if _personal_status(text, canon) or _about_a_person(canon):
        return [], set()
    context = around.tokens
    findings: list[_Finding] = []
    prev_pred = False
    prev_tokens: set[str] = set(context) if len(context & {H, J}) > 1 else set()
    past = bool(lex.PAST.match(canon) or re.match(r"^(?:in|since|during) (?:19|20)\d\d\b", canon))
    prev_clause = ""
    named = ""  # the last clause that named a visa or status
    groups: list[tuple[str, set[object]]] = []  # (training group, h1b values) per clause
    for clause in _split_clauses(canon):
        if past and not (lex.NOW.search(clause) or lex.REAFFIRM.search(clause)):
            prev_tokens = _tokens(clause) or prev_tokens
            prev_clause = clause
            continue  # "In 2019, the program sponsored its first H-1B resident."
        if not _tokens(clause) and lex.REAFFIRM.search(clause) and prev_clause:
            # "In 2015 the program began sponsoring H-1B visas, and continues to do so"
            # restates the clause before it now; "... but no longer does so" denies it.
            base = _PAST_START.sub("", lex.PAST.sub(" ", prev_clause)).strip()
            clause = f"no longer {base}" if lex.NEG.search(clause) else base
        elif not _tokens(clause) and _BARE_NAMES.match(prev_clause):
            clause = f"{prev_clause}: {clause}"  # "H-1B - case by case"
        elif (
            not _tokens(clause) and len(clause.split()) <= 3
            and _BARE_NAMES.match(names := _bare_tail(prev_clause))
        ):
            # "International applicants: J-1 (ECFMG sponsored) - yes; H-1B - no"
            clause = f"{names}: {clause}"
        elif not _tokens(clause) and prev_tokens and (
            lex.CONTINUATION.match(clause) or lex.BOTH.search(clause)
            or (H in prev_tokens and _TRANSFERS.search(clause))
        ) and _continuable(named):
            # An elliptical clause ("and is not available in all departments";
            # "...; we accept transfers only" after an H-1B clause) speaks of the
            # visas of the clause before it.
            clause = f"{clause} {' '.join(sorted(prev_tokens))}"
        elif (
            around.conditional and context & {H, J} and not _tokens(clause) & {H, J}
            and V in _tokens(clause) and lex.CONSEQUENCE.search(clause)
            and lex.NEG.search(lex.FALSE_NEG.sub(" ", clause))
        ):
            # "GME sponsors visas (H-1B, J-1) only for hard-to-fill positions. Ours
            # are not, so we do not sponsor visas": the conclusion denies the visas
            # of the conditional offer.
            clause = f"{clause} {' '.join(sorted(context & {H, J}))}"
        found, prev_pred = _analyse_clause(clause, ecfmg, prev_pred)
        if not found:
            found = _j1_via_ecfmg(clause, around.policy or bool(findings))
        if not found and around.h_recent and _hedges_sponsorship(clause):
            # "We sponsor J-1 and H-1B visas. The Institution reserves the right to
            # determine which visa is offered.": the hedge limits the H-1B offer.
            found = [_Finding("h1b", "limited", 3)]
        if J in prev_tokens or J in context:
            found = _other_visas(clause, found)
        findings.extend(found)
        if any(f.axis == "h1b" for f in found) and (group := lex.GROUP.search(clause)):
            groups.append((group.group(), {f.value for f in found if f.axis == "h1b"}))
        if _tokens(clause):
            named = clause
        prev_tokens = _tokens(clause) or prev_tokens
        prev_clause = clause
    findings = _mixed_clause_groups(findings, groups)
    h_context = H in canon
    if h_context and J in canon and ST in canon:
        # "Step 3 is not required for J-1 applicants" is not about H-1B.
        h_context = not re.search(rf"{ST}[^;]*\bfor {J}|{J}[a-z ]*{ST}", canon)
    elif not h_context and J not in canon:
        # A bare Step 3 sentence right after an H-1B statement is its condition,
        # unless it is a general training requirement ("by the end of PGY-2").
        h_context = around.h_recent and not lex.GENERAL_STEP3.search(canon)
    findings.extend(_step3(canon, h_context))
    return _merge_unit(findings), _tokens(canon)


def _hedges_sponsorship(clause: str) -> bool:
    """A hedge on visa sponsorship in general, naming no visa type."""
    return (
        _tokens(clause) & {H, J, V} == {V} and bool(lex.SPONSORSHIP_HEDGE.search(clause))
        and not lex.NEG.search(lex.FALSE_NEG.sub(" ", lex.LIMITING_NEG.sub(" ", clause)))
        and not _skip_clause(clause)
    )


def _continuable(clause: str) -> bool:
    """Whether an elliptical clause ("and is not available in all departments") may
    continue `clause`: a clause about visas, not a list that ends in something
    else ("..., J-1 / H-1B, US clinical experience preferred, not required") nor a
    clause that is not about the program's policy ("... visas for observers")."""
    return "," not in clause.rsplit("xx", 1)[-1] and not _skip_clause(clause)


def _j1_via_ecfmg(c: str, policy: bool) -> list[_Finding]:
    """ "J-1 visa sponsorship is through ECFMG": the program's answer is the ECFMG J-1.

    "J-1 visas are sponsored by ECFMG" alone explains who sponsors the J-1; it
    is the program's answer only in a paragraph that states its policy.
    """
    if _J1_SPONSORSHIP_VIA_ECFMG.match(c) or (policy and _J1_VIA_ECFMG.match(c)):
        return [_Finding("j1", "yes", 3), _Finding("h1b", "no", 1)]
    return []


_VIA = r"(?:(?:provided|handled|available|done|obtained|arranged|offered) )?ecfmgsponsored$"
_J1_SPONSORSHIP_VIA_ECFMG = re.compile(
    rf"^(?:all |the )?{J} (?:visa )?sponsorship (?:is|are|will be|can be) {_VIA}"
)
_J1_VIA_ECFMG = re.compile(rf"^(?:all |the )?{J} (?:is|are|will be|can be) (?:also )?{_VIA}")


def _other_visas(c: str, found: list[_Finding]) -> list[_Finding]:
    """ "(ECFMG sponsors the J-1;) we do not sponsor any other visa type": the
    denial leaves out the J-1 named before it, so the J-1 is the program's answer.
    (After an H-1B the denial stands: "We sponsor H-1B. No other visas are sponsored.")"""
    if H in c or J in c or not _OTHER_VISAS.search(c):
        return found
    if not any(f.axis == "j1" and f.value == "no" and f.strength <= 1 for f in found):
        return found
    return [f for f in found if f.axis != "j1"] + [_Finding("j1", "yes", 2)]


_OTHER_VISAS = re.compile(rf"\bother (?:types? of |kinds? of )?{V}|\b{V} other than\b")


def _mixed_clause_groups(
    findings: list[_Finding], groups: list[tuple[str, set[object]]]
) -> list[_Finding]:
    """H-1B for one training group and not for another in one unit ("H-1B for
    residents; fellows must be on J-1"): a policy for some positions only."""
    yes, no = set(), set()
    for group, values in groups:
        key = re.sub(r"[^a-z0-9]", "", group)[:6]  # residents/residency, fellows/fellowship
        if values & {"yes", "limited"}:
            yes.add(key)
        if "no" in values:
            no.add(key)
    if yes and no and yes != no:
        return [f for f in findings if f.axis != "h1b"] + [_Finding("h1b", "limited", 3)]
    return findings


_PAST_START = re.compile(r"^\s*(?:in|since|during) (?:19|20)\d\d\b,?")
# A clause that only names visas ("H-1B", "J-1 and H-1B visas").
def _bare_tail(clause: str) -> str:
    """The visa names that end a clause after its key, without a parenthetical:
    "international applicants: xxj1 (ecfmgsponsored" -> "xxj1"."""
    return _TAIL_NOTE.sub("", clause.rpartition(":")[2]).strip()


_TAIL_NOTE = re.compile(r"\s*\([^()]*$")
_BARE_NAMES = re.compile(r"^(?:xxh1b|xxj1)(?:,? (?:and |or |& )?(?:xxh1b|xxj1))?(?: visas?)?$")


def _merge_unit(findings: list[_Finding]) -> list[_Finding]:
    """One sentence saying H-1B is both sponsored and not: a partial policy."""
    if any(f.new_petitions for f in findings):
        # "We accept transfers on H-1B and also file new H-1B petitions": the
        # transfer clause does not restrict the new petitions.
        findings = [f for f in findings if not f.holders]
    h_values = {f.value for f in findings if f.axis == "h1b" and f.strength == 3}
    if "no" in h_values and h_values & {"yes", "limited"}:
        # "not for fellows, but for residents"; "not routinely, but may be considered".
        findings = [f for f in findings if f.axis != "h1b"] + [_Finding("h1b", "limited", 3)]
    return findings


# --- units: sentences, headings with items, FAQ pairs, table rows -------------

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# "U.S.", "e.g.", "Dr." end in a period without ending the sentence.
_ABBREV = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z]\.?|\b(?:Dr|Mr|Ms|Mrs|St|vs|Inc|Jr|Sr|Prof|Dept|approx|etc))\.$"
)
_QA_PREFIX = re.compile(r"^(?:q|a|question|answer)\s*[:.)]\s*", re.I)


@dataclass
class _Unit:
    text: str  # verbatim (whitespace-normalised) text, for evidence
    analyse: str  # what the rules read
    line: int
    table: int = -1  # first line of the table, for rows read against a header row


def _sentences(line: str) -> list[str]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        end = match.end()
        # Only a short window before the period is examined: linear time.
        window = max(start, match.start() - 12)
        if match.group().startswith(".") and _ABBREV.search(line, window, match.start() + 1):
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
        return len(words) <= 12
    if ":" in line:
        return False  # "H-1B: No" is a key-value line of its own
    if len(words) > 6 or line[-1:] in ".!?|":
        return False
    return bool(lex.ANY_TOKEN.search(line) or lex.LIST_TITLE.search(line))


def _is_list_title(line: str) -> bool:
    """A title such as "Eligibility Requirements" over a list of short items."""
    return (
        len(line.split()) <= 6 and line[-1:] not in ".!?|" and ":" not in line
        and bool(lex.LIST_TITLE.search(line))
    )


def _is_item(line: str) -> bool:
    return (
        len(line.split()) <= MAX_ITEM_WORDS and not line.endswith("?") and not line.endswith(":")
        and " | " not in line
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


MAX_SCREEN_HITS = 20000


def _hot_lines(lines: list[str], text: str) -> set[int]:
    """Indices of the lines that mention a visa, a status or sponsorship."""
    lower = text.lower()
    positions: list[int] = []
    for word, haystack in [(w, lower) for w in lex.SCREEN] + [("EAD", text)]:
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


def _units(lines: list[str], hot: set[int]) -> list[_Unit]:
    units: list[_Unit] = []
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
        for sentence in _sentences(line):
            for piece in _chunks(sentence):
                units.append(_Unit(piece, _QA_PREFIX.sub("", piece), i))
    return units[:MAX_UNITS]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(" | ")]


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


_HEADER_CELL = re.compile(rf"(?:{H}|{J}|{V}|{OTHER}|others?(?: {V})?)(?: {V})?")


def _visa_name_header(cells: list[str]) -> bool:
    """A header row of bare visa names ("Visa | J-1 | H-1B", "H-1B | J-1 | Other")."""
    canon = [_canonical(cell)[0] for cell in cells if cell]
    return (
        len(canon) >= 2 and any(c in (H, J) for c in canon)
        and all(_HEADER_CELL.fullmatch(c) for c in canon)
    )


def _table_row(lines: list[str], i: int, hot: set[int], units: list[_Unit]) -> None:
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
            units.append(_Unit(lines[i], sentence, i, table))


def _heading_unit(lines: list[str], i: int, hot: set[int], units: list[_Unit]) -> range:
    """A heading read together with the short item lines under it; returns the items."""
    items, item_hot = [], False
    for j in range(i + 1, min(len(lines), i + 9)):
        nxt = lines[j]
        if not _is_item(nxt) or _is_heading(nxt) and nxt.endswith(":") or ":" in nxt:
            break  # a "key: value" line is read on its own
        if nxt[-1] in ".!" and len(nxt.split()) > 3:
            break  # a sentence of its own, read on its own
        items.append(nxt.lstrip("-•*–· ").strip())
        item_hot = item_hot or j in hot
        if j == i + 1 and _is_short_answer(items[0]) and not lines[i].endswith(":"):
            break  # a definition list: "H-1B" / "No" / "J-1" / "Yes"
    if items and (i in hot or item_hot):
        # A heading line may end a paragraph: "We consider IMGs. Visa options:"
        head = _sentences(lines[i])[-1].rstrip(":").strip()
        units.append(_Unit(f"{head}: {'; '.join(items)}", f"{head}: {', '.join(items)}", i))
        return range(i + 1, i + 1 + len(items))
    return range(0)


def _is_short_answer(line: str) -> bool:
    low = line.lower()
    return len(low.split()) <= 4 and bool(
        lex.ANSWER_NO.search(low) or lex.ANSWER_YES.search(low) or lex.ANSWER_LIMITED.search(low)
    )


# --- FAQ pairs ---------------------------------------------------------------


def _faq(question: _Unit, answer: _Unit) -> list[_Finding]:
    """Read an answer in the light of its question ("Do you sponsor H-1B?" "No.")."""
    q, _ = _canonical(question.analyse)
    a_text = answer.analyse
    a, _ = _canonical(a_text)
    q_tokens = _tokens(q)
    if not q_tokens or _skip_clause(q):
        return []
    findings: list[_Finding] = []
    if lex.ANSWER_LIMITED.search(a):
        findings = _limited_answer(q_tokens)
    elif lex.ANSWER_NO.search(a):
        findings = _negative(q_tokens, q)
    elif lex.ANSWER_YES.search(a) and H not in q_tokens and _tokens(a) & {H, J}:
        # "Do you sponsor visas?" "Yes, J-1 and H-1B." -- the answer is the list.
        findings = _positive(a, _tokens(a) | (q_tokens & {J}), listing=True, ecfmg=False)
    elif lex.ANSWER_YES.search(a):
        findings = _yes_answer(q_tokens, a)
        if _ASKS_AS_HOLDER.search(q) and not lex.SPONSOR_VERB.search(f"{q} {a}"):
            # "Can I apply if I am on an H-1B visa?" "Yes, you may apply.": only
            # those who already hold one
            findings = [_Finding("h1b", "limited", 3) if f.axis == "h1b" else f
                        for f in findings]
    elif re.match(r"^(?:what|which)\b", q) and lex.PRED.search(q) and _tokens(a) - {V}:
        # "Which visas do you sponsor?" "J-1." -- the answer is the full list.
        findings = _positive(a, _tokens(a), listing=True, ecfmg=False)
    if findings and H in q_tokens:
        findings.extend(_step3(a, True))
    return findings


# --- page verdict -------------------------------------------------------------

_H1B_SEVERITY = {"no": 3, "limited": 2, "yes": 1}
_J1_SEVERITY = {"no": 2, "yes": 1}
_STEP3_SEVERITY = {True: 2, False: 1}
_SEVERITY = {"h1b": _H1B_SEVERITY, "j1": _J1_SEVERITY, "step3": _STEP3_SEVERITY}


def _evidence_text(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EVIDENCE_MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, EVIDENCE_MAX_CHARS)
    return text[: cut if cut > EVIDENCE_MAX_CHARS // 2 else EVIDENCE_MAX_CHARS].rstrip(" ,;:") + "…"


def _explanatory(question: _Unit) -> bool:
    """ "What is a J-1 visa?" asks for an explanation ("What is your visa policy?" does not)."""
    q = question.analyse.lower()
    if not _ASKS_WHAT.match(q) or _ASKS_PROGRAM.search(q) or lex.PRED.search(q):
        return False  # "What are the visa options?" asks for the policy
    return bool(lex.EXPLAIN.search(_canonical(question.analyse)[0]))


_ASKS_AS_HOLDER = re.compile(
    rf"\b(?:i|you) (?:am|are|have|hold|already have|currently have) "
    rf"(?:an? |a valid )?(?:on an? )?{H}"
    rf"|\b{H} (?:visa )?holders?\b|\b(?:currently|already) on (?:an? )?{H}"
)
_ASKS_WHAT = re.compile(r"(?:what(?:'s|\u2019s| is| are| does)|how do(?:es)?)\b")
_ASKS_PROGRAM = re.compile(
    r"\b(?:you|your|we|our|us|program|programs|residency|fellowship|hospital|institution"
    r"|department|gme|sponsor\w*|accept\w*|offer\w*|support\w*)\b"
)


def _is_question(unit: _Unit) -> bool:
    return unit.text.rstrip().endswith("?")


def _same_line_next(units: list[_Unit], index: int) -> bool:
    return index + 1 < len(units) and units[index + 1].line == units[index].line


def classify_text(text: str, url: str | None = None) -> Verdict:
    """Classify the visible text of one page (one block per line)."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    if not text:
        return UNKNOWN
    text = normalize_text(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = _reflow([line for line in lines if line])
    return _classify_lines(lines, "\n".join(lines), url)


# Text extracted from a PDF wraps lines mid-sentence ("sponsors J-1 and H-" /
# "1B visas", "USMLE Step" / "3 before ...", "spon-" / "sor").  A line is joined to
# the previous one when that one was cut off: it ends in a hyphen after a letter,
# or it is a long line (a wrapped sentence, not a title or a list item) without
# closing punctuation; and the next line starts in lower case or with a number
# that is not a list number ("3 before", not "4.2 Visas" or "2) ...").
_CUT_HYPHEN = re.compile(r"[A-Za-z]-$")
_CUT_LINE = re.compile(r"(?:\S+ ){5}.*[A-Za-z0-9,]$")
_CONTINUES = re.compile(r"[a-z]|\d+ [a-z]")


def _reflow(lines: list[str]) -> list[str]:
    # Each output line is built from parts joined once (linear in the text even
    # when thousands of wrapped lines make one paragraph).
    out: list[list[str]] = []
    prev = ""  # the last input line, which decides whether the next continues it
    for line in lines:
        if not out or " | " in prev or not _CONTINUES.match(line):
            out.append([line])
        elif _CUT_HYPHEN.search(prev):
            # "spon-" + "sor" is one word; "H-" + "1B" keeps its hyphen
            parts = out[-1]
            if line[0].isalpha():
                parts[-1] = parts[-1][:-1]
            parts.append(line)
        elif _CUT_LINE.match(prev):
            out[-1].extend((" ", line))
        else:
            out.append([line])
        prev = line
    return ["".join(parts) for parts in out]


def classify_html(html: str | bytes, url: str | None = None) -> Verdict:
    """html_to_text then classify_text (the extracted text is already clean)."""
    text = html_to_text(html)
    if not text:
        return UNKNOWN
    return _classify_lines(text.split("\n"), text, url)


def _classify_lines(lines: list[str], text: str, url: str | None) -> Verdict:
    hot = _hot_lines(lines, text)
    if not hot:
        return UNKNOWN
    units = _units(lines, hot)
    scored: list[tuple[_Finding, int]] = []
    last_h = -10  # index of the last unit that said H-1B is (partly) sponsored
    around = _Around()
    explained = -1  # last line of the answer to an explanatory question ("What is a J-1?")
    paragraph = _Paragraph("")
    paragraph_line = -1
    for index, unit in enumerate(units):
        if unit.line != paragraph_line:
            paragraph, paragraph_line = _Paragraph(lines[unit.line]), unit.line
        around.paragraph = paragraph
        around.h_recent = index - last_h <= 2
        tokens: set[str] = set()
        if _is_question(unit):
            found = []
            if _explanatory(unit):
                explained = unit.line + 1
            elif index + 1 < len(units) and not _is_question(units[index + 1]):
                found = _faq(unit, units[index + 1])
        else:
            found, tokens = _analyse(unit.analyse, around)
            if unit.line <= explained and not lex.PROGRAM_SUBJECT.search(unit.analyse.lower()):
                # The answer to "What is a J-1?" explains, unless a sentence of it
                # speaks of the program ("... Our program sponsors both.").
                found = []
        if any(f.axis == "h1b" and f.value in ("yes", "limited") for f in found):
            last_h = index
        scored.extend((finding, index) for finding in found)
        if _same_line_next(units, index):
            around.tokens = around.tokens | tokens
            around.policy = around.policy or bool(found)
            around.conditional = around.conditional or any(
                f.axis == "h1b" and f.value == "limited" for f in found
            )
        else:
            around = _Around()
    scored = _mixed_groups(_mixed_tables(scored, units), units, lines)
    return _page_verdict(scored, units, url)


def _mixed_groups(
    scored: list[tuple[_Finding, int]], units: list[_Unit], lines: list[str]
) -> list[tuple[_Finding, int]]:
    """H-1B yes for one training group and no for another ("PGY-1 positions: J-1
    only" / "PGY-2 positions: J-1 or H-1B") is a policy for some positions only.
    So is a department page whose sections, each titled with a program or track
    ("Categorical" / "Sponsors J-1 and H-1B visas." / "Preliminary" / "J-1 visas
    only."), give H-1B in some and not in others."""
    groups: dict[object, set[str]] = {}
    for finding, index in scored:
        if finding.axis != "h1b" or finding.strength < 3:
            continue
        key, colon, _ = units[index].analyse.partition(":")
        group = lex.GROUP.search(key.lower()) if colon and len(key.split()) <= 4 else None
        if group:
            groups.setdefault(finding.value, set()).add(group.group())
        elif (section := _section_title(lines, units[index].line)) is not None:
            groups.setdefault(finding.value, set()).add(section)
    yes_groups = groups.get("yes", set()) | groups.get("limited", set())
    no_groups = groups.get("no", set())
    if not (yes_groups and no_groups and yes_groups != no_groups):
        return scored
    index = next(i for f, i in scored if f.axis == "h1b" and f.strength >= 3)
    kept = [(f, i) for f, i in scored if not (f.axis == "h1b" and f.strength >= 3)]
    return [*kept, (_Finding("h1b", "limited", 3), index)]


def _section_title(lines: list[str], line: int) -> str | None:
    """The title line right above `line` when it names a program or track."""
    if line == 0:
        return None
    title = lines[line - 1]
    if len(title.split()) > 5 or title[-1:] in ".:?!;|," or lex.ANY_TOKEN.search(title):
        return None
    low = title.lower()
    if not (lex.SECTION_NAME.search(low) or lex.GROUP.search(low)) or lex.SECTION_NOT.search(low):
        return None
    return low


def _mixed_tables(
    scored: list[tuple[_Finding, int]], units: list[_Unit]
) -> list[tuple[_Finding, int]]:
    """A table of programs whose rows say H-1B yes for some and no for others.

    ("Program | J-1 | H-1B" / "Medicine | Yes | Yes" / "Surgery | Yes | No"): the
    institution sponsors H-1B in some programs only, which is ``limited``.
    """
    values: dict[int, set[object]] = {}
    for finding, index in scored:
        table = units[index].table
        if table >= 0 and finding.axis == "h1b" and finding.strength >= 3:
            values.setdefault(table, set()).add(finding.value)
    mixed = {t for t, v in values.items() if "no" in v and v & {"yes", "limited"}}
    if not mixed:
        return scored
    out = [
        (f, i) for f, i in scored
        if not (f.axis == "h1b" and units[i].table in mixed and f.strength >= 3)
    ]
    for table in sorted(mixed):
        index = next(i for f, i in scored if f.axis == "h1b" and units[i].table == table)
        out.append((_Finding("h1b", "limited", 3), index))
    return out


def _page_verdict(
    scored: list[tuple[_Finding, int]], units: list[_Unit], url: str | None
) -> Verdict:
    chosen: dict[str, tuple[object, int, int]] = {}
    for finding, index in scored:
        current = chosen.get(finding.axis)
        key = (finding.strength, _SEVERITY[finding.axis][finding.value])
        if current is None or key > (current[1], _SEVERITY[finding.axis][current[0]]):
            chosen[finding.axis] = (finding.value, finding.strength, index)
    if chosen.get("h1b", ("no",))[0] == "no":
        chosen.pop("step3", None)  # a Step 3 condition for an H-1B the page does not offer
    h1b = chosen["h1b"][0] if "h1b" in chosen else "unknown"
    j1 = chosen["j1"][0] if "j1" in chosen else "unknown"
    step3 = chosen["step3"][0] if "step3" in chosen else None
    evidence = []
    for axis in ("h1b", "j1", "step3"):
        if axis in chosen:
            unit = units[chosen[axis][2]]
            text = unit.text
            if _is_question(unit) and chosen[axis][2] + 1 < len(units):
                text = f"{text} {units[chosen[axis][2] + 1].text}"
            evidence.append(Evidence(_evidence_text(text), url, axis))
    weak = frozenset(axis for axis, (_, strength, _) in chosen.items() if strength <= 1)
    return Verdict(
        derive_category(str(h1b), str(j1)),
        str(h1b),
        str(j1),
        step3,  # type: ignore[arg-type]
        _dedupe(evidence),
        weak,
    )


def _dedupe(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for item in evidence:
        if (item.text, item.url) in seen:
            continue
        seen.add((item.text, item.url))
        out.append(item)
    return tuple(out[:MAX_EVIDENCE])


# --- combining pages ----------------------------------------------------------


def _axis_value(verdict: Verdict, axis: str) -> object:
    if axis == "step3":
        return verdict.step3_required
    return getattr(verdict, axis)


def _known(axis: str, value: object) -> bool:
    return value is not None and value != "unknown"


def combine(pages: Iterable[tuple[Verdict, bool]]) -> Verdict:
    """One program's verdict from its pages; see the module docstring for the rule."""
    pages = list(pages)
    if not pages:
        return UNKNOWN
    result: dict[str, object] = {}
    evidence: list[Evidence] = []
    for axis in ("h1b", "j1", "step3"):
        best = None
        for verdict, own in pages:
            value = _axis_value(verdict, axis)
            if not _known(axis, value):
                continue
            explicit = axis not in verdict.weak
            key = (own, explicit, _SEVERITY[axis][value])
            if best is None or key > best[0]:
                best = (key, value)
        if best is None:
            continue
        result[axis] = best[1]
        winners = [
            verdict for verdict, own in pages
            if _axis_value(verdict, axis) == best[1]
            and (own, axis not in verdict.weak) == best[0][:2]
        ]
        evidence.extend(_axis_evidence(winners, axis))
    h1b = str(result.get("h1b", "unknown"))
    j1 = str(result.get("j1", "unknown"))
    if h1b not in ("yes", "limited"):
        # A Step 3 condition only means something for an H-1B that is offered.
        result.pop("step3", None)
        evidence = [item for item in evidence if item.axis != "step3"]
    step3 = result.get("step3")
    weak_axes = frozenset(
        axis for axis in ("h1b", "j1", "step3")
        if axis in result and all(
            axis in verdict.weak for verdict, _ in pages
            if _axis_value(verdict, axis) == result[axis]
        )
    )
    ordered = sorted(set(evidence), key=lambda e: (_AXIS_ORDER[e.axis], e.url or "", e.text))
    return Verdict(derive_category(h1b, j1), h1b, j1, step3, _dedupe(ordered), weak_axes)  # type: ignore[arg-type]


_AXIS_ORDER = {"h1b": 0, "j1": 1, "step3": 2}


def _axis_evidence(winners: list[Verdict], axis: str) -> list[Evidence]:
    """Evidence for `axis` from the winning pages; a page's only sentence if untagged."""
    items = [item for verdict in winners for item in verdict.evidence if item.axis == axis]
    if not items:
        items = [item for verdict in winners for item in verdict.evidence[:1]]
    return sorted(set(items), key=lambda e: (e.url or "", e.text))[:1]
