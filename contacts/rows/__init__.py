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

The package holds the rows (shapes), the page read (pages), the related reads (related) and the
rows built from instances (instances); every public name is importable from here.
"""

from __future__ import annotations

from contacts.rows.instances import contact_row_of
from contacts.rows.pages import MOST_PAGE_STATEMENTS, contact_rows
from contacts.rows.related import MOST_CACHED_IDS
from contacts.rows.shapes import (
    ADDRESS_FIELDS,
    CHOICE_FIELDS,
    CONTACT_FIELDS,
    CUSTOM_FIELD_FIELDS,
    DISPLAY_ANNOTATIONS,
    ITEM_FIELDS,
    JOINED,
    JOINED_NAMES,
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

__all__ = [
    "ADDRESS_FIELDS",
    "AddressRow",
    "CHOICE_FIELDS",
    "CONTACT_FIELDS",
    "CUSTOM_FIELD_FIELDS",
    "ContactRow",
    "CustomValueRow",
    "DISPLAY_ANNOTATIONS",
    "ITEM_FIELDS",
    "ItemRow",
    "JOINED",
    "JOINED_NAMES",
    "MOST_CACHED_IDS",
    "MOST_PAGE_STATEMENTS",
    "ProjectRow",
    "RELATED",
    "USER_FIELDS",
    "UserRow",
    "contact_row_of",
    "contact_rows",
    "country_name",
]
