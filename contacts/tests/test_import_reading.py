"""Reading import files: format, encoding, delimiter, quoted newlines, and files that are not imports."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from contacts.importers import ImportFileError, source_open
from contacts.importers.reading import source_count, source_records

ROWS = [["First name", "Last name", "City"], ["Zoë", "Müller", "Göteborg"], ["François", "Ørsted", "Besançon"]]


def write(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(delimiter.join(row) + "\r\n" for row in rows).encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_reads_every_delimiter_a_spreadsheet_writes(tmp_path, delimiter):
    source = source_open(write(tmp_path / "a.csv", ROWS, delimiter=delimiter))

    assert source.delimiter == delimiter
    assert source.headers == ROWS[0]
    assert [record.cells for record in source_records(source)] == ROWS[1:]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("latin-1", "cp1252"), ("cp1252", "cp1252")],
)
def test_reads_utf8_with_or_without_bom_latin1_and_windows_1252(tmp_path, encoding, expected):
    rows = [*ROWS, ["Ana", "Peña", "A Coruña"], ["Søren", "Ærø", "Ålborg"]]
    if encoding == "cp1252":
        rows.append(["Price", "“quoted” 100 €", "Paris"])
    source = source_open(write(tmp_path / "a.csv", rows, delimiter=";", encoding=encoding))

    assert source.encoding == expected
    assert source.headers[0] == "First name"  # a BOM never sticks to the first header
    assert [record.cells for record in source_records(source)] == rows[1:]


def test_a_utf8_bom_file_reads_its_first_header_clean(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"Email,Name\r\nada@example.com,Ada\r\n")

    assert source_open(path).headers == ["Email", "Name"]


def test_quoted_newlines_and_delimiters_stay_inside_their_cell(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('Name,Notes,City\n"Ada","line one\nline two, with a comma",London\nBob,"say ""hi""",Paris\n')
    source = source_open(path)

    records = list(source_records(source))

    assert [r.cells for r in records] == [
        ["Ada", "line one\nline two, with a comma", "London"],
        ["Bob", 'say "hi"', "Paris"],
    ]
    assert [r.number for r in records] == [2, 3]
    assert source_count(source) == 2


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = write(tmp_path / "b.csv", [["Name"], ["Ada"], [""], ["Bob"]])

    assert [(r.number, r.cells) for r in source_records(source_open(path))] == [(2, ["Ada"]), (4, ["Bob"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (b"First name,Last name\r\n", "The file has a header line but no rows to import."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is a PNG image, not a CSV or vCard file."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a ZIP archive (an Excel or LibreOffice workbook?)"),
        (b"%PDF-1.7\n%\xe2\xe3", "This is a PDF document, not a CSV or vCard file."),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "This is a binary file, not a CSV or vCard file."),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\n", "The vCard file holds no card."),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError) as raised:
        source_open(path)

    assert str(raised.value).startswith(message)


VCARD3 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;King;Lady;\r\nFN:Lady Ada King Lovelace\r\n"
    "ORG:Analytical Engines;Research\r\nTITLE:Programmer\r\nBDAY:1815-12-10\r\n"
    "TEL;TYPE=WORK,CELL,PREF:+44 7700 900123\r\nTEL;TYPE=HOME,VOICE:+44 20 7946 0018\r\n"
    "EMAIL;TYPE=INTERNET,HOME:ada@example.com\r\nURL:https://ada.example.com\r\nX-JABBER;TYPE=WORK:ada@jabber.example\r\n"
    "ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom\r\n"
    "CATEGORIES:vip,maths\r\nNOTE:First programmer\\, really.\\nTwo lines.\r\nEND:VCARD\r\n"
)
VCARD4 = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Globex Corporation\r\nORG:Globex Corporation\r\n"
    'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-202-555-0143\r\n'
    "EMAIL;TYPE=work:info@globex.example\r\nIMPP:xmpp:sales@globex.example\r\nEND:VCARD\r\n"
)


def test_reads_vcard_3_and_4_into_import_values(tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_text(VCARD3 + VCARD4)
    source = source_open(path)

    ada, globex = (record.values for record in source_records(source))

    assert source.format == "vcard"
    assert ada == {
        "last_name": "Lovelace", "first_name": "Ada", "middle_name": "King", "salutation": "Lady",
        "company": "Analytical Engines", "department": "Research", "job_title": "Programmer",
        "birthday": "1815-12-10", "tel.1": "+44 7700 900123", "tel.1.type": "work cell pref",
        "tel.2": "+44 20 7946 0018", "tel.2.type": "home voice", "email.1": "ada@example.com",
        "email.1.type": "home", "url.1": "https://ada.example.com", "messenger.1": "ada@jabber.example",
        "messenger.1.type": "work jabber", "address.1.street1": "12 St James's Square", "address.1.city": "London",
        "address.1.postcode": "SW1Y 4JH", "address.1.country": "United Kingdom", "address.1.type": "home",
        "tags": "vip; maths", "background": "First programmer, really.\nTwo lines.",
    }  # fmt: skip
    assert globex == {
        "kind": "company", "name": "Globex Corporation", "tel.1": "+1-202-555-0143", "tel.1.type": "work voice pref",
        "email.1": "info@globex.example", "email.1.type": "work", "messenger.1": "sales@globex.example",
        "messenger.1.type": "xmpp",
    }  # fmt: skip


def test_an_unreadable_line_of_a_card_is_skipped_and_the_rest_of_the_card_read(tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_text(VCARD3 + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Stone\r\nthis line has no colon\r\nEND:VCARD\r\n")

    records = list(source_records(source_open(path)))

    assert [r.number for r in records] == [1, 2]
    assert records[1].values == {"full_name": "Bob Stone"}
