"""Contacts out as CSV and vCard, for the UI's exports, background exports and the API dialects'.

Callers pass contacts they read through `contacts.selectors.contact_list`, and the user they
read them as, so an export never shows what its user may not see (not even the name of a
person's company the user may not see). Rows come flat from
`contacts.selectors.contact_export_chunks` (keyset chunks in id order, one query per kind of
child row and chunk, by id range when the chunk's ids are dense): no model instance is built
per contact, memory stays flat whatever the size of the export, and both formats come as
streams (`iter_csv`, `iter_vcard`), for streaming responses and for files written by
background jobs (`write_export`).

The CSV has the interchange columns of `contacts.columns` (docs/export.md), each row as the
`csv` module writes it (a row that needs no quoting is joined directly). Cells that a
spreadsheet would run as a formula (those starting with = + - @, a tab or a carriage return)
get a leading single quote, as OWASP recommends against CSV injection. vCard 3.0 (RFC 2426) is
written line by line with the RFC's escaping and line folding; vCard keeps every text as it is.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django_countries import countries

from contacts.columns import (
    ADDRESS_PARTS,
    FORMULA_STARTS,
    ITEM_KINDS,
    KIND_COMPANY,
    KIND_PERSON,
    LIST_SEPARATOR,
    address_type_text,
    custom_cell,
    custom_columns,
    headers,
    item_type_text,
    neutralize_cell,
)
from contacts.models import Contact, ContactItem, ContactStage, ContactType, CustomField
from contacts.selectors import (
    AnyUser,
    ExportRow,
    choice_list,
    contact_export_chunks,
    contact_export_counts,
    custom_field_list,
)

Contacts = QuerySet[Contact] | Sequence[Contact]
Progress = Callable[[int], None]

# vCard TYPE parameters of our item kinds and contexts (RFC 2426 §3.3).
TEL_TYPES = {"voice": "VOICE", "cell": "CELL", "fax": "FAX", "pager": "PAGER"}
CONTEXT_TYPES = {"work": "WORK", "home": "HOME"}


def _timestamp(text: str) -> str:
    """ISO 8601 of a stored UTC timestamp's text: SQLite's has no offset, PostgreSQL's ends "+00"."""
    text = text.replace(" ", "T", 1)
    return text + ":00" if text.endswith("+00") else text + "+00:00"


def _date(text: str | None) -> str:
    return text or ""


def _utc_stamp(text: str) -> str:
    """vCard's REV form, 20260101T120000Z, of a stored UTC timestamp's text."""
    return f"{text[0:4]}{text[5:7]}{text[8:10]}T{text[11:13]}{text[14:16]}{text[17:19]}Z"


def _uuid(value: Any) -> str:
    """The canonical form of a uuid: PostgreSQL's driver gives a UUID, SQLite's 32 hex digits."""
    if value.__class__ is str and len(value) == 32:
        hex_ = value.lower()
        return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(hex=str(value)))


class CsvLayout:
    """The columns of one CSV export (contacts.columns), sized to the exported set: as many
    numbered items of each kind and addresses as the contact with the most has, and every
    custom field; `line` turns an ExportRow into the text of its row."""

    def __init__(self, *, item_counts: dict[str, int], address_count: int, fields: Iterable[CustomField]) -> None:
        self.item_counts = {str(kind): item_counts.get(kind, 0) for kind in ITEM_KINDS}
        self.address_count = address_count
        self.custom = custom_columns(fields)
        self.headers = headers(
            item_counts=self.item_counts,
            address_count=address_count,
            custom_headers=[header for header, _ in self.custom],
        )
        self.types = dict(choice_list(model=ContactType).values_list("pk", "code"))
        self.stages = dict(choice_list(model=ContactStage).values_list("pk", "name"))
        # Where each kind's items start among the item cells (two cells an item).
        self._item_start: dict[str, int] = {}
        offset = 0
        for kind, count in self.item_counts.items():
            self._item_start[kind] = offset
            offset += 2 * count
        self._empty_items = [""] * offset
        self._empty_address = [""] * len(ADDRESS_PARTS)
        self._item_types: dict[tuple, str] = {}
        # (id, whether the stored text is the cell, field): only booleans and multi-lists are rewritten.
        rewritten = (CustomField.Format.BOOLEAN, CustomField.Format.MULTI_LIST)
        self._custom = [(field.pk, field.field_format not in rewritten, field) for _, field in self.custom]
        self._empty_custom = [""] * len(self._custom)
        self._commas = len(self.headers) - 1
        self._out = io.StringIO()
        self._writer = csv.writer(self._out)

    def item_type(self, item: tuple) -> str:
        """An item's type column, remembered (and neutralized) once: an export has few distinct ones."""
        key = (item[1], item[2], item[3], item[4], item[6])
        text = self._item_types.get(key)
        if text is None:
            text = self._item_types[key] = neutralize_cell(
                item_type_text(
                    kind=item[1], tel_type=item[2], context=item[3], service=item[4], is_primary=bool(item[6])
                )
            )
        return text

    def line(self, row: ExportRow) -> str:
        """The row's text, without its line end, as `csv.writer` writes its neutralized cells.

        The cells are joined with commas as they are: when the join holds no commas but those
        between cells, no quote, no line break and no comma before a formula's first character,
        no cell needs quoting or a leading quote, and the join is the row (most rows). Item
        values (phones start with "+") are neutralized one by one first, item types once each.
        Any other row goes through `csv.writer`.
        """
        cells = [
            str(row.pk),
            KIND_COMPANY if row.is_company else KIND_PERSON,
            row.first_name,
            row.middle_name,
            row.last_name,
            row.name,
            row.company_name,
            row.salutation,
            row.job_title,
            row.department,
            row.industry,
            row.background,
            row.birthday or "",
            self.types.get(row.contact_type_id, ""),
            self.stages.get(row.stage_id, ""),
            row.currency,
            "" if row.priority is None else str(row.priority),
            row.assigned_to,
            row.visibility,
            LIST_SEPARATOR.join(row.projects),
            LIST_SEPARATOR.join(row.tags),
        ]
        if row.items:
            items = self._empty_items.copy()
            start, types, item_type, formula = self._item_start, self._item_types, self.item_type, FORMULA_STARTS
            seen: dict[str, int] = {}
            for item in row.items:
                kind = item[1]
                index = seen.get(kind, 0)
                seen[kind] = index + 1
                at = start[kind] + 2 * index
                value = item[5]
                items[at] = "'" + value if value[:1] in formula else value
                items[at + 1] = types.get((kind, item[2], item[3], item[4], item[6])) or item_type(item)
            cells += items
        else:
            cells += self._empty_items
        for _, street1, street2, city, region, postcode, country, context, is_primary in row.addresses:
            cells += (street1, street2, city, region, postcode, country or "")
            cells.append(address_type_text(context=context, is_primary=bool(is_primary)))
        if len(row.addresses) < self.address_count:
            cells += self._empty_address * (self.address_count - len(row.addresses))
        if self._custom:
            custom = row.custom
            if custom is None:
                cells += self._empty_custom
            else:
                for pk, plain, field in self._custom:
                    stored = custom.get(pk)
                    if not stored:
                        cells.append("")
                    else:
                        cells.append(stored if plain else custom_cell(field=field, stored=stored))
        cells.append(_timestamp(row.created_at))
        cells.append(_timestamp(row.updated_at))
        text = ",".join(cells)
        if (
            '"' in text
            or "\n" in text
            or "\r" in text
            or text.count(",") != self._commas
            or _FORMULA_AFTER_COMMA.search(text) is not None
        ):
            return self._written([neutralize_cell(cell) for cell in cells])
        return text

    def _written(self, cells: list[str]) -> str:
        self._writer.writerow(cells)
        text = self._out.getvalue()
        self._out.seek(0)
        self._out.truncate()
        return text[:-2]


# A formula's first character at the start of a cell after the first (the first is the id), in a
# row whose cells hold no comma.
_FORMULA_AFTER_COMMA = re.compile("," + "[" + re.escape("".join(sorted(FORMULA_STARTS))) + "]")


def _chunk_texts(
    chunks: Iterator[list[ExportRow]], write: Callable[[list[ExportRow]], str], *, progress: Progress | None
) -> Iterator[str]:
    """The text `write` makes of each chunk, one chunk in memory at a time (after each, `progress`
    hears how many rows are written).

    The cyclic garbage collector is paused while a chunk is read and written: a chunk's work makes
    tens of thousands of tuples, lists and strings, none in a reference cycle (reference counting
    frees them all), and the collector would otherwise walk them and the whole heap over and over,
    a sixth of a large export's time. It runs again between chunks, while the text is sent.
    """
    done = 0
    while True:
        with _collector_paused():
            chunk = next(chunks, None)
            if chunk is None:
                return
            text = write(chunk)
            done += len(chunk)
            del chunk  # one chunk in memory at a time, not the last one while the next is read
        yield text
        if progress is not None:
            progress(done)


@contextmanager
def _collector_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def csv_layout(*, contacts: Contacts) -> CsvLayout:
    item_counts, address_count = contact_export_counts(contacts=contacts)
    return CsvLayout(item_counts=item_counts, address_count=address_count, fields=custom_field_list())


def iter_csv(contacts: Contacts, *, user: AnyUser, progress: Progress | None = None) -> Iterator[str]:
    """CSV text of the interchange columns: a header, then one row per contact, a chunk at a time
    (after each, `progress` hears how many rows are written)."""
    layout = csv_layout(contacts=contacts)
    out = io.StringIO()
    csv.writer(out).writerow(layout.headers)
    yield out.getvalue()
    line = layout.line
    yield from _chunk_texts(
        contact_export_chunks(user=user, contacts=contacts),
        lambda chunk: "\r\n".join(map(line, chunk)) + "\r\n",
        progress=progress,
    )


def contacts_csv(contacts: Contacts, *, user: AnyUser) -> str:
    return "".join(iter_csv(contacts, user=user))


_VCARD_SPECIAL = re.compile(r"[\\,;\n\r]")


def vcard_text(value: Any) -> str:
    """A text value escaped as RFC 2426 §4 says: backslash, comma, semicolon and newlines."""
    text = value if value.__class__ is str else str(value or "")
    if _VCARD_SPECIAL.search(text) is None:
        return text
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def vcard_line(line: str) -> str:
    """A content line folded at 75 octets (RFC 2426 §2.6), with its CRLF."""
    if len(line) <= 75 and (line.isascii() or len(line.encode()) <= 75):
        return line + "\r\n"
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append("".join(current))
            current, size = [" "], 1  # a continuation line starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts) + "\r\n"


def _type_param(types: list[str]) -> str:
    return f";TYPE={','.join(types)}" if types else ""


# IMPP URI schemes of messenger services (RFC 4770 §1); any other service is written x-<service>:.
IMPP_SCHEMES = {
    "skype": "skype",
    "jabber": "xmpp",
    "xmpp": "xmpp",
    "icq": "icq",
    "aim": "aim",
    "msn": "msnim",
    "yahoo": "ymsgr",
    "sip": "sip",
    "irc": "irc",
}


def _impp_uri(service: str, value: str) -> str:
    if ":" in value and "@" not in value.split(":", 1)[0]:
        return value  # written as a URI already (xmpp:ann@example.com)
    service = (service or "").strip().lower()
    return f"{IMPP_SCHEMES.get(service) or 'x-' + (''.join(c for c in service if c.isalnum()) or 'im')}:{value}"


def _vcard_parts(parts: Sequence[str], separator: str = ";") -> str:
    """Text values escaped and joined: one test over them all when none needs escaping."""
    if _VCARD_SPECIAL.search("".join(parts)) is None:
        return separator.join(parts)
    return separator.join(map(vcard_text, parts))


def _item_prefix(kind: str, tel_type: str, context: str, service: str, is_primary: Any) -> str:
    """An item's property name and parameters, up to its value: "TEL;TYPE=WORK,PREF,CELL:"."""
    types = [CONTEXT_TYPES[context]] if context in CONTEXT_TYPES else []
    if is_primary:
        types.append("PREF")
    if kind == ContactItem.Kind.TEL:
        types.append(TEL_TYPES.get(tel_type, "VOICE"))
        return f"TEL{_type_param(types)}:"
    if kind == ContactItem.Kind.EMAIL:
        return f"EMAIL{_type_param(['INTERNET', *types])}:"
    if kind == ContactItem.Kind.URL:
        return f"URL{_type_param(types)}:"
    if kind in IMPP_KINDS:
        return f"IMPP{_type_param(types)}:"
    # A social network profile: vCard 3.0 has no property of its own; this is the one address books read.
    if service:
        types.append(vcard_text(service.lower()).replace(",", ""))
    return f"X-SOCIALPROFILE{_type_param(types)}:"


IMPP_KINDS = frozenset({ContactItem.Kind.SKYPE, ContactItem.Kind.MESSENGER})
# Item prefixes by (kind, tel_type, context, service, is_primary): an export has few distinct ones.
_ITEM_PREFIXES: dict[tuple, str] = {}


def _item_line(kind: str, tel_type: str, context: str, service: str, value: str, is_primary: Any) -> str:
    key = (kind, tel_type, context, service, is_primary)
    prefix = _ITEM_PREFIXES.get(key)
    if prefix is None:
        if len(_ITEM_PREFIXES) >= 4096:  # services are free text: keep the memo small
            _ITEM_PREFIXES.clear()
        prefix = _ITEM_PREFIXES[key] = _item_prefix(*key)
    if kind in IMPP_KINDS:
        return prefix + _impp_uri("skype" if kind == ContactItem.Kind.SKYPE else service, value)
    return prefix + vcard_text(value)


def vcard_of(row: ExportRow) -> str:
    """One contact as a vCard 3.0 text."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + vcard_text(row.display_name or "-")]
    if row.is_company:
        lines += ["N:;;;;", "ORG:" + vcard_text(row.name), "X-ABSHOWAS:COMPANY"]
    else:
        lines.append("N:" + _vcard_parts((row.last_name, row.first_name, row.middle_name, row.salutation, "")))
        if row.company_name or row.department:
            lines.append("ORG:" + _vcard_parts([part for part in (row.company_name, row.department) if part]))
    if row.job_title:
        lines.append("TITLE:" + vcard_text(row.job_title))
    if row.birthday:
        lines.append("BDAY:" + _date(row.birthday))
    lines += [_item_line(*item[1:]) for item in row.items]
    for _, street1, street2, city, region, postcode, country, context, is_primary in row.addresses:
        street = ", ".join(part for part in (street1, street2) if part)
        parts = ("", "", street, city, region, postcode, _country_name(country))
        types = [context.upper(), "PREF"] if is_primary else [context.upper()]
        lines.append(f"ADR{_type_param(types)}:" + _vcard_parts(parts))
    if row.tags:
        lines.append("CATEGORIES:" + _vcard_parts(row.tags, ","))
    if row.background:
        lines.append("NOTE:" + vcard_text(row.background))
    lines.append(f"UID:urn:uuid:{_uuid(row.uuid)}")
    lines.append("REV:" + _utc_stamp(row.updated_at))
    lines.append("END:VCARD\r\n")
    card = "\r\n".join(lines)
    # Most cards need no folding: one test over the whole card instead of one per line.
    if card.isascii() and max(map(len, lines)) <= 75:
        return card
    lines[-1] = "END:VCARD"
    return "".join(map(vcard_line, lines))


_COUNTRY_NAMES: dict[str, str] = {}


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    if code not in _COUNTRY_NAMES:
        _COUNTRY_NAMES[code] = str(countries.name(code))
    return _COUNTRY_NAMES[code]


def iter_vcard(contacts: Contacts, *, user: AnyUser, progress: Progress | None = None) -> Iterator[str]:
    """vCard 3.0 texts, a chunk of contacts at a time (after each, `progress` hears how many are written)."""
    yield from _chunk_texts(
        contact_export_chunks(user=user, contacts=contacts, custom=False),
        lambda chunk: "".join(map(vcard_of, chunk)),
        progress=progress,
    )


def contacts_vcard(contacts: Contacts, *, user: AnyUser) -> str:
    """All contacts as one vCard 3.0 stream."""
    return "".join(iter_vcard(contacts, user=user))


EXPORT_FORMATS = {
    "csv": (iter_csv, "text/csv; charset=utf-8"),
    "vcf": (iter_vcard, "text/vcard; charset=utf-8"),
}
EXPORT_LABELS = {"csv": "CSV", "vcf": "vCard"}


def export_response(contacts: Contacts, *, user: AnyUser, fmt: str, filename: str) -> StreamingHttpResponse:
    """A download of the contacts as CSV or vCard ("csv"/"vcf"), streamed as it is written."""
    stream, content_type = EXPORT_FORMATS[fmt]
    response = StreamingHttpResponse(stream(contacts, user=user), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_export(
    contacts: Contacts, *, user: AnyUser, fmt: str, out: IO[bytes], progress: Progress | None = None
) -> int:
    """Write the export to a binary file a chunk at a time (nothing held in memory); the bytes written."""
    stream, _ = EXPORT_FORMATS[fmt]
    written = 0
    for text in stream(contacts, user=user, progress=progress):
        data = text.encode()
        out.write(data)
        written += len(data)
    return written
