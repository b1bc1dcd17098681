"""One import row checked against the rules a contact obeys, as plain values ready for the bulk writer.

The rules are those of the models and services (contacts.models, contacts.services): a person
needs a first or a last name and a company its name; text fits its column; an email passes
Django's EmailValidator, a website its URLValidator (written with or without https://), a phone
`normalize_phone`; a custom value its field's `to_storage`; a currency is three letters, a country
an ISO code or a country name. Values that name other records (type, stage, assignee, projects)
are looked up in dictionaries read once per import; a type or stage the list lacks is added to it,
as the API does with a type code.

Nothing here writes contacts: `RowPreparer.prepare` returns a `PreparedRow` or the row's errors,
each naming the column it comes from. The words and formats of single cells (item types, lists,
birthdays, web addresses) are read by contacts.importers.cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.text import slugify
from django_countries import countries

from contacts.importers.cells import (
    ADDRESS_CONTEXTS,
    COMPANY_WORDS,
    KIND_WORDS,
    PRIMARY_WORDS,
    parse_birthday,
    parse_item_type,
    split_list,
    url_ok,
)
from contacts.importers.mapping import JOINABLE, target_label, target_parse
from contacts.models import (
    Address,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    Visibility,
    normalize_phone,
)
from contacts.services import MAX_TAG_LENGTH, contact_type_for_code
from projects.models import Project
from projects.selectors import project_list_writable

User = get_user_model()


CONTACT_TEXT_LIMITS = {
    f.name: f.max_length for f in Contact._meta.concrete_fields if f.get_internal_type() == "CharField" and f.max_length
}


ADDRESS_LIMITS = {name: Address._meta.get_field(name).max_length for name in Address.ADDRESS_FIELDS}


ITEM_LIMIT = ContactItem._meta.get_field("value").max_length


SERVICE_LIMIT = ContactItem._meta.get_field("service").max_length


KIND_ORDER = {kind: index for index, kind in enumerate(("tel", "email", "url", "skype", "messenger", "social"))}


GOOGLE_SYSTEM_GROUPS = {"* mycontacts", "* starred", "* other contacts"}


_EMAIL = EmailValidator()


_EMAIL_USER = re.compile(_EMAIL.user_regex.pattern, _EMAIL.user_regex.flags).match


@dataclass(slots=True)
class PreparedRow:
    """A checked row: the contact's own columns and its children as plain values."""

    number: int
    is_company: bool
    fields: dict[str, Any]  # Contact column → value, only those the row gives
    company: str = ""  # a person's company, by name
    # (kind, tel_type, context, service, value, normalized, is_primary), in display order
    items: list[tuple] = field(default_factory=list)
    # (street1, street2, city, region, postcode, country, context, is_primary)
    addresses: list[tuple] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    projects: list[int] = field(default_factory=list)
    custom: dict[int, str] = field(default_factory=dict)  # field id → stored text
    match: str = ""  # the value of the column update mode matches on
    cells: list[str] = field(default_factory=list)


RowErrors = list[tuple[str, str]]  # (column, message)


class MissingReference(Exception):  # noqa: N818 (a signal to the caller, not an error of the row)
    """Raised by a preparer in `defer_missing` mode for a row naming a type or stage its lists lack:
    adding one is a write, which belongs to the importing process (see contacts.importers.running)."""


# Where a target's values go in `RowPreparer.prepare` (see RowPreparer._plan).
_FIELD, _ITEM, _ITEM_TYPE, _ADDRESS, _CUSTOM = range(1, 6)


class RowPreparer:
    """Checks rows of one import; the dictionaries it needs are read once, when it is made.

    `labels` maps each target code to the column it came from (the header), for messages.
    With `create_missing` off (previews), a type or stage the lists lack is accepted, not added.
    With `defer_missing` on (a process that checks rows for another one and never writes), such a
    row raises MissingReference instead, for the writing process to check the row itself.
    """

    def __init__(
        self,
        *,
        user: AbstractBaseUser | None,
        labels: Mapping[str, str],
        match_target: str = "",
        create_missing: bool = True,
    ) -> None:
        self.user = user
        self.labels = dict(labels)
        self.match_target = match_target
        self.create_missing = create_missing
        self.defer_missing = False
        self.custom_fields = {f.pk: f for f in CustomField.objects.all()}
        self.users: dict[str, int] = {}
        for pk, username, email in User.objects.values_list("pk", "username", "email"):
            if email:
                self.users.setdefault(email.lower(), pk)
            self.users[username.lower()] = pk
        writable = Project.objects.all() if user is None else project_list_writable(user=user)
        self.projects: dict[str, int] = {}
        for pk, identifier, name in writable.values_list("pk", "identifier", "name"):
            self.projects.setdefault(name.lower(), pk)
            self.projects[identifier.lower()] = pk
        self.types: dict[str, int] = {}
        for pk, code, name in ContactType.objects.values_list("pk", "code", "name"):
            self.types.setdefault(name.lower(), pk)
            self.types[code.lower()] = pk
        self.stages = {name.lower(): pk for pk, name in ContactStage.objects.values_list("pk", "name")}
        self.countries = {code.lower(): code for code, _ in countries}
        for code, name in countries:
            self.countries.setdefault(str(name).lower(), code)
        self.plans: dict[str, tuple[int, Any, str, str, str]] = {}
        self.phones: dict[str, str | ValidationError] = {}
        self.region = getattr(settings, "PHONE_DEFAULT_REGION", "US")
        self.item_types: dict[tuple[str, str], tuple[str, str, str, bool]] = {}
        self.domains: dict[str, bool] = {}

    def label(self, code: str) -> str:
        if code not in self.labels:
            self.labels[code] = target_label(code, custom_fields=self.custom_fields)
        return self.labels[code]

    def prepare(self, number: int, values: Mapping[str, str]) -> tuple[PreparedRow | None, RowErrors]:
        """The checked row, or None and its errors."""
        errors: RowErrors = []
        given: dict[str, str] = {}
        items: dict[tuple[str, int], dict[str, str]] = {}
        addresses: dict[int, dict[str, str]] = {}
        custom: dict[int, tuple[str, str]] = {}
        plans = self.plans
        for code, raw in values.items():
            plan = plans.get(code)
            if plan is None:
                plan = plans[code] = self._plan(code)
            where, key, part, label, default = plan
            value = raw.strip()
            if where == _FIELD:
                if key in JOINABLE and given.get(key):
                    value = given[key] + JOINABLE[key] + value
                given[key] = value
            elif where == _ITEM:
                slot = items.get(key)
                if slot is None:
                    slot = items[key] = {"label": "", "default": ""}
                slot["value"], slot["label"], slot["default"] = value, label, default
            elif where == _ITEM_TYPE:
                slot = items.get(key)
                if slot is None:
                    slot = items[key] = {"label": "", "default": ""}
                slot["type"] = value
            elif where == _ADDRESS:
                slot = addresses.get(key)
                if slot is None:
                    slot = addresses[key] = {"label": label, "default": default}
                slot[part] = value
            elif where == _CUSTOM:
                custom[key] = (value, label)
        row = PreparedRow(number=number, is_company=False, fields={})
        self._contact(row, given, errors)
        self._items(row, items, errors)
        self._addresses(row, addresses, errors)
        self._custom(row, custom, errors)
        if self.match_target:
            row.match = self._match_value(values)
        return (None, errors) if errors else (row, errors)

    def _plan(self, code: str) -> tuple[int, Any, str, str, str]:
        """Where a target code's values go, read once per code: (where, key, address part, label, default type)."""
        target = target_parse(code)
        if target is None:
            return 0, None, "", "", ""
        if target.field:
            return _FIELD, target.field, "", "", ""
        if target.kind:
            if target.is_type:
                return _ITEM_TYPE, (target.kind, target.number), "", "", ""
            return _ITEM, (target.kind, target.number), "", self.label(code), target.default
        if target.part:
            return _ADDRESS, target.number, target.part, self.label(code), target.default
        if target.custom:
            return _CUSTOM, target.custom, "", self.label(code), ""
        return 0, None, "", "", ""

    def _contact(self, row: PreparedRow, given: dict[str, str], errors: RowErrors) -> None:
        kind = given.get("kind", "").lower()
        if kind and kind not in KIND_WORDS:
            errors.append((self.label("kind"), f"{given['kind']} is neither person nor company."))
        if given.get("full_name") and not (given.get("first_name") or given.get("last_name")):
            first, _, last = given["full_name"].rpartition(" ")
            given["first_name"], given["last_name"] = first.strip(), last.strip()
        has_person_name = bool(given.get("first_name") or given.get("last_name"))
        row.is_company = kind in COMPANY_WORDS or (not kind and bool(given.get("name")) and not has_person_name)
        fields = row.fields
        if row.is_company:
            if not given.get("name"):
                errors.append((self.label("name"), "A company needs its name."))
            if given.get("company"):
                errors.append((self.label("company"), "A company cannot belong to another company."))
            names = ("name",)
        else:
            if not has_person_name:
                errors.append((self.label("last_name"), "A person needs a first or a last name."))
            names = ("salutation", "first_name", "middle_name", "last_name")
            row.company = given.get("company", "")
            if len(row.company) > CONTACT_TEXT_LIMITS["name"]:
                errors.append((self.label("company"), f"Too long ({CONTACT_TEXT_LIMITS['name']} characters at most)."))
        for name in (*names, "job_title", "department", "industry", "background", "currency"):
            if name in given and given[name] != "":
                fields[name] = given[name]
        for name, value in fields.items():
            limit = CONTACT_TEXT_LIMITS.get(name)
            if limit and len(value) > limit:
                errors.append((self.label(name), f"Too long ({limit} characters at most)."))
        if "currency" in fields:
            fields["currency"] = fields["currency"].upper()
            if len(fields["currency"]) != 3 or not fields["currency"].isalpha():
                errors.append((self.label("currency"), "A currency is a three-letter ISO 4217 code, such as EUR."))
        if value := given.get("birthday"):
            try:
                fields["birthday"] = parse_birthday(value)
            except ValueError as exc:
                errors.append((self.label("birthday"), str(exc)))
        if value := given.get("priority"):
            try:
                fields["priority"] = int(value)
            except ValueError:
                errors.append((self.label("priority"), f"{value} is not a whole number."))
        if value := given.get("visibility"):
            if value.lower() in Visibility.values:
                fields["visibility"] = value.lower()
            else:
                errors.append((self.label("visibility"), f"Visibility is one of {', '.join(Visibility.values)}."))
        if value := given.get("assigned_to"):
            if value.lower() in self.users:
                fields["assigned_to_id"] = self.users[value.lower()]
            else:
                errors.append((self.label("assigned_to"), f"There is no user {value}."))
        if value := given.get("contact_type"):
            fields["contact_type_id"] = self._type(value, errors)
        if value := given.get("stage"):
            fields["stage_id"] = self._stage(value, errors)
        if value := given.get("projects"):
            for name in split_list(value):
                if name.lower() in self.projects:
                    row.projects.append(self.projects[name.lower()])
                else:
                    errors.append((self.label("projects"), f"There is no project {name} you may add contacts to."))
        if value := given.get("tags"):
            seen = set()
            for name in split_list(value):
                if name.lower() in GOOGLE_SYSTEM_GROUPS or name.lower() in seen:
                    continue
                if len(name) > MAX_TAG_LENGTH:
                    errors.append((self.label("tags"), f"Tag {name[:20]}... is too long ({MAX_TAG_LENGTH} at most)."))
                    continue
                seen.add(name.lower())
                row.tags.append(name)

    def _type(self, value: str, errors: RowErrors) -> int | None:
        key = value.lower()
        if key not in self.types:
            if not self.create_missing:
                return None
            if self.defer_missing:
                raise MissingReference(value)
            try:
                self.types[key] = contact_type_for_code(code=slugify(value)[:30] or key).pk
            except ValidationError as exc:
                errors.append((self.label("contact_type"), " ".join(exc.messages)))
                return None
        return self.types[key]

    def _stage(self, value: str, errors: RowErrors) -> int | None:
        key = value.lower()
        if key not in self.stages:
            if not self.create_missing:
                return None
            if self.defer_missing:
                raise MissingReference(value)
            stage = ContactStage(name=value)
            try:
                stage.full_clean()
            except ValidationError as exc:
                errors.append((self.label("stage"), " ".join(exc.messages)))
                return None
            stage.save()
            self.stages[key] = stage.pk
        return self.stages[key]

    def _items(self, row: PreparedRow, slots: dict[tuple[str, int], dict[str, str]], errors: RowErrors) -> None:
        for (kind, _), slot in sorted(slots.items(), key=lambda entry: (KIND_ORDER[entry[0][0]], entry[0][1])):
            value = slot.get("value", "")
            if not value:
                continue
            label = slot["label"]
            words = slot.get("type") or slot["default"]
            parsed = self.item_types.get((words, kind))
            if parsed is None:
                if len(self.item_types) > 10_000:
                    self.item_types.clear()
                parsed = self.item_types[(words, kind)] = parse_item_type(words, kind=kind)
            context, tel_type, service, primary = parsed
            if len(value) > ITEM_LIMIT:
                errors.append((label, f"Too long ({ITEM_LIMIT} characters at most)."))
                continue
            if len(service) > SERVICE_LIMIT:
                errors.append((label, f"The service {service[:20]} is too long."))
                continue
            if kind == "tel":
                normalized = self._phone(value)
                if isinstance(normalized, ValidationError):
                    errors.append((label, f"{value} is not a phone number."))
                    continue
            elif kind == "email":
                if not self._email_ok(value):
                    errors.append((label, f"{value} is not a valid email address."))
                    continue
                normalized = value.lower()
            elif kind == "url":
                if not url_ok(value):
                    errors.append((label, f"{value} is not a valid web address."))
                    continue
                normalized = value.lower()
            else:
                normalized = value.lower()
            row.items.append((kind, tel_type, context, service, value, normalized, primary))

    def _phone(self, value: str) -> str | ValidationError:
        found = self.phones.get(value)
        if found is None:
            if len(self.phones) > 50_000:
                self.phones.clear()
            try:
                found = normalize_phone(value, region=self.region)
            except ValidationError as exc:
                found = exc
            self.phones[value] = found
        return found

    def _email_ok(self, value: str) -> bool:
        """EmailValidator's own test, with the verdict on each domain kept for the import."""
        if "@" not in value or len(value) > 320:
            return False
        user_part, domain = value.rsplit("@", 1)
        if not _EMAIL_USER(user_part):
            return False
        verdict = self.domains.get(domain)
        if verdict is None:
            verdict = self.domains[domain] = domain in _EMAIL.domain_allowlist or _EMAIL.validate_domain_part(domain)
        return verdict

    def _addresses(self, row: PreparedRow, slots: dict[int, dict[str, str]], errors: RowErrors) -> None:
        for _, slot in sorted(slots.items()):
            parts = {name: slot.get(name, "") for name in Address.ADDRESS_FIELDS}
            if not any(parts.values()):
                continue
            label = slot["label"]
            words = (slot.get("type") or slot["default"] or "work").lower().split()
            contexts = [w if w != "business" else "work" for w in words if w in ADDRESS_CONTEXTS]
            primary = any(w in PRIMARY_WORDS for w in words)
            if country := parts["country"]:
                code = self.countries.get(country.lower())
                if code is None:
                    errors.append((label, f"{country} is not a country (write its name or ISO code)."))
                    continue
                parts["country"] = code
            too_long = [name for name, value in parts.items() if len(value) > ADDRESS_LIMITS[name]]
            if too_long:
                errors.append((label, f"The {too_long[0]} is too long ({ADDRESS_LIMITS[too_long[0]]} at most)."))
                continue
            row.addresses.append((*parts.values(), contexts[0] if contexts else "work", primary))

    def _custom(self, row: PreparedRow, values: dict[int, tuple[str, str]], errors: RowErrors) -> None:
        for pk, (value, label) in values.items():
            field = self.custom_fields.get(pk)
            if field is None:
                errors.append((label, "That custom field no longer exists."))
                continue
            if value == "":
                continue
            if not applies_to(field, is_company=row.is_company):
                kind = "companies" if row.is_company else "persons"
                errors.append((label, f"{field.name} does not apply to {kind}."))
                continue
            if field.is_multiple:
                value = [part.strip() for part in value.split(";") if part.strip()]
            try:
                row.custom[pk] = field.to_storage(value)
            except ValidationError as exc:
                errors.append((label, " ".join(exc.messages)))

    def _match_value(self, values: Mapping[str, str]) -> str:
        for code, value in values.items():
            if code.split(":", 1)[0] == self.match_target:
                return value.strip()
        return ""

    def required_errors(self, row: PreparedRow) -> RowErrors:
        """Custom fields a new contact must have: defaults are filled in, a missing required value is an error."""
        errors: RowErrors = []
        for custom in self.custom_fields.values():
            if custom.pk in row.custom or not applies_to(custom, is_company=row.is_company):
                continue
            if custom.default:
                row.custom[custom.pk] = custom.to_storage(custom.default)
            elif custom.is_required and custom.field_format != CustomField.Format.HEADING:
                errors.append((f"Custom: {custom.name}", f"{custom.name} cannot be blank."))
        return errors


def applies_to(field: CustomField, *, is_company: bool) -> bool:
    """CustomField.applies_to_contact without building a contact."""
    if field.applies_to == CustomField.AppliesTo.BOTH:
        return True
    return (field.applies_to == CustomField.AppliesTo.COMPANIES) == is_company


def labels_of(codes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Target code → column header, for the targets a file maps (the first column wins)."""
    labels: dict[str, str] = {}
    for code, header in codes:
        if code:
            labels.setdefault(code, header)
            labels.setdefault(code.split(":", 1)[0], header)
    return labels
