"""`visa-monitor classify --explain FILE` and `--rules`, through the real command."""

from __future__ import annotations

from typer.testing import CliRunner

from monitor.classify.rules import RULES
from monitor.cli.main import app


def _cli(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": "200"})


def test_explain_prints_units_clauses_rules_and_decision(tmp_path):
    page = tmp_path / "faq.html"
    page.write_text(
        "<html><body><h2>Do you sponsor visas?</h2>"
        "<p>The hospital does not itself sponsor the J-1; ECFMG does. We do not offer H-1B "
        "visas.</p><footer>Visa and Mastercard accepted.</footer></body></html>",
        encoding="utf-8",
    )
    result = _cli("classify", "--explain", page)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"{page}: category j1_only (h1b no, j1 yes")
    assert "Units read" in out
    assert "clause: the hospital does not itself sponsor the xxj1" in out
    assert "rule ecfmg-does: j1=yes (strength 3)" in out
    assert "rule denies-visas: h1b=no (strength 3)" in out
    assert "j1 = yes from unit" in out and "by ecfmg-does" in out
    assert "category j1_only: derived from h1b=no, j1=yes" in out


def test_explain_reads_stdin_and_plain_text():
    result = _cli("classify", "--explain", "-",
                  input="We will consider H-1B for exceptionally strong applicants.")
    assert result.exit_code == 0, result.output
    assert "-: category h1b_limited" in result.output
    assert "h1b = limited" in result.output


def test_explain_names_a_missing_file(tmp_path):
    result = _cli("classify", "--explain", tmp_path / "missing.html")
    assert result.exit_code == 2
    assert "missing.html" in result.output


def test_rules_lists_every_rule():
    result = _cli("classify", "--rules")
    assert result.exit_code == 0, result.output
    for name, rule in RULES.items():
        assert f"{name}\n  {rule.summary}" in result.output


def test_classify_without_files_is_a_usage_error():
    assert _cli("classify").exit_code == 2
    assert _cli("classify", "--explain").exit_code == 2


def test_explain_lists_the_parts_of_a_page_of_several_programs():
    text = ("Family Medicine Residency\nThe residency sponsors both J-1 and H-1B visas.\n"
            "Sports Medicine Fellowship\nThe fellowship accepts only J-1 visas.\n")
    result = _cli("classify", "--explain", "-", input=text)
    assert result.exit_code == 0, result.output
    assert "-: category h1b_limited" in result.output
    parts = result.output.split("Parts that differ", 1)[1]
    assert "Family Medicine Residency: category h1b (h1b yes, j1 yes)" in parts
    assert "Sports Medicine Fellowship: category j1_only (h1b no, j1 yes)" in parts
