"""Drop six indexes that other indexes already serve, which every contact written kept up to date.

- The contacts' single-column indexes on `display_name`, `created_at` and `updated_at`: every read
  that orders or filters by them reads live contacts only, and the partial read indexes
  `contact_order_idx`, `contact_created_order_idx` and `contact_updated_order_idx` (each led by
  that column, over the contacts out of the trash) answer it; the trash is read by
  `contact_trash_idx`.
- The single-column index on the contact of custom values, of tagged items and of the
  contact-to-project table: each is the leading column of the table's unique index (contact and
  field, contact and tag, contact and project), which serves every lookup by contact.

Together about a tenth of an import's CPU time. The fields change in the state only: on SQLite,
AlterField would remake the contacts' table, and with it drop the search index's triggers.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# (table, column) of each index, by its name as Django made it on both databases.
INDEXES = {
    "contacts_contact_display_name_74fc37fa": ("contacts_contact", "display_name"),
    "contacts_contact_created_at_8189cff1": ("contacts_contact", "created_at"),
    "contacts_contact_updated_at_893d3463": ("contacts_contact", "updated_at"),
    "contacts_customvalue_contact_id_adac4fcc": ("contacts_customvalue", "contact_id"),
    "contacts_taggedcontact_content_object_id_b4a75314": ("contacts_taggedcontact", "content_object_id"),
    "contacts_contact_projects_contact_id_7f27c67e": ("contacts_contact_projects", "contact_id"),
}


def drop_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def make_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, (table, column) in INDEXES.items():
            cursor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0029_contact_counts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="display_name",
                    field=models.CharField(editable=False, max_length=800),
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="created_at",
                    field=models.DateTimeField(default=django.utils.timezone.now),
                ),
                migrations.AlterField(
                    model_name="contact",
                    name="updated_at",
                    field=models.DateTimeField(auto_now=True),
                ),
                migrations.AlterField(
                    model_name="customvalue",
                    name="contact",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="custom_values",
                        to="contacts.contact",
                    ),
                ),
                migrations.AlterField(
                    model_name="taggedcontact",
                    name="content_object",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tagged_items",
                        to="contacts.contact",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, make_indexes)],
        ),
    ]
