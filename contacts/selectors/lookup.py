"""Contacts by uuid, by an item's or address's value, and pages of flat rows, for the APIs that
name contacts that way (Incoplax)."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Q,
    QuerySet,
)

from contacts.models import (
    Address,
    Contact,
    ContactItem,
    TaggedContact,
    normalize_phone,
)
from contacts.selectors.display import contact_list_for_display
from contacts.selectors.visibility import AnyUser, contact_list
from crm.ids import parse_id


def contact_list_by_item(
    *,
    user: AnyUser,
    kind: str,
    value: str = "",
    service: str | None = None,
    details: Mapping[str, Any] | None = None,
    is_primary: bool | None = None,
    slots: Sequence[str] | None = None,
    order_by: list[str] | tuple[str, ...] | None = None,
) -> QuerySet[Contact]:
    """Visible contacts with an item of `kind` (and `service`, and the `details` given, such as
    tel_type or context) matching `value` (see `item_value_q`); an empty value matches every
    item of the kind. With `slots`, only items kept in one of those slots ("" for none)."""
    match = item_value_q(kind=kind, value=value) if value else Q(kind=kind)
    match &= Q(**(details or {}))
    if service is not None:
        match &= Q(service=service)
    if is_primary is not None:
        match &= Q(is_primary=is_primary)
    if slots is not None:
        match &= Q(slot__in=list(slots))
    items = ContactItem.objects.filter(match).values("contact_id")
    return contact_list_for_display(user=user, order_by=order_by).filter(pk__in=items)


def contact_list_by_address(
    *,
    user: AnyUser,
    text: str = "",
    is_primary: bool | None = None,
    order_by: list[str] | tuple[str, ...] | None = None,
) -> QuerySet[Contact]:
    """Visible contacts with an address whose street, city, region or postcode holds `text`."""
    match = Q()
    if text:
        for name in ("street1", "city", "region", "postcode"):
            match |= Q(**{f"{name}__icontains": text})
    if is_primary is not None:
        match &= Q(is_primary=is_primary)
    addresses = Address.objects.filter(match).values("contact_id")
    return contact_list_for_display(user=user, order_by=order_by).filter(pk__in=addresses)


# Contacts by uuid, by an item's value and by tag slug, and pages of flat rows, for the APIs that
# name contacts that way (Incoplax). Every read starts from `contact_list`, so visibility holds.

ROW_FIELDS = (
    "pk",
    "uuid",
    "is_company",
    "display_name",
    "department",
    "job_title",
    "salutation",
    "background",
    "priority",
    "avatar",
    "created_at",
    "updated_at",
)


ITEM_ROW_FIELDS = ("contact_id", "kind", "tel_type", "slot", "value")


def _as_uuid(value: Any) -> uuid_module.UUID | None:
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value).strip())
    except (ValueError, AttributeError):
        return None


def contact_get_by_uuid(*, user: AnyUser, uuid: Any, prefetch: bool = False) -> Contact | None:
    """The contact with this uuid the user may see, or None (also for text that is no uuid)."""
    parsed = _as_uuid(uuid)
    if parsed is None:
        return None
    return contact_list(user=user, prefetch=prefetch).filter(uuid=parsed).first()


def contact_uuid_taken(*, uuid: Any) -> bool:
    """Whether any contact, seen or not, has this uuid (uuids are unique across the CRM)."""
    parsed = _as_uuid(uuid)
    return parsed is not None and Contact.objects.filter(uuid=parsed).exists()


def item_value_q(*, kind: str, value: str, prefix: str = "") -> Q:
    """Items of `kind` whose value is `value` as typed, or, for phones, the same number in E.164."""
    condition = Q(**{f"{prefix}value": value})
    normalized = value.strip().lower()
    if kind == ContactItem.Kind.TEL:
        try:
            normalized = normalize_phone(value)
        except ValidationError:
            normalized = ""
    if normalized:
        condition |= Q(**{f"{prefix}normalized": normalized})
    return Q(**{f"{prefix}kind": kind}) & condition


def contact_lookup(*, user: AnyUser, key: str | int, kind: str, slots: Sequence[str]) -> list[uuid_module.UUID]:
    """The uuids of visible contacts whose uuid, id or item in `slots` is `key`, by id."""
    text = str(key).strip()
    condition = Q(pk__in=contact_list_by_item(user=user, kind=kind, value=text, slots=slots).values("pk"))
    parsed = _as_uuid(text)
    if parsed is not None:
        condition |= Q(uuid=parsed)
    pk = parse_id(text)
    if pk is not None:
        condition |= Q(pk=pk)
    return list(contact_list(user=user, prefetch=False).filter(condition).order_by("pk").values_list("uuid", flat=True))


def contact_list_matching(
    *,
    user: AnyUser,
    fields: Mapping[str, Sequence[Any]] | None = None,
    tag_slugs: Sequence[str] | None = None,
    items: Mapping[str, tuple[str, Sequence[str], Sequence[str]]] | None = None,
    order_by: Sequence[str] = ("pk",),
) -> QuerySet[Contact]:
    """Visible contacts matching every condition given, ordered.

    `fields` maps a Contact field (`uuid`, `pk`, `display_name`, `priority`, `created_at`...) to
    the values it may take (None matches an empty value); `tag_slugs` keeps contacts carrying one
    of those tags; `items` maps a name to (kind, slots, values): contacts with an item of that
    kind, kept in one of the slots, whose value is one of the values (see `item_value_q`).
    """
    qs = contact_list(user=user, prefetch=False)
    for name, values in (fields or {}).items():
        present = [value for value in values if value is not None]
        condition = Q(**{f"{name}__in": present})
        if len(present) < len(values):
            condition |= (
                Q(**{f"{name}__isnull": True})
                if Contact._meta.get_field("id" if name == "pk" else name).null
                else Q(**{name: ""})
            )
        qs = qs.filter(condition)
    if tag_slugs is not None:
        tagged = TaggedContact.objects.filter(tag__slug__in=list(tag_slugs)).values("content_object_id")
        qs = qs.filter(pk__in=tagged)
    for kind, slots, values in (items or {}).values():
        matching = Q(pk__in=[])
        for value in values:
            matching |= item_value_q(kind=kind, value=value)
        found = ContactItem.objects.filter(matching, slot__in=list(slots)).values("contact_id")
        qs = qs.filter(pk__in=found)
    return qs.order_by(*order_by)


def contact_rows(
    *, contacts: QuerySet[Contact], offset: int = 0, limit: int | None = None, items: bool = True, tags: bool = True
) -> list[dict[str, Any]]:
    """A page of contacts as flat dicts (ROW_FIELDS, plus `items`: their ContactItems as dicts of
    ITEM_ROW_FIELDS in display order, and `tags`: their tag slugs sorted), in one query for the
    page and one each for items and tags, whatever the page's size."""
    end = None if limit is None else offset + limit
    rows = list(contacts.values(*ROW_FIELDS)[offset:end])
    by_pk = {row["pk"]: row for row in rows}
    for row in rows:
        row["items"], row["tags"] = [], []
    if rows and items:
        found = ContactItem.objects.filter(contact_id__in=list(by_pk)).order_by("contact_id", "position", "id")
        for item in found.values(*ITEM_ROW_FIELDS):
            by_pk[item["contact_id"]]["items"].append(item)
    if rows and tags:
        tagged = TaggedContact.objects.filter(content_object_id__in=list(by_pk)).order_by("tag__slug")
        for contact_id, slug in tagged.values_list("content_object_id", "tag__slug"):
            by_pk[contact_id]["tags"].append(slug)
    return rows
