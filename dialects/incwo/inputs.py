"""incwo request bodies (seed 002, "Object data") validated and renamed to `contacts.services` arguments.

The serializers map incwo's names and value formats onto the domain's and
nothing else: codes through `codes.py`, countries and empty text through
`fields.py`. Only what a body holds is passed on, so a PUT changes only what it
sends; nested items and addresses are merged (with an `id`: that row is
updated; without: one is added; rows not sent stay).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from rest_framework import serializers

from contacts.models import Address, Contact, ContactItem
from dialects.incwo.codes import (
    ADDRESS_TYPES,
    OTHER_ADDRESS,
    address_code,
    civility_code,
    item_code_of,
    item_type,
    salutation_for,
    type_domain_code,
)
from dialects.incwo.fields import BlankIntegerField, CountryField, TextField

ADDRESS_NAMES = {"street_address": "street1", "street_address2": "street2", "zip_code": "postcode", "city": "city"}


def given(data: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The domain fields of the incwo names present in `data`."""
    return {domain: data[name] for name, domain in names.items() if name in data}


class ItemInputSerializer(serializers.Serializer):
    id = BlankIntegerField(required=False, min_value=1)
    type_id = BlankIntegerField(required=False, min_value=1)
    value = TextField(required=False, max_length=255)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("id") is None and data.get("type_id") is None:
            raise serializers.ValidationError({"type_id": ["Type id cannot be blank."]})
        return data

    @staticmethod
    def entry(data: Mapping[str, Any], current: ContactItem | None = None) -> dict[str, Any]:
        """The `contacts.services` item of one validated `<contact_item>`; `current` is the stored row
        of its id. A type_id equal to the one the row shows changes nothing (a pager read as 24
        and written back as 24 stays a pager)."""
        entry: dict[str, Any] = {"id": data["id"]} if data.get("id") is not None else {}
        if current is not None and data.get("type_id") == item_code_of(current):
            data = {name: value for name, value in data.items() if name != "type_id"}
        if data.get("type_id") is not None:
            entry |= item_type(data["type_id"]).fields()
        if "value" in data:
            entry["value"] = data["value"]
        return entry


class AddressInputSerializer(serializers.Serializer):
    id = BlankIntegerField(required=False, min_value=1)
    address_type = BlankIntegerField(required=False)
    street_address = TextField(required=False, max_length=255)
    street_address2 = TextField(required=False, max_length=255)
    zip_code = TextField(required=False, max_length=30)
    city = TextField(required=False, max_length=255)
    country = CountryField(required=False)

    def validate_address_type(self, value: int | None) -> int | None:
        if value is not None and value not in ADDRESS_TYPES:
            codes = ", ".join(str(code) for code in ADDRESS_TYPES)
            raise serializers.ValidationError(f"Address type must be one of {codes}.")
        return value

    @staticmethod
    def entry(data: Mapping[str, Any], current: Address | None = None) -> dict[str, Any]:
        """The `contacts.services` address of one validated `<contact_address>`; as for items, the
        address_type the stored row already shows changes nothing (a postal address stays one)."""
        entry: dict[str, Any] = {"id": data["id"]} if data.get("id") is not None else {}
        if current is not None and data.get("address_type") == address_code(current.context):
            data = {name: value for name, value in data.items() if name != "address_type"}
        if data.get("address_type") is not None:
            entry["context"] = ADDRESS_TYPES[data["address_type"]]
        elif data.get("id") is None:
            entry["context"] = ADDRESS_TYPES[OTHER_ADDRESS]
        entry |= given(data, ADDRESS_NAMES)
        if "country" in data:
            entry["country"] = data["country"]
        return entry


class RecordInputSerializer(serializers.Serializer):
    """What contacts and firms share: the type word and the nested blocks."""

    type_field = ""
    names: Mapping[str, str] = {}

    contact_addresses = serializers.ListField(child=AddressInputSerializer(), required=False, allow_null=True)
    contact_items = serializers.ListField(child=ItemInputSerializer(), required=False, allow_null=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        word = (data.get(self.type_field) or "").strip()
        if word:
            try:
                validate_slug(word)
            except DjangoValidationError:
                message = "must be a word of letters, digits, - or _ (client, prospect, supplier...)."
                raise serializers.ValidationError({self.type_field: [message]}) from None
        return data

    def service_arguments(self, *, contact: Contact | None = None) -> dict[str, Any]:
        """Keyword arguments of `contacts.services.contact_save_with_type_code` (`contact`: the
        stored record an update changes, with its items and addresses prefetched)."""
        data = self.validated_data
        items = {row.pk: row for row in contact.items.all()} if contact is not None else {}
        addresses = {row.pk: row for row in contact.addresses.all()} if contact is not None else {}
        arguments: dict[str, Any] = {"fields": given(data, self.names)}
        if data.get(self.type_field) is not None:
            word = data[self.type_field].strip()
            arguments["contact_type_code"] = type_domain_code(word) if word else ""
        if data.get("contact_items") is not None:
            arguments["items"] = [
                ItemInputSerializer.entry(entry, items.get(entry.get("id"))) for entry in data["contact_items"]
            ]
        if data.get("contact_addresses") is not None:
            arguments["addresses"] = [
                AddressInputSerializer.entry(entry, addresses.get(entry.get("id")))
                for entry in data["contact_addresses"]
            ]
        return arguments


class ContactInputSerializer(RecordInputSerializer):
    """A `<contact>`; `firm_id` is checked by the view (a firm of the same business file)."""

    type_field = "contact_type"
    names = {
        "last_name": "last_name",
        "first_name": "first_name",
        "comment": "background",
        "job_title": "job_title",
        "job_department": "department",
    }

    civility_label_id = BlankIntegerField(required=False, min_value=0, max_value=10**9)
    last_name = TextField(required=False, max_length=255)
    first_name = TextField(required=False, max_length=255)
    comment = TextField(required=False)
    job_title = TextField(required=False, max_length=255)
    job_department = TextField(required=False, max_length=255)
    country = CountryField(required=False)
    contact_type = TextField(required=False, max_length=30)
    firm_id = BlankIntegerField(required=False, min_value=1)

    def service_arguments(self, *, contact: Contact | None = None) -> dict[str, Any]:
        """As the base, plus civility and the contact's `country`, which is its primary address's
        (`docs/incwo.md`, "Contacts"): it fills addresses sent without one, else goes to the
        primary address, else makes an address of its own. A civility equal to the one the
        contact shows changes nothing (an empty one keeps a salutation incwo has no code for)."""
        arguments = super().service_arguments(contact=contact)
        data = self.validated_data
        primary_address = contact.primary_address if contact is not None else None
        code = data.get("civility_label_id", "")
        shown = civility_code(contact.salutation) if contact is not None else None
        if "civility_label_id" in data and (code if code is not None else "") != shown:
            arguments["fields"]["salutation"] = "" if code is None else salutation_for(code)
        country = data.get("country")
        if country:
            if "addresses" in arguments:
                for entry in arguments["addresses"]:
                    entry.setdefault("country", country)
            elif primary_address is not None:
                arguments["addresses"] = [{"id": primary_address.pk, "country": country}]
            else:
                arguments["addresses"] = [{"context": ADDRESS_TYPES[OTHER_ADDRESS], "country": country}]
        return arguments


class FirmInputSerializer(RecordInputSerializer):
    """A `<firm>`: a company."""

    type_field = "firm_type"
    names = {"name": "name", "siren": "registration_number", "tva": "vat_number"}

    name = TextField(required=False, max_length=255)
    firm_type = TextField(required=False, max_length=30)
    siren = TextField(required=False, max_length=50)
    tva = TextField(required=False, max_length=50)
