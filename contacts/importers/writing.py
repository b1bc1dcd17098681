"""The bulk writer: checked rows into the database, a chunk per transaction, in a fixed number of queries.

No model instance per row: contacts and their children are written as tuples of their tables'
columns, on SQLite with multi-row INSERT statements, on PostgreSQL with one COPY per table
(contacts.importers.tables).
Ids are taken for the whole chunk at once (PostgreSQL: the sequence's next values; SQLite: above
the table's largest id, under the write lock the chunk's transaction holds). A chunk costs the
same number of queries whatever its size, apart from one statement per ROWS_PER_STATEMENT rows
of each table on SQLite.

The search index is kept by the database triggers (contacts.search), apart from a chunk's new
contacts and items, whose insert triggers are left out (see `_insert_triggers_off`) and whose
documents the writer makes itself, the same documents. On PostgreSQL, whose triggers refresh one
contact at a time, one INSERT ... SELECT of the triggers' own document query makes the chunk's
documents. On SQLite, whose triggers run once per row, the chunk's documents are made in Python
from the rows just written, as the document query (contacts.search.SQLITE_DOCUMENTS) makes them,
and written by one executemany: reading them back through the query's two subqueries per contact
cost more than the documents' own insert. Contacts go in before their items (on SQLite, no item
then waits on a deferred foreign key).

A chunk's new items go in ordered by kind and normalized value, not contact by contact: three
of the item indexes start with those columns, and rows in their order make each index take the
chunk in one sweep from page to page instead of at random places (about half the items' insert
time). Their ids follow that order; a contact's items keep their order in `position`, which every
read sorts by.
The chunk's contacts get their random UUIDs in ascending order for the same reason (the UUIDs'
unique index).

Each contact written gets its history entry (imported, on the current channel) in the same
transaction, as plain rows too.

A person's company is found among the companies the user can see, by name in any case, or
created once for the whole import.

Rows that match existing contacts (update mode) are written over them by `UpdateMode`
(contacts.importers.updating), a part of `BulkWriter`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.history import current_channel
from contacts.importers.rows import PreparedRow, RowPreparer
from contacts.importers.tables import (
    _COMPANY,
    _DISPLAY_NAME,
    _ID,
    _JOB_TITLE,
    ADDRESS_COLUMNS,
    CONTACT_COLUMNS,
    HISTORY_COLUMNS,
    ITEM_COLUMNS,
    ContactLink,
    display_name,
    insert_rows,
)
from contacts.importers.updating import _SUPERUSER, UpdateMode
from contacts.models import Address, ChangeAction, Contact, ContactChange, ContactItem, CustomValue, Tag, TaggedContact
from contacts.search import POSTGRESQL_DOCUMENTS, SEARCH_TABLE, digits_of
from contacts.selectors import contact_list

# The SQLite triggers the insert of new contacts does the work of (see the module docstring).
INSERT_TRIGGERS = ("contacts_search_item_insert", "contacts_search_contact_insert")


@dataclass
class ChunkResult:
    """What one chunk did: ids created and updated, and the errors of the rows it refused."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    companies: list[int] = field(default_factory=list)  # companies made for persons' Company cells
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, column, message)


class BulkWriter(UpdateMode):
    """Writes the checked rows of one import, chunk by chunk (see the module docstring)."""

    def __init__(
        self,
        *,
        user: AbstractBaseUser | None,
        preparer: RowPreparer,
        projects: Sequence[int] = (),
        update_existing: bool = False,
        match_target: str = "",
    ) -> None:
        self.user = user
        self.preparer = preparer
        self.projects = list(projects)
        self.update_existing = update_existing
        self.match_target = match_target if update_existing else ""
        self.companies: dict[str, int] = {}  # lower-case name → id of a company persons link to
        self.made: dict[str, int] = {}  # those this import created, which a later company row fills in
        self.tags: dict[str, int] = {}
        self.vendor = connection.vendor
        self.triggers: dict[str, str] | None = None  # name → SQL of the SQLite insert triggers
        self.author_id = user.pk if user is not None else None
        self.native_uuid = connection.features.has_native_uuid_field
        self.defaults = {
            f.column: f.get_db_prep_save(f.get_default(), connection)
            for f in Contact._meta.concrete_fields
            if f.column not in ("id", "uuid", "created_at", "updated_at")
        }

    # The chunk -------------------------------------------------------------------------------

    def write(self, rows: list[PreparedRow]) -> ChunkResult:
        """Write one chunk of rows in one transaction (the caller's, when it has one)."""
        result = ChunkResult()
        with transaction.atomic():
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            matched = self._matches(rows, result) if self.update_existing else {}
            new: list[PreparedRow] = []
            fill: list[tuple[PreparedRow, int]] = []
            filled: set[int] = set()  # company rows filling in a company made earlier for persons
            for row in rows:
                if row.number in matched:
                    fill.append((row, matched[row.number]))
                elif row.is_company and row.fields.get("name", "").lower() in self.made:
                    filled.add(row.number)
                    fill.append((row, self.made.pop(row.fields["name"].lower())))
                else:
                    errors = self.preparer.required_errors(row)
                    if errors:
                        result.errors += [(row.number, column, message) for column, message in errors]
                    else:
                        new.append(row)
            persons = [row for row, _ in fill if not row.is_company] + [row for row in new if not row.is_company]
            new.sort(key=lambda row: not row.is_company)  # companies before the persons who may work there
            in_chunk = {row.fields["name"].lower() for row in new if row.is_company}
            implicit = self._companies(persons, in_chunk=in_chunk)
            ids = self._new_ids(len(implicit) + len(new))
            company_ids = ids[: len(implicit)]
            row_ids = ids[len(implicit) :]
            for name, pk in zip(implicit, company_ids, strict=True):
                self.companies[name.lower()] = self.made[name.lower()] = pk
            for row, pk in zip(new, row_ids, strict=False):
                if not row.is_company:
                    break
                self.companies.setdefault(row.fields["name"].lower(), pk)
            self._insert_new(new, row_ids, implicit, company_ids, now)
            self._update(fill, now)
            result.companies = company_ids
            result.created = row_ids
            result.updated = [pk for row, pk in fill if row.number not in filled]
        return result

    # Companies ---------------------------------------------------------------------------------

    def _companies(self, persons: list[PreparedRow], *, in_chunk: set[str]) -> list[str]:
        """Resolve persons' company names to ids; return the names to create (first spelling wins), apart
        from those of the chunk's own company rows."""
        wanted: dict[str, str] = {}
        for row in persons:
            if row.company:
                wanted.setdefault(row.company.lower(), row.company)
        unknown = [key for key in wanted if key not in self.companies]
        if unknown:
            companies = contact_list(user=self.user or _SUPERUSER, filters={"is_company": True}, prefetch=False)
            named = companies.annotate(lower_name=Lower("display_name")).filter(lower_name__in=unknown)
            for name, pk in named.order_by("-pk").values_list("lower_name", "pk"):
                self.companies[name] = pk  # the oldest of two of the same name wins
        return [wanted[key] for key in wanted if key not in self.companies and key not in in_chunk]

    # Inserting ---------------------------------------------------------------------------------

    def _new_ids(self, count: int) -> list[int]:
        if not count:
            return []
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence('contacts_contact', 'id')) FROM generate_series(1, %s)",
                    [count],
                )
                return [pk for (pk,) in cursor.fetchall()]
            cursor.execute(
                "SELECT max(coalesce((SELECT max(id) FROM contacts_contact), 0),"
                " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts_contact'), 0))"
            )
            top = cursor.fetchone()[0] or 0
        return list(range(top + 1, top + 1 + count))

    def _contact_tuple(self, pk: int, fields: dict[str, Any], is_company: bool, now: Any, new_uuid: uuid.UUID) -> tuple:
        values = self.defaults | fields
        values["id"] = pk
        values["is_company"] = is_company
        values["author_id"] = self.author_id
        values["uuid"] = new_uuid if self.native_uuid else new_uuid.hex
        values["created_at"] = values["updated_at"] = now
        values["display_name"] = display_name(values, is_company=is_company)
        if values["birthday"] is not None:
            values["birthday"] = connection.ops.adapt_datefield_value(values["birthday"])
        return tuple(map(values.__getitem__, CONTACT_COLUMNS))

    def _insert_new(
        self, rows: list[PreparedRow], ids: list[int], implicit: list[str], company_ids: list[int], now: Any
    ) -> None:
        # Random ids as ever, handed out in their own order: the chunk's uuids then go into their
        # unique index in one sweep, not at random places.
        uuids = iter(sorted((uuid.uuid4() for _ in range(len(implicit) + len(rows))), key=_uuid_order))
        contacts = [
            self._contact_tuple(pk, {"name": name}, True, now, next(uuids))
            for name, pk in zip(implicit, company_ids, strict=True)
        ]
        items, addresses, tagged, links, custom = [], [], [], [], []
        shared = list(dict.fromkeys(self.projects))  # the projects of every contact of the import
        for row, pk in zip(rows, ids, strict=True):
            fields = dict(row.fields)
            if row.company:
                fields["company_id"] = self.companies[row.company.lower()]
            contacts.append(self._contact_tuple(pk, fields, row.is_company, now, next(uuids)))
            self._children(row, pk, items, addresses, custom, start=0)
            if row.tags:
                tagged += [(pk, tag) for tag in self._tag_ids(row.tags)]
            projects = dict.fromkeys([*row.projects, *shared]) if row.projects else shared
            links += [(pk, project) for project in projects]
        links += [(pk, project) for pk in company_ids for project in self.projects]
        items.sort(key=_item_order)
        # Contacts first: on SQLite each item's foreign key then finds its contact at once, where
        # items first would leave a deferred violation per item for every contact insert to look up.
        with self._insert_triggers_off():
            insert_rows(Contact, CONTACT_COLUMNS, contacts)
            insert_rows(ContactItem, ITEM_COLUMNS, items)
        if contacts:
            if self.vendor == "sqlite":
                self._index(contacts, items)
            else:
                self._index_set_based([row[_ID] for row in contacts])
        insert_rows(Address, ADDRESS_COLUMNS, addresses)
        insert_rows(TaggedContact, ["content_object_id", "tag_id"], tagged)
        insert_rows(ContactLink, ["contact_id", "project_id"], links)
        insert_rows(CustomValue, ["contact_id", "field_id", "value"], custom)

    @contextmanager
    def _insert_triggers_off(self) -> Iterator[None]:
        """The search index's insert triggers left out while new contacts and their items go in.

        On SQLite they are dropped and made again inside the chunk's transaction (SQLite's schema
        changes are transactional: no other connection ever sees the tables without them). On
        PostgreSQL the transaction sets `contacts.search_deferred`, which the triggers heed
        (migration 0028), and only for these statements: other writes in the transaction keep them.
        A failed statement rolls the chunk's transaction (or savepoint) back, and the setting with it.
        """
        if self.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('contacts.search_deferred', 'on', true)")
            yield
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('contacts.search_deferred', 'off', true)")
            return
        with connection.cursor() as cursor:
            if self.triggers is None:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)", INSERT_TRIGGERS
                )
                self.triggers = dict(cursor.fetchall())
            for name in self.triggers:
                cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for sql in self.triggers.values():
                    cursor.execute(sql)

    @staticmethod
    def _index(contacts: list[tuple], items: list[tuple]) -> None:
        """The search documents of a chunk's new contacts (`contacts`, numbered in one run by `_new_ids`)
        and their `items` (in the order of their ids), as the insert triggers write them
        (contacts.search.SQLITE_DOCUMENTS), made from the rows in hand instead of read back."""
        name_of = {row[_ID]: row[_DISPLAY_NAME] for row in contacts}
        outside = {row[_COMPANY] for row in contacts if row[_COMPANY] is not None and row[_COMPANY] not in name_of}
        if outside:
            name_of.update(Contact.objects.filter(pk__in=outside).values_list("pk", "display_name"))
        texts: dict[int, list[str]] = defaultdict(list)
        digits: dict[int, list[str]] = defaultdict(list)
        for item in items:
            kind = item[1]
            if kind == "tel":
                texts[item[0]].append("  " + item[5].replace(" ", "  "))
                digits[item[0]].append("  " + digits_of(item[5]))
            elif kind == "email":
                texts[item[0]].append("  " + item[5].replace(" ", "  "))
        documents = []
        for row in contacts:
            pk, company = row[_ID], row[_COMPANY]
            doc = "  ".join(
                ("", row[_DISPLAY_NAME].replace(" ", "  "), (name_of.get(company) or "").replace(" ", "  "),
                 row[_JOB_TITLE].replace(" ", "  "))
            )  # fmt: skip
            documents.append((pk, doc + "".join(texts.get(pk, ())), "".join(digits.get(pk, ()))))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {SEARCH_TABLE} WHERE rowid BETWEEN %s AND %s", [contacts[0][0], contacts[-1][0]]
            )
            # One row per statement: FTS5 takes a multi-row VALUES list at half the speed.
            cursor.executemany(f"INSERT INTO {SEARCH_TABLE}(rowid, doc, digits) VALUES (%s, %s, %s)", documents)

    @staticmethod
    def _index_set_based(ids: list[int]) -> None:
        """On PostgreSQL, the search documents of the chunk's new contacts in one statement, by the
        triggers' own query (contacts.search.POSTGRESQL_DOCUMENTS)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = ANY(%s)", [ids])
            cursor.execute(
                f"INSERT INTO {SEARCH_TABLE}(rowid, doc, digits) {POSTGRESQL_DOCUMENTS} WHERE c.id = ANY(%s)", [ids]
            )

    def record_history(self, contact_ids: list[int]) -> None:
        """One history entry per contact written: imported, by the importing user, on the current channel
        (history_record_many's entries, as plain rows)."""
        changes = ContactChange._meta.get_field("changes").get_db_prep_save({}, connection)
        at = connection.ops.adapt_datetimefield_value(timezone.now())
        row = (self.author_id, current_channel(), ChangeAction.IMPORTED.value, changes, at)
        insert_rows(ContactChange, HISTORY_COLUMNS, [(pk, *row) for pk in contact_ids])

    @staticmethod
    def _children(
        row: PreparedRow, pk: int, items: list, addresses: list, custom: list, *, start: int, skip: set | None = None
    ) -> None:
        position = start
        for kind, tel_type, context, service, value, normalized, primary in row.items:
            if skip is not None:
                if (kind, normalized) in skip:
                    continue
                skip.add((kind, normalized))
            items.append((pk, kind, tel_type, context, service, value, normalized, primary, position))
            position += 1
        for index, address in enumerate(row.addresses):
            addresses.append((pk, *address, start + index))
        custom += [(pk, field_id, value) for field_id, value in row.custom.items()]

    def _tag_ids(self, names: list[str]) -> list[int]:
        if not names:
            return []
        missing = [name for name in names if name.lower() not in self.tags]
        if missing:
            lowered = {name.lower(): name for name in missing}
            found = Tag.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=list(lowered))
            for lower_name, pk in found.values_list("lower_name", "pk"):
                self.tags[lower_name] = pk
            for key, name in lowered.items():
                if key not in self.tags:
                    tag = Tag(name=name)
                    tag.save()  # taggit makes the unique slug
                    self.tags[key] = tag.pk
        ids = [self.tags[name.lower()] for name in names]
        return ids if len(ids) == 1 else list(dict.fromkeys(ids))


_uuid_order = attrgetter("int")  # a UUID's own order, without its Python-level comparison


def _item_order(item: tuple) -> tuple[str, str]:
    """A chunk's items go in by kind and normalized value (see the module docstring)."""
    return item[1], item[6]
