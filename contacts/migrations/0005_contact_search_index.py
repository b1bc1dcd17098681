"""The contact search index and the triggers that keep it in step with every write.

`contacts/search.py` describes the index: one row per contact (`rowid` is the
contact's id) with `doc` (names, company, job title, emails and phones, each
after two spaces, every space doubled) and `digits` (the digits of each phone,
likewise). SQLite: an FTS5 table with the trigram tokenizer, its triggers
calling `crm_digits()`, which every connection of the app registers.
PostgreSQL: a plain table with pg_trgm GIN indexes, kept by statement-level PL/pgSQL triggers.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

SQLITE_DOCUMENTS = """
SELECT c.id,
    '  ' || replace(c.display_name, ' ', '  ')
    || '  ' || replace(coalesce(co.display_name, ''), ' ', '  ')
    || '  ' || replace(c.job_title, ' ', '  ')
    || coalesce((SELECT group_concat('  ' || replace(i.value, ' ', '  '), '') FROM contacts_contactitem i
                 WHERE i.contact_id = c.id AND +i.kind IN ('email', 'tel')), ''),
    coalesce((SELECT group_concat('  ' || crm_digits(i.value), '') FROM contacts_contactitem i
              WHERE i.contact_id = c.id AND +i.kind = 'tel'), '')
FROM contacts_contact c LEFT JOIN contacts_contact co ON co.id = c.company_id
"""


def sqlite_refresh(where: str) -> str:
    """Statements (for a trigger body) rebuilding the rows of the contacts `c` that meet `where`."""
    ids = f"SELECT c.id FROM contacts_contact c WHERE {where}"
    return (
        f"DELETE FROM contacts_contactsearch WHERE rowid IN ({ids});\n"
        f"INSERT INTO contacts_contactsearch(rowid, doc, digits) {SQLITE_DOCUMENTS} WHERE {where};\n"
    )


SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE contacts_contactsearch USING fts5(doc, digits, tokenize = 'trigram')",
    f"INSERT INTO contacts_contactsearch(rowid, doc, digits) {SQLITE_DOCUMENTS}",
    f"""CREATE TRIGGER contacts_search_contact_insert AFTER INSERT ON contacts_contact BEGIN
        {sqlite_refresh("c.id = NEW.id")} END""",
    f"""CREATE TRIGGER contacts_search_contact_update AFTER UPDATE ON contacts_contact
        WHEN OLD.display_name IS NOT NEW.display_name OR OLD.job_title IS NOT NEW.job_title
             OR OLD.company_id IS NOT NEW.company_id OR OLD.id IS NOT NEW.id BEGIN
        DELETE FROM contacts_contactsearch WHERE rowid = OLD.id;
        {sqlite_refresh("c.id = NEW.id")} END""",
    f"""CREATE TRIGGER contacts_search_company_rename AFTER UPDATE OF display_name ON contacts_contact
        WHEN OLD.display_name IS NOT NEW.display_name BEGIN
        {sqlite_refresh("c.company_id = NEW.id")} END""",
    """CREATE TRIGGER contacts_search_contact_delete AFTER DELETE ON contacts_contact BEGIN
        DELETE FROM contacts_contactsearch WHERE rowid = OLD.id; END""",
    f"""CREATE TRIGGER contacts_search_item_insert AFTER INSERT ON contacts_contactitem BEGIN
        {sqlite_refresh("c.id = NEW.contact_id")} END""",
    f"""CREATE TRIGGER contacts_search_item_update AFTER UPDATE ON contacts_contactitem BEGIN
        {sqlite_refresh("c.id IN (OLD.contact_id, NEW.contact_id)")} END""",
    f"""CREATE TRIGGER contacts_search_item_delete AFTER DELETE ON contacts_contactitem BEGIN
        {sqlite_refresh("c.id = OLD.contact_id")} END""",
]
SQLITE_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS contacts_search_{name}"
        for name in (
            "contact_insert",
            "contact_update",
            "company_rename",
            "contact_delete",
            "item_insert",
            "item_update",
            "item_delete",
        )
    ),
    "DROP TABLE IF EXISTS contacts_contactsearch",
]

TABLES = {"contact": "contacts_contact", "item": "contacts_contactitem"}

POSTGRESQL_DOCUMENTS = """
SELECT c.id,
    lower('  ' || replace(c.display_name, ' ', '  ')
    || '  ' || replace(coalesce(co.display_name, ''), ' ', '  ')
    || '  ' || replace(c.job_title, ' ', '  ')
    || coalesce(items.doc, '')),
    coalesce(items.digits, '')
FROM contacts_contact c LEFT JOIN contacts_contact co ON co.id = c.company_id
CROSS JOIN LATERAL (
    SELECT string_agg('  ' || replace(i.value, ' ', '  '), '') FILTER (WHERE i.kind IN ('email', 'tel')) AS doc,
        string_agg('  ' || regexp_replace(i.value, '[^0-9]', '', 'g'), '') FILTER (WHERE i.kind = 'tel') AS digits
    FROM contacts_contactitem i WHERE i.contact_id = c.id
) items
"""

POSTGRESQL_FORWARD = [
    """CREATE TABLE contacts_contactsearch (
        rowid bigint PRIMARY KEY, doc text NOT NULL DEFAULT '', digits text NOT NULL DEFAULT '')""",
    # One contact at a time by primary key: PL/pgSQL keeps these statements' plans for the
    # session, and a plan made while a bulk load is under way (stale statistics) still probes
    # the key instead of scanning the table.
    f"""CREATE FUNCTION contacts_search_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        contact bigint;
    BEGIN
        FOREACH contact IN ARRAY ids LOOP
            DELETE FROM contacts_contactsearch WHERE rowid = contact;
            INSERT INTO contacts_contactsearch(rowid, doc, digits) {POSTGRESQL_DOCUMENTS} WHERE c.id = contact;
        END LOOP;
    END $$""",
    # Statement-level triggers with transition tables: a bulk insert or update refreshes each
    # contact it touches once, however many of its rows the statement wrote.
    """CREATE FUNCTION contacts_search_contact_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM contacts_search_refresh(ARRAY(SELECT id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION contacts_search_contact_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM contacts_search_refresh(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.display_name IS DISTINCT FROM o.display_name OR n.job_title IS DISTINCT FROM o.job_title
               OR n.company_id IS DISTINCT FROM o.company_id
            UNION
            SELECT p.id FROM contacts_contact p WHERE p.company_id IN (
                SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE n.display_name IS DISTINCT FROM o.display_name)
        ));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION contacts_search_contact_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM contacts_contactsearch WHERE rowid IN (SELECT id FROM old_rows);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION contacts_search_item_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM contacts_search_refresh(ARRAY(SELECT DISTINCT contact_id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION contacts_search_item_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM contacts_search_refresh(ARRAY(SELECT contact_id FROM old_rows UNION SELECT contact_id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION contacts_search_item_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM contacts_search_refresh(ARRAY(SELECT DISTINCT contact_id FROM old_rows));
        RETURN NULL;
    END $$""",
    *(
        f"""CREATE TRIGGER contacts_search_{table}_{verb} AFTER {op} ON {TABLES[table]}
            REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION contacts_search_{table}_{verb}()"""
        for table in ("contact", "item")
        for verb, op, transition in (
            ("inserted", "INSERT", "NEW TABLE AS new_rows"),
            ("updated", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("deleted", "DELETE", "OLD TABLE AS old_rows"),
        )
    ),
    f"INSERT INTO contacts_contactsearch(rowid, doc, digits) {POSTGRESQL_DOCUMENTS}",
    "CREATE INDEX contacts_search_doc_trgm ON contacts_contactsearch USING gin (doc gin_trgm_ops)",
    "CREATE INDEX contacts_search_digits_trgm ON contacts_contactsearch USING gin (digits gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS contacts_search_{table}_{verb} ON {TABLES[table]}"
        for table in ("contact", "item")
        for verb in ("inserted", "updated", "deleted")
    ),
    *(
        f"DROP FUNCTION IF EXISTS contacts_search_{table}_{verb}()"
        for table in ("contact", "item")
        for verb in ("inserted", "updated", "deleted")
    ),
    "DROP FUNCTION IF EXISTS contacts_search_refresh(bigint[])",
    "DROP TABLE IF EXISTS contacts_contactsearch",
]


def require_pg_trgm(cursor) -> None:
    """Create pg_trgm when it is missing and the role may; otherwise say what to do."""
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        return
    cursor.execute("SELECT has_database_privilege(current_user, current_database(), 'CREATE')")
    may_create = cursor.fetchone()[0]
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    available = cursor.fetchone() is not None
    if not available:
        raise ImproperlyConfigured(
            "Contact search needs the PostgreSQL extension pg_trgm, which this server does not have: "
            "install PostgreSQL's contrib package, then run the migrations again."
        )
    if not may_create:
        raise ImproperlyConfigured(
            "Contact search needs the PostgreSQL extension pg_trgm and this database role may not create it: "
            "run `CREATE EXTENSION pg_trgm;` in this database as a superuser, then run the migrations again."
        )
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            require_pg_trgm(cursor)
            statements = POSTGRESQL_FORWARD
        elif vendor == "sqlite":
            statements = SQLITE_FORWARD
        else:
            raise ImproperlyConfigured(f"Contact search supports SQLite and PostgreSQL, not {vendor}.")
        for sql in statements:
            cursor.execute(sql)


def backward(apps, schema_editor):
    statements = POSTGRESQL_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_contactitem_slot")]

    operations = [migrations.RunPython(forward, backward)]
