"""Word lists and regular expressions of the visa-policy classifier.

``monitor.classify.clauses``, ``monitor.classify.units`` and
``monitor.classify.verdict`` hold the reading logic; this module holds what
they read for: the tokens that visa names and statuses are canonicalised to,
and the cue lexicons (negation, restriction, predicates, answers, off-topic
subjects), and the smaller cue patterns the reading code looks for (at the end,
each marked with the module that reads it): the reading code holds no cue words
of its own.
Every pattern must stay linear-time: no nested quantifiers that can backtrack,
and any repetition of a group is bounded or over disjoint alternatives.
"""

from __future__ import annotations

import re


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (split at "|" outside groups and classes)."""
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern.startswith("^]", i + 1):
                i += 2  # "[^]...]": the first "]" is literal
            elif pattern.startswith("]", i + 1):
                i += 1
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _compile(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile with consecutive alternatives that start with \\b factored:
    ``\\bfoo|\\bbar`` becomes ``\\b(?:foo|bar)``, which matches the same text
    (same spans, same alternative order) but lets sre skip a branch on its
    first literal character instead of testing the word boundary for every
    branch at every position -- 5-10x faster on the long cue lists below."""
    out: list[str] = []
    run: list[str] = []
    for branch in [*_branches(pattern), None]:
        if branch is not None and branch.startswith("\\b"):
            run.append(branch[2:])
            continue
        if run:
            out.append("\\b(?:" + "|".join(run) + ")" if len(run) > 1 else "\\b" + run[0])
            run = []
        if branch is not None:
            out.append(branch)
    return re.compile("|".join(out), flags)


# --- canonical tokens and the names they replace ---------------------------

H = "xxh1b"  # H-1B (and "H-1" in a visa context, "work visa")
J = "xxj1"  # J-1, exchange visitor
V = "xxvisa"  # visas in general, "immigration sponsorship"
S = "xxstatus"  # US citizen, permanent resident, green card, EAD, work authorisation
NC = "xxnoncit"  # applicants who need a visa ("non-citizens", "who are not US citizens")
OTHER = "xxother"  # O-1, E-3, L-1, TN
ST = "xxstep3"  # USMLE Step 3 / COMLEX Level 3
STEP3 = re.compile(
    r"\b(?:usmle\s+)?step\s*(?:3|iii|three)\b|\bcomlex(?:-usa)?\s+level\s*(?:3|iii)\b"
    r"|\ball three (?:usmle )?steps\b"
    # ("Parts 1, 2 and 3", "USMLE Part III": the older names of the steps)
    r"|\b(?:steps?|parts?)\s+1\s*,\s*2(?:\s*ck)?\s*,?\s*(?:and|&)\s*3\b"
    r"|\busmle\s+part\s*(?:3|iii)\b"
)
LOCATION = (
    r"(?:tower|wing|building|bldg|room|rm|suite|floor|level|lot|garage|unit|pod|ward|bay|gate"
    r"|zone|section|hall|entrance|elevator|area|box|cell|row|seat)"
)
# A location word before "J1"/"H1" (Tower J1, Lot H1) means it is not a visa.
LOCATED = rf"(?:\b({LOCATION})\s+)?"
# ... and so does a place noun after it ("the J1 parking structure").
_PLACES = (
    r"(?:parking|garages?|lots?|structures?|buildings?|bldgs?|towers?|wings?|rooms?|suites?"
    r"|floors?|lobby|elevators?|entrances?|auditorium|lecture hall|conference rooms?|clinics?"
    r"|units?)"
)
# (also the first of two places: "the J1 and H1 lots")
PLACE_AFTER = (
    rf"(?!\s+{_PLACES}\b|\s+(?:and|or|&)\s+[a-z]{{1,2}}[ \-]?\d{{1,2}}\s+{_PLACES}\b)"
)
# The hyphen may be spaced ("H -1B", "J- 1"); at most one space on each side.
DASH = r"(?: ?- ?| )?"
H1B = _compile(
    r"(?<![a-z0-9])h(?: ?[\-.] ?| )?1(?: ?- ?| )?b(?:1)?(?:'?s)?(?![a-z0-9])"
    r"(?:\s+visas?)?(?:\s+(?:status|petitions?))?"
    r"|\b(?:temporary\s+)?(?:work|worker|employment)\s+visas?\b"
    r"|\b(?:employment|employer)[ \-](?:based|sponsored)\s+visas?\b"
    r"|(?<![a-z0-9])h[ \-]visas?\b"  # "an H visa": the H category, for a trainee the H-1B
    # ... also before "or J visas" ("applicants who hold H or J visas")
    r"|(?<![a-z0-9])h(?=\s*(?:or|and|&|/)\s*j[ \-]?visas?\b)"
)
H1 = re.compile(
    rf"{LOCATED}(?<![a-z0-9])h{DASH}1(?:'?s)?(?![a-z0-9]|-\d){PLACE_AFTER}(?:\s+visas?)?"
)
J1 = re.compile(
    rf"{LOCATED}(?<![a-z0-9])j{DASH}1(?:'?s)?(?![a-z0-9]|-\d){PLACE_AFTER}(?:\s+visas?)?"
    r"(?:\s+(?:status|exchange visitor(?: visa)?))?"
    r"|\bexchange[ \-]visitors?(?:\s+(?:visas?|program|status))?\b"
    r"|(?<![a-z0-9])j[ \-]visas?\b"  # "J visas are acceptable"
)
OTHER_NAME = re.compile(r"(?<![a-z0-9])(?:o-?1a?|e-?3|l-?1|tn visas?)(?![a-z0-9])(?:\s+visas?)?")
F1 = re.compile(r"(?<![a-z0-9])f-?1(?![a-z0-9])(?:\s+(?:visa|student visa|status|opt))?")
DEPENDANT = re.compile(r"(?<![a-z0-9])(?:j-?2|h-?4)(?![a-z0-9])")
GENERIC = re.compile(
    r"\b(?:immigration|visa)(?:[ \-]+(?:sponsorship|status|types?|support|policy|policies"
    r"|requirements?|options?|categor(?:y|ies)))?\b|\bvisas\b"
)
BARE_SPONSORSHIP = re.compile(r"\bsponsorship\b")
SPONSORSHIP_CONTEXT = re.compile(r"\b(?:work|employ|authori[sz]|requir|need|without|immigra)")
STATUS = _compile(
    r"\b(?:u\.?\s?s\.?|united states|american)\s+citizen(?:s|ship)?\b|\bcitizen(?:s|ship)?\b"
    r"|\b(?:foreign\s+nationals?\s+with\s+)?(?:lawful\s+)?permanent\s+"
    r"(?:(?:u\.?\s?s\.?|united\s+states)\s+)?resid(?:ents?|ency|ence)(?:\s+(?:status|cards?))?\b"
    r"|\bgreen[ \-]cards?(?:\s+holders?)?\b|\blprs?\b|\beads?(?:\s+cards?)?\b"
    # the green card by its legal name ("eligible for permanent immigrant status")
    r"|\bpermanent\s+immigrant(?:\s+(?:status|visas?))?\b|(?<!non-)(?<!non )\bimmigrant\s+visas?\b"
    r"|\bemployment\s+authori[sz]ation(?:\s+(?:documents?|cards?))?\b"
    # Work authorisation counts only when it must already exist or be permanent
    # (a J-1 physician is authorised to work too, once admitted).
    r"|\bpermanent\s+work\s+authori[sz]ation\b"
    r"|\bwork\s+permits?\b"  # an EAD by its common name
    r"|\b(?:already|currently|permanently)\s+(?:authori[sz]ed\s+to\s+work"
    r"|eligible\s+(?:to\s+work|for\s+employment))\b"
)
# Applicants who need a visa, named by what they are not.  The literal forms
# run before the status tokens (which would eat "citizens"), the relative
# form ("who are not US citizens", "who match with us and are not US citizens")
# after them.
NONCITIZEN_WORDS = re.compile(
    r"\bnon[ \-]?(?:u\.?\s?s\.?\s+)?citizens?\b|\bnon[ \-](?:permanent[ \-])?residents?\b"
    # ("a foreign national with permanent residence" is a permanent resident)
    r"|\bforeign\s+nationals?\b(?!\s+with\s+(?:lawful\s+)?permanent\b)"
)
NONCITIZEN = re.compile(
    rf"\b(?:who|that)\s+(?:[^,.;:]{{1,60}}?\s+and\s+)?(?:are|is)\s+(?:not|neither)\s+(?:an?\s+)?{S}"
    rf"(?:(?:,|\s+or|\s+and|\s+nor)\s+(?:an?\s+)?{S})*"
)
# (units.py) A heading that introduces an explanation ("About Visas", "Understanding the
# J-1"): the lines under it are no fact sheet's list ("About Visas" / "H-1B Visa Foreign
# Medical Graduates" / "Requirements for H-1B Visa Status for Physicians").
EXPLAINING_KEY = re.compile(
    r"^\W*(?:about|understanding|overview of|an overview of|introduction to|learn(?:ing)? about"
    r"|what (?:is|are))\b"
)
VISA_CONTEXT = re.compile(r"visa|\bj[ \-]?1\b|sponsor|immigra|petition|uscis|cap[ \-]exempt")
PAYMENT = _compile(
    r"master\s?card|american express|\bamex\b|\bdiscover\b|\bcredit\b|\bdebit\b"
    r"|(?<!green )(?<!green-)(?<!resident )(?<!alien )(?<!\bead )\bcards?\b"
    r"|\bpayments?\b|\bpaid\b|\bpay\b|paypal|checkout"
)
# Literals that every match of PAYMENT / STATUS / DESCRIPTOR contains: a text
# without any of them cannot match (a cheap screen before the regex).
PAYMENT_NEEDS = (
    "card", "express", "amex", "discover", "credit", "debit", "pay", "paid", "checkout"
)
STATUS_NEEDS = ("citizen", "resid", "green", "lpr", "ead", "authori", "permit", "eligible",
                "immigrant")
DESCRIPTOR_NEEDS = ("ecfmg", "sponsored", "administered", "issued", "managed", "granted")
DESCRIPTOR = re.compile(
    r"\b(?:sponsored|administered|issued|managed|granted)\s+(?:by|through|via)\s+(?:the\s+)?"
    r"(?:ecfmg|educational commission\b[a-z ]{0,60}?graduates|(?:u\.?s\.?\s+)?department of state"
    r"|state department|uscis|(?:the\s+)?(?:federal\s+)?government|employers?)\b"
    r"|\becfmg[ \-]+sponsored\b|\b(?:through|via|by)\s+(?:the\s+)?ecfmg\b"
)
TOPIC = re.compile(
    r"\b(?:questions?|inquiries|enquiries|information|info|details|guidance|faqs?|resources"
    r"|learn more|read more|more|click here|links?|website|differences?)\s+"
    r"(?:about|regarding|on|concerning|related to|for|between)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:xx[a-z0-9]+)(?:(?:,|\s+and|\s+or|\s+visas?|\s+the|\s+an?)*\s*xx[a-z0-9]+)*"
    r"|\bxx[a-z0-9]+\s+(?:questions|inquiries|enquiries|information|info)\b"
)

# --- polarity: negations, denials, Step 3 conditions -------------------------

# Negations that do not deny sponsorship; neutralised before reading polarity.
FALSE_NEG = _compile(
    r"\bnot only\b|\bnot limited to\b|\bwhether or not\b"
    # a rule for all, not a denial ("All J-1 physicians, with no exceptions, must ...")
    r"|\bwith no exceptions?\b|\bwithout (?:any )?exceptions?\b"
    r"|\bno (?:later|earlier|sooner|more|less|fewer) than\b|\bnot (?:later|earlier) than\b"
    r"|\bnot to exceed\b|\bno (?:cost|charge|fee)\b|\bnot subject to\b"
    r"|\bnot (?:limited|capped)\b(?! to)"
    r"|\bno (?:limits?|caps?|maximum|quotas?|ceiling) (?:on|to|for)\b"
    # what a visa covers, not whether it is sponsored ("years the visa may not cover")
    r"|\b(?:does|do|will|would|may|might|can|could)(?: not|n't) (?:cover|extend to)\b"
    # who decides, not a denial ("determined by the institution, not the program")
    r"|\bnot (?:by )?(?:the|each|individual|our|this|its) (?:\w+ )?(?:programs?|departments?"
    r"|divisions?|hospitals?|institutions?|university|medical center|gme office)\b"
    r"(?! (?:does|do|will|can|is|are|may)\b)"
    r"|\bno matter\b|\bnot just\b|\bdo(?: not|n't) hesitate\b|\bif not\b|\bor not\b"
    # who needs a visa, not a denial ("if you are neither a US citizen nor a permanent
    # resident, you must hold a J-1")
    r"|\bneither (?:an? )?xxstatus\b(?: [\w.]+){0,5}? nor (?:an? )?xxstatus\b"
    # no trouble with a visa, not no visa ("you count as no visa issue")
    r"|\bno xxvisa (?:issues?|problems?|concerns?|complications?|questions?|hassles?)\b"
    # who sponsors, not whether it is taken: "(the J-1) is supported, not sponsored"
    r"|(?:(?<=supported)|(?<=accepted)|(?<=welcomed)|(?<=allowed)|(?<=permitted))"
    r",? (?:but )?not sponsored\b"
    # the visa's own requirements ("older exams do not meet the J-1 requirements")
    r"|\b(?:do|does|did|may|might|will|would)(?: not|n't) (?:meet|satisfy|fulfil+) (?:the )?"
    r"xx(?:j1|h1b)(?: visa)? requirements?\b"
    # what something counts as ("'score pending' is not accepted as a passing score")
    # (not a visa's: "An H-1B is not accepted as ...")
    r"|(?<!xxh1b is )(?<!xxj1 is )(?<!xxvisa is )(?<!xxvisa are )"
    r"\bnot (?:be )?(?:accepted|considered|counted|recogni[sz]ed|regarded|treated) as\b"
    r"(?! (?:an? |the )?xx)"
    # a relative clause about hard-to-fill positions ("positions that cannot be filled")
    r"|\b(?:that|which) (?:cannot|can ?not|can't|could not|would not|will not|won't)"
    r" (?:otherwise )?(?:be )?(?:filled|recruited|staffed)\b"
    r"|\b(?:who|that|which|if you|if they|if the applicant|those|applicants|candidates)\s+"
    r"(?:do|does|did|have|has|are|is)\s*(?:not|n't)\b(?! xx)"
    # ... but "applicants are not accepted / considered" is a denial.
    r"(?! (?:be )?(?:accept|consider|eligib|sponsor|allow|permit|welcom|invit|offer|grant"
    r"|rank|interview))"
    # what happens to a trainee who fails to get a visa ("house officers who cannot
    # obtain J-1 sponsorship in time may be released")
    r"|\b(?:who|that|if you|if they|if (?:an?|the|your) (?:[a-z\-]+ ){0,2}[a-z\-]+)\s+"
    r"(?:cannot|can ?not|can't|could not"
    r"|are unable to|is unable to|fail to|fails to|do not|does not|don't|doesn't)\s+"
    r"(?:\w+\s+)?(?:obtain|get|secure|receive|acquire|maintain)\b"
)
# "Not only ... but also": neither a denial nor an "only".
NOT_ONLY = re.compile(r"\bnot (?:only|just|merely|simply)\b")
# "not only J-1 but also H-1B visas are sponsored": one list of two visas.
NOT_ONLY_BUT = re.compile(
    r"\bnot (?:only|just|merely|simply) (xx[a-z0-9]{1,8}(?: visas?)?,? )but (?:also )?"
)
# Hedged or partial denials: "not guaranteed", "not in all departments".
LIMITING_NEG = re.compile(
    r"\bnot guaranteed\b|\bno guarantee\b|\b(?:cannot|can ?not|can't|unable to) guarantee\b"
    r"|\bnot (?:available )?in all\b|\bnot all\b|\bnot in others\b|\bbut not in others\b"
    r"|\bmay (?:elect|choose|decide|opt) not\b|\bmay decline\b"
    r"|\breserves? the right (?:not )?to (?:decline|deny|refuse|limit|withdraw)\b"
)
# A hedge on visa sponsorship in general ("The Institution reserves the right to
# determine which visa is offered"; "Visa sponsorship is at the discretion of the
# DIO"), read as a restriction of an H-1B offer made just before it.
SPONSORSHIP_HEDGE = re.compile(
    r"case[ \-]+by[ \-]+case|\bindividual(?:ly| basis)\b|\bdiscretion\b|\breserves? the right\b"
    r"|\bsubject to (?:the )?(?:\w+ )?(?:approval|availability|funding|discretion|review)\b"
    r"|\bnot guaranteed\b|\bno guarantee\b|\bpending (?:\w+ )?approval\b"
    r"|\bfunding (?:permits|allows)\b|\bavailability of (?:funds|funding)\b"
    # left open for a talk with the candidate ("this must be discussed at the interview")
    r"|\b(?:must|will|needs? to|has to|to) be discussed\b"
)
# Verbs that deny on their own ("H-1B sponsorship has been suspended").
NEG_VERBS = (
    r"\bdiscontinu\w*|\bsuspend\w*|\bceased?\b|\bstopped\b|\bterminated\b|\bpaused\b"
    r"|\bhalted\b|\beliminated\b|\bdeclin(?:e|es|ed|ing)\b|\brefus\w*|\bexcluded\b"
    # (avoiding a visa or its sponsorship, not "complications with visas")
    r"|\bavoid(?:s|ed|ing)?\b(?! (?:\w+ )?(?:complications?|problems?|issues?|delays?|gaps?"
    r"|mistakes?|pitfalls?)\b)|(?<!-)\bstop(?:s|ping)?\b"
)
NEG = _compile(
    r"\bnot\b|n't\b|\bno\b|\bnever\b|\bcannot\b|\bunable\b|\bnor\b|\bneither\b|\bunavailable\b"
    r"|\bineligible\b|\bdiscontinued\b|\bdeclines?\b|\bnone\b|\bno longer\b|\bn/a\b"
    r"|\bimpossible\b|\bzero\b|\black(?:s|ing)?\b"
    r"|\bwithout (?:any |a |the )?(?:(?:need|requirement) (?:for|of) )?"
    r"(?:any |a |the |further )?(?:xxvisa|xxh1b|xxj1)"
    rf"|{NEG_VERBS}"
)
STEP3_NOT_NEEDED = _compile(
    r"(?:not|n't)\s+(?:be\s+)?(?:required|necessary|needed|mandatory"
    r"|a\s+(?:requirement|prerequisite))"
    r"|\bneed\s+not\b|\bno\s+need\b|\bis\s+optional\b|\bnot\s+(?:have\s+to|need\s+to)\b"
    r"|\bwithout\s+(?:having\s+)?(?:passed|passing|taken|taking|completed|completing)\b"
)
# The program waives Step 3 in its own words ("we do not require Step 3 before the
# Match for H-1B candidates"): a condition lifted, neither a denial nor an offer.
STEP3_WAIVED = re.compile(
    r"(?:\bnot|n't)\s+(?:\w+\s+)?require\s+(?:(?:the|a|passing|passed)\s+)?xxstep3"
)
# "Step 3 is not required to apply (but must be passed before the petition)":
# a denial scoped to the application, not to the H-1B.
STEP3_NOT_FOR_APPLYING = re.compile(
    r"(?:not|n't)\s+(?:be\s+)?(?:required|necessary|needed|mandatory)\s+"
    r"(?:to apply|to be interviewed|to interview|for (?:the |an? )?(?:application|interview)"
    r"|at (?:the )?time of (?:application|applying|the application|interview))\b"
)
STEP3_LATER = re.compile(r"\bmust\b|\brequired\b|\bneeds? to\b|\bhave to\b|\bbefore we\b")
STEP3_NEEDED = _compile(
    r"\bmust\b|\brequir|\bneed|\bprior to\b|\bbefore\b|\bby the\b|\bpass|\bcomplet"
    r"|\beligib|\bprovided\b|\bonly (?:for|if|after|when)\b|\bcondition|\bin order to\b"
    r"|\bonce\b|\bafter\b|\bunless\b|\bhave taken\b"
    r"|\b(?:with|having) (?:a )?(?:passed |passing |completed )?xxstep3"
)

# A semicolon between two bare visa names is a list separator ("Visas: J-1; H-1B").
VISA_LIST_SEMICOLON = re.compile(r"\b(xx(?:j1|h1b)) ?; ?(?=xx(?:j1|h1b)\b(?! ?[:\w]))")

# Common misspellings and Spanish (Puerto Rico programs) read as their English words.
RESPELL = {
    "sponser": "sponsor", "sponsers": "sponsors", "sponsered": "sponsored",
    "sponsering": "sponsoring", "sponserd": "sponsored", "sponsorhip": "sponsorship",
    "sponsership": "sponsorship", "dont": "don't", "doesnt": "doesn't", "cant": "can't",
    "s\u00ed": "yes", "patrocinamos": "we sponsor", "patrocina": "sponsors",
    "auspiciamos": "we sponsor", "auspicia": "sponsors", "aceptamos": "we accept",
    "acepta": "accepts", "solo": "only", "s\u00f3lo": "only", "visado": "visa",
    "caso por caso": "case by case", "no se aceptan": "not accepted",
}
RESPELL_RE = re.compile(
    r"(?<![\w'])(?:" + "|".join(sorted(map(re.escape, RESPELL), key=len, reverse=True))
    + r")(?![\w'])"
)
RESPELL_SCREEN = ("spons", "dont", "doesnt", "cant", "\u00ed", "\u00f3", "patrocin", "auspici",
                  "acept", "solo", "visado", "caso por")

# --- predicates, requirements, restrictions, answers ------------------------

# Predicates of a stance: what a program does with a visa.
PRED = _compile(
    # ("the sponsoring employer" names a role, it states nothing; "we are an H-1B
    # sponsoring institution" does)
    r"\bsponsor(?:s|ed)?\b|(?<!\bthe )(?<!\byour )(?<!\btheir )\bsponsoring\b"
    r"|\bsponsoring\b(?! (?:employer|institution|organi[sz]ation|agency|entity|hospital"
    r"|site)s?\b)|\bco-?sponsor|\bsupport(?:s|ed|ing)?\b|\boffer(?:s|ed|ing)?\b"
    r"|\b(?:fil(?:e|es|ed|ing)|process(?:es|ed|ing)?)\s+(?:for\s+|as\s+)?"
    r"(?:all\s+|the\s+|an?\s+|new\s+)?xx"
    r"|\bprovid(?:e|es|ed|ing)\b"
    r"|\baccept(?:s|ed|ing|able|ance)?\b|\bconsider(?:s|ed|ing|ation)?\b"
    # "welcome", but not the event ("a welcome dinner for residents on J-1 visas")
    r"|\bwelcom(?:e|es|ed|ing)\b(?! (?:dinner|reception|event|party|picnic|lunch|luncheon"
    r"|breakfast|barbecue|bbq|week|packet|letter|message|center|desk|back|bag)\b)"
    r"|\bfriendly\b"  # "an H-1B friendly program"
    r"|\b(?:un)?availab(?:le|ility)\b|\beligib(?:le|ility)\b|\bhir(?:e|es|ed|ing)\b|\bapply\b"
    # ("train on a J-1", "train at Harbor-UCLA on a J-1")
    r"|\btrain(?:s|ed|ing)?\s+(?:at\s+[a-z\-]{1,30}\s+)?(?:on|with|under)\b"
    r"|\b(?:are|is|be|remain) on (?:an? )?xx"
    r"|\b(?:standard|usual|primary|default|main) xxvisa\b"
    # implied J-1: "the J-1 is the standard route", "appointed in J-1 status",
    # "may alternatively come on a J1", "...; otherwise J-1"
    r"|\b(?:standard|usual|typical|primary|default|main|preferred|recommended)"
    r" (?:route|pathway|path|mechanism|avenue)\b"
    # "J-1 sponsorship through ECFMG is standard for our residents"
    r"|\b(?:is|are) (?:the )?(?:standard|usual|norm) (?:for|at|in) (?:our|this)\b"
    r"|\bappointed (?:in|on|under|with) (?:an? )?xx|\bcomes? (?:on|in|with) (?:an? )?xx"
    # "IMGs enter the program on J-1 visas", "start residency on a J-1"
    r"|\b(?:enter|start|begin|join)(?:s|ed|ing)? (?:the |our |this )?(?:program|residency"
    r"|fellowship|training) (?:on|with|under|in) (?:an? )?xx"
    r"|^otherwise,? (?:an? )?xx"
    # ("an H-1B program" takes the H-1B; "the H-1B program" is the visa's own)
    r"|\boptions?\b|\bprefer(?:s|red)?\b|(?<!\bthe )\bxx(?:j1|h1b) (?:only )?program\b"
    r"|\bgrant(?:s|ed)?\b"
    r"|\bapprov(?:e|es|ed)\b|\bparticipat|\baccommodat|\bentertain|\bpossible\b"
    r"|\bpetitions?\b|\b(?:fine|ok|okay)\b|\ballow(?:s|ed)?\b"
    r"|\b(?:take|takes|taking) (?:only )?(?:[a-z\-]+ )?(?:xx|applicants|candidates)"
    # "we do not have H-1B sponsorship", "we have no visa sponsorship"
    r"|\b(?:have|has)\s+(?:no\s+|any\s+)?(?:[a-z0-9\-]+\s+){0,4}?sponsorship\b"
    r"|\bwe (?:do|can do|will do) xx(?:h1b|j1)\b"  # informal: "yes we do H1B"
    r"|\bnot (?:limited|capped)\b(?! to)"  # "J-1 positions are not limited"
    # "H-1B petitions are filed by the GME office" ("petitions" is part of the token)
    r"|\b(?:are|is|will be|can be) (?:filed|submitted|processed)\b"
    rf"|\bpermit(?:s|ted)?\b|\bextend|\btransfers?\b|\bobtain\b|{NEG_VERBS}"
    # "IMGs are encouraged to seek ECFMG sponsorship as a J1 Exchange Visitor", "may pursue
    # graduate medical education under the sponsorship of ECFMG while holding a J-1 visa"
    r"|\bseek (?:ecfmg )?sponsorship\b|\bunder the sponsorship of\b|\bwhile holding (?:an? )?xx"
)
# "only", but not of a term ("J-1 status is only granted to IMGs for the length of a
# residency")
_ONLY_WORD = r"\bonly\b(?!(?: [a-z\-]+){0,4} for (?:the )?(?:length|duration|term)\b)"
REQUIRE = re.compile(
    r"\bmust\b|\brequir(?:e|es|ed|ement|ements)\b|\bneed(?:s|ed)? to\b|\bhave to\b|\beligib"
    r"|\bneed(?:s|ed)? (?:an? |the )?xxj1\b"  # "will need a J-1 visa" (not an H-1B: who needs one)
    # a list of what applicants need ("Applicants need: - ... the appropriate J-1 visa status")
    r"|\bneeds?:"
    rf"|\bopen (?:only )?to\b|\brestricted to\b|\blimited to\b|{_ONLY_WORD}|\bpossess\b"
    # a list of what applicants must meet ("Criteria: U.S. citizen or permanent resident")
    r"|\bcriteria\b|\bqualifications\b|\bprerequisites?\b|\bmeets? (?:all )?(?:of )?the following\b"
    # an imperative requirement item ("Qualifications: - Be a citizen of the United States")
    r"|(?:^|[:;,\-\u2022*] ?)be (?:an? )?xxstatus\b"
    # ... or one that names the visa to hold ("- Hold a J-1 Visa or are a US citizen")
    r"|(?:^|[:;\-\u2022*] ?)(?:hold|have|possess) (?:an? |the )?(?:valid |current )?"
    r"xx(?:j1|h1b|visa|status)\b"
)
# The modal of a requirement, and "apply for" (which names the visa sought, not a stance):
# "Physicians applying for a J-1 must obtain ECFMG certification" (clauses._seekers_rule).
SEEKERS_MODAL = re.compile(r"\b(?:must|needs? to|ha(?:ve|s) to|(?:is|are) required to)\b")
APPLY_FOR = re.compile(r"\bapply(?:ing)? for\b")
# ... said of one who wants the visa or of its paperwork (or of physicians in general:
# POPULATION, ANY_PHYSICIAN; not of the program's "J-1 applicants", whose rule says the
# program takes them)
SEEKERS = re.compile(
    r"^[\-\u2022*]?\s*(?:to (?:get|obtain|apply for|qualify for|receive|secure)\b"
    r"|(?:the|an?|your) xx(?:j1|h1b)(?: visa)? (?:application|petition|documents?|paperwork)\b)"
)
# ... or a title that names a visa's own requirements ("Requirements for H-1B Visa Status
# for Physicians", "Basic H-1B Requirements"; not "Requirements for J-1 visa holders", the
# program's requirements of the people it takes)
VISA_REQUIREMENTS_TITLE = re.compile(
    # (after the title above it, if any: "H-1B Visa Foreign Medical Graduates: Requirements
    # for ...")
    r"^[\-\u2022*]?\s*(?:[^:]{1,80}:\s*)?(?:[a-z]+ )?"
    r"(?:requirements? (?:for|of) (?:the |an? )?xx(?:j1|h1b)"
    r"|xx(?:j1|h1b) (?:eligibility )?requirements?)"
    r"(?: for (?:(?:foreign|international) )?(?:medical )?"
    r"(?:physicians|doctors|graduates|imgs|fmgs))?"
    r"\W*$"
)
ECFMG_ROUTE = re.compile(r"\b(?:through|via|by|with|from) (?:the )?ecfmg\b|ecfmgsponsored")
ONLY = re.compile(
    rf"{_ONLY_WORD}|\bexclusively\b|\bsolely\b|\bsole\b"
    # ...but a time limit is not ("limited to the accredited length of the program")
    r"|\b(?:limited|restricted) to\b(?! (?:the |a |an )?(?:[a-z]+ )?(?:length|duration|term"
    r"|period|years?|months?|\d))"
)
# Restriction cues that make H-1B "limited".
UNITS = r"(?:programs|departments|specialties|fellowships)\b"
RESTRICT = _compile(
    r"case[ \-]+by[ \-]+case|\bindividual(?:ly| basis)\b|\bexception(?:al|ally|s)?\b"
    r"|\bextraordinary\b"
    r"|\b(?:special|unusual|certain|rare|limited|exceptional|select|selected|some|specific"
    r"|particular|individual) (?:circumstances|cases|situations|instances)\b"
    r"|\btop[ \-](?:ranked|tier)\b|\bthe right (?:candidates?|applicants?)\b"
    # "H1B possible for strong candidates": a bar above the ordinary conditions
    r"|\bfor (?:the )?(?:strong|outstanding|highly qualified|most qualified)"
    r" (?:candidates?|applicants?)\b"
    r"|\b(?:at|in|near) the top of (?:our|the|their) (?:rank(?:ing)? )?list\b"
    r"|\branked (?:very )?highly\b|\bhighly ranked\b"
    r"|(?<!\bnot )\blimited(?! to)\b|\brare(?:ly)?\b|\bseldom\b|\boccasional(?:ly)?\b|\bsometimes\b"
    r"|\bon occasion\b|\bin some cases\b|\bmay (?:be )?(?:consider|possible|available|grant|made)"
    r"|\bmight\b|\bpossibly\b|\bpotentially\b"
    # "the program may sponsor H-1B" (not the choice in "may be sponsored on either")
    r"|\bmay (?:also )?(?:be )?(?:sponsor|support|offer|file|approv)"
    r"(?![a-z]* (?:(?:on|for|with|under) )?(?:an? )?either\b)"
    # approval by an authority ("requires approval from the DIO", "pending GMEC approval")
    r"|\bpending (?:\w+ )?approval\b"
    r"|\bapproval (?:of|by|from) (?:the )?(?:dio\b|designated|gmec?\b|graduate medical|office"
    r"|institution|hospital|department|chair|dean|program director|committee|cfo|chief"
    r"|administration|leadership)"
    r"|\b(?:institutional|departmental|administrative|gmec|dio|special|prior|written) approval\b"
    # "subject to" approval or funding restricts; "subject to GME policy / federal
    # regulations" is an ordinary condition
    r"|\bsubject to\b(?! (?:the |all |applicable |our |its )?(?:\w+ )?(?:polic(?:y|ies)|rules"
    r"|regulations|guidelines|laws?|requirements)\b)"
    # "reserves the right to decline / decide" H-1B sponsorship
    r"|\breserves? the right to (?:decline|deny|refuse|limit|withdraw|determine|decide|choose"
    r"|select)\b"
    r"|\bdiscretion\b|\bdepend(?:s|ing)? on\b|\breviewed\b|\bevaluated\b"
    r"|\balready\b|\bcurrently (?:hold|holding|in|on|have|has)\b|\bcurrent xxh1b|\bexisting\b"
    r"|\btransfer(?:s|red|ring)?\b|\b(?:on|holding|in) (?:an? )?xxf1\b"
    r"|\bu\.?\s?s\.?[ \-](?:medical[ \-])?(?:school[ \-])?graduates?\b"
    r"|\bgraduat(?:es?|ed|ing) (?:of|from) (?:an? |the )?(?:u\.?\s?s\.?|american|united states"
    r"|lcme)(?:[ \-](?:or|and) canadian)?(?:[ \-](?:accredited|allopathic|osteopathic))?"
    r"[ \-](?:medical[ \-])?schools?\b"
    # (one qualifier word: "some fellowship programs", "select surgical departments")
    rf"|\bsome (?:of (?:our|its|the) )?(?:[a-z\-]{{1,20}} )?{UNITS}"
    rf"|\b(?:certain|select|selected) (?:[a-z\-]{{1,20}} )?(?:{UNITS}|candidates\b)"
    r"|\bfew\b|\bsmall number\b|\bselect(?:ed)? (?:number|group)\b|\bhandful\b"
    # named programs as the only sponsors ("only the Internal Medicine and Family
    # Medicine programs sponsor H-1B visas"): the others do not
    r"|\bonly (?:the |our |its )?(?:[a-z\-]+ ){1,6}(?:programs?|departments?|specialt(?:y|ies)"
    r"|fellowships?|divisions?) (?:currently |will |can )?(?:sponsor|accept|offer|support|file)"
    # a numeric cap ("up to 2 H-1B visas per year", "no more than one per class")
    r"|\b(?:up to|no more than|not more than|at most|a maximum of|maximum of)"
    r" (?:\d{1,3}\b|one\b|two\b|three\b|four\b|five\b|a few\b)"
    r"|\bhighly qualified\b|\bexceptionally\b|\boutstanding\b|\bunusual\b"
    # visas only for positions an employer cannot otherwise fill
    r"|\bhard[ \-]to[ \-](?:fill|recruit)\b"
    # left to each program ("per individual program policy", "program-specific",
    # "varies by department"): the institution sponsors in some programs only
    r"|\bper (?:the )?(?:individual |each )?(?:program|department|division)(?:'s)? polic(?:y|ies)\b"
    r"|\b(?:program|department|specialty)[ \-]specific\b"
    r"|\bvar(?:y|ies|iable) (?:by|from|between|among|across) (?:\w+ )?(?:programs?|departments?"
    r"|specialt(?:y|ies)|divisions?)\b"
    r"|\bnot guaranteed\b|\bno guarantee\b|\bguarantee\b|\bnot all\b"
    # (the program's preference; the applicant's own preference restricts nothing)
    r"|\bin all departments\b|\b(?:limited|restricted) to (?!xx)"
    r"|(?<!applicant's )(?<!candidate's )(?<!\byour )(?<!\btheir )\bpreference\b"
    # (a preference for the H-1B itself limits nothing: "with a preference for
    # H1B-eligible candidates")
    r"(?! (?:is given )?(?:for|to) (?:[a-z\-]+ ){0,2}xxh1b)"
    r"|\bexcellent candidates\b|\bexceptional merit\b"
    r"|\bfunding (?:permits|allows|permitting)\b|\bfunds? (?:permits?|allows?|permitting)\b"
    r"|\bavailability of (?:funds|funding)\b|\bif (?:funds|funding) (?:is |are )?available\b"
)
# A funding condition ("if funding permits"), read before EXPLAIN ("permits").
FUNDING = re.compile(
    r"\b(?:if|when|as|where) (?:the )?(?:[a-z]+ )?(?:funding|funds|budget|resources)"
    r" (?:permits?|allows?)\b"
)
# Answers that deny, confirm or restrict, for FAQ pairs and "key: value" rows.  An
# answer may open with a time phrase ("At this time, no."; "Currently, yes").
_ANSWER_START = (
    r"^(?:a:\s*)?(?:(?:at (?:this|the present) time|at present|currently|presently|for now"
    r"|right now|as of (?:now|today)),?\s+)?"
)
ANSWER_NO = re.compile(
    # ("No." / "No, ..." / "No visas ..." / "No H-1B", not "No phone calls, please": a next
    # line that is no answer)
    _ANSWER_START + r"(?:no\b(?!\s+(?!(?:xx|visa|sponsor|we\b|the\b|our\b|it\b|they\b|this\b"
    r"|unfortunately|sorry))[a-z])|none\b|neither\b|n/a\b|not\b|unfortunately\b|sorry\b"
    r"|we (?:do not|don't|cannot|can't"
    r"|are (?:not|unable))|negative\b|unavailable\b|✗|✘|×)"
)
ANSWER_YES = re.compile(
    _ANSWER_START + r"(?:yes\b|both\b|we (?:do|can|will)\b(?! not)|absolutely\b|certainly\b"
    r"|of course\b"
    # ("Sponsored." / "Accepted for ...", not "Sponsored links | Our sponsors")
    r"|correct\b|(?:available|sponsored|accepted|offered|supported)\b(?!\s+(?!(?:by|through|for"
    r"|to|on|in|and|or|xx|visa|if|with|when|once|after|provided|ecfmg\w*)\b)[a-z])|ecfmgsponsored\b"
    r"|fine\b|ok\b|okay\b|welcome\b|✓|✔)"
)
# The yes or no that opens an answer ("No, the program only accepts the J-1 visa.").
# A sentence that goes on with the requirement before it ("Every applicant must hold a
# valid work permit ... This can be met by: United States citizenship, ... or a J-1").
CONTINUES_REQUIREMENT = re.compile(
    r"^\W*(?:this|these|that|which)(?: requirement)? (?:can|may|must|is to) be (?:met|satisfied"
    r"|fulfilled|shown|documented)\b|^\W*this (?:includes|means)\b", re.I
)
YES_OR_NO_LEAD = re.compile(r"^\W*(?:yes|no)\b\W*", re.I)
# An answer that opens with yes, no or only; a question of sponsorship; and a question the
# reader asks of themself ("Can I extend the J1?"): a program's FAQ asks of the program, an
# advice page in the reader's own words.
ANSWER_LEAD = re.compile(r"^\W*(?:a:\s*)?(?:yes|no|only)\b", re.I)
FAQ_STANCE = re.compile(r"(?i:\b(?:sponsor\w*|accept\w*|available|offer\w*|support\w*)\b)")
READERS_QUESTION = re.compile(r"\b(?:I|my|me|I'm|I've)\b")
ANSWER_LIMITED = re.compile(
    _ANSWER_START + r"(?:(?:very|extremely|quite|but)\s+)?"
    r"(?:only\b|on a case|case[ \-]by[ \-]case|rarely\b|in rare|occasionally\b|sometimes\b"
    r"|limited\b|in (?:some|certain|exceptional|special) |under (?:certain|special|exceptional) "
    r"|possibly\b|maybe\b|it depends\b|depending\b)"
)

# --- what is not a policy: explanations, news, other subjects ---------------

# Sentences that explain visas or report news instead of stating a policy.
OFF_TOPIC = _compile(
    r"\blotter(?:y|ies)\b|\bcaps?\b(?![ \-]exempt)|\bproclamation\b|\buscis\b|\bexecutive order\b"
    r"|\bregistration\b|\bfiscal year\b|\bweighted\b|\bcongress\b|\bimmigration act\b|\$\s?\d"
    r"|\bhome (?:country|residency|residence)\b|\bforeign residen(?:ce|cy)\b|\b(?:two|2)[ \-]year\b"
    # the home residence rule in other words ("J-1 holders must leave the US for two years",
    # "must have lived in the country of last residence for two years")
    r"|\bleave the (?:u\.?s\.?|united states|country)\b|\bcountry of (?:nationality|last)\b"
    r"|\b(?:return(?:s|ing)?|go(?:es|ing)? back|move back) (?:home|to (?:their|your|his|her|the)"
    r" (?:home )?countr(?:y|ies))\b"
    r"|\bwaivers?\b|\bconrad\b|\bhardship\b|\bxxdependant\b"
    r"|\bspouses?\b|\bdependents?\b|\bdependants?\b|\bmoonlight|\bfees?\b|\bwage\b"
    r"|\bthe amount\b|\bannounced\b|\bnews\b"
    # law and policy in the making ("the bill would require ...", "a proposed rule",
    # "J-1 applications are still suspended", "excluded from the quota")
    r"|\b(?:the|a|this) bill\b|\blegislation\b|\blawmakers\b|\bproposed rule\b|\bmemorand"
    r"|\bquota\b|\b(?:travel |entry |visa )?ban(?:s|ned)?\b|\bthe administration\b"
    # ... and who it turns away by nationality ("for people from Iran", "nationals of")
    r"|\b(?:people|persons|travell?ers|citizens|nationals) from\b|\bnationals of\b"
    r"|\b(?:applications?|interviews?|processing|appointments?) (?:are |is |were |was "
    r"|have been |has been )?(?:still )?(?:suspended|paused|halted|frozen)\b"
)
EXPLAIN = _compile(
    r"\b(?:xxh1b|xxj1|xxvisa)(?: program)? (?:is|are) (?:a|an|for|used|valid|typically"
    r"|generally|usually)\b"
    # ... to whom the law opens it ("The H-1B visa is available to people in a specialty
    # occupation") or the government gives it ("The J-1 is issued to physicians for ...")
    r"|\bxx(?:h1b|j1)(?: visa)? (?:is|are) available to (?:people|persons|individuals|workers"
    r"|foreign|those|anyone|professionals)\b"
    r"|\bxx(?:h1b|j1)(?: visa| status)? (?:is|are) (?:only )?(?:issued|granted) (?:to|for)\b"
    # what a visa does ("the J-1 allows physicians to train"), but not a relative
    # clause naming the status a requirement asks for ("hold a visa that permits
    # clinical training (J-1)")
    r"|(?<!\bthat )(?<!\bwhich )\b(?:allows?|enables?|lets|to let)\b(?! us\b)"
    # (the verb, not the noun: "a physician-in-training (PIT) permit or a license")
    r"|(?<!\bthat )(?<!\bwhich )(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\) )(?<!work )"
    r"\bpermits?\b(?! (?:or|and|set|issued|granted|from|number|application|holders?)\b"
    r"|\s*[,.;:)]|$)"
    r"|(?:^|\b(?:aware|note|noted|know|remember) that )(?:the |an? )?xx(?:h1b|j1)(?: visa)?"
    # ... also said of its paperwork ("The H-1B petition process typically takes months")
    r"(?: (?:petition|application|filing|paperwork|process|processing|timeline)){0,2}"
    # (not an approval: "H-1B requires prior approval of the GME office" is a hedge)
    r" (?:(?:generally|usually|typically|normally|often|always) )?"
    r"(?:(?:requires?|needs?)(?! (?:\w+ )?approval\b)|allows"
    r"|permits|takes|has|lasts|expires|involves)\b"
    r"|\bwhat is\b|\brefers? to\b|\bmost commonly\b|\badvantages\b|\bcreated\b"
    # a belief set right ("The myth that 'top programs never sponsor visas' is wrong"):
    # the claim is held up to be denied, whoever's it is
    r"|\bmyths?\b|\bmisconceptions?\b|\bmisunderst[ao]"
    # how long a visa lasts ("The H-1B can be extended for up to six years")
    r"|^(?:the |an? )?xx(?:h1b|j1)(?: status)? (?:can|may) be (?:extended|renewed)\b"
    # ... also as a key and its term ("H-1B: up to 3 years per petition")
    r"|^[\-\u2022*\s]*xx(?:h1b|j1)(?: visa| status)?\s*:\s*(?:(?:up to|a maximum of|valid for"
    r"|initially|issued for)\s+)?(?:\d+|one|two|three|five|six|seven) (?:years?|months?)\b"
    # an illustration ("For example, a resident on a J-1 who did a preliminary year ...")
    r"|^(?:for (?:example|instance)|e\.g\.),"
    # a comparison of the visas ("the H-1B and J-1 differ in their requirements")
    r"|\bdiffer(?:s|ent)? (?:in|from)\b|\bdifferences? between\b"
    r"|\b(?:sole|only|designated|official) sponsor of\b"
    # "The J-1 Exchange Visitor Program (for physicians) is administered by ECFMG"
    r"|^(?:the )?xxj1 program(?: for [a-z ]{1,30})? (?:is|are)\b"
    # ... or the visa program as a whole ("The H-1B program plays a vital role in U.S.
    # healthcare, letting hospitals hire ...")
    r"|^the xx(?:j1|h1b) (?:visa )?program\b(?! (?:at|of|in) (?:our|the|this)\b)"
    # ... or sponsored by any employer ("An H-1B visa is sponsored by an employer.")
    r"|^(?:the |an? )?xx(?:h1b|j1)(?: visa)? (?:is|are) (?:\w+ )?(?:sponsored|filed|petitioned)"
    r" by (?:an?|any) (?:[a-z\-]+ )?(?:employer|sponsor|institution|hospital|program)\b"
    # ... or the getting of one ("Getting an H-1 visa can be complex ...")
    r"|^(?:getting|obtaining|applying for|securing) (?:an? |the |your )?xx"
    # ... and its definition-list form, the visa as the key and a kind as the value
    # ("H-1B visa (residency/fellowship): also a work visa ...", "H-1B: employer-sponsored")
    r"|^[\-\u2022*\d.\s]*(?:the |an? )?xx(?:h1b|j1)\b(?:[^:]{0,60}:){1,2}\s*(?:also |is )?"
    r"(?:an?\s+(?:[a-z\-]+\s+){0,4}(?:xx(?:h1b|j1|visa)|visa|category|classification|status"
    r"|pathway)\b|employer[\- ]sponsored\b)"
)
# Physicians in general as a clause's subject, saying what they may do or use rather
# than what a program requires of its applicants ("Foreign medical graduates may use
# the H-1B category ...", "For many IMGs, the J-1 is the main pathway ...").
POPULATION = re.compile(
    r"^[\-\u2022*]?\s*(?:(?:however|but|and|also|during that time|at that point|then|today"
    r"|(?:every|each|this|last|next) (?:spring|summer|fall|autumn|winter|year|season|cycle)),?\s+)?"
    r"(?:for\s+)?(?:(?P<share>most|many|some|few|not all|almost all|nearly all|the majority"
    r"|\d+ ?(?:%|percent))(?: of)?\s+|all\s+)?(?:(?:the|these|those)\s+)?"
    r"(?:international medical graduates|foreign medical graduates|imgs|fmgs|physicians|doctors"
    r"|foreign (?:national )?(?:physicians|doctors)|xxnoncit (?:physicians|doctors|graduates)"
    r"|people|international (?:physicians|doctors|students))\b(?!\s*:)"
)
# ... and one physician taken as any ("A foreign medical doctor must be licensed ...",
# "The doctor must have passed all three steps"): what holds for physicians in
# general, requirement or not -- programs speak of their applicants, not "the doctor".
ANY_PHYSICIAN = re.compile(
    r"^[\-\u2022*]?\s*(?:(?:however|but|and|also|then),?\s+|to [^,]{1,60}, )?"
    r"(?:(?:if|when|once|unless|until|before|after) )?(?:a|an|the|any|each)"
    r" (?:foreign |international "
    r"|non-us |xxnoncit )?(?:medical )?(?:doctor|physician|medical graduate|foreign national"
    r"|img|fmg)\b(?!\s*:)"
)
# ... but a requirement, or what the program does with them, is the program's own
# ("IMGs must hold a J-1 visa", "... may be considered for H-1B sponsorship") -- unless
# it is said of a share of them ("Most of those IMGs require visa sponsorship"): a
# program's rule is for all its applicants.
POPULATION_REQUIRED = re.compile(
    r"\bmust\b|\brequired?\b|\bneed(?:s)? to\b|\bhave to\b|\bshould\b"
    r"|\b(?:be|are|is) (?:considered|sponsored|accepted|offered|eligible|welcomed?|ranked"
    r"|interviewed|invited)\b"
    # ... or what the program asks of them ("IMGs are encouraged to seek ECFMG sponsorship")
    r"|\b(?:are|is) (?:strongly )?(?:encouraged|advised|expected|asked) to\b"
)
# A training place named indefinitely ("to participate in a residency program",
# "any US residency"): what holds for physicians in general, not this program.
ANY_PROGRAM = re.compile(
    r"\b(?:to|in|into|for|at|enter|join|start|begin|complete|do|pursue|finish) (?:an?|any) "
    r"(?:(?:u\.?s\.?|american|acgme[\- ]accredited|accredited|graduate medical|medical)\s+)*"
    r"(?:residency|fellowship|training) programs?\b"
    # ... or sought by the reader ("Secure a residency position that offers H-1B sponsorship";
    # not the program's "To be eligible for a fellowship position, applicants must ...")
    r"|\b(?:secure|find|get|land|seek) (?:an?|any) (?:[a-z\-]+ )?(?:residency|fellowship"
    r"|training) (?:programs?|positions?|spots?)\b"
)
# General facts about visas, true of no program in particular: shares of physicians,
# how many kinds of visa or route there are, the most common one, the sole sponsor.
GENERAL_FACTS = re.compile(
    r"\b\d+ ?(?:%|percent) of\b|\bmost common\b|\bcommon (?:pathway|route|path)\b"
    r"|\b(?:two|three|four|several|various|different|many|multiple) (?:main |primary |basic "
    r"|possible |major |common |nonimmigrant |immigration )?(?:types|kinds|categories|classes"
    r"|options|pathways|routes|statuses|ways|xxvisa)\b"
    r"|\bxx(?:j1|h1b) categories\b|\bthe main (?:[a-z\-]+ )?(?:options|pathway|route|xxvisa)\b"
    r"|\b(?:sole|designated|official) (?:[a-z0-9\-]+ ){0,3}sponsor\b"
    r"|\bthe only (?:(?!to\b)[a-z0-9\-]+ ){0,2}sponsor\b(?!s? xx)"
    r"|\bpreferred (?:visa )?(?:option|choice|route) of\b"
    # statistics ("34.5% sponsored H-1B"), comparisons of the visas ("J-1 vs H-1B",
    # "less common in residency", "easier to obtain than the H-1B")
    r"|(?:^|\b(?:while|whereas|and|but) )\W*\d+(?:\.\d+)? ?(?:%|percent\b)"
    # ... their sources and national counts ("a 2017 report analyzing Labor Department
    # data", "10,000 residency spots filled by H-1B holders")
    r"|\b(?:a|the|one|this|that|recent) (?:\d{4} )?(?:report|study|survey|analysis)\b"
    r"|(?<![$\d,])\b\d{1,3}(?:,\d{3})+\b"
    # what physicians usually need, advice to an employer ("your facility"), a visa's
    # extension ("no extension of H-1B status past six years")
    r"|\b(?:typically|usually|generally|normally|often) needs?\b"
    r"|\byour (?:facility|organization|organisation|practice|clinic|company)\b"
    r"|\bextensions? of (?:the |your |their )?xx(?:h1b|j1|visa)\b"
    # rankings of sponsors, and the sponsor's designation ("among the top H-1B sponsors",
    # "designated by the Department of State as visa sponsor for all J-1 physicians")
    r"|\bamong the (?:top|largest|biggest|leading|most)\b"
    r"|\bdesignated by the (?:u\.?s\.? )?(?:department of state|state department)\b"
    # the visa as a category of the law ("The H-1B category ... is often the only ...")
    r"|\bthe xx(?:h1b|j1)(?: visa)? (?:category|classification)\b"
    r"|\bxx(?:j1|h1b|visa)\s+(?:vs\.?|versus)\s+xx|\b(?:more|less|least) common(?:ly)?\b"
    r"|\b(?:easier|harder|simpler|cheaper|faster|slower|more (?:difficult|complex|expensive)"
    r"|less (?:difficult|complex|expensive))\b|\b(?:better|worse) xxvisa\b|\bunlike\b"
    # how long a visa lasts, when it may be filed ("limited to seven years", "the earliest
    # an H-1B petition can be filed")
    r"|\b(?:limited|restricted) to (?:a (?:maximum|total) of )?(?:\d+|one|two|three|four|five"
    r"|six|seven|eight|nine|ten) years?\b|\bthe (?:earliest|latest|soonest)\b"
)
# Reported speech, as news gives it ("the American Hospital Association added that
# hospitals depend on the H-1B program"): another's words, unless the program's own.
REPORTED = re.compile(
    r"\b(?:said|says|added|adds|argued|argues|warned|warns|cautioned|cautions|told|contends"
    r"|contended|estimated|estimates|claimed|claims|swears?|swore|tells?|hears?|heard)\b"
    r"(?: [a-z]+)?,? (?:that\b|[\"\u201c])"
    # ... or a line quoted after a colon ("You hear the line every IMG dreads: 'We prefer J-1s.'")
    r"|\bthe (?:line|answer|reply|response)\b[^\"\u201c]{0,60}:\s*[\"\u201c]"
)
# A quotation -- someone else's words --, closed or running to the end of a clause cut inside it.
QUOTATION = re.compile(r"[\"\u201c][^\"\u201c\u201d\n]{0,400}(?:[\"\u201d]|$)")
# A sponsor named by its role, either of two ("the hospital or institution can sponsor
# your H-1B", "sponsored by the residency employer or program"): any sponsor.
EITHER_SPONSOR = re.compile(
    r"\b(?:hospital|institution|employer|program|university)s? or (?:the |a |an |your )?"
    r"(?:hospital|institution|employer|program|university)s?\b(?! (?:of|at) (?:our|the|its)\b)"
)
PROGRAM_SUBJECT = re.compile(
    r"\b(?:we|our|this program|the program|the residency|the fellowship"
    # (not a government's: "the Department of State")
    r"|the department(?! of (?:state|labor|homeland security|health and human services))"
    # (GME as the speaker, not as a field: "a clock few people outside GME see", "after
    # finishing GME")
    r"|the hospital|the institution"
    r"|(?<!outside )(?<!beyond )(?<!finishing )(?<!completing )(?<!complete )(?<!finish )"
    r"(?<!in )(?<!into )(?<!in us )(?<!in u\.s\. )(?<!during )gme(?! programs)"
    r"|the medical center|the university"
    r"|the division)\b"
)
# Words that make a group of programs this institution's own ("some of our programs").
_OWN = r"(?:of|our|the|its|their|these|this|your|my)\b"
# Programs and the bodies that run them, in the plural.
_INSTITUTIONS = (
    r"(?:programs|hospitals|institutions|employers|universities|schools|systems"
    r"|cent(?:er|re)s|practices|organi[sz]ations|facilities|clinics)"
)
# Programs counted ("many programs", "several top programs", "many health systems") are
# other programs:
# at the start of a clause, or as the subject after a connective ("..., which is
# why several top programs do not accept the H-1B").
_COUNTED_PROGRAMS = (
    r"(?:(?:the|a) (?:majority|minority|handful|number) of\s+"
    rf"|(?:many|most|some|other|few|several|certain|numerous)\s+)(?:(?!{_OWN})[a-z0-9\-.]+\s+){{0,3}}"
    rf"{_INSTITUTIONS}(?! of (?:our|the|its))\b"
)
# "All programs" is other programs only with a word that puts them elsewhere ("all
# community programs"); "All ACGME-accredited programs at ..." is the institution's.
_ALL_PROGRAMS = (
    r"all\s+(?:(?:residency|training|academic|teaching|other|community|university|[a-z]+-based"
    r"|rural|urban|smaller|larger|private|public)\s+)?(?:programs|hospitals|institutions"
    r"|employers|universities|schools)(?! of (?:our|the|its))\b"
)
# A program named indefinitely ("if a program sponsors the H-1B, ...", "when a hospital
# lists 'J-1 and H-1B accepted'"): any program, not this one.  ("Each program decides"
# is left alone: on a GME page it leaves the H-1B to each program, a limited stance.)
_SOME_PROGRAM = (
    r"(?:a|an|any)\s+(?:(?!(?:of|our|the|its|this)\b)[a-z\-]+\s+){0,2}"
    r"(?:program|hospital|institution|employer|cent(?:er|re)|position)\b"
    # (a program's people or papers are not the program: "if a program director ...")
    r"(?!['\u2019\-]|\s+(?:director|coordinator|manager|administrator|leadership|office"
    r"|staff|policy|policies|officials?)\b|\s+(?:of|at)\s+(?:our|the|its)\b)"
)
# Visitor visas by name, in a page's own words (verdict._names_visitor_visas) or in the
# classifier's (ALWAYS_OFF_TOPIC, where a visa is "xxvisa").
_VISITOR_VISA_NAMES = (
    r"\bb-?1 ?(?:/|or|and) ?b-?2\b|\bb-?[12] (?:visitor )?(?:xx)?visas?\b|\besta\b"
)
VISITOR_VISAS = re.compile(
    rf"(?i:{_VISITOR_VISA_NAMES}|\b(?:visitor|tourist|business)(?:'s)? visas?\b)"
)
# ... on a page for visitors, not trainees.
VISITING_PAGE = re.compile(
    r"(?i:\bobserver(?:s|ships?)?\b|\bvisiting (?:students?|physicians?|scholars?|"
    r"professors?|residents?|fellows?|clinicians?)\b|\belectives?\b|\bvisitors?\b"
    r"|\bclerkships?\b|\bshadowing\b)"
)
# A program's people and the program itself, in any case: a page naming none of them
# and talking of visas in general is an explainer (verdict._without_general_talk).
PROGRAM_ANCHOR = re.compile(
    r"(?i:\b(?:applicants?|candidates?|residents|fellows|trainees|house ?staff|house officers?"
    r"|appointees|interns|(?:the|this|our) (?:program|residency|fellowship|department|division"
    r"|hospital|institution|medical center|university|gme office)|gme)\b)"
    # ... or a program's name as a line of its own ("Internal Medicine Residency Program")
    r"|^(?:[A-Z][\w&,.'\-]*[ \t]+){1,8}(?:Residency|Fellowship)(?:[ \t]+Program)?[ \t]*$", re.M)
# A heading: a short line that ends in no sentence's punctuation ("Visa Information",
# "J-1 Waiver Options for Physicians"); it opens a section of the page.
HEADING = re.compile(r"^[ \t]*[A-Z0-9][^.!?:;]{0,80}$")
# A page's own voice: the program (or its institution) speaking of itself (not a nation's
# "our immigration laws").
# (Case matters: "us" is the program, "US" the country.)
OWN_VOICE = re.compile(
    # (every alternative starts a word with one of these letters: checking that first lets
    # the scan of a long line skip most places three times faster)
    r"\b(?=[WwOoUuTtDdCcNnEeAaPp])(?:"
    r"\b(?:[Ww]e|WE|(?:[Oo]ur|OUR)(?! (?:country|nation|immigration|government|laws?|economy"
    r"|society|health ?care system)\b)|us"
    r"|[Tt]his (?i:program|residency|fellowship|hospital|institution|department|division"
    r"|medical center|university))\b"
    # ... or a question put to the program, on its own FAQ ("Do you sponsor visas?"; not
    # the reader's "Can you get an H-1B?")
    r"|(?i:\b(?:do|does|will|would|can) (?:you|your (?:program|residency|fellowship|institution"
    r"|hospital))(?: \w+){0,2} (?:sponsor|accept|offer|support|take|consider)\b)"
    # ... or the program greeting its applicants ("Thank you for your interest in the
    # Thoracic Surgery Fellowship Program")
    r"|(?i:\bthank you for (?:your )?(?:interest in|considering|applying to)\b)"
    # ... and in Spanish: "nuestros residentes", "el programa", "aceptamos", "patrocinamos"
    r"|(?i:\b(?:nuestr[oa]s?|nosotros|el programa|(?:acept|patrocin|auspici|consider|apoy)amos"
    r"|ofrecemos)\b))"
)
# A program or institution speaking of itself in the third person, by its name or
# as "the program" ("Mercy Hospital sponsors J-1 visas only", "The Institution does
# not sponsor H-1B visas", "The program sponsors J-1 visas only"): a policy
# document's voice, the subject right before its verb.
_NAME_WORD = (
    r"(?:(?:of|and|at|for|the|in) )?"
    r"(?!(?:ECFMG|USCIS|DHS|IMGs?|FMGs?|[HJ]\W?1\w*|O-1\w*|US|U\.S"
    # (a pronoun or a determiner is no name: "- It requires passing Step 3 ...")
    r"|It|Its|This|That|These|Those|They|Their|There|He|She|You|Your|We|Our|Each|Every|Any"
    r"|Some|Many|Most|All|No)\b)[A-Z][\w&'\-]*[.,]? "
)
NAMED_SPEAKER = re.compile(
    rf"(?:^[\-\u2022*]?\s*|[.;:]\s+|\s[\u2013\u2014\-]\s+)"
    # (a bare common noun is no name: "Program sponsors H-1B: they want high scores" is
    # any program, as a heading of advice gives it)
    r"(?!(?:Programs?|Residency|Fellowship|Hospitals?|Institutions?|Departments?|Divisions?"
    r"|Universit(?:y|ies)) (?:sponsors?|accepts?|offers?|supports?|welcomes?|considers?"
    r"|requires?|cannot|will|does|do|can|is|only)\b)"
    # (also by its office: "The hospital's Graduate Medical Education Office sponsors")
    # (the noun "sponsor" is no verb: "the sponsor is ECFMG", nor is an adjective: "The
    # sponsoring facility must ...")
    r"(?:[Tt]he (?!sponsor(?:s|ing)?\b)(?:(?i:hospital|university|institution|medical center"
    r"|health system)"
    r"['\u2019]s )?|"
    rf"{_NAME_WORD})(?:{_NAME_WORD}){{0,5}}"
    r"(?:(?i:program|residency(?: program)?|fellowship(?: program)?|department|division|hospital"
    r"|institution|medical center|university|gme office) )?"
    # (an adverb may come between: "The program primarily sponsors", "also sponsors")
    r"(?:(?:also|currently|now|only|primarily|mainly|rarely|routinely|generally|typically"
    r"|usually) )?"
    r"(?:(?:does|do|will|can|may)(?: not|n['\u2019]t)? |is (?:not |un)?(?:able to )?)?"
    r"(?:sponsor(?:s|ing)?|accepts?|offers?|supports?|welcomes?|considers?|requires?|prefers?"
    r"|provides?|cannot|will not|does not)\b"
    # ... and "the program" (not a name) with a few words before its stance ("The program
    # is able to sponsor", "The department provides sponsorship", "The program may consider")
    # (also as "Neither the hospital nor the program sponsors"; not after a leading phrase
    # and a comma, which an explainer writes too: "Alternatively, the residency program
    # itself may sponsor the foreign medical graduate"; nor of any physician)
    r"|(?:^[\-\u2022*]?\s*(?i:neither )?|[.;:]\s+|\bnote that )"
    r"(?i:the (?:residency |fellowship )?(?:program"
    r"|department|division|institution"
    r"|hospital|health system|medical center|gme office|office of graduate medical education"
    r"|graduate medical education (?:office|committee)))"
    r" (?i:(?:[\w\-'\u2019,]+ ){0,4}?(?:sponsor\w*|accept\w*|offer\w*|support\w*|consider\w*"
    r"|provides sponsorship|declin\w*|fil(?:e|es|ing)|reviews|is open))\b"
    r"(?! (?i:the|a|an) (?i:foreign |international )?(?i:medical graduate|physician|doctor|img"
    r"|fmg)\b)"
)
# A fact-sheet line that answers for the page ("Visa sponsorship: J-1 only", "Visas
# accepted: J-1, H-1B"); an explainer's definition list keys on the visa instead.
ANSWER_KEY = re.compile(
    r"^\W*(?:(?:visa|visas|visa sponsorship|sponsorship|visa status(?:es)?|visa types?"
    r"|(?:visas?|visa types?) (?:accepted|sponsored|offered)|accepted visas?|sponsored visas?"
    r"|(?:eligibility|application|applicant) (?:requirements?|criteria)|eligible applicants"
    r"|eligibility|requirements?|citizenship(?: requirements?)?"
    r"|(?:immigration|residency|legal) status|international (?:applicants|graduates))"
    r"\s*(?:\([^)]*\))?"
    r"|(?:h-?1b|j-?1)(?: visa)? (?:sponsorship|sponsored|accepted))\s*[:?]"
    # ... or a yes or no beside a visa ("H-1B: No", "J-1 visa - yes")
    # ... or any fact-sheet key that names a visa or sponsorship, with its value
    # ("Sponsors H-1B visas: No", "Accepts applicants requiring visa sponsorship: Yes (J-1)")
    # (a key of programs in general is a title: "Visa-sponsoring residency programs: J-1")
    r"|^(?![^:]*\bprograms\b)\W*[^:.]{0,50}\b(?:visas?|sponsor\w*|h-?1b?|j-?1)\b[^:.]{0,30}:"
    r"\s*(?:yes|no|sí|si"
    r"|none|not\b|only|limited|case|j-?1|h-?1b?|u\.?s\.? citizen|permanent|green)\b"
    r"|^\W*(?:h-?1b?|j-?1)(?: visas?)?(?: sponsorship)?\s*[:\-\u2013]\s*(?:yes|no\b"
    r"|case[ \-]by[ \-]case|limited|(?:not )?"
    # (not a definition naming the visa's sponsor: "J-1 visa: sponsored by ECFMG for GME")
    r"(?:sponsored|accepted|available|offered))\b(?! (?:by|through)\b)",
    re.I,
)
# A program's rule in its own terms: what its applicants must have, or what is (not)
# sponsored ("Applicants requiring a visa must be eligible for the J-1", "H-1B visas are
# not sponsored", "H-1B sponsorship is available for residents who ...").
PROGRAM_RULE = re.compile(
    r"(?:\b(?:applicants|candidates|residents|fellows|trainees|house ?staff|appointees"
    r"|non-?u\.?s\.? citizens|non-?citizens|foreign nationals|(?:foreign|international) graduates"
    r"|(?:anyone|those|all) (?:accepted|appointed|selected|matched)"
    r"|(?<!what )(?<!how )(?:international medical graduates|imgs|fmgs|foreign medical graduates)"
    r"|(?:every|each) (?:[\w\-]+ )?(?:applicant|candidate|resident|fellow|trainee))\b"
    r"[^.;]{0,60}|^\W*)"
    r"\b(?:must|should|will need|are required|(?:may|can) (?:be|train|hold|enter|remain)"
    r"|(?:will|are|is)(?: not)? (?:be )?(?:considered|accepted|eligible|ranked|interviewed"
    r"|appointed|welcome)"
    r"|(?<=eligible applicants )(?:are|include))\b"
    # (a visa's holders: "Both H-1B and J-1 visa holders are eligible")
    r"|\bholders (?:are|is)(?: not)? (?:eligible|accepted|considered|welcome)\b"
    # (the visas themselves, perhaps with their sponsor: "J-1 visas sponsored by ECFMG are
    # accepted"; not "H-1B visa holders are ...")
    # (not visas counted: "More visas are offered than are normally used")
    r"|(?<!more )(?<!fewer )(?<!many )(?<!few )(?<!most )"
    r"\b(?:visas?|sponsorship|^\W*(?:an? |the )?[hj]-?1b?)(?: (?:sponsored|issued) (?:by|through)"
    r" [\w\- ]{1,30}?| (?:for|of) (?:the |an? )?(?:h-?1b?|j-?1)(?: visas?)?| \([^)]{1,40}\)"
    r"| other than (?:the )?[hj]-?1b?)?"
    r" (?:is|are|(?:may|can|will) be|(?:has|have) been) (?:(?:not|only|generally|usually"
    r"|currently|also|typically|rarely|sometimes|routinely|occasionally|seldom) )*"
    r"(?:sponsored|available|offered|decided|granted|determined|evaluated|reviewed|handled"
    r"|at the discretion|reserved|restricted|suspended|rare|unavailable|guaranteed"
    r"|limited(?! to (?:the )?(?:time|length|duration|term|period|maximum)\b)"
    r"|given|on a case|(?:no longer|extremely|very) (?:offered|limited|rare)"
    r"|provided|accepted|considered|welcomed?|possible|permitted|allowed|allowable|supported)\b"
    # a restriction in a program's terms ("J1 visa only", "accepts only J-1 visas", "limited
    # to physicians who are US citizens", "only IMGs who ... will be considered")
    r"|\bonly (?:an? |the )?(?:ecfmg[\- ]sponsored )?[hj]-?1b?\b|\b[hj]-?1b?(?: visas?)? only\b"
    # ... or a list item that names the visa and its treatment ("- J-1 Visa considered for
    # sponsorship")
    r"|^\W*[hj]-?1b?(?: visas?)? (?:considered|accepted|sponsored|offered|welcomed?)\b"
    r"|\b(?:is|are) limited to (?:(?:the )?(?:[hj]-?1b?|visas?)|(?:\w+ )?(?:physicians|applicants"
    r"|candidates|graduates|those|individuals|citizens|u\.?s\.?))\b|\bwill be considered\b"
    r"|\b(?:(?:is|are) )?required (?:for|of) (?:all )?(?:applicants|positions|candidates|residents"
    r"|trainees|fellows)\b|\bthe only (?:visas?|visa types?) (?:supported|accepted|sponsored"
    r"|offered)\b|\?\s*(?:yes|no|only)\b"
    # ... or hung on the program's own means ("H-1B sponsorship depends on departmental funding")
    r"|\bsponsorship (?:depends|is contingent|is subject)\b"
    # ... or a bare fact-sheet line ("No visa sponsorship.", "Green card holders and US
    # citizens only.")
    r"|^\W*(?:sorry,? )?no (?:visa |[hj]-?1b? )?(?:sponsorship|visas?)?\b[^.]{0,20}\W*$"
    r"|^\W*no [hj]-?1b?\W*$|\bonly\W*$"
    # ... or the program named as the sponsor ("sponsored by the Department of Medicine";
    # not "the hospital", which an explainer says of any),
    # its positions ("A limited number of H-1B positions"), what its sponsorship needs
    # ("H-1B sponsorship requires that Step 3 ..."), a bare requirement line ("Green card or
    # citizenship required."), or a position or holders it turns away
    r"|\bsponsored by (?:our|the (?:department|division) of)\b"
    r"|\b(?:h-?1b?|j-?1) positions\b|\bsponsorship requires\b"
    r"|^\W*(?:an? )?(?:green card|(?:u\.?s\.? )?citizenship|permanent residen\w+)"
    r"(?: or (?:[\w.]+ ){0,3}?(?:citizenship|green card|permanent residen\w+))? (?:is |are )?"
    r"required\b"
    r"|\bnot eligible for (?:visa )?sponsorship\b"
    r"|\bnot an? (?:visa|j-?1|h-?1b?)[\w\- ]{0,20}sponsoring (?:program|institution)\b"
    r"|\bholders (?:\([^)]{1,30}\) )?(?:are|is) not eligible\b"
    # ... or an invitation ("J-1 physicians sponsored by ECFMG are welcome to apply"), or a
    # bare fact-sheet line of what is available ("Limited H1B sponsorship available.")
    r"|\bwelcome to apply\b"
    r"|^\W*(?:limited |no )?(?:h-?1b?|j-?1|visa)(?: visa)? sponsorship (?:is )?(?:available"
    r"|offered|provided)\W*$"
    # ... or an entry under a program's name with no subject ("Sponsors J-1 and H-1B visas.")
    r"|^\W*(?:sponsors|accepts|offers|supports|does not (?:sponsor|accept|offer|support))\b",
    re.I,
)
# Programs of a kind ("community programs", "university hospitals").
_KINDS_OF_PROGRAMS = (
    r"(?:community|university|academic|private|rural|urban|smaller|larger) (?:programs|hospitals)\b"
)
OTHERS_AFTER = re.compile(
    rf"\b(?:why|because|since|so|as|while|whereas|although|though|with|as a result|therefore"
    rf"|thus|hence|that),? {_COUNTED_PROGRAMS}"
    rf"|\b(?:when|if|once|unless|whether|why|because|since|while|whereas|although|though)"
    rf" {_SOME_PROGRAM}"
    # ... or one the reader seeks ("I want to join a hospital that will sponsor a J-1")
    rf"|\b(?:join|find|choose|pick|seek|look for|match (?:at|with|into))\s+{_SOME_PROGRAM}"
    # ... or the subject after a leading clause ("if you have not taken Step 3, most
    # H-1B-sponsoring programs will not rank you")
    rf"|[,:;(]\s*(?:{_COUNTED_PROGRAMS}|{_KINDS_OF_PROGRAMS})"
    # "one reason is that not every residency program has the experience to sponsor"
    r"|\bnot (?:all|every) (?:(?!(?:of|our|the|its|this)\b)[a-z0-9\-]+ ){0,2}(?:programs?"
    r"|hospitals?|institutions?|employers?)\b(?! (?:of|at|in) (?:our|the|its|this)\b)"
    # "... programs can be excellent, and many are open to H-1B sponsorship"
    r"|,\s*and (?:many|most|some|few|several)(?: of them)? (?:are|do|will|can|sponsor|accept"
    r"|offer|prefer)\b"
    # ... or what ECFMG does, after a leading clause ("... must be met before ECFMG can issue
    # the J-1 documents")
    r"|\b(?:before|until|after|once|when|so that) (?:the )?ecfmg (?:can|will|may|could|would)\b"
)
OTHER_SUBJECT = re.compile(
    rf"^[\-\u2022*]?\s*(?:however,? |but |and |note:? |while |whereas |although |though )?"
    rf"(?:(?:only|just|very|quite|relatively) )?(?:{_COUNTED_PROGRAMS}"
    # a share of the programs just named ("..., a smaller but important subset offer H-1B")
    r"|(?:an? )?(?:[a-z]+ ){0,3}(?:subset|minority|fraction)\b(?! of (?:our|the|its|this)\b)"
    rf"|{_ALL_PROGRAMS}|{_SOME_PROGRAM}"
    # programs in general, by a bare plural with a word of frequency ("IMG-friendly
    # programs are generally visa-conscious", "residency programs usually prefer ...")
    rf"|(?:(?!{_OWN})[a-z0-9\-]+ ){{0,3}}(?:programs|hospitals|institutions|employers)"
    r" (?:are |do |will )?(?:generally|usually|typically|often|commonly|mostly|rarely|seldom"
    r"|tend)\b"
    # the programs just named, counted ("Community programs ...; many are open to H-1B")
    r"|(?:many|most|some|(?:very |a )?few|several)(?: of them)?"
    r" (?:only |also |still |even |now )?(?:are|do|don't|do not|will|won't"
    r"|can|sponsor|accept|offer|prefer)\b"
    r"|(?:residency\s+)?programs (?:that|which) (?:do not |don't |will not |won't )?"
    r"(?:sponsor|accept|offer)\b"
    rf"|{_KINDS_OF_PROGRAMS}"
    r"|(?:the\s+)?ecfmg\b(?!\s+xx|-)|uscis\b"
    r"|(?:the\s+)?(?:u\.?s\.?\s+)?educational commission for foreign medical graduates\b"
    r"|(?:the\s+)?(?:federal\s+)?government\b|(?:the\s+)?employers?\b|others\b"
    # the law's agencies ("the INS imposes this requirement on physicians ...")
    r"|(?:the\s+)?(?:(?:immigration|xxvisa) and nationality act|ina|law|statute"
    r"|regulations?)\b"
    r"|(?:the\s+)?(?:u\.?s\.?\s+)?(?:ins|dhs|department of (?:state|labor|homeland security)"
    r"|state department"
    r"|immigration (?:service|authorities|officers?|law))\b)"
    # applicant-side advice anywhere in the clause: "... before applying to
    # programs that sponsor it" speaks of programs in general
    r"|\bappl(?:y|ying) (?:only )?to (?:the )?(?:residency )?programs (?:that|which)\b"
    # ... or asks which ones do ("it is your job to find out which programs sponsor it")
    r"|\b(?:which|what) (?:residency )?programs (?:sponsor|accept|offer|support)\b"
    # programs picked out by what they do ("a list of all programs in the US that
    # sponsored J-1 and H-1B visas"), not the institution's own ("our programs that ...")
    r"|(?<!\bour )(?<!\bits )(?<!\bthe following )\bprograms (?:in the (?:us|u\.s\.?|united states"
    r"|country) )?(?:that|which) (?:sponsor|accept|offer|support)(?:s|ed)?\b"
)
# A clause that goes on speaking of them ("Several top programs do not accept the
# H-1B. They accept the J-1 ...").
THEY_START = re.compile(
    r"^(?:(?:because|since|as|and|but|so|however|instead|rather),?\s+)*"
    r"(?:they|(?:these|those|such) (?:programs|hospitals|institutions)"
    # ... or a clause with no subject of its own ("Such programs are visa-conscious, will
    # offer the H-1B ...")
    r"|(?:will|would|can|could|may|might|must|should|also|often|usually|generally|typically"
    r"|tend)(?! be\b)"
    # ... or only denies what they do not take ("Many community hospitals sponsor only the
    # J-1, not the H-1B")
    r"|not(?= (?:the |an? )?xx)"
    # ... or says it holds for some of them ("this is especially true of the more
    # prestigious university programs, which ...")
    r"|this is (?:especially |particularly |also |even more )?true (?:of|for))\b"
)
# ... but "All residency programs sponsor the J-1" and "All other programs accept
# J-1 visas only" (on a GME page) state the institution's own policy: no general
# truth is phrased that way.
ALL_PROGRAMS_POLICY = re.compile(
    r"^all (?:other )?(?:(?:residency|fellowship|training|gme|our) )?programs"
    r" (?:sponsor|accept|offer|support)s?\b"
)
COSTS = re.compile(
    r"\bpay\b|\bpays\b|\bpaid\b|\breimburs|\bpremium processing\b|\bcosts?\b|\bexpenses?\b"
    r"|\bfees?\b|\battorneys?\b|\blegal\b|\bmoonlight|\bincome\b|\bfinancially\b"
)
HEDGE_NEG = re.compile(
    r"\b(?:generally|usually|typically|normally|routinely|as a rule|in most cases)\b"
)
EXCEPT = re.compile(
    r"\b(?:other than|except(?: for)?|besides|aside from|apart from|with the exception of"
    r"|excluding|beyond)\b"
)
CONDITIONAL_NEG = re.compile(
    r"\bunless\b|\buntil\b"
    r"|\b(?:who|that)\s+(?:have|has)\s+not\s+(?:yet\s+)?(?:passed|taken|completed)"
    r"|\bwithout\s+(?:having\s+)?(?:passed|passing|completed|completing)\b"
)

# "Without a license, a visa is not an option", "we cannot sponsor a J-1 without ECFMG
# certification": what cannot happen without a condition is a condition, not a refusal
# (unless the condition is a status or a visa: "applicants without a green card ...").
# Those without a visa turned away: the visa is required ("Applicants ... who list no
# J-1 visa on the application will not be considered"; "Candidates without a J-1 visa
# are not eligible").
EXCLUDED_WITHOUT = re.compile(
    # (also a clause cut off at "and do not ...", its subject left in the clause before)
    r"(?:\b(?:without|lacking|who (?:\w+ ){0,2}no)|(?:\b(?:who|and) |^)(?:do|does) not "
    r"(?:\w+ ){0,2}(?:have|hold|list|possess|obtain))\s+(?:an? |the |any )?(?:valid |current )?"
    r"xx(?:j1|h1b|status)\b(?: visa)?[^.;]{0,80}?\b(?:will|would|can|could|are|is|may)"
    r"(?: not|n't) (?:be )?(?:considered|accepted|interviewed|ranked|eligible|appointed)\b"
)
WITHOUT_CONDITION = re.compile(
    r"\bwithout (?:(?:an?|the|your|their|having|any|prior|valid|current|passing|passed"
    r"|completed|completing|first)\s+)*+(?!xx(?!step3))"
    # (not "without exception", "without limitation", "without the need for sponsorship")
    r"(?!(?:limitation|exception|need|requir|regard|restriction|sponsor(?:ship|ed|ing)|further"
    r"|reservation)"
    r")[a-z]"
)

# --- clauses, time, scope ----------------------------------------------------

# Where a sentence is cut into clauses: contrastive joints, and "and" starting
# a new verb phrase ("accept J-1 visas and do not sponsor H-1B").
CLAUSE_SPLIT = re.compile(
    # ("possible but limited" is one restricted predicate, not two clauses)
    r";|\s+but\s+(?!(?:very\s+)?(?:limited|rare|restricted|uncommon)\b)|,?\s*however,?\s+|\s+whereas\s+|\s+although\s+|^although\s+|\s+though\s+"
    r"|\s+while\s+(?!\w+ing\b)|\s+yet\s+"  # (not "while holding a J-1")
    # (not after a word it corrects: "the visa is supported, not sponsored")
    r"|(?<!supported)(?<!accepted)(?<!welcomed)(?<!allowed)(?<!permitted)"
    r"[,.]\s+(?=(?:but\s+)?not\b|no xx(?:h1b|j1)\b(?! ?,))"
    # a parenthesis that denies or has its own subject: "J-1 (we do not sponsor H-1B)"
    r"|\s*\((?=(?:no|not|but not|we|our|the program|this program)\b"
    # ... or that denies further in ("or hold an H-1B (Pine Rest does not sponsor H-1B)")
    r"|[^()]{0,60}\b(?:not|n't|cannot)\b)"
    # a sentence that denies, run into a list item ("..., or a J-1 visa. MD Anderson does
    # not offer H-1B visas"): its own clause
    r"|\.\s+(?=[^.]{0,60}\b(?:does|do|will|can|is|are)(?: not|n't)\b|[^.]{0,60}\bcannot\b)"
    r"|,\s+(?:and\s+|as\s+|since\s+|because\s+)?"
    r"(?=(?:we|our|the program|this program|the hospital|the department|it|they)\b)"
    r"|\s+and\s+(?=(?:we\s+|it\s+|they\s+)?(?:do|does|did|will|would|can|cannot|could|are|is|may"
    r"|must|also|currently|no longer|not|still|continues?|hopes?|plans?|intends?|aspires?)\b)"
    # ... or a second stance verb of the same subject ("sponsors no visas and accepts only
    # J-1 status": the denial does not reach the second verb's visas)
    r"|(?:(?<=xxvisa)|(?<=xxj1)|(?<=xxh1b)|(?<=xxstatus)|(?<=sponsorship))"
    r",?\s+and\s+(?=(?:only\s+)?(?:accepts?|sponsors?|offers?|supports?|takes?|considers?"
    r"|welcomes?)\b)"
    r"|,\s+(?=only\b)|\s+[\u2014\u2013]\s+|\s+-\s+"
    # "ECFMG sponsors J-1 visas and the institution sponsors H-1B": a new subject
    r"|\s+and\s+(?=(?:the (?:institution|hospital|program|department|university|gme office)"
    r"|our (?:program|institution|hospital)) (?:[a-z]+ )?(?:sponsors|accepts|offers|supports"
    r"|files|does|will|can|cannot|is)\b)"
    # a comma splice before a new subject ("..., J1 visa applicants are welcome")
    r"|,\s+(?=xx(?:j1|h1b)(?: [a-z]+){0,2} (?:are|is|will|may|can|should)\b)"
    # "Whilst the hospital sponsors H-1B for its faculty, residents ... must hold a J-1":
    # an opening "while / whilst" clause ends at a comma before a trainee subject
    r"|^(?:while|whilst)\s+|\s+whilst\s+"
    r"|,\s+(?=(?:our |all |the )?(?:residents|fellows|trainees)(?: [a-z]+){0,3}"
    r" (?:must|are|will|need|should)\b)"
)
# Between "key: value" pairs on one line ("J-1: Yes / H-1B: No").
PAIR_SEPARATOR = re.compile(r"\s+[/|]\s+|\s+(?=xx(?:h1b|j1)\s?:)")
# A clause that re-affirms the one before it ("..., and it continues to do so").
REAFFIRM = re.compile(
    r"\b(?:continues? to (?:do so|sponsor|offer|support|accept)|still (?:does|do|sponsors?"
    r"|offers?|accepts?)|to this day|(?:do|does|did) so)\b"
)
# A denial scoped to some positions ("not sponsored for PGY-1 positions"),
# which leaves the visa open for the others.
SUBGROUP_SCOPE = re.compile(
    r"\b(?:for|to|in) (?:the |our |all |incoming |entering |new )?(?:pgy[ \-]?[1-8]"
    r"|preliminary|categorical|advanced|transitional|intern(?:s|ship)?|first[ \-]year"
    r"|research[ \-]track)\b"
)
# People an exception is made for ("not ... except for applicants who ...").
PEOPLE = re.compile(
    r"\b(?:applicants?|candidates?|graduates?|those|who|residents?|fellows?|physicians"
    r"|individuals|trainees)\b"
)
# Holders of an H-1B: an acceptance of them is not a sponsorship of new ones.
H1B_HOLDERS = re.compile(
    rf"\b{H} (?:visa )?holders?\b|\b(?:hold|holds|holding) (?:an? |a valid |valid )?{H}"
    rf"|\b(?:have|has|having|possess|possesses) (?:an? |a valid |a current |valid |current ){H}"
)
SPONSOR_VERB = re.compile(r"\bsponsor|\bpetition|\bfil(?:e|es|ed|ing)\b|\bsupport")
APPLY = re.compile(r"\bapply\b|\bconsidered\b|\bwelcome\b")
# The condition of a conditional offer denied ("GME sponsors visas only for
# hard-to-fill positions." / "Our residency positions do not meet this standard."),
# said of positions or programs, not of applicants.
CONDITION_UNMET = re.compile(
    r"\b(?:not|n't|never) (?:\w+ )?(?:meet|meets|satisfy|satisfies|qualify|fulfil+)\b"
    r"|\bnot (?:considered |deemed |classified as |designated as )?hard[ \-]to[ \-]fill\b"
)
CONDITION_SUBJECT = re.compile(
    r"\b(?:positions?|programs?|residenc(?:y|ies)|fellowships?|specialt(?:y|ies)|gme"
    r"|graduate medical education)\b"
)
# A denial whose verb lost its object at the end of a clause ("International
# applicants must secure their own work authorization; the program does not sponsor.")
ELIDED_DENIAL = re.compile(
    r"\b(?:not|n't|cannot|unable to|never) (?:currently |presently )?(?:be )?"
    r"(?:sponsor|sponsored|offer|provide|provided)[ .!]{0,3}$"
)
# A conclusion ("..., so we are unable to sponsor visas").
CONSEQUENCE = re.compile(
    r"\b(?:so|therefore|thus|hence|consequently|accordingly|as a result|for this reason)\b"
)
# Who a clause speaks for, when a sentence sets the institution's policy against
# the program's own ("The university sponsors H-1B; this program accepts J-1 only").
# The clause opens with its subject, after an optional concessive conjunction.
_CONCESSIVE = r"^(?:although |though |even though |while |whereas |but |however,? )?"
SPEAKS_FOR_INSTITUTION = re.compile(
    _CONCESSIVE + r"(?:the |our )?(?:[a-z]+ )?(?:university|institution|hospital|health system"
    r"|medical center|sponsoring institution|school of medicine|college of medicine"
    r"|gme(?: office)?|graduate medical education(?: office)?)\b"
)
SPEAKS_FOR_PROGRAM = re.compile(
    _CONCESSIVE + r"(?:(?:this|our|the) (?:[a-z]+ )?(?:program|residency|fellowship"
    r"|department|division)|the department of)\b"
)
# Training groups a policy can be scoped to ("PGY-1 positions", "fellows").
GROUP = re.compile(
    r"\b(?:pgy[ \-]?[1-8]|preliminary|categorical|advanced|transitional|residents?|residency"
    r"|fellows?|fellowships?|interns?|internship|chief residents?|research (?:fellows?|track))\b"
)
# Titles of a section that is one program or track of a department page
# ("Categorical", "Pediatric Cardiology", "Physician-Scientist Track") -- but not
# a page-level title ("Visa Policy", "Institutional policy", "Our program").
SECTION_NAME = _compile(
    r"\btracks?\b|\bpathways?\b|\bprograms?\b|\bmedicine\b|\bsurgery\b|\bsurgical\b"
    r"|\bpediatrics?\b|\bpaediatrics?\b|\bcardiology\b|\bneurology\b|\bpsychiatry\b"
    r"|\bradiology\b|\bpathology\b|\banesthesiology\b|\bdermatology\b|\boncology\b"
    r"|\bhematology\b|\bnephrology\b|\bgastroenterology\b|\bpulmonary\b|\bcritical care\b"
    r"|\brheumatology\b|\bendocrinology\b|\binfectious diseases?\b|\bgeriatrics?\b"
    r"|\bneonatal\b|\bneonatology\b|\bobstetrics\b|\bgynecology\b|\bob/?gyn\b"
    r"|\borthopa?edics?\b|\burology\b|\bophthalmology\b|\botolaryngology\b"
    r"|\bemergency\b|\ballergy\b|\bimmunology\b|\bpalliative\b|\bneurosurgery\b"
    r"|\bpm&r\b|\bpreventive\b"
)
SECTION_NOT = re.compile(
    r"\b(?:polic(?:y|ies)|gme|graduate medical|institution\w*|our|faq|questions"
    r"|eligibility|requirements?|overview|about|contact|apply|application)\b",
    re.I,
)
BOTH = re.compile(r"\b(?:both|either|them|these|all of them)\b")
# ... or the visas named before, by a word for visas ("We accept both visas", "either of these
# visa types")
BOTH_VISAS = re.compile(
    r"\b(?:both|either|these|those)(?: of (?:these|those|the))?(?: (?:types?|kinds?) of)? xxvisa\b"
)
LEADING_CONJUNCTION = re.compile(r"^(?:(?:but|and|however|yet|so|also)\b[\s,]*)+")
# A leading reason clause ("Because residents do not provide direct patient care,
# ...") gives a cause; its negation is not about visas.
REASON = re.compile(r"^(?:because|since|given that|as a result of|due to)\b[^,;]*,\s*")
# Subjects that are never a sponsorship policy, whoever the subject is.
# Words glued to "visa" where inline tags had no space between them
# ("<b>Visa</b><b>Sponsorship</b>" -> "VisaSponsorship").
GLUED_VISA = re.compile(r"\bvisa(?=(?:sponsorship|status|policy|policies|information|types?)\b)")
# A double negation accepts: "we do not refuse / never reject H-1B applicants".
NOT_REFUSE = re.compile(
    r"\b(?:do|does|did|will|would|shall)(?: not|n't| never) (?:refuse|reject|deny|decline"
    r"|turn down|exclude)\b|\bnever (?:refuses?|rejects?|denies|declines?|excludes?)\b"
)
# The visa got abroad: consulates and embassies, their appointments and interviews, wait
# times, travel (not the trainee's own appointment: "prior to appointment", "at the time of
# appointment", "selected for appointment", "a condition of appointment")
_CONSULAR = (
    r"\bconsulat|\bembass(?:y|ies)\b"
    r"|(?<!prior to )(?<!before )(?<!upon )(?<!for )(?<!of )"
    r"\bappointments?\b(?! (?:years?|period|dates?|start))"
    r"|\bwait times?\b|\bxx(?:visa|j1|h1b) interviews?\b|\btravel"
)
CONSULAR = _compile(_CONSULAR)
ALWAYS_OFF_TOPIC = _compile(
    # data collection ("visa status ... is collected for reporting purposes only")
    r"\b(?:collected|recorded|requested|gathered|asked) (?:\w+ )?for (?:\w+ )?"
    r"(?:purposes|reporting|statistics|statistical)\b|"
    r"\bmoonlight|\bxxdependant\b|\bspouses?\b|\bwaivers?\b|\blotter|\bnotify\b"
    # a study's statistics ("267 (63.7%) reported accepting J-1 visas", "(n=175)") and
    # counts from public data ("according to the latest USCIS data")
    r"|\baccording to (?:the )?(?:latest |recent |new |official )?(?:uscis|dol|labor department"
    r"|department of labor|government|federal|public) (?:data|figures|statistics|records)\b"
    r"|\b\d+\.\d+ ?%|\(n ?= ?\d+\)|\bodds (?:ratio|of)\b"
    # work beyond the training program is moonlighting by another name
    r"|\b(?:work(?:ing)?|employment|be paid) outside (?:of )?(?:the |their |your |his |her )?"
    r"(?:approved |training |residency |fellowship )?(?:program|training)\b|\bextramural\b"
    r"|\binsurance\b|\btax(?:es)?\b|\bsocial security\b|\bdriver|\bi-?797|\bds-?2019"
    # (a copy of the visa, not a copy of scores that a visa needs)
    r"|\bi-?20\b|\bupload|\bcop(?:y|ies) of (?:(?!xx)[\w\-]+ ){0,3}xx"
    # a visa's paperwork ("the appropriate J-1 request form(s)")
    r"|\bxx(?:visa|j1|h1b)(?: (?:request|extension|transfer|application|intake))? forms?\b"
    rf"|{_CONSULAR}"
    r"|\bvisa waiver\b|\bvisa waiver program\b"
    r"|\b(?:dinner|picnic|potluck|reception|party|gala|barbecue|happy hour)\b"
    # visitor and travel visas (for interviews, electives abroad, conferences)
    r"|\b(?:visitor|tourist|business|travel|entry|transit) xxvisa|\be- ?xxvisa"
    rf"|{_VISITOR_VISA_NAMES}|\binvitation letters?\b"
    # advice to the reader ("check whether each program sponsors H-1B")
    r"|\b(?:check|ask|find out|verify|confirm|research) (?:\w+ )?(?:whether|if)\b"
    # ... or a question left open ("it becomes a critical question whether the program
    # would sponsor a visa")
    r"|\b(?:question|asks?|asked|wonder(?:s|ing)?|unclear|unsure|uncertain) (?:of )?whether\b"
    # a question put to the applicant ("indicate on your application whether you will
    # require H-1B or J-1 sponsorship")
    r"|\b(?:indicate|specify|tell us|let us know|disclose)(?: \w+){0,4} (?:whether|if|which)\b"
    # news watch ("monitoring recent changes to H-1B regulations")
    r"|\b(?:monitor|follow|track)(?:s|ing)? (?:the |any )?(?:recent |latest |ongoing |proposed )?"
    r"(?:changes|developments|updates|news)\b"
    # practice after training where a waiver sends physicians ("employed in H-1B status at
    # a facility in an approved area", "in a designated HPSA, MUA or MUP")
    r"|\b(?:hpsa|mua|mup|hpsas|medically underserved|underserved areas?|shortage areas?"
    r"|approved areas?)\b"
    # the road to a green card after training ("H-1B holders may apply for a green card")
    r"|\b(?:apply|applying|petition|petitioning) for (?:an? |the |their |your )?xxstatus\b"
    r"|\badjust(?:ing|ment of)? (?:their |your )?status\b"
)
# Third parties offering visa services (a list of immigration lawyers).
THIRD_PARTY = re.compile(
    r"\b(?:attorneys?|lawyers?|law (?:firms?|offices?|group)|llp|pllc|esq)\b"
)
# H-1B for people who are not trainees ("for faculty", "for nurses").
NON_TRAINEE = re.compile(
    r"\bfor (?:(?:our|its|the|new|all|registered|foreign-educated|international)\s+)?"
    r"(?:faculty|nurses|nursing staff|employees"
    r"|staff members|researchers|research staff|postdoc\w*|attendings|attending physicians"
    r"|scientists|observers?|observerships?|externs?|externships?|visiting (?:students|scholars"
    r"|physicians)|rotating students|medical students)\b"
    r"|\bfaculty (?:members?|positions?|appointments?|hires|recruitment)\b"
    r"|\bregistered nurses?\b|\bnurse practitioners?\b|\bphysician assistants?\b"
    r"|\bnursing (?:positions?|roles?|jobs?|careers?|staff|team)\b|\bpharmacists?\b"
    r"|\b(?:physical|occupational|respiratory|speech) therapists?\b|\btechnologists?\b"
    r"|\ballied health\b|\bnurses\b"
    # visitors of a scholars' office ("if the incoming visitor will do clinical work")
    r"|\b(?:incoming|international|visiting|short[ \-]term|research) visitors?\b"
    # observers and externs as the subject ("Observers who require J1 visa sponsorship
    # should contact ...")
    r"|^(?:[\-\u2022*]\s*)?(?:international |visiting |foreign )?(?:observers?|externs?)\b"
    # an office that serves faculty and researchers ("assists faculty and researchers")
    r"|\bfaculty (?:and|or|&) (?:researchers|scientists|staff)\b"
    # former trainees ("many of our graduates go on to H-1B jobs")
    r"|\bour (?:graduates|alumni)\b|\balumni\b"
)
# Non-trainees named as such even beside a trainee word ("postdoctoral research
# fellows on J-1 research scholar visas").
NON_TRAINEE_STRONG = re.compile(
    r"\bpost-?doc\w*|\bresearch scholars?\b|\bvisiting (?:scholars?|professors?)\b"
    # the J-1's other categories ("in the researcher or scholar category")
    r"|\b(?:researcher|scholar|professor|student intern|short-term scholar)"
    r"(?: (?:or|and) (?:researcher|scholar|professor))? categor(?:y|ies)\b"
)
TRAINEE = re.compile(
    r"\b(?:residents?|residency|fellows?|fellowships?|trainees?|interns?|house ?staff|gme"
    r"|applicants?|candidates?)\b"
)
# A sentence that opens in a past year ("In 2019, ...", "From 1976 to 1991, ...").
PAST_YEAR = re.compile(
    r"^(?:in|since|during|from (?:19|20)\d\d (?:to|until|through)) (?:19|20)\d\d\b"
)
PAST = re.compile(
    r"\bpreviously\b|\bformerly\b|\bin the past\b|\bused to\b|\bprior years\b"
    r"|\buntil recently\b|\bhistorically\b|\b(?:in|until|through|before) (?:19|20)\d\d\b"
    r"|\blast year\b"
)
# Hopes and plans ("we hope to offer H-1B sponsorship in the future") are not a
# present stance; a negated future ("and will not in the future") still denies.
FUTURE = re.compile(
    r"\bhop(?:e|es|ed|ing) to\b|\bin the (?:near )?future\b|\baspir\w*|\beventually\b"
    r"|\bsomeday\b|\bwould (?:like|love) to\b|\bwork(?:s|ing)? (?:toward|towards)\b"
    r"|\b(?:exploring|looking into|investigating) (?:the )?(?:possibility|option|whether|ways)\b"
)
# A clause about one person ("Dr. Ortega ... is on a J-1 visa"; "she came on an
# H-1B") describes them, not the program's policy.  "he or she" is generic.
GENERIC_PERSON = re.compile(r"\b(?:he|his|him) ?(?:or|/) ?(?:she|her)\b|\bs/he\b")
PERSON_START = re.compile(r"^(?:dr\b|he\b|she\b|his\b|her\b)")
# "Now"/"currently" ends the reach of a sentence-initial past cue.
NOW = re.compile(
    r"\b(?:now|currently|today|at present|at this time|presently|no longer|still)\b"
    r"|\b(?:from|since|as of|beginning|starting|effective) (?:(?:in|with|for) )?(?:the )?"
    # (not a closed span of the past: "From 1976 to 1991, the law barred ...")
    r"(?:19|20)\d\d\b(?! (?:to|until|through) (?:19|20)\d\d)"
    r"|\bgoing forward\b|\bmoving forward\b|\bhenceforth\b|\bfrom now on\b"
    r"|\bwill (?:only |now |also |continue to )?(?:sponsor|accept|offer|support|consider|file)"
)
# A denial for new petitions only ("we do not file new H-1B petitions") leaves
# room for transfers: it is weaker than an explicit "only for current holders".
NEW_ONLY = re.compile(r"\b(?:new|first[ \-]time|initial)\b")
# "only for chief residents", "for fellows only": H-1B for a subgroup, unless
# the "only" introduces an ordinary condition (Step 3 passed, matched, eligible).
ONLY_SCOPE = re.compile(
    # ("only for chief residents"; also "only available / offered to ...")
    r"\b(?:only|solely|exclusively) (?:(?:available|offered|possible|provided|granted"
    r"|considered|sponsored|supported) )?(?:for|to|in|when|if|under|after|with)\b"
    r"|\b(?:for|to|in) (?:[a-z0-9\-]+ ){1,7}only\b"
)
CONDITION = _compile(
    r"xxstep3|\bpass|\beligib|\bqualif|\bmatch|\becfmg|\bcertif|\brequire|\bmeet"
)
STEP3_POLICY = re.compile(
    r"\bsponsor\w*|\bapplicants?\b|\bcandidates?\b|\bresidents?\b|\bwe\b|\bour\b"
    r"|\bconsidered\b|\brequest(?:s|ed)?\b|\bwish"
    # the program's own steps ("H-1B visas require Step 3 before ranking")
    r"|\brank|\bmatch\b|\binterview|\bappointment\b|\bstart date\b"
)
# What a physician does to have a visa, not what a program does with it.
GET_A_VISA = re.compile(r"\b(?:obtain|get|qualify|apply|eligib\w*)\b")
STEP3_PREFERENCE = re.compile(
    r"\bprefer|\badvantage|\bencouraged\b|\brecommended\b|\bstrengthens?\b|\bplus\b"
)
GENERAL_STEP3 = re.compile(
    r"\bpgy|\bend of\b|\bduring (?:residency|training|the)\b|\ball (?:residents|interns)\b"
    r"|\bgraduation\b|\bpromotion\b|\bsecond year\b|\bfirst year\b"
)
# Applicants' wishes, not the program's policy ("many applicants prefer the H-1B").
APPLICANT_WISH = re.compile(
    r"\b(?:applicants|candidates|students|graduates|imgs) (?:often |usually |strongly )?"
    r"(?:prefer|want|wish|ask about|hope)\b"
)
# A stance verb whose object is a pronoun for the visa named just before.
PRONOUN_OBJECT = re.compile(
    r"\b(?:sponsor|offer|support|provide|accept|file for)(?:s|ing)? (?:it|them)\b"
)
# A clause whose subject is the clause before it ("..., but this must be discussed").
POINTS_BACK = re.compile(r"^(?:but |and |however,? )?(?:this|that|it|which|such sponsorship)\b")
CONTINUATION = re.compile(
    r"^(?:is|are|was|were|do|does|did|will|would|can|cannot|could|may|must|not|also|currently"
    r"|no longer|only)\b"
)

# --- page structure: list titles, topics, rosters, line screens -------------

# Titles of a list whose items are read as the list's content ("Eligibility
# Requirements" over "ECFMG certificate" / "J-1 visa").
LIST_TITLE = re.compile(
    r"\b(?:requirements?|eligibility|criteria|qualifications?|prerequisites?|visas?"
    r"|sponsorship|we accept|accepted)\b",
    re.I,
)
# A clause's verb, to tell a sentence from a verbless fragment of a list
# ("U.S. citizen, permanent resident with a work permit, or J-1 visa holder.").
SENTENCE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|must|may|might|will|would|can|cannot|could|should|shall"
    r"|do|does|did|have|has|had|needs?|requires?|sponsors?|accepts?|offers?|supports?"
    r"|provides?|welcomes?|considers?)\b|n't\b"
)
# Keys and list items that name a topic rather than a visa the program takes
# ("Visa Resources: H-1B overview, J-1 guide").
TOPIC_WORDS = re.compile(
    r"\b(?:resources?|information|info|links?|guides?|faqs?|news|updates?|overviews?"
    r"|documents?|forms?|checklists?|timelines?|webinars?|explained|basics)\b"
)
# A table whose rows are people (a roster), not policies.
ROSTER = re.compile(r"\b(?:names?|photos?|alumni|current (?:residents|fellows))\b")
ANY_TOKEN = re.compile(
    r"visa|\b[hj](?: ?[\-.] ?| )?1|citizen|permanent resid|green[ \-]card|\bead\b"
    r"|authori[sz]|sponsor|exchange visitor|eligible to work|permanent immigrant",
    re.I,
)
# Cheap literal screens for lines worth reading (C-speed str.find); each
# screened line is then confirmed by ANY_TOKEN.  "EAD" is screened in the
# original case because "ead" is inside too many words.
SCREEN = (
    "visa", "sponsor", "citizen", "permanent res", "permanent immigrant", "green card",
    "green-card", "authori",
    "exchange visitor", "eligible to work", "h1", "h-1", "h 1", "h.1", "j1", "j-1", "j 1",
    " -1", "- 1",  # spaced hyphens ("H -1B", "J- 1"); ANY_TOKEN confirms the line
)


# --- cues moved here from the reading code (clauses, units, verdict) ---------

# (clauses.py)
# (not when the name after the mark is a key: in "J-1: \u2714 H-1B: \u2718" the mark
# answers the key before it)
MARK_NO = re.compile("(?:\U0001f6ab|\u274c|\u2716)\ufe0f? *(?=xx[a-z0-9]+\\b(?! ?:))")

# (clauses.py)
MARK_YES = re.compile("(?:\u2705|\u2714)\ufe0f? *(?=xx[a-z0-9]+\\b(?! ?:))")

# (clauses.py)
PERSON_TAIL = re.compile(
    r"\s*[—–-][^—–]{0,80}\b(?:md|do|mbbs|pgy-?\d|dr)\b[^—–]{0,40}$"
)

# (clauses.py)
AFFILIATION = re.compile(r"\(\s*ecfmg\s*\)")  # "J-1 (ECFMG)"

# (clauses.py)
STATUS_KEY = re.compile(
    r"^\s*(?:(?:current|immigration|visa|citizenship)\s+){1,3}status\s*:", re.I
)

# (clauses.py)
EXCEPT_OPENER = re.compile(rf"^(?:{EXCEPT.pattern})")

# (clauses.py)
PAST_START = re.compile(r"^\s*(?:in|since|during) (?:19|20)\d\d\b,?")

# (clauses.py)
TAIL_NOTE = re.compile(r"\s*\([^()]*$")

# (clauses.py)
# A clause that only names visas ("H-1B", "J-1 and H-1B visas").
BARE_NAMES = re.compile(r"^(?:xxh1b|xxj1)(?:,? (?:and |or |& )?(?:xxh1b|xxj1))?(?: visas?)?$")

# (clauses.py)
# "ECFMG does", "ECFMG sponsors it", "rather, ECFMG is the sponsor": after a clause
# denying that the program itself sponsors the J-1 (or visas).
ECFMG_DOES = re.compile(
    r"^(?:rather,? |instead,? )?(?:the )?(?:ecfmg|educational commission[a-z ]{0,40})"
    r"(?: (?:does|do|will)\b(?! not)| is (?:the|its) sponsor\b"
    r"| sponsors?(?: (?:it|them|the xxj1|xxj1|the visa|visas?))?$)"
)

# (clauses.py)
# "a J-1 or another qualifying visa": the list of accepted visas is left open,
# so naming the J-1 alone does not answer for the H-1B.
# A visa named as a key before an en or em dash, its value after it ("H-1B \u2013 case by
# case, Step 3 required", "J-1 \u2014 yes"): read as "H-1B: case by case".
# (an answer follows; not a sentence of its own: "J1 (ECFMG sponsored) \u2014 We are not ...")
VISA_KEY_DASH = re.compile(
    r"\b(xx(?:h1b|j1|visa)(?: \([^)]{0,40}\))?) [\u2013\u2014] (?=(?:yes|no|not|case|limited|only"
    r"|rarely|considered|sponsored|accepted|available|offered|possible)\b)"
)
OPEN_LIST = re.compile(
    rf"\b(?:or|and|and/or) (?:an? |any )?(?:other|another) (?:[a-z]+ )?{V}"
    # a preference ranks the visas, it does not list them all ("the preferred visa is
    # the J-1", "J-1 is the preferred training visa")
    r"|\bpreferred (?:[a-z\-]+ )?xx(?:visa|j1)\b|\bxxj1 (?:is|as) (?:the |our )?preferred\b"
)
# ... and a list of statuses that ends with any authorization to train ("must be U.S.
# citizens, lawful permanent residents, refugees, asylees, or hold the appropriate
# documentation allowing residents to train legally"): no status is required.
OPEN_STATUS = re.compile(
    r"\bor (?:hold |have |possess |present |otherwise )?(?:the |an? |other )?(?:appropriate"
    r"|valid|other|proper|necessary|required|legal) (?:[a-z]+ )?(?:documentation|documents"
    r"|authori[sz]ation|status)\b"
)
OTHER_VISAS = re.compile(rf"\bother (?:types? of |kinds? of )?{V}|\b{V} other than\b")

# (clauses.py)
VERBLESS_FOR = re.compile(
    rf"^(?:{H}|{J})(?: (?:and|or|&|/) (?:{H}|{J}))?(?: sponsorship)? (?:for|to) "
    r"(?:all |our |the |eligible |qualified )?"
)

# (clauses.py)
NOT_BY_AGENT = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:been\s+|be\s+)?ecfmgsponsored\b")

# (clauses.py)
WHO_CLAUSE = re.compile(r"\b(?:who|whom)\b[^;]*")

# (clauses.py)
# "H-1B visas, which many applicants ask about, are not ...": an aside.
WHICH_CLAUSE = re.compile(r"\bwhich\b[^,;]*")

# (clauses.py)
FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|isn't|aren't|will|won't|can|cannot|can't|do|does|don't|doesn't"
    r"|must|should|would|could)\b"
)

# (clauses.py)
LIST_SEPARATOR = re.compile(r",|;|/|&|\(|\)|\band\b|\bor\b|\bplus\b")

# (clauses.py)
LIMITED_TO = re.compile(r"\b(?:limited|restricted) to (?!xx)")

# (clauses.py)
H1B_ONLY = re.compile(
    rf"\b{H} only\b(?! (?:for|to|if|when|in|after|with|under|on|at|by)\b)"
    rf"|\bonly (?:sponsors? |accepts? |offers? )?(?:the )?{H}"
    r"(?! (?:only )?(?:for|to|if|when|in|after|with|under|on|at|by)\b)"
)

# (clauses.py)
ALL_OTHER = re.compile(r"^(?:all|any|every) other\b")

# (clauses.py)
ACCEPT = re.compile(r"\baccept(?:s|ed|ing)?\b")

# (clauses.py)
# Words that mark a list as open ("we accept applicants, including US citizens").
NOT_EXHAUSTIVE = re.compile(r"\bincluding\b|\bsuch as\b|\balso\b|\bin addition\b|\bamong\b")

# (clauses.py)
TRANSFERS = re.compile(r"\btransfers?\b")

# (clauses.py)
HOLDERS_ONLY = re.compile(r"\btransfer|\balready\b|\bcurrent|\bexisting\b")

# (units.py)
# Text extracted from a PDF wraps lines mid-sentence ("sponsors J-1 and H-" /
# "1B visas", "USMLE Step" / "3 before ...", "spon-" / "sor").  A line is joined to
# the previous one when that one was cut off: it ends in a hyphen after a letter,
# or it is a long line (a wrapped sentence, not a title or a list item) without
# closing punctuation; and the next line starts in lower case or with a number
# that is not a list number ("3 before", not "4.2 Visas" or "2) ...").
CUT_HYPHEN = re.compile(r"[A-Za-z]-$")

# (units.py)
CUT_LINE = re.compile(
    r"(?:\S+ ){5}.*(?:[A-Za-z0-9,)\"'\u201d\u2019]|\b(?:U\.S|e\.g|i\.e|etc|vs)\.)$")

# (units.py)
CONTINUES = re.compile(r"[a-z]|\d+ [a-z]")

# (units.py)
# A line cut after a word no sentence or title ends on ("... must hold a valid permanent Visa
# or U.S. citizenship. No" / "H1B Visas will be accepted."; "... sponsored by the" /
# "ECFMG"): the next line continues it, whatever its first letter -- unless it opens a list
# item.  ("Sponsors H-1B: No" and "Is there H-1B sponsorship? no" end a line; a "No" that
# opens a sentence does not.)
_CUT_FUNCTION_WORDS = (
    "a an the of for to in on at by with from and or nor than as that which who is are be "
    "been was were will would may might must can cannot could should shall not any all each "
    "our their its your this these such under through via"
)
# ... or a verb that wants its object ("We accept" / "J-1 visas.")
_CUT_VERBS = (
    "accept accepts sponsor sponsors offer offers support supports consider considers "
    "require requires hold holds have has passed obtain need needs including include includes"
)
CUT_WORDS = frozenset(f"{_CUT_FUNCTION_WORDS} {_CUT_VERBS}".split())
CUT_BEFORE_NO = (". No", "! No", "; No")
# A list item's number or letter ("6. Valid ECFMG certificate", "b) J-1 visa", "(2) ..."),
# read as a bullet: the units module splits lists by their bullets.
_LIST_NUMBER = r"\(?(?:\d{1,2}|[a-z])[.)] "
LIST_NUMBER = re.compile(rf"^{_LIST_NUMBER} *")
# ... on a line after the first (after a newline, neither a multi-line "^" nor "\A|\n":
# either makes the scan of a long page twenty times slower)
NUMBERED_LINE = re.compile(rf"\n{_LIST_NUMBER}")
# The characters that open a list item (the HTML reader gives each item "- ").
BULLETS = "-\u2022*\u2013\u00b7"
LIST_ITEM_START = re.compile(rf"[{re.escape(BULLETS)}]|{_LIST_NUMBER}")

# (units.py)
# (a footnote mark may open the next sentence: "... J-1 Visa. *Trainees may not ...")
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[*†]?[A-Z0-9])")

# (units.py)
# "U.S.", "e.g.", "Dr." end in a period without ending the sentence.
ABBREV = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z]\.?|\b(?:Dr|Mr|Ms|Mrs|St|vs|Inc|Jr|Sr|Prof|Dept|approx|etc))\.$"
)

# (units.py)
QA_PREFIX = re.compile(r"^(?:q|a|question|answer)\s*[:.)]\s*", re.I)

# (units.py)
# A verb phrase cut off before its object ("we are not able to", "we do not"),
# optionally followed by a time phrase: the object is the title above.
STRANDED = re.compile(
    r"\b(?:to|do|does|not|so)(?:,? (?:at (?:this|the present) time|currently|at present"
    r"|now|presently))?[.!]?$"
)

# (units.py)
HEADER_CELL = re.compile(rf"(?:{H}|{J}|{V}|{OTHER}|others?(?: {V})?)(?: {V})?")

# (units.py)
ASKS_AS_HOLDER = re.compile(
    rf"\b(?:i|you) (?:am|are|have|hold|already have|currently have) "
    rf"(?:an? |a valid )?(?:on an? )?{H}"
    rf"|\b{H} (?:visa )?holders?\b|\b(?:currently|already) on (?:an? )?{H}"
)

# (verdict.py)
PROFILE_KEY = re.compile(r"^\s*visa(?: status| type)?\s*:", re.I)

# (verdict.py)
PERSON_LINE = re.compile(r"^D[Rr]\.? [A-Z]|, (?:MD|DO|MBBS|MBChB)\b")

# (verdict.py)
# A dated block: "Updated 2019: ...", "Update (March 2024): ...", "2019: ...", "As of
# 2024 ...", or a short title line "Updated 2025" right above the unit.
DATED = re.compile(
    r"^\s*(?:(?:last )?updated?|revised|as of|effective)?:?\s*\(?\s*"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?,? )?"
    r"((?:19|20)\d\d)\b(?![-/]\d)",
    re.I,
)

# (verdict.py)
ASKS_WHAT = re.compile(r"(?:what(?:'s|\u2019s| is| are| does)|how do(?:es)?)\b")

# (verdict.py)
ASKS_PROGRAM = re.compile(
    r"\b(?:you|your|we|our|us|program|programs|residency|fellowship|hospital|institution"
    r"|department|gme|sponsor\w*|accept\w*|offer\w*|support\w*)\b"
)
