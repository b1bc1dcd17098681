"""On PostgreSQL, the search index's insert triggers leave the documents to a bulk writer that asks.

A transaction that sets `contacts.search_deferred` to `on` (`SET LOCAL`, or `set_config(..., true)`)
inserts contacts and items without their triggers refreshing the documents one contact at a time;
the writer then makes the documents of the contacts it wrote in one set-based statement
(`contacts.importers.writing`), the same documents the triggers make. Every other write, and any
transaction that does not ask, keeps the triggers as before. SQLite's triggers are unchanged.
"""

from django.db import migrations

GUARD = "IF current_setting('contacts.search_deferred', true) = 'on' THEN RETURN NULL; END IF;"
BODIES = {
    "contacts_search_contact_inserted": "PERFORM contacts_search_refresh(ARRAY(SELECT id FROM new_rows));",
    "contacts_search_item_inserted": (
        "PERFORM contacts_search_refresh(ARRAY(SELECT DISTINCT contact_id FROM new_rows));"
    ),
}


def _functions(guard: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {guard}
        {body}
        RETURN NULL;
    END $$"""
        for name, body in BODIES.items()
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in _functions(GUARD):
            cursor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in _functions(""):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0027_drop_redundant_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
