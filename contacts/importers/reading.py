"""Reading an import file: what it is (CSV or vCard), its encoding and delimiter, its records.

A file is never loaded whole. Its first bytes tell the format and the encoding (a byte-order
mark, else strict UTF-8 over the sample, else charset-normalizer's guess); the CSV delimiter is
csv.Sniffer's choice among , ; tab and |, checked against the header line. Records are then
read one at a time from the file on disk: CSV rows with Python's csv module (quoted newlines
included), vCards split at BEGIN/END lines and parsed card by card with vobject, so one broken
card is one rejected record, not a failed import.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

SAMPLE_BYTES = 1 << 20  # what the encoding guess and the format check read
SNIFF_CHARS = 32_768  # what csv.Sniffer reads: enough lines, and its regexes stay fast
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
# Cells may hold long texts (a contact's background); csv's default limit is 128 KiB.
csv.field_size_limit(16 * 1024 * 1024)

# Files people upload by mistake, recognised by their first bytes.
SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an Excel or LibreOffice workbook?): save the sheet as CSV first",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document (save the sheet as CSV first)",
}
BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


class ImportFileError(ValueError):
    """The file cannot be imported at all; the message says why, for the person who sent it."""


@dataclass
class Record:
    """One record of the file: its number (the header is row 1 of a CSV), its cells as read
    (a vCard's are its text), and, for a vCard, the values it gives by import target."""

    number: int
    cells: list[str]
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""


@dataclass
class Source:
    """What a file is: its path, format ("csv" or "vcard"), encoding and, for a CSV, delimiter and headers."""

    path: Path
    format: str
    encoding: str
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        if self.format == "vcard":
            return f"vCard file, {self.encoding}"
        return f"CSV file, {self.encoding}, {DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated"

    def open_text(self) -> io.TextIOWrapper:
        return open(self.path, encoding=self.encoding, errors="replace", newline="")  # noqa: SIM115


def source_open(path: str | Path) -> Source:
    """Look at a file and say how to read it; ImportFileError when it is not a CSV or vCard file with rows."""
    path = Path(path)
    with open(path, "rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
        complete = len(sample) < SAMPLE_BYTES or not raw.read(1)
    if not sample.strip():
        raise ImportFileError("The file is empty.")
    for signature, what in SIGNATURES.items():
        if sample.startswith(signature):
            raise ImportFileError(f"This is {what}, not a CSV or vCard file.")
    encoding = detect_encoding(sample, complete=complete)
    text = sample.decode(encoding, errors="replace")
    if not complete:
        text = text[: text.rfind("\n") + 1] or text
    text = text.lstrip("\ufeff")
    if text.lstrip()[:11].upper() == "BEGIN:VCARD":
        source = Source(path=path, format="vcard", encoding=encoding)
        if next(source_records(source), None) is None:
            raise ImportFileError("The vCard file holds no card.")
        return source
    if "BEGIN:VCARD" in text[:4096].upper():
        raise ImportFileError("The file holds vCards after other text: it is not a vCard file a program wrote.")
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = next(reader, [])
    headers = [cell.strip() for cell in headers]
    if not any(headers):
        raise ImportFileError("The first line of the file is empty: it should name the columns.")
    source = Source(path=path, format="csv", encoding=encoding, delimiter=delimiter, headers=headers)
    if next(source_records(source), None) is None:
        raise ImportFileError("The file has a header line but no rows to import.")
    return source


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """The encoding of a file from its first bytes: a BOM's, else UTF-8 when the bytes are valid UTF-8,
    else charset-normalizer's best guess; ImportFileError for binary data."""
    for bom, name in BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample:
        raise ImportFileError("This is a binary file, not a CSV or vCard file.")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(sample[:65_536]).best()
    if best is None:
        raise ImportFileError("The file's text encoding cannot be recognised: save it as UTF-8 CSV.")
    name = codecs.lookup(best.encoding).name
    # Spreadsheets write Windows-1252 for Western text; it is Latin-1 plus letters in 0x80-0x9f,
    # so it reads Latin-1 files the same and is the better of the single-byte guesses for them.
    if name in ("latin-1", "iso8859-1", "iso8859-15", "cp1250", "cp1252", "mac-roman"):
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
    return name


def detect_delimiter(text: str) -> str:
    """The delimiter of CSV text: csv.Sniffer's among , ; tab |, or the one most frequent in the header line."""
    head = text[:SNIFF_CHARS]
    first_line = _first_record(head)
    counts = {d: _count_outside_quotes(first_line, d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(head[: head.rfind("\n") + 1] or head, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and counts.get(sniffed, 0) > 0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_record(text: str) -> str:
    in_quotes = False
    for index, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char in "\r\n" and not in_quotes:
            return text[:index]
    return text


def _count_outside_quotes(line: str, delimiter: str) -> int:
    return len(re.sub(r'"[^"]*"', "", line).split(delimiter)) - 1


def source_records(source: Source) -> Iterator[Record]:
    """The records of the file, streamed: CSV rows after the header (blank rows skipped), or vCards."""
    if source.format == "vcard":
        yield from _vcard_records(source)
        return
    with source.open_text() as handle:
        reader = csv.reader(handle, delimiter=source.delimiter)
        next(reader, None)
        number = 1
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Record(number=number, cells=[], error=f"This row cannot be read: {exc}.")
                continue
            if any(cell.strip() for cell in cells):
                yield Record(number=number, cells=cells)


def source_count(source: Source) -> int:
    """How many records the file holds (a quick pass, for progress)."""
    if source.format == "vcard":
        with source.open_text() as handle:
            return sum(1 for line in handle if line[:11].upper() == "BEGIN:VCARD")
    return sum(1 for _ in source_records(source))


def _vcard_records(source: Source) -> Iterator[Record]:
    from contacts.importers.vcards import vcard_values

    number = 0
    lines: list[str] = []
    with source.open_text() as handle:
        for line in handle:
            upper = line[:11].upper()
            if upper.startswith("BEGIN:VCARD"):
                lines = [line]
                continue
            if not lines:
                continue
            lines.append(line)
            if upper.startswith("END:VCARD"):
                number += 1
                text = "".join(lines)
                lines = []
                try:
                    values = vcard_values(text)
                except Exception as exc:  # noqa: BLE001 (vobject raises many kinds; each is one bad card)
                    yield Record(number=number, cells=[text], error=f"This card cannot be read: {exc}")
                    continue
                yield Record(number=number, cells=[text], values=values)
