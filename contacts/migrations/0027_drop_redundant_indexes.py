"""Drop three indexes no read needs, which every contact or item written kept up to date.

- `contact_lower_name_idx` (the lower-cased display name of live contacts): the leading column of
  `contact_name_company_idx`, under the same condition, which answers the same lookups.
- The items' single-column index on `normalized` (and its PostgreSQL `_like` twin): every read of
  a normalized value names its kind too, and `item_duplicate_idx` (kind, normalized, contact) serves it.
- On PostgreSQL, the `_like` twin (varchar_pattern_ops) of the contacts' `display_name` index: no
  read asks for a display name by prefix (searches go through the search index).

The items' field changes in the state only: on SQLite, AlterField would remake the table, and with
it drop the search index's triggers.
"""

from django.db import migrations, models

ITEM_INDEX = "contacts_contactitem_normalized_7da46b80"
NAME_LIKE_INDEX = "contacts_contact_display_name_74fc37fa_like"


def drop_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX IF EXISTS "{ITEM_INDEX}"')
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f'DROP INDEX IF EXISTS "{ITEM_INDEX}_like"')
            cursor.execute(f'DROP INDEX IF EXISTS "{NAME_LIKE_INDEX}"')


def make_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'CREATE INDEX "{ITEM_INDEX}" ON "contacts_contactitem" ("normalized")')
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                f'CREATE INDEX "{ITEM_INDEX}_like" ON "contacts_contactitem" ("normalized" varchar_pattern_ops)'
            )
            cursor.execute(
                f'CREATE INDEX "{NAME_LIKE_INDEX}" ON "contacts_contact" ("display_name" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0026_duplicatescan"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_lower_name_idx",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contactitem",
                    name="normalized",
                    field=models.CharField(blank=True, editable=False, max_length=255),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, make_indexes)],
        ),
    ]
