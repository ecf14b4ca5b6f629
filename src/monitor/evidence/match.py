"""Matching each configured program to the employers that file for it.

In order of precedence:

1. the program's own `employer_names` in the config;
2. its institution's `employer_names` (`[[institutions]]`);
3. automatic: an employer in the imported files whose normalised name equals
   the institution's (or a part of it: "UCLA SOM / Ronald Reagan UCLA Medical
   Center" has two) and that filed from the program's city (the employer's
   address in USCIS or DOL data, or an LCA worksite), in the program's state
   when the config gives one.

An override always wins: with `employer_names` set, no automatic match is
made. The result is written to the store (`employer_matches`) so that
`status`, the web page and alerts read the same matches without the config.
For institutions left without a match, the closest employer names in the
imported data are listed (rapidfuzz), so a user can write the override.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from monitor.config import Config, EmployerName, Program
from monitor.evidence.employers import city_key, name_key, name_variants
from monitor.store import models
from monitor.store.models import utcnow
from monitor.store.writer import Store

CONFIG, NAME = "config", "name"
CLOSEST = 5


@dataclass(frozen=True)
class Match:
    program_id: str
    name_key: str
    city_key: str  # '' = any city
    state: str  # '' = any state
    source: str  # config | name
    employer: str


@dataclass
class Unmatched:
    institution: str
    city: str
    state: str
    programs: list[str]
    closest: list[dict] = field(default_factory=list)  # {employer, city, state, score}


@dataclass
class MatchReport:
    matches: list[Match]
    unmatched: list[Unmatched]
    programs: int

    def to_dict(self) -> dict:
        matched: dict[str, list[dict]] = defaultdict(list)
        for match in self.matches:
            matched[match.program_id].append({
                "employer": match.employer, "name_key": match.name_key,
                "city": match.city_key or None, "state": match.state or None,
                "source": match.source,
            })
        return {
            "programs": self.programs,
            "matched": dict(sorted(matched.items())),
            "unmatched": [vars(item) for item in self.unmatched],
        }


def state_of(config: Config, program: Program) -> str:
    institution = config.institution(program.institution)
    return program.state or (institution.state if institution else None) or ""


def overrides(config: Config, program: Program) -> list[EmployerName]:
    """The program's employer_names, else its institution's (empty: match automatically)."""
    if program.employer_names:
        return list(program.employer_names)
    institution = config.institution(program.institution)
    return list(institution.employer_names) if institution else []


def find_matches(session: Session, config: Config) -> MatchReport:
    matches: list[Match] = []
    unmatched: dict[tuple, Unmatched] = {}
    for program in config.programs:
        found = _matches_of(session, config, program)
        matches.extend(found)
        if not found:
            state = state_of(config, program)
            key = (program.institution, city_key(program.city), state)
            entry = unmatched.setdefault(
                key, Unmatched(program.institution, program.city, state, [])
            )
            entry.programs.append(program.id)
    report = MatchReport(matches, list(unmatched.values()), len(config.programs))
    if report.unmatched:
        _closest(session, report.unmatched)
    return report


def save_matches(store: Store, config: Config) -> MatchReport:
    """Match every program of the config and store the matches (replacing theirs)."""
    with store.sessions.begin() as session:
        report = find_matches(session, config)
        slugs = [program.id for program in config.programs]
        session.execute(delete(models.EmployerMatch)
                        .where(models.EmployerMatch.program_slug.in_(slugs)))
        now = utcnow()
        seen = set()
        for match in report.matches:
            key = (match.program_id, match.name_key, match.city_key, match.state)
            if key in seen:
                continue
            seen.add(key)
            session.add(models.EmployerMatch(
                program_slug=match.program_id, name_key=match.name_key,
                city_key=match.city_key, state=match.state, source=match.source,
                employer=match.employer, matched_at=now,
            ))
    return report


def _matches_of(session: Session, config: Config, program: Program) -> list[Match]:
    names = overrides(config, program)
    if names:
        return [Match(program.id, name_key(entry.name), city_key(entry.city),
                      entry.state or "", CONFIG, entry.name) for entry in names]
    place_city, place_state = city_key(program.city), state_of(config, program)
    found: dict[str, str] = {}
    for key, employer in _employers_named(session, name_variants(program.institution),
                                          place_city, place_state):
        found.setdefault(key, employer)
    return [Match(program.id, key, place_city, place_state, NAME, employer)
            for key, employer in sorted(found.items())]


def _employers_named(session: Session, keys: list[str], city: str, state: str):
    """(name key, employer as written) of filings under these keys from this place."""
    if not keys:
        return []
    uscis = models.UscisFiling
    query = select(uscis.name_key, uscis.employer).where(uscis.name_key.in_(keys))
    if city:
        query = query.where(uscis.city_key == city)
    if state:
        query = query.where(uscis.state == state)
    rows = list(session.execute(query.distinct()))
    lca = models.LcaCase
    for column, written in ((lca.name_key, lca.employer), (lca.trade_key, lca.trade_name)):
        query = select(column, written).where(column.in_(keys))
        if city or state:
            query = query.where(place_condition(lca, city, state))
        rows.extend(session.execute(query.distinct()))
    return sorted(rows)


def place_condition(lca, city: str, state: str):
    """An LCA filed from this place: its employer's address or its worksite."""
    def at(city_column, state_column):
        parts = []
        if city:
            parts.append(city_column == city)
        if state:
            parts.append(state_column == state)
        return and_(*parts)

    return or_(at(lca.employer_city_key, lca.employer_state),
               at(lca.worksite_city_key, lca.worksite_state))


def _closest(session: Session, unmatched: list[Unmatched]) -> None:
    """Fill each unmatched institution's closest employer names (best first)."""
    uscis, lca = models.UscisFiling, models.LcaCase
    places: dict[str, dict] = {}
    for key, employer, city, state in session.execute(
        select(uscis.name_key, uscis.employer, uscis.city, uscis.state).distinct()
    ):
        places.setdefault(key, {"employer": employer, "city": city, "state": state})
    for key, employer, city, state in session.execute(
        select(lca.name_key, lca.employer, lca.employer_city, lca.employer_state).distinct()
    ):
        places.setdefault(key, {"employer": employer, "city": city, "state": state})
    if not places:
        return
    choices = list(places)
    for entry in unmatched:
        scores: dict[str, float] = {}
        for variant in name_variants(entry.institution):
            for key, score, _ in process.extract(variant, choices, scorer=fuzz.WRatio,
                                                 limit=CLOSEST * 4):
                place = places[key]
                # The same state ranks first, then the same city, then the name.
                if entry.state and place["state"] == entry.state:
                    score += 5
                if city_key(place["city"]) == city_key(entry.city):
                    score += 10
                scores[key] = max(scores.get(key, 0.0), score)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:CLOSEST]
        entry.closest = [{**places[key], "score": round(min(score, 100.0), 1)}
                         for key, score in best]
