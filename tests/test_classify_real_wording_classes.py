"""The five classes of misses that real program pages showed (issue 13), as cases.

Invented wordings of each class (real pages are in tests/data/classifier_real*.jsonl);
each is read through the public API, as a page would be.
"""

from __future__ import annotations

import pytest

from monitor.classify.verdict import classify_text

CASES = [
    # 1. "none" read too eagerly: status requirements that give the J-1 as the way in
    ("Applicants who are neither citizens nor permanent residents must hold an "
     "ECFMG-sponsored J-1.", "j1_only", "no", "yes"),
    ("The hospital does not itself sponsor the J-1; ECFMG does.", "j1_only", "no", "yes"),
    # ... and "not by the hospital" says who sponsors, it denies nothing
    ("We accept J-1 physicians. The J-1 visa is sponsored by ECFMG, not by the hospital.",
     "j1_only", "no", "yes"),
    ("You need a J-1, an O-1 or a green card, since we do not take the H-1B.",
     "j1_only", "no", "yes"),
    ("Eligibility requirements:\n- Graduate of an accredited medical school\n"
     "- Hold an ECFMG-sponsored J-1 visa\n- Three letters of recommendation",
     "j1_only", "no", "yes"),
    ("Qualifications:\n- Be a citizen of the United States\n- Hold a current medical license",
     "none", "no", "no"),
    # ... also as "a condition of appointment", as an item that names the visa to hold, or
    # after "neither a citizen nor a permanent resident" (who needs a visa, no denial)
    ("Every non-citizen applicant selected for appointment must hold permanent resident "
     "status or a J-1 visa as a condition of appointment.", "j1_only", "no", "yes"),
    ("Foreign graduates who:\n- Hold a valid ECFMG certificate\n- Hold a J-1 Visa or are a "
     "US citizen or a permanent resident", "j1_only", "no", "yes"),
    ("If you are neither a US citizen nor a permanent resident, you must hold a J-1 visa, "
     "because our programs can accept only the J-1 visa.", "j1_only", "no", "yes"),
    # ... or a bare status under a sentence that ends in a colon and names the criteria
    ("Applicants from our affiliated schools who meet the criteria below are offered an "
     "interview. All other applicants who meet the criteria below will be considered:\n"
     "- U.S Citizen or Permanent resident\n- Application deadline: September 28",
     "none", "no", "no"),
    # ...the same list written on one line, its items after semicolons
    ("Requirements for IMGs: valid ECFMG certificate; J-1 visa (ECFMG sponsored).",
     "j1_only", "no", "yes"),
    # ... a Step 3 rule for the H-1B in a list of papers to send offers the H-1B ("Parts
    # 1, 2 and 3" is the older name of the steps; a copy of scores is no visa's paper)
    ("Required documents:\n- Copy of USMLE results: Parts 1 and 2 required, Part 3 "
     "preferred (Parts 1, 2 and 3 required for H1B visas)", "h1b", "yes", "unknown"),
    # ... and a verbless item of a requirement list, read alone because the items
    # around it are sentences, is still an item of its title
    ("Minimum Requirements:\n- Apply through ERAS.\n- Medical school graduation within the "
     "past two years.\n- US citizen or permanent resident. We now also offer interviews to "
     "Canadian applicants.\n- Three letters of recommendation.", "none", "no", "no"),
    # ... and "meet the following" titles a list of requirements
    ("In general, most IMGs we interview meet the following:\n1. Green Card, J-1 Visa or "
     "documentation of US citizenship\n2. A valid ECFMG certificate", "j1_only", "no", "yes"),
    # 2. explanations are not policy
    ("ECFMG is the sole sponsor of J-1 physicians in clinical training; it issues the DS-2019.",
     "unknown", "unknown", "unknown"),
    ("Check in with the GME office with your DS-2019 on arrival.",
     "unknown", "unknown", "unknown"),
    ("Each program decides which visas it supports.", "unknown", "unknown", "unknown"),
    # ... nor are general facts about visas (IMG-advice and law-firm wording, which
    # program pages quote): shares, kinds of visa, the most common one, the sole
    # sponsor, physicians in any residency program, other programs' lists
    ("The J-1 visa is the most common visa type used by international medical graduates "
     "to participate in U.S. GME programs. ECFMG sponsors foreign national physicians for "
     "the J-1 visa.", "unknown", "unknown", "unknown"),
    ("Physicians may apply for an H-1B visa to take part in a residency program, teach or "
     "do research.", "unknown", "unknown", "unknown"),
    ("Foreign medical graduates may take part in several J-1 categories, depending on "
     "their activities.", "unknown", "unknown", "unknown"),
    ("FMGs who come to the United States for graduate medical training have two main "
     "options: the J-1 visa and the H-1B visa.", "unknown", "unknown", "unknown"),
    ("Foreign medical graduates may use the H-1B category if they teach, do research or "
     "give direct patient care as residents.", "unknown", "unknown", "unknown"),
    ("For many IMGs, the J-1 visa is the main pathway into U.S. residency training.",
     "unknown", "unknown", "unknown"),
    ("There are two possible visas: H1B and J1.", "unknown", "unknown", "unknown"),
    ("I made a list of all programs in the US that sponsored J1 and H1b visas for "
     "residency in general surgery.", "unknown", "unknown", "unknown"),
    # ... nor what cannot happen without a condition (a necessity, not a refusal)
    ("State licensing rules require U.S. training, and without a license a visa is not "
     "an option.", "unknown", "unknown", "unknown"),
    # ... nor what programs in general do, named by a count ("many are open to ...")
    ("Community hospital residency programs can be excellent training environments, and "
     "many are open to H-1B sponsorship.", "unknown", "unknown", "unknown"),
    ("During that time, people take USMLE Step 3 and gather documents to apply for an H1B "
     "visa.", "unknown", "unknown", "unknown"),
    # ... nor a program named indefinitely ("if a program ...", "when a hospital ...")
    ("If a program sponsors the H-1B, it must also pay the filing fees.",
     "unknown", "unknown", "unknown"),
    ("You see the mismatch when a program lists J-1 and H-1B accepted but offers no "
     "support for immigration questions.", "unknown", "unknown", "unknown"),
    # ... (but a program director's approval is this program's condition)
    ("H-1B visas are sponsored only if a program director approves.",
     "h1b_limited", "limited", "unknown"),
    # ... nor a definition list of the visas, a kind of visa as each value
    ("3. H-1B Visa (residency, fellowship, research): also a work visa offered for "
     "residency training, with some differences from the J-1.", "unknown", "unknown",
     "unknown"),
    ("H-1B visa: employer-sponsored (the hospital must petition for you).",
     "unknown", "unknown", "unknown"),
    # ... (a value that answers is still an answer)
    ("H-1B: a limited number of positions, Step 3 required.", "h1b_limited", "limited",
     "unknown"),
    # ... nor the H-1B's own Step 3 requirement, with no word of a program
    ("Step 3 can be taken during residency; however, Step 3 is required to obtain an H-1B "
     "visa for residency.", "unknown", "unknown", "unknown"),
    # ... (a program's Step 3 rule for the H-1B still offers it)
    ("Those requiring an H-1B must pass Step 3 before the rank list deadline.",
     "h1b", "yes", "unknown"),
    # ... nor counted programs after a leading clause, statistics, comparisons of the
    # visas, a sponsor named by its role (either of two, "the sponsoring employer"),
    # or the law's agencies
    ("If you have multiple attempts, some H-1B-sponsoring programs will filter you out.",
     "unknown", "unknown", "unknown"),
    ("Among programs that accepted J-1 visas, 65.6% accepted only J-1 visas while 34.5% "
     "sponsored H-1B and accepted J-1 visas.", "unknown", "unknown", "unknown"),
    ("Decide your default visa target: J-1 vs H-1B.", "unknown", "unknown", "unknown"),
    ("After matching into a residency program, the hospital or institution can sponsor "
     "your H-1B visa.", "unknown", "unknown", "unknown"),
    ("H-1B cap exemptions for physicians depend largely on the sponsoring employer.",
     "unknown", "unknown", "unknown"),
    ("States may not require Step 3 at the residency stage, but the INS imposes this "
     "requirement on physicians applying for an H-1B.", "unknown", "unknown", "unknown"),
    ("Not all residency programs offer H1B visas.", "unknown", "unknown", "unknown"),
    ("Because of further testing requirements, not all IMGs qualify for H1B status at the "
     "start of their U.S. residency.", "unknown", "unknown", "unknown"),
    ("The visa you choose affects where you can train (some programs are J-1 only; a few "
     "are H-1B friendly; some don't sponsor at all).", "unknown", "unknown", "unknown"),
    ("That is why a categorical IM program at a community hospital may swear \"we only do "
     "J-1\", while a big-name academic center will say \"we're happy to sponsor H-1B\".",
     "unknown", "unknown", "unknown"),
    ("The J-1 is limited to seven years and the H-1B to six years.",
     "unknown", "unknown", "unknown"),
    ("The American Hospital Association added that hospitals depend on the H-1B program to "
     "fill urgent workforce gaps.", "unknown", "unknown", "unknown"),
    ("The earliest an H-1B petition can be filed is six months before the start date.",
     "unknown", "unknown", "unknown"),
    ("The H-1B program plays a vital role in U.S. healthcare, letting hospitals and clinics "
     "hire international medical graduates.", "unknown", "unknown", "unknown"),
    ("If you choose H-1B, it is your job to find out which programs sponsor it.",
     "unknown", "unknown", "unknown"),
    ("One possible reason is that not every residency program has the experience to "
     "sponsor residents who need a visa.", "unknown", "unknown", "unknown"),
    ("Programs differ: university programs in big cities almost always accept J-1 and many "
     "support H-1B.", "unknown", "unknown", "unknown"),
    ("IMG friendly programs are generally visa-conscious, will offer H-1B to attract more "
     "qualified physicians.", "unknown", "unknown", "unknown"),
    ("It becomes a critical question whether the program would sponsor a visa for the IMG "
     "and, if so, which one: a J-1 or an H-1B.", "unknown", "unknown", "unknown"),
    # a share of physicians needs what it needs; a myth set right
    ("- Many of these IMGs need visa sponsorship (mostly J-1, some H-1B).",
     "unknown", "unknown", "unknown"),
    ("The myth that \"community programs never sponsor visas\" is simply wrong.",
     "unknown", "unknown", "unknown"),
    # programs counted by a share ("the majority of", "a handful of"), also after "as a result"
    ("The H-1B means more paperwork, and as a result the majority of programs do not "
     "sponsor it.", "unknown", "unknown", "unknown"),
    ("A handful of programs sponsor the H-1B.", "unknown", "unknown", "unknown"),
    # another's words, quoted after a speech verb or a colon
    ("Then a coordinator tells you, \"We can't sponsor H-1B; we're not cap-exempt.\"",
     "unknown", "unknown", "unknown"),
    ("You hear the line every IMG dreads: \"We prefer J-1s.\" Or the opposite one.",
     "unknown", "unknown", "unknown"),
    # a visa named as a key before an en dash, its answer after it
    ("We consider IMGs. Visa options:\n- J-1 (sponsored by ECFMG)\n- H-1B \u2013 case by case, "
     "Step 3 required", "h1b_limited", "limited", "yes"),
    ("Visa requirements: J1 (ECFMG sponsored) \u2014 We are not an H1B sponsoring program.",
     "j1_only", "no", "yes"),
    # a list ends with its last visa item: the page's next short lines are not its items
    ("Visas Accepted:\nJ-1\nPermanent Resident\nUS Citizen\nRead more news\nContact",
     "j1_only", "no", "yes"),
    ("H-1B Visa\nLimited \u2014 case by case\nLatest news", "h1b_limited", "limited",
     "unknown"),
    # a denial in a parenthesis, or in a sentence run into a list item, denies what it names
    ("- If foreign, be a permanent resident, be eligible for a J-1 visa sponsored by ECFMG, or "
     "currently hold an H-1B visa (the hospital does not sponsor H-1B visas).",
     "h1b_limited", "limited", "yes"),
    ("Documents required from all applicants:\n- M.D. degree\n- U.S. Citizenship, Permanent "
     "Residency, or a J-1 VISA. The Center does not offer H-1B VISAS to GME trainees\n- CV",
     "j1_only", "no", "yes"),
    # a permit that is a noun ("an institutional permit set by the board") explains nothing
    ("The hospital requires international medical graduates to meet the requirements for an "
     "institutional permit set by the state board, and to provide the documents needed for a "
     "J-1 visa.", "j1_only", "no", "yes"),
    # a requirement list's bare status, with a comment after a dash
    ("Our program's requirements are:\n- USMLE Steps I and II passed\n- Citizen or permanent "
     "resident - we do not sponsor any type of visa", "none", "no", "no"),
    # "while holding a J-1" is no contrast: the J-1 is the way in
    ("Applicants who are not US citizens may pursue graduate medical education under the "
     "sponsorship of ECFMG while holding a J-1 visa. The University does not offer H-1B visas "
     "to trainees.", "j1_only", "no", "yes"),
    # IMGs encouraged to seek the ECFMG J-1: the program takes it
    ("We do not sponsor H1B visas. IMGs are encouraged to seek ECFMG sponsorship as a J1 "
     "Exchange Visitor.", "j1_only", "no", "yes"),
    # "H or J visas" names the H-1B too; "already on" one limits it to its holders
    ("Applicants who are already on H or J visas are welcome to apply. We do not start the "
     "visa process for anyone who does not already have a visa.", "h1b_limited", "limited",
     "yes"),
    # a preferred visa ranks the visas, it does not list them all
    ("Visa: the J-1 is the preferred training visa.", "unknown", "unknown", "yes"),
    ("For non-US citizens the preferred visa is the J-1, sponsored by ECFMG.",
     "unknown", "unknown", "yes"),
    ("Applicants must hold a J-1 visa. US clinical experience (hands-on preferred).",
     "j1_only", "no", "yes"),
    # a denial of sponsorship does not reach a second verb's visa; those without the visa
    # turned away are told it is required; statuses ending in any authorization are open
    ("The department sponsors no visas and accepts only J-1 status.", "j1_only", "no", "yes"),
    ("Candidates who do not hold a J-1 visa are not eligible for appointment.",
     "j1_only", "no", "yes"),
    ("Applicants must be US citizens, permanent residents, or hold other valid work "
     "authorization.", "unknown", "unknown", "unknown"),
    # the J-1's research categories are not a trainee's J-1
    ("We sponsor the J-1 visa in the researcher or scholar category.",
     "unknown", "unknown", "unknown"),
    # the home residence rule, in any words, is no stance on the J-1
    ("After training, J-1 physicians must leave the U.S. for two years.",
     "unknown", "unknown", "unknown"),
    ("In most cases J-1 exchange visitors owe a 2-year foreign residency requirement.",
     "unknown", "unknown", "unknown"),
    ("We sponsor J-1 visas only. J-1 physicians must leave the U.S. for two years after "
     "training.", "j1_only", "no", "yes"),
    ("Without a sponsor, you cannot obtain either visa.", "unknown", "unknown", "unknown"),
    # a long page with one explaining sentence and no word of a program or its people is
    # an explainer; a fact sheet beside general talk keeps its answer (an FAQ's bare yes or
    # no, an entry under a program's name, a requirements key, a table row)
    ("The J-1 is the most common visa for IMGs.\nIn some cases a physician will need a J-1 "
     "to take part in a residency.\nJ-1 physicians may stay up to seven years.\nThe J-1 is "
     "sponsored through ECFMG.\nSpouses come on J-2 visas.", "unknown", "unknown", "unknown"),
    ("The J-1 is the most common visa for IMGs.\nECFMG is the sole sponsor of J-1 "
     "physicians.\nIs H-1B sponsorship available?\nNo.\n"
     "Is the J-1 accepted?\nYes.", "j1_only", "no", "yes"),
    ("The J-1 is the most common visa for IMGs.\nECFMG is the sole sponsor of J-1 "
     "physicians.\nNeonatology\nSponsors J-1 and H-1B visas.",
     "h1b", "yes", "yes"),
    ("The J-1 is the most common visa for IMGs.\nECFMG is the sole sponsor of J-1 "
     "physicians.\nEligibility requirements:\n- US citizen or "
     "permanent resident\n- Graduate of an accredited school", "none", "no", "no"),
    ("The J-1 is the most common visa for IMGs.\nECFMG is the sole sponsor of J-1 "
     "physicians.\nVisa | Sponsored\nJ-1 | Yes\nH-1B | No",
     "j1_only", "no", "yes"),
    # the law, the Department of State, an employer addressed as "your facility", a visa's
    # extension, what physicians typically need, money and a waiver's hardship explain
    ("The Immigration and Nationality Act provides a category for exchange visitors, the "
     "J-1.", "unknown", "unknown", "unknown"),
    ("ECFMG is designated by the Department of State to sponsor physicians who need J-1 "
     "visas.", "unknown", "unknown", "unknown"),
    ("If your facility wants to hire J-1 physicians, start early.",
     "unknown", "unknown", "unknown"),
    ("No extension of H-1B status past six years is allowed in most cases.",
     "unknown", "unknown", "unknown"),
    ("Non-U.S. citizens typically need a J-1 or H-1B to train.",
     "unknown", "unknown", "unknown"),
    ("J-2 spouses may work, but they may not use their income to support the J-1 holder.",
     "unknown", "unknown", "unknown"),
    ("The hardship must fall not on the J-1 holder but on a U.S. citizen spouse.",
     "unknown", "unknown", "unknown"),
    # other programs' "not the H-1B", a position the reader seeks, to whom the law opens a
    # visa, a closed span of the past, GME as a field (but "From 2025" is now)
    ("Many community hospitals sponsor only the J-1, not the H-1B.",
     "unknown", "unknown", "unknown"),
    ("Secure a residency position that offers H-1B sponsorship.",
     "unknown", "unknown", "unknown"),
    ("The H-1B visa is available to people in a specialty occupation.",
     "unknown", "unknown", "unknown"),
    ("From 1976 to 1991, the law barred foreign-born physicians from obtaining H-1B status.",
     "unknown", "unknown", "unknown"),
    ("Visas for IMGs in US GME:\n- Most common: H-1B and J-1", "unknown", "unknown", "unknown"),
    ("From 2025, the program sponsors H-1B visas.", "h1b", "yes", "unknown"),
    # the ways the law allows, and the U.S. Department of Labor as a subject
    ("Under the 1991 amendments a physician can obtain H-1B status in two ways.",
     "unknown", "unknown", "unknown"),
    ("The U.S. Department of Labor has put in place a policy change that will shorten the "
     "time physicians wait for H-1B approval.", "unknown", "unknown", "unknown"),
    # a residency page's "We do not sponsor visas" after the visa to travel to an interview
    # on is its own stance (only a page for visitors speaks of visitor visas throughout)
    ("International applicants invited to interview may need a B1/B2 visa. We do not sponsor "
     "visas.", "none", "no", "no"),
    # the reader's wish for a visa, tied to the program's Step 3 rule, is the program's
    # condition (an advice page's "if you want an H-1B" must not silence it)
    ("If you want an H-1B visa, you must pass Step 3 before the rank list deadline.",
     "h1b", "yes", "unknown"),
    # the program of any physician, after a leading word, is an explainer's
    ("Physicians can train on a J-1 sponsored by ECFMG. Alternatively, the residency "
     "program itself may sponsor the foreign medical graduate for an H-1B visa. Most IMGs "
     "choose the J-1.", "unknown", "unknown", "unknown"),
    # programs counted by a bare quantifier or a share, after "while" too
    ("Some sponsor both. Some only sponsor J1. Very few sponsor H1B.",
     "unknown", "unknown", "unknown"),
    ("While many programs sponsor only the J-1, a small subset offer the H-1B.",
     "unknown", "unknown", "unknown"),
    ("Programs that do not sponsor the H-1B often do not know the process.",
     "unknown", "unknown", "unknown"),
    # what a physician (any) may do if a visa fails; a rule for all, "with no exceptions"
    ("If a foreign doctor cannot get an H-1B, an O-1 may be possible.",
     "unknown", "unknown", "unknown"),
    ("All J-1 physicians, with no exceptions, must go back to their home countries for "
     "two years.", "unknown", "unknown", "unknown"),
    # what those who seek or hold a visa must do (but a Step 3 rule for the H-1B, or the
    # ECFMG route, is the program's)
    ("Physicians applying for a J-1 visa must first obtain ECFMG certification.",
     "unknown", "unknown", "unknown"),
    ("Residents requesting H-1B sponsorship must have passed Step 3.", "h1b", "yes", "unknown"),
    # a study's statistics, national counts, a visa's term as a key, an illustration, a
    # term that is no "only"
    ("Of 400 programs, 250 (62.5%) reported accepting J-1 visas.",
     "unknown", "unknown", "unknown"),
    ("About 10,000 residency positions are filled by H-1B holders, a 2017 report found.",
     "unknown", "unknown", "unknown"),
    ("H-1B: up to 3 years per petition.", "unknown", "unknown", "unknown"),
    ("For example, a resident on a J-1 after a preliminary year has only four years left "
     "on it.", "unknown", "unknown", "unknown"),
    ("The J-1 is only issued to physicians for the length of their training.",
     "unknown", "unknown", "unknown"),
    ("Unlike H or L visas, there is no 6-year limit.", "unknown", "unknown", "unknown"),
    # ... and a page that talks of programs in general more than once, never in a
    # program's own voice, states no program's policy even where one sentence of it
    # reads like one
    ("J-1 vs H-1B for residency\nMany programs sponsor only the J-1. Most IMGs come on a "
     "J-1 visa. The H-1B costs the employer legal fees, and residents on it can moonlight. "
     "H-1B visa holders are sponsored for up to six years.", "unknown", "unknown", "unknown"),
    ("International Medical Graduates\nECFMG is the sole sponsor of J-1 physicians in "
     "clinical training. The H-1B is a temporary worker visa for specialty occupations.\n"
     "The program sponsors J-1 visas only.", "j1_only", "no", "yes"),
    ("International Medical Graduates\nECFMG is the sole sponsor of J-1 physicians in "
     "clinical training. The H-1B is a temporary worker visa for specialty occupations.\n"
     "Visa sponsorship: J-1 only.", "j1_only", "no", "yes"),
    # ... (an explainer's definition list, keyed on each visa, is no answer)
    ("J-1 vs H-1B for residency\nMany programs sponsor only the J-1. Most IMGs come on a J-1 "
     "visa.\nJ-1 visa: sponsored by ECFMG; requires two years at home.\nH-1B visa: sponsored "
     "by the hospital; no home requirement.", "unknown", "unknown", "unknown"),
    # ... (and so does a program's rule in its own terms: what its applicants must have,
    # what is or is not sponsored)
    ("Visa Information\nThe J-1 visa is the most common visa for IMGs. ECFMG is the sole "
     "sponsor of J-1 physicians. Applicants requiring a visa must be eligible for the J-1. "
     "H-1B visas are not sponsored.", "j1_only", "no", "yes"),
    ("International Applicants\nMost international medical graduates train on J-1 visas. "
     "The H-1B is an employer-sponsored temporary worker visa. H-1B sponsorship is available "
     "for residents who have passed Step 3.", "h1b", "yes", "unknown"),
    ("Visa Sponsorship\nMost IMGs in U.S. residency programs hold J-1 visas sponsored by "
     "ECFMG. The H-1B visa requires passing USMLE Step 3. Only J-1 visas are accepted.",
     "j1_only", "no", "yes"),
    ("Visa Policy\nECFMG is the sole sponsor of J-1 physicians in graduate medical "
     "education. The H-1B is a temporary worker visa for specialty occupations. H-1B: No. "
     "J-1: Yes.", "j1_only", "no", "yes"),
    ("Visa information\nThe H-1B is a nonimmigrant visa. ECFMG is the sole sponsor of J-1 "
     "physicians. Residents must hold a J-1 visa or a green card.", "j1_only", "no", "yes"),
    ("International Graduates\nMost IMGs come to the U.S. on J-1 visas. The H-1B is a "
     "temporary work visa. Sponsorship of H-1B visas is not possible at this time.",
     "j1_only", "no", "unknown"),
    ("Visa Information\nThe J-1 Exchange Visitor visa is the most common visa used by "
     "international medical graduates. ECFMG is the sole sponsor of J-1 physicians. The "
     "H-1B is a temporary worker visa.\nPolicy\n- J-1 visas sponsored by ECFMG are "
     "accepted.\n- H-1B visas are not sponsored.", "j1_only", "no", "yes"),
    # ... (a question put to the program makes the page its own FAQ)
    ("Frequently Asked Questions\nDo you sponsor visas? Most programs sponsor the J-1. Many "
     "IMGs need an H-1B. Yes, J-1 only.", "j1_only", "no", "yes"),
    # ... (a "we" in quotation marks is someone else's voice)
    ("Many programs sponsor only the J-1. Most IMGs come on a J-1 visa. A coordinator may "
     "tell you, \"We only take the J-1.\" H-1B visa holders are sponsored for up to six "
     "years.", "unknown", "unknown", "unknown"),
    # ... (a page in its own voice still decides, and so does an institution naming
    # itself in a policy written in the third person)
    ("Visa Sponsorship Policy\nThe J-1 is administered by ECFMG, the sole sponsor of J-1 "
     "physicians. The H-1B is a temporary worker visa for specialty occupations. The "
     "University of Iowa Hospitals does not sponsor H-1B visas.", "j1_only", "no", "unknown"),
    ("Many programs sponsor only the J-1. Most IMGs come on a J-1 visa. Our program "
     "sponsors H-1B visas for residents who have passed Step 3.", "h1b", "yes", "unknown"),
    ("A foreign medical doctor must be licensed where he or she wants to practice as an "
     "essential H1B requirement.", "unknown", "unknown", "unknown"),
    ("For almost all non-US citizen IMGs, residency training happens on one of three "
     "statuses: J-1 Exchange Visitor, H-1B Temporary Worker or a green card.",
     "unknown", "unknown", "unknown"),
    ("Getting an H-1 visa can be complex and confusing, especially in medicine.",
     "unknown", "unknown", "unknown"),
    ("J-1 visa applications are still suspended, leaving hundreds of doctors with no way to "
     "start their residencies.", "unknown", "unknown", "unknown"),
    ("The bill would require the Secretary of State to speed up review of J-1 applications "
     "for medical training.", "unknown", "unknown", "unknown"),
    ("Every spring, international medical graduates preparing to start residency on a J-1 "
     "race against a clock.", "unknown", "unknown", "unknown"),
    ("To be eligible for a J-1 as a physician, the FMG must obtain ECFMG certification.",
     "unknown", "unknown", "unknown"),
    # ... (but the program's own role, or its denial, still decides)
    ("H-1B sponsorship is suspended for this recruitment season.", "j1_only", "no", "unknown"),
    ("Applicants must be able to train without visa sponsorship.", "none", "no", "no"),
    ("The program director said that we sponsor H-1B visas for residents with Step 3.",
     "h1b", "yes", "unknown"),
    ("Not all of our programs sponsor H-1B visas.", "h1b_limited", "limited", "unknown"),
    ("We are proud to be an H-1B sponsoring institution.", "h1b", "yes", "unknown"),
    ("We sponsor J-1 visas; many programs do not.", "j1_only", "no", "yes"),
    # ... nor the J-1's home residence requirement
    ("The J1 Foreign Residence Requirement\nPhysicians on J visas must return to their "
     "country for two years before they may obtain H-1B status.",
     "unknown", "unknown", "unknown"),
    # ... nor the practice a waiver leads to after training
    ("To qualify for the waiver, doctors must agree to be employed full time in H-1B "
     "status at a facility in an approved area.", "unknown", "unknown", "unknown"),
    # ... nor what a visa allows later on: its length, the road to a green card
    ("The H-1B can be extended for up to six years in total. H-1B visa holders are "
     "eligible to apply for a green card.", "unknown", "unknown", "unknown"),
    # ... nor is talk about other programs, however the sentence goes on about them
    ("Residency is training, not employment, which is why several top programs do not "
     "accept the H-1B. They accept the J-1 exchange visitor visa.",
     "unknown", "unknown", "unknown"),
    ("We sponsor the J-1 because most programs in our region do not sponsor the H-1B.",
     "j1_only", "no", "yes"),
    # what something counts as is no denial of the visa beside it
    ("- The program sponsors J-1 and H-1B visas\n- For the H-1B, a passing Step 3 score must "
     "be on file ('score pending' is not accepted as a passing score)", "h1b", "yes", "yes"),
    # the green card by its legal name; a permit that is a noun
    ("Foreign graduates must hold ECFMG certificates and be eligible for permanent "
     "immigrant status.", "none", "no", "no"),
    ("Applicants must meet these criteria:\n- Completion of an accredited residency\n"
     "- Graduate of an accredited US or Canadian school, of an accredited college of "
     "osteopathic medicine, or of a school outside the US and Canada with a valid ECFMG "
     "certificate before appointment, or completion of a Fifth Pathway program at an "
     "accredited school\n- Licensable in the state, with a physician-in-training permit or a "
     "valid medical license before training begins\n- Permanent resident status",
     "none", "no", "no"),
    ("Why does the institution have a visa policy? Federal rules require it.",
     "unknown", "unknown", "unknown"),
    # 3. conditions that make the H-1B limited
    ("We will consider H-1B for exceptionally strong applicants. J-1 visas are accepted.",
     "h1b_limited", "limited", "yes"),
    ("H-1B sponsorship is available per individual program policy.",
     "h1b_limited", "limited", "unknown"),
    ("Program directors decide which status their program can support; H-1B requires prior "
     "approval of the GME office.", "h1b_limited", "limited", "unknown"),
    ("Sponsorship of H-1B visas varies by department.", "h1b_limited", "limited", "unknown"),
    # 4. H-1B yes that was missed
    ("We have begun sponsoring H-1B visas, in addition to the J-1 we have always accepted.",
     "h1b", "yes", "yes"),
    ("We do not require Step 3 before the Match for H-1B candidates. Both J-1 and H-1B are "
     "sponsored.", "h1b", "yes", "yes"),
    ("To be employed you must be a citizen, a permanent resident, a J-1 holder or an H-1B "
     "holder.", "h1b", "yes", "yes"),
    # "have ... sponsorship" and "take" are how pages say it too; a new subject after
    # "and" starts a clause of its own
    ("We take ECFMG-sponsored J-1 visas. We do not have H-1B sponsorship.",
     "j1_only", "no", "yes"),
    ("Do you sponsor H and J1 visas? ECFMG sponsors J1 visas and the institution sponsors "
     "H1; we accept both visas.", "h1b", "yes", "yes"),
    # "H-1" alone is the H-1B where visas are the talk: petitions, USCIS, cap exemption
    ("We file H-1 petitions for all incoming residents who need them.", "h1b", "yes",
     "unknown"),
    # "both visas", "either of these visa types": the visas just named
    ("ECFMG sponsors the J-1 and the hospital files the H-1B. We support either of these "
     "visa types.", "h1b", "yes", "yes"),
    # a negation that corrects a word ("supported, not sponsored") or ends a clause about
    # something else ("beneficial but not required") denies no visa
    ("You must be a U.S. citizen or a permanent resident, or hold a J1 visa (the visa is "
     "supported, not sponsored).", "j1_only", "no", "yes"),
    ("We sponsor H-1B and J-1 visas. Applicants must have graduated within the last five "
     "years; US clinical experience is beneficial but not required.", "h1b", "yes", "yes"),
    # a preference for the H-1B does not limit it
    ("We are happy to sponsor both H1B and J1 visas, with a preference for H1B-eligible "
     "candidates.", "h1b", "yes", "yes"),
    # a status card is no payment card; observers are not trainees
    ("- A current copy of your VISA or Resident Alien card (both sides - the University "
     "cannot sponsor non-permanent residents for VISAS)", "none", "no", "no"),
    ("- Observers who require J1 visa sponsorship should contact the observership "
     "supervisor.", "unknown", "unknown", "unknown"),
    # the J-1 axis: explicit J-1 acceptance read as the program's answer
    ("J-1: Yes", "j1_only", "no", "yes"),
    ("IMGs enter the program on J-1 visas sponsored by ECFMG.", "j1_only", "no", "yes"),
    ("J-1: Yes\nH-1B: Yes", "h1b", "yes", "yes"),
    # ... nor is a next line that is no answer ("No phone calls", "Sponsored links")
    ("Do you sponsor H-1B visas?\nNo phone calls, please.", "unknown", "unknown", "unknown"),
    ("Do you sponsor H-1B visas?\nSponsored links | Our sponsors: Example Foundation",
     "unknown", "unknown", "unknown"),
    ("Do you sponsor J-1 visas?\nAccepted through ECFMG.", "j1_only", "no", "yes"),
    ("Do you sponsor H-1B visas?\nNo visas are sponsored by the program.", "none", "no", "no"),
    # 5. questions without answers, and questions put to the applicant
    ("Please indicate on your application whether you will require H-1B or J-1 visa "
     "sponsorship.", "unknown", "unknown", "unknown"),
    ("I am on an H-1B; can I transfer it to your program?", "unknown", "unknown", "unknown"),
]


@pytest.mark.parametrize(("text", "category", "h1b", "j1"), CASES)
def test_real_wording_class(text, category, h1b, j1):
    verdict = classify_text(text)
    assert (verdict.category, verdict.h1b, verdict.j1) == (category, h1b, j1)


def test_waived_step3_is_reported_not_required():
    verdict = classify_text("We do not require Step 3 before the Match for H-1B candidates. "
                            "Both J-1 and H-1B are sponsored.")
    assert verdict.step3_required is False


@pytest.mark.parametrize(("text", "category"), [
    # the program's own statements keep their meaning beside the general-fact cues
    ("Our program is the only one in the region to sponsor H-1B visas.", "h1b"),
    ("We accept two types of visas: J-1 and H-1B.", "h1b"),
    ("Only certain departments sponsor H-1B visas.", "h1b_limited"),
    ("To be eligible for a fellowship position, applicants must hold a J-1 visa.", "j1_only"),
    ("International medical graduates must hold a J-1 visa sponsored by ECFMG.", "j1_only"),
    ("We do not sponsor H-1B visas, without exception. J-1 visas are accepted.", "j1_only"),
    ("Applicants must be authorized to work in the US without the need for visa "
     "sponsorship.", "none"),
    ("International medical graduates: H-1B sponsorship is limited, case by case.",
     "h1b_limited"),
    # ... and a rule for all its applicants, a myth it corrects, or avoidance, are its own
    ("International medical graduates must hold a J-1 visa; we avoid H-1B sponsorship.",
     "j1_only"),
    ("Myth: we do not take IMGs. Fact: we sponsor J-1 and H-1B visas.", "h1b"),
    ("Our program director told applicants that we sponsor H-1B visas.", "h1b"),
])
def test_general_fact_cues_leave_program_statements(text, category):
    assert classify_text(text).category == category


@pytest.mark.parametrize("text", [
    # the narrowing words keep their meaning
    "Applicants must be US citizens, permanent residents or current H-1B holders.",
    "We do not sponsor H-1B visas and do not require Step 3.",
    "We do not sponsor J-1 or H-1B visas; ECFMG does not either.",
])
def test_new_rules_do_not_widen_an_h1b(text):
    assert classify_text(text).h1b != "yes"


@pytest.mark.parametrize("text", [
    "Teaching hospitals may now:\n1. Stop sponsoring H-1B visas, going back to the J-1.",
    "Hospitals may avoid sponsoring H-1Bs altogether.",
])
def test_stopping_or_avoiding_sponsorship_is_none(text):
    assert classify_text(text).h1b == "no"


# A program page in the third person that also explains the visas (no "we" anywhere):
# the general-talk page rule must leave the program's own rule standing.
_EXPLAINED = ("Visa Information\nThe J-1 visa is the most common visa used by international "
              "medical graduates.\nECFMG is the sole sponsor of J-1 exchange visitor "
              "physicians.\n")


@pytest.mark.parametrize(("policy", "category"), [
    ("Eligibility\n- Valid ECFMG certificate\n- J1 visa only", "j1_only"),
    ("Every applicant must be a US citizen or permanent resident.", "none"),
    ("The fellowship is limited to physicians who are US citizens or permanent residents.",
     "none"),
    ("The Medical Center accepts only J-1 visas for postgraduate training.", "j1_only"),
    ("The program also sponsors H-1B visas.", "h1b"),
    ("H-1B: sponsored for all residents.", "h1b"),
    ("Only graduates eligible for a J-1 visa will be considered.", "j1_only"),
    # fact-sheet lines, rules of its applicants, the sponsorship's own terms
    ("H-1B: case by case", "h1b_limited"),
    ("Requirements: US citizenship or permanent residency.", "none"),
    ("Green card holders and US citizens only.", "none"),
    ("International medical graduates must have a valid ECFMG certificate and be eligible "
     "for a J-1 visa.", "j1_only"),
    ("H-1B sponsorship depends on departmental funding and is not guaranteed.", "h1b_limited"),
    ("H-1B sponsorship is decided on a case-by-case basis.", "h1b_limited"),
    ("Both H-1B and J-1 visa holders are eligible.", "h1b"),
    ("Candidates requiring H-1B visa sponsorship will not be considered.", "j1_only"),
    ("The program primarily sponsors J-1 visas through ECFMG.", "j1_only"),
    ("Visa types accepted: J-1 (ECFMG), H-1B, permanent resident, US citizen.", "h1b"),
    # "the program" a few words before its stance; the visa's own treatment
    ("The program is able to sponsor H-1B as well as J-1 visas.", "h1b"),
    ("The department provides sponsorship for H-1B and J-1 visas.", "h1b"),
    ("The program declines to sponsor visas.", "none"),
    ("H-1B visas are rarely sponsored.", "h1b_limited"),
    ("An H-1B may be sponsored for a candidate of exceptional merit.", "h1b_limited"),
    ("H1B sponsorship is reserved for exceptional candidates.", "h1b_limited"),
    ("- J-1 Visa considered for sponsorship", "j1_only"),
    ("The hospital's Graduate Medical Education Office sponsors J-1 visas for eligible "
     "house staff.", "j1_only"),
    # any fact-sheet key that names a visa, with its value; capitals; the program's appointees
    ("Sponsors H-1B visas: No", "j1_only"),
    ("Accepts applicants requiring visa sponsorship: Yes (J-1; H-1B case-by-case)",
     "h1b_limited"),
    ("THE PROGRAM SPONSORS H-1B AND J-1 VISAS FOR ALL MATCHED RESIDENTS.", "h1b"),
    ("Eligible applicants are U.S. citizens, permanent residents, or holders of a J-1 visa "
     "sponsored by ECFMG.", "j1_only"),
    # ... a limit to one visa, a parenthesis or "other than" inside the visa's own treatment,
    # bare fact lines, a requirement of all positions, non-citizens' rule, "lacks the
    # resources to", a name "not able to", the typographic apostrophe
    ("Visa sponsorship is limited to the J-1 visa.", "j1_only"),
    ("Visa sponsorship (J1, H1B or any other type) is not available.", "none"),
    ("No visas other than J-1 are accepted.", "j1_only"),
    ("No J-1. No H-1B.", "none"),
    ("Sorry, no visa sponsorship available.", "none"),
    ("The only visa type supported is the J-1 clinical visa.", "j1_only"),
    ("Permanent residency or US citizenship is required for all positions.", "none"),
    ("Non-US citizens must have a J-1 visa sponsored by ECFMG.", "j1_only"),
    ("The hospital lacks the resources to sponsor H-1B visas; J-1 physicians are welcome.",
     "j1_only"),
    ("The University of Example is not able to sponsor H-1B visas for residents.", "j1_only"),
    ("The program doesn\u2019t sponsor J-1 or H-1B visas.", "none"),
    ("The residency program is an H1-B sponsoring program.", "h1b"),
    ("- Mercy Hospital accepts the J-1 visa, but the site will not sponsor H-1B visas.",
     "j1_only"),
    # an FAQ pair whose answer speaks for the program
    ("Is H-1B sponsorship available?\nNo, the program only accepts the J-1 visa.", "j1_only"),
    # ... or opens with yes, no or only, to a question of sponsorship
    ("Q: Does the program sponsor H-1B visas?\nA: Yes, provided the candidate has passed "
     "Step 3 before the rank list deadline.", "h1b"),
    # the program as the sponsor, its positions, its sponsorship's needs and terms, bare
    # requirement lines, what it turns away, an invitation, its people's rules
    ("Both H-1B and J-1 visa holders are sponsored by the Department of Medicine.", "h1b"),
    ("A limited number of H-1B positions are available each year.", "h1b_limited"),
    ("H-1B sponsorship requires that USMLE Step 3 be passed before the rank list.", "h1b"),
    ("H-1B sponsorship is limited to one position per year.", "h1b_limited"),
    ("H-1B sponsorship is not guaranteed and is reviewed individually.", "h1b_limited"),
    ("Green card or U.S. citizenship required.", "none"),
    ("This position is not eligible for visa sponsorship.", "none"),
    ("Not a visa sponsoring program.", "none"),
    ("J-1 physicians sponsored by ECFMG are welcome to apply.", "j1_only"),
    ("Limited H1B sponsorship available.", "h1b_limited"),
    ("ECFMG J-1 clinical visa required for all applicants who are not US citizens.",
     "j1_only"),
    ("All residents who are not US citizens are appointed in J-1 status.", "j1_only"),
    ("Anyone accepted into the fellowship must be a U.S. citizen or hold a J-1 visa.",
     "j1_only"),
    ("Foreign graduates must have US citizenship, a green card, or ECFMG J-1 sponsorship.",
     "j1_only"),
    ("Eligible applicants: US citizens, permanent residents and J-1 visa holders.", "j1_only"),
    # ... the institution by name or office, with a modal or an adverb, after a dash
    ("The department may, at its discretion, sponsor H-1B visas.", "h1b_limited"),
    ("Cedars-Sinai rarely sponsors H-1B visas; most residents train on a J-1.",
     "h1b_limited"),
    ("The Graduate Medical Education office may consider H-1B sponsorship case by case.",
     "h1b_limited"),
    ("Copy of your visa (both sides - The University cannot sponsor non-permanent residents "
     "for visas)", "none"),
    # ... a name with a comma in it, after a dash; a sentence that goes on with the
    # requirement before it
    ("- Copy of your visa (both sides - The University of California, Irvine cannot sponsor "
     "non-permanent residents for visas)", "none"),
    ("Every applicant must hold a valid work permit before the rank list is submitted. This "
     "can be met by: United States citizenship, permanent residency, or eligibility for a J-1 "
     "visa sponsored by ECFMG.", "j1_only"),
    # ... the program as "neither the hospital nor the program"
    ("Neither the hospital nor the program sponsors H-1B visas, but ECFMG J-1 holders may "
     "apply.", "j1_only"),
    # ... and a Spanish page's own voice
    ("Solo aceptamos visa J-1.", "j1_only"),
    ("El programa no auspicia visas.", "none"),
])
def test_a_third_person_program_page_keeps_its_rule_beside_general_talk(policy, category):
    assert classify_text(_EXPLAINED + policy).category == category


def test_a_program_greeting_its_applicants_is_the_pages_own_voice():
    """'Thank you for your interest in the ... Program' is the program speaking: the
    general-talk page rule does not silence what the page goes on to say."""
    page = _EXPLAINED + ("Thank you for your interest in the Thoracic Surgery Fellowship "
                         "Program.\nResidents train on J-1 visas.")
    assert classify_text(page).category == "j1_only"


_HEALTH_SYSTEMS = ("Visas for Physicians\nMany health systems sponsor H-1B visas to recruit "
                   "physicians. Most IMGs come on a J-1 visa. Canadian citizens can obtain H-1B "
                   "status at the border.\n")


@pytest.mark.parametrize(("page", "category"), [
    # an explaining section after or before the program's own statement decides nothing
    ("Visa Sponsorship\nOur program sponsors J-1 visas through ECFMG only.\n" + _HEALTH_SYSTEMS,
     "j1_only"),
    (_HEALTH_SYSTEMS + "Eligibility\nWe do not sponsor visas; applicants must be U.S. citizens "
     "or permanent residents.", "none"),
    # ... while a section without the program's voice still gives its rule
    ("We welcome international medical graduates.\nVisa Sponsorship\nThe J-1 is the most "
     "common visa for IMGs. Most IMGs come on a J-1 visa sponsored by ECFMG.\nH-1B visas are "
     "sponsored for residents who have passed Step 3.", "h1b"),
    # a heading that introduces an explanation makes no list of the lines under it
    ("About Visas\nH-1B Visa Foreign Medical Graduates\nRequirements for H-1B Visa Status for "
     "Physicians\nPhysicians may use an H-1B visa for residency training.", "unknown"),
    ("Understanding Visa Options\n- J-1 visa\n- H-1B visa\n- O-1 visa", "unknown"),
    # ... unlike a fact sheet's title
    ("Visa types\n- J-1\n- H-1B", "h1b"),
    # ... nor does a heading whose lines title a visa's requirements
    ("J-1 and H-1B Visas\nH-1B Visa Foreign Medical Graduates\nRequirements for H-1B Visa "
     "Status for Physicians\nPhysicians may use an H-1B visa for residency training.",
     "unknown"),
    # "avoid" denies a visa, not "complications with visas"
    ("Avoid potential complications with visas\nMost IMGs train on a J-1 visa sponsored by "
     "ECFMG.", "unknown"),
    # ... and a list ends where such a section begins
    ("Graduates of foreign medical schools must also provide the following:\n- A current "
     "ECFMG certificate\nAbout Visas\nUnderstanding H-1B Sponsorship for IMGs\nH-1B "
     "sponsorship is less common than J-1 sponsorship.", "unknown"),
    # a title of a visa's own requirements is no offer of the visa
    ("H-1B Visa Requirements\nThe H-1B requires a license and passing scores on all three "
     "Steps of the USMLE.", "unknown"),
    # ... but the program's requirements of those who hold one take them
    ("Eligibility Requirements for J-1 Visa Holders", "j1_only"),
])
def test_an_explaining_section_beside_the_programs_statement(page, category):
    assert classify_text(page).category == category


def test_a_programs_own_lines_on_dependants_and_waivers_keep_its_stance():
    """The visa law's machinery (J-2 spouses, waivers) counts as general talk for the
    page rule, but a program's rule beside it still speaks for itself."""
    page = ("Spouses of J-1 residents receive J-2 status. J-1 residents may apply for a "
            "Conrad 30 waiver after training. The program sponsors J-1 visas through ECFMG.")
    assert classify_text(page).category == "j1_only"



@pytest.mark.parametrize("text", [
    # the law's reach by nationality, and a travel ban
    "The ban stopped new visas for 90 days for people from six countries, with no exception "
    "for physicians.",
    # a question quoted in a list ("What if ...?")
    "Questions programs ask:\n- \"What if the visa is refused and we lose a resident after "
    "the Match?\"",
    # programs counted after "that", and one the reader seeks
    "Then she found that most programs she liked did not sponsor visas or took only J-1.",
    "I want to join a hospital that will be willing to sponsor a J-1 visa.",
    # a visa sponsored by any employer; a closed past ("Before 1991, ..."); visas counted
    "An H-1B visa is sponsored by an employer.",
    "Before 1991, the only temporary visa category open to physicians was the J-1.",
    "Many physicians come on J-1 visas. More visas are offered than are normally used, so "
    "the category has never had backlogs. ECFMG sponsors J-1 physicians.",
])
def test_more_talk_of_visas_in_general(text):
    assert classify_text(text).category == "unknown"


def test_a_nations_our_is_not_the_programs_voice():
    from monitor.classify import lexicon as lex
    assert lex.OWN_VOICE.search("Our immigration laws encourage J-1 physicians to stay.") is None
    assert lex.OWN_VOICE.search("Our program sponsors J-1 visas.") is not None
    assert lex.OWN_VOICE.search("Our country's physicians and our residents") is not None
