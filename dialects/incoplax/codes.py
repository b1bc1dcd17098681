"""The Incoplax address book's field tables: entity fields, slots, what may be masked, filtered
and sorted, after the seed (contact entity, list parameters) and the vendor's entity pages."""

from __future__ import annotations

from contacts.models import ContactItem
from contacts.slots import Slot

TEL, EMAIL = ContactItem.Kind.TEL, ContactItem.Kind.EMAIL
VOICE, CELL = ContactItem.TelType.VOICE, ContactItem.TelType.CELL
OTHER = ContactItem.Context.OTHER

# The contact's phone and email slots, in the entity's order (also the items' display order).
SLOTS: tuple[Slot, ...] = (
    Slot("number", TEL, VOICE, is_primary=True),
    Slot("numlocal", TEL, VOICE),
    Slot("numpublic", TEL, VOICE),
    Slot("mobile", TEL, CELL),
    Slot("mobile2", TEL, CELL),
    Slot("mobile3", TEL, CELL),
    Slot("roomnum", TEL, VOICE, context=OTHER),
    Slot("roomnum2", TEL, VOICE, context=OTHER),
    Slot("roomnum3", TEL, VOICE, context=OTHER),
    Slot("email", EMAIL),
    Slot("email2", EMAIL),
    Slot("email3", EMAIL),
)
SLOT_NAMES = tuple(slot.name for slot in SLOTS)
SLOT_KINDS = {slot.name: slot.kind for slot in SLOTS}
# Items entered without a slot (the UI, other dialects) fill the first free slot of their kind,
# so filters and LOOKUP on these slots also look at unslotted items (docs/incoplax.md, "Slots").
SLOT_FILTER_SLOTS = {name: (name, "") if name in ("number", "mobile", "email") else (name,) for name in SLOT_NAMES}

# Every field of the contact entity, in the seed's order; dotted names are inside `opts`/`ext`.
CONTACT_FIELDS: tuple[str, ...] = (
    "id",
    "autokey",
    "displayname",
    "department",
    "jobtitle",
    *SLOT_NAMES,
    "photo",
    "opts.title",
    "opts.comment",
    "opts.groups",
    "opts.priority",
    "ext.ct",
    "ext.lwt",
)
# The seed's "available fields for output", which is also the list's default projection.
CONTACT_MASKABLE: tuple[str, ...] = (
    "id",
    "autokey",
    "displayname",
    "department",
    "jobtitle",
    "number",
    "email",
    "opts.groups",
    "opts.priority",
    "ext.ct",
    "ext.lwt",
)
# Entity fields that are plain Contact columns: name -> (column, value type).
CONTACT_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("uuid", "uuid"),
    "autokey": ("pk", "int"),
    "displayname": ("display_name", "str"),
    "department": ("department", "str"),
    "jobtitle": ("job_title", "str"),
    "opts.title": ("salutation", "str"),
    "opts.comment": ("background", "str"),
    "opts.priority": ("priority", "int?"),
}
CONTACT_FILTERABLE = (*CONTACT_COLUMNS, *SLOT_NAMES, "opts.groups")
CONTACT_ORDERING: dict[str, str] = {
    **{name: column for name, (column, _) in CONTACT_COLUMNS.items()},
    "ext.ct": "created_at",
    "ext.lwt": "updated_at",
}

GROUP_FIELDS: tuple[str, ...] = (
    "id",
    "code",
    "name",
    "shortname",
    "opts.title",
    "opts.comment",
    "opts.priority",
    "opts.abonents",
    "opts.abonentcount",
    "ext.ct",
    "ext.lwt",
)
GROUP_MASKABLE: tuple[str, ...] = (
    "id",
    "code",
    "name",
    "shortname",
    "opts.abonentcount",
    "opts.priority",
    "ext.ct",
    "ext.lwt",
)
GROUP_COLUMNS: dict[str, tuple[str, str]] = {"id": ("pk", "group_id"), "code": ("slug", "str"), "name": ("name", "str")}
GROUP_ORDERING = {name: column for name, (column, _) in GROUP_COLUMNS.items()}
# The vendor's default priority of a group; groups keep no priority of their own here.
GROUP_PRIORITY = 1000

COMBINED_FIELDS = ("id", "key", "type", "name", "number")
COMBINED_FILTERABLE = ("id", "key", "name", "number")

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
# The database's integer column (opts.priority).
MAX_INT = 2**31 - 1
