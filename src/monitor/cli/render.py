"""Formatting the store's answers for people and scripts.

What each table holds (`*_layout`, laid out by `monitor.cli.layout` for the
terminal or the pipe), JSON, CSV and the word diff.
"""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor import worddiff
from monitor.cli import layout

CATEGORY_STYLE = {
    "h1b": "bold green",
    "h1b_limited": "yellow",
    "j1_only": "cyan",
    "none": "red",
    "unknown": "dim",
}
EXPORT_FIELDS = ["program_id", "name", "category", "h1b", "j1", "step3_required",
                 "evidence_text", "evidence_url", "checked_at", "fetch_ok", "error"]
DIFF_MARKS = {
    worddiff.EQUAL: ("", "", ""),
    worddiff.DELETE: ("[-", "-]", "bold red"),
    worddiff.INSERT: ("{+", "+}", "bold green"),
}
HISTORY_FIELDS = ["program_id", "name", "from", "until", "category", "h1b", "j1",
                  "step3_required", "evidence_text", "evidence_url"]
# Several deciding sentences share one CSV cell, one per line, their URLs
# likewise in the next cell, in the same order.
CSV_JOIN = "\n"


def to_json(rows) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _category(value: str | None) -> Text:
    return Text(value or "—", style=CATEGORY_STYLE.get(value or "", ""))


def _evidence(row: dict, key: str = "evidence") -> list[layout.Evidence]:
    return [layout.Evidence(Text(item.get("text") or ""), item.get("url") or "")
            for item in row.get(key) or []]


def _when(value: str | None) -> str:
    """An ISO time as 'YYYY-MM-DD HH:MM' (UTC, as stored)."""
    return value[:16].replace("T", " ") if value else "—"


FILINGS_FIELD = layout.Field("filings", "H-1B filings (latest FY)", wrap=True)
VERDICT_FIELDS = [
    layout.Field("program_id", "Program", ident=True),
    layout.Field("category", "Category"),
    layout.Field("h1b", "H-1B"),
    layout.Field("j1", "J-1"),
    layout.Field("step3", "Step 3"),
    layout.Field("checked", "Checked (UTC)"),
    layout.Field("last_check", "Last check"),
    layout.Field("name", "Name", wrap=True),
]


def verdict_layout(rows: list[dict], title: str) -> layout.Layout:
    """Status and crawl results: each program's stance and its last check.

    A failed last check is shown in its own column and its error leads the
    evidence, so an old stance never looks fresh while the site is down.
    """
    # Rows from `status` carry the employers' filings (monitor.evidence); the
    # column is shown once some program has matched an employer, so that before
    # any import "no filings matched" does not read as a finding.
    filings = any((row.get("h1b_filings") or {}).get("employers") for row in rows)
    out = layout.Layout(title, VERDICT_FIELDS + ([FILINGS_FIELD] if filings else []))
    for row in rows:
        ok = row.get("fetch_ok", True)
        evidence = _evidence(row)
        if not ok:
            prefix = "could not be fetched" if row["category"] is None else "last check failed"
            note = Text(f"{prefix}: {row.get('error') or 'unknown error'}", style="red")
            evidence.insert(0, layout.Evidence(note, quoted=False))
        if row.get("flapping"):
            note = Text("flapping: the page alternates between stances; this one stays "
                        "until one version holds", style="yellow")
            evidence.insert(0, layout.Evidence(note, quoted=False))
        _flag_contradiction(row, evidence)
        extra = {"filings": filings_summary(row.get("h1b_filings"))} if filings else {}
        out.records.append(layout.Record({
            "program_id": Text(row["program_id"], style="bold"),
            "name": row.get("name") or "",
            "category": _category(row["category"]),
            "h1b": row["h1b"] or "—",
            "j1": row["j1"] or "—",
            "step3": _step3(row["step3_required"]),
            "checked": _when(row.get("checked_at")),
            "last_check": Text("ok", style="green") if ok else Text("failed", style="bold red"),
            **extra,
        }, evidence))
    return out


def filings_summary(filings: dict | None) -> Text:
    """The latest fiscal year's USCIS approvals and trainee LCAs of a program's employers."""
    years = (filings or {}).get("years") or []
    if not years:
        return Text("no filings matched" if not (filings or {}).get("employers")
                    else "none imported", style="dim")
    latest = years[0]
    return Text(f"FY{latest['fiscal_year']}: {latest['uscis_approvals']} USCIS approvals, "
                f"{latest['dol_trainee_lcas']} trainee LCAs")


def _flag_contradiction(row: dict, evidence: list[layout.Evidence]) -> None:
    """Filings that contradict the stated stance lead the evidence (the stance stays)."""
    flag = (row.get("h1b_filings") or {}).get("contradiction")
    if flag:
        note = Text(f"⚠ filings: {flag}", style="bold red")
        evidence.insert(0, layout.Evidence(note, quoted=False))


def filings_table(row: dict) -> Table:
    """`evidence show`: a program's stance, its employers and their filings by year."""
    filings = row["h1b_filings"]
    caption = f"stance: {row.get('category') or 'not crawled yet'}"
    if filings.get("contradiction"):
        caption += f" — ⚠ {filings['contradiction']}"
    employers = ", ".join(filings["employers"]) or "no employer matched"
    table = Table(title=f"H-1B filings of {row['program_id']}: {employers}", caption=caption,
                  show_lines=False, expand=True)
    for name in ("Fiscal year", "USCIS approvals", "of them initial", "USCIS denials",
                 "Trainee LCAs", "positions", "denied LCAs"):
        table.add_column(name, justify="right")
    for year in filings["years"]:
        table.add_row(f"FY{year['fiscal_year']}", str(year["uscis_approvals"]),
                      str(year["uscis_initial_approvals"]), str(year["uscis_denials"]),
                      str(year["dol_trainee_lcas"]), str(year["dol_trainee_positions"]),
                      str(year["dol_trainee_lcas_denied"]))
    return table


def unmatched_table(unmatched) -> Table:
    """`evidence match`: institutions with no employer, and the closest names filed."""
    table = Table(title="Institutions with no matching employer", show_lines=True, expand=True)
    table.add_column("Institution", ratio=2)
    table.add_column("Programs", ratio=2)
    table.add_column("Closest employer names in the filings", ratio=4)
    for entry in unmatched:
        closest = "\n".join(
            f"{c['employer']} ({', '.join(p for p in (c['city'], c['state']) if p)}) "
            f"{c['score']:.0f}%" for c in entry.closest
        ) or "no filings imported"
        place = ", ".join(p for p in (entry.city, entry.state) if p)
        table.add_row(f"{entry.institution}\n{place}", ", ".join(entry.programs), closest)
    return table


HISTORY_LAYOUT_FIELDS = [
    layout.Field("from", "From (UTC)"),
    layout.Field("until", "Until"),
    layout.Field("category", "Category"),
    layout.Field("h1b", "H-1B"),
    layout.Field("j1", "J-1"),
    layout.Field("step3", "Step 3"),
]


def history_layout(rows: list[dict], program_id: str) -> layout.Layout:
    out = layout.Layout(f"Stance history of {program_id}", HISTORY_LAYOUT_FIELDS)
    for row in rows:
        evidence = _evidence(row)
        flips = row.get("flapping") or []
        if flips:
            read = ", ".join(sorted({(f["read"] or {}).get("category", "?") for f in flips}))
            note = Text(f"flapping: {len(flips)} flip(s) to {read} not reported", style="yellow")
            evidence.append(layout.Evidence(note, quoted=False))
        _flag_contradiction(row, evidence)
        out.records.append(layout.Record({
            "from": _when(row["from"]),
            "until": _when(row["until"]) if row["until"] else "now",
            "category": _category(row["category"]),
            "h1b": row["h1b"] or "—",
            "j1": row["j1"] or "—",
            "step3": _step3(row["step3_required"]),
        }, evidence))
    return out


CHANGES_FIELDS = [
    layout.Field("detected", "Detected (UTC)"),
    layout.Field("program_id", "Program", ident=True),
    layout.Field("kind", "Kind"),
    layout.Field("change", "Before → after"),
    layout.Field("name", "Name", wrap=True),
]


def changes_layout(rows: list[dict]) -> layout.Layout:
    out = layout.Layout("Changes", CHANGES_FIELDS, evidence_label="Evidence now · URL")
    for row in rows:
        before = (row["before"] or {}).get("category") or "—"
        after = (row["after"] or {}).get("category") or "—"
        out.records.append(layout.Record({
            "detected": _when(row["detected_at"]),
            "program_id": Text(row["program_id"], style="bold"),
            "kind": row["kind"],
            "change": f"{before} → {after}",
            "name": row.get("name") or "",
        }, _evidence(row, "evidence_after")))
    return out


CLASSIFY_FIELDS = [
    layout.Field("file", "File", ident=True),
    layout.Field("category", "Category"),
    layout.Field("h1b", "H-1B"),
    layout.Field("j1", "J-1"),
    layout.Field("step3", "Step 3"),
]


def classify_layout(rows: list[dict]) -> layout.Layout:
    out = layout.Layout("Classification", CLASSIFY_FIELDS)
    for row in rows:
        out.records.append(layout.Record({
            "file": Text(row["file"], style="bold"),
            "category": _category(row["category"]),
            "h1b": row["h1b"] or "—",
            "j1": row["j1"] or "—",
            "step3": _step3(row["step3_required"]),
        }, _evidence(row)))
    return out


def _step3(value: bool | None) -> str:
    return {True: "required", False: "not required", None: "—"}[value]


def word_diff(older: str, newer: str) -> Text:
    """A word diff in the style of `git diff --word-diff=plain`, coloured.

    Removed words are shown as [-red-], added ones as {+green+}; the markers
    keep the diff readable where colour is lost (a pipe, a log).
    """
    out = Text()
    for segment in worddiff.word_diff(older, newer):
        start, end, style = DIFF_MARKS[segment.kind]
        # The markers are part of the text here, so the space follows what was printed.
        if out.plain and not out.plain.endswith("\n") and not segment.text.startswith("\n"):
            out.append(" ")
        out.append(f"{start}{segment.text}{end}", style=style)
    return out


def flatten(row: dict, fields: list[str]) -> dict:
    """One CSV row: every deciding sentence, and their URLs, beside the axes.

    Values are written as the taxonomy (and --json) spells them: booleans as
    `true`/`false`, no value as an empty cell.
    """
    evidence = row.get("evidence") or []
    flat = {
        **row,
        "evidence_text": CSV_JOIN.join(item.get("text") or "" for item in evidence),
        "evidence_url": CSV_JOIN.join(item.get("url") or "" for item in evidence),
    }
    return {field: _csv_value(flat.get(field)) for field in fields}


def _csv_value(value: object) -> object:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else value


def to_csv(rows: list[dict], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(flatten(row, fields))
    return buffer.getvalue()


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False)


def show(out: Console, built: layout.Layout) -> None:
    """A table, blocks or plain lines: whatever suits where the output goes."""
    layout.print_layout(out, built)
