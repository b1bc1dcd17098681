"""Contacts out as CSV and vCard, for the UI's exports and the API dialects'.

Callers pass contacts they read through `contacts.selectors.contact_list`
(prefetched), so an export never shows what its user may not see and costs a
fixed number of queries per chunk of EXPORT_CHUNK contacts. Both formats come
as streams (`iter_csv`, `iter_vcard`) for streaming responses, so memory stays
flat whatever the size of the export. vCard is written by `vobject` (vCard 3.0,
RFC 2426), never by hand.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import vobject
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from contacts.models import Contact, ContactItem
from contacts.selectors import contact_tags

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


EXPORT_CHUNK = 500


def _chunked(contacts: Iterable[Contact]) -> Iterable[Contact]:
    # QuerySet.iterator() prefetches per chunk: bounded memory, fixed queries per chunk.
    if isinstance(contacts, QuerySet):
        return contacts.iterator(chunk_size=EXPORT_CHUNK)
    return contacts


def iter_csv(contacts: Iterable[Contact]) -> Iterator[str]:
    """CSV lines: a header, then one row per contact; multi-valued columns joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out)

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for contact in _chunked(contacts):
        address = contact.primary_address
        writer.writerow(
            [
                contact.pk,
                "1" if contact.is_company else "0",
                contact.first_name,
                contact.middle_name,
                contact.last_name,
                contact.name,
                contact.company_name,
                contact.job_title,
                contact.department,
                "; ".join(i.value for i in contact.items_of(ContactItem.Kind.TEL)),
                "; ".join(i.value for i in contact.items_of(ContactItem.Kind.EMAIL)),
                "; ".join(i.value for i in contact.items_of(ContactItem.Kind.URL)),
                address.street if address else "",
                address.city if address else "",
                address.region if address else "",
                address.postcode if address else "",
                address.country.code if address and address.country else "",
                "; ".join(t.name for t in contact_tags(contact)),
                "; ".join(p.identifier for p in contact.projects.all()),
                contact.birthday.isoformat() if contact.birthday else "",
                contact.background,
                contact.created_at.isoformat(),
                contact.updated_at.isoformat(),
            ]
        )
        yield flush()


def contacts_csv(contacts: Iterable[Contact]) -> str:
    return "".join(iter_csv(contacts))


def contact_vcard(contact: Contact) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("fn").value = contact.display_name or "-"
    if contact.is_company:
        card.add("n").value = vobject.vcard.Name()
        card.add("org").value = [contact.name]
        card.add("x-abshowas").value = "COMPANY"
    else:
        card.add("n").value = vobject.vcard.Name(
            family=contact.last_name,
            given=contact.first_name,
            additional=contact.middle_name,
            prefix=contact.salutation,
        )
        if contact.company_id:
            card.add("org").value = [contact.company_name]
    if contact.job_title:
        card.add("title").value = contact.job_title
    if contact.birthday:
        card.add("bday").value = contact.birthday.isoformat()
    for item in contact.items.all():
        types = [CONTEXT_TYPES[item.context]] if item.context in CONTEXT_TYPES else []
        if item.is_primary:
            types.append("PREF")
        if item.kind == ContactItem.Kind.TEL:
            line = card.add("tel")
            types.append(TEL_TYPES.get(item.tel_type, "VOICE"))
        elif item.kind == ContactItem.Kind.EMAIL:
            line = card.add("email")
            types.append("INTERNET")
        elif item.kind == ContactItem.Kind.URL:
            line = card.add("url")
        else:
            line = card.add("x-" + (item.service or item.kind).lower())
        line.value = item.value
        if types and item.kind != ContactItem.Kind.URL:
            line.type_param = types if len(types) > 1 else types[0]
    for address in contact.addresses.all():
        line = card.add("adr")
        line.value = vobject.vcard.Address(
            street=address.street,
            city=address.city,
            region=address.region,
            code=address.postcode,
            country=address.country_name,
        )
        line.type_param = address.context.upper()
    tags = [t.name for t in contact_tags(contact)]
    if tags:
        card.add("categories").value = tags
    if contact.background:
        card.add("note").value = contact.background
    card.add("uid").value = f"urn:uuid:{contact.uuid}"
    card.add("rev").value = contact.updated_at.strftime("%Y%m%dT%H%M%SZ")
    return card


def iter_vcard(contacts: Iterable[Contact]) -> Iterator[str]:
    """One vCard 3.0 text per contact."""
    for contact in _chunked(contacts):
        yield contact_vcard(contact).serialize()


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
