"""What a user may do with contacts (edit, delete), in Python for a few and in SQL for many, and
the trash, which holds the contacts they could delete."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from contacts.models import (
    Contact,
    Visibility,
)
from contacts.search import (
    search_q,
)
from contacts.selectors.visibility import AnyUser
from crm.ids import parse_id
from projects.models import Membership
from projects.selectors import WRITE_ROLES, member_project_ids


@dataclass(frozen=True)
class ContactRights:
    can_edit: bool
    can_delete: bool


def contact_rights(*, user: AnyUser, contacts: Iterable[Contact]) -> dict[int | None, ContactRights]:
    """What the user may do with each contact, keyed by contact id.

    Edit: superusers, the author, the assignee, the access list, writing members of one of its
    projects, and anyone signed in for a public contact outside any project. Delete: superusers,
    the author, and managers of one of its projects.

    One query for the user's memberships; projects and access lists come from the contacts'
    prefetch caches when present, so a page of contacts costs the same whatever its size.
    """
    contacts = list(contacts)
    if not user.is_authenticated:
        return {c.pk: ContactRights(can_edit=False, can_delete=False) for c in contacts}
    if user.is_superuser:
        return {c.pk: ContactRights(can_edit=True, can_delete=True) for c in contacts}
    roles = dict(Membership.objects.filter(user_id=user.pk).values_list("project_id", "role"))
    rights: dict[int | None, ContactRights] = {}
    for contact in contacts:
        if contact.pk is None:
            rights[None] = ContactRights(can_edit=True, can_delete=True)
            continue
        project_roles = [roles.get(p.pk) for p in contact.projects.all()]
        own = user.pk == contact.author_id
        can_edit = (
            own
            or user.pk == contact.assigned_to_id
            or any(u.pk == user.pk for u in contact.access_list.all())
            or any(role in WRITE_ROLES for role in project_roles)
            or (contact.visibility == Visibility.PUBLIC and not project_roles)
        )
        can_delete = own or Membership.Role.MANAGER in project_roles
        rights[contact.pk] = ContactRights(can_edit=can_edit, can_delete=can_delete)
    return rights


def contact_can_edit(*, user: AnyUser, contact: Contact) -> bool:
    """See `contact_rights`."""
    return contact_rights(user=user, contacts=[contact])[contact.pk].can_edit


def contact_can_delete(*, user: AnyUser, contact: Contact) -> bool:
    """See `contact_rights`."""
    return contact_rights(user=user, contacts=[contact])[contact.pk].can_delete


def contact_deletable_q(*, user: AnyUser) -> Q:
    """The condition a contact must meet for the user to delete it (as `contact_rights` decides),
    in the trash or not: superusers, its author, managers of one of its projects."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    managed = member_project_ids(user=user, roles=(Membership.Role.MANAGER,))
    links = Contact.projects.through.objects.filter(contact_id=OuterRef("pk"), project_id__in=managed)
    return Q(author_id=user.pk) | Q(Exists(links))


def trash_list(*, user: AnyUser, search: str = "") -> QuerySet[Contact]:
    """The contacts in the trash the user may restore or purge (those they could delete), the
    most recently deleted first, optionally matching a search text (as the contacts search does).

    Read through the trash's own index (`deleted_at`, live contacts left out).
    """
    qs = Contact.objects.filter(deleted_at__isnull=False).filter(contact_deletable_q(user=user))
    if search.strip():
        qs = qs.filter(search_q(search))
    return qs.select_related("deleted_by", "company").order_by("-deleted_at", "-pk")


def trash_list_by_ids(*, user: AnyUser, ids: Iterable[int | str]) -> list[Contact]:
    """The contacts of `ids` in the trash the user may restore or purge, with what `contact_rights`
    reads; other ids (live, unseen, malformed) are ignored, as a 404 would be."""
    clean = [pk for pk in map(parse_id, ids) if pk is not None]
    qs = trash_list(user=user).filter(pk__in=clean).order_by("pk")
    return list(qs.prefetch_related("projects", "access_list"))


def _contact_rights_expressions(*, user: AnyUser, ref: str, field: Callable[[str], str]) -> dict[str, Any]:
    """`contact_rights` as SQL for the contact at `ref` (an outer reference to its id)."""
    if not user.is_authenticated:
        return {"edit": Value(False), "delete": Value(False)}
    if user.is_superuser:
        return {"edit": Value(True), "delete": Value(True)}
    links = Contact.projects.through.objects.filter(contact_id=OuterRef(ref))
    writing = _held(links, user=user, roles=WRITE_ROLES)
    managing = _held(links, user=user, roles=(Membership.Role.MANAGER,))
    shared = Contact.access_list.through.objects.filter(contact_id=OuterRef(ref), user_id=user.pk)
    own = Q(**{field("author_id"): user.pk})
    edit = (
        own
        | Q(**{field("assigned_to_id"): user.pk})
        | Q(Exists(shared))
        | Q(writing)
        | (Q(**{field("visibility"): Visibility.PUBLIC}) & ~Q(Exists(links)))
    )
    # A comparison with a null author or assignee is null in SQL, not false.
    return {
        "edit": Coalesce(ExpressionWrapper(edit, output_field=BooleanField()), Value(False)),
        "delete": Coalesce(ExpressionWrapper(own | Q(managing), output_field=BooleanField()), Value(False)),
    }


def _held(links: QuerySet, *, user: AnyUser, roles: Iterable[str]) -> GreaterThan:
    """Whether one of a contact's project `links` is to a project where the user holds one of
    `roles`, as a count of such links greater than 0.

    A scalar subquery per contact, read through the contact's links and the membership's unique
    index. Written as an EXISTS, PostgreSQL may instead hash every link of every project the user
    holds such a role in, once per statement (it misjudges how many there are): O(contacts) for a
    page of 100.
    """
    held = links.filter(
        project_id__in=Membership.objects.filter(user_id=user.pk, role__in=list(roles)).values("project_id")
    )
    count = held.order_by().annotate(held=Func(F("pk"), function="COUNT")).values("held")
    return GreaterThan(Subquery(count, output_field=IntegerField()), 0)
