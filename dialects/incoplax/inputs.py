"""Incoplax request bodies checked and mapped to the services' names (contact and group entities,
LOOKUP's scalar), after the seed's contact entity and the vendor's group entity page.

Types are strict (see `fields.py`) and unknown keys are refused. Out-only fields (`ext`, a
group's `opts.abonentcount`) are accepted and ignored, so a client may send back what it read;
`id` and `autokey` may be sent back too, but never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from contacts.models import Contact
from dialects.incoplax.codes import GROUP_PRIORITY, MAX_INT, SLOT_NAMES
from dialects.incoplax.fields import StrictCharField, StrictIntegerField, UUIDTextField, group_id

MAX_LIST = 10000


def text(**kwargs: Any) -> StrictCharField:
    return StrictCharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


class StrictSerializer(serializers.Serializer):
    """A JSON object whose keys must all be fields of the serializer."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["is not a field of this entity."] for name in unknown})
        return super().to_internal_value(data)


class ContactOptsInputSerializer(StrictSerializer):
    title = text()
    comment = text()
    groups = serializers.ListField(child=StrictCharField(), required=False, max_length=MAX_LIST)
    priority = StrictIntegerField(required=False, allow_null=True, min_value=-MAX_INT, max_value=MAX_INT)


class ContactInputSerializer(StrictSerializer):
    """The contact entity. context: `contact` (None when creating) and its current `photo`."""

    id = UUIDTextField(required=False)
    autokey = StrictIntegerField(required=False)
    displayname = StrictCharField(required=False, allow_blank=True)
    department = text()
    jobtitle = text()
    photo = text()
    opts = ContactOptsInputSerializer(required=False)
    ext = serializers.DictField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in SLOT_NAMES:
            fields[name] = text()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        contact: Contact | None = self.context.get("contact")
        errors: dict[str, list[str]] = {}
        if contact is None:
            if attrs.get("autokey", -1) != -1:
                errors["autokey"] = ["is assigned by the server: leave it out or send -1."]
            if not attrs.get("displayname", "").strip():
                errors["displayname"] = ["is required."]
            if not attrs.get("number", "").strip():
                errors["number"] = ["is required."]
        else:
            if "id" in attrs and attrs["id"] != contact.uuid:
                errors["id"] = ["cannot be modified."]
            if "autokey" in attrs and attrs["autokey"] != contact.pk:
                errors["autokey"] = ["cannot be modified."]
            if "displayname" in attrs and not attrs["displayname"].strip():
                errors["displayname"] = ["cannot be blank."]
            if "number" in attrs and not attrs["number"].strip():
                errors["number"] = ["cannot be blank."]
        if attrs.get("photo", "") not in ("", self.context.get("photo", "")):
            errors["photo"] = ["is read-only here: the photo is the avatar uploaded in the CRM."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def contact_fields(self) -> dict[str, Any]:
        """The Contact fields given, by the services' names."""
        data, contact = self.validated_data, self.context.get("contact")
        opts = data.get("opts", {})
        fields: dict[str, Any] = {}
        if "displayname" in data:
            fields |= name_fields(data["displayname"], is_company=contact is not None and contact.is_company)
        for ours, theirs in (("department", "department"), ("job_title", "jobtitle")):
            if theirs in data:
                fields[ours] = data[theirs]
        for ours, theirs in (("salutation", "title"), ("background", "comment"), ("priority", "priority")):
            if theirs in opts:
                fields[ours] = opts[theirs]
        return fields

    def slots(self) -> dict[str, str]:
        return {name: self.validated_data[name] for name in SLOT_NAMES if name in self.validated_data}

    def group_codes(self) -> list[str] | None:
        opts = self.validated_data.get("opts", {})
        return list(dict.fromkeys(opts["groups"])) if "groups" in opts else None


def name_fields(displayname: str, *, is_company: bool) -> dict[str, str]:
    """A display name as a company's name, or a person's first and last name (split at the last
    space: "John Smith" is John + Smith), so the other dialects see names as they expect."""
    name = " ".join(displayname.split())
    if is_company:
        return {"name": name}
    first, _, last = name.rpartition(" ")
    return {"first_name": first, "middle_name": "", "last_name": last}


class GroupOptsInputSerializer(StrictSerializer):
    title = text()
    comment = text()
    priority = StrictIntegerField(required=False, allow_null=True)
    abonents = serializers.ListField(
        child=StrictIntegerField(min_value=1), required=False, max_length=MAX_LIST, allow_empty=True
    )
    abonentcount = serializers.IntegerField(required=False)


class GroupInputSerializer(StrictSerializer):
    """The contact group entity. context: `tag` (None when creating)."""

    id = StrictCharField(required=False)
    code = StrictCharField(required=False, allow_blank=True)
    name = StrictCharField(required=False, allow_blank=True)
    shortname = text()
    opts = GroupOptsInputSerializer(required=False)
    ext = serializers.DictField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        tag = self.context.get("tag")
        opts = attrs.get("opts", {})
        errors: dict[str, list[str]] = {}
        if tag is None:
            if "id" in attrs:
                errors["id"] = ["is assigned by the server."]
            if not attrs.get("name", "").strip():
                errors["name"] = ["is required."]
            if attrs.get("code") == "":
                errors["code"] = ["cannot be blank (leave it out to have one made)."]
        else:
            if "id" in attrs and attrs["id"] != group_id(tag.pk):
                errors["id"] = ["cannot be modified."]
            if "name" in attrs and not attrs["name"].strip():
                errors["name"] = ["cannot be blank."]
            if attrs.get("code") == "":
                errors["code"] = ["cannot be blank."]
        # A tag keeps a name and a slug only (docs/incoplax.md, "Contact groups").
        if attrs.get("shortname"):
            errors["shortname"] = ["is not kept: send an empty string."]
        for name in ("title", "comment"):
            if opts.get(name):
                errors[f"opts.{name}"] = ["is not kept: send an empty string."]
        if opts.get("priority") not in (None, GROUP_PRIORITY):
            errors["opts.priority"] = [f"is not kept: send {GROUP_PRIORITY} or null."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def abonents(self) -> list[int] | None:
        opts = self.validated_data.get("opts", {})
        return list(dict.fromkeys(opts["abonents"])) if "abonents" in opts else None


def lookup_key(data: Any) -> str:
    """LOOKUP's body: one JSON string or integer."""
    if isinstance(data, bool) or not isinstance(data, (str, int)):
        raise serializers.ValidationError({"__all__": ["The body must be a JSON string or integer."]})
    key = str(data).strip()
    if not key:
        raise serializers.ValidationError({"__all__": ["The key cannot be blank."]})
    return key
