"""Redmine request bodies validated: the `contact` and `note` hashes of the plugin's API
(docs/redmine.md, "Creating and changing contacts"), turned into `contacts.services` arguments."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from contacts.models import Address, Contact, Note
from contacts.services import split_tag_list
from crm.ids import MAX_ID, parse_id
from dialects.redmine.codes import ITEM_INPUTS, NOTE_KIND_BY_CODE, VISIBILITY_BY_CODE

User = get_user_model()


class CommaListField(serializers.Field):
    """A comma-separated string or a list of strings (the documented phone, email and tag_list)."""

    default_error_messages = {"invalid": "must be a comma-separated string or a list of strings."}

    def to_internal_value(self, data: Any) -> list[str]:
        if data is None:
            return []
        if isinstance(data, str):
            return split_tag_list(data)
        if isinstance(data, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in data):
            return [str(v).strip() for v in data if str(v).strip()]
        self.fail("invalid")
        return []

    def to_representation(self, value: list[str]) -> list[str]:
        return value


class BlankableDateField(serializers.DateField):
    """A date where "" means none, as a cleared Rails form field sends it."""

    def to_internal_value(self, value: Any) -> datetime.date | None:
        return None if value in ("", None) else super().to_internal_value(value)


class AnyValueField(serializers.Field):
    """A custom field's value: a string, a number, a boolean, null or a list of those."""

    default_error_messages = {"invalid": "must be a value or a list of values."}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) or (isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data)):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


def _text(max_length: int | None = 255) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=max_length)


class AddressInputSerializer(serializers.Serializer):
    street1 = _text()
    street2 = _text()
    city = _text()
    region = _text()
    postcode = _text(30)
    country_code = _text(2)


class CustomFieldInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    value = AnyValueField(required=False, allow_null=True)


class ContactInputSerializer(serializers.Serializer):
    """The `contact` hash of a create or update (docs/redmine.md, "Creating and changing contacts")."""

    project_id = serializers.CharField(required=False, allow_blank=True)
    is_company = serializers.BooleanField(required=False)
    first_name = _text()
    last_name = _text()
    middle_name = _text()
    company = _text()
    phone = CommaListField(required=False)
    email = CommaListField(required=False)
    website = _text()
    skype_name = _text()
    birthday = BlankableDateField(required=False, allow_null=True)
    job_title = _text()
    background = _text(None)
    tag_list = CommaListField(required=False)
    address_attributes = AddressInputSerializer(required=False, allow_null=True)
    assigned_to_id = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    custom_fields = CustomFieldInputSerializer(many=True, required=False)
    custom_field_values = serializers.DictField(child=AnyValueField(allow_null=True), required=False)
    visibility = serializers.ChoiceField(choices=sorted(VISIBILITY_BY_CODE), required=False)

    @contextmanager
    def plugin_rules(self, *, creating: bool) -> Iterator[None]:
        """Wrap the service call (inside a transaction) with the plugin's own rules.

        The plugin's Contact validates presence of first_name, a company's name included
        (docs/redmine.md, "Creating and changing contacts"): a create without one, or an update
        that blanks it, is a 422 even where a last name alone would do elsewhere. Its message
        comes first and the service's messages follow, as Rails lists them all at once.
        """
        data = self.validated_data
        missing: dict[str, list[str]] = {}
        if (creating or "first_name" in data) and not (data.get("first_name") or "").strip():
            missing["first_name"] = ["First name cannot be blank."]
        try:
            yield
        except DjangoValidationError as exc:
            if not missing or not hasattr(exc, "error_dict"):
                raise
            raise DjangoValidationError({**missing, **exc.message_dict}) from exc
        if missing:
            raise DjangoValidationError(missing)

    def validate_assigned_to_id(self, value: str | None) -> Any:
        if value in (None, ""):
            return None
        pk = parse_id(value)
        user = User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
        if user is None:
            raise serializers.ValidationError("is invalid.")
        return user

    def service_arguments(self, contact: Contact | None = None) -> dict[str, Any]:
        """Keyword arguments of `contacts.services.contact_save_with_company_name` (projects aside)."""
        data = self.validated_data
        is_company = data.get("is_company", contact.is_company if contact else False)
        fields: dict[str, Any] = {}
        if "is_company" in data:
            fields["is_company"] = is_company
        if "first_name" in data:
            # A company's name travels in first_name (the plugin's contact.rb).
            fields["name" if is_company else "first_name"] = data["first_name"] or ""
        for name in ("last_name", "middle_name", "job_title", "background"):
            if name in data:
                fields[name] = data[name] or ""
        if "birthday" in data:
            fields["birthday"] = data["birthday"]
        if "visibility" in data:
            fields["visibility"] = VISIBILITY_BY_CODE[data["visibility"]]
        if "assigned_to_id" in data:
            fields["assigned_to"] = data["assigned_to_id"]
        arguments: dict[str, Any] = {"fields": fields, "company_name": None}
        if "company" in data and not is_company:
            arguments["company_name"] = data["company"] or ""
        items = self._items(contact)
        if items is not None:
            arguments["items"] = items
        addresses = self._addresses(contact)
        if addresses is not None:
            arguments["addresses"] = addresses
        custom_values = {entry["id"]: entry.get("value") for entry in data.get("custom_fields", [])}
        custom_values.update(data.get("custom_field_values", {}))
        if custom_values:
            arguments["custom_values"] = custom_values
        if "tag_list" in data:
            arguments["tags"] = data["tag_list"]
        return arguments

    def _items(self, contact: Contact | None) -> list[dict[str, Any]] | None:
        """All items: the given kinds replaced, the others kept (by id), so `phone` alone keeps emails."""
        data = self.validated_data
        given = {kind: data[name] for name, kind in ITEM_INPUTS.items() if name in data}
        if not given:
            return None
        kept = [{"id": i.pk} for i in (contact.items.all() if contact else ()) if i.kind not in given]
        new: list[dict[str, Any]] = []
        for kind, values in given.items():
            values = values if isinstance(values, list) else split_tag_list(values or "")
            new += [{"kind": kind, "value": value, "is_primary": n == 0} for n, value in enumerate(values)]
        for position, entry in enumerate(new, start=len(kept)):
            entry["position"] = position
        return kept + new

    def _addresses(self, contact: Contact | None) -> list[dict[str, Any]] | None:
        """The primary address updated with address_attributes; all-empty deletes it (the plugin's address.rb)."""
        if "address_attributes" not in self.validated_data:
            return None
        given = dict(self.validated_data["address_attributes"] or {})
        if "country_code" in given:
            given["country"] = (given.pop("country_code") or "").upper()
        given = {key: value or "" for key, value in given.items()}
        existing = list(contact.addresses.all()) if contact else []
        primary = next((a for a in existing if a.is_primary), existing[0] if existing else None)
        others = [{"id": a.pk} for a in existing if a is not primary]
        merged = {name: str(getattr(primary, name) or "") for name in Address.ADDRESS_FIELDS} if primary else {}
        merged.update(given)
        if not any(str(value).strip() for value in merged.values()):
            return others
        entry = {"id": primary.pk, **given} if primary else {**given, "is_primary": True}
        return [entry, *others]


class NoteInputSerializer(serializers.Serializer):
    """The `note` hash (the plugin's notes_controller): a note on a contact."""

    source_type = serializers.ChoiceField(choices=["Contact"], required=False)
    source_id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    subject = _text()
    content = serializers.CharField(required=False, allow_blank=True)
    type_id = serializers.ChoiceField(choices=sorted(NOTE_KIND_BY_CODE), required=False, allow_null=True)

    def validate_type_id(self, value: Any) -> Any:
        return None if value == "" else value

    def note_fields(self) -> dict[str, Any]:
        data = self.validated_data
        fields: dict[str, Any] = {}
        if "subject" in data:
            fields["subject"] = data["subject"] or ""
        if "content" in data:
            fields["content"] = data["content"]
        if "type_id" in data:
            fields["kind"] = NOTE_KIND_BY_CODE.get(data["type_id"], Note.Kind.NOTE)
        return fields
