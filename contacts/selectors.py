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

import heapq
import json
import uuid as uuid_module
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Coalesce, Lower
from django.db.models.lookups import Exact, In, IsNull
from django.db.models.sql.where import WhereNode

from contacts.counts import member_count_sql, stored_count
from contacts.filters import ContactFilter
from contacts.models import (
    LIVE,
    Address,
    ApiKey,
    Contact,
    ContactChange,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Job,
    Note,
    SavedView,
    Tag,
    TaggedContact,
    Visibility,
    WebForm,
    normalize_phone,
)
from contacts.search import (
    search_count_capped,
    search_count_live,
    search_found_page,
    search_match,
    search_q,
    search_walk_page,
)
from crm.ids import MAX_ID, parse_id
from crm.prepared import PreparedQuery
from projects.models import Membership, Project
from projects.selectors import WRITE_ROLES, member_project_ids, project_list

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


# The UI counts a list up to this many contacts and shows "10000+" beyond (as mail clients do):
# an exact total costs a pass over every match, a capped one stops after this many.
COUNTED_UP_TO = 10_000


def contact_count(qs: QuerySet, *, cap: int | None = None) -> int:
    """How many rows a list has: COUNT(*) over its filters only (no ordering, joins or prefetches).

    With a `cap`, the count stops after `cap + 1` rows (a `LIMIT` inside the count), so the
    answer is exact up to `cap` and `cap + 1` means "more than `cap`"; the cost is then
    O(cap), not O(matches). The dialects that document a total ask without a cap.

    A list of every contact out of the trash (a superuser's, unfiltered) is counted from the
    stored counts (`contacts.counts`), and so is anyone else's unfiltered list, of everyone or
    of persons or companies only, exactly (`member_count_sql`: a sum over the visibility keys and
    the user's access list, whatever the number of contacts); a superuser's search with no other
    filter from the search index alone (`search_count_live`).
    """
    return _contact_count(qs, cap=cap)[0]


def _contact_count(qs: QuerySet, *, cap: int | None) -> tuple[int, str | None]:
    """`contact_count`, with the ids a capped search count found when it kept them (a JSON
    array, see `search_count_capped`), else None."""
    ids = qs.order_by().values("pk")
    if _counts_every_live_contact(ids.query):
        total = stored_count()
        return (total if cap is None else min(total, cap + 1)), None
    if cap is None and (match := _live_search(ids.query)) is not None:
        total = search_count_live(match)
        if total is not None:
            return total, None
    if cap is None:
        split = _count_by_visibility(ids)
        return (ids.count() if split is None else split), None
    driven = search_count_capped(ids.query, cap=cap)
    return (ids[: cap + 1].count(), None) if driven is None else driven


def _counts_every_live_contact(query: Any, *, where: WhereNode | None = None) -> bool:
    """Whether a query of contact ids reads every contact out of the trash, one row each: no
    slice, no union, and `where` (the query's own by default) is `LIVE` and nothing else."""
    return (
        query.model is Contact
        and not query.is_sliced
        and not query.combinator
        and _is_live_only(query.where if where is None else where)
    )


def _live_search(query: Any) -> Any:
    """The search of a query of contact ids whose conditions are exactly `LIVE` and that one
    search (a superuser's search, unfiltered otherwise), or None."""
    where = query.where
    if (
        query.model is not Contact
        or query.is_sliced
        or query.combinator
        or where.connector != "AND"
        or where.negated
        or len(where.children) != 2
    ):
        return None
    live, search = where.children
    if search_match(live) is not None:
        live, search = search, live
    match = search_match(search)
    return match if match is not None and _is_live_only(WhereNode([live])) else None


def _is_live_only(where: WhereNode) -> bool:
    """Whether a WHERE holds exactly the condition `LIVE` (out of the trash), nothing else."""
    if where.connector != "AND" or where.negated or len(where.children) != 1:
        return False
    node = where.children[0]
    if isinstance(node, WhereNode):
        return _is_live_only(node)
    return (
        isinstance(node, IsNull)
        and node.rhs is True
        and isinstance(node.lhs, Col)
        and node.lhs.alias == Contact._meta.db_table
        and node.lhs.target.name == "deleted_at"
    )


def _count_by_visibility(ids: QuerySet) -> int | None:
    """The count of a list of contact ids filtered by `contact_visibility_q` for a user who is no
    superuser, as the public contacts plus the others the user may see, in one statement.

    A list with no other condition than being out of the trash (and at most persons or companies
    only) is counted from the stored counts by visibility key alone (`_keyed_count`). Otherwise
    the public ones are counted from the visibility index alone; only the others are checked
    for the author, assignee, access list and projects. Counting both under the one condition
    checks each contact for all of it: at a million contacts about twice the time. None when
    the list has no such condition, or another condition than a column equal to a value: a
    search, a tag, a project or a date range may drive the count, which this would read twice.
    """
    query = ids.query
    where = query.where
    if where.connector != "AND" or where.negated:
        return None
    found = [index for index, node in enumerate(where.children) if _is_visibility(node)]
    others = [node for node in where.children if not _is_visibility(node)]
    if len(found) != 1 or not all(_is_column_equality(node) for node in others):
        return None
    index = found[0]
    node = where.children[index]
    connection = connections[ids.db]
    if (keyed := _keyed_count(query, node, others)) is not None:
        sql, params = member_count_sql(user_id=keyed[0], is_company=keyed[1])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)
            return cursor.fetchone()[0]
    public, hidden_ones = query.clone(), query.clone()
    public.where.children[index] = node.children[0]
    hidden = In(node.children[0].lhs, [Visibility.PROJECT.value, Visibility.PRIVATE.value])
    hidden_ones.where.children[index] = WhereNode([hidden, WhereNode(node.children[1:], connector="OR")])
    public_sql, public_params = public.get_compiler(connection=connection).as_sql()
    hidden_sql, hidden_params = hidden_ones.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({public_sql}) counted) + (SELECT COUNT(*) FROM ({hidden_sql}) counted)",
            [*public_params, *hidden_params],
        )
        return cursor.fetchone()[0]


def _keyed_count(query: Any, node: WhereNode, others: list[Any]) -> tuple[int, bool | None] | None:
    """The user and the kind (persons or companies, or None for both) of a list whose count the
    stored counts give (`member_count_sql`): `contact_visibility_q`'s alternatives for that user,
    out of the trash, at most `is_company` besides; else None."""
    author = node.children[1] if len(node.children) == 5 else None
    if not (
        isinstance(author, Exact)
        and getattr(getattr(author.lhs, "target", None), "name", None) == "author"
        and isinstance(author.rhs, int)
    ):
        return None
    kinds = [
        other
        for other in others
        if isinstance(other, Exact) and other.lhs.target.name == "is_company" and isinstance(other.rhs, bool)
    ]
    rest = [other for other in others if other not in kinds]
    if len(kinds) > 1 or not _counts_every_live_contact(query, where=WhereNode(rest)):
        return None
    return author.rhs, kinds[0].rhs if kinds else None


def _is_column_equality(node: Any) -> bool:
    """Whether a WHERE node compares a column of the contact with a value (`is_company`,
    `assigned_to`, out of the trash...); a range or a list of ids may drive a count instead."""
    return (
        isinstance(node, Exact | IsNull)
        and isinstance(node.lhs, Col)
        and (node.rhs is None or isinstance(node.rhs, str | int | bool))
    )


def _is_visibility(node: Any) -> bool:
    """Whether a WHERE node is `contact_visibility_q`'s "public, or ..." alternative."""
    if not isinstance(node, WhereNode) or node.connector != "OR" or node.negated or len(node.children) < 2:
        return False
    first = node.children[0]
    return (
        isinstance(first, Exact)
        and getattr(getattr(first.lhs, "target", None), "name", None) == "visibility"
        and first.rhs == Visibility.PUBLIC.value
    )


def contact_page(
    qs: QuerySet,
    *,
    offset: int,
    limit: int,
    total: int | None = None,
    least: int | None = None,
    found: str | None = None,
) -> list[Any]:
    """One page of an ordered list of contacts (or of any model), in one statement.

    The inner `SELECT id ... ORDER BY ... LIMIT/OFFSET` walks only the sort index, and the
    rows (with their select_related joins and prefetches) are read for those ids alone, so a
    deep page skips index entries, not whole rows. When the caller knows the `total` and the
    page lies in the second half, it is read from the other end in the reverse order, so the
    last page costs what the first does. The order must end with the primary key (as
    `contact_list(order_by=...)` and Contact's default order do) for pages to be exact.

    With the `total` (or, from a capped count, the `least` the list holds), the first pages of
    a common search walk the sort index instead of reading every match (`search_walk_page`).
    With the ids its search matched (`found`, from a capped count of few matches), the page
    reads them by id instead of reading the search index again (`search_found_page`).
    """
    offset, limit = max(offset, 0), max(limit, 0)
    if total is not None:
        limit = min(limit, max(total - offset, 0))
    if not limit:
        return []
    ids = qs.values("pk")
    reverse = total is not None and offset > total // 2 and _ends_with_pk(qs)
    if reverse:
        start = total - offset - limit
        ids = qs.reverse().values("pk")[start : start + limit]
    else:
        start = offset
        ids = ids[offset : offset + limit]
    if found is not None:
        search_found_page(ids.query, found=found)
    elif (known := total if total is not None else least) is not None:
        search_walk_page(ids.query, total=known, rows=start + limit)
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
    """A list for django.core.paginator.Paginator that counts and pages with the helpers above.

    With a `cap`, a list of more than `cap` rows counts as `cap` (`capped` is then true and
    `label` reads "10000+"): the pages reach its first `cap` rows, read from the front.
    """

    def __init__(self, qs: QuerySet, *, cap: int | None = None) -> None:
        self.qs = qs
        self.cap = cap
        self.total: int | None = None
        self.capped = False
        self.found: str | None = None

    def count(self) -> int:
        if self.total is None:
            total, self.found = _contact_count(self.qs, cap=self.cap)
            self.capped = self.cap is not None and total > self.cap
            self.total = self.cap if self.capped else total
        return self.total

    @property
    def label(self) -> str:
        """The count as the UI shows it: "42", or "10000+" when the list goes on past the cap."""
        return f"{self.count()}+" if self.capped else str(self.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        # A capped total is not the list's end: reading from the other end would start elsewhere.
        total, least = (None, self.total) if self.capped else (self.total, None)
        return contact_page(
            self.qs, offset=start, limit=(window.stop or start) - start, total=total, least=least, found=self.found
        )


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


# Every request signed with an API key, in every dialect, starts with this read: compiled once
# (crm.prepared), and still run on each request, so a key deleted or a user deactivated is refused
# at once.
_APIKEY_BY_KEY = PreparedQuery(
    lambda key: ApiKey.objects.select_related("user").filter(key=key, user__is_active=True)[:1],
    "\x00key",
)


def apikey_get(*, key: str) -> ApiKey | None:
    """The API key with this secret, if its user is active (with the user, in one query)."""
    if not key or "\x00" in key:
        return None
    return _APIKEY_BY_KEY.first(key)


# Every post of a web form starts with this read: compiled once (crm.prepared).
_WEBFORM_BY_KEY = PreparedQuery(
    lambda key: WebForm.objects.select_related("project", "assigned_to").filter(key=key, is_active=True)[:1],
    "\x00key",
)


def webform_for_key(*, key: str) -> WebForm | None:
    """The active web form with this key (with its project and the assignee of its leads), or None."""
    if not key or "\x00" in key:
        return None
    return _WEBFORM_BY_KEY.first(key)


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


# Flat rows for exports: the visible contacts in keyset chunks, each chunk's child rows in one
# query per kind, read as the database driver returns them. See docs/export.md.

EXPORT_CHUNK = 2000
EXPORT_FIELDS = (
    "pk",
    "is_company",
    "salutation",
    "first_name",
    "middle_name",
    "last_name",
    "name",
    "display_name",
    "company_id",
    "job_title",
    "department",
    "industry",
    "background",
    "birthday",
    "contact_type_id",
    "stage_id",
    "currency",
    "priority",
    "assigned_to_id",
    "visibility",
    "uuid",
    "created_at",
    "updated_at",
)
# Read as text: SQLite's driver would otherwise parse every date and timestamp (a third of a
# large export's time), and the exporters write them as text anyway.
EXPORT_TEXT_FIELDS = ("birthday", "created_at", "updated_at")


def _export_values(query: QuerySet[Contact]) -> QuerySet:
    texts = {f"{name}_text": Cast(name, output_field=CharField()) for name in EXPORT_TEXT_FIELDS}
    names = [f"{name}_text" if name in EXPORT_TEXT_FIELDS else name for name in EXPORT_FIELDS]
    return query.annotate(**texts).values_list(*names)


@dataclass(slots=True)
class ExportRow:
    """One contact as the driver's values of EXPORT_FIELDS, with its child rows attached.

    Dates and timestamps are the database's text (PostgreSQL's with its "+00" offset, SQLite's
    without); a uuid is a UUID or hex text: the exporters read both.
    """

    pk: int
    is_company: Any
    salutation: str
    first_name: str
    middle_name: str
    last_name: str
    name: str
    display_name: str
    company_id: int | None
    job_title: str
    department: str
    industry: str
    background: str
    birthday: str | None
    contact_type_id: int | None
    stage_id: int | None
    currency: str
    priority: int | None
    assigned_to_id: int | None
    visibility: str
    uuid: Any
    created_at: str
    updated_at: str
    company_name: str = ""  # the person's company, when the user may see it
    assigned_to: str = ""  # the assignee's username
    # (contact_id, kind, tel_type, context, service, value, is_primary), in display order
    # Empty tuples (and None) by default, lists and dicts only for the contacts that have child
    # rows: a large export's time goes in part to the garbage collector tracking new containers.
    items: Sequence[tuple] = ()
    # (contact_id, street1, street2, city, region, postcode, country, context, is_primary), in display order
    addresses: Sequence[tuple] = ()
    tags: Sequence[str] = ()
    projects: Sequence[str] = ()
    custom: Mapping[int, str] | None = None  # field id → stored value


def _raw_rows(query: QuerySet) -> list[tuple]:
    """All rows of a values_list query as the driver returns them: the ORM's per-value converters
    are the costliest part of a large export."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _CompiledQuery:
    """A values_list query compiled once, whose marked parameters each run fills in anew.

    `build` gets the marks to filter by (negative ids: no row has one) and must use each once;
    `rows` runs the SQL with the values in their places. Compiling a query through the ORM
    costs milliseconds, which a large export would otherwise pay for every query of every chunk.
    """

    def __init__(self, build: Callable[..., QuerySet], *marks: int) -> None:
        query = build(*marks)
        sql, params = query.query.get_compiler(using=query.db).as_sql()
        self.sql, self.db, self.params = sql, query.db, list(params)
        self.slots = [self._slot(mark) for mark in marks]

    def _slot(self, mark: int) -> int:
        found = [i for i, value in enumerate(self.params) if value.__class__ is int and value == mark]
        if len(found) != 1:
            raise ValueError("a compiled query must take each of its marks once")
        return found[0]

    def rows(self, *values: Any) -> list[tuple]:
        params = self.params.copy()
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()


class _ChunkQuery:
    """A values_list query over the child rows of a chunk of contacts, compiled once per export.

    Building an `IN` of 2000 ids through the ORM costs milliseconds per query, which a large
    export would pay for every query of every chunk. The query is compiled once over `size`
    placeholder ids (negative: no contact has one), and each chunk puts its own ids in their
    places among the parameters (repeating its last id when it is shorter).

    On PostgreSQL the list is one array parameter instead (`= ANY(%s)`): the server parses and
    plans an IN of 2000 values several times slower than the array, for the same plan.
    """

    def __init__(self, build: Callable[[Callable[[str], dict[str, Any]]], QuerySet], *, size: int) -> None:
        placeholders = list(range(-size, 0))
        query = build(lambda field: {f"{field}__in": placeholders})
        sql, params = query.query.get_compiler(using=query.db).as_sql()
        wanted = set(placeholders)
        self.sql, self.db, self.params = sql, query.db, list(params)
        self.slots = [i for i, value in enumerate(self.params) if value.__class__ is int and value in wanted]
        if len(self.slots) != size:
            raise ValueError("a chunk query must take its ids once, as one IN list")
        self.array = False
        listed = "IN (" + ", ".join(["%s"] * size) + ")"
        first = self.slots[0]
        if (
            connections[self.db].vendor == "postgresql"
            and self.sql.count(listed) == 1
            and self.slots == list(range(first, first + size))
        ):
            self.sql = self.sql.replace(listed, "= ANY(%s)")
            self.params[first : first + size] = [None]
            self.slots, self.array = [first], True

    def rows(self, ids: list[int]) -> list[tuple]:
        params = self.params.copy()
        if self.array:
            params[self.slots[0]] = ids
        else:
            padded = ids + [ids[-1]] * (len(self.slots) - len(ids))
            for slot, pk in zip(self.slots, padded, strict=True):
                params[slot] = pk
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()


# The two marks of a range query: its lowest and its highest contact id.
_LOW, _HIGH = -2, -1


def _range_query(build: Callable[[Callable[[str], dict[str, Any]]], QuerySet]) -> _CompiledQuery:
    """The child rows of a range of contact ids, `low <= id <= high`: two parameters, not a list."""
    return _CompiledQuery(
        lambda low, high: build(lambda field: {f"{field}__gte": low, f"{field}__lte": high}), _LOW, _HIGH
    )


class _ChildQueries:
    """The child rows of a chunk, one query each, in the shape `_export_children` reads.

    A chunk whose ids are dense (its id range at most twice its size, as a keyset chunk of an
    unfiltered list is) reads them by id range: the database binds two values instead of a list
    of 2000, and the rows of the few contacts in the range that are not in the chunk are read
    and left unused. A sparse chunk (a filtered list) reads them by its list of ids.
    """

    def __init__(self, *, user: AnyUser, custom: bool, size: int) -> None:
        self.builds = _export_child_builds(user=user, custom=custom)
        self.size = size
        self._listed: dict[str, _ChunkQuery] | None = None
        self._ranged: dict[str, _CompiledQuery] | None = None

    def rows(self, ids: list[int]) -> dict[str, list[tuple]]:
        low, high = min(ids), max(ids)
        if high - low < 2 * len(ids):
            if self._ranged is None:
                self._ranged = {name: _range_query(build) for name, build in self.builds.items()}
            return {name: query.rows(low, high) for name, query in self._ranged.items()}
        if self._listed is None:
            self._listed = {name: _ChunkQuery(build, size=self.size) for name, build in self.builds.items()}
        return {name: query.rows(ids) for name, query in self._listed.items()}


def _export_child_builds(
    *, user: AnyUser, custom: bool
) -> dict[str, Callable[[Callable[[str], dict[str, Any]]], QuerySet]]:
    """Each kind of child row as a query over contacts that `of(field)` picks (a filter on `field`)."""
    builds: dict[str, Callable[[Callable[[str], dict[str, Any]]], QuerySet]] = {
        "items": lambda of: (
            ContactItem.objects.filter(**of("contact_id"))
            .order_by("contact_id", "position", "id")
            .values_list("contact_id", "kind", "tel_type", "context", "service", "value", "is_primary")
        ),
        "addresses": lambda of: (
            Address.objects.filter(**of("contact_id"))
            .order_by("contact_id", "position", "id")
            .values_list(
                "contact_id", "street1", "street2", "city", "region", "postcode", "country", "context", "is_primary"
            )
        ),
        "tags": lambda of: (
            TaggedContact.objects.filter(**of("content_object_id"))
            .order_by("content_object_id", Lower("tag__name"))
            .values_list("content_object_id", "tag__name")
        ),
        "projects": lambda of: (
            Contact.projects.through.objects.filter(**of("contact_id"))
            .order_by("contact_id", "project__identifier")
            .values_list("contact_id", "project__identifier")
        ),
        # A person's company is named only when the user may see it, as on the contact's page.
        "companies": lambda of: (
            contact_list(user=user, prefetch=False)
            .filter(pk__in=Contact.objects.filter(**of("pk"), company_id__isnull=False).values("company_id"))
            .order_by()
            .values_list("pk", "display_name")
        ),
        # Usernames by a query of their own: joining the users to every contact costs more.
        "assignees": lambda of: (
            get_user_model()
            .objects.filter(pk__in=Contact.objects.filter(**of("pk")).values("assigned_to_id"))
            .order_by()
            .values_list("pk", "username")
        ),
    }
    if custom:
        builds["custom"] = lambda of: (
            CustomValue.objects.filter(**of("contact_id")).order_by().values_list("contact_id", "field_id", "value")
        )
    return builds


# The mark of the keyset query's last id (no contact has a negative id).
_LAST = -1


def contact_export_chunks(
    *, user: AnyUser, contacts: QuerySet[Contact] | Sequence[Contact], custom: bool = True, size: int | None = None
) -> Iterator[list[ExportRow]]:
    """Chunks of flat export rows of `contacts` (a `contact_list` query, or contacts read through it).

    A query is read in id order by keyset (`pk > last`, `size` rows at a time, EXPORT_CHUNK by
    default): every chunk is its own short statement, so no cursor or snapshot stays open
    while a slow client downloads. Each chunk then costs one query per kind of child row
    (items, addresses, tags, projects, custom values unless `custom` is false) and one for the
    names of the companies the user may see, whatever its contacts hold. A list of contacts is
    read again by id (through `contact_list`) and keeps its order.
    """
    size = size or EXPORT_CHUNK
    if not isinstance(contacts, QuerySet):
        pks = [contact.pk for contact in contacts]
        visible = contact_list(user=user, prefetch=False)
        children = _ChildQueries(user=user, custom=custom, size=min(size, len(pks)))
        for start in range(0, len(pks), size):
            part = pks[start : start + size]
            found = _raw_rows(_export_values(visible.filter(pk__in=part).order_by()))
            rows = {values[0]: ExportRow(*values) for values in found}
            chunk = [rows[pk] for pk in part if pk in rows]
            if chunk:
                yield _export_children(chunk, queries=children)
        return
    children = _ChildQueries(user=user, custom=custom, size=size)
    query = contacts.select_related(None).prefetch_related(None).order_by("pk")
    try:
        keyset = _CompiledQuery(lambda last: _export_values(query.filter(pk__gt=last))[:size], _LAST)
        read = keyset.rows
    except ValueError:  # the list's own filters take the mark's value too: compile each chunk's query

        def read(last: int) -> list[tuple]:
            return _raw_rows(_export_values(query.filter(pk__gt=last))[:size])

    last = 0
    while True:
        found = read(last)
        if not found:
            return
        yield _export_children([ExportRow(*values) for values in found], queries=children)
        if len(found) < size:
            return
        # Let this chunk go before the next is read: memory holds one chunk, not two.
        last, found = found[-1][0], None


_CONTACT_ID = itemgetter(0)


def _grouped(rows: list[tuple], *, part: int | None = None) -> dict[int, list]:
    """Rows by their first value (a contact id): the whole rows, or only their value at `part`.

    The rows come ordered by that id (every child query sorts by it first), so each contact's
    rows are one run, grouped in C.
    """
    if part is None:
        return {key: list(group) for key, group in groupby(rows, _CONTACT_ID)}
    value = itemgetter(part)
    return {key: list(map(value, group)) for key, group in groupby(rows, _CONTACT_ID)}


def _export_children(chunk: list[ExportRow], *, queries: _ChildQueries) -> list[ExportRow]:
    found = queries.rows([row.pk for row in chunk])
    items = _grouped(found["items"])
    addresses = _grouped(found["addresses"])
    tags = _grouped(found["tags"], part=1)
    projects = _grouped(found["projects"], part=1)
    custom: dict[int, dict[int, str]] = {}
    if "custom" in found:
        for contact_id, field_id, value in found["custom"]:
            values = custom.get(contact_id)
            if values is None:
                custom[contact_id] = {field_id: value}
            else:
                values[field_id] = value
    names = dict(found["companies"])
    usernames = dict(found["assignees"])
    for row in chunk:
        pk = row.pk
        if pk in items:
            row.items = items[pk]
        if pk in addresses:
            row.addresses = addresses[pk]
        if pk in tags:
            row.tags = tags[pk]
        if pk in projects:
            row.projects = projects[pk]
        if pk in custom:
            row.custom = custom[pk]
        if row.company_id is not None:
            row.company_name = names.get(row.company_id, "")
        if row.assigned_to_id is not None:
            row.assigned_to = usernames.get(row.assigned_to_id, "")
    return chunk


def contact_export_counts(*, contacts: QuerySet[Contact] | Sequence[Contact]) -> tuple[dict[str, int], int]:
    """The largest number of items of each kind one of `contacts` has, and of addresses: the
    numbered columns a CSV of them needs (two grouped queries over their child rows)."""
    if isinstance(contacts, QuerySet):
        ids: Any = contacts.select_related(None).prefetch_related(None).order_by().values("pk")
    else:
        ids = [contact.pk for contact in contacts]
    per_contact = (
        ContactItem.objects.filter(contact_id__in=ids)
        .order_by()
        .values("contact_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    sql, params = per_contact.query.get_compiler(using=per_contact.db).as_sql()
    with connections[per_contact.db].cursor() as cursor:
        cursor.execute(f"SELECT counts.kind, MAX(counts.n) FROM ({sql}) counts GROUP BY counts.kind", params)
        items = dict(cursor.fetchall())
    addresses = (
        Address.objects.filter(contact_id__in=ids)
        .order_by()
        .values("contact_id")
        .annotate(n=Count("pk"))
        .aggregate(most=Max("n"))
    )
    return items, addresses["most"] or 0


TIMELINE_SHOWS = ("all", "notes", "changes")


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a contact's timeline: a note or a history entry, at its date."""

    at: Any
    note: Note | None = None
    change: ContactChange | None = None


def contact_changes(*, contact: Contact) -> QuerySet[ContactChange]:
    """A contact's history, newest first (the contact is one the caller has checked the user may see)."""
    return ContactChange.objects.filter(contact=contact).select_related("user").order_by("-at", "-id")


def contact_timeline(
    *, user: AnyUser, contact: Contact, show: str = "all", offset: int = 0, limit: int = 20
) -> tuple[list[TimelineEntry], bool]:
    """A window of a contact's notes and history entries merged by date, newest first, and
    whether more follow. Each source is read once, up to the end of the window (its index on
    the contact and the date), so a page costs two queries whatever the history's length."""
    end = offset + limit + 1
    sources: list[list[TimelineEntry]] = []
    if show in ("all", "notes"):
        notes = note_list(user=user, contact=contact).order_by("-created_at", "-id")[:end]
        sources.append([TimelineEntry(at=note.created_at, note=note) for note in notes])
    if show in ("all", "changes"):
        changes = contact_changes(contact=contact)[:end]
        sources.append([TimelineEntry(at=change.at, change=change) for change in changes])
    merged = list(heapq.merge(*sources, key=lambda entry: entry.at, reverse=True))
    return merged[offset : offset + limit], len(merged) > offset + limit


# The contacts list: the rights of many contacts in SQL (bulk actions), the projects with the
# user's role in each (its menus) and saved views.


def contact_annotate_rights(qs: QuerySet[Contact], *, user: AnyUser) -> QuerySet[Contact]:
    """`qs` with `can_edit` and `can_delete` (as `contact_rights` decides) computed in its own query."""
    rights = _contact_rights_expressions(user=user, ref="pk", field=lambda name: name)
    return qs.annotate(can_edit=rights["edit"], can_delete=rights["delete"])


def project_list_with_role(*, user: AnyUser) -> list[Project]:
    """The projects the user may see, each with `role`: the user's role in it (None when not a
    member; manager for superusers), in one query."""
    if not user.is_authenticated:
        return []
    role = Membership.objects.filter(user_id=user.pk, project_id=OuterRef("pk")).values("role")[:1]
    projects = list(project_list(user=user).annotate(role=Subquery(role)))
    if user.is_superuser:
        for project in projects:
            project.role = Membership.Role.MANAGER
    return projects


def saved_view_list(*, user: AnyUser) -> QuerySet[SavedView]:
    """The saved views the user sees: their own and those shared with a project they belong to
    (every shared one, for superusers), by name, each with `can_manage` (see `saved_view_can_manage`)."""
    if not user.is_authenticated:
        return SavedView.objects.none()
    if user.is_superuser:
        views = SavedView.objects.filter(Q(owner_id=user.pk) | Q(project__isnull=False))
        return views.annotate(can_manage=Value(True)).select_related("project")
    member = member_project_ids(user=user)
    managing = Membership.objects.filter(
        user_id=user.pk, project_id=OuterRef("project_id"), role=Membership.Role.MANAGER
    )
    manage = Q(owner_id=user.pk) | Q(Exists(managing))
    return (
        SavedView.objects.filter(Q(owner_id=user.pk) | Q(project_id__in=member))
        .annotate(can_manage=ExpressionWrapper(manage, output_field=BooleanField()))
        .select_related("project")
    )


def saved_view_get(*, user: AnyUser, pk: Any) -> SavedView | None:
    """One saved view the user sees, or None."""
    pk = parse_id(pk)
    return saved_view_list(user=user).filter(pk=pk).first() if pk is not None else None


@dataclass
class ListMenus:
    """What the contacts list's menus offer the user (see `list_menus`)."""

    tags: list[str]
    projects: list[Project]  # each with `role`, as `project_list_with_role`
    types: list[ContactType]
    stages: list[ContactStage]
    users: list[AbstractBaseUser]  # active ones, by user name
    custom_fields: list[CustomField]  # all but headings, in their order
    saved_views: list[SavedView]  # as `saved_view_list`, each with `can_manage` and its project's name


# The rows of `list_menus`: what each arm of its one UNION ALL puts in its generic columns.
_MENU_COLUMNS = ("menu", "pk", "label", "text1", "text2", "text3", "text4", "number1", "number2")
_TYPE, _STAGE, _USER, _TAG, _PROJECT, _FIELD, _VIEW = range(7)


def _menu_rows(queryset: QuerySet, menu: int, label: Any, *texts: Any, numbers: tuple[Any, ...] = ()) -> QuerySet:
    """`queryset` as rows of `_MENU_COLUMNS`: blank texts and zero numbers where an arm has none."""
    text = [Cast(t, CharField()) if not isinstance(t, str) else Cast(F(t), CharField()) for t in texts]
    text += [Value("", output_field=CharField())] * (4 - len(text))
    number = [*numbers, *[Value(0)] * (2 - len(numbers))]
    values = dict(zip(_MENU_COLUMNS, [Value(menu), F("pk"), Cast(label, CharField()), *text, *number], strict=True))
    return (
        queryset.order_by()
        .annotate(**{f"menu_{k}": v for k, v in values.items()})
        .values_list(*(f"menu_{k}" for k in _MENU_COLUMNS))
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def list_menus(*, user: AnyUser) -> ListMenus:
    """The contacts list's menus in one query: the tags on contacts the user may see, the projects
    they see (with their role), contact types, stages, active users, custom fields and the saved
    views they see. The list page then costs the same few queries whatever its menus hold."""
    if not user.is_authenticated:
        return ListMenus([], [], [], [], [], [], [])
    visible = Contact.objects.filter(contact_visibility_q(user=user)).values("pk")
    used = TaggedContact.objects.filter(tag_id=OuterRef("pk"), content_object_id__in=visible)
    role = Membership.objects.filter(user_id=user.pk, project_id=OuterRef("pk")).values("role")[:1]
    arms = [
        _menu_rows(ContactType.objects.all(), _TYPE, F("name"), "description", "color", "code",
                   numbers=(F("position"),)),
        _menu_rows(ContactStage.objects.all(), _STAGE, F("name"), "description", "color", numbers=(F("position"),)),
        _menu_rows(get_user_model().objects.filter(is_active=True), _USER, F("username"), "first_name", "last_name"),
        _menu_rows(Tag.objects.filter(Exists(used)), _TAG, F("name")),
        _menu_rows(project_list(user=user), _PROJECT, F("name"), "identifier",
                   Coalesce(Subquery(role), Value("")), numbers=(_flag(Q(is_public=True)),)),
        _menu_rows(CustomField.objects.exclude(field_format=CustomField.Format.HEADING), _FIELD, F("name"),
                   "field_format", "choices", "default", "applies_to",
                   numbers=(F("position"), _flag(Q(is_required=True)))),
        _menu_rows(saved_view_list(user=user), _VIEW, F("name"), "query", Coalesce(F("project__name"), Value("")),
                   numbers=(Coalesce(F("project_id"), Value(0)), _flag(Q(can_manage=True)))),
    ]  # fmt: skip
    rows: dict[int, list[tuple[Any, ...]]] = {menu: [] for menu in range(7)}
    # Ordered by the database (its collation, as each menu's own query orders); the menus kept
    # in their position are then sorted by it, which keeps that order among equal positions.
    for row in arms[0].union(*arms[1:], all=True).order_by("menu_menu", "menu_label", "menu_pk"):
        rows[row[0]].append(row[1:])
    return ListMenus(
        tags=[label for _, label, *_ in rows[_TAG]],
        projects=_menu_projects(rows[_PROJECT], superuser=user.is_superuser),
        types=sorted(
            (ContactType(pk=pk, name=name, description=d, color=c, code=code, position=n)
             for pk, name, d, c, code, _, n, _ in rows[_TYPE]),
            key=lambda t: t.position,
        ),
        stages=sorted(
            (ContactStage(pk=pk, name=name, description=d, color=c, position=n)
             for pk, name, d, c, _, _, n, _ in rows[_STAGE]),
            key=lambda s: s.position,
        ),
        users=[
            get_user_model()(pk=pk, username=name, first_name=first, last_name=last, is_active=True)
            for pk, name, first, last, *_ in rows[_USER]
        ],
        custom_fields=sorted(
            (CustomField(pk=pk, name=name, field_format=fmt, choices=json.loads(choices) if choices else [],
                         default=default, applies_to=applies, position=position, is_required=bool(required))
             for pk, name, fmt, choices, default, applies, position, required in rows[_FIELD]),
            key=lambda f: (f.position, f.pk),
        ),
        saved_views=_menu_views(rows[_VIEW]),
    )  # fmt: skip


def _menu_projects(rows: list[tuple[Any, ...]], *, superuser: bool) -> list[Project]:
    projects = []
    for pk, name, identifier, role, _, _, is_public, _ in rows:
        project = Project(pk=pk, name=name, identifier=identifier, is_public=bool(is_public))
        project.role = Membership.Role.MANAGER if superuser else (role or None)
        projects.append(project)
    return projects


def _menu_views(rows: list[tuple[Any, ...]]) -> list[SavedView]:
    views = []
    for pk, name, query, project_name, _, _, project_id, can_manage in rows:
        view = SavedView(pk=pk, name=name, query=query, project_id=project_id or None)
        view.project = Project(pk=project_id, name=project_name) if project_id else None
        view.can_manage = bool(can_manage)
        views.append(view)
    return views


def saved_view_can_manage(*, user: AnyUser, view: SavedView) -> bool:
    """Rename and delete: the view's owner, managers of the project it is shared with, superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or view.owner_id == user.pk:
        return True
    if view.project_id is None:
        return False
    return Membership.objects.filter(user_id=user.pk, project_id=view.project_id, role=Membership.Role.MANAGER).exists()


def contact_list_selection(
    *, user: AnyUser, filters: Mapping[str, Any] | None = None, ids: Iterable[Any] | None = None
) -> QuerySet[Contact]:
    """The contacts a bulk action applies to: every visible one matching `filters`, or, with `ids`,
    the visible ones among those ids (malformed or out-of-range ids are ignored)."""
    qs = contact_list(user=user, filters=filters or None, prefetch=False)
    if ids is not None:
        qs = qs.filter(pk__in=[pk for pk in map(parse_id, ids) if pk is not None])
    return qs
