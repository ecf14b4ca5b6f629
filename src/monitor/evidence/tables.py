"""Reading the rows of a downloaded government table, whatever its format.

The files come as UTF-8 or UTF-16 text, comma- or tab-separated, or as
Excel workbooks of hundreds of MB. Rows are streamed one at a time (the csv
module over a text stream; openpyxl in read-only mode), so memory stays flat
whatever the size. Columns are found by their header names, compared after
trimming, collapsing spaces and ignoring case: USCIS ships `Fiscal Year   `
with trailing spaces.

One limit of Excel files: openpyxl reads a workbook's shared-strings table
(every distinct text in the sheet) into memory when it opens it; only the
rows are streamed. So a CSV is read in constant memory, an XLSX in memory
that grows with its distinct texts (see benchmarks/evidence.py).
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# A DOL job title or address can exceed csv's default 128 KiB field limit in a
# malformed export; a large limit keeps such a row readable (and reportable).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Progress = Callable[[int], None]
PROGRESS_EVERY = 5000


class EvidenceFileError(Exception):
    """A downloaded file cannot be read; the message names the file, line and column."""


def header_key(name: object) -> str:
    """'Fiscal Year   ' and 'FISCAL_YEAR' both give 'fiscal year'."""
    text = str(name or "").replace("_", " ").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Table:
    """An open table: its header and an iterator of (line number, cells)."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list]]

    def columns(self, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """Index of each field found, looking its aliases up in the header."""
        positions = {header_key(name): index for index, name in enumerate(self.header)}
        found = {}
        for field, names in aliases.items():
            for name in names:
                if header_key(name) in positions:
                    found[field] = positions[header_key(name)]
                    break
        return found

    def require(self, found: dict[str, int], fields: list[str], what: str) -> None:
        missing = [field for field in fields if field not in found]
        if missing:
            raise EvidenceFileError(
                f"{self.path}: line 1: not {what}: no column for "
                f"{', '.join(missing)} (the header has: "
                f"{', '.join(repr(h) for h in self.header if h)})"
            )


def open_table(path: str | Path, on_progress: Progress | None = None) -> Table:
    """Open a CSV/TSV (UTF-8 or UTF-16) or XLSX file by what its bytes say it is."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            start = handle.read(4096)
    except OSError as exc:
        raise EvidenceFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if start.startswith(b"PK\x03\x04"):
        return _xlsx_table(path, on_progress)
    return _text_table(path, start, on_progress)


def _text_table(path: Path, start: bytes, on_progress: Progress | None) -> Table:
    encoding = _encoding(start)
    handle = path.open("r", encoding=encoding, newline="", errors="strict")
    try:
        first = handle.readline()
    except UnicodeDecodeError as exc:
        handle.close()
        raise EvidenceFileError(f"{path}: line 1: not {encoding} text: {exc.reason}") from None
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    if not any(cell.strip() for cell in header):
        handle.close()
        raise EvidenceFileError(f"{path}: line 1: empty header; is this the right file?")
    return Table(path, header, _text_rows(path, handle, delimiter, encoding, on_progress))


def _encoding(start: bytes) -> str:
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # UTF-16 without a byte order mark: every other byte of ASCII text is zero.
    if len(start) >= 4 and start[1] == 0 and start[3] == 0 and start[0] != 0:
        return "utf-16-le"
    try:
        start.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut at the end of the sample is not an error; an invalid byte before is.
        if exc.start < len(start) - 4:
            return "cp1252"
    return "utf-8"


def _text_rows(path, handle, delimiter, encoding, on_progress) -> Iterator[tuple[int, list]]:
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        line = 1
        try:
            for cells in reader:
                line = reader.line_num + 1
                if on_progress and line % PROGRESS_EVERY == 0:
                    on_progress(line - 1)
                if cells and any(cell.strip() for cell in cells):
                    yield line, cells
        except UnicodeDecodeError as exc:
            raise EvidenceFileError(
                f"{path}: line {reader.line_num + 2}: not {encoding} text: {exc.reason}"
            ) from None
        except csv.Error as exc:
            raise EvidenceFileError(f"{path}: line {reader.line_num + 1}: {exc}") from None
        if on_progress:
            on_progress(line - 1)


def _xlsx_table(path: Path, on_progress: Progress | None) -> Table:
    from openpyxl import load_workbook  # imported here: only workbooks need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise EvidenceFileError(f"{path}: not a readable Excel workbook: {exc}") from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(header):
        workbook.close()
        raise EvidenceFileError(f"{path}: line 1: empty header; is this the right file?")
    return Table(path, ["" if h is None else str(h) for h in header],
                 _xlsx_rows(workbook, rows, on_progress))


def _xlsx_rows(workbook, rows, on_progress) -> Iterator[tuple[int, list]]:
    line = 1
    try:
        for line, cells in enumerate(rows, start=2):
            if on_progress and line % PROGRESS_EVERY == 0:
                on_progress(line - 1)
            if any(cell is not None and cell != "" for cell in cells):
                yield line, list(cells)
    finally:
        workbook.close()
    if on_progress:
        on_progress(line - 1)


def cell_text(cells: list, index: int | None) -> str:
    """The cell as trimmed text ('' when missing)."""
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()

