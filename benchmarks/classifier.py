"""Classifier benchmark: accuracy on the labeled corpus and HTML-to-verdict throughput.

Run:  .venv/bin/python benchmarks/classifier.py [--pages N] [--rounds R]

Prints
* the confusion matrix of categories on tests/data/classifier_corpus.jsonl
  (all records, then the held-out part alone), then on every other labeled
  set in tests/data/ (written apart from the rules),
* first, the honest estimate: the sealed part of the real-wording set
  (tests/data/classifier_real_sealed.jsonl, programs' own wording from stored
  public pages, never tuned on) beside the keyword baseline on it,
* accuracy per axis (h1b, j1, category, step3_required),
* the same figures for a naive keyword baseline ("H-1B" appears -> h1b yes,
  "J-1" appears -> j1 yes),
* page context: how many plain-text statements of each program set keep their
  category inside page chrome with no "we", beside two sentences of general
  talk about the visas (a third-person GME page), before lines that look
  like stances but are not ("No phone calls", "Sponsored links"), as an
  HTML page (paragraphs, headings, a list) read through html_to_text, and beside a
  real explaining passage (tests/data/classifier_explanations*.jsonl; the sealed
  passages for the sealed set), before it and after it, wrapped at 70 columns as
  a PDF extract gives it, and in a whole HTML program page (chrome, an FAQ in the
  program's voice, the explaining passage and the statement as sections),
* throughput: pages per second for HTML -> verdict on generated program pages
  of about 40-100 KB (menus, footers, scripts, long body text, one visa paragraph;
  the chrome alone is about 40 KB), beside the time lxml alone takes to parse
  the same pages with the parser html_to_text uses, and html_to_text alone on
  bytes (as the CLI passes pages) and on str (as the crawler does).  Each figure
  is the median of several interleaved rounds after a warm-up pass.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import statistics
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lxml import etree  # noqa: E402

from monitor.classify import clauses, units  # noqa: E402
from monitor.classify.verdict import (  # noqa: E402
    CATEGORIES,
    Verdict,
    classify_html,
    classify_text,
    derive_category,
)
from monitor.extract import htmltext  # noqa: E402
from monitor.extract.htmltext import _parser as htmltext_parser  # noqa: E402
from monitor.extract.htmltext import html_to_text  # noqa: E402

DATA = ROOT / "tests" / "data"
CORPUS = DATA / "classifier_corpus.jsonl"
SEALED = DATA / "classifier_real_sealed.jsonl"
AXES = ("h1b", "j1", "category", "step3_required")


# --- accuracy -------------------------------------------------------------------


def load_corpus(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def classify_record(record: dict) -> Verdict:
    if record["format"] == "html":
        return classify_html(record["text"])
    return classify_text(record["text"])


_BASE_H1B = re.compile(r"h[\s\-\u2010-\u2015]?1[\s\-]?b", re.I)
_BASE_J1 = re.compile(r"\bj[\s\-\u2010-\u2015]?1\b", re.I)


def baseline(record: dict) -> Verdict:
    """Keyword spotting, the approach a quick script would take."""
    text = record["text"]
    if record["format"] == "html":
        text = html_to_text(text)
    h1b = "yes" if _BASE_H1B.search(text) else "unknown"
    j1 = "yes" if _BASE_J1.search(text) else "unknown"
    return Verdict(derive_category(h1b, j1), h1b, j1, None, ())


def prediction(verdict: Verdict, axis: str) -> object:
    return getattr(verdict, axis)


def report_accuracy(name: str, records: list[dict], verdicts: list[Verdict]) -> None:
    print(f"\n== {name}: {len(records)} statements ==")
    matrix: Counter = Counter()
    for record, verdict in zip(records, verdicts, strict=True):
        matrix[(record["category"], verdict.category)] += 1
    width = max(len(c) for c in CATEGORIES) + 2
    print("expected \\ predicted".ljust(width + 8) + "".join(c.rjust(width) for c in CATEGORIES))
    for expected in CATEGORIES:
        row = "".join(str(matrix[(expected, got)]).rjust(width) for got in CATEGORIES)
        print(expected.ljust(width + 8) + row)
    for axis in AXES:
        right = sum(
            prediction(verdict, axis) == record[axis]
            for record, verdict in zip(records, verdicts, strict=True)
        )
        print(f"  accuracy {axis:<15} {right / len(records):7.1%}  ({right}/{len(records)})")
    false_h1b = sum(
        verdict.h1b == "yes" and record["h1b"] != "yes"
        for record, verdict in zip(records, verdicts, strict=True)
    )
    claimed = sum(verdict.h1b == "yes" for verdict in verdicts)
    precision = 1 - false_h1b / claimed if claimed else 1.0
    print(f"  h1b=yes precision      {precision:7.1%}  ({false_h1b} false of {claimed})")


def figures(records: list[dict], verdicts: list[Verdict]) -> tuple[int, int]:
    """(right categories, false h1b=yes) of `verdicts` against `records`."""
    right = sum(v.category == r["category"] for r, v in zip(records, verdicts, strict=True))
    false_h1b = sum(v.h1b == "yes" and r["h1b"] != "yes"
                    for r, v in zip(records, verdicts, strict=True))
    return right, false_h1b


def report_honest_estimate() -> None:
    """The sealed real-wording part: the one figure no rule was tuned on."""
    records = load_corpus(SEALED)
    right, false_h1b = figures(records, [classify_record(r) for r in records])
    base_right, base_false = figures(records, [baseline(r) for r in records])
    n = len(records)
    print(f"== honest estimate: sealed real-wording part ({SEALED.name}), {n} statement(s) ==")
    print(f"  classifier      category {right}/{n} = {right / n:6.1%}   false h1b=yes {false_h1b}")
    print(f"  keyword baseline category {base_right}/{n} = {base_right / n:6.1%}"
          f"   false h1b=yes {base_false}")
    if n < 30:
        print(f"  (only {n} sealed statement(s): the stored pages held little unreserved program"
              " wording; this figure has almost no statistical weight -- see tests/data/README.md)")


def report_summary(sets: list[tuple[str, list[dict]]]) -> None:
    print("\n== summary: category accuracy and false h1b=yes per set ==")
    print(f"  {'set':<36} {'n':>5} {'classifier':>11} {'false h1b':>10} {'baseline':>9}")
    for name, records in sets:
        right, false_h1b = figures(records, [classify_record(r) for r in records])
        base_right, _ = figures(records, [baseline(r) for r in records])
        n = len(records)
        print(f"  {name:<36} {n:>5} {right / n:>11.1%} {false_h1b:>10} {base_right / n:>9.1%}")


# --- page context -------------------------------------------------------------------

# Real pages put a program's statement among other text.  Two frames, both without a
# word of the program's own voice ("we", "our"): plain page chrome, and the same chrome
# with two sentences that explain the visas in general, as many GME visa pages open.
# A statement's category should survive both; the second tests the general-talk page
# rule, which silences what a page of general talk seems to say of one program.
_FRAME_HEAD = ("Graduate Medical Education\nHome | Programs | How to Apply | Contact\n"
               "The program participates in the NRMP; applications are accepted only "
               "through ERAS.\n")
_EXPLAINING = ("The J-1 visa is the most common visa used by international medical "
               "graduates.\nECFMG is the sole sponsor of J-1 exchange visitor physicians.\n")
# (short lines right after the statement, as a page's next menu or news links, must not
# be read as more items of a list that ends the statement)
# ... and lines that look like stances but are not: negations about other things,
# "sponsor" in other senses (a statement that ends in an unanswered question must not
# take them for its answer)
_DISTRACTORS = ("\nNo phone calls, please. Applicants who are not invited to interview "
                "are notified by email.\nSponsored links | Our sponsors: Example Foundation\n")
_FRAME_FOOT = ("\nLatest news\nRead more news\nContact\nPrivacy Policy | Accessibility\n"
               "\u00a9 2026 Example Health. All rights reserved.")


# ... and a bare page: one explaining line before the statement, nothing else, so no
# word of the program's people either (the page rule reads such a page as an explainer
# when it is long; a short fact sheet must keep its answer)
_ONE_LINE = "The J-1 visa is the most common visa used by international medical graduates.\n"

_FRAMES = {
    "chrome": (_FRAME_HEAD, _FRAME_FOOT),
    "general": (_FRAME_HEAD + _EXPLAINING, _FRAME_FOOT),
    "one line": (_ONE_LINE, ""),
    "distractors": (_FRAME_HEAD, _DISTRACTORS + _FRAME_FOOT),
}


def as_html_page(text: str) -> str:
    """A statement as a program page would carry it: its lines as paragraphs, short
    titles as headings, "- " lines as a list, inside a page with a menu and a footer."""
    bullets = "-\u2022* "
    body, items = [], []
    for line in filter(None, (line.strip() for line in text.split("\n"))):
        if line[:1] in bullets:
            items.append(f"<li>{html.escape(line.lstrip(bullets))}</li>")
            continue
        if items:
            body.append(f"<ul>{''.join(items)}</ul>")
            items = []
        short_title = len(line.split()) <= 6 and line[-1:] not in ".!"
        tag = "h3" if short_title or line.endswith("?") else "p"
        body.append(f"<{tag}>{html.escape(line)}</{tag}>")
    if items:
        body.append(f"<ul>{''.join(items)}</ul>")
    return ("<html><body><header><nav><ul><li><a href='/'>Home</a></li><li>How to Apply</li>"
            "</ul></nav></header><main><h1>Residency Program</h1>" + "".join(body) +
            "</main><footer><p>Visa and Mastercard accepted.</p></footer></body></html>")


# ... and a real explaining section: a GME visa page often explains the visas (what a
# J-1 is, waivers, the H-1B cap) beside the program's own statement.  Each statement is
# read with three passages of classifier_explanations*.jsonl (real explainer text), once
# before and once after it; a sealed set is read with the sealed passages only.
_EXPLAINED_WITH = 3


def _explanations(sealed: bool) -> list[str]:
    name = "classifier_explanations_sealed.jsonl" if sealed else "classifier_explanations.jsonl"
    return [record["text"] for record in load_corpus(DATA / name)]


# ... and a whole program page: chrome, an FAQ with the program's own voice, an explaining
# section ("About Visas" and a real explanation passage) and the statement under "Visa
# Policy", in either order, more FAQ and a footer, as HTML.
_FAQ_HEAD = ("Frequently Asked Questions\nDo you accept DO applicants?\nYes. We welcome "
             "applications from DO and MD graduates.\nIs there a minimum USMLE score?\nNo. We "
             "review every application as a whole.\n")
_FAQ_FOOT = ("\nHow many positions do you offer?\nWe offer ten categorical positions each "
             "year.\nCan I moonlight?\nNo. Moonlighting is not permitted during the PGY-1 year.")


def full_page(statement: str, passage: str, explanation_first: bool) -> str:
    explaining, policy = f"About Visas\n{passage}\n", f"Visa Policy\n{statement}\n"
    body = explaining + policy if explanation_first else policy + explaining
    return as_html_page(_FRAME_HEAD + _FAQ_HEAD + body + _FAQ_FOOT + _FRAME_FOOT)


def wrapped(text: str, width: int = 70) -> str:
    """A statement as a PDF extract gives it: every line wrapped at `width` columns."""
    return "\n".join(textwrap.fill(line, width) if line.strip() else line
                     for line in text.split("\n"))


def report_page_context(sets: list[tuple[str, list[dict]]]) -> None:
    print("\n== page context: statements whose category survives a page around them ==")
    print(f"  {'set':<36} {'n':>5} {'in chrome':>10} {'beside general talk':>20}"
          f" {'after one line':>15} {'among distractors':>18} {'as HTML':>8}"
          f" {'beside a real explanation':>26} {'wrapped as a PDF':>17} {'in a full page':>15}")
    passages = {sealed: _explanations(sealed) for sealed in (False, True)}
    for name, records in sets:
        plain = [r for r in records if r.get("format") != "html"]
        if not plain or "explanations" in name:
            continue  # (explanations state no policy to keep)
        kept = Counter()
        rng = random.Random(name)
        for record in plain:
            alone = classify_text(record["text"]).category
            for frame, (head, foot) in _FRAMES.items():
                kept[frame] += classify_text(head + record["text"] + foot).category == alone
            kept["html"] += classify_html(as_html_page(record["text"])).category == alone
            kept["wrapped"] += classify_text(wrapped(record["text"])).category == alone
            for passage in rng.sample(passages["sealed" in name], _EXPLAINED_WITH):
                kept["explained"] += sum(
                    classify_text(page).category == alone
                    for page in (f"{passage}\n{record['text']}", f"{record['text']}\n{passage}"))
                kept["full"] += sum(
                    classify_html(full_page(record["text"], passage, first)).category == alone
                    for first in (True, False))
        n = len(plain)
        explained = kept["explained"] / (2 * _EXPLAINED_WITH * n)
        print(f"  {name:<36} {n:>5} {kept['chrome'] / n:>10.1%} {kept['general'] / n:>20.1%}"
              f" {kept['one line'] / n:>15.1%} {kept['distractors'] / n:>18.1%}"
              f" {kept['html'] / n:>8.1%} {explained:>26.1%} {kept['wrapped'] / n:>17.1%}"
              f" {kept['full'] / (2 * _EXPLAINED_WITH * n):>15.1%}")


# --- throughput -------------------------------------------------------------------

WORDS = [
    "residents", "faculty", "clinical", "training", "program", "patients", "hospital",
    "rotation", "curriculum", "education", "research", "conference", "medicine", "department",
    "community", "outpatient", "inpatient", "mentorship", "scholarly", "wellness", "quality",
    "improvement", "didactics", "simulation", "evaluation", "applicants", "interview",
    "schedule", "call", "night", "float", "elective", "continuity", "clinic", "academic",
]

# (paragraph, the category a page carrying it must get despite the page's chrome,
# which includes a "Visa and Mastercard accepted" footer)
VISA_PARAGRAPHS = [
    ("International medical graduates are welcome. The program sponsors J-1 visas through "
     "ECFMG. We are unable to sponsor H-1B visas at this time.", "j1_only"),
    ("<h3>Do you sponsor visas?</h3><p>Yes. We sponsor both J-1 and H-1B visas; Step 3 must be "
     "passed before the rank list deadline for H-1B sponsorship.</p>", "h1b"),
    ("<table><tr><th>Visa sponsorship</th><td>J-1; H-1B case by case</td></tr></table>",
     "h1b_limited"),
    ("Applicants must be U.S. citizens, permanent residents, or hold an EAD.", "none"),
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def _svg(rng: random.Random) -> str:
    points = (f"L{rng.randint(0, 99)}.{rng.randint(0, 9)} {rng.randint(0, 99)}" for _ in range(60))
    path = " ".join(points)
    return (
        f'<svg class="icon" viewBox="0 0 100 100" aria-hidden="true"><path d="M0 0 {path}Z"/></svg>'
    )


def _menu(rng: random.Random, name: str, items: int, icons: bool = False) -> str:
    links = []
    for i in range(items):
        label = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)}"
        icon = _svg(rng) if icons and i % 8 == 0 else ""
        links.append(
            f'<li class="menu-item menu-item-type-post_type menu-item-{i}">'
            f'<a class="nav-link" href="/{name}/{rng.choice(WORDS)}-{i}" '
            f'data-tracking="{name}-{i}">{icon}<span>{label}</span></a></li>'
        )
    return f'<ul class="{name}-menu list-unstyled">{"".join(links)}</ul>'


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 6)):
        sentence = _sentence(rng)
        if rng.random() < 0.3:
            word = rng.choice(WORDS)
            sentence = sentence.replace(word, f'<a href="/{word}" class="link">{word}</a>', 1)
        parts.append(sentence)
    return f'<div class="wysiwyg-block"><p>{" ".join(parts)}</p></div>'


def _faq(rng: random.Random, visa: str) -> str:
    items = []
    for i in range(6):
        answer = visa if i == 3 else _paragraph(rng)
        items.append(
            f'<div class="accordion-item"><h3 class="accordion-header" id="q{i}">'
            f'<button class="accordion-button collapsed" type="button" data-bs-toggle="collapse" '
            f'data-bs-target="#a{i}" aria-expanded="false" aria-controls="a{i}">'
            f"{_sentence(rng)[:-1]}?</button></h3>"
            f'<div id="a{i}" class="accordion-collapse collapse" aria-labelledby="q{i}">'
            f'<div class="accordion-body">{answer}</div></div></div>'
        )
    return f'<div class="accordion" id="faq">{"".join(items)}</div>'


def make_page(rng: random.Random, target_bytes: int) -> tuple[bytes, str]:
    """A program page shaped like a CMS page (chrome, scripts and markup around the
    text), and the category its visa paragraph calls for."""
    config = ", ".join(f'"{rng.choice(WORDS)}{i}": "{rng.random():.6f}"' for i in range(150))
    head = (
        "<head><meta charset='utf-8'><title>Residency Program</title>"
        + "".join(f'<meta name="m{i}" content="{_sentence(rng)}">' for i in range(10))
        + "".join(f'<link rel="stylesheet" href="/css/s{i}.css?v=3.2.{i}">' for i in range(12))
        + f"<script>window.siteConfig = {{{config}}};</script>"
        + '<script type="application/ld+json">{"@type": "Hospital", "name": "Example"}</script>'
        + "<style>" + "body{margin:0} .nav a{color:#333} .btn{padding:4px} " * 30 + "</style>"
        + "</head>"
    )
    header = (
        f'<header class="site-header"><div class="container">{_svg(rng)}'
        f'<nav class="navbar main-nav" aria-label="Main">{_menu(rng, "main", 70, icons=True)}</nav>'
        '<form class="search" role="search"><input type="search" name="q"></form></div></header>'
        '<nav aria-label="breadcrumb"><ol class="breadcrumb"><li><a href="/">Home</a></li>'
        "<li><a href='/gme'>Education</a></li><li>Residency</li></ol></nav>"
    )
    footer = (
        '<footer class="site-footer"><div class="row">'
        + "".join(f'<div class="col-md-3">{_menu(rng, f"footer{i}", 12)}</div>' for i in range(4))
        + f'<div class="social">{"".join(_svg(rng) for _ in range(5))}</div>'
        "<p>Visa and Mastercard accepted for application fees.</p></div></footer>"
        '<div class="cookie-banner" role="dialog"><p>We use cookies.</p>'
        "<button class='btn'>Accept</button></div>"
        "<script>(function(){var s=document.createElement('script');s.src='/a.js';})();</script>"
    )
    sidebar = f'<aside class="sidebar"><h2>Quick links</h2>{_menu(rng, "side", 15)}</aside>'
    visa, expected = rng.choice(VISA_PARAGRAPHS)
    visa = visa if visa.startswith("<") else f"<p>{visa}</p>"
    body: list[str] = []
    size = len(head) + len(header) + len(footer) + len(sidebar)
    while size < target_bytes:
        block = rng.random()
        if block < 0.55:
            piece = _paragraph(rng)
        elif block < 0.75:
            piece = f'<h2 class="section-title">{_sentence(rng)}</h2>{_menu(rng, "content", 5)}'
        elif block < 0.9:
            rows = "".join(
                f'<tr class="row-{i}"><td class="cell">{rng.choice(WORDS)}</td>'
                f'<td class="cell">{_sentence(rng)}</td></tr>' for i in range(5)
            )
            piece = f'<div class="table-responsive"><table class="table">{rows}</table></div>'
        else:
            piece = (
                f'<figure class="image"><img src="/img/{rng.randint(1, 999)}.jpg" '
                f'srcset="/img/a-320.jpg 320w, /img/a-640.jpg 640w, /img/a-1280.jpg 1280w" '
                f'alt="{_sentence(rng)}" loading="lazy"><figcaption>{_sentence(rng)}</figcaption>'
                "</figure>"
            )
        body.append(
            f'<section class="content-section"><div class="container">{piece}</div></section>'
        )
        size += len(body[-1])
    if rng.random() < 0.5:
        body.insert(len(body) // 2, _faq(rng, visa))
    else:
        body.insert(len(body) // 2, visa)
    main = (
        '<main id="main-content"><div class="row"><div class="col-lg-8">'
        + "".join(body) + f'</div><div class="col-lg-4">{sidebar}</div></div></main>'
    )
    body_html = f"<body class='page-template'>{header}{main}{footer}</body>"
    html = f"<!DOCTYPE html><html lang='en'>{head}{body_html}</html>"
    return html.encode("utf-8"), expected


def median_times(runs: dict[str, tuple[Callable, list]], rounds: int) -> dict[str, float]:
    """Median seconds per pass for each (function, inputs) run.

    Every function first gets one untimed warm-up pass; then each round runs
    every function once in turn, so that a change in machine load (another job
    starting) hits all of them alike instead of whichever was timed last.
    """
    for fn, inputs in runs.values():
        for item in inputs:
            fn(item)
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, (fn, inputs) in runs.items():
            start = time.perf_counter()
            for item in inputs:
                fn(item)
            seconds[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in seconds.items()}


# The classifier memoises pure functions of a sentence or a class string. The
# generated pages repeat their visa paragraphs, so those caches hit far more
# often than on a real crawl; the "cold" run clears them before every page.
_CACHES = (clauses._canonical, clauses.skip_clause, units._is_visa_name_header,
           htmltext._names_chrome)


def classify_cold(page: bytes) -> Verdict:
    for cache in _CACHES:
        cache.cache_clear()
    return classify_html(page)


def _with_section(page: bytes, passage: str) -> bytes:
    """`page` with `passage` as a section ("About visas" and its paragraphs) at the end of
    its main content."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in passage.split("\n"))
    section = f"<section><h2>About visas</h2>{body}</section>".encode()
    end = b"</main>" if b"</main>" in page else b"</body>"
    return page.replace(end, section + end, 1)


def report_throughput(n_pages: int, rounds: int) -> None:
    rng = random.Random(20240601)
    made = [make_page(rng, rng.randint(30_000, 100_000)) for _ in range(n_pages)]
    pages = [page for page, _ in made]
    decoded = [page.decode("utf-8") for page in pages]
    sizes = [len(page) / 1024 for page in pages]
    right = sum(classify_html(page).category == expected for page, expected in made)
    # ... and the same pages with an explaining section (a real explanation passage under
    # a heading, as GME visa pages carry), where the general-talk rule reads the page's
    # stretches for their voice
    passages = _explanations(sealed=False)
    explained = [_with_section(page, rng.choice(passages)) for page in pages]
    # The bare parse uses the very parser html_to_text uses (same options), on the
    # page bytes; lxml.html.fromstring takes the same time on these pages.
    parser = htmltext_parser()
    times = median_times({
        "parse": (lambda page: etree.fromstring(page, parser), pages),
        "text": (html_to_text, pages),
        "text_str": (html_to_text, decoded),
        "verdict": (classify_html, pages),
        "verdict_cold": (classify_cold, pages),
        "verdict_explained": (classify_html, explained),
    }, rounds)
    print(f"\n== throughput: {n_pages} generated pages of {min(sizes):.0f}-{max(sizes):.0f} KB"
          f" ({sum(sizes) / n_pages:.0f} KB average), median of {rounds} rounds ==")
    print(f"  generated pages classified as their visa paragraph says: {right}/{n_pages}")
    rows = [
        ("lxml parse only (html_to_text's parser)", times["parse"]),
        ("html_to_text, bytes (as the CLI passes)", times["text"]),
        ("html_to_text, str (as the crawler passes)", times["text_str"]),
        ("classify_html (HTML -> verdict)", times["verdict"]),
        ("  the same with caches cleared per page", times["verdict_cold"]),
        ("  the same with an explaining section", times["verdict_explained"]),
    ]
    for label, seconds in rows:
        per_page = seconds / n_pages * 1000
        print(f"  {label:<42} {n_pages / seconds:6.0f} pages/s  {per_page:6.2f} ms/page")
    print(f"  ratio html_to_text / lxml parse            {times['text'] / times['parse']:6.2f}x")
    print(f"  ratio HTML->verdict / lxml parse           {times['verdict'] / times['parse']:6.2f}x"
          "  (target <= 3x)")
    print(f"  ratio, caches cleared per page             "
          f"{times['verdict_cold'] / times['parse']:6.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="generated pages for throughput")
    parser.add_argument("--rounds", type=int, default=7, help="timing rounds (median is shown)")
    args = parser.parse_args()

    report_honest_estimate()
    records = load_corpus()
    verdicts = [classify_record(record) for record in records]
    naive = [baseline(record) for record in records]
    report_accuracy("classifier, whole corpus", records, verdicts)
    held = [i for i, record in enumerate(records) if record["split"] == "heldout"]
    report_accuracy("classifier, held-out part", [records[i] for i in held],
                    [verdicts[i] for i in held])
    report_accuracy("naive keyword baseline, whole corpus", records, naive)
    # The other labeled sets were written apart from the rules (see tests/data/README.md).
    sets = [(CORPUS.name, records)]
    for path in sorted(DATA.glob("classifier_*.jsonl")):
        if path == CORPUS:
            continue
        extra = load_corpus(path)
        sets.append((path.name, extra))
        report_accuracy(f"classifier, {path.name}", extra, [classify_record(r) for r in extra])
        report_accuracy(f"naive keyword baseline, {path.name}", extra,
                        [baseline(r) for r in extra])
    report_summary(sets)
    report_page_context(sets)
    report_throughput(args.pages, args.rounds)


if __name__ == "__main__":
    main()
