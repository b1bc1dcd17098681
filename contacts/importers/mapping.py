"""Where each column of an import file goes: the import targets, their labels, and the guesser.

A target is a short code:

- a contact field: ``first_name``, ``name`` (a company's own name), ``company`` (a person's
  company, by name), ``tags``, ``projects``, ``assigned_to``... (FIELD_TARGETS), or ``full_name``,
  split into first and last name;
- a numbered item: ``tel.1`` and its type ``tel.1.type`` ("work cell"), likewise ``email``,
  ``url``, ``skype``, ``messenger`` and ``social``;
- a numbered address part: ``address.1.street1`` ... ``address.1.country``, ``address.1.type``;
- a custom field: ``custom.<id>``;
- ``""``: the column is not imported.

An item or address target may end with ``:<type>``, the type its values get when no type column
says otherwise (Outlook's "Mobile Phone" is ``tel.2:work cell``). The guesser reads headers in any
case and punctuation: this CRM's own export headers first, then those of Google Contacts, Outlook,
HubSpot and plain spreadsheets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contacts.models import CustomField

FIELD_TARGETS = {
    "id": "ID",
    "kind": "Kind (person or company)",
    "full_name": "Full name (split into first and last)",
    "salutation": "Salutation",
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "name": "Company name (a company's own name)",
    "company": "Company (a person's company)",
    "job_title": "Job title",
    "department": "Department",
    "industry": "Industry",
    "background": "Background",
    "birthday": "Birthday",
    "contact_type": "Type",
    "stage": "Stage",
    "currency": "Currency",
    "priority": "Priority",
    "assigned_to": "Assigned to",
    "visibility": "Visibility",
    "projects": "Projects",
    "tags": "Tags",
}
ITEM_KINDS = {
    "tel": "Phone",
    "email": "Email",
    "url": "Website",
    "skype": "Skype",
    "messenger": "Messenger",
    "social": "Social",
}
ADDRESS_PARTS = {
    "street1": "street",
    "street2": "street 2",
    "city": "city",
    "region": "region",
    "postcode": "postcode",
    "country": "country",
    "type": "type",
}
# Numbered targets offered in the mapping step beyond those a file uses.
OFFERED_NUMBERS = 3
IGNORE = ""
# Read-only columns of the export: shown, never imported.
READ_ONLY = {"created", "updated", "createdat", "updatedat", "createdate", "lastmodified", "lastmodifieddate"}

TARGET_RE = re.compile(
    r"^(?:(?P<field>[a-z_]+)"
    r"|(?P<kind>tel|email|url|skype|messenger|social)\.(?P<n>[1-9]\d?)(?P<type>\.type)?"
    r"|address\.(?P<an>[1-9]\d?)\.(?P<part>street1|street2|city|region|postcode|country|type)"
    r"|custom\.(?P<custom>\d+))"
    r"(?::(?P<default>[a-z ]+))?$"
)


@dataclass(frozen=True)
class Target:
    """A parsed target code."""

    code: str
    field: str = ""  # a FIELD_TARGETS key
    kind: str = ""  # an item kind, with `number`
    number: int = 0
    is_type: bool = False
    part: str = ""  # an address part, with `number`
    custom: int = 0
    default: str = ""  # the type given by the target itself

    @property
    def base(self) -> str:
        """The code without its default type: two columns may not share a base (except tags and background)."""
        return self.code.split(":", 1)[0]


def target_parse(code: str) -> Target | None:
    """The target a code names, or None when it names none."""
    match = TARGET_RE.match(code)
    if match is None:
        return None
    groups = match.groupdict()
    default = groups["default"] or ""
    if groups["field"]:
        if groups["field"] not in FIELD_TARGETS or default:
            return None
        return Target(code=code, field=groups["field"])
    if groups["kind"]:
        if default and groups["type"]:
            return None
        return Target(
            code=code, kind=groups["kind"], number=int(groups["n"]), is_type=bool(groups["type"]), default=default
        )
    if groups["part"]:
        if default and groups["part"] == "type":
            return None
        return Target(code=code, number=int(groups["an"]), part=groups["part"], default=default)
    return Target(code=code, custom=int(groups["custom"]), default=default)


def target_label(code: str, *, custom_fields: dict[int, CustomField] | None = None) -> str:
    """The label of a target in the mapping step and in messages."""
    target = target_parse(code)
    if target is None or code == IGNORE:
        return "(not imported)"
    if target.field:
        return FIELD_TARGETS[target.field]
    suffix = f" ({target.default})" if target.default else ""
    if target.kind:
        return f"{ITEM_KINDS[target.kind]} {target.number}{' type' if target.is_type else ''}{suffix}"
    if target.part:
        return f"Address {target.number} {ADDRESS_PARTS[target.part]}{suffix}"
    field = (custom_fields or {}).get(target.custom)
    return f"Custom: {field.name if field else target.custom}"


def target_choices(
    *, custom_fields: Iterable[CustomField], numbers: int = OFFERED_NUMBERS, extra: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(code, label) for the mapping step's selects: every field, items and addresses up to `numbers`,
    the custom fields, and the `extra` codes the guess used (numbered higher, or with a default type)."""
    fields = {f.pk: f for f in custom_fields}
    codes = [IGNORE, *FIELD_TARGETS]
    for n in range(1, numbers + 1):
        for kind in ITEM_KINDS:
            codes += [f"{kind}.{n}", f"{kind}.{n}.type"]
    for n in range(1, numbers + 1):
        codes += [f"address.{n}.{part}" for part in ADDRESS_PARTS]
    codes += [f"custom.{pk}" for pk in fields]
    codes += [code for code in extra if code and code not in codes]
    return [(code, target_label(code, custom_fields=fields)) for code in codes]


def header_key(header: str) -> str:
    """A header reduced to lower-case ASCII words separated by one space ("E-mail Address" → "e mail address")."""
    text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _compact(key: str) -> str:
    return key.replace(" ", "")


# Headers without a number, by their compact key: target (items and addresses get a number later).
FIELD_ALIASES = {
    "id": "id",
    "kind": "kind",
    "name": "full_name",
    "fullname": "full_name",
    "displayname": "full_name",
    "contactname": "full_name",
    "contact": "full_name",
    "salutation": "salutation",
    "prefix": "salutation",
    "nameprefix": "salutation",
    "firstname": "first_name",
    "givenname": "first_name",
    "forename": "first_name",
    "first": "first_name",
    "middlename": "middle_name",
    "additionalname": "middle_name",
    "lastname": "last_name",
    "familyname": "last_name",
    "surname": "last_name",
    "last": "last_name",
    "company": "company",
    "companyname": "company",  # a person's company, unless the file also has a Kind column
    "organization": "company",
    "organisation": "company",
    "organizationname": "company",
    "organization1name": "company",
    "account": "company",
    "accountname": "company",
    "jobtitle": "job_title",
    "title": "job_title",
    "position": "job_title",
    "role": "job_title",
    "organizationtitle": "job_title",
    "organization1title": "job_title",
    "department": "department",
    "organizationdepartment": "department",
    "organization1department": "department",
    "industry": "industry",
    "background": "background",
    "notes": "background",
    "note": "background",
    "description": "background",
    "comments": "background",
    "birthday": "birthday",
    "birthdate": "birthday",
    "dateofbirth": "birthday",
    "dob": "birthday",
    "type": "contact_type",
    "contacttype": "contact_type",
    "stage": "stage",
    "lifecyclestage": "stage",
    "leadstatus": "stage",
    "status": "stage",
    "currency": "currency",
    "priority": "priority",
    "assignedto": "assigned_to",
    "assignee": "assigned_to",
    "owner": "assigned_to",
    "contactowner": "assigned_to",
    "visibility": "visibility",
    "projects": "projects",
    "project": "projects",
    "tags": "tags",
    "tag": "tags",
    "categories": "tags",
    "labels": "tags",
    "groupmembership": "tags",
    "groups": "tags",
}
# Item headers without a number: (kind, default type).
ITEM_ALIASES = {
    "email": ("email", ""),
    "emailaddress": ("email", ""),
    "mail": ("email", ""),
    "workemail": ("email", "work"),
    "businessemail": ("email", "work"),
    "homeemail": ("email", "home"),
    "personalemail": ("email", "home"),
    "otheremail": ("email", "other"),
    "phone": ("tel", ""),
    "phonenumber": ("tel", ""),
    "telephone": ("tel", ""),
    "tel": ("tel", ""),
    "primaryphone": ("tel", "work pref"),
    "businessphone": ("tel", "work"),
    "workphone": ("tel", "work"),
    "officephone": ("tel", "work"),
    "companymainphone": ("tel", "work"),
    "mobile": ("tel", "work cell"),
    "mobilephone": ("tel", "work cell"),
    "mobilephonenumber": ("tel", "work cell"),
    "mobilenumber": ("tel", "work cell"),
    "cell": ("tel", "work cell"),
    "cellphone": ("tel", "work cell"),
    "homephone": ("tel", "home"),
    "otherphone": ("tel", "other"),
    "fax": ("tel", "work fax"),
    "faxnumber": ("tel", "work fax"),
    "businessfax": ("tel", "work fax"),
    "homefax": ("tel", "home fax"),
    "pager": ("tel", "work pager"),
    "website": ("url", ""),
    "websiteurl": ("url", ""),
    "webpage": ("url", ""),
    "web": ("url", ""),
    "url": ("url", ""),
    "homepage": ("url", ""),
    "personalwebpage": ("url", "home"),
    "skype": ("skype", ""),
    "messenger": ("messenger", ""),
    "im": ("messenger", ""),
    "imaddress": ("messenger", ""),
    "social": ("social", ""),
    "linkedin": ("social", "work linkedin"),
    "twitter": ("social", "work twitter"),
}
ADDRESS_WORDS = {
    "street": "street1",
    "streetaddress": "street1",
    "address": "street1",
    "address1": "street1",
    "addressline1": "street1",
    "street1": "street1",
    "mailingstreet": "street1",
    "street2": "street2",
    "address2": "street2",
    "addressline2": "street2",
    "extendedaddress": "street2",
    "city": "city",
    "town": "city",
    "state": "region",
    "region": "region",
    "province": "region",
    "stateregion": "region",
    "stateprovince": "region",
    "county": "region",
    "zip": "postcode",
    "zipcode": "postcode",
    "postalcode": "postcode",
    "postcode": "postcode",
    "country": "country",
    "countryregion": "country",
}
ADDRESS_CONTEXTS = {"": "", "business": "work", "work": "work", "office": "work", "home": "home", "other": "other"}
NUMBERED_KINDS = {
    "phone": "tel",
    "email": "email",
    "e mail": "email",
    "website": "url",
    "skype": "skype",
    "messenger": "messenger",
    "im": "messenger",
    "social": "social",
}
# "Phone 1", "Phone 1 type" (this CRM); "Phone 1 - Value", "E-mail 2 - Label" (Google); "E-mail 2 Address" (Outlook)
NUMBERED_ITEM = re.compile(
    r"^(phone|e mail|email|website|skype|messenger|im|social) (\d{1,2})( value| address)?( type| label)?$"
)
NUMBERED_ADDRESS = re.compile(
    r"^address (\d{1,2}) (street 2|street|extended address|city|region|postcode|postal code|country|type|label)$"
)
GOOGLE_ADDRESS_PARTS = {"extended address": "street2", "postal code": "postcode", "label": "type"}


@dataclass
class Guess:
    """The guessed target of each column, and the columns no guess was found for."""

    targets: list[str]
    unknown: list[int]


def guess_mapping(headers: Sequence[str], *, custom_fields: Iterable[CustomField]) -> Guess:
    """The target of each header (see the module docstring); "" for a column that maps nowhere."""
    custom_fields = list(custom_fields)
    by_name = {header_key(f.name): f for f in custom_fields}
    by_id = {f.pk: f for f in custom_fields}
    keys = [header_key(header) for header in headers]
    has_kind = "kind" in keys
    targets: list[str] = [IGNORE] * len(headers)
    unknown: list[int] = []
    used = {kind: set() for kind in ITEM_KINDS} | {"address": set()}
    pending_items: list[tuple[int, str, str]] = []
    pending_addresses: list[tuple[int, str, str]] = []
    for index, (header, key) in enumerate(zip(headers, keys, strict=True)):
        compact = _compact(key)
        if not key or compact in READ_ONLY:
            continue
        if header.strip().lower().startswith("custom:"):
            name = header.split(":", 1)[1]
            by_pk = re.search(r"\(#(\d+)\)\s*$", name)  # the export's "Custom: Size (#7)" for a repeated name
            field = by_id.get(int(by_pk.group(1))) if by_pk else by_name.get(header_key(name))
            if field is not None:
                targets[index] = f"custom.{field.pk}"
            else:
                unknown.append(index)
            continue
        if has_kind and compact == "companyname":
            targets[index] = "name"
            continue
        if compact in FIELD_ALIASES:
            targets[index] = FIELD_ALIASES[compact]
            continue
        if match := NUMBERED_ITEM.match(key):
            kind, number = NUMBERED_KINDS[match.group(1)], int(match.group(2))
            targets[index] = f"{kind}.{number}{'.type' if match.group(4) else ''}"
            used[kind].add(number)
            continue
        if match := NUMBERED_ADDRESS.match(key):
            number, part = int(match.group(1)), match.group(2)
            part = GOOGLE_ADDRESS_PARTS.get(part) or ADDRESS_WORDS.get(_compact(part), "type")
            targets[index] = f"address.{number}.{part}"
            used["address"].add(number)
            continue
        if compact in ITEM_ALIASES:
            kind, default = ITEM_ALIASES[compact]
            pending_items.append((index, kind, default))
            continue
        if (address := _address_alias(key)) is not None:
            pending_addresses.append((index, *address))
            continue
        if compact in by_name:
            targets[index] = f"custom.{by_name[compact].pk}"
            continue
        unknown.append(index)
    for index, kind, default in pending_items:
        number = _next_free(used[kind])
        targets[index] = f"{kind}.{number}" + (f":{default}" if default else "")
    groups: dict[str, int] = {}
    for index, part, context in pending_addresses:
        if context not in groups:
            groups[context] = _next_free(used["address"])
        targets[index] = f"address.{groups[context]}.{part}" + (f":{context}" if context else "")
    return Guess(targets=targets, unknown=unknown)


def _address_alias(key: str) -> tuple[str, str] | None:
    """(part, context) of an address header without a number: "Business Street 2" → ("street2", "work")."""
    words = key.split(" ")
    for cut in (1, 0):
        prefix, rest = " ".join(words[:cut]), "".join(words[cut:])
        if prefix in ADDRESS_CONTEXTS and rest in ADDRESS_WORDS and (cut == 0 or rest):
            return ADDRESS_WORDS[rest], ADDRESS_CONTEXTS[prefix]
    return None


def _next_free(taken: set[int]) -> int:
    number = 1
    while number in taken:
        number += 1
    taken.add(number)
    return number


# Targets that several columns may share: their values are joined.
JOINABLE = {"tags": "; ", "projects": "; ", "background": "\n"}


def mapping_problems(targets: Sequence[str], *, headers: Sequence[str]) -> list[str]:
    """What makes a mapping unusable: unknown targets, two columns on one target, no name at all."""
    problems = []
    seen: dict[str, int] = {}
    for index, code in enumerate(targets):
        if code == IGNORE:
            continue
        target = target_parse(code)
        if target is None:
            problems.append(f"Column {headers[index]!r}: {code!r} is not an import target.")
            continue
        if target.base in seen and target.field not in JOINABLE:
            problems.append(
                f"Columns {headers[seen[target.base]]!r} and {headers[index]!r} both go to {target_label(code)}."
            )
        seen.setdefault(target.base, index)
    fields = {target_parse(code).field for code in targets if code and target_parse(code)}
    if not fields & {"first_name", "last_name", "full_name", "name"}:
        problems.append(
            "No column gives a contact's name: map one to First name, Last name, Full name or Company name."
        )
    return problems


def mapping_override(targets: list[str], *, headers: Sequence[str], overrides: Iterable[str]) -> list[str]:
    """The targets with "Header=target" overrides applied (the command's --map); ValueError names a bad one."""
    targets = list(targets)
    keys = [header_key(header) for header in headers]
    for override in overrides:
        header, sep, code = override.partition("=")
        if not sep:
            raise ValueError(f'--map {override!r}: write it as "Header=target".')
        key = header_key(header)
        if key not in keys:
            raise ValueError(f"--map {override!r}: the file has no column {header.strip()!r}.")
        code = code.strip()
        if code.lower() in ("ignore", "-", "none"):
            code = IGNORE
        if code and target_parse(code) is None:
            raise ValueError(f"--map {override!r}: {code!r} is not an import target (see docs/import.md).")
        targets[keys.index(key)] = code
    return targets
