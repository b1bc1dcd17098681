"""Companies and their people as a user sees them: circles, choices and suggestions."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from contacts.models import (
    Contact,
)
from contacts.selectors.visibility import AnyUser, contact_list


def company_people(*, user: AnyUser, company: Contact) -> QuerySet[Contact]:
    return contact_list(user=user).filter(company=company)


def contact_group(*, user: AnyUser, contact: Contact) -> list[Contact]:
    """A contact with its company circle, as the user sees it: a company and its people; a
    person with a company, that company and all its people; a person without one, alone."""
    company_id = contact.pk if contact.is_company else contact.company_id
    if company_id is None:
        return [contact]
    circle = Q(pk=company_id) | Q(company_id=company_id) | Q(pk=contact.pk)
    return list(
        contact_list(user=user, prefetch=False, order_by=["pk"])
        .filter(circle)
        .prefetch_related("projects", "access_list")
    )


COMPANY_SUGGESTIONS = 15


def company_choices(*, user: AnyUser) -> QuerySet[Contact]:
    """The companies the user may link a person to, loading only their id and name."""
    return contact_list(user=user, filters={"is_company": True}, prefetch=False).only("pk", "display_name")


def company_suggest(
    *, user: AnyUser, query: str, exclude: int | None = None, limit: int = COMPANY_SUGGESTIONS
) -> list[dict[str, Any]]:
    """Visible companies matching the words typed (as the contacts search does), by name, at most `limit`."""
    query = query.strip()[:100]
    if "\x00" in query:  # no name holds one, and PostgreSQL refuses to compare with it
        return []
    filters: dict[str, Any] = {"is_company": True} | ({"search": query} if query else {})
    companies = (
        contact_list(user=user, filters=filters, prefetch=False).exclude(pk=exclude).order_by("display_name", "pk")
    )
    return [{"id": pk, "name": name} for pk, name in companies.values_list("pk", "display_name")[:limit]]


def companies_named(*, user: AnyUser, name: str, exclude: int | None = None, limit: int = 2) -> list[Contact]:
    """Visible companies called exactly `name` (any case): one is a match, two an ambiguity."""
    if "\x00" in name:
        return []
    companies = company_choices(user=user).exclude(pk=exclude).filter(display_name__iexact=name.strip())
    return list(companies.order_by("pk")[:limit])


def contact_annotate_company_visible(qs: QuerySet[Contact], *, user: AnyUser) -> QuerySet[Contact]:
    """`qs` with `company_visible`: whether the user may see each contact's company (no extra query)."""
    visible = contact_list(user=user, prefetch=False).filter(pk=OuterRef("company_id"))
    return qs.annotate(company_visible=Exists(visible))
