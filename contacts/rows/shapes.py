"""The rows themselves: the columns a representation may read, a row class per kind of related row,
`ContactRow`, and countries' names in the active language."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from django.db.models.fields.files import FieldFile
from django.utils.translation import get_language
from django_countries import countries

from contacts.models import Contact, CustomField

# The contact's own columns a representation may read.
CONTACT_FIELDS = (
    "pk",
    "uuid",
    "is_company",
    "salutation",
    "first_name",
    "middle_name",
    "last_name",
    "name",
    "registration_number",
    "vat_number",
    "company_id",
    "job_title",
    "department",
    "background",
    "industry",
    "birthday",
    "contact_type_id",
    "stage_id",
    "currency",
    "priority",
    "avatar",
    "author_id",
    "assigned_to_id",
    "visibility",
    "display_name",
    "created_at",
    "updated_at",
)


# The rows joined to a contact (one LEFT JOIN each): their key, the contact's foreign key, and
# the columns read from them.
USER_FIELDS = ("first_name", "last_name", "username")


CHOICE_FIELDS = ("name", "description", "color", "position")


JOINED = (
    ("company", "company_id", ("is_company", "display_name", "avatar", "visibility", "currency", "deleted_at")),
    ("author", "author_id", USER_FIELDS),
    ("assigned_to", "assigned_to_id", USER_FIELDS),
    ("contact_type", "contact_type_id", ("code", *CHOICE_FIELDS)),
    ("stage", "stage_id", CHOICE_FIELDS),
)


JOINED_NAMES = tuple(key for key, _, _ in JOINED)


# What `contacts.selectors.contact_annotate_for_display` adds, copied from an instance that has it.
DISPLAY_ANNOTATIONS = (
    "can_edit",
    "can_delete",
    "company_visible",
    "persons_count",
    "company_can_edit",
    "company_can_delete",
)


# The kinds of related rows `contact_rows` can read, one query each.
RELATED = frozenset({"items", "addresses", "custom_values", "tags", "projects", "access_list"})


@lru_cache(maxsize=1024)
def _country_name(code: str, language: str | None) -> str:
    return str(countries.name(code)) if code else ""


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in `language` (the active one by default; "" for no country), looked up
    once per code and language."""
    if not code:  # no name to look up, nor a language to ask for (a lookup per address of a page)
        return ""
    return _country_name(code, get_language() if language is None else language)


class ItemRow(NamedTuple):
    pk: int
    contact_id: int
    kind: str
    tel_type: str
    context: str
    service: str
    value: str
    is_primary: bool


class AddressRow(NamedTuple):
    pk: int
    contact_id: int
    street1: str
    street2: str
    city: str
    region: str
    postcode: str
    country: str  # the ISO 3166-1 code, "" for none
    context: str
    is_primary: bool
    country_name: str = ""  # the country's name in the language active when the row was made

    @property
    def street(self) -> str:
        if not self.street2:
            return self.street1
        return f"{self.street1}, {self.street2}" if self.street1 else self.street2

    @property
    def full_address(self) -> str:
        parts = (self.street1, self.street2, self.city, self.postcode, self.region, self.country_name)
        return ", ".join(p for p in parts if p)


class CustomValueRow(NamedTuple):
    contact_id: int
    field_id: int
    value: str
    field: CustomField


class UserRow(NamedTuple):
    pk: int
    first_name: str
    last_name: str
    username: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_username(self) -> str:
        return self.username


class ProjectRow(NamedTuple):
    pk: int
    name: str


ITEM_FIELDS = ItemRow._fields


# An address's columns (the row's fields but the country's name, which comes from its code).
ADDRESS_FIELDS = AddressRow._fields[:-1]


CUSTOM_FIELD_FIELDS = ("name", "field_format", "choices", "position", "applies_to")


class ContactRow(SimpleNamespace):
    """A contact as a dialect shows it: its columns, its joined rows (`company`, `author`,
    `assigned_to`, `contact_type`, `stage`: rows or None), the queryset's annotations and the
    related rows read (`items`, `addresses`, `custom_values`, `tags`: names in display order,
    `projects`, `access_list`: users, filled for private contacts only)."""

    @property
    def primary_address(self) -> AddressRow | None:
        for address in self.addresses:
            if address.is_primary:
                return address
        return self.addresses[0] if self.addresses else None

    @property
    def live_company(self) -> ContactRow | None:
        company = self.company
        return company if company is not None and company.deleted_at is None else None

    @property
    def company_name(self) -> str:
        company = self.live_company
        return company.display_name if company is not None else ""


def _avatar(name: str | None) -> FieldFile | str:
    """The stored image as the model's field gives it (its `.url` from the storage), or ""."""
    if not name:
        return ""
    return FieldFile(None, Contact._meta.get_field("avatar"), name)
