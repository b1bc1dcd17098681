"""Contacts as flat rows for the API dialects: a page read with `values()`, never model instances.

A dialect's list reads a page of contacts and everything its representation shows in a fixed
number of queries: the page (with the company, author, assignee, type and stage joined, and
whatever the queryset annotates), then one query per kind of related row asked for (items and
addresses share one). Related rows
are grouped by contact in Python (a dict lookup per row), not through `prefetch_related`, which
clones a queryset for every contact of the page.

The rows answer the attribute names of the models they stand for (`row.display_name`,
`item.kind`, `address.country_name`, `row.primary_address`...), so a representation reads a row
as it would read a model instance. `contact_row_of` builds the same row from a contact already
read with its prefetches (the replies to writes), so every reply of a dialect is written by
the same functions. An address row's country name is looked up when the row is made, in the
active language read once per page: reading the language costs more than the lookup itself,
and a representation asks for the name once or twice per address.

The related reads have one shape per kind and number of ids, so each is built and compiled by
the ORM once per shape and then run on a cursor with the page's ids as its parameters
(`_related_rows`): building and compiling a queryset costs more than these small indexed reads.
The statement that reads the page's own rows is kept the same way (`_page_statement`): its
columns, joins, order and annotations are compiled once per shape, and each request compiles
only the subquery of its page's ids, which it splices in.

Visibility is the queryset's: callers pass a queryset from `contacts.selectors`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import CharField, IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.files import FieldFile
from django.utils.translation import get_language
from django_countries import countries

from contacts.models import (
    Address,
    Contact,
    ContactItem,
    CustomField,
    CustomValue,
    TaggedContact,
    Visibility,
)
from contacts.search import search_walk_page
from crm.prepared import converted_rows

# The contact's own columns a representation may read.
CONTACT_FIELDS = (
    "pk",
    "uuid",
    "is_company",
    "salutation",
    "first_name",
    "middle_name",
    "last_name",
    "name",
    "registration_number",
    "vat_number",
    "company_id",
    "job_title",
    "department",
    "background",
    "industry",
    "birthday",
    "contact_type_id",
    "stage_id",
    "currency",
    "priority",
    "avatar",
    "author_id",
    "assigned_to_id",
    "visibility",
    "display_name",
    "created_at",
    "updated_at",
)
# The rows joined to a contact (one LEFT JOIN each): their key, the contact's foreign key, and
# the columns read from them.
USER_FIELDS = ("first_name", "last_name", "username")
CHOICE_FIELDS = ("name", "description", "color", "position")
JOINED = (
    ("company", "company_id", ("is_company", "display_name", "avatar", "visibility", "currency", "deleted_at")),
    ("author", "author_id", USER_FIELDS),
    ("assigned_to", "assigned_to_id", USER_FIELDS),
    ("contact_type", "contact_type_id", ("code", *CHOICE_FIELDS)),
    ("stage", "stage_id", CHOICE_FIELDS),
)
JOINED_NAMES = tuple(key for key, _, _ in JOINED)
# What `contacts.selectors.contact_annotate_for_display` adds, copied from an instance that has it.
DISPLAY_ANNOTATIONS = (
    "can_edit",
    "can_delete",
    "company_visible",
    "persons_count",
    "company_can_edit",
    "company_can_delete",
)
# The kinds of related rows `contact_rows` can read, one query each.
RELATED = frozenset({"items", "addresses", "custom_values", "tags", "projects", "access_list"})


@lru_cache(maxsize=1024)
def _country_name(code: str, language: str | None) -> str:
    return str(countries.name(code)) if code else ""


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in `language` (the active one by default; "" for no country), looked up
    once per code and language."""
    if not code:  # no name to look up, nor a language to ask for (a lookup per address of a page)
        return ""
    return _country_name(code, get_language() if language is None else language)


class ItemRow(NamedTuple):
    pk: int
    contact_id: int
    kind: str
    tel_type: str
    context: str
    service: str
    value: str
    is_primary: bool


class AddressRow(NamedTuple):
    pk: int
    contact_id: int
    street1: str
    street2: str
    city: str
    region: str
    postcode: str
    country: str  # the ISO 3166-1 code, "" for none
    context: str
    is_primary: bool
    country_name: str = ""  # the country's name in the language active when the row was made

    @property
    def street(self) -> str:
        if not self.street2:
            return self.street1
        return f"{self.street1}, {self.street2}" if self.street1 else self.street2

    @property
    def full_address(self) -> str:
        parts = (self.street1, self.street2, self.city, self.postcode, self.region, self.country_name)
        return ", ".join(p for p in parts if p)


class CustomValueRow(NamedTuple):
    contact_id: int
    field_id: int
    value: str
    field: CustomField


class UserRow(NamedTuple):
    pk: int
    first_name: str
    last_name: str
    username: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_username(self) -> str:
        return self.username


class ProjectRow(NamedTuple):
    pk: int
    name: str


ITEM_FIELDS = ItemRow._fields
# An address's columns (the row's fields but the country's name, which comes from its code).
ADDRESS_FIELDS = AddressRow._fields[:-1]
CUSTOM_FIELD_FIELDS = ("name", "field_format", "choices", "position", "applies_to")


class ContactRow(SimpleNamespace):
    """A contact as a dialect shows it: its columns, its joined rows (`company`, `author`,
    `assigned_to`, `contact_type`, `stage`: rows or None), the queryset's annotations and the
    related rows read (`items`, `addresses`, `custom_values`, `tags`: names in display order,
    `projects`, `access_list`: users, filled for private contacts only)."""

    @property
    def primary_address(self) -> AddressRow | None:
        for address in self.addresses:
            if address.is_primary:
                return address
        return self.addresses[0] if self.addresses else None

    @property
    def live_company(self) -> ContactRow | None:
        company = self.company
        return company if company is not None and company.deleted_at is None else None

    @property
    def company_name(self) -> str:
        company = self.live_company
        return company.display_name if company is not None else ""


def _avatar(name: str | None) -> FieldFile | str:
    """The stored image as the model's field gives it (its `.url` from the storage), or ""."""
    if not name:
        return ""
    return FieldFile(None, Contact._meta.get_field("avatar"), name)


def _page_ids(qs: QuerySet, *, offset: int, limit: int | None, total: int | None) -> QuerySet | None:
    """The ids of one page of `qs`, as a subquery (`contacts.selectors.contact_page`'s reading:
    the sort index only, and a page in the second half read from the other end)."""
    ids = qs.values("pk")
    if limit is None:
        return ids[offset:] if offset else ids
    if total is not None:
        limit = min(limit, max(total - offset, 0))
    if limit <= 0:
        return None
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    ends_with_pk = bool(ordering) and str(ordering[-1]).lstrip("-") in ("pk", "id")
    if total is not None and offset > total // 2 and ends_with_pk:
        start = total - offset - limit
        ids = qs.reverse().values("pk")[start : start + limit]
    else:
        start, ids = offset, ids[offset : offset + limit]
    if total is not None:
        search_walk_page(ids.query, total=total, rows=start + limit)
    return ids


def contact_rows(
    qs: QuerySet[Contact],
    *,
    offset: int = 0,
    limit: int | None = None,
    total: int | None = None,
    related: Iterable[str] = (),
    annotate: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None = None,
    annotate_key: Hashable = None,
    fields: Sequence[str] = CONTACT_FIELDS,
    joined: Iterable[str] = JOINED_NAMES,
) -> list[ContactRow]:
    """A page of `qs` (every row when `limit` is None) as ContactRows, in `qs`'s order.

    One query for the page and one for each of `related` (see RELATED): a fixed number of
    queries whatever the page's size. The page's ids are a subquery over `qs` (its sort index
    only); its rows are read by id, with `annotate`'s annotations (computed for the page's rows
    alone, and without evaluating `qs`'s filters a second time). As with `contact_page`, the
    order must end with the primary key for pages to be exact, and a known `total` lets a deep
    page be read from the other end.

    `annotate_key` says what `annotate`'s SQL depends on (for the visibility and rights
    annotations, `contacts.selectors.contact_visibility_key` of their user): the statement
    compiled for a key serves every later page with the same key and shape. Without a key,
    a page with annotations is compiled each time.
    """
    offset = max(offset, 0)
    ids = _page_ids(qs, offset=offset, limit=None if limit is None else max(limit, 0), total=total)
    if ids is None:
        return []
    joins = tuple(join for join in JOINED if join[0] in set(joined))
    statement = _page_statement(qs, fields=tuple(fields), joins=joins, annotate=annotate, annotate_key=annotate_key)
    if statement is None:
        page = _by_ids(qs, ids)
        if annotate is not None:
            page = annotate(page)
        keys, columns = _page_columns(page, fields, joins)
        make = _row_maker(keys, joins)
        rows = [make(values) for values in page.values_list(*keys, *columns)]
    else:
        rows = statement.rows(ids)
    _attach_related(rows, set(related))
    return rows


def _page_columns(
    page: QuerySet[Contact], fields: Sequence[str], joins: Sequence[tuple[str, str, tuple[str, ...]]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a page reads: its keys (the fields, the joined rows' foreign keys, the annotations)
    and the joined rows' columns."""
    annotations = tuple(page.query.annotations)
    keys = tuple(dict.fromkeys((*fields, *(fk for _, fk, _ in joins), *annotations)))
    columns = tuple(f"{key}__{name}" for key, _, names in joins for name in names)
    return keys, columns


# Where the page's ids go in a compiled page statement: a marker no statement holds otherwise.
_IDS_MARKER = "/*page ids*/"
# Page statements by shape (see `_page_statement`), at most this many: each key of annotations
# (one per user, for the rights) has its own. Past it the cache starts afresh: one C-level
# clear, which threads sharing the dict cannot interleave.
MOST_PAGE_STATEMENTS = 512
_PAGE_STATEMENTS: dict[Hashable, _PageStatement | None] = {}


class _PageStatement(NamedTuple):
    """A page's row statement, compiled once: the SQL before and after the subquery of the
    page's ids, their parameters, the columns whose values the database's converters turn
    into Python values (with the column's expression), and the row maker."""

    alias: str
    head: str
    tail: str
    head_params: tuple[Any, ...]
    tail_params: tuple[Any, ...]
    converted: tuple[tuple[int, Any], ...]
    make: Callable[[tuple[Any, ...]], ContactRow]

    def rows(self, ids: QuerySet) -> list[ContactRow]:
        query = ids.query
        if not query.is_sliced:
            query.clear_ordering(force=True)  # an unsliced subquery's order is of no use
        try:
            ids_sql, ids_params = query.get_compiler(self.alias).as_sql()
        except EmptyResultSet:  # a filter no contact can meet (`pk__in=[]`)
            return []
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.head + ids_sql + self.tail, (*self.head_params, *ids_params, *self.tail_params))
            fetched = cursor.fetchall()
        # The converters of this thread's connection (the compiled statement serves them all).
        converters = [
            (
                position,
                connection.ops.get_db_converters(expression) + expression.get_db_converters(connection),
                expression,
            )
            for position, expression in self.converted
        ]
        make = self.make
        return [make(values) for values in converted_rows(fetched, converters, connection)]


def _page_statement(
    qs: QuerySet[Contact],
    *,
    fields: tuple[str, ...],
    joins: tuple[tuple[str, str, tuple[str, ...]], ...],
    annotate: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None,
    annotate_key: Hashable,
) -> _PageStatement | None:
    """The compiled row statement for pages of `qs`'s shape, or None where it cannot be kept: a
    queryset that annotates or combines (its rows are read through its own filters), an
    `annotate` without a key, an order that is not hashable."""
    query = qs.query
    if query.annotations or query.extra or query.combinator or query.distinct or query.model is not Contact:
        return None
    if annotate is not None and annotate_key is None:
        return None
    alias = router.db_for_read(Contact)
    key = (
        alias,
        fields,
        joins,
        annotate_key if annotate is not None else None,
        tuple(query.order_by),
        query.default_ordering,
        query.standard_ordering,
    )
    try:
        statement = _PAGE_STATEMENTS.get(key, False)
    except TypeError:  # an order by an expression that cannot be hashed
        return None
    if statement is False:
        statement = _compile_page_statement(qs, alias=alias, fields=fields, joins=joins, annotate=annotate)
        if len(_PAGE_STATEMENTS) >= MOST_PAGE_STATEMENTS:
            _PAGE_STATEMENTS.clear()
        _PAGE_STATEMENTS[key] = statement
    return statement


def _compile_page_statement(
    qs: QuerySet[Contact],
    *,
    alias: str,
    fields: tuple[str, ...],
    joins: tuple[tuple[str, str, tuple[str, ...]], ...],
    annotate: Callable[[QuerySet[Contact]], QuerySet[Contact]] | None,
) -> _PageStatement | None:
    """Compile the page statement with a marker where the ids go; None if the compiled SQL does
    not show where each parameter is (then the page is compiled each time, as before)."""
    page = _by_ids(qs, RawSQL(_IDS_MARKER, ()))
    if annotate is not None:
        page = annotate(page)
    keys, columns = _page_columns(page, fields, joins)
    page = page.values_list(*keys, *columns)
    compiler = page.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    head, marker, tail = sql.partition(_IDS_MARKER)
    if not marker or _IDS_MARKER in tail or sql.count("%s") != len(params) or "%%" in sql:
        return None
    split = head.count("%s")
    expressions = [selected[0] for selected in compiler.select[: compiler.col_count]]
    if len(expressions) != len(keys) + len(columns):
        return None
    converted = tuple(
        (position, expression) for position, (_, expression) in compiler.get_converters(expressions).items()
    )
    return _PageStatement(
        alias, head, tail, tuple(params[:split]), tuple(params[split:]), converted, _row_maker(keys, joins)
    )


def _by_ids(qs: QuerySet[Contact], ids: QuerySet | RawSQL) -> QuerySet[Contact]:
    """The contacts of `ids` in `qs`'s order (`qs`'s own filters are not repeated, as in
    `contacts.selectors.contact_page`, unless `qs` annotates or combines)."""
    query = qs.query
    if query.annotations or query.extra or query.combinator or query.distinct:
        return qs.prefetch_related(None).filter(pk__in=ids)
    rows = qs.model._default_manager.filter(pk__in=ids)
    rows.query.order_by = query.order_by
    rows.query.default_ordering = query.default_ordering
    rows.query.standard_ordering = query.standard_ordering
    return rows


def _row_maker(
    keys: tuple[str, ...], joins: Sequence[tuple[str, str, tuple[str, ...]]]
) -> Callable[[tuple[Any, ...]], ContactRow]:
    """The function that makes a ContactRow of one `values_list(*keys, *joined columns)` tuple:
    positions and each joined row's constructor worked out once per page, not looked up by name
    in a dict per row."""
    width = count = len(keys)
    spans = []
    for key, fk, names in joins:
        spans.append((key, keys.index(fk), _joined_maker(key, names), width, width + len(names)))
        width += len(names)
    avatar = keys.index("avatar") if "avatar" in keys else None

    def make(values: tuple[Any, ...]) -> ContactRow:
        row = dict(zip(keys, values[:count], strict=True))
        for key, fk, joined, start, end in spans:
            pk = values[fk]
            row[key] = None if pk is None else joined(pk, values[start:end])
        if avatar is not None:
            row["avatar"] = _avatar(values[avatar])
        return ContactRow(**row)

    return make


def _joined_maker(key: str, names: tuple[str, ...]) -> Callable[[int, tuple[Any, ...]], Any]:
    """The constructor of a joined row of `key` from its primary key and its columns `names`."""
    if key in ("author", "assigned_to") and names == USER_FIELDS:
        return lambda pk, values: UserRow(pk, *values)
    return lambda pk, values: _joined_row(key, pk, dict(zip(names, values, strict=True)))


def _joined_row(key: str, pk: int, parts: dict[str, Any]) -> Any:
    if key in ("author", "assigned_to"):
        return UserRow(pk=pk, **parts)
    if key == "company":
        parts["avatar"] = _avatar(parts["avatar"])
        return ContactRow(pk=pk, company_id=None, access_list=[], **parts)
    return SimpleNamespace(pk=pk, code=parts.pop("code", ""), **parts)


# Statements compiled for the pages' related reads, by (kind of read, number of ids, database):
# the SQL, its parameters, and for each parameter the index of the id it stands for (or None).
_STATEMENTS: dict[tuple[str, int, str], tuple[str, tuple[Any, ...], tuple[int | None, ...]]] = {}
# Pages have at most a few hundred rows; longer id lists (whole lists) are compiled each time.
MOST_CACHED_IDS = 256
# Ids no row has, standing in for the page's ids while a statement is compiled.
_PLACEHOLDER = -(2**62)


def _related_rows(name: str, model: type, build: Callable[[list[int]], QuerySet], ids: list[int]) -> list[tuple]:
    """The rows of `build(ids)` (a queryset of `model`'s rows filtered by the contact `ids`, as
    `values_list`), compiled once per kind and number of ids. The values are the database's own:
    the caller converts those that need it (booleans, JSON)."""
    alias = router.db_for_read(model)
    key = (name, len(ids), alias)
    statement = _STATEMENTS.get(key)
    if statement is None:
        placeholders = [_PLACEHOLDER - index for index in range(len(ids))]
        sql, params = build(placeholders).query.get_compiler(alias).as_sql()
        slots = tuple(
            _PLACEHOLDER - param if type(param) is int and _PLACEHOLDER - len(ids) < param <= _PLACEHOLDER else None
            for param in params
        )
        statement = (sql, tuple(params), slots)
        if len(ids) <= MOST_CACHED_IDS:
            _STATEMENTS[key] = statement
    sql, params, slots = statement
    values = [param if slot is None else ids[slot] for param, slot in zip(params, slots, strict=True)]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def _attach_related(rows: Sequence[ContactRow], related: set[str]) -> None:
    unknown = related - RELATED
    if unknown:
        raise ValueError(f"No related rows named {sorted(unknown)}.")
    by_pk = {row.pk: row for row in rows}
    for row in rows:
        for name in related - {"access_list"}:
            setattr(row, name, [])
        row.access_list = []
        if row.company is not None:
            row.company.access_list = []
    if not rows:
        return
    ids = list(by_pk)
    if {"items", "addresses"} <= related:
        _attach_items_and_addresses(by_pk, ids)
    elif "items" in related:
        for values in _related_rows("items", ContactItem, _items, ids):
            by_pk[values[1]].items.append(ItemRow(*values[:-1], bool(values[-1])))
    elif "addresses" in related:
        language = get_language()
        for values in _related_rows("addresses", Address, _addresses, ids):
            name = country_name(values[-3], language)
            by_pk[values[1]].addresses.append(AddressRow(*values[:-1], bool(values[-1]), name))
    if "custom_values" in related:
        _attach_custom_values(by_pk, ids)
    if "tags" in related:
        for contact_id, name in _related_rows("tags", TaggedContact, _tags, ids):
            by_pk[contact_id].tags.append(name)
        for row in rows:
            row.tags.sort(key=str.lower)
    if "projects" in related:
        for contact_id, pk, name in _related_rows("projects", Contact.projects.through, _projects, ids):
            by_pk[contact_id].projects.append(ProjectRow(pk, name))
    if "access_list" in related:
        _attach_access_lists(rows)


# The related reads, as `_related_rows` compiles them: each a function of the contacts' ids.


def _items(ids: list[int]) -> QuerySet:
    return (
        ContactItem.objects.filter(contact_id__in=ids)
        .order_by("contact_id", "position", "id")
        .values_list(*ITEM_FIELDS)
    )


def _addresses(ids: list[int]) -> QuerySet:
    return (
        Address.objects.filter(contact_id__in=ids).order_by("contact_id", "position", "id").values_list(*ADDRESS_FIELDS)
    )


def _items_and_addresses(ids: list[int]) -> QuerySet:
    """Items and addresses in one statement (UNION ALL): a part number, then the columns both
    kinds of row share (`pk`, `position`, six text columns, `context`, `is_primary`)."""
    text = [Value("", output_field=CharField())] * 2
    items = ContactItem.objects.filter(contact_id__in=ids).order_by()
    addresses = Address.objects.filter(contact_id__in=ids).order_by()
    return items.values_list(
        "contact_id", Value(0, output_field=IntegerField()), "pk", "position",
        "kind", "tel_type", "service", "value", *text, "context", "is_primary",
    ).union(
        addresses.values_list(
            "contact_id", Value(1, output_field=IntegerField()), "pk", "position",
            "street1", "street2", "city", "region", "postcode", "country", "context", "is_primary",
        ),
        all=True,
    )  # fmt: skip


def _custom_values(ids: list[int]) -> QuerySet:
    values = CustomValue.objects.filter(contact_id__in=ids).order_by("contact_id", "field__position", "field_id")
    return values.values_list("contact_id", "field_id", "value", *(f"field__{name}" for name in CUSTOM_FIELD_FIELDS))


def _tags(ids: list[int]) -> QuerySet:
    tagged = TaggedContact.objects.filter(content_object_id__in=ids).order_by("id")
    return tagged.values_list("content_object_id", "tag__name")


def _projects(ids: list[int]) -> QuerySet:
    links = Contact.projects.through.objects.filter(contact_id__in=ids).order_by("project__name", "project_id")
    return links.values_list("contact_id", "project_id", "project__name")


def _access_lists(ids: list[int]) -> QuerySet:
    through = Contact.access_list.through.objects.filter(contact_id__in=ids).order_by("contact_id", "user_id")
    return through.values_list("contact_id", "user_id", *(f"user__{name}" for name in USER_FIELDS))


def _attach_items_and_addresses(by_pk: dict[int, ContactRow], ids: list[int]) -> None:
    rows = _related_rows("items_and_addresses", ContactItem, _items_and_addresses, ids)
    language = get_language()
    # Each contact's items, then its addresses, each by position and id (the models' order).
    for contact_id, part, pk, _, a, b, c, d, e, f, context, is_primary in sorted(rows, key=_union_order):
        row = by_pk[contact_id]
        if part == 0:
            row.items.append(ItemRow(pk, contact_id, a, b, context, c, d, bool(is_primary)))
        else:
            name = country_name(f, language)
            row.addresses.append(AddressRow(pk, contact_id, a, b, c, d, e, f, context, bool(is_primary), name))


def _union_order(values: tuple) -> tuple:
    return values[0], values[1], values[3], values[2]


def _attach_custom_values(by_pk: dict[int, ContactRow], ids: list[int]) -> None:
    fields: dict[int, CustomField] = {}
    choices = CustomField._meta.get_field("choices")
    connection = connections[router.db_for_read(CustomValue)]
    for contact_id, field_id, value, *columns in _related_rows("custom_values", CustomValue, _custom_values, ids):
        field = fields.get(field_id)
        if field is None:
            values = dict(zip(CUSTOM_FIELD_FIELDS, columns, strict=True))
            values["choices"] = choices.from_db_value(values["choices"], None, connection)
            field = fields[field_id] = CustomField(pk=field_id, **values)
        by_pk[contact_id].custom_values.append(CustomValueRow(contact_id, field_id, value, field))


def _attach_access_lists(rows: Sequence[ContactRow]) -> None:
    """The access lists of the private contacts and private companies among the rows (one query,
    none when none is private): the only access lists a dialect shows."""
    private: dict[int, list[ContactRow]] = {}
    for row in rows:
        for contact in (row, row.company):
            if contact is not None and contact.visibility == Visibility.PRIVATE:
                private.setdefault(contact.pk, []).append(contact)
    if not private:
        return
    for contact_id, user_id, *columns in _related_rows(
        "access_lists", Contact.access_list.through, _access_lists, list(private)
    ):
        user = UserRow(user_id, *columns)
        for contact in private[contact_id]:
            contact.access_list.append(user)


# The same rows from instances already read (with the prefetches of `contact_list_for_display`).


def contact_row_of(contact: Contact, *, related: Iterable[str] = ()) -> ContactRow:
    """The ContactRow of a contact read with the prefetches of `related`, without a query (the
    access lists of private contacts must have been read, see `contact_access_lists`)."""
    values = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    values["avatar"] = _avatar(contact.avatar.name)
    for name in DISPLAY_ANNOTATIONS:
        if hasattr(contact, name):
            values[name] = getattr(contact, name)
    values["author"] = _user_row(contact.author) if contact.author_id else None
    values["assigned_to"] = _user_row(contact.assigned_to) if contact.assigned_to_id else None
    values["contact_type"] = _choice_row(contact.contact_type, code=True) if contact.contact_type_id else None
    values["stage"] = _choice_row(contact.stage) if contact.stage_id else None
    values["company"] = _company_row(contact.company) if contact.company_id else None
    values["access_list"] = _access_list_of(contact)
    row = ContactRow(**values)
    related = set(related)
    if "items" in related:
        row.items = [ItemRow._make(getattr(item, name) for name in ITEM_FIELDS) for item in contact.items.all()]
    if "addresses" in related:
        row.addresses = [_address_row(address) for address in contact.addresses.all()]
    if "custom_values" in related:
        values_ = sorted(contact.custom_values.all(), key=lambda v: (v.field.position, v.field_id))
        row.custom_values = [CustomValueRow(v.contact_id, v.field_id, v.value, v.field) for v in values_]
    if "tags" in related:
        row.tags = sorted((tagged.tag.name for tagged in contact.tagged_items.all()), key=str.lower)
    if "projects" in related:
        projects = sorted(contact.projects.all(), key=lambda p: (p.name, p.pk))
        row.projects = [ProjectRow(p.pk, p.name) for p in projects]
    return row


def _user_row(user: Any) -> UserRow:
    return UserRow(user.pk, user.first_name, user.last_name, user.get_username())


def _choice_row(choice: Any, *, code: bool = False) -> SimpleNamespace:
    values = {name: getattr(choice, name) for name in CHOICE_FIELDS}
    return SimpleNamespace(pk=choice.pk, code=choice.code if code else "", **values)


def _company_row(company: Contact) -> ContactRow:
    return ContactRow(
        pk=company.pk,
        company_id=None,
        is_company=company.is_company,
        display_name=company.display_name,
        avatar=_avatar(company.avatar.name),
        visibility=company.visibility,
        currency=company.currency,
        deleted_at=company.deleted_at,
        access_list=_access_list_of(company),
    )


def _access_list_of(contact: Contact) -> list[UserRow]:
    if contact.visibility != Visibility.PRIVATE:
        return []
    return [_user_row(user) for user in sorted(contact.access_list.all(), key=lambda u: u.pk)]


def _address_row(address: Address) -> AddressRow:
    values = {name: getattr(address, name) for name in ADDRESS_FIELDS}
    values["country"] = address.country.code or "" if address.country else ""
    return AddressRow(**values, country_name=country_name(values["country"]))
