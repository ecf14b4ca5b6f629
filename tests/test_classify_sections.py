"""Pages of several programs: titled parts, and which one names a program (classify.sections)."""

from __future__ import annotations

import pytest

from monitor.classify import classify_html, classify_text
from monitor.classify.assess import PageResult, assess_program
from monitor.classify.sections import Part, part_for
from monitor.classify.verdict import Verdict
from monitor.config import Program
from monitor.store.validators import verdict_from_dict, verdict_to_dict

TWO_PROGRAMS = """Northside Department of Family Medicine
Family Medicine Residency
The residency is three years long, with continuity clinic every week.
The residency sponsors both J-1 and H-1B visas for qualified applicants.
Sports Medicine Fellowship
The fellowship is one year long.
The fellowship accepts only J-1 visas sponsored by ECFMG.
"""

TABLE = """<h2>Visa sponsorship by program</h2>
<table><tr><th>Program</th><th>J-1</th><th>H-1B</th></tr>
<tr><td>Internal Medicine</td><td>Yes</td><td>Yes</td></tr>
<tr><td>General Surgery</td><td>Yes</td><td>No</td></tr>
<tr><td>Obstetrics and Gynecology</td><td>Yes</td><td>No</td></tr></table>"""


def titles(verdict: Verdict) -> dict[str, str]:
    return {part.title: part.verdict.category for part in verdict.parts}


def test_sections_that_differ_are_kept_beside_the_page_verdict():
    verdict = classify_text(TWO_PROGRAMS)
    assert titles(verdict) == {"Family Medicine Residency": "h1b",
                               "Sports Medicine Fellowship": "j1_only"}


def test_table_rows_of_programs_are_parts():
    verdict = classify_html(TABLE)
    assert verdict.category == "h1b_limited"  # the institution: H-1B in some programs
    assert titles(verdict) == {"Internal Medicine": "h1b", "General Surgery": "j1_only",
                               "Obstetrics and Gynecology": "j1_only"}


def test_untitled_text_applies_to_every_part():
    text = ("All programs require ECFMG certification before the start of training.\n"
            "Every program accepts J-1 visas sponsored by ECFMG.\n"
            "Internal Medicine Residency\nThe residency sponsors H-1B visas.\n"
            "Pathology Residency\nThe residency does not sponsor H-1B visas.")
    verdict = classify_text(text)
    assert {part.title: (part.verdict.h1b, part.verdict.j1) for part in verdict.parts} == {
        "Internal Medicine Residency": ("yes", "yes"),
        "Pathology Residency": ("no", "yes"),
    }


@pytest.mark.parametrize("text", [
    # one program's page: one part, nothing to choose
    "Internal Medicine Residency\nWe sponsor J-1 and H-1B visas.\nStep 3 is required.",
    # sections that agree
    "Internal Medicine Residency\nWe sponsor J-1 visas only.\n"
    "Preliminary Medicine Track\nWe sponsor J-1 visas only.",
    # a menu of program names is a list, not headings: the statement under it is the page's
    "Programs\nInternal Medicine\nPediatrics\nGeneral Surgery\nWe sponsor J-1 visas only.\n"
    "H-1B visas are sponsored for residents who have passed Step 3.",
])
def test_no_parts_where_the_page_speaks_with_one_voice(text):
    assert classify_text(text).parts == ()


def part(title: str, category: str) -> Part:
    h1b = {"h1b": "yes", "h1b_limited": "limited", "j1_only": "no"}[category]
    return Part(title, Verdict(category, h1b, "yes", None))


PARTS = [part("Family Medicine Residency", "h1b"), part("Sports Medicine Fellowship", "j1_only"),
         part("Hematology and Medical Oncology Fellowship", "j1_only"),
         part("Categorical track", "h1b"), part("Northside Programs", "h1b_limited")]


@pytest.mark.parametrize(("name", "specialty", "expected"), [
    ("Northside Family Medicine Residency", "Family Medicine", "Family Medicine Residency"),
    ("Northside Sports Medicine Fellowship", "Sports Medicine", "Sports Medicine Fellowship"),
    # spellings of one specialty; the name's words count as well as the specialty's
    ("Hem/Onc Fellowship", "Hematology/Oncology", "Hematology and Medical Oncology Fellowship"),
    ("Hematology and Medical Oncology Fellowship", "Hem/Onc",
     "Hematology and Medical Oncology Fellowship"),
    # a track the program's name gives
    ("Northside Internal Medicine Residency (Categorical)", "Internal Medicine",
     "Categorical track"),
    # named nowhere; the institution's own name is no program's
    ("Northside Pediatrics Residency", "Pediatrics", None),
])
def test_the_part_titled_with_the_program(name, specialty, expected):
    chosen = part_for(PARTS, name, specialty, institution="Northside Hospital")
    assert (chosen.title if chosen else None) == expected


def test_a_broader_specialty_is_not_the_program():
    parts = [part("Medicine", "h1b"), part("Surgery", "j1_only")]
    assert part_for(parts, "Northside Family Medicine Residency", "Family Medicine") is None
    assert part_for(parts, "Northside Medicine Residency", "Medicine").title == "Medicine"


def test_the_most_specific_title_wins_and_a_tie_that_disagrees_decides_nothing():
    parts = [part("Internal Medicine", "j1_only"), part("Internal Medicine Categorical", "h1b")]
    assert part_for(parts, "Internal Medicine Residency (Categorical)",
                    "Internal Medicine").title == "Internal Medicine Categorical"
    assert part_for(parts, "Internal Medicine Residency", "Internal Medicine").title == \
        "Internal Medicine"
    tied = [part("Internal Medicine", "h1b"), part("Medicine Internal", "j1_only")]
    assert part_for(tied, "Internal Medicine Residency", "Internal Medicine") is None


def program(program_id: str, name: str, specialty: str) -> Program:
    return Program(id=program_id, name=name, institution="Northside Hospital",
                   specialty=specialty, city="Los Angeles", url="https://northside.example/")


def test_a_program_reads_its_own_part_and_it_outranks_the_gme_page():
    department = PageResult("https://northside.example/fm/", 200, own=False,
                            verdict=classify_text(TWO_PROGRAMS))
    gme = PageResult("https://northside.example/gme/visas", 200, own=False,
                     verdict=classify_text("Northside Hospital does not sponsor H-1B visas."))
    fm = assess_program(program("fm", "Northside Family Medicine Residency", "Family Medicine"),
                        [department, gme])
    assert fm.verdict.category == "h1b"  # its own section, over the GME page's general "no"
    sports = assess_program(program("sm", "Northside Sports Medicine Fellowship",
                                    "Sports Medicine"), [department, gme])
    assert sports.verdict.category == "j1_only"
    # a program the page does not name: the page's and the GME page's verdicts, as before
    peds = assess_program(program("peds", "Northside Pediatrics Residency", "Pediatrics"),
                          [department, gme])
    assert peds.verdict.h1b == "no"


def test_parts_survive_the_stored_reading():
    verdict = classify_html(TABLE, "https://northside.example/gme/visas")
    again = verdict_from_dict(verdict_to_dict(verdict))
    assert again == verdict
    assert again.parts == verdict.parts
    assert [p.verdict.evidence for p in again.parts] == [p.verdict.evidence for p in verdict.parts]
