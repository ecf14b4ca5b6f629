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
        console.print(as_table(layout, console.width))
        return
    # Too narrow: first drop the long text columns (names), then use blocks.
    narrower = replace(layout, fields=_short_fields(layout))
    if narrower.fields != layout.fields and fits_as_table(console.width, narrower):
        console.print(as_table(narrower, console.width))
    else:
        print_blocks(console, layout)


def _text(value: str | Text) -> Text:
    return value.copy() if isinstance(value, Text) else Text(value)


def _width(value: str | Text) -> int:
    return max((len(line) for line in _text(value).plain.splitlines()), default=0)


def _short_fields(layout: Layout) -> list[Field]:
    return [f for f in layout.fields if not f.wrap]


# The narrowest a wrapped text column (a name) may get.
MIN_WRAP_WIDTH = 12


def _longest(layout: Layout, f: Field) -> int:
    return max([len(f.label), *(_width(r.values.get(f.key, "")) for r in layout.records)])


def _minimum_widths(layout: Layout) -> list[int]:
    """Content width of each column at its narrowest: short fields whole,
    wrapped ones at MIN_WRAP_WIDTH, the evidence as wide as its longest URL."""
    widths = [min(_longest(layout, f), MIN_WRAP_WIDTH) if f.wrap else _longest(layout, f)
              for f in layout.fields]
    if layout.evidence_label is not None:
        urls = [len(e.url) for r in layout.records for e in r.evidence]
        widths.append(max([MIN_SENTENCE_WIDTH, *urls]))
    return widths


def _frame(columns: int) -> int:
    # Rich's box: a border and a space either side of every column.
    return 3 * columns + 1


def fits_as_table(width: int, layout: Layout) -> bool:
    minimum = _minimum_widths(layout)
    return sum(minimum) + _frame(len(minimum)) <= width


def column_widths(width: int, layout: Layout) -> list[int]:
    """Fixed widths that fill `width`: the room left over goes to the wrapped
    fields up to their longest value (a quarter of it at most), the rest to
    the evidence. Fixed, because Rich's own sharing can give a column less
    than its minimum and cut a URL."""
    widths = _minimum_widths(layout)
    spare = max(0, width - sum(widths) - _frame(len(widths)))
    wrapped = [i for i, f in enumerate(layout.fields) if f.wrap]
    budget = spare // 4 if layout.evidence_label is not None else spare
    for i in wrapped:
        grow = min(_longest(layout, layout.fields[i]) - widths[i], budget // len(wrapped))
        widths[i] += max(0, grow)
        spare -= max(0, grow)
    if layout.evidence_label is not None:
        widths[-1] += spare
    return widths


def as_table(layout: Layout, width: int) -> Table:
    widths = column_widths(width, layout)
    table = Table(title=layout.title, show_lines=True)
    for f, w in zip(layout.fields, widths, strict=False):
        table.add_column(f.label, width=w, no_wrap=not f.wrap, overflow="fold")
    if layout.evidence_label is not None:
        # fold, never an ellipsis: should a URL not fit after all, it is kept.
        table.add_column(layout.evidence_label, width=widths[-1], overflow="fold")
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
