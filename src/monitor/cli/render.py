"""Formatting the store's answers for people (rich tables) and scripts (JSON, CSV)."""

from __future__ import annotations

import csv
import difflib
import io
import json
import re

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

CATEGORY_STYLE = {
    "h1b": "bold green",
    "h1b_limited": "yellow",
    "j1_only": "cyan",
    "none": "red",
    "unknown": "dim",
}
EXPORT_FIELDS = ["program_id", "name", "category", "h1b", "j1", "step3_required",
                 "evidence_text", "evidence_url", "checked_at", "fetch_ok", "error"]
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
    for row in rows:
        if not row["fetch_ok"] and row["category"] is None:
            table.add_row(row["name"], _category(None), "—", "—",
                          Text(f"could not be fetched: {row['error']}", style="red"), "")
            continue
        sentence, url = _first_evidence(row)
        if not row["fetch_ok"]:
            sentence = f"{sentence}\n[last check failed: {row['error']}]"
        if row.get("flapping"):
            sentence = f"{sentence}\n" + escape(
                "[flapping: the page alternates between stances; "
                "this one stays until one version holds]")
        table.add_row(row["name"], _category(row["category"]), row["h1b"] or "—",
                      row["j1"] or "—", sentence, url)
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
        evidence = "\n".join(f"“{e['text']}” ({e['url']})" for e in row["evidence"])
        flips = row.get("flapping") or []
        if flips:
            read = ", ".join(sorted({(f["read"] or {}).get("category", "?") for f in flips}))
            evidence += "\n" + escape(f"[flapping: {len(flips)} flip(s) to {read} not reported]")
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
    old_words, new_words = _words(older), _words(newer)
    out = Text()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _append_words(out, old_words[a1:a2])
            continue
        if op in ("delete", "replace"):
            _append_words(out, old_words[a1:a2], "[-", "-]", "bold red")
        if op in ("insert", "replace"):
            _append_words(out, new_words[b1:b2], "{+", "+}", "bold green")
    return out


def _words(text: str) -> list[str]:
    """Words, with each line break kept as a token of its own."""
    return re.findall(r"\n|[^\s]+", text)


def _append_words(out: Text, words: list[str], start="", end="", style="") -> None:
    if not words:
        return
    chunk = " ".join(words).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")
    if out.plain and not out.plain.endswith("\n") and not chunk.startswith("\n"):
        out.append(" ")
    out.append(f"{start}{chunk}{end}", style=style)


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
