"""What the API dialects show beyond a contact's own row: prefetches, rights annotations, access
lists, custom fields and the type and stage dictionaries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from contacts.models import (
    Contact,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Visibility,
)
from contacts.selectors.companies import contact_annotate_company_visible
from contacts.selectors.rights import _contact_rights_expressions
from contacts.selectors.visibility import AnyUser, contact_list, contact_prefetches
from crm.ids import parse_id

# Reads the API dialects share: what their representations show beyond a contact's own row.

DISPLAY_PREFETCHES = ("items", "addresses", "custom_values", "tagged_items")


# What the services' rights checks read besides (see contact_rights).
WRITE_PREFETCHES = (*DISPLAY_PREFETCHES, "projects", "access_list")


def contact_list_for_display(
    *,
    user: AnyUser,
    filters: Mapping[str, Any] | None = None,
    order_by: list[str] | tuple[str, ...] | None = None,
    related: Iterable[str] = DISPLAY_PREFETCHES,
) -> QuerySet[Contact]:
    """`contact_list` with only the related rows a representation reads prefetched (one query
    each: any of items, addresses, custom_values, tagged_items, projects, access_list), and the
    company, author, assignee, type and stage joined."""
    wanted = set(related)
    prefetches = [p for p in contact_prefetches() if (p.prefetch_to if isinstance(p, Prefetch) else p) in wanted]
    if "access_list" in wanted:
        prefetches.append("access_list")
    qs = contact_list(user=user, filters=filters, order_by=order_by, prefetch=False)
    return qs.select_related("company", "author", "assigned_to", "contact_type", "stage").prefetch_related(*prefetches)


def contact_annotate_for_display(*, user: AnyUser, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts with what a dialect shows beside their own columns, in the same query:

    - `can_edit`, `can_delete` (as `contact_rights` decides) and the same for the person's
      company (`company_can_edit`, `company_can_delete`);
    - `company_visible`: whether the user may see the person's company;
    - `persons_count`: how many of a company's people the user may see.
    """
    people = (
        contact_list(user=user, prefetch=False)
        .filter(company_id=OuterRef("pk"))
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    own = _contact_rights_expressions(user=user, ref="pk", field=lambda name: name)
    company = _contact_rights_expressions(user=user, ref="company_id", field=lambda name: f"company__{name}")
    return contact_annotate_company_visible(contacts, user=user).annotate(
        persons_count=Coalesce(Subquery(people), 0),
        can_edit=own["edit"],
        can_delete=own["delete"],
        company_can_edit=company["edit"],
        company_can_delete=company["delete"],
    )


def contact_access_lists(*, contacts: Iterable[Contact]) -> None:
    """Fill the access lists of the private ones among `contacts` (one query, none if no contact
    is private): the only contacts whose access list a dialect shows."""
    private = [c for c in contacts if c.visibility == Visibility.PRIVATE]
    prefetch_related_objects(private, "access_list")


def custom_field_list(*, applies_to: str | None = None) -> QuerySet[CustomField]:
    """Custom field definitions in their order, optionally only those for persons, companies or both."""
    fields = CustomField.objects.all()
    return fields.filter(applies_to=applies_to) if applies_to is not None else fields


def custom_field_get(*, pk: int | str, applies_to: str | None = None) -> CustomField | None:
    pk = parse_id(pk)
    return custom_field_list(applies_to=applies_to).filter(pk=pk).first() if pk is not None else None


def custom_value_get(*, contact: Contact, field_id: int) -> CustomValue | None:
    """The contact's stored value of a custom field, with its field, or None."""
    return contact.custom_values.select_related("field").filter(field_id=field_id).first()


def choice_list(*, model: type[ContactType] | type[ContactStage]) -> QuerySet[Any]:
    """All contact types or all stages, in their order."""
    return model.objects.all()


def choice_get(*, model: type[ContactType] | type[ContactStage], pk: int | str) -> ContactType | ContactStage | None:
    pk = parse_id(pk)
    return model.objects.filter(pk=pk).first() if pk is not None else None
