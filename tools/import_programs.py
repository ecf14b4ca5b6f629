"""Generate config/programs.toml from the shared list of Los Angeles-area programs.

    .venv/bin/python tools/import_programs.py            # (re)write config/programs.toml
    .venv/bin/python tools/import_programs.py --check    # exit 1 when the file is stale

The CSV (`data/la-programs.csv`, a copy of the shared list) lists real residency
and fellowship programs with the URLs of their pages as published. Every row with a
`program_url` becomes one `[[programs]]` entry; rows without one are skipped and
named in the header of the output. Nothing is fetched and no URL is made up: `url`
and `visa_urls` are copied from the row (an http:// link written with https://, see
`secure`), and `scope` is always a prefix of `url` (written with https://, since
scopes match regardless of scheme). Two programs whose only known pages are shared,
so that no prefix keeps them apart, list each other in `shares_scope_with`.
The row's `stance_seen` (what the page said when the list was made) is left out on
purpose: the monitor must find the stance itself.

The output is deterministic (CSV order, no timestamps), so `--check` can run in CI.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from monitor.crawl.scope import Scope  # noqa: E402  (needs the sys.path line above)

DEFAULT_CSV = ROOT / "data" / "la-programs.csv"
DEFAULT_OUT = ROOT / "config" / "programs.toml"

# Short, stable codes for the institutions, matched on the start of the CSV's
# `institution` text (first match wins, so the more specific ones come first). An
# institution missing here falls back to a slug of its name and the script says so.
INSTITUTION_CODES: list[tuple[str, str]] = [
    ("Olive View-UCLA", "olive-view"),
    ("Harbor-UCLA", "harbor-ucla"),
    ("UCLA", "ucla"),
    ("Cedars-Sinai", "cedars"),
    # The new Keck-hospitals IM program is separate from the LA General one.
    ("Keck School of Medicine of USC / Keck Medicine of USC hospitals", "usc-keck"),
    ("Keck School of Medicine of USC", "usc"),
    ("Children's Hospital Los Angeles", "chla"),
    ("Kaiser Permanente Southern California (LAMC)", "kaiser-lamc"),
    ("Kaiser Permanente Southern California (Fontana", "kaiser-fontana"),
    ("Adventist Health White Memorial", "white-memorial"),
    ("Adventist Health Glendale", "adventist-glendale"),
    ("Dignity Health California Hospital", "chmc"),
    ("Dignity Health Northridge", "northridge"),
    ("Dignity Health St. Mary", "st-mary-long-beach"),
    ("Huntington", "huntington"),
    ("MemorialCare Long Beach", "memorialcare-long-beach"),
    ("Martin Luther King Jr.", "mlkch"),
    ("Charles R. Drew", "cdu"),
    ("AltaMed", "altamed"),
    ("Centinela", "centinela"),
    ("Pomona Valley", "pomona-valley"),
    ("Riverside University Health System", "ruhs"),
    ("UC Riverside", "ucr"),
    ("HCA Healthcare Riverside", "hca-riverside"),
    ("Arrowhead Regional", "arrowhead"),
    ("Chino Valley", "chino-valley"),
    ("Providence St. Mary", "providence-st-mary"),
    ("UHS Southern California", "uhs-socal"),
    ("Loma Linda", "llu"),
    ("UC Irvine", "uci"),
    ("Kern Medical", "kern"),
]

# The usual abbreviations for the commonest specialties; others are slugged.
SPECIALTY_CODES = {
    "Internal Medicine": "im",
    "Family Medicine": "fm",
    "Emergency Medicine": "em",
    "Obstetrics & Gynecology": "obgyn",
    "Internal Medicine-Pediatrics": "med-peds",
    "Physical Medicine & Rehabilitation": "pmr",
}

# Specialty names that dropping the parenthetical does not clean up by itself.
SPECIALTY_RENAMES = {
    "Surgical Critical Care - pediatric": "Pediatric Surgical Critical Care",
}

UNSPECIFIED = "Unspecified"

# Where the general scope rule (see `derive_scope`) is wrong, keyed by program_url.
# None means the whole host: these sites belong to the program alone, so the
# section the rule finds in the path is only one part of the program's site.
SCOPE_OVERRIDES: dict[str, tuple[list[str] | None, str]] = {
    "https://memorialfamilymedicine.org/our-residency-program/diversity-equity-and-outreach/": (
        None,
        "the whole site is the program's own, not only /our-residency-program/",
    ),
    "https://stmaryimresidency.org/residency-program": (
        None,
        "the whole site is the program's own, not only /residency-program",
    ),
}

# Facts about a row that a reader of the config should see, keyed by program_url.
URL_NOTES = {
    "https://www.uclahealth.org/im-residency/welcome-letter": (
        "the path names the IM residency, not Med-Peds: check it is this program's page"
    ),
}

# A path segment that names a residency or fellowship (not "resident-fellow", which
# Loma Linda uses for the folder holding all of its programs).
_PROGRAM_WORD = re.compile(r"residenc|fellowship", re.IGNORECASE)
# Segments that hold several programs: the program's own folder is the next one.
_CONTAINERS = {
    "residency",
    "residencies",
    "fellowship",
    "fellowships",
    "residency-programs",
    "fellowship-programs",
}
_FILE_NAME = re.compile(r"\.[a-z0-9]{2,5}$", re.IGNORECASE)


@dataclass
class Entry:
    """One `[[programs]]` table, plus comments to write above some of its keys."""

    id: str
    name: str
    institution: str
    specialty: str
    city: str
    url: str
    visa_urls: list[str]
    scope: list[str] | None  # None: the loader's default, the url's whole host
    notes: dict[str, list[str]] = field(default_factory=dict)
    shares_scope_with: list[str] = field(default_factory=list)

    def note(self, key: str, text: str) -> None:
        self.notes.setdefault(key, []).append(text)


@dataclass
class Result:
    entries: list[Entry]
    skipped: list[str]  # program names of rows without a program_url
    fallbacks: list[str]  # institutions that had no code in INSTITUTION_CODES


# --- reading and cleaning one row -------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def clean_specialty(raw: str) -> tuple[str, bool, str | None]:
    """(specialty, is_fellowship, note for the reader) from the CSV's specialty text."""
    is_fellowship = "(fellowship)" in raw.lower()
    if raw.lower().startswith("not named"):
        # The list's author guessed from general knowledge; the config must not.
        return (
            UNSPECIFIED,
            is_fellowship,
            (
                "the source page does not name the specialty (the source list guessed "
                "family medicine from general knowledge, unverified)"
            ),
        )
    note = None
    inferred = re.search(r"\(inferred:\s*([^)]*)\)", raw, re.IGNORECASE)
    if inferred:
        note = f"specialty inferred in the source list from the page: {inferred.group(1)}"
    # Drop every parenthetical: "(fellowship)", "(AP/CP)", "(Preventive Medicine)" ...
    name = re.sub(r"\s*\([^)]*\)", "", raw).strip()
    return SPECIALTY_RENAMES.get(name, name), is_fellowship, note


def clean_name(raw: str, is_fellowship: bool) -> str:
    # "(inferred)" belongs to the specialty note, not to the program's name.
    name = re.sub(r"\s*\(inferred\)", "", raw, flags=re.IGNORECASE).strip()
    if is_fellowship and "fellowship" not in name.lower():
        name += " Fellowship"  # keep it visible that this is a fellowship
    return name


def clean_city(raw: str) -> str:
    # "Fontana (San Bernardino Co.) - greater LA / Inland Empire": the part after
    # " - " places the city in the list's regions; it is not part of the city.
    return raw.split(" - ", 1)[0].strip()


def visa_urls_for(row: dict[str, str]) -> list[str]:
    urls = [row["visa_url"], row["gme_visa_policy_url"]]
    # The home page is a start page anyway, so listing it again adds nothing.
    return list(dict.fromkeys(secure(u) for u in urls if u and u != row["program_url"]))


def secure(url: str) -> str:
    """The URL with https://. Some links in the list are old http:// ones, as
    published years ago; every institution in it serves its site over HTTPS, and
    a page read over plain HTTP could be altered on the way. A site that does not
    answer on https:// shows as a failed check in `status`, never as a policy."""
    return "https://" + url[len("http://"):] if url.lower().startswith("http://") else url


# --- ids ----------------------------------------------------------------------------


def slugify(text: str) -> str:
    text = text.lower().replace("&", " ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def institution_code(institution: str) -> tuple[str, bool]:
    """The institution's code and whether it came from the table."""
    for prefix, code in INSTITUTION_CODES:
        if institution.startswith(prefix):
            return code, True
    return slugify(re.split(r"[/(]", institution)[0]), False


def specialty_code(specialty: str, name: str) -> str:
    if specialty == UNSPECIFIED:
        return "fellowship" if "fellowship" in name.lower() else "residency"
    return SPECIALTY_CODES.get(specialty, slugify(specialty))


def assign_ids(entries: list[Entry]) -> None:
    """Disambiguate clashing `<institution>-<specialty>` ids with the city."""
    counts = Counter(entry.id for entry in entries)
    for entry in entries:
        if counts[entry.id] > 1:
            entry.id = f"{entry.id}-{slugify(entry.city.split('(')[0])}"
    clashes = [pid for pid, n in Counter(e.id for e in entries).items() if n > 1]
    if clashes:
        raise SystemExit(
            f"duplicate ids {clashes}: give the institutions distinct codes in INSTITUTION_CODES"
        )


# --- scope --------------------------------------------------------------------------


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def names_program(segment: str, specialty: str) -> bool:
    """Whether a path segment is a program's own folder (or page)."""
    return bool(_PROGRAM_WORD.search(segment)) or _squash(segment) == _squash(specialty)


def _prefix(origin: str, segments: list[str], folder: bool) -> str:
    path = "/" + "/".join(segments)
    return origin + (path + "/" if folder and segments else path)


def _split(url: str) -> tuple[str, list[str], bool]:
    """(https://host, path segments, whether the path is a folder)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    # Scopes match regardless of scheme, so an https prefix admits an http:// url
    # just the same and stays right when the site or the url moves to https.
    return f"https://{parts.netloc}", segments, parts.path.endswith("/")


def program_section(url: str, specialty: str) -> str | None:
    """The URL prefix of the program's own section of the site, if the path shows one.

    The section is cut at the deepest segment naming the program: one containing
    "residency"/"fellowship" or spelling the specialty (".../emergency-medicine/").
    A folder holding several programs (".../residency/", ".../Fellowship-Programs/")
    gives way to the next folder. A last segment without a file extension is a page
    that may have sub-pages (".../fellowship/cardiology-fellowship"): when it names
    the program, the section is that page and what lies below it.
    """
    origin, segments, is_folder = _split(url)
    folders = segments if is_folder else segments[:-1]
    page = None if is_folder or not segments else segments[-1]

    if page and not _FILE_NAME.search(page) and names_program(page, specialty):
        return _prefix(origin, segments, folder=False)
    hits = [i for i, segment in enumerate(folders) if names_program(segment, specialty)]
    if not hits:
        return None
    cut = hits[-1]
    if folders[cut].lower() in _CONTAINERS and cut + 1 < len(folders):
        cut += 1
    return _prefix(origin, folders[: cut + 1], folder=True)


def page_folder(url: str) -> tuple[str, str]:
    """(prefix, what it is) for a page whose path names no program folder."""
    origin, segments, is_folder = _split(url)
    if not segments:
        return origin + "/", "the URL is the site's home page, so the whole host"
    if is_folder:
        return _prefix(origin, segments, folder=True), "the page (a folder) and what is below it"
    if segments[-1].isdigit() or len(segments) == 1:
        # Its folder would be the whole site, or a CMS bucket ("/ru/node/5780").
        return _prefix(origin, segments, folder=False), "the page and what is below it"
    return _prefix(origin, segments[:-1], folder=True), "the folder the page is in"


def derive_scope(url: str, specialty: str, host_shared: bool) -> tuple[list[str] | None, str]:
    """(scope, how it was chosen): None means the loader's default, the whole host."""
    if url in SCOPE_OVERRIDES:
        scope, reason = SCOPE_OVERRIDES[url]
        return scope, f"override: {reason}"
    section = program_section(url, specialty)
    if section:
        return [section], ""
    if not host_shared:
        return None, "the whole host (no other program in the list is on it)"
    prefix, what = page_folder(url)
    return [prefix], f"no folder names the program: {what}"


# --- building and writing -----------------------------------------------------------


def build(rows: list[dict[str, str]]) -> Result:
    with_url = [row for row in rows if row["program_url"]]
    hosts = Counter(host_of(row["program_url"]) for row in with_url)
    entries, fallbacks = [], []
    for row in with_url:
        entry, from_table = build_entry(row, host_shared=hosts[host_of(row["program_url"])] > 1)
        if not from_table:
            fallbacks.append(row["institution"])
        entries.append(entry)
    assign_ids(entries)
    note_overlaps(entries)
    skipped = [row["program_name"] for row in rows if not row["program_url"]]
    return Result(entries, skipped, fallbacks)


def build_entry(row: dict[str, str], host_shared: bool) -> tuple[Entry, bool]:
    specialty, is_fellowship, specialty_note = clean_specialty(row["specialty"])
    name = clean_name(row["program_name"], is_fellowship)
    code, from_table = institution_code(row["institution"])
    scope, how = derive_scope(row["program_url"], specialty, host_shared)
    entry = Entry(
        id=f"{code}-{specialty_code(specialty, name)}",
        name=name,
        institution=row["institution"],
        specialty=specialty,
        city=clean_city(row["city"]),
        url=secure(row["program_url"]),
        visa_urls=visa_urls_for(row),
        scope=scope,
    )
    if specialty_note:
        entry.note("specialty", specialty_note)
    if row["program_url"] in URL_NOTES:
        entry.note("url", URL_NOTES[row["program_url"]])
    published = [row["program_url"], row["visa_url"], row["gme_visa_policy_url"]]
    if any(secure(u) != u for u in published if u):
        entry.note("url", "the list publishes http:// links here; written with https://")
    if how:
        entry.note("scope", f"scope: {how}")
    return entry, from_table


def note_overlaps(entries: list[Entry]) -> None:
    """Explain, on both entries, every pair whose scopes the URLs cannot keep apart."""
    scopes = [Scope.from_config(e.url, e.scope or []) for e in entries]
    for i, first in enumerate(entries):
        for j in range(i + 1, len(entries)):
            if scopes[i].overlaps(scopes[j]):
                why = overlap_reason(first, second=entries[j])
                first.note("scope", f"OVERLAPS '{entries[j].id}': {why}")
                entries[j].note("scope", f"OVERLAPS '{first.id}': {why}")
                first.shares_scope_with.append(entries[j].id)
                entries[j].shares_scope_with.append(first.id)


def overlap_reason(first: Entry, second: Entry) -> str:
    if first.url == second.url:
        cause = "the list gives both programs the same page"
    else:
        # The wider scope is the one whose page is an ancestor of the other's section.
        wide, narrow = sorted((first, second), key=lambda e: len((e.scope or [e.url])[0]))
        cause = f"the list's only page for '{wide.id}' holds the section of '{narrow.id}'"
    return (
        f"{cause}, so no URL prefix keeps them apart; each lists the other in "
        "shares_scope_with until a page of each program's own is known."
    )


def toml_string(value: str) -> str:
    # A JSON string without \/ escapes is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def toml_list(values: list[str]) -> str:
    if len(values) == 1:
        return f"[{toml_string(values[0])}]"
    return "[\n" + "".join(f"    {toml_string(v)},\n" for v in values) + "]"


def wrap_comment(text: str) -> list[str]:
    # Ids and URLs contain dashes; breaking there would make them unsearchable.
    return textwrap.wrap(text, width=86, break_on_hyphens=False, break_long_words=False)


def render_entry(entry: Entry) -> str:
    lines = ["[[programs]]"]
    values: list[tuple[str, str | None]] = [
        ("id", toml_string(entry.id)),
        ("name", toml_string(entry.name)),
        ("institution", toml_string(entry.institution)),
        ("specialty", toml_string(entry.specialty)),
        ("city", toml_string(entry.city)),
        ("url", toml_string(entry.url)),
        ("visa_urls", toml_list(entry.visa_urls) if entry.visa_urls else None),
        ("scope", toml_list(entry.scope) if entry.scope else None),
        ("shares_scope_with",
         toml_list(entry.shares_scope_with) if entry.shares_scope_with else None),
    ]
    for key, value in values:
        for text in entry.notes.get(key, []):
            lines.extend(f"# {line}" for line in wrap_comment(text))
        if value is not None:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


HEADER = """\
# Programs watched by `visa-monitor crawl`.
#
# GENERATED by tools/import_programs.py from data/la-programs.csv, a list of
# Los Angeles-area residency and fellowship programs with the URLs of their pages as
# published. Do not edit by hand: change the CSV or the tables in the script, then
#
#     .venv/bin/python tools/import_programs.py          # rewrite this file
#     .venv/bin/python tools/import_programs.py --check  # is it current?
#     visa-monitor programs validate                     # errors and warnings
#
# url and visa_urls are copied from the CSV, never made up; the few published as
# http:// are written with https:// (a comment says where). visa_urls holds the
# program's visa page and its institution's GME visa policy page when the list has
# them. scope keeps a program to its own section of a site: the URL's path cut at
# the folder that names the program
# (written https://, as scopes match either scheme). A program alone on its host whose
# path names no such folder gets the whole host (no scope key). The comment above a
# scope says when another rule applied; shares_scope_with names the programs whose
# only known pages are this one's too. [settings] is left out: the defaults apply.
"""


def render(result: Result) -> str:
    header = HEADER
    if result.skipped:
        header += "#\n# Skipped, because the CSV has no program_url for them:\n"
        header += "".join(f"#   - {name}\n" for name in result.skipped)
    return header + "".join("\n" + render_entry(e) for e in result.entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the program list")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the config to write")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if --out is not current"
    )
    args = parser.parse_args(argv)

    result = build(read_rows(args.csv))
    text = render(result)
    for institution in result.fallbacks:
        print(
            f"note: no code for institution {institution!r}; add it to INSTITUTION_CODES",
            file=sys.stderr,
        )
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            print(f"{args.out} is stale: run tools/import_programs.py", file=sys.stderr)
            return 1
        print(f"{args.out} is current ({len(result.entries)} programs)")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(
        f"wrote {args.out}: {len(result.entries)} programs, "
        f"{len(result.skipped)} rows skipped (no program_url)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
