"""Formatting the store's answers for people (rich tables) and scripts (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor import worddiff

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


def to_json(rows) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _category(value: str | None) -> Text:
    return Text(value or "—", style=CATEGORY_STYLE.get(value or "", ""))


def _first_evidence(row: dict) -> tuple[str, str]:
    evidence = row.get("evidence") or []
    if not evidence:
        return "", ""
    return evidence[0].get("text") or "", evidence[0].get("url") or ""


def verdict_table(rows: list[dict], title: str) -> Table:
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("Program", ratio=2)
    table.add_column("Category", no_wrap=True)
    table.add_column("H-1B", no_wrap=True)
    table.add_column("J-1", no_wrap=True)
    table.add_column("Deciding sentence", ratio=4)
    table.add_column("URL", ratio=2, overflow="fold")
    # Rows from `status` carry the employers' filings (monitor.evidence).
    filings = any("h1b_filings" in row for row in rows)
    if filings:
        table.add_column("H-1B filings (latest FY)", ratio=2)
    for row in rows:
        extra = [filings_cell(row.get("h1b_filings"))] if filings else []
        if not row["fetch_ok"] and row["category"] is None:
            table.add_row(row["name"], _category(None), "—", "—",
                          Text(f"could not be fetched: {row['error']}", style="red"), "",
                          *extra)
            continue
        sentence, url = _first_evidence(row)
        if not row["fetch_ok"]:
            sentence = f"{sentence}\n[last check failed: {row['error']}]"
        table.add_row(row["name"], _category(row["category"]), row["h1b"] or "—",
                      row["j1"] or "—", sentence, url, *extra)
    return table


def filings_cell(filings: dict | None) -> Text:
    """The latest fiscal year's USCIS approvals and trainee LCAs, and any contradiction."""
    years = (filings or {}).get("years") or []
    if not years:
        text = Text("no filings matched" if not (filings or {}).get("employers")
                    else "none imported", style="dim")
    else:
        latest = years[0]
        text = Text(f"FY{latest['fiscal_year']}: {latest['uscis_approvals']} USCIS approvals, "
                    f"{latest['dol_trainee_lcas']} trainee LCAs")
    if filings and filings.get("contradiction"):
        text.append(f"\n⚠ {filings['contradiction']}", style="bold red")
    return text


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


def history_table(rows: list[dict], program_id: str) -> Table:
    table = Table(title=f"Stance history of {program_id}", show_lines=True, expand=True)
    table.add_column("From", no_wrap=True)
    table.add_column("Until", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("H-1B")
    table.add_column("J-1")
    table.add_column("Step 3")
    table.add_column("Evidence", ratio=4)
    for row in rows:
        evidence = Text("\n".join(f"“{e['text']}” ({e['url']})" for e in row["evidence"]))
        flag = (row.get("h1b_filings") or {}).get("contradiction")
        if flag:
            evidence.append(f"\n⚠ filings: {flag}", style="bold red")
        table.add_row(row["from"][:19], (row["until"] or "now")[:19], _category(row["category"]),
                      row["h1b"], row["j1"], _step3(row["step3_required"]), evidence)
    return table


def changes_table(rows: list[dict]) -> Table:
    table = Table(title="Changes", show_lines=True, expand=True)
    table.add_column("Detected", no_wrap=True)
    table.add_column("Program", ratio=2)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Before → after", ratio=2)
    table.add_column("Evidence now", ratio=4)
    for row in rows:
        before = (row["before"] or {}).get("category", "—")
        after = (row["after"] or {}).get("category", "—")
        evidence = " ".join(e["text"] for e in row["evidence_after"][:1])
        table.add_row(row["detected_at"][:19], row["name"], row["kind"],
                      f"{before} → {after}", evidence)
    return table


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
    """One CSV row: the first deciding sentence and its URL beside the axes."""
    text, url = _first_evidence(row)
    flat = {**row, "evidence_text": text, "evidence_url": url}
    return {field: flat.get(field) for field in fields}


def to_csv(rows: list[dict], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(flatten(row, fields))
    return buffer.getvalue()


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False)
