"""Matching fixture institutions to the imported filings, and the filings beside each stance."""

from datetime import date

import pytest
from conftest import FIXTURES
from evidence_files import LCA_FY19, RECENT_FY, USCIS_2018, USCIS_2019, USCIS_NEW, lca_quarters

from monitor.classify.assess import PageResult, assess_program
from monitor.classify.verdict import classify_text
from monitor.config import ConfigError, Settings, parse_config
from monitor.detect.flow import finish_crawl
from monitor.evidence import report
from monitor.evidence.import_ import import_file
from monitor.evidence.match import find_matches, save_matches
from monitor.store import queries

INSTITUTIONS = """
[[institutions]]
name = "Westbay Health"
employer_names = ["Westbay Health System, Inc."]
"""
SPONSOR_TEXT = ("Eligibility for international applicants. We sponsor both J-1 and H-1B "
                "visas for our residents.")
J1_TEXT = ("Eligibility for international applicants. We accept J-1 visas sponsored by "
           "ECFMG. We do not sponsor H-1B visas.")


def fixture_config(extra: str = INSTITUTIONS, replace: tuple[str, str] | None = None):
    text = (FIXTURES / "programs.toml").read_text(encoding="utf-8")
    if replace:
        text = text.replace(*replace)
    return parse_config(text + extra, "programs.toml")


@pytest.fixture
def imported(store, tmp_path):
    for path in (USCIS_2018, USCIS_2019, USCIS_NEW):
        import_file(store, "uscis", path)
    for path in (LCA_FY19, *lca_quarters(tmp_path)):
        import_file(store, "lca", path)
    return store


def record_stances(store, config, texts: dict[str, str]) -> None:
    results = []
    for program_id, text in texts.items():
        program = config.program(program_id)
        url = program.url + "eligibility"
        results.append(assess_program(program, [PageResult(url, 200, True, text,
                                                            classify_text(text, url))]))
    crawl_id = store.start_crawl("programs.toml", len(results))
    finish_crawl(store, crawl_id, results, Settings())


def matched(report_, program_id):
    return sorted((m.name_key, m.city_key, m.state, m.source)
                  for m in report_.matches if m.program_id == program_id)


def test_programs_match_by_name_and_city_or_by_override(imported):
    result = save_matches(imported, fixture_config())
    assert matched(result, "pacific-im") == [
        ("pacific coast medical center", "los angeles", "", "name")]
    assert matched(result, "sierra-psych") == [
        ("sierra vista behavioral health", "pasadena", "", "name")]
    assert matched(result, "harbor-fm") == [("harbor community health", "long beach", "", "name")]
    assert matched(result, "eastgate-gs") == [("eastgate community hospital", "downey", "",
                                               "name")]
    for program_id in ("westbay-im", "westbay-surgery", "westbay-peds"):
        assert matched(result, program_id) == [("westbay health system", "", "", "config")]
    # The same name in San Diego is not the Van Nuys institution.
    assert matched(result, "mission-em") == []
    unmatched = {entry.institution: entry for entry in result.unmatched}
    # The fixture programs with PDF and script-built pages (riverside-im, summit-*)
    # have no filings in the fixture files.
    assert set(unmatched) == {"Mission Valley Medical Center", "Lakeside University Hospital",
                              "Golden State Medical Center", "Canyon Ridge Medical Center",
                              "Riverside Health", "Summit Heart Institute"}
    mission = unmatched["Mission Valley Medical Center"]
    assert mission.programs == ["mission-em"]
    assert mission.closest[0]["employer"] == "MISSION VALLEY MEDICAL CENTER"
    assert mission.closest[0]["city"] == "SAN DIEGO"
    lakeside = unmatched["Lakeside University Hospital"]
    assert lakeside.closest[0]["employer"] == "LAKESIDE UNIV HOSPITAL FOUNDATION"


def test_a_program_override_wins_over_its_institution_and_the_name(imported):
    config = fixture_config(replace=(
        'institution = "Pacific Coast Medical Center"\n',
        'institution = "Pacific Coast Medical Center"\n'
        'employer_names = [{name = "Acme Software, L.L.C.", state = "TX"}]\n'))
    with imported.sessions() as session:
        result = find_matches(session, config)
    assert matched(result, "pacific-im") == [("acme software", "", "TX", "config")]


def test_matches_are_replaced_when_matching_again(imported):
    save_matches(imported, fixture_config())
    again = save_matches(imported, fixture_config(extra=""))  # no Westbay override any more
    # Matched by name now: the LCAs' trade name (DBA) is "WESTBAY HEALTH", in Torrance;
    # USCIS knows only "Westbay Health System", so its lines no longer count.
    assert matched(again, "westbay-im") == [("westbay health", "torrance", "", "name")]
    westbay = report.filings_for(imported, ["westbay-im"])["westbay-im"]
    assert [year["fiscal_year"] for year in westbay["years"]] == [RECENT_FY]
    assert westbay["years"][0]["uscis_approvals"] == 0
    assert westbay["years"][0]["dol_trainee_lcas"] == 3


def test_filings_per_year_and_the_contradiction(imported):
    config = fixture_config()
    save_matches(imported, config)
    filings = report.filings_for(imported, ["sierra-psych", "pacific-im", "harbor-fm",
                                            "westbay-surgery", "eastgate-gs", "mission-em"])
    assert "mission-em" not in filings
    sierra = filings["sierra-psych"]
    assert sierra["employers"] == ["SIERRA VISTA BEHAVIORAL HEALTH",
                                   "Sierra Vista Behavioral Hlth, Inc."]
    years = {year["fiscal_year"]: year for year in sierra["years"]}
    assert [year["fiscal_year"] for year in sierra["years"]] == sorted(years, reverse=True)
    assert years[RECENT_FY]["dol_trainee_lcas"] == 14
    assert years[2025]["uscis_approvals"] == 6 + 2 + 1 + 1
    assert years[2025]["uscis_initial_approvals"] == 6
    j1_only = {"category": "j1_only", "h1b": "no"}
    assert report.contradiction(j1_only, sierra) == (
        f"says J-1 only; its employer filed 14 H-1B LCAs for residents in FY{RECENT_FY}")
    # Never raised for a stance that does not deny H-1B, nor on old filings.
    assert report.contradiction({"category": "h1b", "h1b": "yes"}, sierra) is None
    assert report.contradiction({"category": "h1b_limited", "h1b": "limited"}, sierra) is None
    assert report.contradiction(j1_only, sierra, at=date(RECENT_FY + 4, 1, 1)) is None
    assert report.contradiction({"category": "none", "h1b": "no"}, filings["westbay-surgery"]) \
        == f"says it sponsors no visas; its employer filed 3 H-1B LCAs for residents in " \
           f"FY{RECENT_FY}"
    assert report.contradiction(j1_only, filings["pacific-im"]).endswith(
        f"filed 2 H-1B LCAs for residents and fellows in FY{RECENT_FY}")
    # An employer with no trainee LCAs, or only denied ones, confirms a J-1-only stance.
    assert report.contradiction(j1_only, filings["harbor-fm"]) is None
    eastgate = {y["fiscal_year"]: y for y in filings["eastgate-gs"]["years"]}
    assert eastgate[RECENT_FY]["dol_trainee_lcas_denied"] == 1
    assert report.contradiction(j1_only, filings["eastgate-gs"]) is None


def test_status_and_history_rows_carry_the_filings(imported):
    config = fixture_config()
    save_matches(imported, config)
    record_stances(imported, config, {"sierra-psych": J1_TEXT, "westbay-im": SPONSOR_TEXT,
                                      "lakeside-neuro": J1_TEXT})
    rows = {row["program_id"]: row
            for row in report.annotate(imported, queries.status(imported))}
    assert rows["sierra-psych"]["category"] == "j1_only"  # the program's words stay the verdict
    assert rows["sierra-psych"]["h1b_filings"]["contradiction"] == (
        f"says J-1 only; its employer filed 14 H-1B LCAs for residents in FY{RECENT_FY}")
    assert rows["westbay-im"]["h1b_filings"]["contradiction"] is None
    assert rows["westbay-im"]["h1b_filings"]["employers"] == ["WESTBAY HEALTH SYSTEM INC",
                                                              "WESTBAY HEALTH SYSTEM, INC."]
    assert rows["lakeside-neuro"]["h1b_filings"] == report.empty_filings()
    history = report.annotate(imported, queries.program_history(imported, "sierra-psych"),
                              period_key="until")
    assert history[0]["h1b_filings"]["contradiction"].startswith("says J-1 only")


def test_config_errors_name_the_institution_line_and_field():
    with pytest.raises(ConfigError) as caught:
        fixture_config(extra='\n[[institutions]]\nname = "Westbay Helth"\nemployer_names = ["X"]\n')
    assert "institution 'Westbay Helth' (institutions[0])" in str(caught.value)
    assert "field 'name'" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        fixture_config(extra='\n[[institutions]]\nname = "Westbay Health"\nstate = "Cal"\n'
                             'employer_names = [{name = "W", town = "T"}]\n')
    message = str(caught.value)
    assert "programs.toml:" in message and "field 'state'" in message
    assert "field 'employer_names.0.town': unknown key" in message
