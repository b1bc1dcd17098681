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

KEY = COUNTS_0031.KEY
LINKS = COUNTS_0031.LINKS
KEY_CHANGED = COUNTS_0031.KEY_CHANGED
linked = COUNTS_0031.linked
sqlite_set = COUNTS_0031.sqlite_set
postgresql_set = COUNTS_0031.postgresql_set
postgresql_function = COUNTS_0031.postgresql_function


def key(row: str, projects: str) -> str:
    """The key of the contact `row`, as the table's columns: its projects for a live contact, its
    author and assignee (0 for none) for a live contact that is not public."""
    live = f"{row}.deleted_at IS NULL"
    return (
        f"{row}.visibility AS visibility, {row}.deleted_at IS NOT NULL AS in_trash, {row}.is_company AS is_company,"
        f" CASE WHEN {live} THEN {projects} ELSE '' END AS projects,"
        f" CASE WHEN {live} AND {row}.visibility <> 'public' THEN COALESCE({row}.author_id, 0) ELSE 0 END"
        " AS author_id,"
        f" CASE WHEN {live} AND {row}.visibility <> 'public' THEN COALESCE({row}.assigned_to_id, 0) ELSE 0 END"
        " AS assigned_to_id"
    )


def counted(project_set) -> str:
    """Every contact counted again under its key, into slot 0."""
    return (
        f"INSERT INTO contacts_contactcount({KEY}, slot, contacts) SELECT {KEY}, 0, COUNT(*)"
        f" FROM (SELECT {key('c', project_set(linked('c.id')))} FROM contacts_contact c) keyed GROUP BY {KEY}"
    )


# The contacts whose links count: the live ones (a trashed contact's key has no project set).
LINKED_CONTACT = "c.deleted_at IS NULL"


def sqlite_add(row: str, projects: str, delta: str, *, source: str = "WHERE true") -> str:
    """Add `delta` to the key of `row` (NEW, OLD, or the contact `c` that `source` reads)."""
    return (
        f"INSERT INTO contacts_contactcount({KEY}, slot, contacts)"
        f" SELECT {key(row, projects)}, 0, {delta} {source}"
        f" ON CONFLICT ({KEY}, slot) DO UPDATE SET contacts = contacts + excluded.contacts;"
    )


def sqlite_moved(contact: str, before: str, *, when: str = "true") -> str:
    """The projects of `contact`, if it is live, went from the set `before` (a SELECT of `c`'s
    project ids) to the ones it has now."""
    source = f"FROM contacts_contact c WHERE c.id = {contact} AND {LINKED_CONTACT} AND {when}"
    return sqlite_add("c", sqlite_set(before), "-1", source=source) + sqlite_add(
        "c", sqlite_set(linked("c.id")), "1", source=source
    )


# A link moved from one contact or project to another: its old contact had the old link and not the
# new one; its new contact (when another) did not have the new link.
SQLITE_LINK_UPDATED = sqlite_moved(
    "OLD.contact_id",
    linked("c.id") + " AND NOT (c.id = NEW.contact_id AND project_id = NEW.project_id) UNION SELECT OLD.project_id",
) + sqlite_moved(
    "NEW.contact_id", linked("c.id") + " AND project_id <> NEW.project_id", when="NEW.contact_id <> OLD.contact_id"
)
SQLITE_TRIGGERS = {
    "contacts_count_contact_insert": f"""AFTER INSERT ON contacts_contact BEGIN
        {sqlite_add("NEW", sqlite_set(linked("NEW.id")), "1")} END""",
    "contacts_count_contact_delete": f"""AFTER DELETE ON contacts_contact BEGIN
        {sqlite_add("OLD", sqlite_set(linked("OLD.id")), "-1")} END""",
    "contacts_count_contact_update": f"""AFTER UPDATE OF visibility, deleted_at, is_company, author_id,
        assigned_to_id ON contacts_contact WHEN {KEY_CHANGED.format(o="OLD", n="NEW")} BEGIN
        {sqlite_add("OLD", sqlite_set(linked("OLD.id")), "-1")}
        {sqlite_add("NEW", sqlite_set(linked("NEW.id")), "1")} END""",
    "contacts_count_project_insert": f"""AFTER INSERT ON {LINKS} BEGIN
        {sqlite_moved("NEW.contact_id", linked("c.id") + " AND project_id <> NEW.project_id")} END""",
    "contacts_count_project_delete": f"""AFTER DELETE ON {LINKS} BEGIN
        {sqlite_moved("OLD.contact_id", linked("c.id") + " UNION SELECT OLD.project_id")} END""",
    "contacts_count_project_update": f"""AFTER UPDATE OF contact_id, project_id ON {LINKS}
        WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.project_id IS NOT NEW.project_id BEGIN
        {SQLITE_LINK_UPDATED} END""",
}


def postgresql_rows(rows: str, delta: int) -> str:
    return f"SELECT {key('r', postgresql_set(linked('r.id')))}, {delta} AS delta FROM {rows} r"


# Only the rows whose key changed count: an edit of a name leaves the counts (and their locks) alone.
POSTGRESQL_UPDATE_CHANGES = f"""
    SELECT side.* FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (SELECT {key("o", postgresql_set(linked("o.id")))}, -1 AS delta
                        UNION ALL SELECT {key("n", postgresql_set(linked("n.id")))}, 1) AS side
    WHERE {KEY_CHANGED.format(o="o", n="n")}
"""
NO_LINKS = COUNTS_0031.NO_LINKS


def postgresql_moved(added: str, removed: str) -> str:
    """The live contacts whose projects `added` and `removed` (link rows) changed: each from the
    set it had before to the set it has now. The statement's links are gathered by contact first
    (one pass over each transition table, which has no index), as arrays."""
    before = f"{linked('c.id')} AND NOT project_id = ANY(COALESCE(m.added, '{{}}')) UNION SELECT unnest(m.removed)"
    return f"""
    SELECT {key("c", "side.projects")}, side.delta
    FROM (SELECT contact_id, array_agg(project_id) FILTER (WHERE added) AS added,
                 array_agg(project_id) FILTER (WHERE NOT added) AS removed
          FROM (SELECT contact_id, project_id, true AS added FROM {added} a
                UNION ALL SELECT contact_id, project_id, false FROM {removed} d) links
          GROUP BY contact_id) m
    JOIN contacts_contact c ON c.id = m.contact_id
    CROSS JOIN LATERAL (VALUES ({postgresql_set(before)}, -1), ({postgresql_set(linked("c.id"))}, 1))
        AS side(projects, delta)
    WHERE {LINKED_CONTACT}
    """


REBUILD = f"DELETE FROM contacts_contactcount; {counted(postgresql_set)};"
POSTGRESQL_FUNCTIONS = {
    "contacts_count_insert": postgresql_function("contacts_count_insert", postgresql_rows("new_rows", 1)),
    "contacts_count_delete": postgresql_function("contacts_count_delete", postgresql_rows("old_rows", -1)),
    "contacts_count_update": postgresql_function("contacts_count_update", POSTGRESQL_UPDATE_CHANGES),
    "contacts_count_project_insert": postgresql_function(
        "contacts_count_project_insert", postgresql_moved("new_rows", NO_LINKS)
    ),
    "contacts_count_project_delete": postgresql_function(
        "contacts_count_project_delete", postgresql_moved(NO_LINKS, "old_rows")
    ),
    "contacts_count_project_update": postgresql_function(
        "contacts_count_project_update", postgresql_moved("new_rows", "old_rows")
    ),
    # TRUNCATE (a test database's flush, say) fires no delete trigger: the counts are made again.
    "contacts_count_truncate": f"""CREATE FUNCTION contacts_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {REBUILD}
        RETURN NULL;
    END $$""",
}


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
