"""Stored counts of contacts by their whole visibility key, and the triggers that keep them.

`contacts/counts.py` describes the table and its keys. It replaces the table of 0029 (counts by
visibility and trash state alone), whose numbers are its sums. Triggers on `contacts_contact` and
on the contact-project table keep it: SQLite row triggers; PostgreSQL statement-level triggers over
the transition tables, each connection adding to its own slot (its backend id modulo 64). Every
trigger takes off one from the key a contact had before the write and adds one to the key it has
after; a key's project set is written by the trigger that saw it, and a count only asks of it
which projects it holds, so two spellings of one set count alike. The statements are made by
`Keys`, which migration 0032 uses again with every live contact's key holding its project set.
"""

from collections.abc import Callable
from importlib import import_module

from django.db import migrations

COUNTS_0029 = import_module("contacts.migrations.0029_contact_counts")

LINKS = "contacts_contact_projects"
KEY = "visibility, in_trash, is_company, projects, author_id, assigned_to_id"

TABLE = f"""CREATE TABLE contacts_contactcount (
    visibility varchar(16) NOT NULL,
    in_trash boolean NOT NULL,
    is_company boolean NOT NULL,
    projects text NOT NULL,
    author_id integer NOT NULL,
    assigned_to_id integer NOT NULL,
    slot integer NOT NULL,
    contacts bigint NOT NULL,
    PRIMARY KEY ({KEY}, slot)
)"""


def sqlite_set(ids: str) -> str:
    """A set of project ids (a SELECT of one column) as the key writes it: ",3,7," (or "")."""
    return f"(SELECT COALESCE(',' || group_concat(p, ',') || ',', '') FROM ({ids} ORDER BY 1))"


def postgresql_set(ids: str) -> str:
    return f"(SELECT COALESCE(',' || string_agg(p::text, ',' ORDER BY p) || ',', '') FROM ({ids}) ids)"


def linked(contact: str) -> str:
    return f"SELECT project_id AS p FROM {LINKS} WHERE contact_id = {contact}"


class Keys:
    """The SQL that counts the contacts under their keys and the triggers that keep the counts.

    `every_live_set`: whether a live contact's key holds its project set whatever its visibility
    (migration 0032), or a live project contact's only (this migration). The contacts whose
    links count follow: every live one, or the live project contacts.
    """

    def __init__(self, *, every_live_set: bool) -> None:
        self.every_live_set = every_live_set
        self.linked_contact = "c.deleted_at IS NULL" if every_live_set else PROJECT_CONTACT

    def key(self, row: str, projects: str) -> str:
        """The key of the contact `row`, as the table's columns: its projects for a live contact
        (a live project contact, unless `every_live_set`), its author and assignee (0 for none)
        for a live contact that is not public."""
        live = f"{row}.deleted_at IS NULL"
        with_set = live if self.every_live_set else f"{live} AND {row}.visibility = 'project'"
        return (
            f"{row}.visibility AS visibility, {row}.deleted_at IS NOT NULL AS in_trash, {row}.is_company AS is_company,"
            f" CASE WHEN {with_set} THEN {projects} ELSE '' END AS projects,"
            f" CASE WHEN {live} AND {row}.visibility <> 'public' THEN COALESCE({row}.author_id, 0) ELSE 0 END"
            " AS author_id,"
            f" CASE WHEN {live} AND {row}.visibility <> 'public' THEN COALESCE({row}.assigned_to_id, 0) ELSE 0 END"
            " AS assigned_to_id"
        )

    def counted(self, project_set: Callable[[str], str]) -> str:
        """Every contact counted again under its key, into slot 0."""
        return (
            f"INSERT INTO contacts_contactcount({KEY}, slot, contacts) SELECT {KEY}, 0, COUNT(*)"
            f" FROM (SELECT {self.key('c', project_set(linked('c.id')))} FROM contacts_contact c) keyed GROUP BY {KEY}"
        )

    def sqlite_add(self, row: str, projects: str, delta: str, *, source: str = "WHERE true") -> str:
        """Add `delta` to the key of `row` (NEW, OLD, or the contact `c` that `source` reads)."""
        return (
            f"INSERT INTO contacts_contactcount({KEY}, slot, contacts)"
            f" SELECT {self.key(row, projects)}, 0, {delta} {source}"
            f" ON CONFLICT ({KEY}, slot) DO UPDATE SET contacts = contacts + excluded.contacts;"
        )

    def sqlite_moved(self, contact: str, before: str, *, when: str = "true") -> str:
        """The projects of `contact`, if its links count, went from the set `before` (a SELECT of
        `c`'s project ids) to the ones it has now."""
        source = f"FROM contacts_contact c WHERE c.id = {contact} AND {self.linked_contact} AND {when}"
        return self.sqlite_add("c", sqlite_set(before), "-1", source=source) + self.sqlite_add(
            "c", sqlite_set(linked("c.id")), "1", source=source
        )

    def sqlite_triggers(self) -> dict[str, str]:
        # A link moved from one contact or project to another: its old contact had the old link and
        # not the new one; its new contact (when another) did not have the new link.
        link_updated = self.sqlite_moved(
            "OLD.contact_id",
            linked("c.id")
            + " AND NOT (c.id = NEW.contact_id AND project_id = NEW.project_id) UNION SELECT OLD.project_id",
        ) + self.sqlite_moved(
            "NEW.contact_id",
            linked("c.id") + " AND project_id <> NEW.project_id",
            when="NEW.contact_id <> OLD.contact_id",
        )
        return {
            "contacts_count_contact_insert": f"""AFTER INSERT ON contacts_contact BEGIN
        {self.sqlite_add("NEW", sqlite_set(linked("NEW.id")), "1")} END""",
            "contacts_count_contact_delete": f"""AFTER DELETE ON contacts_contact BEGIN
        {self.sqlite_add("OLD", sqlite_set(linked("OLD.id")), "-1")} END""",
            "contacts_count_contact_update": f"""AFTER UPDATE OF visibility, deleted_at, is_company, author_id,
        assigned_to_id ON contacts_contact WHEN {KEY_CHANGED.format(o="OLD", n="NEW")} BEGIN
        {self.sqlite_add("OLD", sqlite_set(linked("OLD.id")), "-1")}
        {self.sqlite_add("NEW", sqlite_set(linked("NEW.id")), "1")} END""",
            "contacts_count_project_insert": f"""AFTER INSERT ON {LINKS} BEGIN
        {self.sqlite_moved("NEW.contact_id", linked("c.id") + " AND project_id <> NEW.project_id")} END""",
            "contacts_count_project_delete": f"""AFTER DELETE ON {LINKS} BEGIN
        {self.sqlite_moved("OLD.contact_id", linked("c.id") + " UNION SELECT OLD.project_id")} END""",
            "contacts_count_project_update": f"""AFTER UPDATE OF contact_id, project_id ON {LINKS}
        WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.project_id IS NOT NEW.project_id BEGIN
        {link_updated} END""",
        }

    def postgresql_rows(self, rows: str, delta: int) -> str:
        return f"SELECT {self.key('r', postgresql_set(linked('r.id')))}, {delta} AS delta FROM {rows} r"

    def postgresql_update_changes(self) -> str:
        """Only the rows whose key changed count: an edit of a name leaves the counts (and their
        locks) alone."""
        return f"""
    SELECT side.* FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (SELECT {self.key("o", postgresql_set(linked("o.id")))}, -1 AS delta
                        UNION ALL SELECT {self.key("n", postgresql_set(linked("n.id")))}, 1) AS side
    WHERE {KEY_CHANGED.format(o="o", n="n")}
"""

    def postgresql_moved(self, added: str, removed: str) -> str:
        """The contacts whose links count and whose projects `added` and `removed` (link rows)
        changed: each from the set it had before to the set it has now. The statement's links are
        gathered by contact first (one pass over each transition table, which has no index), as
        arrays."""
        before = f"{linked('c.id')} AND NOT project_id = ANY(COALESCE(m.added, '{{}}')) UNION SELECT unnest(m.removed)"
        if self.every_live_set:
            columns = self.key("c", "side.projects")
        else:  # a live project contact: its author and assignee count
            columns = (
                "c.visibility, false AS in_trash, c.is_company, side.projects, COALESCE(c.author_id, 0) AS author_id,\n"
                "           COALESCE(c.assigned_to_id, 0) AS assigned_to_id"
            )
        return f"""
    SELECT {columns}, side.delta
    FROM (SELECT contact_id, array_agg(project_id) FILTER (WHERE added) AS added,
                 array_agg(project_id) FILTER (WHERE NOT added) AS removed
          FROM (SELECT contact_id, project_id, true AS added FROM {added} a
                UNION ALL SELECT contact_id, project_id, false FROM {removed} d) links
          GROUP BY contact_id) m
    JOIN contacts_contact c ON c.id = m.contact_id
    CROSS JOIN LATERAL (VALUES ({postgresql_set(before)}, -1), ({postgresql_set(linked("c.id"))}, 1))
        AS side(projects, delta)
    WHERE {self.linked_contact}
    """

    def postgresql_functions(self) -> dict[str, str]:
        rebuild = f"DELETE FROM contacts_contactcount; {self.counted(postgresql_set)};"
        return {
            "contacts_count_insert": postgresql_function("contacts_count_insert", self.postgresql_rows("new_rows", 1)),
            "contacts_count_delete": postgresql_function("contacts_count_delete", self.postgresql_rows("old_rows", -1)),
            "contacts_count_update": postgresql_function("contacts_count_update", self.postgresql_update_changes()),
            "contacts_count_project_insert": postgresql_function(
                "contacts_count_project_insert", self.postgresql_moved("new_rows", NO_LINKS)
            ),
            "contacts_count_project_delete": postgresql_function(
                "contacts_count_project_delete", self.postgresql_moved(NO_LINKS, "old_rows")
            ),
            "contacts_count_project_update": postgresql_function(
                "contacts_count_project_update", self.postgresql_moved("new_rows", "old_rows")
            ),
            # TRUNCATE (a test database's flush, say) fires no delete trigger: the counts are made again.
            "contacts_count_truncate": f"""CREATE FUNCTION contacts_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {rebuild}
        RETURN NULL;
    END $$""",
        }


# Where the key of a contact changes on an update of it (the projects do not change then).
KEY_CHANGED = (
    "{o}.visibility IS DISTINCT FROM {n}.visibility OR ({o}.deleted_at IS NULL) <> ({n}.deleted_at IS NULL)"
    " OR {o}.is_company IS DISTINCT FROM {n}.is_company OR {o}.author_id IS DISTINCT FROM {n}.author_id"
    " OR {o}.assigned_to_id IS DISTINCT FROM {n}.assigned_to_id"
)
PROJECT_CONTACT = "c.visibility = 'project' AND c.deleted_at IS NULL"
NO_LINKS = f"(SELECT contact_id, project_id FROM {LINKS} WHERE false)"

# Keys are written in one order (ORDER BY), so two transactions sharing a slot take its rows' locks
# in the same order and never deadlock on them.
POSTGRESQL_ADD = f"""
    INSERT INTO contacts_contactcount AS counted ({KEY}, slot, contacts)
    SELECT {KEY}, pg_backend_pid() % 64, SUM(delta) FROM ({{changes}}) changes
    GROUP BY {KEY} HAVING SUM(delta) <> 0 ORDER BY {KEY}
    ON CONFLICT ({KEY}, slot) DO UPDATE SET contacts = counted.contacts + EXCLUDED.contacts;
"""


# No JIT in the triggers: the planner prices a key's project set (a subquery, not run for a public
# contact) as if it ran for every row, and compiling a statement of a few thousand rows then
# costs about a second, many times the statement itself.
def postgresql_function(name: str, changes: str) -> str:
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
    BEGIN
        {POSTGRESQL_ADD.format(changes=changes)}
        RETURN NULL;
    END $$"""


KEYS = Keys(every_live_set=False)
counted = KEYS.counted
SQLITE_TRIGGERS = KEYS.sqlite_triggers()
SQLITE_FORWARD = [
    *COUNTS_0029.SQLITE_BACKWARD,
    TABLE,
    counted(sqlite_set),
    *(f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()),
]
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS contacts_contactcount",
]
REBUILD = f"DELETE FROM contacts_contactcount; {counted(postgresql_set)};"
POSTGRESQL_FUNCTIONS = KEYS.postgresql_functions()
POSTGRESQL_TRIGGERS = {
    "contacts_count_contact_insert": "AFTER INSERT ON contacts_contact REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_insert()",
    "contacts_count_contact_delete": "AFTER DELETE ON contacts_contact REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_delete()",
    "contacts_count_contact_update": "AFTER UPDATE ON contacts_contact REFERENCING OLD TABLE AS old_rows"
    " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_update()",
    "contacts_count_contact_truncate": "AFTER TRUNCATE ON contacts_contact"
    " FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_truncate()",
    "contacts_count_project_insert": f"AFTER INSERT ON {LINKS} REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_project_insert()",
    "contacts_count_project_delete": f"AFTER DELETE ON {LINKS} REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_project_delete()",
    "contacts_count_project_update": f"AFTER UPDATE ON {LINKS} REFERENCING OLD TABLE AS old_rows"
    " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_project_update()",
    "contacts_count_project_truncate": f"AFTER TRUNCATE ON {LINKS}"
    " FOR EACH STATEMENT EXECUTE FUNCTION contacts_count_truncate()",
}


def _postgresql_table(trigger: str) -> str:
    return LINKS if "_project_" in trigger else "contacts_contact"


POSTGRESQL_FORWARD = [
    *COUNTS_0029.POSTGRESQL_BACKWARD,
    TABLE,
    counted(postgresql_set),
    *POSTGRESQL_FUNCTIONS.values(),
    *(f"CREATE TRIGGER {name} {body}" for name, body in POSTGRESQL_TRIGGERS.items()),
]
POSTGRESQL_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {_postgresql_table(name)}" for name in POSTGRESQL_TRIGGERS),
    *(f"DROP FUNCTION IF EXISTS {name}()" for name in POSTGRESQL_FUNCTIONS),
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
    COUNTS_0029.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0030_drop_indexes_the_read_indexes_cover")]

    operations = [migrations.RunPython(forward, backward)]
