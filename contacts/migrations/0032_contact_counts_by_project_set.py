"""Stored counts keyed by the project set of every live contact, not only of a project contact.

`contacts/counts.py` describes the table and its keys. Under 0031 a public or private contact's key
had no project set (""), so a count of one project's contacts had to read them. Now every live
contact's key holds the set of its projects (a trashed one's still holds ""), and a count of a
project's contacts is a sum over the keys whose set holds it. The table, the rows' slots and the
triggers' shape are 0031's; only the key of a live contact and the contacts whose links count
change, so the triggers and functions are made again and the counts counted again.
"""

from importlib import import_module

from django.db import migrations

COUNTS_0031 = import_module("contacts.migrations.0031_contact_counts_by_visibility_key")

sqlite_set = COUNTS_0031.sqlite_set
postgresql_set = COUNTS_0031.postgresql_set
KEYS = COUNTS_0031.Keys(every_live_set=True)
counted = KEYS.counted
SQLITE_TRIGGERS = KEYS.sqlite_triggers()
POSTGRESQL_FUNCTIONS = KEYS.postgresql_functions()


def _sqlite(triggers: dict[str, str], recount: str) -> list[str]:
    """The triggers made again and the counts counted again."""
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in triggers),
        "DELETE FROM contacts_contactcount",
        recount,
        *(f"CREATE TRIGGER {name} {body}" for name, body in triggers.items()),
    ]


def _postgresql(functions: dict[str, str], recount: str) -> list[str]:
    """The functions replaced (the triggers call them by name) and the counts counted again."""
    return [
        *(body.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1) for body in functions.values()),
        "DELETE FROM contacts_contactcount",
        recount,
    ]


def forward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            sqls = _postgresql(POSTGRESQL_FUNCTIONS, counted(postgresql_set))
        else:
            sqls = _sqlite(SQLITE_TRIGGERS, counted(sqlite_set))
        for sql in sqls:
            cursor.execute(sql)


def backward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            sqls = _postgresql(COUNTS_0031.POSTGRESQL_FUNCTIONS, COUNTS_0031.counted(postgresql_set))
        else:
            sqls = _sqlite(COUNTS_0031.SQLITE_TRIGGERS, COUNTS_0031.counted(sqlite_set))
        for sql in sqls:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0031_contact_counts_by_visibility_key")]

    operations = [migrations.RunPython(forward, backward)]
