"""Load and validate `programs.toml`.

Every problem is reported as a `ConfigError` naming the file, the program and
the field (and the line where we can find it), before anything is fetched or
written.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from monitor.crawl.scope import Scope, normalise_url
from monitor.evidence.employers import name_key, state_code

DEFAULT_CONFIG = Path("config/programs.toml")
CONFIG_ENV = "VISA_MONITOR_CONFIG"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


def _apprise_accepts(url: str) -> bool:
    import apprise

    # Apprise logs why a URL is refused; the message is ours to give.
    with apprise.LogCapture(level=logging.ERROR):
        return apprise.Apprise.instantiate(url) is not None


def _check_url(value: str) -> str:
    # normalise_url raises ValueError with a readable reason for anything that
    # is not an absolute http(s) URL.
    normalise_url(value)
    return value


Url = Annotated[str, AfterValidator(_check_url)]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user_agent: str = Field("visa-monitor/0.1 (+https://example.org/contact)", min_length=1)
    max_pages_per_program: int = Field(8, ge=1, le=500)
    max_depth: int = Field(2, ge=0, le=10)
    download_delay: float = Field(1.0, ge=0, le=600)
    concurrency_per_host: int = Field(2, ge=1, le=64)
    autothrottle: bool = True
    # A host slower than this to answer gets one request at a time (0: never paced).
    slow_host_seconds: float = Field(1.0, ge=0, le=600)
    # A program page is small; the Scrapy defaults (180 s, 1 GiB) are unsafe here.
    download_timeout: float = Field(30.0, gt=0, le=600)
    download_maxsize: int = Field(5_000_000, ge=10_000)
    retry_times: int = Field(2, ge=0, le=10)
    # Policy PDFs are larger than pages, and parsing a huge one is costly: a limit of their own.
    pdf_maxsize: int = Field(20_000_000, ge=10_000)
    # Pages built by scripts are rendered by this browser (Debian's chromium; never a
    # downloaded build). Without it such pages are recorded as needing a browser.
    browser_path: str = Field("/usr/bin/chromium", min_length=1)
    # Change detection: how long a signal must hold before it is reported.
    confirm_missing_runs: int = Field(2, ge=1, le=100)
    unreachable_after: int = Field(3, ge=1, le=100)
    # Flapping (an A/B test, a rotating banner): a return to a stance read within
    # the last `flap_window` crawls is `flapping`, not a `stance` alert, until one
    # version holds for `flap_settle_runs` crawls in a row.
    flap_window: int = Field(4, ge=2, le=50)
    flap_settle_runs: int = Field(3, ge=2, le=100)
    # Alerts: the first retry of a failed delivery comes within a minute, each
    # next one waits twice as long, and a row is given up after this many hours.
    notify_first_retry_seconds: float = Field(30.0, gt=0, le=60)
    notify_give_up_hours: float = Field(48.0, gt=0, le=24 * 30)
    # An Apprise YAML/TEXT config file whose tags name subscriptions.
    apprise_config: str | None = None
    # The daemon (`visa-monitor run`): when to crawl (a cron expression) and
    # where to tell the operator about the monitor's own trouble (an Apprise
    # URL; it carries a token, so it is a secret and never shown).
    schedule: str = "0 */6 * * *"
    operator_url: SecretStr | None = None
    # A crawl in which at least this share of the programs, and at least
    # `outage_min_programs` of them, could not be reached at all is the
    # monitor's own trouble (network or DNS down): it is recorded as failed.
    outage_share: float = Field(0.5, gt=0, le=1)
    outage_min_programs: int = Field(3, ge=1)
    # The operator hears when an alert has kept failing this long.
    operator_alerts_failing_hours: float = Field(24.0, gt=0, le=24 * 30)

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(
                f"not a cron expression (minute hour day month weekday): {exc}"
            ) from None
        return value

    @field_validator("operator_url")
    @classmethod
    def _apprise_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _apprise_accepts(value.get_secret_value()):
            # Never echo the URL: it carries the service's token.
            raise ValueError("not a URL Apprise can send to (check its scheme and fields)")
        return value


def _state(value: str | None) -> str | None:
    if value is None:
        return None
    code = state_code(value)
    if not code:
        raise ValueError(f"not a US state: {value!r} (write the two-letter code, e.g. 'CA')")
    return code


State = Annotated[str | None, AfterValidator(_state)]


def _employer_entry(value):
    # `employer_names = ["Name"]` is short for `[{name = "Name"}]`.
    return {"name": value} if isinstance(value, str) else value


class EmployerName(BaseModel):
    """An employer name in USCIS / DOL filings that is this institution's or program's.

    Without city or state it counts wherever the employer filed; with them,
    only its filings there (the employer's or the LCA worksite's place).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    city: str | None = None
    state: State = None

    @field_validator("name")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not name_key(value):
            raise ValueError(f"no letters or digits left to compare in {value!r}")
        return value


EmployerNames = list[Annotated[EmployerName, BeforeValidator(_employer_entry)]]


class Institution(BaseModel):
    """Settings shared by every program of one institution (by its exact `institution` name)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    state: State = None
    employer_names: EmployerNames = Field(default_factory=list)


class Program(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = Field(min_length=1)
    institution: str = Field(min_length=1)
    specialty: str = Field(min_length=1)
    city: str = Field(min_length=1)
    url: Url
    visa_urls: list[Url] = Field(default_factory=list)
    scope: list[Url] = Field(default_factory=list)
    # "auto": render in the browser a page whose text is nearly empty while it loads
    # scripts; "browser": render every page; "never": read the server's HTML only.
    render: Literal["auto", "browser", "never"] = "auto"
    # Evidence of H-1B use: the program's state (for matching employers by
    # place) and employer names that override every automatic match.
    state: State = None
    employer_names: EmployerNames = Field(default_factory=list)
    # Programs whose scope overlaps this one's on purpose: the only pages known
    # for them are shared (one page for both, or a hub page holding the other's
    # section). `programs validate` warns about any overlap not listed here.
    shares_scope_with: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("must be a slug: lowercase letters, digits and single dashes")
        return value

    @cached_property  # the model is frozen; a crawl asks once per link
    def scope_rules(self) -> Scope:
        """The URL prefixes this program may read; default: its home page's host."""
        return Scope.from_config(self.url, self.scope)

    @property
    def start_urls(self) -> list[str]:
        seen: dict[str, None] = {}
        for url in [self.url, *self.visa_urls]:
            seen.setdefault(url, None)
        return list(seen)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    settings: Settings = Field(default_factory=Settings)
    programs: list[Program] = Field(default_factory=list)
    institutions: list[Institution] = Field(default_factory=list)
    path: str | None = None

    def institution(self, name: str) -> Institution | None:
        """The `[[institutions]]` entry of this institution name, if any."""
        for institution in self.institutions:
            if institution.name == name:
                return institution
        return None

    def program(self, program_id: str) -> Program:
        return self._by_id[program_id]  # KeyError for an unknown id

    @cached_property
    def _by_id(self) -> dict[str, Program]:
        # A crawl looks a program up for every page: no linear search over thousands.
        return {program.id: program for program in self.programs}

    def select(self, program_ids: list[str] | None) -> Config:
        """This config limited to `program_ids` (all when empty)."""
        if not program_ids:
            return self
        known = {p.id for p in self.programs}
        missing = [pid for pid in program_ids if pid not in known]
        if missing:
            raise ConfigError(
                f"{self.path}: no program with id {', '.join(repr(m) for m in missing)}"
            )
        wanted = set(program_ids)
        return self.model_copy(
            update={"programs": [p for p in self.programs if p.id in wanted]}
        )


def config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The config to use: the argument, else $VISA_MONITOR_CONFIG, else the default."""
    if path:
        return Path(path)
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else DEFAULT_CONFIG


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    path = config_path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    return parse_config(raw_text, str(path))


def parse_config(text: str, path: str = "<config>") -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    lines = _program_lines(text)
    institution_lines = _program_lines(text, "institutions")
    # Every problem at once: the validation errors and the duplicate ids.
    problems = _duplicate_ids(raw, path, lines)
    config = None
    try:
        config = Config.model_validate({**raw, "path": path})
    except ValidationError as exc:
        problems = _describe(exc, raw, path, text.splitlines(), lines,
                             institution_lines) + problems
    if not problems:
        problems = _unknown_shares(config, path, text.splitlines(), lines)
    if problems:
        raise ConfigError("\n".join(problems))
    if not config.programs:
        # Crawling nothing would be recorded as a completed crawl; say so instead.
        raise ConfigError(f"{path}: no programs: add at least one [[programs]] table")
    _check_institutions(config, path, institution_lines)
    return config


def _check_institutions(config: Config, path: str, lines: list[int]) -> None:
    """Each [[institutions]] entry names, once, the institution of some program."""
    used = {program.institution for program in config.programs}
    seen: set[str] = set()
    for index, institution in enumerate(config.institutions):
        where = _line_of(lines, index)
        label = f"institution {institution.name!r} (institutions[{index}])"
        if institution.name in seen:
            raise ConfigError(f"{path}{where}: {label}: field 'name': listed twice")
        seen.add(institution.name)
        if institution.name not in used:
            raise ConfigError(
                f"{path}{where}: {label}: field 'name': no program has this institution "
                "(it must equal a program's `institution` exactly)"
            )


def _duplicate_ids(raw: dict, path: str, lines: list[int]) -> list[str]:
    """One problem per repeated id, read from the raw tables so that a
    duplicate is reported beside any other error in the file."""
    programs = raw.get("programs")
    if not isinstance(programs, list):
        return []
    problems = []
    first_seen: dict[str, int] = {}
    for index, program in enumerate(programs):
        pid = program.get("id") if isinstance(program, dict) else None
        if not isinstance(pid, str):
            continue
        if pid in first_seen:
            where = _line_of(lines, index)
            first = _line_of(lines, first_seen[pid])
            problems.append(
                f"{path}{where}: program {pid!r} (programs[{index}]): field 'id': "
                f"duplicate id, already used by programs[{first_seen[pid]}]{first}"
            )
        else:
            first_seen[pid] = index
    return problems


def _unknown_shares(
    config: Config, path: str, text_lines: list[str], lines: list[int]
) -> list[str]:
    known = {p.id for p in config.programs}
    problems = []
    for index, program in enumerate(config.programs):
        for other in program.shares_scope_with:
            if other not in known or other == program.id:
                where = _key_line(text_lines, lines, index, "shares_scope_with")
                what = "is this program itself" if other == program.id else "is not a program id"
                problems.append(f"{path}{where}: program {program.id!r} (programs[{index}]): "
                                f"field 'shares_scope_with': {other!r} {what}")
    return problems


def _describe(
    exc: ValidationError, raw: dict, path: str, text_lines: list[str], lines: list[int],
    institution_lines: list[int] | None = None,
) -> list[str]:
    problems = []
    for error in exc.errors():
        loc = list(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "missing required field"
        if loc and loc[0] == "programs" and len(loc) >= 2 and isinstance(loc[1], int):
            index = loc[1]
            program = raw.get("programs", [])[index]
            pid = program.get("id") if isinstance(program, dict) else None
            label = f"program {pid!r} (programs[{index}])" if pid else f"programs[{index}]"
            field = ".".join(str(part) for part in loc[2:]) or "(entry)"
            where = _key_line(text_lines, lines, index, str(loc[2]) if len(loc) > 2 else None)
            problems.append(f"{path}{where}: {label}: field {field!r}: {message}")
        elif loc and loc[0] == "institutions" and len(loc) >= 2 and isinstance(loc[1], int):
            index = loc[1]
            entry = raw.get("institutions", [])[index]
            name = entry.get("name") if isinstance(entry, dict) else None
            label = (f"institution {name!r} (institutions[{index}])" if name
                     else f"institutions[{index}]")
            field = ".".join(str(part) for part in loc[2:]) or "(entry)"
            where = _key_line(text_lines, institution_lines or [], index,
                              str(loc[2]) if len(loc) > 2 else None)
            problems.append(f"{path}{where}: {label}: field {field!r}: {message}")
        else:
            field = ".".join(str(part) for part in loc)
            where = _table_key_line(text_lines, str(loc[0]), str(loc[1])) if len(loc) > 1 else ""
            problems.append(f"{path}{where}: field {field!r}: {message}")
    return problems


def _program_lines(text: str, table: str = "programs") -> list[int]:
    """Line numbers of the `[[programs]]` (or other array table) headers, for errors."""
    header = f"[[{table}]]"
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().startswith(header)
    ]


def _key_line(text_lines: list[str], lines: list[int], index: int, key: str | None) -> str:
    """The line of `key` inside the index-th program's table, else its header."""
    if index >= len(lines):
        return ""
    end = lines[index + 1] - 1 if index + 1 < len(lines) else len(text_lines)
    if key:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(lines[index], end):
            if pattern.match(text_lines[number]):
                return f":{number + 1}"
    return f":{lines[index]}"


def _table_key_line(text_lines: list[str], table: str, key: str) -> str:
    """The line of `key` in the `[table]` section (e.g. settings.schedule), if found."""
    inside = False
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text_lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f"[{table}]"
        elif inside and pattern.match(line):
            return f":{number}"
    return ""


def _line_of(lines: list[int], index: int) -> str:
    return f":{lines[index]}" if index < len(lines) else ""
