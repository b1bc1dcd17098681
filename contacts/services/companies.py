"""Writes through a contact's company: a company found or created by its name, a contact saved
with its company given by name or its type by code, a company created with its people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from contacts.models import Contact
from contacts.selectors import companies_named
from contacts.services.contacts import contact_create, contact_update
from contacts.services.custom import contact_type_for_code
from projects.models import Project


def company_for_name(*, user: AbstractBaseUser, name: str, projects: Iterable[Project] = ()) -> Contact | None:
    """The company of that name the user can see, created if there is none.

    This is how a person's free-text company name links to a company (Redmine,
    web forms). Returns None for a blank name.
    """
    name = (name or "").strip()
    if not name:
        return None
    found = companies_named(user=user, name=name, limit=1)
    if found:
        return found[0]
    return contact_create(
        user=user, fields={"is_company": True, "name": name}, projects=projects, check_permissions=False
    )


def contact_save_with_company_name(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    contact: Contact | None = None,
    company_name: str | None = None,
    fields: Mapping[str, Any],
    projects: Iterable[Project] | None = None,
    check_permissions: bool = True,
    **nested: Any,
) -> Contact:
    """Create (`contact` None) or update a contact whose company is given by name, in one transaction.

    The company of that name is found or created (see `company_for_name`); a
    blank name clears the link, None leaves it alone. If the contact is
    refused, the company is not created either.
    """
    projects = None if projects is None else list(projects)
    with transaction.atomic():
        if company_name is not None:
            reader = user if user is not None else AnonymousUser()
            company = company_for_name(user=reader, name=company_name, projects=projects or ())
            fields = {**fields, "company": company}
        if contact is None:
            return contact_create(
                user=user, fields=fields, projects=projects, check_permissions=check_permissions, **nested
            )
        return contact_update(
            contact=contact, user=user, fields=fields, projects=projects, check_permissions=check_permissions, **nested
        )


def contact_save_with_type_code(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    contact: Contact | None = None,
    contact_type_code: str | None = None,
    fields: Mapping[str, Any],
    projects: Iterable[Project] | None = None,
    **nested: Any,
) -> Contact:
    """Create (`contact` None) or update a contact whose type is given by its code, in one transaction.

    A code the list does not hold yet is added to it (`contact_type_for_code`); "" clears the
    type, None leaves it alone. Nested items and addresses are merged on update (an entry with
    an `id` updates that row, one without is added, the others stay).
    """
    with transaction.atomic():
        if contact_type_code is not None:
            kind = contact_type_for_code(code=contact_type_code) if contact_type_code else None
            fields = {**fields, "contact_type": kind}
        if contact is None:
            return contact_create(user=user, fields=fields, projects=projects, **nested)
        modes = {f"{name}_mode": "merge" for name in ("items", "addresses") if name in nested}
        return contact_update(contact=contact, user=user, fields=fields, projects=projects, **nested, **modes)


@transaction.atomic
def company_create(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    people: Iterable[Contact] = (),
    **nested: Any,
) -> Contact:
    """Create a company and make it the company of the given persons, all or nothing."""
    company = contact_create(user=user, fields={**fields, "is_company": True}, **nested)
    for person in people:
        contact_update(contact=person, user=user, fields={"company": company})
    return company
