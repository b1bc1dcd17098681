"""The visibility rule of contacts and `contact_list`, the one read every face goes through.

- superusers see everything;
- a contact's author, assignee and access list always see it;
- a public contact is seen by every signed-in user;
- a project contact by members of one of its projects;
- a private contact by nobody else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.lookups import Exact

from contacts.filters import ContactFilter
from contacts.models import (
    LIVE,
    Contact,
    ContactItem,
    CustomValue,
    TaggedContact,
    Visibility,
)
from crm.ids import MAX_ID, parse_id
from projects.selectors import member_project_ids

AnyUser = AbstractBaseUser | AnonymousUser


def contact_visibility_q(*, user: AnyUser) -> Q:
    """The condition a contact must meet for the user to see it: out of the trash, and visible.

    A contact in the trash (`deleted_at` set) is seen by no read at all, superusers' included;
    only the trash's own selectors below read it. The read indexes hold live contacts only.

    Written with correlated EXISTS over the access list and the contact's projects (both
    indexed by contact first), so each contact is checked on its own: a page of 100 costs
    100 probes, never a pass over every contact of the user's projects.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return LIVE
    shared = Exists(Contact.access_list.through.objects.filter(contact_id=OuterRef("pk"), user_id=user.pk))
    # The outer `visibility` test sits inside the EXISTS, as inequalities: PostgreSQL then probes
    # each contact's projects by index instead of hashing every contact of the user's projects
    # first (O(N)), which it does for an EXISTS correlated by equalities alone.
    in_member_project = Exists(
        Contact.projects.through.objects.filter(
            ~Q(Exact(OuterRef("visibility"), Visibility.PUBLIC.value)),
            ~Q(Exact(OuterRef("visibility"), Visibility.PRIVATE.value)),
            contact_id=OuterRef("pk"),
            project_id__in=member_project_ids(user=user),
        )
    )
    return LIVE & (
        Q(visibility=Visibility.PUBLIC)
        | Q(author_id=user.pk)
        | Q(assigned_to_id=user.pk)
        | Q(shared)
        | Q(in_member_project)
    )


def contact_visibility_key(*, user: AnyUser) -> tuple[Any, ...]:
    """Everything about `user` that the SQL of `contact_visibility_q`, `contact_rights` and the
    display annotations depends on (their parameters aside): one statement compiled for a key
    serves every request with that key."""
    return (user.pk, user.is_authenticated, user.is_superuser)


def contact_visible_q(*, user: AnyUser, contact_ref: str) -> Q:
    """A condition on another model's rows: the contact its field `contact_ref` points at is visible.

    A correlated EXISTS per row (for superusers too: a contact in the trash hides its rows), for
    notes, tags and custom values, instead of an "id in every visible contact" list.
    """
    return Q(Exists(Contact.objects.filter(contact_visibility_q(user=user), pk=OuterRef(contact_ref))))


def contact_prefetches() -> list[Any]:
    """Everything a page of contacts shows, fetched in a fixed number of queries."""
    return [
        Prefetch("items", queryset=ContactItem.objects.order_by("position", "id")),
        "addresses",
        Prefetch("custom_values", queryset=CustomValue.objects.select_related("field")),
        Prefetch("tagged_items", queryset=TaggedContact.objects.select_related("tag")),
        "projects",
    ]


def contact_list(
    *,
    user: AnyUser,
    filters: Mapping[str, Any] | None = None,
    order_by: list[str] | tuple[str, ...] | None = None,
    prefetch: bool = True,
) -> QuerySet[Contact]:
    """Contacts the user may see, filtered and ordered.

    `filters` takes the keys of `contacts.filters.ContactFilter` (search, tags,
    project, is_company, assigned_to, contact_type, stage, visibility, company...);
    invalid filter values raise ValidationError naming the filter.
    """
    qs = _visible_contacts(user=user)
    if filters:
        filterset = ContactFilter(data=filters, queryset=qs, user=user)
        if not filterset.is_valid():
            raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
        qs = filterset.qs
    if order_by:
        qs = qs.order_by(*order_by, "pk")
    if prefetch:
        qs = qs.select_related(
            "company", "author", "assigned_to", "contact_type", "stage", "source_webform"
        ).prefetch_related(*contact_prefetches())
    return qs


# The contacts a user may see, as a queryset built once per visibility key and cloned for each
# read: building the visibility's EXISTS subqueries and resolving them into a filter costs more
# than the rest of a small read. Only the SQL is kept, whose parameters are those of the key (the
# memberships, access lists and contacts are read when the query runs), and a clone never shares
# the kept queryset's results. Past the bound the cache starts afresh (one C-level clear).
MOST_VISIBLE_QUERYSETS = 512


_VISIBLE: dict[tuple[Any, ...], QuerySet[Contact]] = {}


def _visible_contacts(*, user: AnyUser) -> QuerySet[Contact]:
    key = contact_visibility_key(user=user)
    visible = _VISIBLE.get(key)
    if visible is None:
        visible = Contact.objects.filter(contact_visibility_q(user=user))
        if len(_VISIBLE) >= MOST_VISIBLE_QUERYSETS:
            _VISIBLE.clear()
        _VISIBLE[key] = visible
    return visible.all()


def contact_get(*, user: AnyUser, pk: int | str, prefetch: bool = True) -> Contact | None:
    """One contact the user may see, or None (callers answer 404, never 403, so nothing leaks)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:  # larger ids overflow the database's integer, they exist nowhere
        return None
    return contact_list(user=user, prefetch=prefetch).filter(pk=pk).first()


def contact_list_by_ids(*, user: AnyUser, ids: Iterable[int | str]) -> list[Contact]:
    """The contacts of `ids` the user may see, with what `contact_rights` reads; other ids
    (unseen, malformed or out of the database's range) are ignored, as a 404 would be."""
    clean = [pk for pk in map(parse_id, ids) if pk is not None]
    qs = contact_list(user=user, prefetch=False).filter(pk__in=clean)
    return list(qs.prefetch_related("projects", "access_list"))
