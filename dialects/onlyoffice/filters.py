"""ONLYOFFICE's list parameters (docs/onlyoffice.md, "Contacts") in the names of contacts.filters.ContactFilter.

`contact/filter` takes tags, contactStage, contactType, contactListView, responsibleid,
isShared, fromDate, toDate and filterValue (free-text search); `contact/bycontactinfo` takes
infoType, data, category and isPrimary; every contact list takes sortBy/sortOrder. A stage or
type of -1 (ONLYOFFICE's default) means any.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from contacts.models import Visibility
from contacts.selectors import (
    WRITE_PREFETCHES,
    contact_list_by_address,
    contact_list_by_item,
    contact_list_for_display,
)
from dialects.onlyoffice.codes import ContactListViewType, InfoType
from dialects.onlyoffice.fields import parse_api_datetime
from dialects.onlyoffice.inputs import ContactInfoInputSerializer, EnumField, GuidField, IdField

# sortBy (case-insensitive) → order_by; without sortBy, newest first.
SORT_FIELDS = {
    "displayname": ["display_name"],
    "contacttype": ["contact_type__position", "contact_type__name", "display_name"],
    "created": ["created_at"],
    "firstname": ["first_name", "display_name"],
    "lastname": ["last_name", "display_name"],
}
DEFAULT_ORDER = ["-created_at"]


class ContactSortSerializer(serializers.Serializer):
    """sortBy and sortOrder. An unknown sortBy is ignored, as ONLYOFFICE does."""

    sortBy = serializers.CharField(required=False, allow_blank=True)
    sortOrder = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        fields = SORT_FIELDS.get((attrs.get("sortBy") or "").strip().lower())
        if fields is None:
            return {"order_by": DEFAULT_ORDER}
        if (attrs.get("sortOrder") or "").strip().lower() == "descending":
            fields = [f"-{name}" for name in fields]
        return {"order_by": fields}


class ContactFilterSerializer(ContactSortSerializer):
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    contactStage = IdField(required=False, min_value=-1)
    contactType = IdField(required=False, min_value=-1)
    contactListView = EnumField(ContactListViewType, required=False)
    responsibleid = GuidField(required=False)
    isShared = serializers.BooleanField(required=False, allow_null=True, default=None)
    fromDate = serializers.CharField(required=False, allow_blank=True)
    toDate = serializers.CharField(required=False, allow_blank=True)
    filterValue = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        filters: dict[str, Any] = {}
        if attrs.get("tags"):
            filters["tags"] = ",".join(attrs["tags"])
        if (attrs.get("contactStage") or 0) > 0:
            filters["stage"] = attrs["contactStage"]
        if (attrs.get("contactType") or 0) > 0:
            filters["contact_type"] = attrs["contactType"]
        view = attrs.get("contactListView")
        if view in (ContactListViewType.COMPANY, ContactListViewType.PERSON):
            filters["is_company"] = view == ContactListViewType.COMPANY
        if attrs.get("responsibleid"):
            filters["assigned_to"] = attrs["responsibleid"]
        if attrs.get("isShared"):
            filters["visibility"] = Visibility.PUBLIC
        for name, key, end in (("fromDate", "created_after", False), ("toDate", "created_before", True)):
            if attrs.get(name):
                try:
                    filters[key] = parse_api_datetime(attrs[name], end_of_day=end).isoformat()
                except serializers.ValidationError as exc:
                    raise serializers.ValidationError({name: exc.detail}) from None
        if attrs.get("filterValue", "").strip():
            filters["search"] = attrs["filterValue"]
        return {
            **super().validate(attrs),
            "filters": filters,
            # We keep no opportunities, so no contact has one.
            "none": view == ContactListViewType.WITH_OPPORTUNITY,
            "not_shared": attrs.get("isShared") is False,
        }


class ContactFilterAccessSerializer(ContactFilterSerializer):
    """contact/filter/access takes the filters of contact/filter, but there `isShared` is the
    access to set (serializers.AccessInputSerializer), not a filter."""

    isShared = None


def filtered_contacts(*, user: Any, query: dict[str, Any], related: Iterable[str] = WRITE_PREFETCHES) -> QuerySet:
    """contacts.selectors.contact_list_for_display for a validated ContactFilterSerializer;
    by default with what the services' rights checks read (lists ask for DISPLAY_PREFETCHES)."""
    qs = contact_list_for_display(user=user, filters=query["filters"], order_by=query["order_by"], related=related)
    if query["not_shared"]:
        qs = qs.exclude(visibility=Visibility.PUBLIC)
    return qs.none() if query["none"] else qs


class ContactByInfoSerializer(ContactInfoInputSerializer):
    """contact/bycontactinfo: contacts with an item of `infoType`, matching `data` (phones by
    their E.164 form, other values ignoring case), `category` and `isPrimary` when given; the
    match itself is `contacts.selectors.contact_list_by_item` (or `_by_address`)."""

    data = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("infoType") is None:
            raise serializers.ValidationError({"infoType": "This field is required."})
        data = attrs.get("data") or ""
        match: dict[str, Any] = {"value": data, "is_primary": attrs.get("isPrimary")}
        if attrs["infoType"] == InfoType.ADDRESS:
            return {"address": True, **match}
        item = self._item(attrs["infoType"], data or "-", attrs.get("category"))
        details = {k: v for k, v in item.items() if k in ("tel_type", "context")} if attrs.get("category") else {}
        return {"address": False, "kind": item["kind"], "service": item["service"], "details": details, **match}


def contacts_by_info(*, user: Any, query: dict[str, Any], order_by: list[str]) -> QuerySet:
    """The visible contacts a validated ContactByInfoSerializer matches."""
    if query["address"]:
        return contact_list_by_address(
            user=user, text=query["value"], is_primary=query["is_primary"], order_by=order_by
        )
    return contact_list_by_item(
        user=user,
        kind=query["kind"],
        value=query["value"],
        service=query["service"],
        details=query["details"],
        is_primary=query["is_primary"],
        order_by=order_by,
    )
