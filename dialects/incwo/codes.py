"""incwo's code tables (seed 002, "Possible values of ..."), mapped onto the domain both ways.

The seed prints two numeric lists under each other's titles: the one it calls
`contact_item_type` (20, 21, 22) holds address types, and the one it calls
`contact_address_type` (23..554, 430..457) holds contact item types, as
incwo's own replies show (`docs/incwo.md`, "Codes"). Every incwo code maps
onto one domain value and back to the same code; a domain value incwo has no
code for maps to the nearest code, or to none.
"""

from __future__ import annotations

from dataclasses import dataclass

from contacts.models import Address, ContactItem

Kind, TelType, ItemContext = ContactItem.Kind, ContactItem.TelType, ContactItem.Context

# civility_label_id: 17 Mr, 18 Madam, 19 Miss, stored as the contact's salutation.
CIVILITIES: dict[int, str] = {17: "Mr", 18: "Mrs", 19: "Miss"}
SALUTATION_CODES: dict[str, int] = {
    "mr": 17,
    "mr.": 17,
    "m": 17,
    "m.": 17,
    "monsieur": 17,
    "mrs": 18,
    "mrs.": 18,
    "ms": 18,
    "ms.": 18,
    "madam": 18,
    "mme": 18,
    "madame": 18,
    "miss": 19,
    "mlle": 19,
    "mademoiselle": 19,
}

# contact_type / firm_type words onto ContactType codes; the others are the same word.
TYPE_TO_DOMAIN: dict[str, str] = {"perso": "personal"}
DOMAIN_TO_TYPE: dict[str, str] = {domain: word for word, domain in TYPE_TO_DOMAIN.items()}
TYPES = ("client", "prospect", "supplier", "press", "partner", "staff", "perso", "other")

# address_type onto Address.context.
ADDRESS_TYPES: dict[int, str] = {20: Address.Context.HOME, 21: Address.Context.WORK, 22: Address.Context.OTHER}
ADDRESS_CODES: dict[str, int] = {context: code for code, context in ADDRESS_TYPES.items()}
OTHER_ADDRESS = 22


@dataclass(frozen=True)
class ItemType:
    """What a contact item's type_id means in the domain."""

    kind: str
    tel_type: str = ""
    context: str = ItemContext.WORK
    service: str = ""
    is_primary: bool = False

    def fields(self) -> dict[str, object]:
        """The ContactItem fields this type sets (is_primary only for phones: 471 is the main one)."""
        fields: dict[str, object] = {
            "kind": self.kind,
            "tel_type": self.tel_type,
            "context": self.context,
            "service": self.service,
        }
        if self.kind == Kind.TEL:
            fields["is_primary"] = self.is_primary
        return fields


HOME, WORK = ItemContext.HOME, ItemContext.WORK
ITEM_TYPES: dict[int, ItemType] = {
    23: ItemType(Kind.TEL, TelType.VOICE, HOME),
    24: ItemType(Kind.TEL, TelType.VOICE, WORK),
    471: ItemType(Kind.TEL, TelType.VOICE, WORK, is_primary=True),
    25: ItemType(Kind.TEL, TelType.FAX, HOME),
    26: ItemType(Kind.TEL, TelType.FAX, WORK),
    28: ItemType(Kind.EMAIL, context=HOME),
    27: ItemType(Kind.EMAIL, context=WORK),
    554: ItemType(Kind.TEL, TelType.CELL, HOME),
    88: ItemType(Kind.TEL, TelType.CELL, WORK),
    430: ItemType(Kind.SKYPE),
    431: ItemType(Kind.MESSENGER, service="yahoo"),
    432: ItemType(Kind.MESSENGER, service="msn"),
    433: ItemType(Kind.MESSENGER, service="aim"),
    457: ItemType(Kind.MESSENGER, service="icq"),
}
MESSENGER_CODES: dict[str, int] = {t.service: code for code, t in ITEM_TYPES.items() if t.kind == Kind.MESSENGER}
# A type_id without a code here is kept as a messenger item whose service names the code.
UNKNOWN_SERVICE_PREFIX = "incwo:"


def item_type(code: int) -> ItemType:
    """The domain meaning of a type_id; an unknown code is kept, to come back as sent."""
    known = ITEM_TYPES.get(code)
    return known or ItemType(Kind.MESSENGER, service=f"{UNKNOWN_SERVICE_PREFIX}{code}")


def item_code(*, kind: str, tel_type: str, context: str, service: str, is_primary: bool) -> int | None:
    """The type_id of a contact item, or None for an item incwo has no code for (a website)."""
    home = context == HOME
    if kind == Kind.TEL:
        if tel_type == TelType.FAX:
            return 25 if home else 26
        if tel_type == TelType.CELL:
            return 554 if home else 88
        if home:
            return 23
        return 471 if is_primary else 24
    if kind == Kind.EMAIL:
        return 28 if home else 27
    if kind == Kind.SKYPE:
        return 430
    if kind == Kind.MESSENGER:
        if service.startswith(UNKNOWN_SERVICE_PREFIX) and service[len(UNKNOWN_SERVICE_PREFIX) :].isdigit():
            return int(service[len(UNKNOWN_SERVICE_PREFIX) :])
        return MESSENGER_CODES.get(service.lower())
    return None


def item_code_of(item: ContactItem) -> int | None:
    """The type_id of a stored contact item (see `item_code`)."""
    return item_code(
        kind=item.kind, tel_type=item.tel_type, context=item.context, service=item.service, is_primary=item.is_primary
    )


def address_code(context: str) -> int:
    """The address_type of an address context (postal, billing and delivery are "none of above")."""
    return ADDRESS_CODES.get(context, OTHER_ADDRESS)


def civility_code(salutation: str) -> int | str:
    """The civility_label_id of a salutation: a code, a code kept as sent, or "" for none."""
    text = salutation.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return SALUTATION_CODES.get(text.lower(), "")


def salutation_for(code: int) -> str:
    """The salutation stored for a civility_label_id; a code without a name is kept as its digits."""
    return CIVILITIES.get(code, str(code))


def type_word(contact_type_code: str | None) -> str:
    """The contact_type/firm_type word of a ContactType code ("" for none)."""
    if not contact_type_code:
        return ""
    return DOMAIN_TO_TYPE.get(contact_type_code, contact_type_code)


def type_domain_code(word: str) -> str:
    """The ContactType code of a contact_type/firm_type word."""
    return TYPE_TO_DOMAIN.get(word, word)
