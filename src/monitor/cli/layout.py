"""Laying out records for the width there is, or as plain text for a pipe.

A record is a row of short fields (ids, categories, dates: never wrapped),
optional longer text fields (names: wrapped) and a list of evidence items,
each a sentence (wrapped) and the URL it came from (never split).

- On a terminal wide enough for the whole row and the longest URL: one table.
- On a narrower terminal: one block per record, the fields on one line, each
  sentence wrapped and indented, each URL on a line of its own, unbroken.
- When standard output is not a terminal: tab-separated lines with a header,
  one per record, for grep and cut; tabs and line breaks inside values become
  spaces and several evidence items are joined with " | ".

Every value is a plain string or a rich Text: nothing here is read as markup,
so brackets in page text or error messages always come out as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

# Below this width a sentence column is too narrow to read; use blocks instead.
MIN_SENTENCE_WIDTH = 30
PLAIN_JOIN = " | "


@dataclass(frozen=True)
class Field:
    key: str  # the header in plain output
    label: str  # the header of the table column
    wrap: bool = False  # True: longer text that may wrap (a program's name)
    ident: bool = False  # an id or file name: shown without its label in blocks


@dataclass(frozen=True)
class Evidence:
    text: Text  # a deciding sentence, or a note such as a failed check's error
    url: str = ""
    quoted: bool = True  # a sentence quoted from a page (shown in “ ” in tables)

    def shown(self) -> Text:
        if not self.quoted:
            return self.text.copy()
        return Text.assemble("“", self.text, "”")


@dataclass
class Record:
    values: dict[str, str | Text]
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Layout:
    title: str
    fields: list[Field]
    # None: records carry no evidence and no evidence column is shown.
    evidence_label: str | None = "Deciding sentence · URL"
    records: list[Record] = field(default_factory=list)


def print_layout(console: Console, layout: Layout) -> None:
    if not console.is_terminal:
        console.file.write(plain_text(layout))
        return
    if not layout.records:
        console.print(Text(layout.title, style="bold"), Text("(none)", style="dim"))
        return
    if fits_as_table(console.width, layout):
        console.print(as_table(layout))
        return
    # Too narrow: first drop the long text columns (names), then use blocks.
    narrower = replace(layout, fields=_short_fields(layout))
    if narrower.fields != layout.fields and fits_as_table(console.width, narrower):
        console.print(as_table(narrower))
    else:
        print_blocks(console, layout)


def _text(value: str | Text) -> Text:
    return value.copy() if isinstance(value, Text) else Text(value)


def _width(value: str | Text) -> int:
    return max((len(line) for line in _text(value).plain.splitlines()), default=0)


def _short_fields(layout: Layout) -> list[Field]:
    return [f for f in layout.fields if not f.wrap]


def fits_as_table(width: int, layout: Layout) -> bool:
    """Whether the short fields unwrapped, the wrapped ones at 12 columns and
    the evidence at its longest URL (at least MIN_SENTENCE_WIDTH) fit."""
    needed = 0
    for f in layout.fields:
        cells = [_width(r.values.get(f.key, "")) for r in layout.records]
        longest = max([len(f.label), *cells])
        needed += min(longest, 12) if f.wrap else longest
    columns = len(layout.fields)
    if layout.evidence_label is not None:
        urls = [len(e.url) for r in layout.records for e in r.evidence]
        needed += max([MIN_SENTENCE_WIDTH, *urls])
        columns += 1
    # Rich's box: a border and a space either side of every column.
    needed += 3 * columns + 1
    return needed <= width


def as_table(layout: Layout) -> Table:
    table = Table(title=layout.title, show_lines=True, expand=True)
    for f in layout.fields:
        if f.wrap:
            table.add_column(f.label, ratio=1, min_width=12)
        else:
            table.add_column(f.label, no_wrap=True)
    if layout.evidence_label is not None:
        urls = [len(e.url) for r in layout.records for e in r.evidence]
        table.add_column(layout.evidence_label, ratio=4,
                         min_width=max([MIN_SENTENCE_WIDTH, *urls]))
    for record in layout.records:
        cells = [_text(record.values.get(f.key, "")) for f in layout.fields]
        if layout.evidence_label is not None:
            cells.append(_evidence_cell(record))
        table.add_row(*cells)
    return table


def _evidence_cell(record: Record) -> Text:
    out = Text()
    for index, item in enumerate(record.evidence):
        if index:
            out.append("\n")
        out.append_text(item.shown())
        if item.url:
            out.append("\n")
            out.append(item.url, style="dim")
    return out


def print_blocks(console: Console, layout: Layout) -> None:
    """One block per record, for terminals too narrow for the table."""
    console.print(Text(layout.title, style="bold"), highlight=False)
    for record in layout.records:
        console.print()
        for line in _pack(_head_pieces(layout, record), console.width):
            console.print(line, soft_wrap=True, highlight=False)
        for f in layout.fields:
            if f.wrap and record.values.get(f.key):
                console.print(Padding(_text(record.values[f.key]), (0, 0, 0, 2)),
                              highlight=False)
        for item in record.evidence:
            console.print(Padding(item.shown(), (0, 0, 0, 2)), highlight=False)
            if item.url:
                # soft_wrap: never insert a line break into the URL; a terminal
                # narrower than it wraps the line itself and copying keeps it whole.
                console.print(Text("  " + item.url, style="dim"), soft_wrap=True, highlight=False)


def _head_pieces(layout: Layout, record: Record) -> list[Text]:
    """The short fields as 'label: value' pieces; ids bare."""
    pieces = []
    for f in _short_fields(layout):
        value = _text(record.values.get(f.key, ""))
        if not value.plain:
            continue
        if not f.ident:
            value = Text.assemble((f"{f.label}: ", "dim"), value)
        pieces.append(value)
    return pieces


def _pack(pieces: list[Text], width: int) -> list[Text]:
    """Pieces on lines of at most `width` (a piece longer than that gets a line
    of its own), never breaking inside a piece."""
    lines: list[Text] = []
    for piece in pieces:
        if lines and len(lines[-1].plain) + 2 + len(piece.plain) <= width:
            lines[-1].append("  ")
            lines[-1].append_text(piece)
        else:
            lines.append(piece.copy())
    return lines


def plain_text(layout: Layout) -> str:
    """Tab-separated lines with a header line, one per record."""
    header = [f.key for f in layout.fields]
    if layout.evidence_label is not None:
        header += ["evidence_text", "evidence_url"]
    lines = ["\t".join(header)]
    for record in layout.records:
        cells = [_clean(_text(record.values.get(f.key, "")).plain) for f in layout.fields]
        if layout.evidence_label is not None:
            cells.append(PLAIN_JOIN.join(_clean(e.text.plain) for e in record.evidence))
            cells.append(PLAIN_JOIN.join(_clean(e.url) for e in record.evidence if e.url))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _clean(value: str) -> str:
    return " ".join(value.split())
