"""Reads of contacts: the one visibility-aware path every face goes through.

`contact_list(user=...)` is the only way any part of the CRM (each API dialect,
the UI, search, exports, tag counts, the web form's duplicate check) reads
contacts, so the visibility rule below exists once:

- superusers see everything;
- a contact's author, assignee and access list always see it;
- a public contact is seen by every signed-in user;
- a project contact by members of one of its projects;
- a private contact by nobody else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Exact

from contacts.filters import ContactFilter
from contacts.models import ApiKey, Contact, ContactItem, CustomValue, Note, Tag, TaggedContact, Visibility, WebForm
from crm.ids import MAX_ID, parse_id
from projects.models import Membership
from projects.selectors import WRITE_ROLES, member_project_ids

AnyUser = AbstractBaseUser | AnonymousUser


def contact_visibility_q(*, user: AnyUser) -> Q:
    """The condition a contact must meet for the user to see it.

    Written with correlated EXISTS over the access list and the contact's projects (both
    indexed by contact first), so each contact is checked on its own: a page of 100 costs
    100 probes, never a pass over every contact of the user's projects.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
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
    return (
        Q(visibility=Visibility.PUBLIC)
        | Q(author_id=user.pk)
        | Q(assigned_to_id=user.pk)
        | Q(shared)
        | Q(in_member_project)
    )


def contact_visible_q(*, user: AnyUser, contact_ref: str) -> Q:
    """A condition on another model's rows: the contact its field `contact_ref` points at is visible.

    A correlated EXISTS per row (nothing at all for superusers), for notes, tags and custom
    values, instead of an "id in every visible contact" list.
    """
    if user.is_authenticated and user.is_superuser:
        return Q()
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
    qs = Contact.objects.filter(contact_visibility_q(user=user))
    if filters:
        filterset = ContactFilter(data=filters, queryset=qs, user=user)
        if not filterset.is_valid():
            raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
        qs = filterset.qs
    if order_by:
        qs = qs.order_by(*order_by, "pk")
    if prefetch:
        qs = qs.select_related("company", "author", "assigned_to", "contact_type", "stage").prefetch_related(
            *contact_prefetches()
        )
    return qs


def contact_get(*, user: AnyUser, pk: int | str, prefetch: bool = True) -> Contact | None:
    """One contact the user may see, or None (callers answer 404, never 403, so nothing leaks)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:  # larger ids overflow the database's integer, they exist nowhere
        return None
    return contact_list(user=user, prefetch=prefetch).filter(pk=pk).first()


def contact_count(qs: QuerySet) -> int:
    """How many rows a list has: COUNT(*) over its filters only (no ordering, joins or prefetches)."""
    return qs.order_by().values("pk").count()


def contact_page(qs: QuerySet, *, offset: int, limit: int, total: int | None = None) -> list[Any]:
    """One page of an ordered list of contacts (or of any model), in one statement.

    The inner `SELECT id ... ORDER BY ... LIMIT/OFFSET` walks only the sort index, and the
    rows (with their select_related joins and prefetches) are read for those ids alone, so a
    deep page skips index entries, not whole rows. When the caller knows the `total` and the
    page lies in the second half, it is read from the other end in the reverse order, so the
    last page costs what the first does. The order must end with the primary key (as
    `contact_list(order_by=...)` and Contact's default order do) for pages to be exact.
    """
    offset, limit = max(offset, 0), max(limit, 0)
    if total is not None:
        limit = min(limit, max(total - offset, 0))
    if not limit:
        return []
    ids = qs.values("pk")
    if total is not None and offset > total // 2 and _ends_with_pk(qs):
        start = total - offset - limit
        ids = qs.reverse().values("pk")[start : start + limit]
    else:
        ids = ids[offset : offset + limit]
    return list(_rows_by_ids(qs, ids))


def _rows_by_ids(qs: QuerySet, ids: QuerySet) -> QuerySet:
    """The rows of `ids` as `qs` would load them, without evaluating `qs`'s filters a second time
    (the ids already met them; a search's index would otherwise be read twice)."""
    query = qs.query
    if query.annotations or query.extra or query.combinator or query.distinct:
        return qs.filter(pk__in=ids)
    rows = qs.model._default_manager.filter(pk__in=ids)
    rows.query.select_related = query.select_related
    rows.query.deferred_loading = query.deferred_loading
    rows.query.order_by = query.order_by
    rows.query.default_ordering = query.default_ordering
    rows.query.standard_ordering = query.standard_ordering
    rows._prefetch_related_lookups = qs._prefetch_related_lookups
    return rows


def _ends_with_pk(qs: QuerySet) -> bool:
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    return bool(ordering) and str(ordering[-1]).lstrip("-") in ("pk", "id", qs.model._meta.pk.name)


class ContactPages:
    """A list for django.core.paginator.Paginator that counts and pages with the helpers above."""

    def __init__(self, qs: QuerySet) -> None:
        self.qs = qs
        self.total: int | None = None

    def count(self) -> int:
        if self.total is None:
            self.total = contact_count(self.qs)
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        return contact_page(self.qs, offset=start, limit=(window.stop or start) - start, total=self.total)


def contact_tags(contact: Contact) -> list[Tag]:
    """The tags of a contact from its prefetched tagged items (no extra query)."""
    return sorted((ti.tag for ti in contact.tagged_items.all()), key=lambda t: t.name.lower())


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


def note_list(*, user: AnyUser, contact: Contact | None = None) -> QuerySet[Note]:
    """Notes on contacts the user may see, newest first."""
    qs = Note.objects.filter(contact_visible_q(user=user, contact_ref="contact_id")).select_related("author", "contact")
    if contact is not None:
        qs = qs.filter(contact=contact)
    return qs


def tag_counts(*, user: AnyUser) -> QuerySet[Tag]:
    """Tags used on contacts the user can see, with how many such contacts carry each.

    Every visible contact's tags are counted, so this reads them all; measured, joining the tags
    to the list of visible ids is cheaper here than a correlated check per tagged row.
    """
    visible = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    return (
        Tag.objects.filter(tagged_contacts__content_object_id__in=visible)
        .annotate(count=Count("tagged_contacts"))
        .order_by("name")
    )


def tag_dictionary(*, user: AnyUser) -> QuerySet[Tag]:
    """Every tag with how many contacts the user can see carry it (`count`), by name.

    Tags carried only by contacts the user cannot see are left out; tags nobody uses stay in,
    with a count of 0, so a tag added to the dictionary before use can be listed.
    """
    visible = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    return (
        Tag.objects.annotate(
            count=Count("tagged_contacts", filter=Q(tagged_contacts__content_object_id__in=visible)),
            uses=Count("tagged_contacts"),
        )
        .filter(Q(count__gt=0) | Q(uses=0))
        .order_by(Lower("name"), "pk")
    )


def contact_counts_by(*, user: AnyUser, field: str) -> dict[int, int]:
    """How many contacts the user can see per value of a foreign key (`contact_type`, `stage`, `company`)."""
    rows = contact_list(user=user, prefetch=False).order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows if row[field] is not None}


def custom_value_counts(*, user: AnyUser) -> dict[int, int]:
    """How many contacts the user can see have a value for each custom field."""
    values = CustomValue.objects.filter(contact_visible_q(user=user, contact_ref="contact_id"))
    rows = values.order_by().values("field_id").annotate(n=Count("pk"))
    return {row["field_id"]: row["n"] for row in rows}


def contact_list_by_ids(*, user: AnyUser, ids: Iterable[int | str]) -> list[Contact]:
    """The contacts of `ids` the user may see, with what `contact_rights` reads; other ids
    (unseen, malformed or out of the database's range) are ignored, as a 404 would be."""
    clean = [pk for pk in map(parse_id, ids) if pk is not None]
    qs = contact_list(user=user, prefetch=False).filter(pk__in=clean)
    return list(qs.prefetch_related("projects", "access_list"))


def apikey_get(*, key: str) -> ApiKey | None:
    """The API key with this secret, if its user is active (with the user, in one query)."""
    if not key or "\x00" in key:
        return None
    return ApiKey.objects.select_related("user").filter(key=key, user__is_active=True).first()


def webform_for_key(*, key: str) -> WebForm | None:
    """The active web form with this key (with its project), or None."""
    if not key or "\x00" in key:
        return None
    forms = WebForm.objects.select_related("project", "created_by", "assigned_to")
    return forms.filter(key=key, is_active=True).first()


def tag_can_manage(*, user: AnyUser) -> bool:
    """Tags are shared by the whole CRM, so renaming and merging them is for staff."""
    return user.is_authenticated and user.is_staff


def contact_counts(*, user: AnyUser) -> dict[str, int]:
    """How many persons and companies the user may see, in one query."""
    return contact_list(user=user, prefetch=False).aggregate(
        persons=Count("pk", filter=Q(is_company=False)), companies=Count("pk", filter=Q(is_company=True))
    )


def tag_names(*, user: AnyUser, prefix: str = "", limit: int = 10) -> list[str]:
    """Names of the tags on contacts the user may see, for autocompletion."""
    tags = tag_counts(user=user)
    if prefix:
        tags = tags.filter(name__istartswith=prefix)
    return [tag.name for tag in tags[:limit]]


def webform_list(*, project: Any) -> QuerySet[WebForm]:
    """The web forms of a project (callers have checked the user may see the project)."""
    return WebForm.objects.filter(project=project).prefetch_related("custom_fields").select_related("project")


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
