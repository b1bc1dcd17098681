"""ONLYOFFICE's request parameters validated and mapped onto the names `contacts.services` takes.

Input serializers map ONLYOFFICE's camelCase parameters onto our field names (`source=`) and
translate the enums of `codes.py`; they look nothing up except the objects an id names.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import IntegerChoices
from rest_framework import serializers

from contacts.models import Address, Contact, CustomField, Visibility
from contacts.selectors import contact_get
from dialects.onlyoffice.codes import (
    ADDRESS_CATEGORY_CONTEXT,
    BASE_CATEGORY_CONTEXT,
    FIELD_TYPE_FORMAT,
    INFO_TYPE_ITEM,
    PHONE_CATEGORY_ITEM,
    AddressCategory,
    BaseCategory,
    FieldType,
    InfoType,
    Kind,
    PhoneCategory,
    ShareType,
)
from dialects.onlyoffice.fields import country_code, enum_value, field_type_of, user_id_from_guid

User = get_user_model()

MAX_ID = 2**63 - 1  # BigAutoField; a larger number would overflow the database
MAX_QUICK = 100  # contacts one quick-create request may add


class IdField(serializers.IntegerField):
    """An object id, bounded so that a huge number is a 400 rather than a database overflow."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class GuidField(serializers.Field):
    """A user by ONLYOFFICE GUID."""

    def to_internal_value(self, data: Any) -> int:
        user_id = user_id_from_guid(data)
        if user_id is None:
            raise serializers.ValidationError(f'"{data}" is not a user id.')
        return user_id


class EnumField(serializers.Field):
    """An ONLYOFFICE enum by number or name."""

    def __init__(self, enum: type[IntegerChoices], **kwargs: Any) -> None:
        self.enum = enum
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        return enum_value(self.enum, data)


class KeyValueSerializer(serializers.Serializer):
    """One entry of `customFieldList`: {key: fieldId, value: ...}."""

    key = IdField()
    value = serializers.CharField(allow_blank=True, allow_null=True, required=False, default="")


class AccessInputSerializer(serializers.Serializer):
    """shareType / isShared / isPrivate + managerList → visibility and access list.

    ShareType ReadWrite or Read (or isShared) makes the contact public; isPrivate or a
    managerList makes it private to those managers (and its author); ShareType None alone
    leaves it to the members of its projects.
    """

    shareType = EnumField(ShareType, required=False)
    isShared = serializers.BooleanField(required=False, allow_null=True, default=None)
    isPrivate = serializers.BooleanField(required=False, allow_null=True, default=None)
    managerList = serializers.ListField(child=GuidField(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in attrs.items() if k not in ("shareType", "isShared", "isPrivate", "managerList")}
        managers = attrs.get("managerList")
        if managers is not None:
            found = list(User.objects.filter(pk__in=managers, is_active=True))
            if len(found) != len(set(managers)):
                raise serializers.ValidationError({"managerList": "Unknown user in managerList."})
            out["access_list"] = found
        share = attrs.get("shareType")
        if attrs.get("isPrivate") or (share in (None, ShareType.NONE) and managers and not attrs.get("isShared")):
            out["visibility"] = Visibility.PRIVATE
        elif attrs.get("isShared") or share in (ShareType.READ_WRITE, ShareType.READ):
            out["visibility"] = Visibility.PUBLIC
        elif share == ShareType.NONE or attrs.get("isShared") is False or attrs.get("isPrivate") is False:
            out["visibility"] = Visibility.PROJECT
        return out


class ContactInputSerializer(AccessInputSerializer):
    about = serializers.CharField(source="background", required=False, allow_blank=True)
    customFieldList = KeyValueSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        entries = attrs.pop("customFieldList", None)
        out = super().validate(attrs)
        if entries is not None:
            known = set(CustomField.objects.values_list("pk", flat=True))
            # Empty values are skipped, and on update unknown field ids too (docs/onlyoffice.md, "Custom fields").
            out["custom_values"] = {
                e["key"]: e["value"]
                for e in entries
                if e.get("value") not in (None, "") and (self.instance is None or e["key"] in known)
            }
        return out


class PersonInputSerializer(ContactInputSerializer):
    firstName = serializers.CharField(source="first_name", max_length=255)
    lastName = serializers.CharField(source="last_name", max_length=255)
    jobTitle = serializers.CharField(source="job_title", required=False, allow_blank=True, max_length=255)
    companyId = IdField(source="company", required=False, allow_null=True)

    def validate_companyId(self, value: int | None) -> Contact | None:
        if not value:
            return None
        company = contact_get(user=self.context["request"].user, pk=value, prefetch=False)
        if company is None or not company.is_company:
            raise serializers.ValidationError(f"There is no company with id {value}.")
        return company


class CompanyInputSerializer(ContactInputSerializer):
    companyName = serializers.CharField(source="name", max_length=255)
    personList = serializers.ListField(child=IdField(), required=False)


class ContactInfoInputSerializer(serializers.Serializer):
    """`contact/{id}/data`: infoType, data, category (a name or number), isPrimary."""

    infoType = EnumField(InfoType, required=False)
    data = serializers.CharField(max_length=2000)
    category = serializers.CharField(required=False, allow_blank=True)
    isPrimary = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        info = attrs.get("infoType")
        if info is None:
            info = self.context.get("info_type")
        if info is None:
            raise serializers.ValidationError({"infoType": "This field is required."})
        attrs["infoType"] = info
        raw_category = attrs.get("category")
        if info == InfoType.ADDRESS:
            attrs["address"] = self._address(attrs["data"], raw_category)
        else:
            attrs["item"] = self._item(info, attrs["data"], raw_category)
        if attrs.get("isPrimary") is not None:
            attrs.get("address", attrs.get("item"))["is_primary"] = attrs["isPrimary"]
        return attrs

    def _item(self, info: int, data: str, raw_category: str | None) -> dict[str, Any]:
        kind, service = INFO_TYPE_ITEM[info]
        item: dict[str, Any] = {"kind": kind, "service": service, "value": data}
        if raw_category in (None, ""):
            if self.context.get("partial"):
                return item
            raw_category = "Work"
        try:
            if kind == Kind.TEL:
                tel_type, context = PHONE_CATEGORY_ITEM[enum_value(PhoneCategory, raw_category)]
                item["tel_type"] = tel_type
                if context is not None:
                    item["context"] = context
            else:
                item["context"] = BASE_CATEGORY_CONTEXT[enum_value(BaseCategory, raw_category)]
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"category": exc.detail}) from None
        return item

    def _address(self, data: str, raw_category: str | None) -> dict[str, Any]:
        # Address Data is a JSON object string {"street","city","state","zip","country"}.
        try:
            parts = json.loads(data)
        except ValueError:
            parts = None
        if not isinstance(parts, dict):
            raise serializers.ValidationError(
                {"data": 'An address is a JSON object: {"street":..,"city":..,"state":..,"zip":..,"country":..}.'}
            )
        lowered = {str(k).lower(): "" if v is None else str(v) for k, v in parts.items()}
        try:
            country = country_code(lowered.get("country", ""))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"data": exc.detail}) from None
        address: dict[str, Any] = {
            "street1": lowered.get("street", ""),
            "street2": "",
            "city": lowered.get("city", ""),
            "region": lowered.get("state", ""),
            "postcode": lowered.get("zip", ""),
            "country": country,
        }
        if raw_category not in (None, ""):
            try:
                address["context"] = ADDRESS_CATEGORY_CONTEXT[enum_value(AddressCategory, raw_category)]
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"category": exc.detail}) from None
        elif not self.context.get("partial"):
            address["context"] = Address.Context.WORK
        return address


class ListItemInputSerializer(serializers.Serializer):
    """A contact type or status: title, description, color, sortOrder."""

    title = serializers.CharField(source="name", max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    color = serializers.CharField(required=False, allow_blank=True, max_length=7)
    sortOrder = serializers.IntegerField(source="position", required=False, min_value=0, max_value=2**31 - 1)


class CustomFieldInputSerializer(serializers.Serializer):
    """label, fieldType (0-5), position, mask (a JSON array of choices for a select box)."""

    label = serializers.CharField(source="name", max_length=255)
    fieldType = EnumField(FieldType)
    position = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    mask = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        field_type = attrs.pop("fieldType")
        mask = attrs.pop("mask", "")
        current: CustomField | None = self.instance
        if current is not None and field_type_of(current) == field_type:
            # Our finer formats (integer, URL...) read as TextField: sending it back keeps them.
            attrs["field_format"] = current.field_format
        else:
            attrs["field_format"] = FIELD_TYPE_FORMAT[field_type]
        if mask:
            try:
                parsed = json.loads(mask)
            except ValueError:
                raise serializers.ValidationError({"mask": "The mask must be JSON."}) from None
            if field_type == FieldType.SELECT_BOX:
                if not isinstance(parsed, list) or not all(isinstance(c, str) for c in parsed):
                    raise serializers.ValidationError({"mask": "A select box's mask is a JSON array of choices."})
                attrs["choices"] = parsed
        elif field_type == FieldType.SELECT_BOX and (current is None or not current.is_list):
            raise serializers.ValidationError({"mask": "A select box needs its choices as a JSON array."})
        return attrs


class AuthenticationInputSerializer(serializers.Serializer):
    userName = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class ContactIdsSerializer(serializers.Serializer):
    contactid = serializers.ListField(child=IdField(), allow_empty=False)


class BulkIdsSerializer(serializers.Serializer):
    contactids = serializers.ListField(child=IdField(), allow_empty=False)


class PersonIdSerializer(serializers.Serializer):
    personid = IdField()


class ContactAccessManyInputSerializer(AccessInputSerializer):
    contactid = serializers.ListField(child=IdField(), allow_empty=False)


class ContactStatusInputSerializer(serializers.Serializer):
    contactStatusid = IdField()


class TagNameSerializer(serializers.Serializer):
    tagName = serializers.CharField(max_length=100)


class TagListInputSerializer(serializers.Serializer):
    entityid = serializers.ListField(child=IdField(), allow_empty=False)
    tagName = serializers.CharField(max_length=100)


class FieldValueSerializer(serializers.Serializer):
    fieldValue = serializers.CharField(allow_blank=True, required=False, default="")


class MergeInputSerializer(serializers.Serializer):
    fromcontactid = IdField()
    tocontactid = IdField()


class QuickPersonSerializer(serializers.Serializer):
    """One entry of `contact/person/quick`'s `data`: {key: first name, value: last name}."""

    key = serializers.CharField(
        source="first_name", max_length=255, error_messages={"required": "each entry needs a key (the first name)."}
    )
    value = serializers.CharField(
        source="last_name", max_length=255, error_messages={"required": "each entry needs a value (the last name)."}
    )


class QuickPersonsInputSerializer(serializers.Serializer):
    data = QuickPersonSerializer(many=True, allow_empty=False, max_length=MAX_QUICK)


class QuickCompaniesInputSerializer(serializers.Serializer):
    companyName = serializers.ListField(
        child=serializers.CharField(max_length=255), allow_empty=False, max_length=MAX_QUICK
    )


class FieldIdsSerializer(serializers.Serializer):
    fieldids = serializers.ListField(child=IdField(), allow_empty=False)


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField()
