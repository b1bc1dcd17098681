"""The related rows of a page (items, addresses, custom values, tags, projects, access lists), one
query per kind, each compiled once per kind and number of ids and run on a cursor
(`_related_rows`), grouped by contact in Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import CharField, IntegerField, QuerySet, Value
from django.utils.translation import get_language

from contacts.models import Address, Contact, ContactItem, CustomField, CustomValue, TaggedContact, Visibility
from contacts.rows.shapes import (
    ADDRESS_FIELDS,
    CUSTOM_FIELD_FIELDS,
    ITEM_FIELDS,
    RELATED,
    USER_FIELDS,
    AddressRow,
    ContactRow,
    CustomValueRow,
    ItemRow,
    ProjectRow,
    UserRow,
    country_name,
)

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
