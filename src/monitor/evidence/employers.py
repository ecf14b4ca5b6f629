"""Employer names, cities and states reduced to keys that compare equal.

Government files and our config spell one employer many ways: "CEDARS-SINAI
MEDICAL CENTER", "Cedars Sinai Med Ctr", "The Regents of the University of
California, dba UCLA Health". A key is lower case, without punctuation,
legal suffixes ("Inc", "LLC") or "the", with the usual abbreviations
("Univ", "Med Ctr", "Hosp", "St") spelled out, so equal keys mean the same
written name. Whether two different names are one employer is the config's
call (`employer_names`), never guessed here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Spelled out so that "Univ" and "University" give one key.
_ABBREVIATIONS = {
    "univ": "university", "u": "university", "med": "medical", "ctr": "center",
    "cntr": "center", "centre": "center", "hosp": "hospital", "hosps": "hospitals",
    "hlth": "health", "inst": "institute", "sch": "school", "schl": "school",
    "assn": "association", "assoc": "association", "dept": "department",
    "st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "sys": "system",
    "svc": "services", "svcs": "services", "natl": "national", "intl": "international",
    "reg": "regional", "rgnl": "regional", "cnty": "county", "cty": "county",
    "fdn": "foundation", "fndn": "foundation", "found": "foundation", "gen": "general",
    "mem": "memorial", "meml": "memorial", "comm": "community", "coll": "college",
    "ctrs": "centers", "drs": "doctors", "childrens": "children", "phys": "physicians",
}
# Legal forms and filler that say nothing about which employer it is.
_DROPPED = {
    "the", "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp",
    "corporation", "co", "company", "pc", "pllc", "pa", "plc", "dba", "aka", "fka",
    "a", "an", "nonprofit", "non", "profit", "public", "benefit",
}
_NON_WORD = re.compile(r"[^a-z0-9]+")
# "L.L.C." and "U.S.C." are one word each: drop the dot after a lone letter.
_INITIAL_DOT = re.compile(r"(?<![a-z0-9])([a-z])\.")
_DBA = re.compile(r"\b(?:d\s*/?\s*b\s*/?\s*a|doing business as|aka|a\s*/\s*k\s*/\s*a)\b", re.I)
_PARENTHESES = re.compile(r"\(([^)]*)\)")

STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR",
    "guam": "GU", "virgin islands": "VI",
}


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> str:
    """The comparison key of one employer name ('' for a blank one)."""
    if not name:
        return ""
    text = _INITIAL_DOT.sub(r"\1", name.lower().replace("&", " and ").replace("+", " and "))
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        word = _ABBREVIATIONS.get(word, word)
        if word not in _DROPPED:
            words.append(word)
    return " ".join(words)


def name_variants(name: str) -> list[str]:
    """Keys of a name and of each name written inside it.

    "Regents of UC dba UCLA Health" also stands for "UCLA Health"; an
    institution written "UCLA SOM / Ronald Reagan UCLA Medical Center (RRUMC)"
    stands for each part. The whole name comes first.
    """
    parts = [name]
    for piece in re.split(r"\s*/\s*|\s*;\s*|\s+\|\s+", _PARENTHESES.sub(" ", name)):
        parts.extend(_DBA.split(piece))
    parts.extend(_PARENTHESES.findall(name))
    keys: list[str] = []
    for part in parts:
        key = name_key(part)
        if key and key not in keys:
            keys.append(key)
    return keys


@lru_cache(maxsize=65536)
def city_key(city: str | None) -> str:
    """'Los Angeles (Westwood)', 'LOS ANGELES,' and 'Los  Angeles' all give 'los angeles'."""
    if not city:
        return ""
    text = _PARENTHESES.sub(" ", city.lower())
    words = [_ABBREVIATIONS.get(w, w) if w in ("st", "ste", "mt", "ft") else w
             for w in _NON_WORD.sub(" ", text).split()]
    return " ".join(words)


@lru_cache(maxsize=1024)
def state_code(state: str | None) -> str:
    """Two-letter postal code; full names are converted; '' when blank or unknown."""
    if not state:
        return ""
    text = " ".join(_NON_WORD.sub(" ", state.lower()).split())
    if len(text) == 2:
        return text.upper()
    return STATES.get(text, "")
