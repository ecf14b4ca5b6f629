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
2. Each unit is canonicalised: spelling variants of the visa names become
   single tokens (H1B, H-1B, H1-B, H 1B, "H-1" in a visa context; J1, J-1,
   "exchange visitor"), citizenship / permanent residency / EAD wording
   becomes a status token, "USMLE Step 3" a step token.  Descriptors that are
   not the program's stance are removed ("sponsored by ECFMG"), as are topic
   references ("questions about visa sponsorship").  Sentences that explain a
   visa, report H-1B news (lottery, cap, fees) or talk about other programs or
   about moonlighting/dependants are skipped.
3. A unit is cut into clauses at contrastive joints (";", "but", "however",
   "although", "and" + a new verb) so that a negation applies to its own
   clause only: "cannot sponsor any visa, but ECFMG J-1 holders may apply".
   Within a clause a negation covers every visa listed ("we do not sponsor
   J1, H1B, or other visas") except those after "other than"/"except".
4. Each clause yields findings ``(axis, value, strength)``:
   strength 3 = an explicit statement about that visa; 2 = a statement about
   all visas or an implied one (a Step 3 condition for H-1B); 1 = an
   inference (a statement naming only J-1 is the program's full answer, so
   H-1B is ``no``; "we do not sponsor visas" says J-1 is ``no`` too, but only
   weakly, because the J-1 is sponsored by ECFMG and a program that does not
   sponsor visas often still accepts it).
5. Per axis the strongest finding wins; ties between different values are
   resolved conservatively (h1b: no > limited > yes; j1: no > yes), except
   that one sentence saying both "yes" and "no" about H-1B ("for residents
   but not for fellows") is ``limited``.

Choices the taxonomy leaves open, made here:

* "We do not sponsor visas." alone is ``none`` (h1b no, j1 no).  A J-1
  statement anywhere else on the page ("ECFMG J-1 holders may apply")
  overrides the weak j1=no and gives ``j1_only``.
* Requiring US citizenship / permanent residency / EAD sets j1=no and also
  h1b=no (an H-1B holder meets none of those).
* A positive statement about "visas" in general ("we sponsor visas") names no
  type and decides nothing.
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

from monitor.htmltext import html_to_text, normalize_text

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
# rule can be written once.  All patterns are linear: no nested quantifiers.

H = "xxh1b"  # H-1B (and "H-1" in a visa context, "work visa")
J = "xxj1"  # J-1, exchange visitor
V = "xxvisa"  # visas in general, "immigration sponsorship"
S = "xxstatus"  # US citizen, permanent resident, green card, EAD, work authorisation
NC = "xxnoncit"  # applicants who need a visa ("non-citizens", "who are not US citizens")
OTHER = "xxother"  # O-1, E-3, L-1, TN
ST = "xxstep3"  # USMLE Step 3 / COMLEX Level 3

_STEP3 = re.compile(
    r"\b(?:usmle\s+)?step\s*(?:3|iii|three)\b|\bcomlex(?:-usa)?\s+level\s*(?:3|iii)\b"
    r"|\ball three steps\b|\bsteps?\s+1\s*,\s*2(?:\s*ck)?\s*,?\s*(?:and|&)\s*3\b"
)
_LOCATION = (
    r"(?:tower|wing|building|bldg|room|rm|suite|floor|level|lot|garage|unit|pod|ward|bay|gate"
    r"|zone|section|hall|entrance|elevator|area|box|cell|row|seat)"
)
# A location word before "J1"/"H1" (Tower J1, Lot H1) means it is not a visa.
_LOCATED = rf"(?:\b({_LOCATION})\s+)?"
_H1B = re.compile(
    r"(?<![a-z0-9])h[ \-.]?1[ \-]?b(?:1)?(?:'?s)?(?![a-z0-9])"
    r"(?:\s+visas?)?(?:\s+(?:status|petitions?))?"
    r"|\b(?:temporary\s+)?(?:work|worker|employment)\s+visas?\b"
)
_H1 = re.compile(rf"{_LOCATED}(?<![a-z0-9])h[ \-]?1(?:'?s)?(?![a-z0-9]|-\d)(?:\s+visas?)?")
_J1 = re.compile(
    rf"{_LOCATED}(?<![a-z0-9])j[ \-]?1(?:'?s)?(?![a-z0-9]|-\d)(?:\s+visas?)?"
    r"(?:\s+(?:status|exchange visitor(?: visa)?))?"
    r"|\bexchange[ \-]visitors?(?:\s+(?:visas?|program|status))?\b"
)
_OTHER = re.compile(r"(?<![a-z0-9])(?:o-?1a?|e-?3|l-?1|tn visas?)(?![a-z0-9])(?:\s+visas?)?")
_F1 = re.compile(r"(?<![a-z0-9])f-?1(?![a-z0-9])(?:\s+(?:visa|student visa|status|opt))?")
_DEPENDANT = re.compile(r"(?<![a-z0-9])(?:j-?2|h-?4)(?![a-z0-9])")
_GENERIC = re.compile(
    r"\b(?:immigration|visa)(?:[ \-]+(?:sponsorship|status|types?|support|policy|policies"
    r"|requirements?|options?|categor(?:y|ies)))?\b|\bvisas\b"
)
_BARE_SPONSORSHIP = re.compile(r"\bsponsorship\b")
_SPONSORSHIP_CONTEXT = re.compile(r"\b(?:work|employ|authori[sz]|requir|need|without|immigra)")
_STATUS = re.compile(
    r"\b(?:u\.?\s?s\.?|united states|american)\s+citizen(?:s|ship)?\b|\bcitizen(?:s|ship)?\b"
    r"|\b(?:lawful\s+)?permanent\s+resid(?:ents?|ency|ence)(?:\s+(?:status|cards?))?\b"
    r"|\bgreen[ \-]cards?(?:\s+holders?)?\b|\blprs?\b|\beads?(?:\s+cards?)?\b"
    r"|\bemployment\s+authori[sz]ation(?:\s+(?:documents?|cards?))?\b"
    r"|\b(?:permanent\s+)?work\s+authori[sz]ation\b|\bauthori[sz]ed\s+to\s+work\b"
    r"|\beligible\s+(?:to\s+work|for\s+employment)\b"
)
# Applicants who need a visa, named by what they are not.  The literal forms
# run before the status tokens (which would eat "citizens"), the relative
# form ("who are not US citizens") after them.
_NONCITIZEN_WORDS = re.compile(
    r"\bnon[ \-]?(?:u\.?\s?s\.?\s+)?citizens?\b|\bnon[ \-]residents?\b|\bforeign\s+nationals?\b"
)
_NONCITIZEN = re.compile(
    rf"\b(?:who|that)\s+(?:are|is)\s+not\s+(?:an?\s+)?{S}"
    rf"(?:(?:,|\s+or|\s+and|\s+nor)\s+(?:an?\s+)?{S})*"
)
_VISA_CONTEXT = re.compile(r"visa|\bj[ \-]?1\b|sponsor|immigra")
_PAYMENT = re.compile(
    r"master\s?card|american express|\bamex\b|\bdiscover\b|\bcredit\b|\bdebit\b|\bcards?\b"
    r"|\bpayments?\b|\bpaid\b|\bpay\b|paypal|checkout"
)
_DESCRIPTOR = re.compile(
    r"\b(?:sponsored|administered|issued|managed|granted)\s+(?:by|through|via)\s+(?:the\s+)?"
    r"(?:ecfmg|educational commission\b[a-z ]{0,60}?graduates|(?:u\.?s\.?\s+)?department of state"
    r"|state department|uscis|(?:the\s+)?(?:federal\s+)?government|employers?)\b"
    r"|\becfmg[ \-]+sponsored\b|\b(?:through|via|by)\s+(?:the\s+)?ecfmg\b"
)
_TOPIC = re.compile(
    r"\b(?:questions?|inquiries|enquiries|information|info|details|guidance|faqs?|resources"
    r"|learn more|read more|more|click here|links?|website|differences?)\s+"
    r"(?:about|regarding|on|concerning|related to|for|between)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:xx[a-z0-9]+)(?:(?:,|\s+and|\s+or|\s+visas?|\s+the|\s+an?)*\s*xx[a-z0-9]+)*"
    r"|\bxx[a-z0-9]+\s+(?:questions|inquiries|enquiries|information|info)\b"
)


def _token_unless_located(token: str):
    def replace(match: re.Match) -> str:
        return match.group() if match.group(1) else f" {token} "

    return replace


def _canonical(sentence: str) -> tuple[str, bool]:
    """Lowercase `sentence` with visa names replaced by tokens.

    Returns the canonical text and whether ECFMG was named (an "ECFMG-sponsored
    visa" is a J-1 even when the J-1 is not named).
    """
    s = sentence.lower()
    payment = bool(_PAYMENT.search(s))
    context = bool(_VISA_CONTEXT.search(s))
    s = _STEP3.sub(f" {ST} ", s)
    s = _H1B.sub(f" {H} ", s)
    if context:
        s = _H1.sub(_token_unless_located(H), s)
    s = _J1.sub(_token_unless_located(J), s)
    s = _F1.sub(" xxf1 ", s)
    s = _OTHER.sub(f" {OTHER} ", s)
    s = _DEPENDANT.sub(" xxdependant ", s)
    if payment:
        # "Visa" the card brand: only compound forms ("visa sponsorship") count.
        s = re.sub(r"\bvisa(?:s)?[ \-]+(?:sponsorship|status|types?|policy)\b", f" {V} ", s)
    else:
        s = _GENERIC.sub(f" {V} ", s)
    s = _NONCITIZEN_WORDS.sub(f" {NC} ", s)
    s = _STATUS.sub(f" {S} ", s)
    s = _NONCITIZEN.sub(f" {NC} ", s)
    if "xx" not in s.replace(ST, "") and _SPONSORSHIP_CONTEXT.search(s):
        s = _BARE_SPONSORSHIP.sub(f" {V} ", s)
    ecfmg = "ecfmg" in s or "educational commission" in s
    # Kept as a marker: "J-1: sponsored through ECFMG" still answers "yes".
    s = _DESCRIPTOR.sub(" ecfmgsponsored ", s)
    s = _TOPIC.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s, ecfmg


# --- cue lexicons -------------------------------------------------------------

# Negations that do not deny sponsorship; neutralised before reading polarity.
_FALSE_NEG = re.compile(
    r"\bnot only\b|\bnot limited to\b|\bwhether or not\b"
    r"|\bno (?:later|earlier|sooner|more|less|fewer) than\b|\bnot (?:later|earlier) than\b"
    r"|\bnot to exceed\b|\bno (?:cost|charge|fee)\b"
    r"|\bno matter\b|\bnot just\b|\bdo(?: not|n't) hesitate\b|\bif not\b|\bor not\b"
    r"|\b(?:who|that|which|if you|if they|if the applicant|those|applicants|candidates)\s+"
    r"(?:do|does|did|have|has|are|is)\s*(?:not|n't)\b(?! xx)"
)
# Hedged or partial denials: "not guaranteed", "not in all departments".
_LIMITING_NEG = re.compile(
    r"\bnot guaranteed\b|\bno guarantee\b|\b(?:cannot|can ?not|can't|unable to) guarantee\b"
    r"|\bnot (?:available )?in all\b|\bnot all\b|\bnot in others\b|\bbut not in others\b"
)
# Verbs that deny on their own ("H-1B sponsorship has been suspended").
_NEG_VERBS = (
    r"\bdiscontinu\w*|\bsuspend\w*|\bceased?\b|\bstopped\b|\bterminated\b|\bpaused\b"
    r"|\bhalted\b|\beliminated\b|\bdeclin(?:e|es|ed|ing)\b|\brefus\w*|\bexcluded\b"
)

_NEG = re.compile(
    r"\bnot\b|n't\b|\bno\b|\bnever\b|\bcannot\b|\bunable\b|\bnor\b|\bneither\b|\bunavailable\b"
    r"|\bineligible\b|\bdiscontinued\b|\bdeclines?\b|\bnone\b|\bno longer\b|\bn/a\b"
    r"|\bimpossible\b|\bwithout (?:any |a |the )?(?:xxvisa|xxh1b|xxj1)"
    rf"|{_NEG_VERBS}"
)
_STEP3_NOT_NEEDED = re.compile(
    r"(?:not|n't)\s+(?:be\s+)?(?:required|necessary|needed|mandatory"
    r"|a\s+(?:requirement|prerequisite))"
    r"|\bneed\s+not\b|\bno\s+need\b|\bis\s+optional\b|\bnot\s+(?:have\s+to|need\s+to)\b"
    r"|\bwithout\s+(?:having\s+)?(?:passed|passing|taken|taking|completed|completing)\b"
)
_STEP3_NEEDED = re.compile(
    r"\bmust\b|\brequir|\bneed|\bprior to\b|\bbefore\b|\bby the\b|\bpass|\bcomplet"
    r"|\beligib|\bprovided\b|\bonly (?:for|if|after|when)\b|\bcondition|\bin order to\b"
    r"|\bonce\b|\bafter\b|\bunless\b|\bhave taken\b"
)
# Predicates of a stance: what a program does with a visa.
_PRED = re.compile(
    r"\bsponsor(?:s|ed|ing)?\b|\bco-?sponsor|\bsupport(?:s|ed|ing)?\b|\boffer(?:s|ed|ing)?\b"
    r"|\b(?:fil(?:e|es|ed|ing)|process(?:es|ed|ing)?)\s+(?:all\s+|the\s+|an?\s+|new\s+)?xx"
    r"|\bprovid(?:e|es|ed|ing)\b"
    r"|\baccept(?:s|ed|ing|able|ance)?\b|\bconsider(?:s|ed|ing|ation)?\b|\bwelcom(?:e|es|ed|ing)\b"
    r"|\bavailab(?:le|ility)\b|\beligib(?:le|ility)\b|\bhir(?:e|es|ed|ing)\b|\bapply\b"
    r"|\btrain(?:s|ed|ing)?\s+(?:on|with|under)\b|\b(?:are|remain) on (?:an? )?xx"
    r"|\boptions?\b|\bprefer(?:s|red)?\b|\bxx(?:j1|h1b) (?:only )?program\b|\bgrant(?:s|ed)?\b"
    r"|\bapprov(?:e|es|ed)\b|\bparticipat|\baccommodat|\bentertain|\bpossible\b"
    r"|\bpetitions?\b|\bsponsoring\b|\b(?:fine|ok|okay)\b|\ballow(?:s|ed)?\b"
    rf"|\bpermit(?:s|ted)?\b|\bextend|\btransfers?\b|\bobtain\b|{_NEG_VERBS}"
)
_REQUIRE = re.compile(
    r"\bmust\b|\brequir(?:e|es|ed|ement|ements)\b|\bneed(?:s|ed)? to\b|\bhave to\b|\beligib"
    r"|\bopen (?:only )?to\b|\brestricted to\b|\blimited to\b|\bonly\b|\bpossess\b"
)
_ONLY = re.compile(
    r"\bonly\b|\bexclusively\b|\bsolely\b|\blimited to\b|\brestricted to\b|\bsole\b"
)
# Restriction cues that make H-1B "limited".
_UNITS = r"(?:programs|departments|specialties|fellowships)\b"
_RESTRICT = re.compile(
    r"case[ \-]+by[ \-]+case|\bindividual(?:ly| basis)\b|\bexception(?:al|ally|s)?\b"
    r"|\bextraordinary\b"
    r"|\b(?:special|unusual|certain|rare|limited|exceptional) (?:circumstances|cases)\b"
    r"|\blimited(?! to)\b|\brare(?:ly)?\b|\bseldom\b|\boccasional(?:ly)?\b|\bsometimes\b"
    r"|\bon occasion\b|\bin some cases\b|\bmay (?:be )?(?:consider|possible|available|grant|made)"
    r"|\bmight\b|\bpossibly\b|\bpotentially\b|\bwe may (?:sponsor|support|offer|file)"
    r"|\bdiscretion\b|\bsubject to\b|\bdepend(?:s|ing)? on\b|\breviewed\b|\bevaluated\b"
    r"|\balready\b|\bcurrently (?:hold|holding|in|on|have|has)\b|\bcurrent xxh1b|\bexisting\b"
    r"|\btransfer(?:s|red|ring)?\b|\b(?:on|holding|in) (?:an? )?xxf1\b"
    r"|\bu\.?\s?s\.? (?:medical )?(?:school )?graduates\b"
    r"|\bgraduates of (?:u\.?\s?s\.?|american|us) medical schools\b"
    rf"|\bsome (?:of (?:our|its|the) )?(?:residency )?{_UNITS}"
    rf"|\b(?:certain|select|selected) (?:residency |training )?(?:{_UNITS}|candidates\b)"
    r"|\bfew\b|\bsmall number\b"
    r"|\bhighly qualified\b|\bexceptionally\b|\boutstanding\b|\bunusual\b"
    r"|\bnot guaranteed\b|\bno guarantee\b|\bguarantee\b|\bnot all\b"
    r"|\bin all departments\b|\b(?:limited|restricted) to (?!xx)|\bpreference\b"
    r"|\bexcellent candidates\b|\bexceptional merit\b"
)
# Answers that deny, confirm or restrict, for FAQ pairs and "key: value" rows.
_ANSWER_NO = re.compile(
    r"^(?:a:\s*)?(?:no\b|none\b|n/a\b|not\b|unfortunately\b|sorry\b|we (?:do not|don't|cannot|can't"
    r"|are (?:not|unable))|negative\b|unavailable\b|✗|✘|×)"
)
_ANSWER_YES = re.compile(
    r"^(?:a:\s*)?(?:yes\b|we (?:do|can|will)\b(?! not)|absolutely\b|certainly\b|of course\b"
    r"|correct\b|available\b|sponsored\b|accepted\b|offered\b|supported\b|ecfmgsponsored\b"
    r"|fine\b|ok\b|okay\b|welcome\b|✓|✔)"
)
_ANSWER_LIMITED = re.compile(
    r"^(?:a:\s*)?(?:(?:very|extremely|quite|but)\s+)?"
    r"(?:only\b|on a case|case[ \-]by[ \-]case|rarely\b|in rare|occasionally\b|sometimes\b"
    r"|limited\b|in (?:some|certain|exceptional|special) |under (?:certain|special|exceptional) "
    r"|possibly\b|maybe\b|it depends\b|depending\b)"
)

# Sentences that explain visas or report news instead of stating a policy.
_OFF_TOPIC = re.compile(
    r"\blotter(?:y|ies)\b|\bcap\b|\bcaps\b|\bproclamation\b|\buscis\b|\bexecutive order\b"
    r"|\bregistration\b|\bfiscal year\b|\bweighted\b|\bcongress\b|\bimmigration act\b|\$\s?\d"
    r"|\bhome (?:country|residency)\b|\btwo[ \-]year\b|\bwaivers?\b|\bconrad\b|\bxxdependant\b"
    r"|\bspouses?\b|\bdependents?\b|\bdependants?\b|\bmoonlight|\bfees?\b|\bwage\b"
    r"|\bthe amount\b|\bannounced\b|\bnews\b"
)
_EXPLAIN = re.compile(
    r"\b(?:xxh1b|xxj1|xxvisa)(?: program)? (?:is|are) (?:a|an|for|used|valid|typically"
    r"|generally|usually)\b|\b(?:allows?|permits?|enables?|lets)\b"
    r"|^(?:the |an? )?xx(?:h1b|j1)(?: visa)? (?:requires|needs|allows|permits|takes|has|lasts"
    r"|expires)\b"
    r"|\bwhat is\b|\brefers? to\b|\bmost commonly\b|\badvantages\b|\bcreated\b"
)
_PROGRAM_SUBJECT = re.compile(
    r"\b(?:we|our|this program|the program|the residency|the fellowship|the department"
    r"|the hospital|the institution|gme|the medical center|the university)\b"
)
_OTHER_SUBJECT = re.compile(
    r"^(?:however,? |but |and |note:? )?(?:(?:many|most|some|other|few|several|all)\s+"
    r"(?:(?:residency|training|academic|teaching|other)\s+)?(?:programs|hospitals|institutions"
    r"|employers|universities|schools)(?! of (?:our|the|its))\b"
    r"|(?:the\s+)?ecfmg\b(?!\s+xx|-)|uscis\b"
    r"|(?:the\s+)?(?:federal\s+)?government\b|(?:the\s+)?employers?\b|others\b)"
)
_COSTS = re.compile(
    r"\bpay\b|\bpays\b|\bpaid\b|\breimburs|\bpremium processing\b|\bcosts?\b|\bexpenses?\b"
    r"|\bfees?\b|\battorneys?\b|\blegal\b|\bmoonlight"
)
_HEDGE_NEG = re.compile(
    r"\b(?:generally|usually|typically|normally|routinely|as a rule|in most cases)\b"
)
_EXCEPT = re.compile(
    r"\b(?:other than|except(?: for)?|besides|aside from|apart from|with the exception of"
    r"|excluding|beyond)\b"
)
_CONDITIONAL_NEG = re.compile(
    r"\bunless\b|\buntil\b"
    r"|\b(?:who|that)\s+(?:have|has)\s+not\s+(?:yet\s+)?(?:passed|taken|completed)"
    r"|\bwithout\s+(?:having\s+)?(?:passed|passing|completed|completing)\b"
)
# Where a sentence is cut into clauses: contrastive joints, and "and" starting
# a new verb phrase ("accept J-1 visas and do not sponsor H-1B").
_CLAUSE_SPLIT = re.compile(
    r";|\s+but\s+|,?\s*however,?\s+|\s+whereas\s+|\s+although\s+|^although\s+|\s+though\s+"
    r"|\s+while\s+|\s+yet\s+|,\s+(?=(?:but\s+)?not\b)|\s*\((?=(?:no|not|but not)\b)"
    r"|,\s+(?=(?:we|our|the program|this program|it|they)\b)"
    r"|\s+and\s+(?=(?:we\s+|it\s+|they\s+)?(?:do|does|did|will|would|can|cannot|could|are|is|may"
    r"|must|also|currently|no longer|not)\b)|,\s+(?=only\b)|\s+[\u2014\u2013]\s+|\s+-\s+"
)
_BOTH = re.compile(r"\b(?:both|either|them|these|all of them)\b")


@dataclass
class _Finding:
    axis: str  # "h1b" | "j1" | "step3"
    value: object
    strength: int


# --- clause analysis ----------------------------------------------------------


def _tokens(s: str) -> set[str]:
    return {t for t in (H, J, V, S, NC, OTHER, "xxf1") if t in s}


_LEADING_CONJUNCTION = re.compile(r"^(?:(?:but|and|however|yet|so|also)\b[\s,]*)+")
# A leading reason clause ("Because residents do not provide direct patient care,
# ...") gives a cause; its negation is not about visas.
_REASON = re.compile(r"^(?:because|since|given that|as a result of|due to)\b[^,;]*,\s*")


def _split_clauses(s: str) -> list[str]:
    parts = (
        _REASON.sub("", _LEADING_CONJUNCTION.sub("", part.strip(" ,.()")).strip(" ,"))
        for part in _CLAUSE_SPLIT.split(s) if part
    )
    return [part for part in parts if part]


# Subjects that are never a sponsorship policy, whoever the subject is.
_ALWAYS_OFF_TOPIC = re.compile(
    r"\bmoonlight|\bxxdependant\b|\bspouses?\b|\bwaivers?\b|\blotter|\btravel|\bnotify\b"
    r"|\binsurance\b|\btax(?:es)?\b|\bsocial security\b|\bdriver|\bi-?797|\bds-?2019"
    r"|\bi-?20\b|\bupload|\bcopy of\b"
)


_PAST = re.compile(
    r"\bpreviously\b|\bformerly\b|\bin the past\b|\bused to\b|\bprior years\b"
    r"|\buntil recently\b|\bhistorically\b|\bin (?:19|20)\d\d\b|\blast year\b"
)
# "Now"/"currently" ends the reach of a sentence-initial past cue.
_NOW = re.compile(r"\b(?:now|currently|today|at present|at this time|presently|no longer)\b")


def _skip_clause(c: str) -> bool:
    """Explanations, news, past policy and talk about other programs decide nothing."""
    if _OTHER_SUBJECT.search(c) or _PAST.search(c):
        return True
    if _OFF_TOPIC.search(c) and not _PROGRAM_SUBJECT.search(c):
        return True
    if _ALWAYS_OFF_TOPIC.search(c):
        return True
    return bool(_EXPLAIN.search(c)) and not re.search(r"\b(?:we|our)\b", c)


def _key_value(c: str) -> list[_Finding] | None:
    """Read "key: value" (table rows, headings with items, "H-1B: No")."""
    key, _, value = c.partition(":")
    key, value = key.strip(), value.strip(" .")
    key_tokens, value_tokens = _tokens(key), _tokens(value)
    if not key_tokens or not value:
        return None
    if value_tokens - {V}:
        if V in key_tokens or _PRED.search(key) or _REQUIRE.search(key):
            # "Visas accepted: J-1, permanent resident" -- a full list.
            return _positive(f"{key} {value}", value_tokens | (key_tokens - {V}),
                             listing=True, ecfmg=False)
        return None
    if _ANSWER_LIMITED.search(value) or (_RESTRICT.search(value) and not _ANSWER_NO.search(value)):
        return _limited_answer(key_tokens)
    if _ANSWER_NO.search(value):
        return _negative(key_tokens, key)
    if _ANSWER_YES.search(value) or re.match(r"^(?:both|all)\b", value):
        return _yes_answer(key_tokens, value)
    return None


def _yes_answer(tokens: set[str], text: str) -> list[_Finding]:
    out = []
    if H in tokens:
        out.append(_Finding("h1b", "limited" if _RESTRICT.search(text) else "yes", 3))
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


# A denial for new petitions only ("we do not file new H-1B petitions") leaves
# room for transfers: it is weaker than an explicit "only for current holders".
_NEW_ONLY = re.compile(r"\b(?:new|first[ \-]time|initial)\b")


def _negative(tokens: set[str], c: str) -> list[_Finding]:
    """A denial covering every visa named in the clause."""
    out: list[_Finding] = []
    if H in tokens:
        if _HEDGE_NEG.search(c):
            out.append(_Finding("h1b", "limited", 3))  # "we generally do not sponsor"
        else:
            out.append(_Finding("h1b", "no", 2 if _NEW_ONLY.search(c) else 3))
    if J in tokens:
        out.append(_Finding("j1", "no", 3))
    if tokens & {V, NC, OTHER} or (S in tokens and NC in tokens):
        if H not in tokens:
            out.append(_Finding("h1b", "no", 2))
        if J not in tokens:
            out.append(_Finding("j1", "no", 1))
    return out


# "only for chief residents", "for fellows only": H-1B for a subgroup, unless
# the "only" introduces an ordinary condition (Step 3 passed, matched, eligible).
_ONLY_SCOPE = re.compile(
    r"\bonly (?:for|to|in|when|if|under|after|with)\b|\bfor (?:[a-z\-]+ ){1,4}only\b"
)
_CONDITION = re.compile(
    r"xxstep3|\bpass|\beligib|\bqualif|\bmatch|\becfmg|\bcertif|\brequire|\bmeet"
)


def _h1b_restricted(c: str) -> bool:
    if _RESTRICT.search(c):
        return True
    return bool(_ONLY_SCOPE.search(c)) and not _CONDITION.search(c)


def _positive(c: str, tokens: set[str], listing: bool, ecfmg: bool) -> list[_Finding]:
    """A statement that the program takes the visas (or statuses) it names."""
    out: list[_Finding] = []
    only = bool(_ONLY.search(c))
    if J not in tokens and V in tokens and ecfmg:
        tokens = tokens | {J}  # "we accept ECFMG-sponsored visas"
    if H in tokens:
        out.append(_Finding("h1b", "limited" if _h1b_restricted(c) else "yes", 3))
    if J in tokens:
        out.append(_Finding("j1", "yes", 3))
        if H not in tokens:
            # A policy naming J-1 alone is the program's full answer.
            out.append(_Finding("h1b", "no", 3 if only else 1))
    elif S in tokens and H not in tokens and (only or listing or _REQUIRE.search(c)):
        # "Applicants must be US citizens, permanent residents or hold an EAD."
        out.append(_Finding("j1", "no", 3))
        out.append(_Finding("h1b", "no", 2))
    return out


_STEP3_POLICY = re.compile(
    r"\bsponsor\w*|\bapplicants?\b|\bcandidates?\b|\bresidents?\b|\bwe\b|\bour\b"
    r"|\bconsidered\b|\brequest(?:s|ed)?\b|\bwish"
)
_STEP3_PREFERENCE = re.compile(
    r"\bprefer|\badvantage|\bencouraged\b|\brecommended\b|\bstrengthens?\b|\bplus\b"
)


def _step3(c: str, h_context: bool) -> list[_Finding]:
    if ST not in c or not h_context or _STEP3_PREFERENCE.search(c):
        return []
    if _STEP3_NOT_NEEDED.search(c):
        return [_Finding("step3", False, 3)]
    if _STEP3_NEEDED.search(c):
        return [_Finding("step3", True, 3)]
    return []


def _analyse_clause(c: str, ecfmg: bool, prev_pred: bool) -> tuple[list[_Finding], bool]:
    """Findings of one clause, and whether it had a stance predicate."""
    if _skip_clause(c):
        return [], bool(_PRED.search(c))  # "... but no longer do so" still refers to it
    tokens = _tokens(c)
    if not tokens:
        return [], bool(_PRED.search(c))
    if ":" in c:
        found = _key_value(c)
        if found is not None:
            return found, True
    c_neg = _FALSE_NEG.sub(" ", c)
    if ST in c_neg:
        # "Step 3 is not required" denies a condition, not the visa.
        c_neg = _STEP3_NOT_NEEDED.sub(" ", c_neg)
    limiting_neg = bool(_LIMITING_NEG.search(c_neg))
    c_neg = _LIMITING_NEG.sub(" limited ", c_neg)
    pred = bool(_PRED.search(c) or _ONLY.search(c) or _RESTRICT.search(c))
    neg = bool(_NEG.search(c_neg))
    if neg and _COSTS.search(c):
        return [], False  # "does not pay the H-1B fees" denies a cost, not the visa
    if neg:
        direct = re.search(r"\bno (?:\w+ )?xx|\bnone\b|^not\b|\bnot (?:an? )?xx", c_neg)
        if not (pred or prev_pred or direct or _REQUIRE.search(c)):
            return [], False
        if _CONDITIONAL_NEG.search(c) and ST in c and H in tokens:
            # "H-1B visas are not sponsored unless Step 3 is passed": a condition.
            return [_Finding("h1b", "yes", 2)], True
        return _negative_with_exceptions(c_neg, tokens, ecfmg), True
    if limiting_neg and H in tokens:
        return [_Finding("h1b", "limited", 3)], True
    if (
        H in tokens and ST in c and _STEP3_NEEDED.search(c) and _STEP3_POLICY.search(c)
        and not _PRED.search(c.replace(ST, ""))
    ):
        # "H-1B sponsorship requires Step 3", "applicants needing an H-1B must pass
        # Step 3": the program sponsors H-1B.  ("The H-1B requires Step 3" is a fact.)
        restricted = bool(_RESTRICT.search(c))
        return [_Finding("h1b", "limited" if restricted else "yes", 2)], True
    if not (pred or _REQUIRE.search(c)):
        return [], False
    return _positive(c, tokens, listing=False, ecfmg=ecfmg), True


def _negative_with_exceptions(c: str, tokens: set[str], ecfmg: bool) -> list[_Finding]:
    """Negation over the clause, except visas after "other than"/"except"."""
    match = _EXCEPT.search(c)
    if not match:
        out = _negative(tokens, c)
        if ecfmg and J not in tokens and V in tokens and re.search(r"\bbut\b|\baccept", c):
            out.append(_Finding("j1", "yes", 3))
        return out
    before, after = c[: match.start()], c[match.end():]
    after_tokens = _tokens(after)
    if not after_tokens and H in _tokens(before) and _RESTRICT.search(after):
        return [_Finding("h1b", "limited", 3)]  # "not ... except in rare cases"
    out = _negative(_tokens(before) or {V}, before)
    if J in after_tokens:
        out.append(_Finding("j1", "yes", 3))
    if H in after_tokens:
        out.append(_Finding("h1b", "yes", 3))
    return out


_GENERAL_STEP3 = re.compile(
    r"\bpgy|\bend of\b|\bduring (?:residency|training|the)\b|\ball (?:residents|interns)\b"
    r"|\bgraduation\b|\bpromotion\b|\bsecond year\b|\bfirst year\b"
)
_CONTINUATION = re.compile(
    r"^(?:is|are|was|were|do|does|did|will|would|can|cannot|could|may|must|not|also|currently"
    r"|no longer|only)\b"
)


def _analyse(text: str, context: set[str], h_recent: bool) -> tuple[list[_Finding], set[str]]:
    """Findings of one unit (a sentence, a heading with its items, a table row).

    `context` holds the visa tokens of the previous sentence of the same
    paragraph ("... Our program accepts both."); `h_recent` says an H-1B
    statement just preceded, so a bare Step 3 condition belongs to it.
    """
    canon, ecfmg = _canonical(text)
    findings: list[_Finding] = []
    prev_pred = False
    prev_tokens: set[str] = set(context) if len(context & {H, J}) > 1 else set()
    past = bool(_PAST.match(canon) or re.match(r"^(?:in|since|during) (?:19|20)\d\d\b", canon))
    for clause in _split_clauses(canon):
        if past and not _NOW.search(clause):
            prev_tokens = _tokens(clause) or prev_tokens
            continue  # "In 2019, the program sponsored its first H-1B resident."
        if not _tokens(clause) and prev_tokens and (
            _CONTINUATION.match(clause) or _BOTH.search(clause)
        ):
            # An elliptical clause ("and is not available in all departments")
            # speaks of the visas of the clause before it.
            clause = f"{clause} {' '.join(sorted(prev_tokens))}"
        found, prev_pred = _analyse_clause(clause, ecfmg, prev_pred)
        findings.extend(found)
        prev_tokens = _tokens(clause) or prev_tokens
    h_context = H in canon
    if h_context and J in canon and ST in canon:
        # "Step 3 is not required for J-1 applicants" is not about H-1B.
        h_context = not re.search(rf"{ST}[^;]*\bfor {J}|{J}[a-z ]*{ST}", canon)
    elif not h_context and J not in canon:
        # A bare Step 3 sentence right after an H-1B statement is its condition,
        # unless it is a general training requirement ("by the end of PGY-2").
        h_context = h_recent and not _GENERAL_STEP3.search(canon)
    findings.extend(_step3(canon, h_context))
    return _merge_unit(findings), _tokens(canon)


def _merge_unit(findings: list[_Finding]) -> list[_Finding]:
    """One sentence saying H-1B is both sponsored and not: a partial policy."""
    h_values = {f.value for f in findings if f.axis == "h1b" and f.strength == 3}
    if "no" in h_values and h_values & {"yes", "limited"}:
        # "not for fellows, but for residents"; "not routinely, but may be considered".
        findings = [f for f in findings if f.axis != "h1b"] + [_Finding("h1b", "limited", 3)]
    return findings


# --- units: sentences, headings with items, FAQ pairs, table rows -------------

_ANY_TOKEN = re.compile(
    r"visa|\b[hj][ \-.]?1|\bh[ \-]?1[ \-]?b|citizen|permanent resid|green[ \-]card|\bead\b"
    r"|authori[sz]|sponsor|exchange visitor|eligible to work",
    re.I,
)
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
    return bool(_ANY_TOKEN.search(line))


def _is_item(line: str) -> bool:
    return (
        len(line.split()) <= 12 and not line.endswith("?") and not line.endswith(":")
        and " | " not in line
    )


def _row_text(line: str, header: list[str] | None) -> str:
    """A table row as 'key: value' text; a question cell ends a sentence."""
    cells = [cell.strip() for cell in line.split(" | ")]
    if header and len(header) == len(cells):
        return "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=True) if c)
    out = cells[0]
    for cell in cells[1:]:
        out += (" " if out.endswith("?") else ": ") + cell
    return out


# Cheap literal screens for lines worth reading (C-speed str.find); each
# screened line is then confirmed by _ANY_TOKEN.  "EAD" is screened in the
# original case because "ead" is inside too many words.
_SCREEN = (
    "visa", "sponsor", "citizen", "permanent res", "green card", "green-card", "authori",
    "exchange visitor", "eligible to work", "h1", "h-1", "h 1", "h.1", "j1", "j-1", "j 1",
)
MAX_SCREEN_HITS = 20000


def _hot_lines(lines: list[str], text: str) -> set[int]:
    """Indices of the lines that mention a visa, a status or sponsorship."""
    lower = text.lower()
    positions: list[int] = []
    for word, haystack in [(w, lower) for w in _SCREEN] + [("EAD", text)]:
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
    return {i for i in found if i < len(lines) and _ANY_TOKEN.search(lines[i])}


def _wanted_lines(lines: list[str], hot: set[int]) -> list[int]:
    """Hot lines plus the neighbours that structure needs."""
    wanted = set(hot)
    for i in hot:
        wanted.add(i + 1)  # an FAQ answer ("No.") or a heading's items
        if " | " in lines[i]:
            # Rows under a hot header row ("Program | Visa sponsorship").
            wanted.update(range(i + 1, min(len(lines), i + 30)))
        for k in range(i - 1, max(-1, i - 9), -1):
            # A list under "Visas accepted:" whose items are the hot lines.
            if lines[k].endswith(":"):
                wanted.add(k)
                break
            if not _is_item(lines[k]):
                break
    return sorted(i for i in wanted if i < len(lines))


def _units(lines: list[str], hot: set[int]) -> list[_Unit]:
    units: list[_Unit] = []
    for i in _wanted_lines(lines, hot):
        if len(units) >= MAX_UNITS:
            break
        line = lines[i]
        if " | " in line and len(line) <= MAX_ROW_CHARS:
            _table_row(lines, i, hot, units)
            continue
        if _is_heading(line) and (i in hot or line.endswith(":")):
            _heading_unit(lines, i, hot, units)
        if i not in hot and i - 1 not in hot:
            continue  # the line after a hot one may be an FAQ answer ("No.")
        for sentence in _sentences(line):
            for piece in _chunks(sentence):
                units.append(_Unit(piece, _QA_PREFIX.sub("", piece), i))
    return units[:MAX_UNITS]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(" | ")]


def _table_header(lines: list[str], i: int) -> list[str] | None:
    """The table's first row when it is a header ("Program | Visa types")."""
    first = i
    while first > 0 and i - first < 50 and " | " in lines[first - 1]:
        first -= 1
    cells = _cells(lines[first])
    return cells if not _ANY_TOKEN.search(cells[0]) else None


def _table_row(lines: list[str], i: int, hot: set[int], units: list[_Unit]) -> None:
    """Add a table row unit, read against the table's header row if it has one."""
    header = _table_header(lines, i)
    is_header = header is not None and (i == 0 or " | " not in lines[i - 1])
    if is_header:
        return
    if i in hot or (header is not None and any(_ANY_TOKEN.search(h) for h in header)):
        units.append(_Unit(lines[i], _row_text(lines[i], header), i))


def _heading_unit(lines: list[str], i: int, hot: set[int], units: list[_Unit]) -> None:
    """A heading read together with the short item lines under it."""
    items, item_hot = [], False
    for j in range(i + 1, min(len(lines), i + 9)):
        nxt = lines[j]
        if not _is_item(nxt) or _is_heading(nxt) and nxt.endswith(":"):
            break
        if nxt[-1] in ".!" and len(nxt.split()) > 3:
            break  # a sentence of its own, read on its own
        items.append(nxt.lstrip("-•*–· ").strip())
        item_hot = item_hot or j in hot
    if items and (i in hot or item_hot):
        head = lines[i].rstrip(":").strip()
        units.append(_Unit(f"{head}: {'; '.join(items)}", f"{head}: {', '.join(items)}", i))


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
    if _ANSWER_LIMITED.search(a):
        findings = _limited_answer(q_tokens)
    elif _ANSWER_NO.search(a):
        findings = _negative(q_tokens, q)
    elif _ANSWER_YES.search(a):
        findings = _yes_answer(q_tokens, a)
    elif re.match(r"^(?:what|which)\b", q) and _PRED.search(q) and _tokens(a) - {V}:
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
    lines = [line for line in lines if line]
    return _classify_lines(lines, "\n".join(lines), url)


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
    context: set[str] = set()
    for index, unit in enumerate(units):
        if _is_question(unit):
            found = []
            if index + 1 < len(units) and not _is_question(units[index + 1]):
                found = _faq(unit, units[index + 1])
            tokens: set[str] = set()
        else:
            found, tokens = _analyse(unit.analyse, context, index - last_h <= 2)
        if any(f.axis == "h1b" and f.value in ("yes", "limited") for f in found):
            last_h = index
        scored.extend((finding, index) for finding in found)
        context = (context | tokens) if _same_line_next(units, index) else set()
    return _page_verdict(scored, units, url)


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
