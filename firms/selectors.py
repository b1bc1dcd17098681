"""Reads of firms, through the one visibility-aware contact path."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from contacts.models import Contact
from contacts.selectors import contact_list, contact_visibility_q


def firm_list(*, user: AbstractBaseUser | AnonymousUser, search: str = "") -> QuerySet[Contact]:
    """Companies the user may see, each with how many of its people the user may see."""
    filters = {"is_company": True}
    if search:
        filters["search"] = search
    visible_people = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    return contact_list(user=user, filters=filters).annotate(
        people_count=Count("people", filter=Q(people__in=visible_people), distinct=True)
    )
