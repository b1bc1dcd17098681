"""Stored counts of contacts by visibility and trash state, kept exact by database triggers.

The table ``contacts_contactcount`` holds, for each visibility and trash state, how many
contacts there are, split over rows by ``slot``: the count of a key is the sum of its rows.
Triggers on ``contacts_contact``, created by the migration ``0029_contact_counts``, add and
subtract as contacts are inserted, deleted, trashed, restored or change visibility, so the
numbers stay exact whatever writes (services, bulk actions, merges, the admin, imports, the
web form, raw SQL). An unfiltered count is then a few rows, not a pass over a million.

SQLite writes one transaction at a time, so every key has one row (slot 0). On PostgreSQL
each connection writes its own slot (its backend id modulo `SLOTS`): concurrent writers,
web-form posts among them, do not queue behind one row's lock until they commit.
"""

from __future__ import annotations

from django.db import connection

COUNT_TABLE = "contacts_contactcount"
SLOTS = 64

# The counts as the contacts hold them; the migration holds its own copy.
COUNTED = (
    "SELECT visibility, deleted_at IS NOT NULL, 0, COUNT(*) FROM contacts_contact"
    " GROUP BY visibility, deleted_at IS NOT NULL"
)


def stored_count(*, visibility: str | None = None) -> int:
    """How many contacts out of the trash there are (with `visibility`, when given), from the
    stored counts: one indexed read of at most `SLOTS` rows per key."""
    sql = f"SELECT COALESCE(SUM(contacts), 0) FROM {COUNT_TABLE} WHERE NOT in_trash"
    params: list[str] = []
    if visibility is not None:
        sql += " AND visibility = %s"
        params.append(visibility)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def stored_count_sql(*, visibility: str) -> tuple[str, list[str]]:
    """`stored_count` as a scalar subquery, for a statement that adds other counts to it: an
    integer on both databases (PostgreSQL's SUM of a bigint is a numeric, and a numeric plus a
    COUNT would reach the dialects as a decimal, 2.0 where they write 2)."""
    return (
        f"(SELECT CAST(COALESCE(SUM(contacts), 0) AS bigint) FROM {COUNT_TABLE}"
        " WHERE NOT in_trash AND visibility = %s)",
        [visibility],
    )


def counts_rebuild() -> None:
    """Count every contact again (after loading data with the triggers off, say)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNT_TABLE}")
        cursor.execute(f"INSERT INTO {COUNT_TABLE}(visibility, in_trash, slot, contacts) {COUNTED}")
