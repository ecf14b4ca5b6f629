"""Classifier behaviour: taxonomy hard cases, page shapes, evidence, combine()."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from monitor.classify.verdict import (
    UNKNOWN,
    Evidence,
    Verdict,
    classify_html,
    classify_text,
    combine,
    derive_category,
)
from monitor.extract.htmltext import html_to_text

URL = "https://example.org/residency/visas"


def axes(verdict: Verdict) -> tuple:
    return (verdict.category, verdict.h1b, verdict.j1, verdict.step3_required)


# --- the taxonomy's hard cases, one test each -----------------------------------


def test_hard_case_negation_then_ecfmg_j1_welcome():
    verdict = classify_text(
        "We are not able to sponsor H-1B visas; J-1 physicians sponsored by ECFMG are welcome."
    )
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_hard_case_hospital_cannot_sponsor_any_visa_but_ecfmg_j1_may_apply():
    verdict = classify_text(
        "The hospital cannot sponsor any immigration visa, but ECFMG J-1 holders may apply."
    )
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_hard_case_h1_means_h1b_and_citizenship_required():
    verdict = classify_text(
        "We do not offer J-1 or H-1 visas; applicants must be US citizens or permanent residents."
    )
    assert axes(verdict) == ("none", "no", "no", None)


def test_hard_case_no_visa_sponsorship_of_any_type():
    verdict = classify_text("Visa sponsorship (J1, H1B or any other type) is not available.")
    assert axes(verdict) == ("none", "no", "no", None)


def test_hard_case_step3_and_exceptional_circumstances_is_limited():
    verdict = classify_text(
        "H-1B sponsorship is considered only for candidates who passed Step 3 before the rank "
        "list deadline and only in exceptional circumstances."
    )
    assert verdict.category == "h1b_limited"
    assert verdict.h1b == "limited"
    assert verdict.step3_required is True


def test_hard_case_both_sponsored_with_step3_deadline():
    verdict = classify_text(
        "Both J-1 and H-1B visas are sponsored. Step 3 must be passed before February 1 to be "
        "considered for an H-1B."
    )
    assert axes(verdict) == ("h1b", "yes", "yes", True)


@pytest.mark.parametrize(
    "spelling",
    ["H1B", "H-1B", "H1-B", "H 1B", "H1b", "h-1b", "H\u20111B", "H\u20131B", "H\u22121B",
     "H\u20101B", "H\u20121B", "H\u20141B", "H\u20151B", "H-1B's", "H1Bs"],
)
def test_hard_case_h1b_spelling_variants(spelling):
    verdict = classify_text(f"We sponsor {spelling} visas.")
    assert verdict.h1b == "yes"
    assert verdict.category == "h1b"


@pytest.mark.parametrize("spelling", ["J1", "J-1", "J\u20111", "j-1", "J 1", "J\u20131"])
def test_hard_case_j1_spelling_variants(spelling):
    verdict = classify_text(f"We sponsor {spelling} visas only.")
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_hard_case_h1_alone_counts_in_visa_context_only():
    assert classify_text("We do not sponsor H-1 visas.").h1b == "no"
    assert classify_text("H1\nWelcome to the Department of Medicine").h1b == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "The J-1 is an exchange visitor visa sponsored by ECFMG for physicians in training.",
        "News: the H-1B lottery registration opens in March; the cap was reached last year.",
        "Visa and Mastercard accepted.",
        "The clinic is in Tower J1, next to Lot H1.",
        "Print on A4 paper. Take vitamin B1 daily.",
        "For questions about visa sponsorship, contact the GME office.",
    ],
)
def test_hard_case_text_without_stance_is_unknown(text):
    verdict = classify_text(text, URL)
    assert verdict == UNKNOWN
    assert verdict.evidence == ()


# --- negation scope, restrictions, statuses ---------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We do not sponsor J1, H1B, or other visas.", ("none", "no", "no")),
        ("We are unable to sponsor H-1B visas at this time.", ("j1_only", "no", "unknown")),
        ("We no longer sponsor H-1B visas.", ("j1_only", "no", "unknown")),
        ("At this time we do not sponsor H1B visas.", ("j1_only", "no", "unknown")),
        ("H-1B sponsorship is not available.", ("j1_only", "no", "unknown")),
        ("The program does not currently offer H-1B sponsorship.", ("j1_only", "no", "unknown")),
        ("We sponsor J1 but not H1B visas.", ("j1_only", "no", "yes")),
        ("We accept J-1 visas and do not sponsor H-1B visas.", ("j1_only", "no", "yes")),
        ("We do not sponsor visas other than the J-1.", ("j1_only", "no", "yes")),
        ("We do not sponsor visas.", ("none", "no", "no")),
    ],
)
def test_negation_and_its_scope(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == expected


@pytest.mark.parametrize(
    "text",
    [
        "H-1B visas are considered on a case-by-case basis.",
        "H-1B sponsorship is available on a limited basis.",
        "A limited number of H-1B visas are sponsored each year.",
        "H1B sponsorship is reserved for exceptional candidates.",
        "We only sponsor H-1B visas for applicants who already hold an H-1B visa.",
        "H-1B sponsorship is limited to U.S. medical graduates currently on an F-1 visa.",
        "Some of our programs sponsor H-1B visas; others do not.",
        "The program may consider H-1B sponsorship.",
        "H-1B visas are rarely sponsored.",
    ],
)
def test_restrictions_make_h1b_limited(text):
    verdict = classify_text(text)
    assert verdict.h1b == "limited"
    assert verdict.category == "h1b_limited"


def test_ordinary_step3_condition_does_not_limit_h1b():
    verdict = classify_text(
        "H-1B visas are sponsored for all matched applicants who pass Step 3 by March 1."
    )
    assert axes(verdict) == ("h1b", "yes", "unknown", True)


@pytest.mark.parametrize(
    "text",
    [
        "Applicants must be a US citizen, permanent resident, or hold an EAD.",
        "Only U.S. citizens and lawful permanent residents are eligible.",
        "Applicants must have a green card or be US citizens.",
        "Non-U.S. citizens must hold a green card to be considered.",
        "We do not accept non-citizens.",
    ],
)
def test_citizenship_or_residency_requirement_excludes_j1(text):
    verdict = classify_text(text)
    assert (verdict.category, verdict.j1) == ("none", "no")


def test_list_of_accepted_statuses_is_the_full_list():
    verdict = classify_text("We accept the following: J-1, permanent resident.")
    assert axes(verdict) == ("j1_only", "no", "yes", None)
    verdict = classify_text("Applicants with a J-1 visa or a green card are accepted.")
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_step3_not_required():
    verdict = classify_text("We sponsor H-1B visas; Step 3 is not required before residency.")
    assert (verdict.h1b, verdict.step3_required) == ("yes", False)


def test_step3_for_j1_only_is_not_an_h1b_condition():
    verdict = classify_text("We sponsor H-1B visas. Step 3 is not required for J-1 applicants.")
    assert verdict.step3_required is None


# --- page shapes ----------------------------------------------------------------------


def test_faq_question_then_no():
    verdict = classify_text("Do you sponsor H-1B visas?\nNo.")
    assert axes(verdict) == ("j1_only", "no", "unknown", None)


def test_faq_yes_we_sponsor_both():
    verdict = classify_text("Do you sponsor H-1B and J-1 visas? Yes, we sponsor both.")
    assert axes(verdict) == ("h1b", "yes", "yes", None)


def test_faq_answer_with_restriction():
    verdict = classify_html("<dt>Do you sponsor H1B?</dt><dd>Only in exceptional cases.</dd>")
    assert verdict.h1b == "limited"


def test_question_alone_decides_nothing():
    assert classify_text("Do you sponsor H-1B visas?") == UNKNOWN
    assert classify_text("Does the program sponsor J-1 or H-1B visas?\nWhat is a J-1?") == UNKNOWN


def test_heading_followed_by_items():
    verdict = classify_text("Visas accepted:\n- J-1 (ECFMG)\n- Permanent resident card")
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_heading_without_colon_followed_by_answer():
    assert classify_text("Visa sponsorship\nNot available").category == "none"
    assert classify_text("Visa Sponsorship\nJ-1 only").category == "j1_only"


def test_table_row_key_value():
    verdict = classify_html("<table><tr><td>Visa sponsorship</td><td>J-1 only</td></tr></table>")
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_table_with_header_row():
    html = (
        "<table><tr><th>Program</th><th>Visa types</th></tr>"
        "<tr><td>Internal Medicine</td><td>J-1, H-1B</td></tr></table>"
    )
    assert classify_html(html).category == "h1b"


def test_stance_in_the_middle_of_a_long_paragraph():
    text = (
        "Founded in 1923, the hospital serves three counties. Residents rotate at two sites. "
        "Regarding visas, the program sponsors J-1 visas and, in rare cases, H-1B visas. "
        "Benefits include meals, parking and four weeks of vacation."
    )
    assert classify_text(text).category == "h1b_limited"


def test_stance_split_across_tags_with_entities():
    html = "<p>We do <em>not</em> sponsor <span>H</span>-<span>1B</span> or J&#8209;1 visas.</p>"
    assert classify_html(html).category == "none"


def test_navigation_and_footer_do_not_count():
    html = (
        "<nav><a href='/visa'>Visa sponsorship: J-1 only</a></nav>"
        "<p>Welcome.</p><footer>Visa and Mastercard accepted.</footer>"
    )
    assert classify_html(html) == UNKNOWN


def test_classify_html_is_classify_text_of_extracted_text():
    html = "<h3>Visa Sponsorship</h3><ul><li>J-1</li><li>H-1B</li></ul>"
    assert classify_html(html, URL) == classify_text(html_to_text(html), URL)
    assert classify_html(html.encode(), URL) == classify_text(html_to_text(html), URL)


# --- rules added with the real-world set (tests/data/classifier_realworld.jsonl) ---------
# Invented wordings, not copies of the set's statements.


@pytest.mark.parametrize(
    "text, expected",
    [
        # typographic apostrophes, as most web pages print them
        ("We don\u2019t sponsor H-1B visas.", ("j1_only", "no", "unknown")),
        ("We can\u2019t sponsor any visas.", ("none", "no", "no")),
        # spaced hyphens in visa names
        ("We sponsor H -1B and J- 1 visas.", ("h1b", "yes", "yes")),
        # quantifying negations are not denials
        ("We place no cap on the number of H-1B residents we sponsor.", ("h1b", "yes", "unknown")),
        ("Being cap-exempt, we are not subject to the lottery, and we file H-1B petitions.",
         ("h1b", "yes", "unknown")),
        ("Not only J-1 physicians are welcome: we also sponsor the H-1B.", ("h1b", "yes", "yes")),
        # what follows "except" in a positive statement is denied
        ("All visa categories are accepted except the H-1B.", ("j1_only", "no", "unknown")),
        # denial verbs without "not"
        ("H-1B sponsorship is unavailable to residents.", ("j1_only", "no", "unknown")),
        ("The department lacks the funding to sponsor H-1B visas.", ("j1_only", "no", "unknown")),
    ],
)
def test_negation_forms(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # H-1B for people who are not trainees says nothing about trainees
        ("The university files H-1B petitions for faculty members. Residents train on J-1 visas.",
         ("j1_only", "no", "yes")),
        # ECFMG as the agent: a fact about ECFMG, not a policy of the program
        ("H-1B visas are not sponsored by ECFMG.", ("unknown", "unknown", "unknown")),
        # law firms and consular logistics
        ("Our partner law firm, Lee & Roy LLP, handles H-1B and O-1 petitions.",
         ("unknown", "unknown", "unknown")),
        ("Book your J-1 visa appointment at the consulate early.",
         ("unknown", "unknown", "unknown")),
        ("Conference room J1 is on the second floor; the H1 parking garage is closed.",
         ("unknown", "unknown", "unknown")),
        # a bare "authorized to work" is not a citizenship requirement ...
        ("Candidates must be eligible to work in the United States.",
         ("unknown", "unknown", "unknown")),
        # ... but "without sponsorship" is
        ("Candidates must be able to work in the US without the need for visa sponsorship.",
         ("none", "no", "no")),
        # denying employment visas does not deny the J-1
        ("We do not sponsor employment-based visas.", ("j1_only", "no", "unknown")),
        ("We do not sponsor O-1 or TN visas; J-1 is accepted.", ("j1_only", "no", "yes")),
    ],
)
def test_subjects_and_contexts(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Visas accepted: J-1; no H-1B", ("j1_only", "no", "yes")),
        ("Visa sponsorship: H-1B (J-1 not accepted)", ("h1b", "yes", "no")),
        ("J1 visa: Yes / H1B visa: No", ("j1_only", "no", "yes")),
        ("J-1 / H-1B: both sponsored", ("h1b", "yes", "yes")),
        ("Visas\nJ-1 - yes\nH-1B - case by case", ("h1b_limited", "limited", "yes")),
        ("Is H-1B sponsorship offered? no", ("j1_only", "no", "unknown")),
        ("Do you sponsor visas?\nYes: J-1 and H-1B.", ("h1b", "yes", "yes")),
        ("Does the program sponsor H-1B or J-1?\nNeither.", ("none", "no", "no")),
        ("PGY-1 positions: J-1 only\nPGY-2 positions: J-1 or H-1B",
         ("h1b_limited", "limited", "yes")),
        ("Sponsorship\nJ-1\nH-1B", ("h1b", "yes", "yes")),
    ],
)
def test_lists_pairs_and_answers(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == expected


def test_list_under_a_title_without_colon():
    verdict = classify_text(
        "Application Requirements\n- USMLE Step 1 and Step 2 CK passed on the first attempt\n"
        "- Graduated in 2020 or later\n- J-1 visa eligibility"
    )
    assert axes(verdict) == ("j1_only", "no", "yes", None)
    verdict = classify_text("Requirements\n* Three letters\n* U.S. citizen or green card holder")
    assert axes(verdict) == ("none", "no", "no", None)


def test_definition_list_pairs():
    verdict = classify_html("<dl><dt>J-1</dt><dd>Yes</dd><dt>H-1B</dt><dd>No</dd></dl>")
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_items_under_a_paragraph_heading():
    verdict = classify_html(
        "<p>IMGs are welcome. Visa options:</p><ul><li>J-1 (through ECFMG)</li>"
        "<li>H-1B \u2013 rarely, Step 3 required</li></ul>"
    )
    assert axes(verdict) == ("h1b_limited", "limited", "yes", True)


def test_table_of_programs_with_mixed_h1b_is_limited():
    verdict = classify_html(
        "<table><tr><th>Program</th><th>J-1</th><th>H-1B</th></tr>"
        "<tr><td>Neurology</td><td>Yes</td><td>No</td></tr>"
        "<tr><td>Psychiatry</td><td>Yes</td><td>Yes</td></tr></table>"
    )
    assert axes(verdict) == ("h1b_limited", "limited", "yes", None)


def test_table_whose_first_row_is_answers_has_no_header():
    verdict = classify_html(
        "<table><tr><td>IMGs considered</td><td>Yes</td></tr>"
        "<tr><td>H-1B sponsored</td><td>No</td></tr><tr><td>J-1 accepted</td><td>Yes</td></tr>"
        "</table>"
    )
    assert axes(verdict) == ("j1_only", "no", "yes", None)


def test_column_table_yes_for_one_group_no_for_another():
    verdict = classify_html(
        "<table><tr><th>Visa</th><th>Residents</th><th>Fellows</th></tr>"
        "<tr><td>H-1B</td><td>Yes</td><td>No</td></tr></table>"
    )
    assert verdict.h1b == "limited"


def test_topic_lists_and_rosters_are_not_policies():
    assert classify_text("Visa resources\nH-1B overview\nJ-1 checklist") == UNKNOWN
    verdict = classify_html(
        "<table><tr><th>Name</th><th>Visa</th></tr><tr><td>Dr. Ito</td><td>H-1B</td></tr>"
        "<tr><td>Dr. Roy</td><td>J-1</td></tr></table>"
    )
    assert verdict == UNKNOWN


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We sponsored H-1B visas until 2019 but no longer do so.", ("j1_only", "no")),
        ("Since 2012 the program has sponsored H-1B visas, and it still does.", ("h1b", "yes")),
        ("In 2012 the program started sponsoring H-1B visas and continues to do so.",
         ("h1b", "yes")),
    ],
)
def test_past_policy_restated_or_withdrawn(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b) == expected


@pytest.mark.parametrize(
    "text, step3",
    [
        ("We sponsor H-1B visas. Step 3 is not required to apply, but it must be passed before "
         "we file the petition.", True),
        ("We sponsor H-1B visas. Step 3 is not required at the time of application.", False),
        ("We sponsor H-1B visas for candidates with a passing Step 3 score.", True),
        ("H-1B sponsorship is offered to applicants who have passed all three USMLE steps.", True),
    ],
)
def test_step3_scope(text, step3):
    assert classify_text(text).step3_required is step3


def test_restriction_cues_added():
    assert classify_text("H-1B sponsorship is offered to the top-ranked applicants only.").h1b == (
        "limited"
    )
    assert classify_text("H-1B: considered in select cases.").h1b == "limited"
    assert classify_text("Individual programs may elect not to sponsor H-1B visas.").h1b == (
        "limited"
    )
    # the applicant's own preference restricts nothing
    assert classify_text(
        "We sponsor the J-1 or the H-1B, according to the applicant's preference."
    ).h1b == "yes"


# --- rules from the second blind review (classifier_blind2.jsonl) -----------------------
# Invented wordings, not copies of the set's statements.


@pytest.mark.parametrize(
    "text, expected",
    [
        # "applicants are not accepted / eligible / considered" is a denial, not an
        # attribute of the applicants ("applicants who are not US citizens")
        ("Applicants are not eligible for H-1B sponsorship.", ("j1_only", "no", "unknown")),
        ("Candidates are not considered if they require an H-1B.", ("j1_only", "no", "unknown")),
        # a comma splice starts a clause with its own polarity
        ("J1 visa holders are welcome, H1B visas are not sponsored", ("j1_only", "no", "yes")),
        ("Our program does not generally sponsor H-1B visas, J-1s are accepted.",
         ("h1b_limited", "limited", "yes")),
        # a denial scoped to some positions leaves H-1B open for the others
        ("We cannot sponsor H-1B visas for preliminary positions.",
         ("h1b_limited", "limited", "unknown")),
        # H-1B for one training group, J-1 for another
        ("H-1B for fellows; residents must hold a J-1.", ("h1b_limited", "limited", "yes")),
        # an exception for a group of people vs an ordinary condition
        ("We do not sponsor H-1B visas except for chief residents.",
         ("h1b_limited", "limited", "unknown")),
        ("We do not sponsor H-1B except for candidates who have passed Step 3.",
         ("h1b", "yes", "unknown")),
        # accepting holders of an H-1B is not sponsoring new ones
        ("We welcome applications from H-1B visa holders.", ("h1b_limited", "limited", "unknown")),
        # ... and a status list that leaves out the J-1 excludes it
        ("Applicants must be US citizens, permanent residents, or have an H-1B visa.",
         ("h1b_limited", "limited", "no")),
        # "no other visa" after the J-1 leaves the J-1 in; after the H-1B it does not
        ("ECFMG is the J-1 sponsor for our residents; we sponsor no other visa types.",
         ("j1_only", "no", "yes")),
        ("We sponsor H-1B visas. No other visas are sponsored.", ("h1b", "yes", "no")),
        # "J-1 sponsorship is through ECFMG" is the program's answer; "the J-1 is
        # sponsored by ECFMG" alone only says who sponsors it
        ("Visa sponsorship\nJ-1 sponsorship is provided through the ECFMG.",
         ("j1_only", "no", "yes")),
        ("The J-1 visa is sponsored by ECFMG.", ("unknown", "unknown", "unknown")),
        ("We do not sponsor H-1B. J-1 visas are sponsored through ECFMG.",
         ("j1_only", "no", "yes")),
        # a conclusion denies the visas of the conditional offer before it
        ("Visas (H-1B, J-1, TN) are sponsored only for critical-need positions. None of our "
         "residencies is designated critical-need; therefore we do not sponsor visas.",
         ("none", "no", "no")),
        # a person's status line is no policy; a policy line with "only" is
        ("Visa status: H-1B", ("unknown", "unknown", "unknown")),
        ("Visa Status: J1 (ECFMG)", ("unknown", "unknown", "unknown")),
        ("Visa status: J-1 only", ("j1_only", "no", "yes")),
        # the answer to an explanatory question explains, unless it names the program
        ("What is the J-1 visa?\nResidents on a J-1 are sponsored by ECFMG and must return "
         "home for two years.", ("unknown", "unknown", "unknown")),
        ("What is an H-1B visa?\nIt is a work visa. We sponsor H-1B visas for our residents.",
         ("h1b", "yes", "unknown")),
        # events, observers
        ("A welcome picnic for J-1 and H-1B residents is held every August.",
         ("unknown", "unknown", "unknown")),
        ("We do not sponsor visas for visiting students.", ("unknown", "unknown", "unknown")),
        # "H-1B friendly"; a bare "H-1" in a paragraph about visas; "J visas"
        ("Our residency is H1B friendly.", ("h1b", "yes", "unknown")),
        ("J-1 and F-1 accepted. H-1 case by case.", ("h1b_limited", "limited", "yes")),
        ("Applicants must be US citizens or permanent residents; J visas are accepted in some "
         "situations.", ("j1_only", "no", "yes")),
        # ranking at the top and US-school graduates are restrictions
        ("H-1B sponsorship is offered only to applicants who pass Step 3 and rank near the top "
         "of our list.", ("h1b_limited", "limited", "unknown")),
        ("We sponsor H-1B visas for residents who graduated from an American medical school.",
         ("h1b_limited", "limited", "unknown")),
    ],
)
def test_blind2_review_rules(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == expected


# --- rules from the third blind review (classifier_blind3.jsonl) ------------------------
# Invented wordings, not copies of the set's statements.


@pytest.mark.parametrize(
    "text, expected",
    [
        # "accept" is one of the taxonomy's yes verbs, for visas and for their holders
        ("We accept H-1B visa holders.", ("h1b", "yes", "unknown")),
        ("IMGs on J-1 or H-1B visas are accepted.", ("h1b", "yes", "yes")),
        # ... unless "only", "current"/"already" or "transfer" narrows it to holders
        ("We only accept H-1B visa holders.", ("h1b_limited", "limited", "unknown")),
        ("Current H-1B holders are accepted.", ("h1b_limited", "limited", "unknown")),
        ("We accept transfers of H-1B visas.", ("h1b_limited", "limited", "unknown")),
        ("We do not file new H-1B petitions; we accept transfers only.",
         ("h1b_limited", "limited", "unknown")),
        # ... and new petitions beside transfers are not restricted
        ("We take H-1B transfers and also file new H-1B petitions.", ("h1b", "yes", "unknown")),
        # an "only" that restricts the H-1B does not list the visas
        ("We can only accept H-1B holders transferring from another program.",
         ("h1b_limited", "limited", "unknown")),
        # hedges: "may sponsor" with any subject, funding, approval by an authority
        ("The department may sponsor H-1B visas.", ("h1b_limited", "limited", "unknown")),
        ("Residents may be sponsored for either J-1 or H-1B visas.", ("h1b", "yes", "yes")),
        ("H-1B sponsorship is considered if departmental funding permits.",
         ("h1b_limited", "limited", "unknown")),
        ("H-1B sponsorship requires approval from the chair.",
         ("h1b_limited", "limited", "unknown")),
        ("The Hospital reserves the right to decline H-1B sponsorship.",
         ("h1b_limited", "limited", "unknown")),
        ("We sponsor J-1 and H-1B visas. Visa sponsorship is at the discretion of the DIO.",
         ("h1b_limited", "limited", "yes")),
        # "limited to" an ordinary condition is not a restriction
        ("H-1B sponsorship is limited to candidates who pass Step 3 before ranking.",
         ("h1b", "yes", "unknown")),
        # past and future: only the present policy counts
        ("Until 2024 we sponsored H-1B visas; beginning with the 2025 Match we accept J-1 "
         "visas only.", ("j1_only", "no", "yes")),
        ("We would like to offer H-1B sponsorship in the future.",
         ("unknown", "unknown", "unknown")),
        ("We sponsor J-1 visas and hope to add H-1B sponsorship eventually.",
         ("j1_only", "no", "yes")),
        ("We do not sponsor H-1B visas now or in the future.", ("j1_only", "no", "unknown")),
        ("We will continue to sponsor H-1B visas in the future.", ("h1b", "yes", "unknown")),
        ("We offer H-1B sponsorship to all residents, including those who previously "
         "trained elsewhere.", ("h1b", "yes", "unknown")),
        # answers that open with a time phrase
        ("Q: Do you sponsor H-1B visas?\nA: At present, no.", ("j1_only", "no", "unknown")),
        ("Q: Do you sponsor H-1B visas?\nA: Currently, yes.", ("h1b", "yes", "unknown")),
        # FAQ asked as a holder: a "yes" lets holders apply
        ("Can I apply if I already have an H-1B?\nYes, you may apply.",
         ("h1b_limited", "limited", "unknown")),
        # a parenthesis with its own subject is its own clause
        ("Applicants must qualify for the J-1 (we cannot sponsor H-1B).",
         ("j1_only", "no", "yes")),
        # "not limited" quantifies
        ("H-1B slots are limited; J-1 slots are not limited.", ("h1b_limited", "limited", "yes")),
        # emoji marks before a visa name; check marks answering a key
        ("Visas: \u274c H-1B \u2705 J-1", ("j1_only", "no", "yes")),
        ("J-1: \u2714 H-1B: \u2718", ("j1_only", "no", "yes")),
        # a name, a parenthetical, and a dashed answer
        ("IMGs: H-1B (cap-exempt) \u2013 no; J-1 \u2013 yes", ("j1_only", "no", "yes")),
        # people, non-trainees, travel visas
        ("Dr. Singh completed residency here on an H-1B visa.",
         ("unknown", "unknown", "unknown")),
        ("She is on a J-1 visa.", ("unknown", "unknown", "unknown")),
        ("H-1B sponsorship is available once he or she has passed Step 3.",
         ("h1b", "yes", "unknown")),
        ("We sponsor H-1B visas for registered nurses and pharmacists.",
         ("unknown", "unknown", "unknown")),
        ("Our lab sponsors postdoctoral fellows on J-1 research scholar visas.",
         ("unknown", "unknown", "unknown")),
        ("We cannot issue invitation letters for B-1/B-2 visitor visas.",
         ("unknown", "unknown", "unknown")),
        ("Electives abroad may require an e-Visa.", ("unknown", "unknown", "unknown")),
        # a GME page: "all (residency) programs" followed by a stance is its own policy
        ("All programs accept the J-1 visa; H-1B visas are sponsored in Medicine only.",
         ("h1b_limited", "limited", "yes")),
        ("Most programs sponsor J-1 visas.", ("unknown", "unknown", "unknown")),
    ],
)
def test_blind3_review_rules(text, expected):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == expected


def test_pdf_line_wraps_are_joined():
    # a hyphen split inside a visa name or a word, and a sentence wrapped mid-way
    verdict = classify_text(
        "The program sponsors J-1 and H-\n1B visas for residents. H-1B sponsorship requires\n"
        "a passing score on USMLE Step\n3 before the start of training."
    )
    assert (verdict.category, verdict.step3_required) == ("h1b", True)
    assert classify_text("The fellowship does not spon-\nsor visas of any kind.").category == (
        "none"
    )
    # a title or list item is not a wrapped sentence
    verdict = classify_text("Visa sponsorship\nnot available for J-1 holders")
    assert verdict.category != "h1b"


@pytest.mark.parametrize(("text", "category"), [
    # a line cut where no sentence ends continues whatever the next line starts with
    ("- Applicants must hold a valid permanent Visa or U.S. citizenship. No\nH1B Visas will "
     "be accepted.\n- All candidates must hold an Illinois license.", "none"),
    ("Although many programs sponsor H-1B visas, ours does not. We accept\nJ-1 visas.",
     "j1_only"),
    ("Visas (including temporary TN work status and temporary H-1B and J-1)\ncan be sponsored "
     "only for hard-to-fill positions. Our programs do not meet that criterion.", "none"),
    # ... or on a comma, or on "U.S." before a lower-case line
    ("Eligibility: a valid ECFMG certificate. U.S. citizen,\nUS permanent resident with a work "
     "permit, or visitor with a J-1 visa.", "j1_only"),
    ("Applicants must be fourth-year psychiatry residents with U.S.\ncitizen or permanent "
     "resident status.", "none"),
    ("Foreign graduates must have\nUS citizenship, a green card, or ECFMG J-1 visa "
     "sponsorship.", "j1_only"),
    # ... but not into a question, which is a line of its own
    ("- The hospital accepts the J-1 visa, but the site will not sponsor\nHow many positions "
     "do you offer?\nWe offer ten categorical positions.", "j1_only"),
    # ... but a fact sheet's answer ends its line, as does a list item before the next
    ("Is there H-1B sponsorship? no\nLatest news", "j1_only"),
    ("Visa sponsorship for residents who need the\n- J-1 visa: yes\n- H-1B visa: no",
     "j1_only"),
])
def test_lines_cut_after_a_word_no_sentence_ends_on_are_joined(text, category):
    assert classify_text(text).category == category


def _numbered(text: str, marker: str) -> str:
    count = itertools.count(1)
    return re.sub(r"(?m)^- ", lambda _: marker.format(n=next(count)), text)


@pytest.mark.parametrize("marker", ["{n}. ", "({n}) "])
def test_numbered_lists_read_as_bulleted_lists(marker):
    """A list numbered "1." or "(1)" is read as the same list with "- " bullets: every
    programs' statement of the real-wording set keeps its category (the sentence splitter
    must not cut "6." off as a sentence of its own)."""
    path = Path(__file__).parent / "data" / "classifier_real.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()]
    changed = [r["id"] for r in records if "\n- " in r["text"] and
               classify_text(_numbered(r["text"], marker)).category
               != classify_text(r["text"]).category]
    assert not changed


@pytest.mark.parametrize(
    "html, expected",
    [
        # sections titled with a program or track that differ on H-1B
        ("<h3>Residency</h3><p>We sponsor H-1B and J-1 visas.</p>"
         "<h3>Fellowship</h3><p>J-1 visas only.</p>", "h1b_limited"),
        ("<h3>Pediatric Cardiology</h3><p>Sponsors H-1B visas.</p>"
         "<h3>Pediatric Nephrology</h3><p>Does not sponsor H-1B visas.</p>", "h1b_limited"),
        # ... but not page-level titles: the program's own statement wins
        ("<h2>Institutional Policy</h2><p>The institution sponsors H-1B visas.</p>"
         "<h2>Program Policy</h2><p>Our program sponsors J-1 visas only.</p>", "j1_only"),
        ("<h3>Categorical Track</h3><p>We sponsor J-1 and H-1B visas.</p>"
         "<h3>Primary Care Track</h3><p>We sponsor J-1 and H-1B visas.</p>", "h1b"),
        # a two-column fact table under a generic header
        ("<table><tr><th>Item</th><th>Detail</th></tr><tr><td>Visas</td><td>J-1, H-1B</td>"
         "</tr><tr><td>Positions</td><td>4</td></tr></table>", "h1b"),
        ("<table><tr><th>Feature</th><th>Value</th></tr><tr><td>H-1B</td><td>No</td></tr>"
         "<tr><td>J-1</td><td>Yes</td></tr></table>", "j1_only"),
    ],
)
def test_blind3_review_page_rules(html, expected):
    assert classify_html(html).category == expected


def test_step3_not_required_at_time_of_application_but_before_h1b():
    verdict = classify_text(
        "We sponsor H1B. Step 3 is not required at time of application but must be passed "
        "before the H1B petition is filed."
    )
    assert verdict.step3_required is True


# --- evidence ---------------------------------------------------------------------------


def test_evidence_is_the_deciding_sentence_with_url():
    text = "Our residents love the city.  We  only\u00a0sponsor J-1 visas. Parking is free."
    verdict = classify_text(text, URL)
    assert verdict.evidence == (Evidence("We only sponsor J-1 visas.", URL, "h1b"),)
    assert verdict.to_dict()["evidence"] == [{"url": URL, "text": "We only sponsor J-1 visas."}]


def test_evidence_has_one_to_three_deduplicated_items():
    text = (
        "We sponsor J-1 visas. H-1B visas are sponsored case by case. "
        "Step 3 must be passed before ranking for H-1B applicants."
    )
    verdict = classify_text(text, URL)
    texts = [item.text for item in verdict.evidence]
    assert 1 <= len(texts) <= 3
    assert len(set(texts)) == len(texts)
    assert all(item.text in text for item in verdict.evidence)
    assert {item.axis for item in verdict.evidence} <= {"h1b", "j1", "step3"}


def test_long_evidence_is_cut_at_a_word_boundary():
    filler = " ".join(["wonderful"] * 80)
    verdict = classify_text(f"We sponsor J-1 visas for {filler} residents.", URL)
    (item,) = verdict.evidence
    assert len(item.text) <= 301
    assert item.text.endswith("\u2026")
    assert item.text[:-1].split()[-1] == "wonderful"


def test_faq_evidence_quotes_question_and_answer():
    verdict = classify_text("Do you sponsor H-1B visas?\nNo.", URL)
    assert verdict.evidence[0].text == "Do you sponsor H-1B visas? No."


# --- verdict structure and determinism -------------------------------------------------------


def test_to_dict_shape():
    verdict = classify_text("We sponsor H-1B and J-1 visas.", URL)
    assert verdict.to_dict() == {
        "category": "h1b",
        "h1b": "yes",
        "j1": "yes",
        "step3_required": None,
        "evidence": [{"url": URL, "text": "We sponsor H-1B and J-1 visas."}],
    }
    assert UNKNOWN.to_dict() == {
        "category": "unknown", "h1b": "unknown", "j1": "unknown",
        "step3_required": None, "evidence": [],
    }


def test_classification_is_deterministic():
    text = "We sponsor J-1 visas. H-1B visas are considered case by case. Step 3 required."
    first = classify_text(text, URL)
    assert all(classify_text(text, URL) == first for _ in range(5))
    assert first.to_dict() == classify_text(text, URL).to_dict()


def test_bytes_given_to_classify_text_are_decoded():
    assert classify_text(b"We sponsor J-1 visas only.").category == "j1_only"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "h1b, j1, j1_only, category",
    [
        ("yes", "yes", False, "h1b"),
        ("yes", "no", False, "h1b"),
        ("limited", "unknown", False, "h1b_limited"),
        ("no", "yes", False, "j1_only"),
        ("no", "unknown", False, "j1_only"),
        ("no", "no", False, "none"),
        ("unknown", "no", False, "none"),
        ("unknown", "yes", False, "unknown"),
        ("unknown", "unknown", True, "j1_only"),
        ("unknown", "unknown", False, "unknown"),
    ],
)
def test_derive_category(h1b, j1, j1_only, category):
    assert derive_category(h1b, j1, j1_only) == category


# --- combine -------------------------------------------------------------------------------


def page(text: str, url: str) -> Verdict:
    return classify_text(text, url)


PROGRAM_NO = page("We do not sponsor H-1B visas. We accept J-1 visas.", "https://p.org/visa")
GME_YES = page("The institution sponsors H-1B and J-1 visas.", "https://gme.org/visa")
GME_STEP3 = page(
    "The institution sponsors H-1B visas. Step 3 must be passed before ranking.",
    "https://gme.org/h1b",
)
PROGRAM_SILENT = page("Our residents love the city.", "https://p.org/about")
PROGRAM_J1_ONLY_MENTION = page("J-1 physicians are welcome to apply.", "https://p.org/apply")
PROGRAM_H1B_YES = page("We sponsor H-1B visas.", "https://p.org/h1b")
PROGRAM_H1B_LIMITED = page("H-1B visas are sponsored case by case.", "https://p.org/faq")


def test_combine_program_statement_beats_institution():
    verdict = combine([(PROGRAM_NO, True), (GME_YES, False)])
    assert axes(verdict) == ("j1_only", "no", "yes", None)
    assert {item.url for item in verdict.evidence} == {"https://p.org/visa"}


def test_combine_institution_fills_only_unknown_axes():
    verdict = combine([(PROGRAM_H1B_YES, True), (GME_STEP3, False)])
    assert (verdict.h1b, verdict.step3_required) == ("yes", True)
    assert {item.url for item in verdict.evidence} == {"https://p.org/h1b", "https://gme.org/h1b"}
    # A Step 3 condition is dropped along with the H-1B the program refuses.
    verdict = combine([(PROGRAM_NO, True), (GME_STEP3, False)])
    assert (verdict.h1b, verdict.step3_required) == ("no", None)
    assert all(item.url == "https://p.org/visa" for item in verdict.evidence)
    verdict = combine([(PROGRAM_SILENT, True), (GME_YES, False)])
    assert axes(verdict) == ("h1b", "yes", "yes", None)
    assert {item.url for item in verdict.evidence} == {"https://gme.org/visa"}


def test_combine_explicit_statement_not_undone_by_vague_or_unknown():
    assert PROGRAM_J1_ONLY_MENTION.weak == frozenset({"h1b"})
    verdict = combine([(PROGRAM_J1_ONLY_MENTION, True), (PROGRAM_H1B_YES, True),
                       (PROGRAM_SILENT, True)])
    assert axes(verdict) == ("h1b", "yes", "yes", None)


def test_combine_conflicting_explicit_statements_resolve_restrictively():
    verdict = combine([(PROGRAM_H1B_YES, True), (PROGRAM_H1B_LIMITED, True)])
    assert verdict.h1b == "limited"
    verdict = combine([(PROGRAM_H1B_YES, True), (PROGRAM_NO, True), (PROGRAM_H1B_LIMITED, True)])
    assert verdict.h1b == "no"
    assert verdict.category == "j1_only"


def test_combine_is_independent_of_page_order():
    pages = [(PROGRAM_NO, True), (GME_YES, False), (PROGRAM_H1B_LIMITED, True),
             (PROGRAM_SILENT, True), (GME_STEP3, False), (PROGRAM_J1_ONLY_MENTION, True)]
    results = {combine(perm).to_dict().__repr__() for perm in itertools.permutations(pages)}
    assert len(results) == 1


def test_combine_rederives_category_and_keeps_urls():
    none_page = page("Applicants must be US citizens or permanent residents.", "https://p.org/elig")
    verdict = combine([(none_page, True), (GME_YES, False)])
    assert axes(verdict) == ("none", "no", "no", None)
    assert all(item.url == "https://p.org/elig" for item in verdict.evidence)


def test_combine_of_nothing_or_unknowns_is_unknown():
    assert combine([]) == UNKNOWN
    assert combine([(UNKNOWN, True), (PROGRAM_SILENT, False)]) == UNKNOWN


def test_combine_single_page_is_that_page():
    assert combine([(GME_STEP3, True)]) == GME_STEP3


def test_combine_accepts_verdicts_built_from_storage():
    stored = Verdict("j1_only", "no", "yes", None, (Evidence("J-1 only.", "https://x", "h1b"),))
    verdict = combine([(stored, True), (GME_YES, False)])
    assert (verdict.category, verdict.h1b, verdict.j1) == ("j1_only", "no", "yes")


# --- regressions found while probing new wordings -------------------------------------------


@pytest.mark.parametrize(
    "text, category",
    [
        ("H-1B: No. J-1: Yes.", "j1_only"),
        ("We previously sponsored H-1B visas but no longer do so.", "j1_only"),
        ("In 2019, the program sponsored its first H-1B resident.", "unknown"),
        ("H-1B sponsorship has been suspended for the 2025-2026 season.", "j1_only"),
        ("H-1B sponsorship is not routinely offered but may be considered.", "h1b_limited"),
        ("We don't sponsor H1B except in rare cases.", "h1b_limited"),
        ("We sponsor H-1B visas for fellows, but not for residents.", "h1b_limited"),
        ("The Department sponsors residents on J-1 visas only, not H-1B.", "j1_only"),
        ("Note that the institution does not pay premium processing fees for H-1B petitions.",
         "unknown"),
        ("Residents on H-1B visas must notify the GME office before international travel.",
         "unknown"),
        ("The J-1 visa requires ECFMG sponsorship; the H-1B visa requires USMLE Step 3.",
         "unknown"),
        ("H-1B sponsorship is available, and passing Step 3 is not a prerequisite.", "h1b"),
        ("The program will not sponsor H-1B visas unless the applicant has passed Step 3.",
         "h1b"),
    ],
)
def test_probed_wordings(text, category):
    assert classify_text(text).category == category


def test_step3_condition_is_dropped_when_h1b_is_not_offered():
    verdict = classify_text("We do not sponsor H-1B visas. Step 3 must be passed before ranking.")
    assert (verdict.h1b, verdict.step3_required) == ("no", None)
    assert all(item.axis != "step3" for item in verdict.evidence)


# --- rules added after the fourth blind set (new wordings, not the set's sentences) --------


@pytest.mark.parametrize(
    "text, category",
    [
        # misspellings and informal wording
        ("The residency sponsers J1 visas only.", "j1_only"),
        ("H1B sponsership is not offered.", "j1_only"),
        ("we dont sponser visas", "none"),
        ("We do H1B and J1 for IMGs.", "h1b"),
        ("Our program only takes J-1 applicants, no H-1B.", "j1_only"),
        # Spanish snippets
        ("Aceptamos visa J-1 y H-1B.", "h1b"),
        ("Visa H-1B: no. Visa J-1: sí.", "j1_only"),
        # numeric caps
        ("The department sponsors a maximum of three H-1B visas each year.", "h1b_limited"),
        ("We can sponsor up to one H-1B resident per class.", "h1b_limited"),
        # a semicolon between bare visa names is a list
        ("Visas sponsored: H-1B; J-1", "h1b"),
        # other programs and advice are not a stance
        ("Most community hospitals sponsor H-1B visas.", "unknown"),
        ("Before you apply, ask whether the program sponsors H-1B visas.", "unknown"),
        ("University hospitals often sponsor H-1B visas.", "unknown"),
        # places, not visas
        ("Meet us in the J1 and H2 garages.", "unknown"),
        # a relative clause about hard-to-fill positions is not a denial
        ("H-1B visas are sponsored only for positions which could not be filled otherwise.",
         "h1b_limited"),
        # a comma + "as" + subject starts a clause of its own
        ("All our IMGs train on J-1 visas, since we do not sponsor H-1B.", "j1_only"),
    ],
)
def test_blind4_rules(text, category):
    assert classify_text(text).category == category


@pytest.mark.parametrize(
    ("html", "category"),
    [
        # a table whose header row holds the visa names
        ("<table><tr><th>H1B</th><th>J1</th></tr><tr><td>No</td><td>Yes</td></tr></table>",
         "j1_only"),
        ("<table><tr><th>Visa type</th><th>H-1B</th><th>J-1</th></tr>"
         "<tr><td>Offered</td><td>Yes</td><td>Yes</td></tr></table>", "h1b"),
        ("<table><tr><th></th><th>H-1B</th><th>J-1</th></tr>"
         "<tr><td>Residents</td><td>Rarely</td><td>Yes</td></tr></table>", "h1b_limited"),
        # a cell of several sentences is read sentence by sentence
        ("<table><tr><td>Visa policy</td><td>Our residents train on the ECFMG J-1. "
         "H-1B: no.</td></tr></table>", "j1_only"),
        # a person's status line with the name after a dash
        ("<p>Visa status: H-1B \u2013 Ahmed Rahman, MD, PGY-3</p>", "unknown"),
    ],
)
def test_blind5_table_rules(html, category):
    assert classify_html(html).category == category


@pytest.mark.parametrize(
    ("text", "category", "j1"),
    [
        # implied J-1
        ("International graduates in our program are appointed on J-1 visas.", "j1_only", "yes"),
        ("Foreign nationals will need a J1 visa. H-1B is not sponsored.", "j1_only", "yes"),
        ("The J-1 is the usual pathway for our IMGs.", "j1_only", "yes"),
        ("We sponsor H-1B for residents with Step 3; otherwise, a J-1.", "h1b", "yes"),
        # "possible but limited" is one restricted predicate
        ("H-1B: available but rare. J-1: yes.", "h1b_limited", "yes"),
        # "all other ...: J-1 only" presupposes a group that gets more
        ("Advanced applicants may receive an H-1B. All other residents: J-1 only.",
         "h1b_limited", "yes"),
        # a news watch is not a stance
        ("GME is tracking the latest developments in H-1B policy.", "unknown", "unknown"),
    ],
)
def test_blind5_rules(text, category, j1):
    verdict = classify_text(text)
    assert (verdict.category, verdict.j1) == (category, j1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the named programs are the only sponsors: the rest of the institution is not
        (
            "At our institution only the Psychiatry and Neurology departments will sponsor"
            " the H-1B. All other programs accept J-1 visas only.",
            ("h1b_limited", "limited", "yes", None),
        ),
        (
            "Only our categorical surgery program can offer H1B sponsorship.",
            ("h1b_limited", "limited", "unknown", None),
        ),
        # what the visa requires, said of the visa, is no policy of the program
        (
            "Please note that the H1B typically requires a passing score on Step 3.",
            ("unknown", "unknown", "unknown", None),
        ),
        # ... but beside the program's own offer the Step 3 condition still counts
        (
            "We sponsor H-1B and J-1 visas. Be aware that the H-1B requires Step 3.",
            ("h1b", "yes", "yes", True),
        ),
    ],
)
def test_blind6_rules(text, expected):
    assert axes(classify_text(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hedge on the last item of a list under a title limits that item
        (
            "Visa options:\n- J-1 via ECFMG\n- H1B: rarely",
            ("h1b_limited", "limited", "yes", None),
        ),
        (
            "Sponsored visas:\n* J1\n* H1B \u2013 in exceptional cases",
            ("h1b_limited", "limited", "yes", None),
        ),
        # a title whose own words deny every item under it
        (
            "Visa types not sponsored:\n- H1B\n- TN\nVisa types sponsored:\n- J1",
            ("j1_only", "no", "yes", None),
        ),
        # a denial under a visa title that leaves the visas unsaid
        (
            "Immigration Sponsorship\nSorry, we do not at the present time.",
            ("none", "no", "no", None),
        ),
        # a double negation accepts
        (
            "The program will never reject applicants who need H1B sponsorship.",
            ("h1b", "yes", "unknown", None),
        ),
        # "not only X but also Y" names both
        (
            "We sponsor not just H1B but also J1 visas.",
            ("h1b", "yes", "yes", None),
        ),
        # what applicants want is no policy; the refusal after it is
        (
            "Candidates often want the H1B visa, but our department has chosen not to offer it.",
            ("j1_only", "no", "unknown", None),
        ),
        # collecting visa status is no policy
        (
            "Citizenship and visa type (J1, H1B) are recorded for statistical purposes.",
            ("unknown", "unknown", "unknown", None),
        ),
        # an office serving faculty and researchers is not the residency
        (
            "International Services helps faculty and scientists with H1B petitions.",
            ("unknown", "unknown", "unknown", None),
        ),
    ],
)
def test_blind7_rules(text, expected):
    assert axes(classify_text(text)) == expected


def test_blind7_glued_title_and_profile_and_dated_blocks():
    # inline tags with no space between them glue "Visa" to the next word
    glued = classify_html("<p><i>Visa</i><i>Policy</i></p><p>None</p>")
    assert glued.category == "none"
    # "Visa: H-1B" under a person's name is that person's status
    bio = classify_html("<h4>Dr. Osei, MD</h4><p>Visa: J-1</p><p>Visa: H1B</p>")
    assert bio.category == "unknown"
    # the latest dated block wins on the axes it speaks to
    dated = classify_text(
        "Revised 2018: H1B visas are sponsored.\nRevised 2023: We no longer sponsor H1B visas;"
        " J1 only."
    )
    assert (dated.category, dated.h1b) == ("j1_only", "no")
    dated = classify_text(
        "Effective 2017: J1 only.\nEffective 2026: we sponsor H1B and J1 visas."
    )
    assert (dated.category, dated.h1b) == ("h1b", "yes")


def test_who_decides_is_not_a_denial():
    # "not the program" names who decides; it does not refuse visas.
    verdict = classify_text(
        "Sponsorship of visas is handled by our GME office, not by each program."
    )
    assert verdict.category == "unknown"
    denial = classify_text("The residency does not sponsor visas of any type.")
    assert denial.category == "none"


def test_appointment_year_is_not_a_consular_appointment():
    verdict = classify_text(
        "Both H1B (Step 3 passed before the appointment date) and J1 visas are offered."
    )
    assert (verdict.category, verdict.step3_required) == ("h1b", True)
    consular = classify_text("Book your J-1 visa appointment at the consulate early.")
    assert consular.category == "unknown"


def test_select_number_and_handful_limit_h1b():
    for text in (
        "Each year the division files H-1B petitions for a select number of fellows.",
        "Only a handful of residents are sponsored on H-1B visas.",
    ):
        assert classify_text(text).h1b == "limited", text


def test_accepted_statuses_without_visas_is_none():
    verdict = classify_text("The fellowship accepts green card holders and U.S. citizens.")
    assert (verdict.category, verdict.h1b, verdict.j1) == ("none", "no", "no")
    open_list = classify_text(
        "We accept applicants from all backgrounds, including permanent residents."
    )
    assert open_list.category == "unknown"


def test_subject_to_policy_is_an_ordinary_condition():
    assert classify_text("We sponsor J1 and H1B visas, subject to hospital policies.").h1b == "yes"
    assert classify_text("We sponsor H1B visas, subject to funding.").h1b == "limited"


def test_denial_with_a_lost_object_after_a_status_clause_is_none():
    for text in (
        "Non-citizens must arrange their own employment authorization; we cannot sponsor.",
        "Applicants from abroad need their own EAD, as this fellowship does not sponsor.",
    ):
        verdict = classify_text(text)
        assert (verdict.category, verdict.h1b) == ("none", "no"), text
    # without a visa or status named first, the bare verb decides nothing
    assert classify_text("The library does not sponsor.").category == "unknown"


def test_denied_hard_to_fill_condition_denies_the_conditional_visas():
    verdict = classify_text(
        "Our health system sponsors H-1B and J-1 visas solely for hard-to-fill positions. "
        "Residency programs are not deemed hard to fill."
    )
    assert (verdict.category, verdict.h1b, verdict.j1) == ("none", "no", "no")
    # said of applicants, the same words are no denial of the offer
    other = classify_text(
        "H-1B visas are sponsored only for exceptional candidates. Most applicants do not "
        "meet this bar."
    )
    assert other.h1b == "limited"


def test_work_permit_is_a_status_and_appointment_to_the_program_counts():
    verdict = classify_text("Proof of citizenship, a green card or a work permit is required.")
    assert (verdict.category, verdict.j1) == ("none", "no")
    verdict = classify_text(
        "Trainees must hold an ECFMG J-1 or permanent residence before appointment."
    )
    assert (verdict.category, verdict.j1) == ("j1_only", "yes")


def test_some_qualified_units_limit_h1b_and_program_explanations_decide_nothing():
    assert classify_text(
        "H-1B sponsorship is offered in some surgical departments."
    ).h1b == "limited"
    assert classify_text(
        "The J-1 Exchange Visitor Program for foreign physicians is run by ECFMG."
    ).category == "unknown"


def test_bare_will_be_considered_is_yes():
    # Consistent with "will consider H-1B for candidates with Step 3" (yes); only a
    # hedge ("may", "case by case", "right candidate") makes it limited.
    assert classify_text("Applications for H-1B sponsorship will be considered.").h1b == "yes"
    assert classify_text("H-1B sponsorship may be considered.").h1b == "limited"


def test_opening_exception_applies_to_the_denial_after_it():
    verdict = classify_text(
        "Besides the J1 sponsored through ECFMG, the hospital cannot sponsor visas."
    )
    assert (verdict.category, verdict.h1b, verdict.j1) == ("j1_only", "no", "yes")


def test_past_opener_ends_at_the_semicolon():
    verdict = classify_text(
        "In the past most trainees came on J-1 visas; the GME office sponsors H-1B visas "
        "only in exceptional cases."
    )
    assert verdict.h1b == "limited"


def test_bar_above_ordinary_conditions_limits_h1b():
    assert classify_text("H1B sponsorship is possible for outstanding applicants.").h1b == "limited"


def test_visa_comparisons_and_advice_about_programs_in_general_decide_nothing():
    for text in (
        "J-1 and H-1B visas differ from each other in duration and cost.",
        "Before applying to programs that sponsor the H-1B, candidates should pass Step 3.",
    ):
        verdict = classify_text(text)
        assert verdict.category == "unknown" and verdict.evidence == (), text


def test_label_value_with_a_verb_is_a_sentence_not_a_list():
    verdict = classify_text("Sponsorship: visas (H1B, J1 and others) are not offered.")
    assert verdict.category == "none" and verdict.h1b == "no"


def test_restriction_named_with_h1b_beats_j1_only_beside_it():
    verdict = classify_text(
        "Most trainees come on J1 visas only; H1B sponsorship is decided case by case "
        "and needs a passed USMLE Step 3."
    )
    assert verdict.h1b == "limited" and verdict.step3_required is True


def test_visa_facts_in_the_plural_and_alumni_careers_decide_nothing():
    for text in (
        "H1B visas require an approved petition from USCIS before work may begin.",
        "Several alumni now hold H-1B positions at community hospitals.",
    ):
        assert classify_text(text).category == "unknown", text


def test_paperwork_of_a_visa_is_explained_not_offered():
    for text in (
        "The H1B application process usually involves a labor certification step.",
        "An H-1B petition typically takes several months to be approved.",
    ):
        assert classify_text(text).category == "unknown", text


def test_whilst_clause_for_faculty_does_not_offer_h1b_to_trainees():
    verdict = classify_text(
        "While the university files H1B petitions for faculty members, our fellows "
        "must come on the J1 through ECFMG."
    )
    assert verdict.category == "j1_only" and verdict.h1b == "no"


def test_opening_hedge_cut_off_by_comma_still_limits_h1b():
    verdict = classify_text("Under certain circumstances, the department will sponsor H1B visas.")
    assert verdict.h1b == "limited"


def test_comma_before_the_hospital_starts_a_new_clause():
    verdict = classify_text("We take only J1 residents, the hospital does not do H1B.")
    assert verdict.category == "j1_only" and verdict.j1 == "yes"
