"""Shared helpers for alert tests: programs, real verdicts, crawls recorded through the flow."""

from __future__ import annotations

from monitor.classify.assess import PageResult, ProgramResult, assess_program
from monitor.classify.verdict import classify_text
from monitor.config import Program, Settings
from monitor.detect.flow import finish_crawl
from monitor.store.writer import Store

SETTINGS = Settings()
UCLA_IM = Program(id="ucla-im", name="UCLA Internal Medicine Residency (Categorical track)",
                  institution="UCLA", specialty="Internal Medicine", city="Los Angeles",
                  url="https://ucla.example.org/im/")
CEDARS_NEURO = Program(id="cedars-neuro", name="Cedars-Sinai Neurology Residency",
                       institution="Cedars-Sinai", specialty="Neurology", city="Los Angeles",
                       url="https://cedars.example.org/neuro/")
SPONSOR_TEXT = ("Eligibility for international applicants. We sponsor both J-1 and H-1B "
                "visas for our residents.")
J1_TEXT = ("Eligibility for international applicants. We accept J-1 visas sponsored by "
           "ECFMG. We do not sponsor H-1B visas.")


def result(program: Program, text: str, verdict_text: str | None = None) -> ProgramResult:
    """A program whose eligibility page says `text` (read as `verdict_text` when given)."""
    url = program.url + "eligibility"
    verdict = classify_text(verdict_text or text, url)
    return assess_program(program, [PageResult(url, 200, True, text, verdict)])


def crawl(store: Store, *results: ProgramResult, settings: Settings = SETTINGS,
          classifier_version: str | None = None):
    crawl_id = store.start_crawl("programs.toml", len(results))
    return finish_crawl(store, crawl_id, list(results), settings,
                        classifier_version=classifier_version)
