"""Contacts out as CSV and vCard, for the UI's exports and the API dialects'.

Callers pass contacts they read through `contacts.selectors.contact_list`, so
an export never shows what its user may not see. The export reads flat rows:
the contacts' own columns in one pass over the caller's query (its filters and
order, streamed by the database cursor), and for each chunk of EXPORT_CHUNK
contacts one query per kind of child row (items, addresses, tags, projects).
No model instance is built per contact, memory stays flat whatever the size of
the export, and both formats come as streams (`iter_csv`, `iter_vcard`) for
streaming responses.

CSV cells that a spreadsheet would run as a formula (those starting with
= + - @, a tab or a carriage return) get a leading single quote, as OWASP
recommends against CSV injection. vCard 3.0 (RFC 2426) is written line by line
with the RFC's escaping and line folding; vCard keeps every text as it is.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Case, F, QuerySet, When
from django.http import StreamingHttpResponse
from django_countries import countries

from contacts.models import Address, Contact, ContactItem, TaggedContact

CSV_COLUMNS = [
    "id",
    "is_company",
    "first_name",
    "middle_name",
    "last_name",
    "name",
    "company",
    "job_title",
    "department",
    "phones",
    "emails",
    "websites",
    "street",
    "city",
    "region",
    "postcode",
    "country",
    "tags",
    "projects",
    "birthday",
    "background",
    "created_at",
    "updated_at",
]

# vCard TYPE parameters of our item kinds and contexts (RFC 2426 §3.3).
TEL_TYPES = {"voice": "VOICE", "cell": "CELL", "fax": "FAX", "pager": "PAGER"}
CONTEXT_TYPES = {"work": "WORK", "home": "HOME"}

EXPORT_CHUNK = 2000

# The contact columns an export reads, in the order of `ContactRow`'s first fields.
CONTACT_COLUMNS = (
    "pk",
    "is_company",
    "salutation",
    "first_name",
    "middle_name",
    "last_name",
    "name",
    "display_name",
    "company_id",
    "live_company_name",
    "job_title",
    "department",
    "birthday",
    "background",
    "uuid",
    "created_at",
    "updated_at",
)
FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(slots=True)
class ContactRow:
    """One contact as flat values, with its child rows attached."""

    pk: int
    is_company: bool
    salutation: str
    first_name: str
    middle_name: str
    last_name: str
    name: str
    display_name: str
    company_id: int | None
    company_name: str | None
    job_title: str
    department: str
    birthday: Any
    background: str
    uuid: Any
    created_at: Any
    updated_at: Any
    # (kind, tel_type, context, service, value, is_primary), in display order
    items: list[tuple] = field(default_factory=list)
    # (street1, street2, city, region, postcode, country, context, is_primary), in display order
    addresses: list[tuple] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)

    def values_of(self, kind: str) -> list[str]:
        return [item[4] for item in self.items if item[0] == kind]

    @property
    def primary_address(self) -> tuple | None:
        for address in self.addresses:
            if address[7]:
                return address
        return self.addresses[0] if self.addresses else None


def contact_rows(contacts: Iterable[Contact]) -> Iterator[list[ContactRow]]:
    """The contacts as chunks of flat rows, in the caller's order.

    A QuerySet is read with its filters and ordering but without its prefetches, one cursor pass;
    contact instances (a single contact's card) are read again by id.
    """
    if not isinstance(contacts, QuerySet):
        pks = [contact.pk for contact in contacts]
        for start in range(0, len(pks), EXPORT_CHUNK):
            part = pks[start : start + EXPORT_CHUNK]
            found = _raw(_columns(Contact.objects.filter(pk__in=part).order_by()))
            rows = {values[0]: ContactRow(*values) for values in found}
            yield _with_children([rows[pk] for pk in part if pk in rows])
        return
    query = _columns(contacts.select_related(None).prefetch_related(None))
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    # The driver's rows, without the ORM's per-value converters (the costliest part of a large
    # export); `_text` and `_uuid` read both backends' raw values. A chunked cursor is
    # server-side on PostgreSQL, so memory stays flat there too.
    with connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(EXPORT_CHUNK):
            yield _with_children([ContactRow(*values) for values in rows])


def _columns(contacts: QuerySet[Contact]) -> QuerySet:
    """The CONTACT_COLUMNS of the contacts; a company in the trash is not named (its people keep
    the link until it is restored or purged)."""
    live_company_name = Case(When(company__deleted_at__isnull=True, then=F("company__display_name")), default=None)
    return contacts.annotate(live_company_name=live_company_name).values_list(*CONTACT_COLUMNS)


def _raw(query: QuerySet) -> list[tuple]:
    """All rows of a values_list query as the driver returns them (no per-value converters)."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _with_children(chunk: list[ContactRow]) -> list[ContactRow]:
    by_pk = {row.pk: row for row in chunk}
    ids = list(by_pk)
    items = ContactItem.objects.filter(contact_id__in=ids).order_by("contact_id", "position", "id")
    for contact_id, *item in _raw(
        items.values_list("contact_id", "kind", "tel_type", "context", "service", "value", "is_primary")
    ):
        by_pk[contact_id].items.append(tuple(item))
    addresses = Address.objects.filter(contact_id__in=ids).order_by("contact_id", "position", "id")
    for contact_id, *address in _raw(
        addresses.values_list(
            "contact_id", "street1", "street2", "city", "region", "postcode", "country", "context", "is_primary"
        )
    ):
        by_pk[contact_id].addresses.append(tuple(address))
    tagged = TaggedContact.objects.filter(content_object_id__in=ids).order_by()
    tags: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in _raw(tagged.values_list("content_object_id", "tag__name")):
        tags[contact_id].append(name)
    for contact_id, names in tags.items():
        by_pk[contact_id].tags = sorted(names, key=str.lower)
    links = Contact.projects.through.objects.filter(contact_id__in=ids).order_by("project__name", "project_id")
    for contact_id, identifier in _raw(links.values_list("contact_id", "project__identifier")):
        by_pk[contact_id].projects.append(identifier)
    return chunk


def _timestamp(value: Any) -> str:
    """ISO 8601 of a stored timestamp: a datetime (PostgreSQL) or SQLite's UTC text."""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).replace(" ", "T", 1)
    return text + "+00:00"


def _date(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else value.isoformat()


def _utc_stamp(value: Any) -> str:
    """vCard's REV form, 20260101T120000Z, of a stored timestamp."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = str(value)
    return f"{text[0:4]}{text[5:7]}{text[8:10]}T{text[11:13]}{text[14:16]}{text[17:19]}Z"


def _uuid(value: Any) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(hex=str(value)))


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a quote."""
    if value.__class__ is str and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_record(row: ContactRow) -> list[Any]:
    address = row.primary_address
    street1, street2, city, region, postcode, country = address[:6] if address else ("",) * 6
    return [
        row.pk,
        "1" if row.is_company else "0",
        row.first_name,
        row.middle_name,
        row.last_name,
        row.name,
        row.company_name or "",
        row.job_title,
        row.department,
        "; ".join(row.values_of(ContactItem.Kind.TEL)),
        "; ".join(row.values_of(ContactItem.Kind.EMAIL)),
        "; ".join(row.values_of(ContactItem.Kind.URL)),
        ", ".join(part for part in (street1, street2) if part),
        city,
        region,
        postcode,
        country or "",
        "; ".join(row.tags),
        "; ".join(row.projects),
        _date(row.birthday),
        row.background,
        _timestamp(row.created_at),
        _timestamp(row.updated_at),
    ]


def iter_csv(contacts: Iterable[Contact]) -> Iterator[str]:
    """CSV text: a header, then one row per contact (multi-valued columns joined with "; "), a chunk at a time."""
    out = io.StringIO()
    writer = csv.writer(out)

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for chunk in contact_rows(contacts):
        writer.writerows([csv_cell(cell) for cell in _csv_record(row)] for row in chunk)
        yield flush()


def contacts_csv(contacts: Iterable[Contact]) -> str:
    return "".join(iter_csv(contacts))


def vcard_text(value: Any) -> str:
    """A text value escaped as RFC 2426 §4 says: backslash, comma, semicolon and newlines."""
    text = str(value or "")
    if not any(c in text for c in "\\,;\n\r"):
        return text
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def vcard_line(line: str) -> str:
    """A content line folded at 75 octets (RFC 2426 §2.6), with its CRLF."""
    if len(line) <= 75 and line.isascii():
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


def vcard_of(row: ContactRow) -> str:
    """One contact as a vCard 3.0 text."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + vcard_text(row.display_name or "-")]
    if row.is_company:
        lines += ["N:;;;;", "ORG:" + vcard_text(row.name), "X-ABSHOWAS:COMPANY"]
    else:
        names = (row.last_name, row.first_name, row.middle_name, row.salutation, "")
        lines.append("N:" + ";".join(vcard_text(part) for part in names))
        if row.company_name is not None:
            lines.append("ORG:" + vcard_text(row.company_name))
    if row.job_title:
        lines.append("TITLE:" + vcard_text(row.job_title))
    if row.birthday:
        lines.append("BDAY:" + _date(row.birthday))
    for kind, tel_type, context, service, value, is_primary in row.items:
        types = [CONTEXT_TYPES[context]] if context in CONTEXT_TYPES else []
        if is_primary:
            types.append("PREF")
        if kind == ContactItem.Kind.TEL:
            name = "TEL"
            types.append(TEL_TYPES.get(tel_type, "VOICE"))
        elif kind == ContactItem.Kind.EMAIL:
            name = "EMAIL"
            types.append("INTERNET")
        elif kind == ContactItem.Kind.URL:
            name, types = "URL", []
        else:
            name = "X-" + (service or kind).upper()
        lines.append(f"{name}{_type_param(types)}:{vcard_text(value)}")
    for street1, street2, city, region, postcode, country, context, _ in row.addresses:
        street = ", ".join(part for part in (street1, street2) if part)
        parts = ("", "", street, city, region, postcode, _country_name(country))
        lines.append(f"ADR;TYPE={context.upper()}:" + ";".join(vcard_text(part) for part in parts))
    if row.tags:
        lines.append("CATEGORIES:" + ",".join(vcard_text(tag) for tag in row.tags))
    if row.background:
        lines.append("NOTE:" + vcard_text(row.background))
    lines.append(f"UID:urn:uuid:{_uuid(row.uuid)}")
    lines.append("REV:" + _utc_stamp(row.updated_at))
    lines.append("END:VCARD")
    return "".join(map(vcard_line, lines))


_COUNTRY_NAMES: dict[str, str] = {}


def _country_name(code: str) -> str:
    if not code:
        return ""
    if code not in _COUNTRY_NAMES:
        _COUNTRY_NAMES[code] = str(countries.name(code))
    return _COUNTRY_NAMES[code]


def iter_vcard(contacts: Iterable[Contact]) -> Iterator[str]:
    """vCard 3.0 texts, a chunk of contacts at a time."""
    for chunk in contact_rows(contacts):
        yield "".join(vcard_of(row) for row in chunk)


def contacts_vcard(contacts: Iterable[Contact]) -> str:
    """All contacts as one vCard 3.0 stream."""
    return "".join(iter_vcard(contacts))


EXPORT_FORMATS = {
    "csv": (iter_csv, "text/csv; charset=utf-8"),
    "vcf": (iter_vcard, "text/vcard; charset=utf-8"),
}


def export_response(contacts: Iterable[Contact], *, fmt: str, filename: str) -> StreamingHttpResponse:
    """A download of the contacts as CSV or vCard ("csv"/"vcf"), streamed as it is written."""
    stream, content_type = EXPORT_FORMATS[fmt]
    response = StreamingHttpResponse(stream(contacts), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
