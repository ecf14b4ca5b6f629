"""Which Labor Condition Applications are for physician trainees.

A resident or fellow is filed under a job title such as "Resident
Physician", "PGY-2 Resident", "Clinical Fellow - Cardiology" or "House
Staff", and (usually) a physician SOC code. The title alone is not enough:
"Postdoctoral Research Fellow" (19-1042) and "Resident Engineer" are not
physicians. So a trainee LCA has a trainee word in its title AND either a
physician occupation code or a clinical word in its title.

Physician codes (verified against the SOC lists used in public occupation
tables, 2026): the 2018 SOC "Physicians" group 29-1211 to 29-1229
(Anesthesiologists ... Physicians, All Other) and "Surgeons" 29-1241 to
29-1249; the 2010 SOC "Physicians and Surgeons" 29-1061 to 29-1069 (29-1063
Internists, General; 29-1069 All Other), which LCA files before FY2021 use;
O*NET suffixes such as "29-1069.00" are ignored.
"""

from __future__ import annotations

import re

_PHYSICIAN_SOC = re.compile(r"^29-?1(?:06\d|21\d|22\d|24\d)")
_TRAINEE_TITLE = re.compile(
    r"\b(?:residents?|residency|fellows?|fellowship|house\s*staff|housestaff|"
    r"house\s*officer|pgy\s*-?\s*\d*|interns?|internship)\b",
    re.I,
)
_CLINICAL_TITLE = re.compile(
    r"\b(?:physicians?|medical|medicine|clinical|md|m\.d\.|house\s*staff|housestaff|"
    r"pgy\s*-?\s*\d*|surgery|surgical|surgeon)\b",
    re.I,
)
_NOT_TRAINEE = re.compile(r"\bpost\s*-?\s*doc", re.I)
_PHYSICIAN_OCCUPATION = re.compile(r"\b(?:physicians?|surgeons?)\b", re.I)


def physician_soc(code: str | None, title: str | None = None) -> bool:
    """A physician or surgeon occupation, by SOC code (or, without one, its title)."""
    code = (code or "").strip()
    if code:
        return bool(_PHYSICIAN_SOC.match(code))
    return bool(title and _PHYSICIAN_OCCUPATION.search(title))


def is_physician_trainee(job_title: str | None, soc_code: str | None,
                         soc_title: str | None = None) -> bool:
    """True for an LCA of a resident, fellow, intern or other house staff physician."""
    title = job_title or ""
    if not _TRAINEE_TITLE.search(title) or _NOT_TRAINEE.search(title):
        return False
    return physician_soc(soc_code, soc_title) or bool(_CLINICAL_TITLE.search(title))
