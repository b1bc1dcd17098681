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

import uuid as uuid_module
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import Exact

from contacts.filters import ContactFilter
from contacts.models import (
    Address,
    ApiKey,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Job,
    Note,
    Tag,
    TaggedContact,
    Visibility,
    WebForm,
    normalize_phone,
)
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


def note_get(*, user: AnyUser, pk: int) -> Note | None:
    """A note on a contact the user may see, or None."""
    return note_list(user=user).filter(pk=pk).first()


def note_managed_contact(*, user: AnyUser, contact: Contact) -> bool:
    """Whether the user may change and delete anyone's notes on this contact: staff, superusers
    and the managers of one of the contact's projects."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    managed = member_project_ids(user=user, roles=(Membership.Role.MANAGER,))
    return contact.projects.filter(pk__in=managed).exists()


def note_can_change(*, user: AnyUser, note: Note) -> bool:
    """The author of a note, staff and the contact's project managers may edit or delete it."""
    if not user.is_authenticated:
        return False
    return note.author_id == user.pk or note_managed_contact(user=user, contact=note.contact)


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


def _contact_rights_expressions(*, user: AnyUser, ref: str, field: Callable[[str], str]) -> dict[str, Any]:
    """`contact_rights` as SQL for the contact at `ref` (an outer reference to its id)."""
    if not user.is_authenticated:
        return {"edit": Value(False), "delete": Value(False)}
    if user.is_superuser:
        return {"edit": Value(True), "delete": Value(True)}
    links = Contact.projects.through.objects.filter(contact_id=OuterRef(ref))
    memberships = Membership.objects.filter(user_id=user.pk, project_id=OuterRef("project_id"))
    writing = links.filter(Exists(memberships.filter(role__in=WRITE_ROLES)))
    managing = links.filter(Exists(memberships.filter(role=Membership.Role.MANAGER)))
    shared = Contact.access_list.through.objects.filter(contact_id=OuterRef(ref), user_id=user.pk)
    own = Q(**{field("author_id"): user.pk})
    edit = (
        own
        | Q(**{field("assigned_to_id"): user.pk})
        | Q(Exists(shared))
        | Q(Exists(writing))
        | (Q(**{field("visibility"): Visibility.PUBLIC}) & ~Q(Exists(links)))
    )
    # A comparison with a null author or assignee is null in SQL, not false.
    return {
        "edit": Coalesce(ExpressionWrapper(edit, output_field=BooleanField()), Value(False)),
        "delete": Coalesce(ExpressionWrapper(own | Q(Exists(managing)), output_field=BooleanField()), Value(False)),
    }


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


def contact_annotate_company_visible(qs: QuerySet[Contact], *, user: AnyUser) -> QuerySet[Contact]:
    """`qs` with `company_visible`: whether the user may see each contact's company (no extra query)."""
    visible = contact_list(user=user, prefetch=False).filter(pk=OuterRef("company_id"))
    return qs.annotate(company_visible=Exists(visible))


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


def tag_get(*, pk: Any = None, slug: str | None = None, name: str | None = None) -> Tag | None:
    """The tag with this id, this slug or this name (ignoring case), or None (tags are shared
    by the whole CRM)."""
    if name is not None:
        return None if "\x00" in name else Tag.objects.filter(name__iexact=name.strip()).first()
    if pk is not None:
        pk = parse_id(pk)
        return None if pk is None else Tag.objects.filter(pk=pk).first()
    return Tag.objects.filter(slug=slug).first() if slug else None


def tags_by_slug(*, slugs: Iterable[str]) -> dict[str, Tag]:
    """The tags of these slugs, by slug; unknown slugs are left out."""
    return {tag.slug: tag for tag in Tag.objects.filter(slug__in=[str(s) for s in slugs])}


def tag_member_contacts(*, user: AnyUser, tag: Tag) -> list[Contact]:
    """The visible contacts carrying the tag, by id."""
    tagged = TaggedContact.objects.filter(tag=tag).values("content_object_id")
    return list(contact_list(user=user, prefetch=False).filter(pk__in=tagged).order_by("pk"))


def tag_list_matching(
    *, fields: Mapping[str, Sequence[Any]] | None = None, order_by: Sequence[str] = ("pk",)
) -> QuerySet[Tag]:
    """Tags whose fields (`pk`, `slug`, `name`) take one of the values given, ordered."""
    qs = Tag.objects.all()
    for name, values in (fields or {}).items():
        qs = qs.filter(**{f"{name}__in": list(values)})
    return qs.order_by(*order_by)


def tag_rows(
    *, user: AnyUser, tags: QuerySet[Tag], offset: int = 0, limit: int | None = None, members: bool = True
) -> list[dict[str, Any]]:
    """A page of tags as dicts (`pk`, `slug`, `name`, `members`: the ids of the visible contacts
    carrying each, ascending, when `members`), in two queries whatever the page's size."""
    end = None if limit is None else offset + limit
    rows = list(tags.values("pk", "slug", "name")[offset:end])
    by_pk = {row["pk"]: row for row in rows}
    for row in rows:
        row["members"] = []
    if rows and members:
        visible = contact_list(user=user, prefetch=False).order_by().values("pk")
        tagged = TaggedContact.objects.filter(tag_id__in=list(by_pk), content_object_id__in=visible)
        for tag_id, contact_id in tagged.order_by("content_object_id").values_list("tag_id", "content_object_id"):
            by_pk[tag_id]["members"].append(contact_id)
    return rows


def job_list(*, user: AnyUser) -> QuerySet[Job]:
    """The user's own background jobs, newest first."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(user=user).order_by("-created_at", "-id")


def job_get(*, user: AnyUser, pk: int) -> Job | None:
    """One of the user's own jobs, or None (someone else's job is not there for them)."""
    return job_list(user=user).filter(pk=pk).first()
