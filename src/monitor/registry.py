"""The program list as a whole: what it holds and what looks wrong in it.

`monitor.config` rejects a config that cannot work. This module finds what
works but is probably a mistake (`lint_config`), and selects and serialises
programs for `visa-monitor programs list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from urllib.parse import urlsplit

from monitor.config import Config, Program
from monitor.crawl.scope import normalise_url


@dataclass(frozen=True)
class LintWarning:
    """Something in the config that loads but is probably not what was meant."""

    program_ids: tuple[str, ...]  # the program it is about first, then any other involved
    field: str  # as in the loader's errors: "url", "visa_urls.0", "scope"
    message: str

    def render(self, path: str | None) -> str:
        return (
            f"warning: {path or '<config>'}: program {self.program_ids[0]!r}: "
            f"field {self.field!r}: {self.message}"
        )


def lint_config(config: Config) -> list[LintWarning]:
    """Overlapping scopes between two programs, then http:// URLs, in config order."""
    return [*_overlap_warnings(config.programs), *_http_warnings(config.programs)]


def _overlap_warnings(programs: list[Program]) -> list[LintWarning]:
    # Only `scope` counts: visa_urls are explicit start pages, and many programs
    # rightly share one institution-wide visa policy page. A page inside two
    # scopes could be read for both programs and credit one with the other's
    # policy, unless the config says the two share their pages on purpose
    # (`shares_scope_with`); a declared sharing that no longer overlaps is stale.
    warnings = []
    for first, second in combinations(programs, 2):
        overlap = first.scope_rules.overlaps(second.scope_rules)
        declared = _declared_shares(first, second)
        if overlap and declared:
            continue
        if declared:
            warnings.append(LintWarning(
                (first.id, second.id), "shares_scope_with",
                f"declares that it shares its scope with {second.id!r}, but the scopes "
                "no longer overlap; remove it",
            ))
            continue
        if overlap:
            message = (
                f"scope {_scope_text(first)} overlaps program {second.id!r} "
                f"(scope {_scope_text(second)}); pages in both would be read for both"
            )
            if not first.scope or not second.scope:
                message += "; set `scope` to each program's own section of the site"
            message += (" (or, when the only pages known for both are shared, list each "
                        "in the other's `shares_scope_with`)")
            warnings.append(LintWarning((first.id, second.id), "scope", message))
    return warnings


def _declared_shares(first: Program, second: Program) -> bool:
    return second.id in first.shares_scope_with or first.id in second.shares_scope_with


def _scope_text(program: Program) -> str:
    described = ", ".join(program.scope_rules.describe())
    return described if program.scope else f"{described} (not set: the whole host)"


def _http_warnings(programs: list[Program]) -> list[LintWarning]:
    warnings = []
    for program in programs:
        for field, url in _urls_by_field(program):
            if urlsplit(url).scheme.lower() == "http":
                warnings.append(
                    LintWarning(
                        (program.id,),
                        field,
                        f"{url} uses http://; use https:// where the site has it",
                    )
                )
    return warnings


def _urls_by_field(program: Program) -> list[tuple[str, str]]:
    return [
        ("url", program.url),
        *((f"visa_urls.{i}", url) for i, url in enumerate(program.visa_urls)),
        *((f"scope.{i}", url) for i, url in enumerate(program.scope)),
    ]


def list_programs(config: Config, specialty: str | None = None) -> list[Program]:
    """The programs, in config order; `specialty` keeps those whose specialty
    contains it, ignoring case ("medicine" keeps Internal and Family Medicine)."""
    if not specialty or not specialty.strip():
        return list(config.programs)
    wanted = specialty.strip().casefold()
    return [p for p in config.programs if wanted in p.specialty.casefold()]


def specialties(config: Config) -> list[str]:
    """The distinct specialties, sorted."""
    return sorted({program.specialty for program in config.programs})


def effective_scope(program: Program) -> list[str]:
    """The URL prefixes the spider may follow for this program, as URLs."""
    if program.scope:
        return list(program.scope)
    # The loader's default: the home page's whole host.
    parts = urlsplit(normalise_url(program.url))
    return [f"{parts.scheme}://{parts.netloc}/"]


def program_to_dict(program: Program) -> dict[str, object]:
    return {
        "id": program.id,
        "name": program.name,
        "institution": program.institution,
        "specialty": program.specialty,
        "city": program.city,
        "url": program.url,
        "visa_urls": list(program.visa_urls),
        "scope": effective_scope(program),
    }


def summary_line(config: Config, warnings: list[LintWarning]) -> str:
    """E.g. "config/programs.toml: 87 programs, 23 specialties, 0 warnings"."""
    return (
        f"{config.path or '<config>'}: {_count(len(config.programs), 'program')}, "
        f"{_count(len(specialties(config)), 'specialty', 'specialties')}, "
        f"{_count(len(warnings), 'warning')}"
    )


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
