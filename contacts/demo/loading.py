"""Demo rows into the database: the tables' columns and their order, multi-row INSERTs on SQLite and
COPY on PostgreSQL, and, for a large load, the SQLite pragmas and the indexes, triggers and
constraints dropped for the load and built once after it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import Any

from django.db import connection, transaction

from contacts.counts import counts_rebuild
from contacts.models import Address, Contact, ContactItem, CustomValue, Note, TaggedContact
from contacts.search import SEARCH_TABLE, search_rebuild

INSERT_COLUMNS = {
    Contact: [f.column for f in Contact._meta.concrete_fields],
    ContactItem: [
        *("contact_id", "kind", "tel_type", "context", "service"),
        *("value", "normalized", "is_primary", "position"),
    ],
    Address: [
        *("contact_id", "street1", "street2", "city", "region"),
        *("postcode", "country", "context", "is_primary", "position"),
    ],
    TaggedContact: ["content_object_id", "tag_id"],
    Contact.projects.through: ["contact_id", "project_id"],
    CustomValue: ["contact_id", "field_id", "value"],
    Note: ["contact_id", "kind", "subject", "content", "author_id", "created_at", "updated_at"],
}


INSERT_ORDER = list(INSERT_COLUMNS)  # contacts before the rows that point at them


ROWS_PER_STATEMENT = 500


DEFER_INDEXES_FROM = 20_000  # contacts added at once


@contextmanager
def _bulk_load_pragmas() -> Iterator[None]:
    """On SQLite outside a transaction: a larger page cache, no fsync and no journal while loading.

    Losing power mid-load can leave the file to be rebuilt: a benchmark's or a demo's, made again
    by running the command on a fresh database.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB: index pages stay in memory
        cursor.execute("PRAGMA synchronous = OFF")
        # No journal: each page is written once, not to the WAL and again at the checkpoint. The
        # mode changes only when no other connection has the file open (else it stays as it is).
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA temp_store = MEMORY")  # the index builds' sorts
        cursor.execute("PRAGMA threads = 2")  # which may sort on a second core
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA temp_store = DEFAULT")
            cursor.execute("PRAGMA threads = 0")


@contextmanager
def _indexes_built_after(models: list[Any], *, enabled: bool) -> Iterator[None]:
    """On SQLite outside a transaction: drop the tables' secondary indexes and triggers, load,
    create them again, and rebuild the search index and the stored counts the triggers would have kept.

    The definitions are read back from sqlite_master, so indexes and triggers added by any
    migration come back as they were. Primary keys and column UNIQUE constraints stay (SQLite
    cannot drop them). Row triggers would rewrite a contact's search document once per item;
    one `search_rebuild()` at the end writes each document once.
    """
    if not enabled or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    tables = [model._meta.db_table for model in models]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks})",
            tables,
        )
        definitions = cursor.fetchall()
        for kind, name, _ in definitions:
            cursor.execute(f"DROP {kind.upper()} {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, _, sql in definitions:
                cursor.execute(sql)
        search_rebuild()
        counts_rebuild()


@contextmanager
def _postgresql_indexes_built_after(models: list[Any], *, enabled: bool) -> Iterator[None]:
    """On PostgreSQL outside a transaction: one transaction that drops the tables' secondary
    indexes, their unique and foreign-key constraints, and the search index's own indexes, turns
    their triggers off, loads, then builds it all again from the catalog's own definitions,
    rebuilds the search documents in one statement and the stored counts; after the commit,
    vacuums and analyzes the tables.

    Sorted index builds and one join per foreign key cost a fraction of a million random index
    inserts and a million queued key checks; the search triggers would refresh each contact
    once per batch, one statement per contact. The definitions are read back from the catalog,
    so whatever a migration added comes back as it was; a failure anywhere rolls the whole load
    back, the dropped definitions with it. Primary keys and CHECK constraints stay, and so do
    unique constraints that a foreign key of another table relies on.
    """
    if not enabled or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # The index builds sort in memory, for this transaction only; the server's own
        # settings stay as they are.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype"
            " FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')"
            " AND NOT (c.contype = 'u' AND EXISTS (SELECT 1 FROM pg_constraint f"
            "     WHERE f.contype = 'f' AND f.conindid = c.conindid AND NOT f.conrelid = ANY(%s::regclass[])))"
            " ORDER BY c.contype, c.conname",  # foreign keys first: a unique key may be what one points at
            [tables, tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
            "     SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [[*tables, SEARCH_TABLE]],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal AND tgenabled <> 'D'",
            [tables],
        )
        triggers = cursor.fetchall()
        for table, name, _, _ in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for _, name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
        yield
        for table, name, definition, _ in reversed(constraints):  # unique keys, then the keys pointing at them
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for table, _, definition in indexes:
            if table != SEARCH_TABLE:
                cursor.execute(definition)
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")
        search_rebuild()
        counts_rebuild()
        for table, _, definition in indexes:
            if table == SEARCH_TABLE:
                cursor.execute(definition)
    # Statistics for the planner, and the visibility map that lets a count read an index alone
    # (no heap fetch per row): the first reads after a load would otherwise plan blind and
    # read every page. VACUUM runs outside a transaction, hence after the commit.
    with connection.cursor() as cursor:
        for table in [*tables, SEARCH_TABLE]:
            cursor.execute(f"VACUUM (ANALYZE) {quote(table)}")


def _rows_per_statement(columns: int) -> int:
    """Rows per INSERT: ROWS_PER_STATEMENT, or fewer where SQLite's bound-parameter limit (32766
    since SQLite 3.32, 999 before) would refuse them. Few long statements cost least."""
    if connection.vendor != "sqlite":
        return ROWS_PER_STATEMENT
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // columns))


def _insert(model: Any, rows: list[tuple]) -> None:
    """Insert rows: with one COPY on PostgreSQL (`_copy`), elsewhere with multi-row INSERT
    statements of ROWS_PER_STATEMENT rows each.

    Run on the driver itself: Django's debug cursor would keep every parameter list, and on
    SQLite Django's cursor would rewrite the thousands of placeholders of each statement from
    %s to ? (the statement is written with ? here). Few statements, each of many rows, keep
    per-statement costs small; the rows are flattened into each statement's parameters in C.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, rows)
        return
    columns = INSERT_COLUMNS[model]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    per_statement = _rows_per_statement(len(columns))
    full = len(rows) - len(rows) % per_statement
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            raw, mark = connection.connection, "?"  # the driver's own connection: no placeholder rewriting
        else:
            raw, mark = cursor.cursor, "%s"  # the driver's cursor
        one = "(" + ", ".join([mark] * len(columns)) + ")"
        if full:
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * per_statement)
            raw.executemany(
                sql,
                [
                    list(chain.from_iterable(rows[start : start + per_statement]))
                    for start in range(0, full, per_statement)
                ],
            )
        if full < len(rows):
            rest = rows[full:]
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(rest))
            raw.execute(sql, list(chain.from_iterable(rest)))


def _copy(model: Any, rows: list[tuple]) -> None:
    """Stream rows into PostgreSQL with one COPY: psycopg formats each row in C, and the server
    parses no statement per row (its statement-level triggers fire once, as for one INSERT)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in INSERT_COLUMNS[model])
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
