"""The interchange columns: the one declaration of the CSV a contact export writes and an import reads.

A file has, in this order (docs/export.md shows an example):

- the fixed columns of `FIXED_COLUMNS` (header ↔ contact field), from "ID" to "Tags";
- numbered items, per kind in `ITEM_KINDS` order: "Phone 1", "Phone 1 type", "Phone 2"...,
  then "Email 1", "Email 1 type"..., as many of each kind as the contact with the most has;
- numbered addresses: "Address 1 street", "Address 1 street 2", ... "Address 1 type";
- "Custom: <field name>" for every custom field (headings, which hold no value, excepted);
- the trailing columns of `TRAILING_COLUMNS`: "Created", "Updated".

Lists (projects, tags, a multi-list custom value) are joined with `LIST_SEPARATOR`. An item's or
an address's type is a few words in any order (`item_type_text` / `parse_item_type`): its context
(work, home, other; for addresses also postal, billing, delivery), for a phone its kind of line
(voice, cell, fax, pager), for a messenger or a social network its service (jabber, twitter...),
and "primary" for the contact's preferred one. Headers are read without regard to case or
surrounding spaces (`parse_header`). A cell that would start a spreadsheet formula (= + - @, a tab
or a carriage return first: a phone number "+33 1...") is written after a single quote
(`neutralize_cell`), which a reader takes off (`restore_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from contacts.models import Address, ContactItem, CustomField

LIST_SEPARATOR = "; "
PRIMARY = "primary"
# A cell a spreadsheet would run as a formula starts with one of these; the export puts a single
# quote before it (OWASP's advice against CSV injection) and an import takes that quote off.
FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Column:
    """A fixed column: its header and the contact field it carries (`kind` is `is_company`)."""

    header: str
    field: str
    help: str = ""


FIXED_COLUMNS: tuple[Column, ...] = (
    Column("ID", "id", "the contact's id in this CRM"),
    Column("Kind", "kind", "person or company"),
    Column("First name", "first_name"),
    Column("Middle name", "middle_name"),
    Column("Last name", "last_name"),
    Column("Company name", "name", "a company's own name"),
    Column("Company", "company", "a person's company, by its name"),
    Column("Salutation", "salutation"),
    Column("Job title", "job_title"),
    Column("Department", "department"),
    Column("Industry", "industry"),
    Column("Background", "background"),
    Column("Birthday", "birthday", "YYYY-MM-DD"),
    Column("Type", "contact_type", "the contact type's code: client, prospect, supplier..."),
    Column("Stage", "stage", "the stage's name"),
    Column("Currency", "currency", "ISO 4217 code"),
    Column("Priority", "priority", "a whole number"),
    Column("Assigned to", "assigned_to", "a username"),
    Column("Visibility", "visibility", "public, project or private"),
    Column("Projects", "projects", "project identifiers, '; '-separated"),
    Column("Tags", "tags", "tag names, '; '-separated"),
)
TRAILING_COLUMNS: tuple[Column, ...] = (
    Column("Created", "created_at", "ISO 8601, written only"),
    Column("Updated", "updated_at", "ISO 8601, written only"),
)
KIND_PERSON, KIND_COMPANY = "person", "company"

# Item kinds in the order their columns come, with the word their headers use.
ITEM_KINDS: dict[str, str] = {
    ContactItem.Kind.TEL: "Phone",
    ContactItem.Kind.EMAIL: "Email",
    ContactItem.Kind.URL: "Website",
    ContactItem.Kind.SKYPE: "Skype",
    ContactItem.Kind.MESSENGER: "Messenger",
    ContactItem.Kind.SOCIAL: "Social",
}
# The parts of a numbered address, in column order, with the Address field each carries.
ADDRESS_PARTS: dict[str, str] = {
    "street": "street1",
    "street 2": "street2",
    "city": "city",
    "region": "region",
    "postcode": "postcode",
    "country": "country",
    "type": "context",
}
CUSTOM_PREFIX = "Custom: "

ITEM_CONTEXTS = frozenset(ContactItem.Context.values)
TEL_TYPES = frozenset(ContactItem.TelType.values)
TEL_TYPE_SYNONYMS = {"mobile": ContactItem.TelType.CELL, "phone": ContactItem.TelType.VOICE}
ADDRESS_CONTEXTS = frozenset(Address.Context.values)
SERVICE_KINDS = frozenset({ContactItem.Kind.MESSENGER, ContactItem.Kind.SOCIAL})


@dataclass(frozen=True)
class Header:
    """What a header names.

    - `group="field"`: a fixed column; `name` is the contact field of `FIXED_COLUMNS`/`TRAILING_COLUMNS`;
    - `group="item"`: item `number` (from 1) of `kind`; `name` is "value" or "type";
    - `group="address"`: address `number`; `name` is the Address field (street1... or context for "type");
    - `group="custom"`: a custom field; `name` is the field's name as written.
    """

    group: str
    name: str
    kind: str = ""
    number: int = 0


_FIXED_BY_HEADER = {column.header.lower(): column for column in (*FIXED_COLUMNS, *TRAILING_COLUMNS)}
_KIND_BY_WORD = {word.lower(): kind for kind, word in ITEM_KINDS.items()}
_ITEM_HEADER = re.compile(r"^(?P<word>[a-z]+) (?P<number>[1-9][0-9]{0,3})(?P<type> type)?$")
_ADDRESS_HEADER = re.compile(r"^address (?P<number>[1-9][0-9]{0,3}) (?P<part>.+)$")
_SPACES = re.compile(r"\s+")


def item_header(*, kind: str, number: int, part: str = "value") -> str:
    """The header of item `number` (from 1) of `kind`: "Phone 2" for its value, "Phone 2 type" for its type."""
    base = f"{ITEM_KINDS[kind]} {number}"
    return base if part == "value" else f"{base} type"


def address_header(*, number: int, part: str) -> str:
    """The header of a part (a key of ADDRESS_PARTS: "street", "city"...) of address `number`."""
    if part not in ADDRESS_PARTS:
        raise ValueError(f"{part} is not a part of an address.")
    return f"Address {number} {part}"


def custom_header(*, name: str) -> str:
    return f"{CUSTOM_PREFIX}{name}"


def custom_columns(fields: Iterable[CustomField]) -> list[tuple[str, CustomField]]:
    """(header, field) for the custom fields that hold values, in their order.

    Two fields of the same name would share a header; the later ones get their id: "Custom: Size (#7)".
    """
    columns: list[tuple[str, CustomField]] = []
    seen: set[str] = set()
    for field in fields:
        if field.field_format == CustomField.Format.HEADING:
            continue
        header = custom_header(name=field.name)
        if header.lower() in seen:
            header = custom_header(name=f"{field.name} (#{field.pk})")
        seen.add(header.lower())
        columns.append((header, field))
    return columns


def headers(*, item_counts: dict[str, int], address_count: int, custom_headers: Sequence[str] = ()) -> list[str]:
    """Every header of a file, in order, for the largest number of items of each kind and of addresses."""
    out = [column.header for column in FIXED_COLUMNS]
    for kind in ITEM_KINDS:
        for number in range(1, item_counts.get(kind, 0) + 1):
            out += [item_header(kind=kind, number=number), item_header(kind=kind, number=number, part="type")]
    for number in range(1, address_count + 1):
        out += [address_header(number=number, part=part) for part in ADDRESS_PARTS]
    out += custom_headers
    out += [column.header for column in TRAILING_COLUMNS]
    return out


def parse_header(text: str) -> Header | None:
    """What a header names (see `Header`), or None for a header this format does not know.

    `parse_header("Phone 2 type")` is `Header("item", "type", kind="tel", number=2)`.
    """
    raw = _SPACES.sub(" ", str(text or "").strip())
    key = raw.lower()
    if key in _FIXED_BY_HEADER:
        return Header("field", _FIXED_BY_HEADER[key].field)
    if key.startswith(CUSTOM_PREFIX.lower()):
        name = raw[len(CUSTOM_PREFIX) :].strip()
        return Header("custom", name) if name else None
    if match := _ADDRESS_HEADER.match(key):
        part = ADDRESS_PARTS.get(match["part"])
        return Header("address", part, number=int(match["number"])) if part else None
    if (match := _ITEM_HEADER.match(key)) and match["word"] in _KIND_BY_WORD:
        name = "type" if match["type"] else "value"
        return Header("item", name, kind=_KIND_BY_WORD[match["word"]], number=int(match["number"]))
    return None


@dataclass(frozen=True)
class ItemType:
    """An item's or an address's type, read from its words."""

    context: str
    tel_type: str = ""
    service: str = ""
    is_primary: bool = False


def item_type_text(*, kind: str, context: str, tel_type: str = "", service: str = "", is_primary: bool = False) -> str:
    """The type column of an item: "work cell", "home", "work jabber primary"."""
    words = [context]
    if kind == ContactItem.Kind.TEL and tel_type:
        words.append(tel_type)
    elif kind in SERVICE_KINDS and service:
        words.append(service)
    if is_primary:
        words.append(PRIMARY)
    return " ".join(word for word in words if word)


def address_type_text(*, context: str, is_primary: bool = False) -> str:
    """The type column of an address: "work", "billing primary"."""
    return f"{context} {PRIMARY}" if is_primary else context


def parse_item_type(*, kind: str, text: str) -> ItemType:
    """The context, line kind, service and primary flag in an item's type column.

    Words may come in any order and any case; an empty type is a work item (the model's default).
    Raises ValueError naming the word this format does not know for the kind.
    """
    context, tel_type, service, primary = "", "", "", False
    for word in str(text or "").lower().split():
        if word == PRIMARY:
            primary = True
        elif word in ITEM_CONTEXTS and not context:
            context = word
        elif kind == ContactItem.Kind.TEL and (word in TEL_TYPES or word in TEL_TYPE_SYNONYMS) and not tel_type:
            tel_type = TEL_TYPE_SYNONYMS.get(word, word)
        elif kind in SERVICE_KINDS and not service:
            service = word
        else:
            raise ValueError(f"{word} is not a type of {ITEM_KINDS.get(kind, kind).lower()} this format knows.")
    if kind == ContactItem.Kind.TEL and not tel_type:
        tel_type = ContactItem.TelType.VOICE
    return ItemType(context or ContactItem.Context.WORK, tel_type, service, primary)


def parse_address_type(text: str) -> ItemType:
    """The context and primary flag in an address's type column (empty: work)."""
    context, primary = "", False
    for word in str(text or "").lower().split():
        if word == PRIMARY:
            primary = True
        elif word in ADDRESS_CONTEXTS and not context:
            context = word
        else:
            raise ValueError(f"{word} is not a type of address this format knows.")
    return ItemType(context or Address.Context.WORK, is_primary=primary)


def neutralize_cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula: "+1 202 555 0143" is written "'+1 202 555 0143"."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def restore_cell(text: str) -> str:
    """The value of a cell as an export wrote it: the quote before a formula's first character taken off."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


def join_list(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def parse_list(text: str) -> list[str]:
    """The values of a list cell ("; "-separated; a bare ";" separates too), without blanks."""
    return [part.strip() for part in str(text or "").split(LIST_SEPARATOR.strip()) if part.strip()]


def kind_text(*, is_company: bool) -> str:
    return KIND_COMPANY if is_company else KIND_PERSON


def parse_kind(text: str) -> bool:
    """Whether a Kind cell names a company; an empty one is a person. Raises ValueError otherwise."""
    word = str(text or "").strip().lower()
    if word in ("", KIND_PERSON):
        return False
    if word == KIND_COMPANY:
        return True
    raise ValueError(f"Kind must be {KIND_PERSON} or {KIND_COMPANY}, not {text}.")


def custom_cell(*, field: CustomField, stored: str) -> str:
    """A custom value's cell from its stored text: yes/no for a boolean, a "; "-list for a multi-list,
    else the stored text (numbers and dates are stored in their canonical form already)."""
    if stored == "":
        return ""
    if field.field_format == CustomField.Format.BOOLEAN:
        return "yes" if stored == "1" else "no"
    if field.field_format == CustomField.Format.MULTI_LIST:
        return join_list(field.from_storage(stored))
    return stored


def parse_custom_cell(*, field: CustomField, text: str) -> Any:
    """A custom value's cell as `CustomField.to_storage` takes it (a list for a multi-list)."""
    if field.field_format == CustomField.Format.MULTI_LIST:
        return parse_list(text)
    return text
