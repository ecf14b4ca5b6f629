"""Visa-policy classifier: what a program page says about H-1B and J-1 sponsorship.

The values follow the contract in ``docs/visa-taxonomy.md`` (axes ``h1b`` and
``j1``, the derived ``category``, ``step3_required`` and ``evidence``).

How a page is read
------------------
1. The text is split into lines (block elements) and the lines into units:
   sentences, a heading read together with the short items under it, a table
   row read against its header row, an FAQ question with its answer.  Only
   lines holding a visa-related word are read in depth (a cheap prefilter
   keeps multi-megabyte pages fast), and plain text is reflowed first
   (text extracted from PDFs wraps lines mid-sentence).  How structure is
   recognised: ``monitor.classify.units``.
2. Each unit is canonicalised (visa names and statuses become single
   tokens), sentences and clauses that state no policy of the program are
   skipped, and the unit is cut into clauses at contrastive joints so that
   a negation applies to its own clause only.  The rules: ``monitor.classify.clauses``;
   its word lists and patterns: ``monitor.classify.lexicon``.
3. Each clause yields findings ``(axis, value, strength)``:
   strength 3 = an explicit statement about that visa; 2 = a statement about
   all visas or an implied one (a Step 3 condition for H-1B); 1 = an
   inference (a statement naming only J-1 is the program's full answer, so
   H-1B is ``no``; "we do not sponsor visas" says J-1 is ``no`` too, but only
   weakly, because the J-1 is sponsored by ECFMG and a program that does not
   sponsor visas often still accepts it).
4. Per axis the strongest finding wins; ties between different values are
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
5. Where titled parts of the page (a program's section, a table row) say
   different things, each is read again with the page's untitled text and
   kept beside the page verdict (``Verdict.parts``), so a crawl can give a
   program its own section: ``monitor.classify.sections``.


Choices the taxonomy leaves open, made here:

* "We do not sponsor visas." alone is ``none`` (h1b no, j1 no).  A J-1
  statement anywhere else on the page ("ECFMG J-1 holders may apply")
  overrides the weak j1=no and gives ``j1_only``.
* Requiring US citizenship / permanent residency / EAD sets j1=no and also
  h1b=no (an H-1B holder meets none of those).  The j1=no is inferred, so an
  explicit J-1 acceptance beside it wins ("IMGs must be US citizens or
  permanent residents; J visas are acceptable in select situations" is
  ``j1_only``).  A status list naming H-1B but not J-1 ("US citizens,
  permanent residents and current H-1B holders") weakly sets j1=no.  An
  accepting verb over statuses alone is such a list too ("We accept US
  citizens and permanent residents" is ``none``) unless it is marked open
  ("including", "such as", "also").
* Who decides is not a denial: "Visa sponsorship is determined by the
  institution, not the program" states no stance (``unknown``).
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
* Naming the only programs that sponsor makes H-1B ``limited`` ("Only the
  Internal Medicine and Family Medicine programs sponsor H-1B visas"), and
  "All other programs accept J-1 visas only" on such a page is the
  institution's J-1 policy (j1 ``yes``), not talk about other institutions.
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
* "All (other) (residency) programs sponsor / accept ..." states the
  institution's policy (on a GME page); "most / many / some programs ..."
  talks about other programs.
* What a visa requires, said of the visa itself, explains and decides
  nothing, also with an adverb or after "note / be aware that": "Applicants
  should be aware that the H-1B visa generally requires passing USMLE Step 3"
  is ``unknown`` (no H-1B offer, no Step 3 policy).  Beside the program's own
  H-1B offer the Step 3 condition is still read from the context.
* A two-column fact table under a generic header ("Item | Detail") is read
  row by row as ``key: value`` pairs.
* "J-1 visa sponsorship is through ECFMG" is the program's answer (j1 yes,
  h1b no by inference).  "J-1 visas are sponsored by ECFMG" is the answer
  only in a paragraph that states a policy; alone it explains who sponsors.
  "(ECFMG sponsors the J-1;) we do not sponsor any other visa type" leaves
  the J-1 in: ``j1_only``.
* A conclusion right after a conditional offer denies the offered visas:
  "GME sponsors visas (TN, H-1B, J-1) only for hard-to-fill positions. Our
  programs are not, so we do not sponsor visas." is ``none``.  So is a
  denial of the condition itself, said of positions or programs ("Visas are
  sponsored only for hard-to-fill positions. Our GME positions do not meet
  this standard."; "... are not considered hard to fill").  Alone, an offer
  only for hard-to-fill positions is ``limited``.
* Descriptions of people state no policy: "Current residents hold J-1 and
  H-1B visas", "Visa status: J-1" on a profile, "Visa: H-1B" one or two
  lines under a person's name ("Dr. Chen, PGY-3").
* Dated blocks that disagree ("Updated 2019: we do not sponsor H-1B" /
  "Updated 2024: we sponsor H-1B"): on an axis the latest dated unit speaks
  to, findings of earlier-dated units are dropped (a unit is dated by its
  opening "Updated / Revised / As of / Effective (month) YYYY" or "YYYY:", or
  by a short dated title right above it); undated text is kept.
* A list under a title: a hedge after its last item limits that item
  ("Visas we sponsor:" / "J-1" / "H-1B - case by case" is ``limited``); a
  title that denies ("Visas we do not sponsor:") denies every item.  A short
  denial whose verb lost its object, right under a visa title ("Visa
  Sponsorship" / "Unfortunately, we are not able to at this time."), answers
  the title (``none``).
* A double negation accepts ("we do not refuse H-1B sponsorship"); "not only
  J-1 but also H-1B" names both; what applicants want ("many applicants
  prefer the H-1B") states no policy, and "..., but we chose not to sponsor
  it" denies the visa named before; data collection ("visa status is
  recorded for reporting purposes") and an office serving "faculty and
  researchers" decide nothing.
* An opening exception covers the denial after its comma: "Other than the
  ECFMG J-1, we are unable to support any visa" is ``j1_only``.  An opening
  past cue ("Historically, ...") covers only its own part of the sentence: a
  clause after a semicolon states today's policy.  "possible / sponsored for
  strong / outstanding / highly qualified candidates" is ``limited`` (a bar
  above ordinary conditions).  Comparisons of visas ("the H-1B and J-1 differ
  in ...") and advice on "applying to programs that sponsor it" decide
  nothing.
* A positive statement about "visas" in general ("we sponsor visas") names no
  type and decides nothing.
* Who sponsors is not a denial: "The hospital does not itself sponsor the J-1;
  ECFMG does." is ``j1_only``.  A waived condition is not one either: "We do
  not require Step 3 before the Match for H-1B candidates" states no stance.
* A required list of the statuses trainees may hold that names the J-1 beside
  the H-1B ("To be employed you must be a citizen, a permanent resident, a J-1
  holder or an H-1B holder") takes the H-1B: ``yes``.  H-1B left to each
  program ("per individual program policy", "varies by department") or needing
  prior approval ("H-1B requires prior approval of the GME office") is
  ``limited``.

Every rule that gives findings is a named unit in ``monitor.classify.rules``
(``visa-monitor classify --rules`` lists them with their examples, which are
tests); ``visa-monitor classify --explain FILE`` shows which fired on a page.
* A bare "must be authorized / eligible to work in the US" is not a
  citizenship requirement (a J-1 physician is work-authorised once
  admitted) and decides nothing; "permanent work authorization", "already
  authorized to work" and "without (the need for) visa sponsorship" are.
* "Will consider H-1B sponsorship for candidates with Step 3" is ``yes`` (a
  consideration with ordinary conditions, as in the taxonomy's "to be
  considered for an H-1B"); "may consider", "for the right candidate",
  "in select cases" are ``limited``.  A bare "H-1B sponsorship will be
  considered" (no hedge, no restriction) is ``yes`` too, for the same reason;
  "may be considered" is ``limited``.
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

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from monitor.classify import lexicon as lex
from monitor.classify import rules
from monitor.classify import trace as tracing
from monitor.classify.clauses import (
    OPEN,
    Around,
    Finding,
    Paragraph,
    analyse_unit,
    canonical,
    split_clauses,
)
from monitor.classify.sections import Part, part_titles
from monitor.classify.units import Unit, faq_findings, hot_lines, reflow, split_units
from monitor.extract.htmltext import html_to_text, normalize_text

__all__ = [
    "UNKNOWN",
    "Evidence",
    "Verdict",
    "classify_extracted",
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
    # A page's titled parts that differ (programs' sections, table rows), for the
    # program a crawl reads it for (monitor.classify.sections).  A page verdict's
    # only; not part of equality, nor of a program's stored stance.
    parts: tuple[Part, ...] = field(default=(), compare=False, repr=False)

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


# --- reading a page -----------------------------------------------------------


def classify_text(text: str, url: str | None = None) -> Verdict:
    """Classify the visible text of one page (one block per line)."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    if not text:
        return UNKNOWN
    text = normalize_text(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = reflow([line for line in lines if line])
    return _classify_lines(lines, "\n".join(lines), url)


def classify_html(html: str | bytes, url: str | None = None) -> Verdict:
    """Classify an HTML page."""
    return classify_extracted(html_to_text(html), url)


def classify_extracted(text: str, url: str | None = None) -> Verdict:
    """Classify what `html_to_text` returned for a page.

    That text is already clean and one block per line, so it is read as is:
    no second Unicode clean-up and no re-joining of wrapped lines (which is
    for plain text such as PDF extracts). The crawler keeps the text for the
    store and classifies it with this, the same path as `classify_html`.
    """
    if not text:
        return UNKNOWN
    return _classify_lines(text.split("\n"), text, url)


def _classify_lines(lines: list[str], text: str, url: str | None) -> Verdict:
    hot = hot_lines(lines, text)
    if not hot:
        return UNKNOWN
    if lex.NUMBERED_LINE.search(text) or lex.LIST_NUMBER.match(text):
        # ("6. Valid ECFMG certificate/J-1 visa": a numbered item is a list item; its
        # evidence shows it with the bullet)
        lines = [lex.LIST_NUMBER.sub("- ", line, count=1) for line in lines]
    units = split_units(lines, hot)
    trace = tracing.current()  # None unless `visa-monitor classify --explain`
    scored: list[tuple[Finding, int]] = []
    last_h = -10  # index of the last unit that said H-1B is (partly) sponsored
    around = Around()
    explained = -1  # last line of the answer to an explanatory question ("What is a J-1?")
    paragraph = Paragraph("")
    paragraph_line = -1
    general: list[bool] = []  # per unit: it talks of visas or programs in general
    for index, unit in enumerate(units):
        if unit.line != paragraph_line:
            paragraph, paragraph_line = Paragraph(lines[unit.line]), unit.line
        around.paragraph = paragraph
        around.h_recent = index - last_h <= 2
        tokens: set[str] = set()
        others = False
        talk = False
        if _is_question(unit):
            found = []
            if _explanatory(unit):
                explained = unit.line + 1
                rules.silence(_R_EXPLANATORY_QUESTION, unit.text)
            elif index + 1 < len(units) and not _is_question(units[index + 1]):
                found = faq_findings(unit, units[index + 1])
            else:
                rules.silence(_R_UNANSWERED, unit.text)
        elif _on_profile(unit, lines):
            found = []  # "Dr. Chen, PGY-3" / "Visa: H-1B": a person's status
            rules.silence(_R_PROFILE, unit.text)
        else:
            found, tokens, others, talk = analyse_unit(unit.analyse, around)
            if unit.line <= explained and not lex.PROGRAM_SUBJECT.search(unit.analyse.lower()):
                # The answer to "What is a J-1?" explains, unless a sentence of it
                # speaks of the program ("... Our program sponsors both.").
                found = []
        general.append(bool(talk))
        if trace is not None:
            trace.unit(index, unit, found, split_clauses(canonical(unit.analyse, paragraph)[0]))
        if any(f.axis == "h1b" and f.value in ("yes", "limited") for f in found):
            last_h = index
        scored.extend((finding, index) for finding in found)
        if _same_line_next(units, index):
            around.tokens = around.tokens | tokens
            around.policy = around.policy or bool(found)
            around.conditional = around.conditional or any(
                f.axis == "h1b" and f.value == "limited" for f in found
            )
            around.others = others
            around.visitors = around.visitors or _names_visitor_visas(unit, text)
        else:
            around = Around()
    scored = _without_general_talk(scored, units, lines, text, general)
    parts = _parts(scored, units, lines, url)
    scored = _superseded(_mixed_groups(_mixed_tables(scored, units), units), units, lines)
    scored = _sections_differ(_open_lists(scored), parts)
    if trace is not None:
        trace.page()
    verdict = _page_verdict(scored, units, url, trace)
    return replace(verdict, parts=parts) if parts else verdict


def _parts(
    scored: list[tuple[Finding, int]], units: list[Unit], lines: list[str], url: str | None
) -> tuple[Part, ...]:
    """The page's titled parts (a program's section, a table row) that say different
    things, each read with the page's untitled text (see monitor.classify.sections)."""
    speaking = {i for f, i in scored if f.axis in ("h1b", "j1")}
    if len(speaking) < 2:
        return ()
    titles = part_titles(lines, units)
    general: list[tuple[Finding, int]] = []
    by_title: dict[str, list[tuple[Finding, int]]] = {}
    for finding, index in scored:
        title = titles[index]
        (general if title is None else by_title.setdefault(title, [])).append((finding, index))
    parts = tuple(
        Part(title, _page_verdict(_open_lists(_superseded(found + general, units, lines)),
                                  units, url))
        for title, found in by_title.items()
        if any(f.axis in ("h1b", "j1") for f, _ in found)
    )
    if len({part.verdict for part in parts}) < 2:
        return ()  # one part, or parts that agree: the page's verdict is each one's
    return parts


_R_ACCEPTS = "accepts-visas"


def _open_lists(scored: list[tuple[Finding, int]]) -> list[tuple[Finding, int]]:
    """Where the page leaves other visas open, an H-1B "no" that was only read
    from a list without it (not said outright) does not stand."""
    if not any(f.value == OPEN for f, _ in scored):
        return scored

    def read_from_a_list(f: Finding) -> bool:
        # an inference (strength 1), or a list of accepted statuses without the
        # H-1B ("must be US citizens ..."); an outright denial stays
        return f.axis == "h1b" and f.value == "no" and (
            f.strength <= 1 or (f.strength <= 2 and f.rule == _R_ACCEPTS))

    return [(f, i) for f, i in scored if f.value != OPEN and not read_from_a_list(f)]


def _on_profile(unit: Unit, lines: list[str]) -> bool:
    """ "Visa: H-1B" one or two lines under a person's name is that person's status."""
    if not lex.PROFILE_KEY.match(unit.analyse):
        return False
    return any(lex.PERSON_LINE.search(lines[j]) for j in range(max(0, unit.line - 2), unit.line))


def _unit_year(unit: Unit, lines: list[str]) -> int | None:
    match = lex.DATED.match(unit.analyse)
    if match is None and unit.line > 0 and len(lines[unit.line - 1].split()) <= 4:
        match = lex.DATED.match(lines[unit.line - 1])
    return int(match.group(1)) if match else None


def _superseded(
    scored: list[tuple[Finding, int]], units: list[Unit], lines: list[str]
) -> list[tuple[Finding, int]]:
    """Dated blocks that disagree ("Updated 2019: ... does not sponsor H-1B" /
    "Updated 2024: ... sponsors H-1B"): on an axis the latest dated block speaks
    to, findings of earlier-dated blocks are dropped.  Undated text is kept."""
    years = {i: _unit_year(units[i], lines) for _, i in scored}
    latest: dict[str, int] = {}
    for finding, index in scored:
        year = years[index]
        if year is not None and year > latest.get(finding.axis, 0):
            latest[finding.axis] = year
    kept = [
        (f, i) for f, i in scored
        if years[i] is None or years[i] >= latest.get(f.axis, 0)
    ]
    if len(kept) < len(scored):
        for f, i in scored:
            if (f, i) not in kept:
                rules.silence(_R_LATEST_DATED, f"{units[i].text} (dated {years[i]})")
    return kept


def _is_question(unit: Unit) -> bool:
    # (also a quoted one: '- "What if the visa is refused?"')
    return unit.text.rstrip().rstrip("\"'\u201d\u2019)").endswith("?")


def _names_visitor_visas(unit: Unit, text: str) -> bool:
    """A unit that names visitor visas (B1/B2, ESTA) on a page for visitors (observers,
    visiting students, electives) -- not a residency page telling applicants which visa to
    travel to an interview on, whose "We do not sponsor visas" is its own stance."""
    return bool(lex.VISITOR_VISAS.search(unit.analyse)) and bool(lex.VISITING_PAGE.search(text))


def _same_line_next(units: list[Unit], index: int) -> bool:
    return index + 1 < len(units) and units[index + 1].line == units[index].line


def _explanatory(question: Unit) -> bool:
    """ "What is a J-1 visa?" asks for an explanation ("What is your visa policy?" does not)."""
    q = question.analyse.lower()
    if not lex.ASKS_WHAT.match(q) or lex.ASKS_PROGRAM.search(q) or lex.PRED.search(q):
        return False  # "What are the visa options?" asks for the policy
    return bool(lex.EXPLAIN.search(canonical(question.analyse)[0]))


# --- page verdict -------------------------------------------------------------


_H1B_SEVERITY = {"no": 3, "limited": 2, "yes": 1}
_J1_SEVERITY = {"no": 2, "yes": 1}
_STEP3_SEVERITY = {True: 2, False: 1}
_SEVERITY = {"h1b": _H1B_SEVERITY, "j1": _J1_SEVERITY, "step3": _STEP3_SEVERITY}


def _mixed_groups(
    scored: list[tuple[Finding, int]], units: list[Unit]
) -> list[tuple[Finding, int]]:
    """H-1B yes for one training group and no for another ("PGY-1 positions: J-1
    only" / "PGY-2 positions: J-1 or H-1B") is a policy for some positions only."""
    groups: dict[object, set[str]] = {}
    for finding, index in scored:
        if finding.axis != "h1b" or finding.strength < 3:
            continue
        key, colon, _ = units[index].analyse.partition(":")
        group = lex.GROUP.search(key.lower()) if colon and len(key.split()) <= 4 else None
        if group:
            groups.setdefault(finding.value, set()).add(group.group())
    yes_groups = groups.get("yes", set()) | groups.get("limited", set())
    no_groups = groups.get("no", set())
    if not (yes_groups and no_groups and yes_groups != no_groups):
        return scored
    return _limited_instead(scored, _R_GROUPS_DIFFER, lambda f, i: f.strength >= 3)


def _sections_differ(
    scored: list[tuple[Finding, int]], parts: tuple[Part, ...]
) -> list[tuple[Finding, int]]:
    """A page whose programs' sections give H-1B in some and not in others
    ("Categorical" / "Sponsors J-1 and H-1B visas." / "Preliminary" / "J-1 visas
    only.") sponsors it in some programs only: the page's H-1B is limited."""
    h1b = {part.verdict.h1b for part in parts}
    index = next((i for f, i in scored if f.axis == "h1b"), None)
    if index is None or not ("no" in h1b and h1b & {"yes", "limited"}):
        # (the parts are read from the page's raw findings; where the page's own
        # reading kept no H-1B finding, there is no offer to limit)
        return scored
    return _limited_instead(scored, _R_SECTIONS_DIFFER, lambda f, i: True)


def _mixed_tables(
    scored: list[tuple[Finding, int]], units: list[Unit]
) -> list[tuple[Finding, int]]:
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
    for table in sorted(mixed):
        scored = _limited_instead(
            scored, _R_TABLE_ROWS, lambda f, i, t=table: units[i].table == t and f.strength >= 3)
    return scored


def _without_general_talk(
    scored: list[tuple[Finding, int]], units: list[Unit], lines: list[str], text: str,
    general: list[bool],
) -> list[tuple[Finding, int]]:
    """What an explainer seems to say of one program's visas is more talk of visas in
    general: in a stretch of text never in the page's own voice (a whole advice or news
    page; on a program's page, a section between headings and lines where the program
    speaks) with general talk in two units or more -- or in one, in a stretch of five units
    or more naming none of a program's people (applicants, residents, "the program"; a
    short fact sheet beside one explaining line is still a program's) -- only what speaks
    for itself stays."""
    # (the cheap tests first: reading the page for its own voice is not; and no stretch
    # can be mostly general talk with one unit of it among fewer than five)
    talk_units = sum(general)
    if not scored or not talk_units or (
        talk_units < _GENERAL_TALK_UNITS and len(units) < _EXPLAINER_UNITS
    ):
        return scored
    talk = {
        unit for first, last, members in _stretches(units, lines, text)
        if _mostly_general_talk(sum(general[i] for i in members), members, lines, first, last)
        for unit in members
    }
    kept = [(f, i) for f, i in scored if i not in talk or _unit_speaks_for_itself(units, i)]
    if len(kept) < len(scored):
        rules.silence(_R_GENERAL_TALK, f"{len(scored) - len(kept)} finding(s) of the page")
    return kept


def _stretches(
    units: list[Unit], lines: list[str], text: str
) -> list[tuple[int, int, list[int]]]:
    """The page's stretches of text never in its own voice, each as (first line, line
    after the last, its units).  A page with no word in its own voice is one stretch;
    on any other, lines in its own voice and headings divide the stretches, and a unit
    on a line in the page's own voice belongs to none (the program speaking is no
    explainer, nor is what its sections say read with an explaining section's)."""
    if not _own_voice(text):
        return [(0, len(lines), list(range(len(units))))]
    # Only the lines around the units are read, each scan stopping at the first line that
    # divides (reading every line of a long page for its voice was most of the page's time).
    bounds = _Bounds(lines)
    stretches: list[tuple[int, int, list[int]]] = []
    members: list[int] = []
    first = bounds.start_above(units[0].line, 0)
    previous = units[0].line
    for index, unit in enumerate(units):
        if unit.line != previous:
            cut = bounds.first_in(previous + 1, unit.line + 1)
            if cut is not None:
                if members:
                    stretches.append((first, cut, members))
                members = []
                first = bounds.start_above(unit.line, cut)
            previous = unit.line
        if not bounds.voiced(unit.line):
            members.append(index)
    if members:
        stretches.append((first, units[-1].line + 1, members))
    return stretches


class _Bounds:
    """Which lines divide a page's stretches: a line in its own voice (the stretch after
    it starts on the next line) or a heading (which opens the stretch under it)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._voiced: dict[int, bool] = {}

    def voiced(self, number: int) -> bool:
        if number not in self._voiced:
            self._voiced[number] = _own_voice(self.lines[number])
        return self._voiced[number]

    def divides(self, number: int) -> bool:
        return bool(lex.HEADING.match(self.lines[number])) or self.voiced(number)

    def first_in(self, low: int, high: int) -> int | None:
        """The first dividing line in [low, high), or None."""
        return next((n for n in range(low, high) if self.divides(n)), None)

    def start_above(self, number: int, floor: int) -> int:
        """The first line of the stretch that line `number` is in (not before `floor`)."""
        for n in range(number, floor - 1, -1):
            if self.voiced(n):
                return n + 1
            if lex.HEADING.match(self.lines[n]):
                return n
        return floor


def _own_voice(text: str) -> bool:
    # ("... may swear 'we only do J-1'": a quotation is another's voice)
    return bool(lex.OWN_VOICE.search(lex.QUOTATION.sub(" ", text)))


def _mostly_general_talk(
    general_units: int, members: list[int], lines: list[str], first: int, last: int
) -> bool:
    """General talk in two units or more; or in one, in a stretch (lines `first` to
    `last`) of five units or more that names none of a program's people (an explainer,
    not a short fact sheet)."""
    if general_units >= _GENERAL_TALK_UNITS:
        return True
    return (
        general_units > 0 and len(members) >= _EXPLAINER_UNITS
        and not lex.PROGRAM_ANCHOR.search("\n".join(lines[first:last]))
    )


def _unit_speaks_for_itself(units: list[Unit], i: int) -> bool:
    """`_speaks_for_itself` of a unit, a table row, or an FAQ question (whose pair's
    findings sit on it) answered for the program: yes, no or only to a question of
    sponsorship, or an answer that speaks for itself after its yes or no ("Is H-1B
    sponsorship available?" "No, the program only accepts the J-1 visa.")."""
    if units[i].table >= 0 or " | " in units[i].text or _speaks_for_itself(units[i].analyse):
        return True  # (a table row is a fact sheet's answer)
    if i > 0 and lex.CONTINUES_REQUIREMENT.match(units[i].analyse):
        return _unit_speaks_for_itself(units, i - 1)  # ("This can be met by: ...")
    if _is_question(units[i]) and i + 1 < len(units):
        question, answer = units[i].analyse, units[i + 1].analyse
        if (
            lex.ANSWER_LEAD.match(answer) and lex.FAQ_STANCE.search(question)
            and not lex.READERS_QUESTION.search(question)
        ):
            # "Is H-1B sponsorship available? No." / "Yes, for residents who ..." / "Only
            # for ..." (not the reader's "Can I ...?")
            return True
        return _speaks_for_itself(lex.YES_OR_NO_LEAD.sub("", answer))
    return False


def _speaks_for_itself(text: str) -> bool:
    """A unit that states a program's own policy whatever page it is on: an institution
    naming itself before its verb, a fact-sheet answer ("Visa sponsorship: J-1"), or a
    rule in a program's own terms ("Applicants ... must ...", "H-1B visas are not
    sponsored")."""
    text = lex.QUOTATION.sub(" ", text)  # (what a quotation says is another's)
    return bool(lex.NAMED_SPEAKER.search(text) or lex.ANSWER_KEY.match(text)
                or lex.PROGRAM_RULE.search(text))


def _limited_instead(scored, rule, replaced) -> list[tuple[Finding, int]]:
    """The H-1B findings that `replaced(finding, unit index)` picks give way to one
    `limited` finding of `rule`, placed at the first of them."""
    picked: list[tuple[Finding, int]] = []
    kept: list[tuple[Finding, int]] = []
    for f, i in scored:
        (picked if f.axis == "h1b" and replaced(f, i) else kept).append((f, i))
    limited = rules.note(rule, [Finding("h1b", "limited", 3)])[0]
    return [*kept, (limited, picked[0][1])]


def _page_verdict(
    scored: list[tuple[Finding, int]], units: list[Unit], url: str | None,
    trace: tracing.Trace | None = None,
) -> Verdict:
    # Per axis the strongest finding wins; among equally strong ones the most
    # conservative value (h1b no > limited > yes; j1 no > yes).
    chosen: dict[str, tuple[object, int, int]] = {}
    winners: dict[str, tuple[Finding, int]] = {}
    for finding, index in scored:
        current = chosen.get(finding.axis)
        key = (finding.strength, _SEVERITY[finding.axis][finding.value])
        if current is None or key > (current[1], _SEVERITY[finding.axis][current[0]]):
            chosen[finding.axis] = (finding.value, finding.strength, index)
            winners[finding.axis] = (finding, index)
    if chosen.get("h1b", ("no",))[0] == "no":
        chosen.pop("step3", None)  # a Step 3 condition for an H-1B the page does not offer
    if trace is not None:
        for axis in chosen:
            trace.decide(axis, scored, winners[axis])
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


def _evidence_text(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EVIDENCE_MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, EVIDENCE_MAX_CHARS)
    return text[: cut if cut > EVIDENCE_MAX_CHARS // 2 else EVIDENCE_MAX_CHARS].rstrip(" ,;:") + "…"


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


# --- rules made inline above (see monitor.classify.rules) ----------------------

_R_UNANSWERED = rules.inline(
    "question-without-answer", "A question with no answer after it decides nothing.", (),
    (("I am on an H-1B; can I transfer it to your program?", "unknown"),),
    f"{__name__}._classify_lines",
)
_R_EXPLANATORY_QUESTION = rules.inline(
    "explanatory-question", "The answer to \"What is a J-1 visa?\" explains; it states no "
    "policy.", (),
    (("What is a J-1 visa?\nThe J-1 is an exchange visitor visa; ECFMG sponsors J-1 "
      "physicians.", "unknown"),),
    f"{__name__}._classify_lines",
)
# Two units of general talk (one in a stretch naming no program's people), and no word of
# a program's own voice in the stretch.
_GENERAL_TALK_UNITS = 2
# ... or one, in a stretch this long that names no program's people: an explainer (a short
# fact sheet beside one explaining line is a program's: the benchmark's "after one line")
_EXPLAINER_UNITS = 5
_R_GENERAL_TALK = rules.inline(
    "general-talk-page", "Text that talks of visas or programs in general more than once "
    "(or once in five units or more, naming none of a program's people: applicants, "
    "residents, the program) and is never in a program's own voice (we, our, this "
    "program) -- a whole page, or on a program's page a section between headings and the "
    "program's own lines -- states no program's policy, but what an institution says of "
    "itself by name, a fact-sheet answer and a rule in a program's own terms.", (),
    (("Many programs sponsor only the J-1. Most IMGs come on a J-1 visa. A J-1 holder "
      "must have ECFMG certification.", "unknown"),
     ("The J-1 is the most common visa for IMGs. In some cases a physician will need a "
      "J-1 to take part in a residency. J-1 physicians may stay up to seven years. ECFMG "
      "sponsors J-1 physicians. Spouses come on J-2 visas.", "unknown"),
     ("Eligibility\nApplicants must be U.S. citizens or permanent residents; we do not "
      "sponsor visas.\nJ-1 Waivers\nMany programs sponsor only the J-1 visa, and most IMGs "
      "train on one. ECFMG is the sponsor of J-1 physicians. Canadian citizens are an "
      "exception and can obtain H-1B status while in the United States.", "none"),
     # (the visa law's machinery is general talk too: the lottery, the home residence rule)
     ("The H-1B lottery does not apply to cap-exempt employers. J-1 physicians must return "
      "home for two years unless they obtain a waiver. Canadian citizens can obtain H-1B "
      "status at the border.", "unknown"),
     # (... and its consulates: appointments, interviews, wait times, travel)
     ("Embassies have paused J-1 visa appointments. Wait times for J-1 visa interviews are "
      "long. Incoming interns come on J-1 visas sponsored by ECFMG for residency training.",
      "unknown")),
    f"{__name__}._without_general_talk",
)
_R_PROFILE = rules.inline(
    "person-status", "\"Visa: H-1B\" under a person's name is that person's status, not a "
    "policy.", (),
    (("Dr. Chen, PGY-3\nVisa: H-1B", "unknown"),),
    f"{__name__}._on_profile",
)
_R_LATEST_DATED = rules.inline(
    "latest-dated-block-wins", "Of dated blocks that disagree, the latest speaks for the "
    "axis it covers.", (),
    (("Updated 2019: we do not sponsor H-1B visas.\nUpdated 2024: we sponsor H-1B and J-1 "
      "visas.", "h1b"),),
    f"{__name__}._superseded",
)
_R_GROUPS_DIFFER = rules.inline(
    "groups-differ-on-page", "H-1B yes for one training group and no for another "
    "is limited.", ("h1b=limited",),
    (("PGY-1 positions: J-1 only\nPGY-2 positions: J-1 or H-1B", "h1b_limited"),),
    f"{__name__}._mixed_groups",
)
_R_SECTIONS_DIFFER = rules.inline(
    "sections-differ", "A page whose programs' sections say H-1B yes in some and no in others "
    "is limited (each program reads its own section in a crawl).", ("h1b=limited",),
    (("Categorical\nSponsors J-1 and H-1B visas.\nPreliminary\nJ-1 visas only.", "h1b_limited"),
     ("Internal Medicine Residency\nWe sponsor J-1 and H-1B visas.\nSleep Medicine Fellowship\n"
      "The fellowship requires a J-1 visa sponsored by ECFMG.", "h1b_limited")),
    f"{__name__}._sections_differ",
)
_R_TABLE_ROWS = rules.inline(
    "table-rows-differ", "A table of programs whose H-1B column says yes in some rows and no "
    "in others is limited.", ("h1b=limited",),
    (("<table><tr><th>Program</th><th>J-1</th><th>H-1B</th></tr><tr><td>Medicine</td>"
      "<td>Yes</td><td>Yes</td></tr><tr><td>Surgery</td><td>Yes</td><td>No</td></tr></table>",
      "h1b_limited"),),
    f"{__name__}._mixed_tables",
)
