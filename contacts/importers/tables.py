"""The tables an import writes as plain rows: their columns, in the order of the writer's tuples,
and how the rows go in, on SQLite with multi-row INSERT statements (executemany over
ROWS_PER_STATEMENT rows each), on PostgreSQL with one COPY per table (the server parses COPY's rows
several times faster than INSERT's values).

SQLite keeps a larger page cache on the importing connection for the import's duration
(`bulk_cache`): a chunk updates some twenty indexes at random places, and the default 2 MiB cache
makes SQLite read the same pages back again and again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from types import SimpleNamespace
from typing import Any

from django.db import connection

from contacts.models import Contact

ROWS_PER_STATEMENT = 100


SQLITE_IMPORT_CACHE_KIB = 128 * 1024


ContactLink = Contact.projects.through


CONTACT_COLUMNS = [f.column for f in Contact._meta.concrete_fields]


ITEM_COLUMNS = ["contact_id", "kind", "tel_type", "context", "service", "value", "normalized", "is_primary", "position"]


ADDRESS_COLUMNS = [
    *("contact_id", "street1", "street2", "city", "region", "postcode", "country", "context", "is_primary"),
    "position",
]


_ID, _DISPLAY_NAME, _COMPANY, _JOB_TITLE = (
    CONTACT_COLUMNS.index(c) for c in ("id", "display_name", "company_id", "job_title")
)


NAME_COLUMNS = ("is_company", "name", "first_name", "middle_name", "last_name")


HISTORY_COLUMNS = ["contact_id", "user_id", "channel", "action", "changes", "at"]


@contextmanager
def bulk_cache() -> Iterator[None]:
    """On SQLite, a page cache of SQLITE_IMPORT_CACHE_KIB for the block (see the module docstring), then
    the connection's own again."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def display_name(values: dict[str, Any], *, is_company: bool) -> str:
    """The stored display name, by the model's own rule."""
    probe = SimpleNamespace(
        is_company=is_company,
        name=values.get("name") or "",
        first_name=values.get("first_name") or "",
        middle_name=values.get("middle_name") or "",
        last_name=values.get("last_name") or "",
    )
    return Contact.compute_display_name(probe)


def insert_rows(model: Any, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows: on PostgreSQL with one COPY, elsewhere with multi-row INSERT statements of
    ROWS_PER_STATEMENT rows each (one executemany, and one statement for the rest)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        _copy_rows(f"COPY {table} ({names}) FROM STDIN", rows)
        return
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    full = len(rows) - len(rows) % ROWS_PER_STATEMENT
    with connection.cursor() as cursor:
        if full:
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * ROWS_PER_STATEMENT)
            flat = chain.from_iterable
            params = [
                list(flat(rows[start : start + ROWS_PER_STATEMENT])) for start in range(0, full, ROWS_PER_STATEMENT)
            ]
            if len(params) == 1:
                cursor.execute(sql, params[0])
            else:
                cursor.executemany(sql, params)
        if full < len(rows):
            rest = rows[full:]
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(rest))
            cursor.execute(sql, list(chain.from_iterable(rest)))


def _copy_rows(sql: str, rows: list[tuple]) -> None:
    """COPY rows in (the server parses them several times faster than INSERT's values), logged as a
    query when queries are (COPY does not pass through the cursor's execute)."""
    start = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    if connection.queries_logged:
        connection.queries_log.append({"sql": f"{sql} ({len(rows)} rows)", "time": f"{time.monotonic() - start:.3f}"})
