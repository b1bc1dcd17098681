"""Stored counts of contacts by their visibility key, kept exact by database triggers.

The table ``contacts_contactcount`` holds how many contacts there are under each key: visibility,
trash state, person or company, the set of a live contact's projects (written ",3,7,"; "" for none),
and what else decides who sees a live contact that is not public: its author and assignee (0 for
none); a trashed contact has "" and 0 there, and so has a public one for its author and assignee.
A key's count is split over rows by ``slot``: the count of a key is the sum of its rows.

Triggers on ``contacts_contact`` and on the contact-project table, created by the migration
``0031_contact_counts_by_visibility_key``, take one off the key a contact had before a write and
add one to the key it has after, so the numbers stay exact whatever writes (services, bulk
actions, merges, the admin, imports, the web form, project and user deletion, raw SQL). Loads that
turn the triggers off call `counts_rebuild` after.

An unfiltered count is then a sum over keys, not a pass over the contacts: a superuser's over
every live key; anyone else's (`member_count_sql`) over the public keys and the keys that show a
contact to the user (its author, its assignee, a project the user is a member of, read when the
count runs), plus the contacts shared with the user through the access list that no such key
shows (an indexed read of that user's access rows). A count of one project's contacts (an incwo
business file's list, say) is the same sum over the keys whose set holds the project. The keys
are few (their number grows with the users and project sets, not with the contacts).

SQLite writes one transaction at a time, so every key has one row (slot 0). On PostgreSQL each
connection writes its own slot (its backend id modulo `SLOTS`): concurrent writers, web-form
posts among them, do not queue behind one row's lock until they commit.
"""

from __future__ import annotations

from django.db import connection

COUNT_TABLE = "contacts_contactcount"
SLOTS = 64
KEY = "visibility, in_trash, is_company, projects, author_id, assigned_to_id"

# A contact's set of project ids, as the keys write it; the migration holds its own copy of these.
_LINKED = "SELECT project_id AS p FROM contacts_contact_projects WHERE contact_id = c.id"
PROJECT_SETS = {
    "sqlite": f"(SELECT COALESCE(',' || group_concat(p, ',') || ',', '') FROM ({_LINKED} ORDER BY 1))",
    "postgresql": f"(SELECT COALESCE(',' || string_agg(p::text, ',' ORDER BY p) || ',', '') FROM ({_LINKED}) ids)",
}
_KEYED = (
    "SELECT c.visibility AS visibility, c.deleted_at IS NOT NULL AS in_trash, c.is_company AS is_company,"
    " CASE WHEN c.deleted_at IS NULL THEN {projects} ELSE '' END AS projects,"
    " CASE WHEN c.deleted_at IS NULL AND c.visibility <> 'public' THEN COALESCE(c.author_id, 0) ELSE 0 END"
    " AS author_id,"
    " CASE WHEN c.deleted_at IS NULL AND c.visibility <> 'public' THEN COALESCE(c.assigned_to_id, 0) ELSE 0 END"
    " AS assigned_to_id FROM contacts_contact c"
)


def counted_sql(vendor: str) -> str:
    """The counts as the contacts hold them: one row per key (slot 0)."""
    return f"SELECT {KEY}, 0, COUNT(*) FROM ({_KEYED.format(projects=PROJECT_SETS[vendor])}) keyed GROUP BY {KEY}"


def stored_count(
    *, visibility: str | None = None, is_company: bool | None = None, project_id: int | None = None
) -> int:
    """How many contacts out of the trash there are (with `visibility`, persons or companies only,
    in a project, when given), from the stored counts: one read of the live keys."""
    sql = f"SELECT COALESCE(SUM(contacts), 0) FROM {COUNT_TABLE} WHERE NOT in_trash"
    params: list[object] = []
    if visibility is not None:
        sql += " AND visibility = %s"
        params.append(visibility)
    if is_company is not None:
        sql += " AND is_company = %s"
        params.append(is_company)
    if project_id is not None:
        sql += " AND projects LIKE %s"
        params.append(f"%,{int(project_id)},%")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def member_count_sql(
    *, user_id: int, is_company: bool | None = None, project_id: int | None = None
) -> tuple[str, list[object]]:
    """How many live contacts (persons or companies only, when `is_company` is given; of one
    project, when `project_id` is) a user who is no superuser sees, as `contact_visibility_q`
    decides, as one scalar expression.

    The sum of the keys that show their contacts to the user (public; author or assignee; a
    project contact in a project the user is a member of), plus the contacts of the user's access
    list whose key does not already show them. The keys are read whole (their number, not the
    contacts', is the cost); the access list by the user's index, and first (SQLite takes the
    tables of a CROSS JOIN in their order: it would otherwise walk the persons, or a project's
    links, and look each up in the access list). The sums are cast to bigint:
    PostgreSQL's SUM of a bigint is a numeric, which would reach the dialects as a decimal (2.0
    where they write 2).
    """
    # What the keys and the shared contacts are narrowed to: persons or companies, a project.
    keys_where, keys_params, contacts_where, contacts_params = "", [], "", []
    if is_company is not None:
        keys_where += " AND k.is_company = %s"
        contacts_where += " AND c.is_company = %s"
        keys_params.append(is_company)
        contacts_params.append(is_company)
    if project_id is not None:
        keys_where += " AND k.projects LIKE %s"
        contacts_where += (
            " AND EXISTS (SELECT 1 FROM contacts_contact_projects p WHERE p.contact_id = c.id AND p.project_id = %s)"
        )
        keys_params.append(f"%,{int(project_id)},%")
        contacts_params.append(int(project_id))
    member = "SELECT project_id FROM projects_membership WHERE user_id = %s"
    keyed = (
        f"(SELECT CAST(COALESCE(SUM(k.contacts), 0) AS bigint) FROM {COUNT_TABLE} k"
        f" WHERE NOT k.in_trash{keys_where} AND (k.visibility = 'public'"
        " OR (k.visibility <> 'public' AND (k.author_id = %s OR k.assigned_to_id = %s))"
        " OR (k.visibility = 'project' AND EXISTS (SELECT 1 FROM projects_membership m"
        "     WHERE m.user_id = %s AND k.projects LIKE '%%,' || m.project_id || ',%%'))))"
    )
    shared = (
        "(SELECT COUNT(*) FROM contacts_contact_access_list a CROSS JOIN contacts_contact c WHERE c.id = a.contact_id"
        f" AND a.user_id = %s AND c.deleted_at IS NULL AND c.visibility <> 'public'{contacts_where}"
        " AND (c.author_id IS NULL OR c.author_id <> %s) AND (c.assigned_to_id IS NULL OR c.assigned_to_id <> %s)"
        " AND NOT (c.visibility = 'project' AND EXISTS (SELECT 1 FROM contacts_contact_projects l"
        f"     WHERE l.contact_id = c.id AND l.project_id IN ({member}))))"
    )
    params = [*keys_params, user_id, user_id, user_id, user_id, *contacts_params, user_id, user_id, user_id]
    return f"({keyed} + {shared})", params


def counts_rebuild() -> None:
    """Count every contact again (after loading data with the triggers off, say)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNT_TABLE}")
        cursor.execute(f"INSERT INTO {COUNT_TABLE}({KEY}, slot, contacts) {counted_sql(connection.vendor)}")
