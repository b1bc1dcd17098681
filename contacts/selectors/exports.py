"""Flat rows for exports: the visible contacts in keyset chunks, each chunk's child rows in one
query per kind, and the counts an export shows first. See docs/export.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    CharField,
    Count,
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast, Lower

from contacts.models import (
    Address,
    Contact,
    ContactItem,
    CustomValue,
    TaggedContact,
)
from contacts.selectors.visibility import AnyUser, contact_list

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
    numbered columns a CSV of them needs.

    Two grouped queries over their child rows. The items are grouped by contact alone, each kind
    counted by a filter: the rows come in contact order from the contact index, so the database
    groups them as they come instead of sorting every item by contact and kind first.
    """
    if isinstance(contacts, QuerySet):
        ids: Any = contacts.select_related(None).prefetch_related(None).order_by().values("pk")
    else:
        ids = [contact.pk for contact in contacts]
    kinds = ContactItem.Kind.values
    items = (
        ContactItem.objects.filter(contact_id__in=ids)
        .order_by()
        .values("contact_id")
        .annotate(**{f"n_{kind}": Count("pk", filter=Q(kind=kind)) for kind in kinds})
        .aggregate(**{kind: Max(f"n_{kind}") for kind in kinds})
    )
    addresses = (
        Address.objects.filter(contact_id__in=ids)
        .order_by()
        .values("contact_id")
        .annotate(n=Count("pk"))
        .aggregate(most=Max("n"))
    )
    return {kind: most for kind, most in items.items() if most}, addresses["most"] or 0
