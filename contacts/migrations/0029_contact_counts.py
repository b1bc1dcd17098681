"""Stored counts of contacts by visibility and trash state, and the triggers that keep them.

`contacts/counts.py` describes the table. SQLite: row triggers adding to the one row of a key.
PostgreSQL: statement-level PL/pgSQL triggers over the transition tables, each connection
adding to its own slot (its backend id modulo 64), so concurrent writers do not wait on one row.
"""

from django.db import migrations

COUNTED = (
    "SELECT visibility, deleted_at IS NOT NULL, 0, COUNT(*) FROM contacts_contact"
    " GROUP BY visibility, deleted_at IS NOT NULL"
)

TABLE = """CREATE TABLE contacts_contactcount (
    visibility varchar(16) NOT NULL,
    in_trash boolean NOT NULL,
    slot integer NOT NULL,
    contacts bigint NOT NULL,
    PRIMARY KEY (visibility, in_trash, slot)
)"""


def sqlite_add(row: str, delta: str) -> str:
    return (
        f"INSERT INTO contacts_contactcount(visibility, in_trash, slot, contacts) "
        f"VALUES ({row}.visibility, {row}.deleted_at IS NOT NULL, 0, {delta}) "
        f"ON CONFLICT (visibility, in_trash, slot) DO UPDATE SET contacts = contacts + excluded.contacts;"
    )


SQLITE_FORWARD = [
    TABLE,
    f"INSERT INTO contacts_contactcount(visibility, in_trash, slot, contacts) {COUNTED}",
    f"""CREATE TRIGGER contacts_count_contact_insert AFTER INSERT ON contacts_contact BEGIN
        {sqlite_add("NEW", "1")} END""",
    f"""CREATE TRIGGER contacts_count_contact_delete AFTER DELETE ON contacts_contact BEGIN
        {sqlite_add("OLD", "-1")} END""",
    f"""CREATE TRIGGER contacts_count_contact_update AFTER UPDATE OF visibility, deleted_at ON contacts_contact
        WHEN OLD.visibility IS NOT NEW.visibility OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        {sqlite_add("OLD", "-1")}
        {sqlite_add("NEW", "1")} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS contacts_count_contact_insert",
    "DROP TRIGGER IF EXISTS contacts_count_contact_delete",
    "DROP TRIGGER IF EXISTS contacts_count_contact_update",
    "DROP TABLE IF EXISTS contacts_contactcount",
]

# Keys are written in one order (ORDER BY), so two transactions sharing a slot take its rows' locks
# in the same order and never deadlock on them.
POSTGRESQL_ADD = """
    INSERT INTO contacts_contactcount AS counted (visibility, in_trash, slot, contacts)
    SELECT visibility, trashed, pg_backend_pid() % 64, SUM(delta) FROM ({changes}) changes
    GROUP BY visibility, trashed HAVING SUM(delta) <> 0 ORDER BY visibility, trashed
    ON CONFLICT (visibility, in_trash, slot) DO UPDATE SET contacts = counted.contacts + EXCLUDED.contacts;
"""
# Only the rows whose key changed count: an edit of a name leaves the counts (and their locks) alone.
POSTGRESQL_UPDATE_CHANGES = """
    SELECT side.visibility, side.trashed, side.delta FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.visibility, o.deleted_at IS NOT NULL, -1),
                               (n.visibility, n.deleted_at IS NOT NULL, 1)) AS side(visibility, trashed, delta)
    WHERE o.visibility IS DISTINCT FROM n.visibility OR (o.deleted_at IS NULL) IS DISTINCT FROM (n.deleted_at IS NULL)
"""
POSTGRESQL_FORWARD = [
    TABLE,
    f"INSERT INTO contacts_contactcount(visibility, in_trash, slot, contacts) {COUNTED}",
    f"""CREATE FUNCTION contacts_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {POSTGRESQL_ADD.format(changes="SELECT visibility, deleted_at IS NOT NULL AS trashed, 1 AS delta FROM new_rows")}
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION contacts_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {POSTGRESQL_ADD.format(changes="SELECT visibility, deleted_at IS NOT NULL AS trashed, -1 AS delta FROM old_rows")}
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION contacts_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {POSTGRESQL_ADD.format(changes=POSTGRESQL_UPDATE_CHANGES)}
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER contacts_count_contact_insert AFTER INSERT ON contacts_contact
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_insert()""",
    """CREATE TRIGGER contacts_count_contact_delete AFTER DELETE ON contacts_contact
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_delete()""",
    """CREATE TRIGGER contacts_count_contact_update AFTER UPDATE ON contacts_contact
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION contacts_count_update()""",
    # TRUNCATE (a test database's flush, say) fires no delete trigger: it empties the counts too.
    """CREATE FUNCTION contacts_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM contacts_contactcount;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER contacts_count_contact_truncate AFTER TRUNCATE ON contacts_contact
        FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_truncate()""",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS contacts_count_contact_insert ON contacts_contact",
    "DROP TRIGGER IF EXISTS contacts_count_contact_delete ON contacts_contact",
    "DROP TRIGGER IF EXISTS contacts_count_contact_update ON contacts_contact",
    "DROP TRIGGER IF EXISTS contacts_count_contact_truncate ON contacts_contact",
    "DROP FUNCTION IF EXISTS contacts_count_insert()",
    "DROP FUNCTION IF EXISTS contacts_count_delete()",
    "DROP FUNCTION IF EXISTS contacts_count_update()",
    "DROP FUNCTION IF EXISTS contacts_count_truncate()",
    "DROP TABLE IF EXISTS contacts_contactcount",
]


def forward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        for sql in POSTGRESQL_FORWARD if postgresql else SQLITE_FORWARD:
            cursor.execute(sql)


def backward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        for sql in POSTGRESQL_BACKWARD if postgresql else SQLITE_BACKWARD:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0028_search_insert_deferral")]

    operations = [migrations.RunPython(forward, backward)]
