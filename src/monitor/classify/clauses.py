"""Reading one unit: canonicalisation and clause analysis, findings per clause.

A unit (a sentence, a heading with its items, a table row; see ``monitor.classify.units``)
becomes findings ``(axis, value, strength)`` here.  How the findings of a page
make its verdict is told in ``monitor.classify.verdict``; the word lists and patterns
read here live in ``monitor.classify.lexicon``.

Canonicalisation
----------------
Each unit is canonicalised: spelling variants of the visa names become
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
status: J-1" on a resident's profile) states no policy (the answer to an
explanatory question such as "What is a J-1 visa?" is set aside one level
up, in ``monitor.classify.verdict``, which sees the question and its answer).
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

Clauses
-------
A unit is cut into clauses at contrastive joints (";", "but", "however",
"although", "and" + a new verb; not "but" before "limited" / "rare":
"H1B possible but limited" is one restricted predicate) so that a negation applies to its own
clause only: "cannot sponsor any visa, but ECFMG J-1 holders may apply";
a comma splice before a new visa subject is a joint too ("We do not
sponsor H1B visas, J1 applicants are welcome"), and so is a parenthesis
with its own subject ("Eligible for J-1 sponsorship (we do not sponsor
H-1B)"), and so is the comma after an opening "while / whilst" clause
before a trainee subject ("Whilst the hospital sponsors H-1B for faculty,
residents must hold a J-1"); an opening hedge without a visa name cut off at
a comma ("In exceptional circumstances, the program will sponsor H-1B") is
read with the clause after it.  An elliptical clause
("and is not available in all departments") continues only a clause about
visas -- not a list ending in something else ("..., J-1 / H-1B, US
clinical experience preferred, not required") nor a skipped clause.
"Applicants are not accepted / eligible / considered" is a denial (unlike
"applicants who are not US citizens").
", as / since / because" + a subject ("..., as the program does not sponsor
H-1B") and ", no" + a visa name ("we take J1, no H1") start a clause of
their own.  A relative clause about hard-to-fill positions ("positions that
cannot otherwise be filled") is not a denial.  A denial whose verb lost its
object at the end of a clause, after or in a clause naming a status or visas
("Foreign nationals must obtain their own work authorization; the program
does not sponsor."), denies visas in general (``none``).
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
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from monitor.classify import lexicon as lex
from monitor.classify.lexicon import NC, OTHER, ST, H, J, S, V
from monitor.classify.rules import inline, note, rule, silence

# --- canonicalisation ---------------------------------------------------------
#
# Visa names and statuses become single lowercase tokens so that every later
# rule can be written once.  The patterns live in monitor.classify.lexicon.


def _token_unless_located(token: str):
    def replace(match: re.Match) -> str:
        return match.group() if match.group(1) else f" {token} "

    return replace


class Paragraph:
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


def canonical(sentence: str, paragraph: Paragraph | None = None) -> tuple[str, bool]:
    """Lowercase `sentence` with visa names replaced by tokens.

    A bare "H-1" is the H-1B when the sentence or the `paragraph` around it
    speaks of visas ("J-1 and F-1 accepted. H-1 only if ...").
    Returns the canonical text and whether ECFMG was named (an "ECFMG-sponsored
    visa" is a J-1 even when the J-1 is not named).
    """
    # The paragraph matters only through about_visas(), and only for a sentence
    # holding a "1" (lowercasing and respelling add no "1"), so the result is a
    # pure function of (sentence, that flag) and can be memoised: the same
    # sentences recur (an FAQ question is canonicalised up to three times; site
    # chrome such as "Visa and Mastercard accepted" on every page of a site).
    about = paragraph.about_visas() if paragraph is not None and "1" in sentence else None
    return _canonical(sentence, about)


@functools.lru_cache(maxsize=4096)
def _canonical(sentence: str, paragraph_about_visas: bool | None) -> tuple[str, bool]:
    s = sentence.lower()
    if "\u2019" in s or "\u02bc" in s or "\u2018" in s:
        s = s.translate(_APOSTROPHES)  # "don’t" as typed on most web pages
    if any(word in s for word in lex.RESPELL_SCREEN):
        # "sponser", "dont", Spanish "Visa J-1: s\u00ed"
        s = lex.RESPELL_RE.sub(lambda m: lex.RESPELL[m.group()], s)
    # Speed: each pattern below is run only when `s` holds a literal that every
    # match of it contains (see the *_NEEDS tuples in monitor.classify.lexicon); without
    # one the search fails and the substitution is a no-op, so skipping it
    # changes nothing.  Most sentences of a page name no visa at all.
    payment = _has(s, lex.PAYMENT_NEEDS) and bool(lex.PAYMENT.search(s))
    context = bool(lex.VISA_CONTEXT.search(s)) or ("1" in s and bool(paragraph_about_visas))
    if "visa" in s:
        s = lex.GLUED_VISA.sub("visa ", s)  # "VisaSponsorship" (inline tags without space)
    if "step" in s or "comlex" in s:
        s = lex.STEP3.sub(f" {ST} ", s)
    if "1" in s or "visa" in s:
        s = lex.H1B.sub(f" {H} ", s)
    if context and "1" in s:
        s = lex.H1.sub(_token_unless_located(H), s)
    if "1" in s or "visa" in s or "exchange" in s:
        s = lex.J1.sub(_token_unless_located(J), s)
    if "1" in s:
        s = lex.F1.sub(" xxf1 ", s)
    if "1" in s or "3" in s or "tn" in s:
        s = lex.OTHER_NAME.sub(f" {OTHER} ", s)
    if "2" in s or "4" in s:
        s = lex.DEPENDANT.sub(" xxdependant ", s)
    if payment:
        # "Visa" the card brand: only compound forms ("visa sponsorship") count.
        s = re.sub(r"\bvisa(?:s)?[ \-]+(?:sponsorship|status|types?|policy)\b", f" {V} ", s)
    elif "visa" in s or "immigration" in s:
        s = lex.GENERIC.sub(f" {V} ", s)
    if "non" in s or "foreign" in s:
        s = lex.NONCITIZEN_WORDS.sub(f" {NC} ", s)
    if _has(s, lex.STATUS_NEEDS):
        s = lex.STATUS.sub(f" {S} ", s)
    if S in s:
        s = lex.NONCITIZEN.sub(f" {NC} ", s)
    if (
        "sponsorship" in s and "xx" not in s.replace(ST, "")
        and lex.SPONSORSHIP_CONTEXT.search(s)
    ):
        s = lex.BARE_SPONSORSHIP.sub(f" {V} ", s)
    ecfmg = "ecfmg" in s or "educational commission" in s
    # Kept as a marker: "J-1: sponsored through ECFMG" still answers "yes".
    if _has(s, lex.DESCRIPTOR_NEEDS):
        s = lex.DESCRIPTOR.sub(" ecfmgsponsored ", s)
    if "xx" in s:
        s = lex.TOPIC.sub(" ", s)
    if "\u2705" in s or "\U0001f6ab" in s or "\u274c" in s or "\u2714" in s or "\u2716" in s:
        s = lex.MARK_NO.sub(", no ", s)  # "Visas: \U0001f6ab H-1B \u2705 J-1"
        s = lex.MARK_YES.sub(", ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if "\u2013" in s or "\u2014" in s:
        s = lex.VISA_KEY_DASH.sub(r"\1: ", s)  # "H-1B \u2013 case by case": a key and its value
    if "not " in s:
        s = lex.NOT_ONLY_BUT.sub(r"\1and ", s)
    if ";" in s:
        s = lex.VISA_LIST_SEMICOLON.sub(r"\1, ", s)
    return s, ecfmg


def _has(s: str, literals: tuple[str, ...]) -> bool:
    return any(literal in s for literal in literals)


# --- findings -----------------------------------------------------------------


@dataclass
class Finding:
    axis: str  # "h1b" | "j1" | "step3"
    value: object
    strength: int
    # h1b: "limited" only because the clause takes existing holders (transfers);
    # "yes" from a clause that files new petitions.  See _merge_unit.
    holders: bool = False
    new_petitions: bool = False
    # the rule that gave it (monitor.classify.rules); not part of equality
    rule: str = field(default="", compare=False)


def visa_tokens(s: str) -> set[str]:
    return {t for t in (H, J, V, S, NC, OTHER, "xxf1") if t in s}


# --- a unit, clause by clause -------------------------------------------------


@dataclass
class Around:
    """What the sentences before a unit, in the same paragraph, said."""

    tokens: set[str] = field(default_factory=set)  # their visa tokens
    h_recent: bool = False  # an H-1B statement just preceded (a bare Step 3 is its condition)
    paragraph: Paragraph | None = None  # the line the unit is on
    policy: bool = False  # an earlier sentence stated a stance
    conditional: bool = False  # an earlier sentence offered H-1B on a condition
    others: bool = False  # the sentence before spoke of other programs
    visitors: bool = False  # an earlier sentence named visitor visas (B1/B2, ESTA)


class Reading(NamedTuple):
    """What one unit says."""

    findings: list[Finding]
    tokens: set[str]  # its visa tokens
    others: bool  # it ends speaking of other programs
    general: bool  # it set a visa clause aside as talk of visas or programs in general


def analyse_unit(text: str, around: Around) -> Reading:
    """Findings of one unit (a sentence, a heading with its items, a table row), its
    visa tokens, whether it ends speaking of other programs, and whether it talks of
    visas or programs in general.

    `around.tokens` holds the visa tokens of the previous sentences of the same
    paragraph ("... Our program accepts both.").
    """
    canon, ecfmg = canonical(text, around.paragraph)
    if _personal_status(text, canon) or _about_a_person(canon):
        return Reading([], set(), False, False)
    others = around.others
    general = False
    context = around.tokens
    findings: list[Finding] = []
    prev_pred = False
    prev_tokens: set[str] = set(context) if len(context & {H, J}) > 1 else set()
    past = bool(lex.PAST.match(canon) or lex.PAST_YEAR.match(canon))
    prev_clause = ""
    prev_found: list[Finding] = []  # the findings of the clause before
    named = ""  # the last clause that named a visa or status
    groups: list[tuple[str, set[object]]] = []  # (training group, h1b values) per clause
    speakers: list[tuple[str, list[Finding]]] = []  # ("program"/"institution", findings)
    # An opening past cue ("Historically, ...") covers its own part of the sentence
    # only: a present-tense clause after a semicolon states today's policy.
    past_clauses = len(split_clauses(canon.split(";", 1)[0])) if past else 0
    clauses = split_clauses(canon)
    list_key = _list_key(clauses[0]) if len(clauses) > 1 else ""
    for index, clause in enumerate(clauses):
        if others and lex.THEY_START.match(clause):
            # "Several top programs do not accept the H-1B. They accept the J-1.":
            # still the other programs.
            silence(_R_STILL_OTHERS, clause)
            prev_clause = clause
            general = True
            continue
        start = others_from(clause)
        others = start == 0
        if start:
            # "We sponsor the J-1 because most programs do not sponsor the H-1B": what
            # follows speaks of the other programs.
            clause = clause[:start].rstrip(" ,")
        if index < past_clauses and not (lex.NOW.search(clause) or lex.REAFFIRM.search(clause)):
            prev_tokens = visa_tokens(clause) or prev_tokens
            prev_clause = clause
            continue  # "In 2019, the program sponsored its first H-1B resident."
        if (
            lex.EXCEPT_OPENER.match(prev_clause) and visa_tokens(prev_clause) & {H, J}
            and not visa_tokens(clause) & {H, J}
        ):
            # "Other than the ECFMG J-1, we are unable to support any visa": an
            # opening exception applies to the clause after it, read as "... any
            # visa other than the ECFMG J-1".
            clause = f"{clause} {prev_clause}"
        elif not visa_tokens(clause) and lex.REAFFIRM.search(clause) and prev_clause:
            # "In 2015 the program began sponsoring H-1B visas, and continues to do so"
            # restates the clause before it now; "... but no longer does so" denies it.
            base = lex.PAST_START.sub("", lex.PAST.sub(" ", prev_clause)).strip()
            clause = f"no longer {base}" if lex.NEG.search(clause) else base
        elif not visa_tokens(clause) and lex.BARE_NAMES.match(prev_clause):
            clause = f"{prev_clause}: {clause}"  # "H-1B - case by case"
        elif (
            index > 0 and list_key and visa_tokens(clause) & {H, J} and ":" not in clause
            and not lex.PRED.search(clause)
        ):
            # "Requirements for IMGs: valid ECFMG certificate; J-1 visa (ECFMG
            # sponsored)": an item after a semicolon is still an item of the list.
            clause = f"{list_key}: {clause}"
        elif (
            not visa_tokens(clause) and len(clause.split()) <= 3
            and lex.BARE_NAMES.match(names := _bare_tail(prev_clause))
        ) or (
            not visa_tokens(clause) and len(clause.split()) <= 3
            and lex.RESTRICT.search(clause)
            and lex.BARE_NAMES.match(names := _last_item(prev_clause))
        ):
            # "International applicants: J-1 (ECFMG sponsored) - yes; H-1B - no";
            # a hedge on the last item of a list ("Visas we sponsor: J-1, H-1B -
            # case by case") limits that item.
            clause = f"{names}: {clause}"
        elif (
            index == 1 and H in visa_tokens(clause) and not visa_tokens(prev_clause)
            and lex.RESTRICT.search(prev_clause)
            and not lex.NEG.search(lex.FALSE_NEG.sub(" ", f"{prev_clause} {clause}"))
        ):
            # "In exceptional circumstances, and subject to DIO approval, the program
            # will sponsor an H-1B": an opening hedge cut off at the comma before the
            # subject still restricts the offer after it.
            clause = f"{prev_clause}, {clause}"
        elif prev_tokens and (
            not visa_tokens(clause) and (
                lex.CONTINUATION.match(clause) or lex.BOTH.search(clause)
                or (H in prev_tokens and lex.TRANSFERS.search(clause))
                or lex.PRONOUN_OBJECT.search(clause)
            )
            # ("... J-1 and H-1B. We accept both visas.")
            or visa_tokens(clause) == {V} and prev_tokens & {H, J}
            and lex.BOTH_VISAS.search(clause)
        ) and _continuable(named):
            # An elliptical clause ("and is not available in all departments";
            # "...; we accept transfers only" after an H-1B clause; "..., but we
            # have chosen not to offer it") speaks of the visas of the clause
            # before it.
            clause = f"{clause} {' '.join(sorted(prev_tokens))}"
        elif (
            around.conditional and context & {H, J} and not visa_tokens(clause) & {H, J}
            and V in visa_tokens(clause) and lex.CONSEQUENCE.search(clause)
            and lex.NEG.search(lex.FALSE_NEG.sub(" ", clause))
        ):
            # "GME sponsors visas (H-1B, J-1) only for hard-to-fill positions. Ours
            # are not, so we do not sponsor visas": the conclusion denies the visas
            # of the conditional offer.
            clause = f"{clause} {' '.join(sorted(context & {H, J}))}"
        elif (
            around.conditional and context & {H, J} and not visa_tokens(clause)
            and lex.CONDITION_UNMET.search(clause) and lex.CONDITION_SUBJECT.search(clause)
        ):
            # "Visas (TN, H-1B, J-1) are sponsored only for hard-to-fill positions. Our
            # GME positions do not meet this standard.": the condition is denied, and
            # with it the visas of the conditional offer.
            clause = f"we do not sponsor {' '.join(sorted(context & {H, J}))}"
        elif (
            not visa_tokens(clause) & {H, J} and (named or visa_tokens(clause))
            and lex.ELIDED_DENIAL.search(clause)
        ):
            # "...must secure their own work authorization; the program does not
            # sponsor.": a denial whose verb lost its object, after (or in) a clause
            # naming a status or visas, denies visas in general.
            clause = f"{clause} {V}"
        found, prev_pred = _analyse_clause(clause, ecfmg, prev_pred)
        general = general or (not found and bool(visa_tokens(clause)) and _talks_in_general(clause))
        if not found and lex.ECFMG_DOES.match(clause) and _denies_j1(prev_found):
            # "The hospital does not itself sponsor the J-1; ECFMG does.": the denial
            # says who sponsors the J-1, so the program's answer is the ECFMG J-1.
            findings = [f for f in findings if f.axis != "j1"]
            found = note(_R_ECFMG_DOES, [Finding("j1", "yes", 3), Finding("h1b", "no", 1)])
        if not found:
            found = _j1_via_ecfmg(clause, around.policy or bool(findings))
        if not found:
            found = _other_visas_open(clause)
        if not found and (
            (around.h_recent and _hedges_sponsorship(clause))
            or (_offers_h1b(prev_found) and _hedges_it(clause))
        ):
            # "We sponsor J-1 and H-1B visas. The Institution reserves the right to
            # determine which visa is offered."; "We consider sponsoring H-1B visas,
            # but this must be discussed at the interview": the hedge limits the offer.
            found = note(_R_HEDGE_AFTER_OFFER, [Finding("h1b", "limited", 3)])
        if J in prev_tokens or J in context:
            found = _other_visas(clause, found)
        findings.extend(found)
        prev_found = found
        if any(f.axis == "h1b" for f in found) and (group := lex.GROUP.search(clause)):
            groups.append((group.group(), {f.value for f in found if f.axis == "h1b"}))
        if found and (speaker := _speaker(clause)):
            speakers.append((speaker, found))
        if visa_tokens(clause):
            named = clause
        # A clause that names no visa and states nothing moves on from them: "... not
        # required" after "US clinical experience is beneficial" is not about the
        # visas of the sentence before.
        prev_tokens = visa_tokens(clause) or (set() if _moves_on(clause, found) else prev_tokens)
        prev_clause = clause
    findings = _mixed_clause_groups(findings, groups)
    findings = _program_over_institution(findings, speakers)
    h_context = H in canon
    if h_context and J in canon and ST in canon:
        # "Step 3 is not required for J-1 applicants" is not about H-1B.
        h_context = not re.search(rf"{ST}[^;]*\bfor {J}|{J}[a-z ]*{ST}", canon)
    elif not h_context and J not in canon:
        # A bare Step 3 sentence right after an H-1B statement is its condition,
        # unless it is a general training requirement ("by the end of PGY-2").
        h_context = around.h_recent and not lex.GENERAL_STEP3.search(canon)
    findings.extend(step3_findings(canon, h_context))
    if around.visitors and findings and not visa_tokens(canon) - {V}:
        # "You must obtain a visa (B1/B2 or ESTA). BCH does not sponsor visas.": the visas
        # after visitor visas are visitor visas, not a trainee's.
        silence(_R_VISITORS, canon)
        findings = []
    return Reading(_merge_unit(findings), visa_tokens(canon), others, general)


def _moves_on(clause: str, found: list[Finding]) -> bool:
    """A statement of its own (a subject and a verb) that names no visa and finds
    nothing: what follows it no longer continues the visas named before it."""
    return not found and bool(lex.SENTENCE_VERB.search(clause)) and not (
        lex.SENTENCE_VERB.match(clause))


def _personal_status(text: str, canon: str) -> bool:
    """ "Visa status: J-1" on a resident's profile describes a person, not a policy."""
    if not lex.STATUS_KEY.match(text):
        return False
    value = lex.AFFILIATION.sub(" ", canon.partition(":")[2]).strip(" .")
    # "Visa status: J-1 — Maria Gomez, MD, PGY-2": the person's name after a dash
    value = lex.PERSON_TAIL.sub("", value).strip(" .")
    return value in (H, J, "xxf1", OTHER, S)


def _about_a_person(canon: str) -> bool:
    """ "Dr. Ortega trained in Guadalajara and is on a J-1 visa." (a bio), not "he or
    she" in a policy, nor a sentence that speaks for the program ("we")."""
    return bool(
        lex.PERSON_START.match(lex.GENERIC_PERSON.sub(" ", canon).lstrip())
        and not re.search(r"\bwe\b", canon)
    )


def split_clauses(s: str) -> list[str]:
    """A canonical unit cut into clauses at contrastive joints."""
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


def _bare_tail(clause: str) -> str:
    """The visa names that end a clause after its key, without a parenthetical:
    "international applicants: xxj1 (ecfmgsponsored" -> "xxj1"."""
    return lex.TAIL_NOTE.sub("", clause.rpartition(":")[2]).strip()


def _last_item(clause: str) -> str:
    """The last item of a list after a key: "visas: xxj1 (ecfmg), xxh1b" -> "xxh1b"."""
    return lex.LIST_SEPARATOR.split(_bare_tail(clause))[-1].strip()


def _continuable(clause: str) -> bool:
    """Whether an elliptical clause ("and is not available in all departments") may
    continue `clause`: a clause about visas, not a list that ends in something
    else ("..., J-1 / H-1B, US clinical experience preferred, not required") nor a
    clause that is not about the program's policy ("... visas for observers")."""
    return "," not in clause.rsplit("xx", 1)[-1] and not skip_clause(clause)


def _hedges_sponsorship(clause: str) -> bool:
    """A hedge on visa sponsorship in general, naming no visa type."""
    return (
        visa_tokens(clause) & {H, J, V} == {V} and _is_hedge(clause)
        and not skip_clause(clause)
    )


def _hedges_it(clause: str) -> bool:
    """A hedge whose subject points back at the clause before ("but this is decided
    case by case"), naming no visa itself."""
    return not visa_tokens(clause) and bool(lex.POINTS_BACK.match(clause)) and _is_hedge(clause)


def _is_hedge(clause: str) -> bool:
    return bool(lex.SPONSORSHIP_HEDGE.search(clause)) and not lex.NEG.search(
        lex.FALSE_NEG.sub(" ", lex.LIMITING_NEG.sub(" ", clause)))


def _offers_h1b(found: list[Finding]) -> bool:
    return any(f.axis == "h1b" and f.value == "yes" for f in found)


def _denies_j1(found: list[Finding]) -> bool:
    return any(f.axis == "j1" and f.value == "no" for f in found)


@rule("j1-through-ecfmg", ("j1=yes", "h1b=no (inferred)"), (
    ("J-1 visa sponsorship is through ECFMG.", "j1_only"),
))
def _j1_via_ecfmg(c: str, policy: bool) -> list[Finding]:
    """ "J-1 visa sponsorship is through ECFMG": the program's answer is the ECFMG J-1.

    "J-1 visas are sponsored by ECFMG" alone explains who sponsors the J-1; it
    is the program's answer only in a paragraph that states its policy.
    """
    if _J1_SPONSORSHIP_VIA_ECFMG.match(c) or (policy and _J1_VIA_ECFMG.match(c)):
        return [Finding("j1", "yes", 3), Finding("h1b", "no", 1)]
    return []


_VIA = r"(?:(?:provided|handled|available|done|obtained|arranged|offered) )?ecfmgsponsored$"
_J1_SPONSORSHIP_VIA_ECFMG = re.compile(
    rf"^(?:all |the )?{J} (?:visa )?sponsorship (?:is|are|will be|can be) {_VIA}"
)
_J1_VIA_ECFMG = re.compile(rf"^(?:all |the )?{J} (?:is|are|will be|can be) (?:also )?{_VIA}")


@rule("no-other-visa-leaves-j1", ("j1=yes",), (
    ("ECFMG sponsors the J-1; the hospital does not sponsor any other visa type.", "j1_only"),
), transform=True)
def _other_visas(c: str, found: list[Finding]) -> list[Finding]:
    """ "(ECFMG sponsors the J-1;) we do not sponsor any other visa type": the
    denial leaves out the J-1 named before it, so the J-1 is the program's answer.
    (After an H-1B the denial stands: "We sponsor H-1B. No other visas are sponsored.")"""
    if H in c or J in c or not lex.OTHER_VISAS.search(c):
        return found
    if not any(f.axis == "j1" and f.value == "no" and f.strength <= 1 for f in found):
        return found
    return [f for f in found if f.axis != "j1"] + [Finding("j1", "yes", 2)]


# A finding that an axis was left open: the page names other visas as possible
# ("a J-1 or another qualifying visa"; "for other visas, contact the program"),
# so no list on it is complete. It decides nothing itself; see verdict._open_lists.
OPEN = "open"


@rule("other-visas-left-open", ("h1b=open",), (
    ("J-1 visas are sponsored by ECFMG. For other visas, please contact the individual "
     "programs to discuss what options, if any, exist.", "unknown"),
))
def _other_visas_open(c: str) -> list[Finding]:
    """Other visas named as possible, not denied: naming the J-1 is not the full list."""
    if visa_tokens(c) & {H, J} or not lex.OTHER_VISAS.search(c):
        return []
    if lex.NEG.search(lex.FALSE_NEG.sub(" ", c)) or lex.ONLY.search(c):
        return []
    return [Finding("h1b", OPEN, 0)]


@rule("groups-differ-in-sentence", ("h1b=limited",), (
    ("H-1B for residents; fellows must be on J-1.", "h1b_limited"),
), transform=True)
def _mixed_clause_groups(
    findings: list[Finding], groups: list[tuple[str, set[object]]]
) -> list[Finding]:
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
        return [f for f in findings if f.axis != "h1b"] + [Finding("h1b", "limited", 3)]
    return findings


def _list_key(clause: str) -> str:
    """The heading of a list that opens a sentence ("requirements for imgs: ..."), or ""."""
    key, colon, _ = clause.partition(":")
    if not colon or visa_tokens(key) or len(key.split()) > 6:
        return ""
    return key.strip()


def _speaker(clause: str) -> str:
    if lex.SPEAKS_FOR_PROGRAM.search(clause):
        return "program"
    if lex.SPEAKS_FOR_INSTITUTION.search(clause):
        return "institution"
    return ""


@rule("program-over-institution", ("h1b=no", "h1b=yes"), (
    ("The university sponsors H-1B and J-1 visas; however, this program only accepts J-1.",
     "j1_only"),
    ("Although the hospital sponsors only J-1 visas, our fellowship sponsors H-1B visas.",
     "h1b"),
), transform=True)
def _program_over_institution(
    findings: list[Finding], speakers: list[tuple[str, list[Finding]]]
) -> list[Finding]:
    """Institution and program disagree in one sentence: the program's own policy wins."""
    def h1b_values(who: str) -> set[object]:
        return {f.value for s, found in speakers if s == who for f in found if f.axis == "h1b"}

    ours, theirs = h1b_values("program"), h1b_values("institution")
    if not ours or not theirs or ours == theirs:
        return findings
    # The institution still fills in what the program does not say (its J-1).
    spoken = {f.axis for s, found in speakers if s == "program" for f in found}
    overruled = {id(f) for s, found in speakers if s == "institution" for f in found
                 if f.axis in spoken}
    return [f for f in findings if id(f) not in overruled]


@rule("yes-and-no-in-one-sentence", ("h1b=limited",), (
    ("H-1B: not routinely, but may be considered.", "h1b_limited"),
), transform=True)
def _merge_unit(findings: list[Finding]) -> list[Finding]:
    """One sentence saying H-1B is both sponsored and not: a partial policy."""
    if any(f.new_petitions for f in findings):
        # "We accept transfers on H-1B and also file new H-1B petitions": the
        # transfer clause does not restrict the new petitions.
        findings = [f for f in findings if not f.holders]
    h_values = {f.value for f in findings if f.axis == "h1b" and f.strength == 3}
    if "no" in h_values and h_values & {"yes", "limited"}:
        # "not for fellows, but for residents"; "not routinely, but may be considered".
        findings = [f for f in findings if f.axis != "h1b"] + [Finding("h1b", "limited", 3)]
    return findings


# --- clause analysis ----------------------------------------------------------


def _analyse_clause(c: str, ecfmg: bool, prev_pred: bool) -> tuple[list[Finding], bool]:
    """Findings of one clause, and whether it had a stance predicate."""
    tokens = visa_tokens(c)
    # (tokens first: a clause naming no visa gets the same answer whether skipped
    # or not, and visa_tokens is far cheaper than skip_clause)
    if not tokens:
        return [], bool(lex.PRED.search(c))
    if skip_clause(c):
        silence(_R_NOT_A_POLICY, c)
        return [], bool(lex.PRED.search(c))  # "... but no longer do so" still refers to it
    if lex.APPLICANT_WISH.search(lex.WHICH_CLAUSE.sub(" ", c)):
        # "many applicants prefer the H-1B" says what applicants want; a clause
        # after it may still answer ("..., but we have decided not to sponsor it").
        return [], False
    if ":" in c:
        found = _key_value(c)
        if found is not None:
            return found, True
    elif "?" in c:
        # "Is there H1B sponsorship? no" -- a question and its answer in one line
        found = _key_value(c.replace("?", ":", 1))
        if found is not None:
            return found, True
    if "not " in c or "n't " in c or "never " in c:
        c = lex.NOT_ONLY.sub(" ", c)  # "not only J-1 but also H-1B": no denial, no "only"
        c = lex.NOT_REFUSE.sub(" accept ", c)  # "we do not refuse H-1B sponsorship"
    c_neg = lex.FALSE_NEG.sub(" ", c)
    if ST in c_neg and lex.STEP3_WAIVED.search(c_neg):
        waived = lex.STEP3_WAIVED.sub(" ", c_neg)
        if not lex.NEG.search(waived):
            silence(_R_STEP3_WAIVED, c)
            return [], True  # "we do not require Step 3 for H-1B candidates": no stance
        c_neg = waived
    if ST in c_neg:
        # "Step 3 is not required" denies a condition, not the visa.
        c_neg = lex.STEP3_NOT_NEEDED.sub(" ", c_neg)
    limiting_neg = bool(lex.LIMITING_NEG.search(c_neg))
    c_neg = lex.LIMITING_NEG.sub(" limited ", c_neg)
    pred = bool(lex.PRED.search(c) or lex.ONLY.search(c) or lex.RESTRICT.search(c))
    neg = bool(lex.NEG.search(c_neg))
    if neg and lex.EXCLUDED_WITHOUT.search(c):
        # "Applicants who list no J-1 visa will not be considered": the visa (or status) is
        # required -- an H-1B only of those who already hold one.
        if H in tokens:
            return note(_R_EXCLUDED_WITHOUT, [Finding("h1b", "limited", 3, holders=True)]), True
        return note(_R_EXCLUDED_WITHOUT, positive_findings(c, tokens, listing=True,
                                                           ecfmg=ecfmg)), True
    if neg and lex.COSTS.search(c):
        return [], False  # "does not pay the H-1B fees" denies a cost, not the visa
    if neg and lex.NOT_BY_AGENT.search(c_neg):
        return [], False  # "H-1B visas are not sponsored by ECFMG": ECFMG's role, not ours
    if neg:
        direct = re.search(r"\bno (?:\w+ )?xx|\bnone\b|^not\b|\bnot (?:an? )?xx", c_neg)
        if not (pred or prev_pred or direct or lex.REQUIRE.search(c)):
            return [], False
        if lex.CONDITIONAL_NEG.search(c) and ST in c and H in tokens:
            # "H-1B visas are not sponsored unless Step 3 is passed": a condition.
            return note(_R_UNLESS_STEP3, [Finding("h1b", "yes", 2)]), True
        return _negative_with_exceptions(c_neg, tokens, ecfmg), True
    if limiting_neg and H in tokens:
        return note(_R_HEDGED_DENIAL, [Finding("h1b", "limited", 3)]), True
    if (
        H in tokens and ST in c and lex.STEP3_NEEDED.search(c) and lex.STEP3_POLICY.search(c)
        and not lex.PRED.search(c.replace(ST, ""))
    ):
        # "H-1B sponsorship requires Step 3", "applicants needing an H-1B must pass
        # Step 3": the program sponsors H-1B.  ("The H-1B requires Step 3" is a fact.)
        # A restriction named with the H-1B is explicit (strength 3), so it is not
        # outweighed by "J-1 only" beside it ("We generally sponsor J-1 only; H-1B
        # is at the program director's discretion and requires Step 3").
        if _h1b_restricted(c):
            return note(_R_STEP3_POLICY, [Finding("h1b", "limited", 3)]), True
        return note(_R_STEP3_POLICY, [Finding("h1b", "yes", 2)]), True
    if (
        tokens == {H} and ST in c and lex.STEP3_NEEDED.search(c)
        and not (lex.STEP3_POLICY.search(c) or lex.PROGRAM_SUBJECT.search(c))
        and not lex.PRED.search(lex.GET_A_VISA.sub(" ", c.replace(ST, "")))
    ):
        # "Step 3 is required to obtain an H-1B visa": the visa's own requirement,
        # with no word of a program, its applicants or its process -- a fact.
        silence(_R_STEP3_FACT, c)
        return [], True
    if not (pred or lex.REQUIRE.search(c)):
        verbless = lex.VERBLESS_FOR.match(c)
        if verbless and lex.GROUP.match(c, verbless.end()):
            # "H-1B for residents" (a policy line without a verb)
            return positive_findings(c, tokens, listing=True, ecfmg=ecfmg), True
        return [], False
    if _seekers_rule(c):
        # "Physicians applying for a J-1 must obtain ECFMG certification", "To get a J-1,
        # you must ...": what those who seek the visa must do, not which visas the
        # program takes.
        silence(_R_SEEKERS_RULE, c)
        return [], True
    match = lex.EXCEPT.search(c)
    if match and visa_tokens(c[match.end():]) & {H, J}:
        # "We accept all visa types except H-1B": what follows "except" is denied.
        before, after = c[: match.start()], c[match.end():]
        out = positive_findings(before, visa_tokens(before), listing=False, ecfmg=ecfmg)
        return out + negative_findings(visa_tokens(after) & {H, J}, after), True
    return positive_findings(c, tokens, listing=False, ecfmg=ecfmg), True


def _seekers_rule(c: str) -> bool:
    """A requirement of physicians in general, of one who wants the visa ("To get a J-1,
    you must ..."), or of the visa's paperwork, that names the visa only before its modal
    and requires something else after it: no visa or status, no Step 3, no ECFMG route
    ("J-1 visas must apply through ECFMG" is the program's), though an ECFMG certificate
    may be; and no stance verb before the modal."""
    if lex.VISA_REQUIREMENTS_TITLE.match(c):
        return True  # ("Requirements for H-1B Visa Status for Physicians": a title)
    modal = lex.SEEKERS_MODAL.search(c)
    if modal is None or ST in c or lex.ONLY.search(c):
        return False
    before, after = c[:modal.start()], c[modal.end():]
    return (
        bool(lex.SEEKERS.match(before) or lex.POPULATION.match(before)
             or lex.ANY_PHYSICIAN.match(before))
        and bool(visa_tokens(before))
        and not visa_tokens(after) and not lex.ECFMG_ROUTE.search(after)
        and not lex.PRED.search(lex.APPLY_FOR.sub(" ", before))
    )


def others_from(c: str) -> int | None:
    """Where talk of other programs starts in a clause: 0 when all of it is ("Many
    programs do not sponsor the H-1B", "..., which is why several top programs do not
    accept it"), the offset after the program's own words ("We sponsor the J-1 because
    most programs ..."), None when none of it is."""
    if lex.OTHER_SUBJECT.search(c) and not lex.ALL_PROGRAMS_POLICY.match(c):
        return 0
    after = lex.OTHERS_AFTER.search(c)
    if after is None:
        return None
    return after.start() if lex.PROGRAM_SUBJECT.search(c[:after.start()]) else 0


def speaks_of_others(c: str) -> bool:
    """A clause about other programs."""
    return others_from(c) == 0


# Pure functions of a short clause, asked again for the same clause (by
# _analyse_clause, _continuable, _hedges_sponsorship and analyse_unit): memoised.
@functools.lru_cache(maxsize=4096)
def general_talk(c: str) -> bool:
    """Talk of visas or programs in general: other programs, general facts, physicians
    in general, explanations, reported speech, a sponsor named by its role."""
    if speaks_of_others(c):
        return True
    if (
        lex.ANY_PROGRAM.search(c) or lex.GENERAL_FACTS.search(c)
        or _population_in_general(c)
        or lex.ANY_PHYSICIAN.match(c)
    ) and not lex.PROGRAM_SUBJECT.search(c):
        # "Physicians may apply for an H-1B visa to train in a residency program";
        # "FMGs have two main options: the J-1 and the H-1B"; "A foreign medical
        # doctor must be licensed ... as an essential H1B requirement"
        return True
    if lex.REPORTED.search(c):
        # "the AHA added that hospitals depend on the H-1B program"; a coordinator "tells
        # you, 'We can't sponsor H-1B'" (the "we" inside the quotation is another's)
        speaker = lex.QUOTATION.sub(" ", c)
        if not (lex.PROGRAM_SUBJECT.search(speaker) or re.search(r"\b(?:we|us)\b", speaker)):
            return True
    if (
        lex.EITHER_SPONSOR.search(c) and not re.search(r"\b(?:we|our|us)\b", c)
        and not lex.NEG.search(lex.FALSE_NEG.sub(" ", c))
    ):
        # "after the Match, the hospital or institution can sponsor your H-1B" (but "not
        # sponsored by the hospital or the program" is this program's denial)
        return True
    c = lex.FUNDING.sub(" ", c)  # "if funding permits" is a condition, not an explanation
    return bool(lex.EXPLAIN.search(c)) and not re.search(r"\b(?:we|our)\b", c)


def _talks_in_general(c: str) -> bool:
    """Talk of visas in general, as an explainer's: `general_talk`, or the visa law's
    machinery (the lottery and cap, fees, waivers and the home residence rule, bills and
    news: `OFF_TOPIC`; consulates, visa appointments and travel: `CONSULAR`) not said of
    the program."""
    return general_talk(c) or _visa_law_talk(c)


def _visa_law_talk(c: str) -> bool:
    law = lex.OFF_TOPIC.search(c) or lex.CONSULAR.search(c)
    return bool(law) and not lex.PROGRAM_SUBJECT.search(c)


def _population_in_general(c: str) -> bool:
    """Physicians in general as the subject: what they may do, or what a share of them
    needs, rather than what a program requires of all its applicants."""
    population = lex.POPULATION.match(c)
    return bool(population) and (
        population.group("share") is not None or not lex.POPULATION_REQUIRED.search(c)
    )


@functools.lru_cache(maxsize=4096)
def skip_clause(c: str) -> bool:
    """Explanations, news, past policy and talk about other programs decide nothing."""
    if general_talk(c):
        return True
    if lex.PAST.search(lex.WHO_CLAUSE.sub("", c)):
        return True  # (a past cue inside "... who previously trained ..." is about people)
    if lex.FUTURE.search(c) and not (
        lex.NEG.search(lex.FALSE_NEG.sub(" ", c)) or lex.REAFFIRM.search(c)
    ):
        return True  # "we hope to offer H-1B sponsorship in the future"
    if lex.NON_TRAINEE_STRONG.search(c):
        return True  # "postdoctoral research fellows on J-1 research scholar visas"
    if _visa_law_talk(c) or lex.ALWAYS_OFF_TOPIC.search(c):
        return True
    if lex.WITHOUT_CONDITION.search(c) and lex.NEG.search(lex.FALSE_NEG.sub(" ", c)):
        return True  # "without a sponsor, you cannot obtain either visa": a condition
    if lex.THIRD_PARTY.search(c) and not re.search(r"\bwe\b|\bthe program\b", c):
        return True  # "Immigration attorneys: Smith LLP (H-1B, O-1 petitions)"
    # "The institution sponsors H-1B visas for faculty"
    return bool(lex.NON_TRAINEE.search(c) and not lex.TRAINEE.search(c))


@rule("denial-with-exception", ("h1b=no", "h1b=limited", "h1b=yes", "j1=no", "j1=yes"), (
    ("Other than the ECFMG J-1, we are unable to support any visa.", "j1_only"),
    ("H-1B visas are not sponsored except in rare cases.", "h1b_limited"),
))
def _negative_with_exceptions(c: str, tokens: set[str], ecfmg: bool) -> list[Finding]:
    """Negation over the clause, except visas after "other than"/"except"."""
    match = lex.EXCEPT.search(c)
    if not match:
        out = negative_findings(tokens, c)
        if ecfmg and J not in tokens and V in tokens and re.search(r"\bbut\b|\baccept", c):
            out.append(Finding("j1", "yes", 3))
        return out
    before, after = c[: match.start()], c[match.end():]
    after_tokens = visa_tokens(after)
    if not after_tokens & {H, J} and H in visa_tokens(before):
        if lex.RESTRICT.search(after):
            return [Finding("h1b", "limited", 3)]  # "not ... except in rare cases"
        if lex.CONDITION.search(after):
            # "not ... except for candidates who have passed Step 3": an ordinary
            # condition, as "only for candidates with Step 3"
            return [Finding("h1b", "yes", 3)]
        if lex.PEOPLE.search(after):
            return [Finding("h1b", "limited", 3)]  # "except for chief residents"
    out = negative_findings(visa_tokens(before) or {V}, before)
    if J in after_tokens:
        out.append(Finding("j1", "yes", 3))
    if H in after_tokens:
        out.append(Finding("h1b", "yes", 3))
    return out


# --- findings of a statement: key-value pairs, lists, denials, acceptances ----


@rule("key-value-answer", ("h1b=yes", "h1b=limited", "h1b=no", "j1=yes", "j1=no"), (
    ("H-1B: No. J-1: Yes.", "j1_only"),
    ("H-1B visa sponsorship: case by case", "h1b_limited"),
))
def _key_value(c: str) -> list[Finding] | None:
    """Read "key: value" (table rows, headings with items, "H-1B: No")."""
    key, _, value = c.partition(":")
    key, value = key.strip(), value.strip(" .")
    key_tokens, value_tokens = visa_tokens(key), visa_tokens(value)
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
        return limited_answer(key_tokens)  # yes in one column, no in another
    limited = lex.RESTRICT.search(value) and not lex.ANSWER_NO.search(value)
    if lex.ANSWER_LIMITED.search(value) or limited:
        return limited_answer(key_tokens)
    if lex.ANSWER_NO.search(value):
        return negative_findings(key_tokens, key)
    if lex.ANSWER_YES.search(value) or re.match(r"^(?:both|all)\b", value):
        return yes_answer(key_tokens, value)
    return None


def _is_list_key(key: str) -> bool:
    """A short key over a list of visas: a training group ("PGY-1 positions",
    "Fellows") or a list title ("Sponsorship", "Requirements")."""
    return len(key.split()) <= 4 and bool(lex.GROUP.search(key) or lex.LIST_TITLE.search(key))


_LIST_ITEM_WORDS = 7


def _is_list(value: str) -> bool:
    """A value made of short items ("J-1, H-1B (limited)"), not a sentence of its own
    ("Visa policy: sponsorship (J-1, H-1B) is not available" has a verb: a sentence)."""
    if lex.FINITE_VERB.search(value):
        return False
    return all(
        len(item.split()) <= _LIST_ITEM_WORDS for item in lex.LIST_SEPARATOR.split(value)
    )


@rule("status-list", ("h1b=yes", "h1b=no", "j1=yes", "j1=no"), (
    ("Visas accepted: J-1, permanent resident", "j1_only"),
    ("Visa: J-1 only, no H-1B", "j1_only"),
))
def _listing(key: str, value: str, extra: set[str]) -> list[Finding]:
    """A list of accepted visas/statuses; a negated item ("no H-1B") is denied."""
    if lex.TOPIC_WORDS.search(key):
        return []  # "Visa resources: H-1B overview, J-1 guide"
    positive, denied = set(extra), set()
    # "Visas we do not sponsor: H-1B, O-1" -- the key denies every item.
    key_denies = bool(lex.NEG.search(lex.FALSE_NEG.sub(" ", key)))
    for item in lex.LIST_SEPARATOR.split(value):
        item_tokens = visa_tokens(item)
        if not item_tokens or lex.TOPIC_WORDS.search(item):
            continue
        if key_denies or lex.NEG.search(lex.FALSE_NEG.sub(" ", item)):
            denied |= item_tokens
        else:
            positive |= item_tokens
    out = positive_findings(f"{key} {value}", positive - denied, listing=True, ecfmg=False)
    if denied:
        out = [f for f in out if f.axis not in _axes(denied)]
        out += negative_findings(denied, " ".join(sorted(denied)))
    return out


def _axes(tokens: set[str]) -> set[str]:
    return {axis for token, axis in ((H, "h1b"), (J, "j1")) if token in tokens}


def yes_answer(tokens: set[str], text: str) -> list[Finding]:
    out = []
    if H in tokens:
        out.append(Finding("h1b", "limited" if lex.RESTRICT.search(text) else "yes", 3))
    if J in tokens:
        out.append(Finding("j1", "yes", 3))
        if H not in tokens and V not in tokens:
            # "J-1: Yes" alone answers for the J-1 only: like a statement naming the
            # J-1 alone, the program's full answer, so H-1B is no (inferred, weakly:
            # an "H-1B: Yes" row or answer beside it wins).
            out.append(Finding("h1b", "no", 1))
    return out


def limited_answer(tokens: set[str]) -> list[Finding]:
    out = []
    if H in tokens:
        out.append(Finding("h1b", "limited", 3))
    if J in tokens:
        out.append(Finding("j1", "yes", 3))
    return out


@rule("denies-visas", ("h1b=no", "h1b=limited", "j1=no", "j1=no (inferred)"), (
    ("We are not able to sponsor H-1B visas; J-1 physicians sponsored by ECFMG are welcome.",
     "j1_only"),
    ("Visa sponsorship (J1, H1B or any other type) is not available.", "none"),
    ("We do not offer J-1 or H-1 visas; applicants must be US citizens or permanent residents.",
     "none"),
    ("J-1 and H-1B visas are not sponsored for preliminary positions.", "h1b_limited"),
))
def negative_findings(tokens: set[str], c: str) -> list[Finding]:
    """A denial covering every visa named in the clause."""
    out: list[Finding] = []
    if H in tokens:
        if lex.HEDGE_NEG.search(c) or lex.SUBGROUP_SCOPE.search(c):
            # "we generally do not sponsor"; "not sponsored for PGY-1 positions"
            # (so for some other positions)
            out.append(Finding("h1b", "limited", 3))
        else:
            out.append(Finding("h1b", "no", 2 if lex.NEW_ONLY.search(c) else 3))
    if J in tokens and not lex.SUBGROUP_SCOPE.search(c):
        # (a J-1 "not available for Transitional Year residents" is there for the others)
        out.append(Finding("j1", "no", 3))
    if tokens & {V, NC} or (S in tokens and NC in tokens):
        if H not in tokens:
            out.append(Finding("h1b", "no", 2))
        if J not in tokens:
            out.append(Finding("j1", "no", 1))
    return out


def _h1b_restricted(c: str) -> bool:
    # "limited to" reads as "only for": a restriction to a group ("limited to one
    # position", "to chief residents"), but an ordinary condition when what follows
    # is one ("limited to candidates who have passed all three Steps").
    scoped = bool(lex.LIMITED_TO.search(c))
    if lex.RESTRICT.search(lex.LIMITED_TO.sub(" ", c) if scoped else c):
        return True
    return (scoped or bool(lex.ONLY_SCOPE.search(c))) and not lex.CONDITION.search(c)


@rule("accepts-visas", ("h1b=yes", "h1b=limited", "h1b=no (inferred)", "j1=yes",
                        "j1=no (inferred)"), (
    ("We sponsor both J-1 and H-1B visas.", "h1b"),
    ("We accept J-1 visas.", "j1_only"),
    ("Applicants must be US citizens or permanent residents.", "none"),
    ("To be employed you must be a citizen, a permanent resident, a J-1 holder or an H-1B "
     "holder.", "h1b"),
    ("H-1B sponsorship is available per individual program policy.", "h1b_limited"),
    ("The H-1B is only available for chief residents.", "h1b_limited"),
    ("Applicants must hold a J-1 or another qualifying visa.", "unknown"),
    ("Non-US citizens must hold a visa that permits clinical training (J-1).", "j1_only"),
))
def positive_findings(c: str, tokens: set[str], listing: bool, ecfmg: bool) -> list[Finding]:
    """A statement that the program takes the visas (or statuses) it names."""
    out: list[Finding] = []
    only = bool(lex.ONLY.search(c))
    restricted = False
    if J not in tokens and V in tokens and ecfmg:
        tokens = tokens | {J}  # "we accept ECFMG-sponsored visas"
    if H in tokens:
        # "H-1B visa holders may apply": only those who already hold one.  "We accept
        # J-1 and H-1B visa holders" accepts H-1B (the taxonomy's "accepts"), unless
        # "only" narrows it to the holders ("we only accept current H-1B holders").
        holders = lex.H1B_HOLDERS.search(c) and (
            not (lex.SPONSOR_VERB.search(c) or lex.ACCEPT.search(c)) or lex.ONLY.search(c)
        ) and not _statuses_of_employment(c, tokens)
        restricted = bool(_h1b_restricted(c) or holders)
        out.append(Finding(
            "h1b", "limited" if restricted else "yes", 3,
            holders=restricted and bool(holders or lex.HOLDERS_ONLY.search(c)),
            new_petitions=not restricted and bool(
                lex.NEW_ONLY.search(c) and lex.SPONSOR_VERB.search(c)
            ),
        ))
        if S in tokens and J not in tokens and (only or listing or lex.REQUIRE.search(c)
                                                or lex.APPLY.search(c)):
            # "US citizens, permanent residents and current H-1B holders may apply":
            # the full list leaves the J-1 out (weakly: a J-1 sentence overrides).
            out.append(Finding("j1", "no", 1))
    if J in tokens:
        out.append(Finding("j1", "yes", 3))
        if H not in tokens:
            # A policy naming J-1 alone is the program's full answer.  "All other
            # IMGs / programs: J-1 only" presupposes a group that gets more: a
            # partial policy, so H-1B is limited.
            partial = only and lex.ALL_OTHER.match(c)
            if only or not lex.OPEN_LIST.search(c):
                out.append(Finding("h1b", "limited" if partial else "no", 3 if only else 1))
            else:
                out.append(Finding("h1b", OPEN, 0))
    elif H in tokens and lex.H1B_ONLY.search(c) and not restricted:
        # "We accept H-1B visas only."  (In "we only accept H-1B holders who are
        # transferring" the "only" restricts the H-1B, it does not list visas.)
        out.append(Finding("j1", "no", 1))
    elif S in tokens and H not in tokens and not lex.OPEN_STATUS.search(c) and (
        only or listing or lex.REQUIRE.search(c)
        or (lex.ACCEPT.search(c) and not lex.NOT_EXHAUSTIVE.search(c))
    ):
        # "Applicants must be US citizens, permanent residents or hold an EAD."
        # "We accept US citizens and permanent residents." is the full list too
        # (unless it is marked open: "including", "such as", "also").
        # Inferred, so an explicit J-1 statement beside it wins ("...; J visas
        # are acceptable in select situations").
        out.append(Finding("j1", "no", 2))
        out.append(Finding("h1b", "no", 2))
    return out


def _statuses_of_employment(c: str, tokens: set[str]) -> bool:
    """ "To be employed you must be a citizen, a permanent resident, a J-1 holder or an
    H-1B holder": a required list of the statuses trainees may hold, naming the J-1
    (which no applicant holds before the Match) beside the H-1B, lists the H-1B as a
    status the program takes -- not only for those who already hold one."""
    return (
        S in tokens and J in tokens and bool(lex.REQUIRE.search(c))
        and not lex.ONLY.search(c) and not lex.HOLDERS_ONLY.search(c)
    )


@rule("step3-condition", ("step3=true", "step3=false"), (
    ("Both J-1 and H-1B visas are sponsored. Step 3 must be passed before February 1 to be "
     "considered for an H-1B.", "h1b"),
))
def step3_findings(c: str, h_context: bool) -> list[Finding]:
    """Whether the H-1B depends on USMLE Step 3 (required, or said not to be)."""
    if ST not in c or not h_context or lex.STEP3_PREFERENCE.search(c):
        return []
    if lex.STEP3_NOT_FOR_APPLYING.search(c):
        # "not required to apply" is a denial unless the text goes on to require
        # Step 3 for the petition ("..., but it must be passed before we file").
        rest = lex.STEP3_NOT_FOR_APPLYING.sub(" ", c)
        return [Finding("step3", bool(lex.STEP3_LATER.search(rest)), 3)]
    if lex.STEP3_NOT_NEEDED.search(c) or lex.STEP3_WAIVED.search(c):
        return [Finding("step3", False, 3)]
    if lex.STEP3_NEEDED.search(c):
        return [Finding("step3", True, 3)]
    return []


# --- rules made inline above (see monitor.classify.rules) ----------------------

_R_ECFMG_DOES = inline(
    "ecfmg-does", "A J-1 denial followed by \"ECFMG does\" names ECFMG as the J-1's sponsor.",
    ("j1=yes", "h1b=no (inferred)"),
    (("The hospital does not itself sponsor the J-1; ECFMG does.", "j1_only"),),
    f"{__name__}.analyse_unit",
)
_R_HEDGE_AFTER_OFFER = inline(
    "hedge-after-offer", "A hedge on visa sponsorship right after an H-1B offer limits it.",
    ("h1b=limited",),
    (("We sponsor J-1 and H-1B visas. The Institution reserves the right to determine which "
      "visa is offered.", "h1b_limited"),
     ("We sponsor H-1B visas, but this is decided case by case.", "h1b_limited")),
    f"{__name__}.analyse_unit",
)
_R_NOT_A_POLICY = inline(
    "not-a-policy", "Explanations, news, past policy and talk about other programs decide "
    "nothing.", (),
    (("The J-1 is an exchange visitor visa sponsored by ECFMG.", "unknown"),
     ("Many community programs sponsor only J-1 visas.", "unknown"),
     ("FMGs have two main options: the J-1 visa and the H-1B visa.", "unknown"),
     ("If a program sponsors the H-1B, it must also pay the filing fees.", "unknown")),
    f"{__name__}.skip_clause",
)
_R_STILL_OTHERS = inline(
    "still-other-programs", "A clause opening with \"they\" (or \"these programs\") right "
    "after one about other programs still speaks of them.", (),
    (("Several top programs do not accept the H-1B visa. They accept the J-1 visa instead.",
      "unknown"),
     ("Many competitive programs prefer the J-1, because they do not sponsor the H-1B.",
      "unknown")),
    f"{__name__}.analyse_unit",
)
_R_STEP3_WAIVED = inline(
    "step3-waived", "\"We do not require Step 3 (for H-1B candidates)\" lifts a condition; "
    "it denies nothing.", (),
    (("We do not require Step 3 before the Match for H-1B candidates. Both J-1 and H-1B are "
      "sponsored.", "h1b"),),
    f"{__name__}._analyse_clause",
)
_R_UNLESS_STEP3 = inline(
    "h1b-unless-step3", "\"H-1B is not sponsored unless Step 3 is passed\" is an offer on a "
    "condition.", ("h1b=yes",),
    (("H-1B visas are not sponsored unless Step 3 is passed before ranking.", "h1b"),),
    f"{__name__}._analyse_clause",
)
_R_HEDGED_DENIAL = inline(
    "hedged-denial", "A hedged or partial denial (\"not guaranteed\", \"not in all "
    "departments\") limits the H-1B.", ("h1b=limited",),
    (("H-1B sponsorship is not guaranteed.", "h1b_limited"),),
    f"{__name__}._analyse_clause",
)
_R_VISITORS = inline(
    "visitor-visas", "On a page for visitors, visas named without a kind after visitor visas "
    "(B1/B2, ESTA) in the same paragraph are visitor visas: an observer's, not a trainee's.",
    (), (("Observership Program\n- You must obtain a visa (B1/B2 or ESTA). The hospital does "
          "not sponsor visas.", "unknown"),),
    f"{__name__}.analyse_unit",
)
_R_SEEKERS_RULE = inline(
    "seekers-rule", "What those who seek a visa must do (\"Physicians applying for a "
    "J-1 must obtain ECFMG certification\"), or a title of a visa's own requirements, says "
    "nothing of which visas the program takes.",
    (), (("To apply for the J-1 as a doctor, you must meet several requirements.", "unknown"),
         ("Physicians applying for a J-1 visa must obtain ECFMG certification.", "unknown"),
         ("Requirements for H-1B Visa Status for Physicians", "unknown")),
    f"{__name__}._analyse_clause",
)
_R_EXCLUDED_WITHOUT = inline(
    "excluded-without", "Those without a visa or status turned away (\"applicants without "
    "a J-1 visa will not be considered\") are told it is required (an H-1B: its holders only).",
    ("j1=yes", "j1=no (inferred)", "h1b=limited", "h1b=no (inferred)"),
    (("Applicants who are not US citizens and who list no J-1 visa on the application will "
      "not be considered.", "j1_only"),
     ("Applicants without a valid H-1B visa are not eligible.", "h1b_limited"),
     ("Applicants who do not have a green card will not be considered.", "none")),
    f"{__name__}._analyse_clause",
)
_R_STEP3_FACT = inline(
    "h1b-step3-fact", "\"Step 3 is required to obtain an H-1B\", with no word of a program "
    "or its applicants, is the visa's own requirement: it decides nothing.", (),
    (("Step 3 is required to obtain an H-1B visa for residency.", "unknown"),),
    f"{__name__}._analyse_clause",
)
_R_STEP3_POLICY = inline(
    "h1b-step3-policy", "\"H-1B sponsorship requires Step 3\" says the program sponsors "
    "H-1B (on that condition).", ("h1b=yes", "h1b=limited"),
    (("H-1B sponsorship requires passing Step 3 before the rank list deadline.", "h1b"),),
    f"{__name__}._analyse_clause",
)
