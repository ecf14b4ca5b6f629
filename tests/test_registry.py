"""lint_config, list_programs and program_to_dict; and the real config/programs.toml."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_config
from monitor.registry import (
    LintWarning,
    effective_scope,
    lint_config,
    list_programs,
    program_to_dict,
    specialties,
    summary_line,
)

ROOT = Path(__file__).resolve().parents[1]
REAL_CONFIG = ROOT / "config" / "programs.toml"


def program(
    pid: str,
    url: str,
    *,
    specialty: str = "Internal Medicine",
    visa_urls: tuple[str, ...] | list[str] = (),
    scope: tuple[str, ...] | list[str] = (),
) -> str:
    """One [[programs]] table; a JSON list of strings is also a TOML array."""
    lines = [
        "[[programs]]",
        f'id = "{pid}"',
        f'name = "{pid} program"',
        'institution = "Somewhere"',
        f'specialty = "{specialty}"',
        'city = "Los Angeles"',
        f'url = "{url}"',
    ]
    if visa_urls:
        lines.append(f"visa_urls = {json.dumps(list(visa_urls))}")
    if scope:
        lines.append(f"scope = {json.dumps(list(scope))}")
    return "\n".join(lines) + "\n"


def config_of(*programs: str):
    return parse_config("\n".join(programs), "inline.toml")


def overlaps(warnings: list[LintWarning]) -> set[frozenset[str]]:
    return {frozenset(w.program_ids) for w in warnings if w.field == "scope"}


# --- lint_config: overlapping scopes ---------------------------------------------------


def test_two_programs_on_one_host_without_scope_overlap():
    config = config_of(
        program("a", "https://www.med.example.edu/im/"),
        program("b", "https://med.example.edu/surgery/"),  # "www." makes no difference
    )
    [warning] = lint_config(config)
    assert warning.program_ids == ("a", "b")
    assert warning.field == "scope"
    assert "'b'" in warning.message and "whole host" in warning.message


def test_disjoint_scopes_on_one_host_do_not_overlap():
    config = config_of(
        program(
            "a", "https://med.example.edu/gme/im/faq", scope=["https://med.example.edu/gme/im/"]
        ),
        program(
            "b",
            "https://med.example.edu/gme/imaging/faq",
            scope=["https://med.example.edu/gme/imaging/"],
        ),
    )
    assert lint_config(config) == []


def test_a_scope_inside_another_overlaps():
    config = config_of(
        program("hub", "https://med.example.edu/gme/", scope=["https://med.example.edu/gme/"]),
        program("im", "https://med.example.edu/gme/im/", scope=["https://med.example.edu/GME/im/"]),
    )
    assert overlaps(lint_config(config)) == {frozenset({"hub", "im"})}


def test_a_scope_overlapping_a_default_whole_host_is_reported():
    config = config_of(
        program("a", "https://med.example.edu/"),
        program("b", "https://med.example.edu/im/", scope=["https://med.example.edu/im/"]),
    )
    [warning] = lint_config(config)
    assert "set `scope`" in warning.message


def test_a_shared_visa_page_is_not_an_overlap():
    gme = ["https://gme.example.edu/visa-policy"]
    config = config_of(
        program("a", "https://im.example.edu/", visa_urls=gme),
        program("b", "https://surgery.example.edu/", visa_urls=gme),
    )
    assert lint_config(config) == []


def test_programs_on_different_hosts_do_not_overlap():
    config = config_of(
        program("a", "https://im.example.edu/"), program("b", "https://fm.example.edu/")
    )
    assert lint_config(config) == []


# --- lint_config: http:// URLs ------------------------------------------------------------


def test_http_urls_are_reported_with_their_field():
    config = config_of(
        program(
            "a",
            "http://med.example.edu/im/",
            visa_urls=["https://gme.example.edu/visa", "http://med.example.edu/im/visa"],
            scope=["http://med.example.edu/im/"],
        )
    )
    warnings = lint_config(config)
    assert [(w.program_ids, w.field) for w in warnings] == [
        (("a",), "url"),
        (("a",), "visa_urls.1"),
        (("a",), "scope.0"),
    ]
    assert all("http://" in w.message for w in warnings)


def test_https_urls_are_fine():
    assert lint_config(config_of(program("a", "https://med.example.edu/im/"))) == []


def test_warning_renders_file_program_and_field():
    warning = LintWarning(("a", "b"), "scope", "overlaps program 'b'")
    assert warning.render("config/x.toml") == (
        "warning: config/x.toml: program 'a': field 'scope': overlaps program 'b'"
    )


# --- list_programs and program_to_dict ------------------------------------------------------


@pytest.fixture
def three():
    return config_of(
        program("im", "https://im.example.edu/", specialty="Internal Medicine"),
        program("fm", "https://fm.example.edu/", specialty="Family Medicine"),
        program("peds", "https://peds.example.edu/", specialty="Pediatrics"),
    )


def test_list_programs_without_filter_keeps_all_in_order(three):
    assert [p.id for p in list_programs(three, None)] == ["im", "fm", "peds"]
    assert [p.id for p in list_programs(three, "  ")] == ["im", "fm", "peds"]


def test_list_programs_filters_by_specialty_substring_ignoring_case(three):
    assert [p.id for p in list_programs(three, "internal medicine")] == ["im"]
    assert [p.id for p in list_programs(three, "MEDICINE")] == ["im", "fm"]
    assert list_programs(three, "urology") == []


def test_program_to_dict_gives_the_effective_scope():
    config = config_of(
        program(
            "a", "http://www.im.example.edu/apply/faq", visa_urls=["https://gme.example.edu/v"]
        ),
        program("b", "https://b.example.edu/x/", scope=["https://b.example.edu/x/"]),
    )
    first, second = config.programs
    assert program_to_dict(first) == {
        "id": "a",
        "name": "a program",
        "institution": "Somewhere",
        "specialty": "Internal Medicine",
        "city": "Los Angeles",
        "url": "http://www.im.example.edu/apply/faq",
        "visa_urls": ["https://gme.example.edu/v"],
        "scope": ["http://www.im.example.edu/"],  # the default: the url's whole host
    }
    assert effective_scope(second) == ["https://b.example.edu/x/"]


def test_summary_line_counts(three):
    warning = LintWarning(("im",), "url", "x")
    assert summary_line(three, [warning]) == "inline.toml: 3 programs, 3 specialties, 1 warning"
    assert specialties(three) == ["Family Medicine", "Internal Medicine", "Pediatrics"]


# --- the real config ----------------------------------------------------------------------

# Pairs the source list cannot separate by URL (each has a comment in the config):
# both rows give the same page, or one row's only page holds the other's section.
KNOWN_OVERLAPS = {
    frozenset({"harbor-ucla-em", "harbor-ucla-general-surgery"}),  # GS: the site's home page
    frozenset({"northridge-fm", "northridge-sports-medicine"}),  # one page for both
    frozenset({"huntington-im", "huntington-general-surgery"}),  # GS: the GME hub page
    frozenset({"cdu-fm", "cdu-psychiatry"}),  # one page for both
    frozenset({"uhs-socal-im", "uhs-socal-fm"}),  # one page for both
}


def _load_importer():
    # tools/ is not a package; load the script by path. It must be in sys.modules
    # while it runs, for its dataclasses.
    spec = importlib.util.spec_from_file_location(
        "import_programs", ROOT / "tools" / "import_programs.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


IMPORTER = _load_importer()
CSV_PATH = IMPORTER.DEFAULT_CSV


@pytest.fixture(scope="module")
def real():
    return load_config(REAL_CONFIG)


@pytest.fixture(scope="module")
def rows():
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_real_config_loads_with_enough_programs_and_specialties(real):
    ids = [p.id for p in real.programs]
    assert len(ids) == len(set(ids))
    assert len(real.programs) >= 60
    assert len(specialties(real)) >= 10


def test_real_config_overlaps_only_where_the_source_cannot_separate(real):
    found = {frozenset({a.id, b.id}) for i, a in enumerate(real.programs)
             for b in real.programs[i + 1:] if a.scope_rules.overlaps(b.scope_rules)}
    assert found == KNOWN_OVERLAPS
    # Each is declared on both sides, so validate has nothing to warn about.
    by_id = {p.id: p for p in real.programs}
    for pair in KNOWN_OVERLAPS:
        first, second = sorted(pair)
        assert second in by_id[first].shares_scope_with
        assert first in by_id[second].shares_scope_with
    assert lint_config(real) == []


def test_real_config_scopes_hold_their_own_home_page(real):
    for p in real.programs:
        assert p.scope_rules.contains(p.url), p.id


def test_real_config_is_what_the_importer_writes():
    result = IMPORTER.build(IMPORTER.read_rows(CSV_PATH))
    assert REAL_CONFIG.read_text(encoding="utf-8") == IMPORTER.render(result), (
        "config/programs.toml is stale or hand-edited: run tools/import_programs.py"
    )


def test_every_csv_row_with_a_program_url_is_in_the_config(real, rows):
    secure = IMPORTER.secure
    expected = Counter(secure(row["program_url"]) for row in rows if row["program_url"])
    assert Counter(p.url for p in real.programs) == expected
    # ... with every visa and GME page of those rows.
    in_config = {url for p in real.programs for url in (p.url, *p.visa_urls)}
    for row in rows:
        if row["program_url"]:
            pages = {secure(u) for u in (row["visa_url"], row["gme_visa_policy_url"]) if u}
            assert pages <= in_config
    names = {row["program_name"] for row in rows}
    for p in real.programs:
        # Names are copied, except that "(inferred)" moves to a comment.
        assert p.name in names or f"{p.name} (inferred)" in names, p.id


def test_the_config_invents_no_url(real, rows):
    # As published, except that an http:// link is written with https://.
    published = {
        IMPORTER.secure(row[key])
        for row in rows
        for key in ("program_url", "visa_url", "gme_visa_policy_url")
        if row[key]
    }
    for p in real.programs:
        assert p.url in published, p.id
        assert set(p.visa_urls) <= published, p.id
        assert p.url not in p.visa_urls, p.id
        for prefix in p.scope:
            # A scope is a prefix of the program's own url (the scheme aside).
            bare = prefix.split("://", 1)[1]
            assert p.url.split("://", 1)[1].startswith(bare), (p.id, prefix)


def test_what_the_pages_said_stays_out_of_the_config(rows):
    text = REAL_CONFIG.read_text(encoding="utf-8")
    for row in rows:
        if row["stance_seen"]:
            assert row["stance_seen"] not in text


# --- the importer's scope rule, on URL shapes from the list ----------------------------------


@pytest.mark.parametrize(
    ("url", "specialty", "section"),
    [
        # cut at the folder naming the program; the page below it is dropped
        (
            "https://www.uclahealth.org/departments/neurology/education/residency/apply",
            "Neurology",
            "https://www.uclahealth.org/departments/neurology/education/residency/",
        ),
        # the deepest such folder wins over the department's container of programs
        (
            "https://x.org/anes/fellowship-programs/cardiac-anesthesia-fellowship/apply",
            "Adult Cardiothoracic Anesthesiology",
            "https://x.org/anes/fellowship-programs/cardiac-anesthesia-fellowship/",
        ),
        # a container folder ("residency/") gives way to the next folder
        (
            "https://kp.org/residency/internalmedicine-fontana/curriculum/",
            "Internal Medicine",
            "https://kp.org/residency/internalmedicine-fontana/",
        ),
        # an extensionless last segment naming the program is a page with sub-pages
        (
            "https://chla.org/fellowship/cardiology-fellowship",
            "Pediatric Cardiology",
            "https://chla.org/fellowship/cardiology-fellowship",
        ),
        # a folder spelling the specialty names the program; scopes are written https
        (
            "http://www.harbor-ucla.org/emergency-medicine/application-process/",
            "Emergency Medicine",
            "https://www.harbor-ucla.org/emergency-medicine/",
        ),
        # a file name never counts, even when it says "Residency"
        (
            "http://cedars.edu/Residency-Programs/OB/OB-Residency-Application.aspx",
            "Obstetrics & Gynecology",
            "https://cedars.edu/Residency-Programs/OB/",
        ),
        ("https://uscimresidency.com/community", "Internal Medicine", None),
    ],
)
def test_program_section(url, specialty, section):
    assert IMPORTER.program_section(url, specialty) == section


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("https://ruhealth.org/ru/node/5780", "https://ruhealth.org/ru/node/5780"),
        (
            "https://ruhealth.org/prospective-residents",
            "https://ruhealth.org/prospective-residents",
        ),
        ("https://www.harbor-ucla.org/?p=17587", "https://www.harbor-ucla.org/"),
        (
            "https://d.org/ca/for-medical-students/how-to-apply",
            "https://d.org/ca/for-medical-students/",
        ),
    ],
)
def test_page_folder_when_no_folder_names_the_program(url, prefix):
    assert IMPORTER.page_folder(url)[0] == prefix


def test_the_importer_writes_https_for_published_http_links(real, rows):
    assert any(row["program_url"].startswith("http://") for row in rows)  # the case exists
    for p in real.programs:
        assert all(url.startswith("https://") for url in (p.url, *p.visa_urls, *p.scope)), p.id
    assert IMPORTER.secure("http://a.example.org/x?y=1") == "https://a.example.org/x?y=1"
    assert IMPORTER.secure("https://a.example.org/") == "https://a.example.org/"


# --- lint_config: declared shared scopes ----------------------------------------------


def _shared(pid: str, url: str, shares: list[str], scope: list[str] | None = None) -> str:
    text = program(pid, url, scope=scope or ())
    return text + f"shares_scope_with = {json.dumps(shares)}\n"


def test_a_declared_shared_scope_is_not_warned_about():
    config = config_of(
        _shared("a", "https://med.example.edu/gme/", ["b"]),
        _shared("b", "https://med.example.edu/gme/", ["a"]),
        program("c", "https://med.example.edu/c/", scope=["https://med.example.edu/c/"]),
    )
    # a and b share on purpose; c overlaps both (they have the whole host) undeclared.
    assert overlaps(lint_config(config)) == {frozenset({"a", "c"}), frozenset({"b", "c"})}


def test_an_undeclared_overlap_says_how_to_declare_it():
    [warning] = lint_config(config_of(program("a", "https://x.example.edu/"),
                                      program("b", "https://x.example.edu/b/")))
    assert "shares_scope_with" in warning.message


def test_a_declared_share_that_no_longer_overlaps_is_stale():
    config = config_of(
        _shared("a", "https://one.example.edu/", ["b"]),
        program("b", "https://two.example.edu/"),
    )
    [warning] = lint_config(config)
    assert warning.field == "shares_scope_with" and "no longer overlap" in warning.message


@pytest.mark.parametrize("shares,problem", [(["nobody"], "'nobody' is not a program id"),
                                            (["a"], "'a' is this program itself")])
def test_shares_scope_with_must_name_another_program(shares, problem):
    with pytest.raises(ConfigError) as error:
        config_of(_shared("a", "https://one.example.edu/", shares))
    assert f"inline.toml:8: program 'a' (programs[0]): field 'shares_scope_with': {problem}" \
        in str(error.value)
