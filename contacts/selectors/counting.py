"""How many contacts a user sees: the capped list total and its shortcuts, and counts per person,
company, foreign key or custom field."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode

from contacts.counts import member_count_sql, stored_count
from contacts.models import (
    Contact,
    CustomValue,
    Visibility,
)
from contacts.search import (
    search_count_capped,
    search_count_live,
    search_match,
)
from contacts.selectors.visibility import AnyUser, contact_list, contact_visible_q

# The UI counts a list up to this many contacts and shows "10000+" beyond (as mail clients do):
# an exact total costs a pass over every match, a capped one stops after this many.
COUNTED_UP_TO = 10_000


def contact_count(qs: QuerySet, *, cap: int | None = None) -> int:
    """How many rows a list has: COUNT(*) over its filters only (no ordering, joins or prefetches).

    With a `cap`, the count stops after `cap + 1` rows (a `LIMIT` inside the count), so the
    answer is exact up to `cap` and `cap + 1` means "more than `cap`"; the cost is then
    O(cap), not O(matches). The dialects that document a total ask without a cap.

    A list of every contact out of the trash (a superuser's, unfiltered) is counted from the
    stored counts (`contacts.counts`), and so is anyone else's unfiltered list, exactly
    (`member_count_sql`: a sum over the visibility keys and the user's access list, whatever the
    number of contacts), either of them of everyone or of persons or companies only, of one
    project or of all; a superuser's search with no other filter from the search index alone
    (`search_count_live`).
    """
    return _contact_count(qs, cap=cap)[0]


def _contact_count(qs: QuerySet, *, cap: int | None) -> tuple[int, str | None]:
    """`contact_count`, with the ids a capped search count found when it kept them (a JSON
    array, see `search_count_capped`), else None."""
    ids = qs.order_by().values("pk")
    if (narrowed := _stored_narrowing(ids.query, list(ids.query.where.children))) is not None:
        total = stored_count(is_company=narrowed[0], project_id=narrowed[1])
        return (total if cap is None else min(total, cap + 1)), None
    if cap is None and (match := _live_search(ids.query)) is not None:
        total = search_count_live(match)
        if total is not None:
            return total, None
    if cap is None:
        split = _count_by_visibility(ids)
        return (ids.count() if split is None else split), None
    driven = search_count_capped(ids.query, cap=cap)
    return (ids[: cap + 1].count(), None) if driven is None else driven


def _live_search(query: Any) -> Any:
    """The search of a query of contact ids whose conditions are exactly `LIVE` and that one
    search (a superuser's search, unfiltered otherwise), or None."""
    where = query.where
    if (
        query.model is not Contact
        or query.is_sliced
        or query.combinator
        or where.connector != "AND"
        or where.negated
        or len(where.children) != 2
    ):
        return None
    live, search = where.children
    if search_match(live) is not None:
        live, search = search, live
    match = search_match(search)
    return match if match is not None and _is_live_only(WhereNode([live])) else None


def _is_live_only(where: WhereNode) -> bool:
    """Whether a WHERE holds exactly the condition `LIVE` (out of the trash), nothing else."""
    if where.connector != "AND" or where.negated or len(where.children) != 1:
        return False
    node = where.children[0]
    if isinstance(node, WhereNode):
        return _is_live_only(node)
    return (
        isinstance(node, IsNull)
        and node.rhs is True
        and isinstance(node.lhs, Col)
        and node.lhs.alias == Contact._meta.db_table
        and node.lhs.target.name == "deleted_at"
    )


def _count_by_visibility(ids: QuerySet) -> int | None:
    """The count of a list of contact ids filtered by `contact_visibility_q` for a user who is no
    superuser, as the public contacts plus the others the user may see, in one statement.

    A list with no other condition than being out of the trash (and at most persons or companies
    only, and one project) is counted from the stored counts by visibility key alone
    (`_keyed_count`). Otherwise
    the public ones are counted from the visibility index alone; only the others are checked
    for the author, assignee, access list and projects. Counting both under the one condition
    checks each contact for all of it: at a million contacts about twice the time. None when
    the list has no such condition, or another condition than a column equal to a value: a
    search, a tag, a project or a date range may drive the count, which this would read twice.
    """
    query = ids.query
    where = query.where
    if where.connector != "AND" or where.negated:
        return None
    found = [index for index, node in enumerate(where.children) if _is_visibility(node)]
    others = [node for node in where.children if not _is_visibility(node)]
    if len(found) != 1:
        return None
    index = found[0]
    node = where.children[index]
    connection = connections[ids.db]
    if (keyed := _keyed_count(query, node, others)) is not None:
        user_id, (is_company, project_id) = keyed
        sql, params = member_count_sql(user_id=user_id, is_company=is_company, project_id=project_id)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)
            return cursor.fetchone()[0]
    if not all(_is_column_equality(node) for node in others):
        return None
    public, hidden_ones = query.clone(), query.clone()
    public.where.children[index] = node.children[0]
    hidden = In(node.children[0].lhs, [Visibility.PROJECT.value, Visibility.PRIVATE.value])
    hidden_ones.where.children[index] = WhereNode([hidden, WhereNode(node.children[1:], connector="OR")])
    public_sql, public_params = public.get_compiler(connection=connection).as_sql()
    hidden_sql, hidden_params = hidden_ones.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({public_sql}) counted) + (SELECT COUNT(*) FROM ({hidden_sql}) counted)",
            [*public_params, *hidden_params],
        )
        return cursor.fetchone()[0]


def _keyed_count(query: Any, node: WhereNode, others: list[Any]) -> tuple[int, tuple[bool | None, int | None]] | None:
    """The user of a list whose count the stored counts give (`member_count_sql`), and how the
    list is narrowed (`_stored_narrowing`): `contact_visibility_q`'s alternatives for that user,
    out of the trash, at most persons or companies only and one project besides; else None."""
    author = node.children[1] if len(node.children) == 5 else None
    if not (
        isinstance(author, Exact)
        and getattr(getattr(author.lhs, "target", None), "name", None) == "author"
        and isinstance(author.rhs, int)
    ):
        return None
    narrowed = _stored_narrowing(query, others)
    return None if narrowed is None else (author.rhs, narrowed)


def _stored_narrowing(query: Any, conditions: list[Any]) -> tuple[bool | None, int | None] | None:
    """Whether a query of contact ids under `conditions` (its WHERE's, ANDed) reads the contacts out
    of the trash, one row each, narrowed at most to persons or companies and to one project: then
    (is_company or None, the project's id or None), which the stored counts can count; else None."""
    if query.model is not Contact or query.is_sliced or query.combinator:
        return None
    if query.where.connector != "AND" or query.where.negated:
        return None
    kinds: list[bool] = []
    projects: list[int] = []
    rest: list[Any] = []
    for condition in conditions:
        if (
            isinstance(condition, Exact)
            and isinstance(condition.lhs, Col)
            and condition.lhs.target.name == "is_company"
            and isinstance(condition.rhs, bool)
        ):
            kinds.append(condition.rhs)
        elif (project := _project_of(condition)) is not None:
            projects.append(project)
        else:
            rest.append(condition)
    if len(kinds) > 1 or len(projects) > 1 or not _is_live_only(WhereNode(rest)):
        return None
    return (kinds[0] if kinds else None), (projects[0] if projects else None)


def _project_of(node: Any) -> int | None:
    """The project of a condition "in that project" as the filters write it (`id IN (SELECT
    contact_id FROM contact_projects WHERE project_id = P)`), else None."""
    if not (
        isinstance(node, In)
        and isinstance(node.lhs, Col)
        and node.lhs.alias == Contact._meta.db_table
        and node.lhs.target.primary_key
        and isinstance(node.rhs, Query)
        and node.rhs.model is Contact.projects.through
        and not node.rhs.is_sliced
        and not node.rhs.combinator
    ):
        return None
    where = node.rhs.where
    if node.rhs.values_select != ("contact_id",):
        return None
    if where.connector != "AND" or where.negated or len(where.children) != 1:
        return None
    project = where.children[0]
    if (
        isinstance(project, Exact)
        and isinstance(project.lhs, Col)
        and project.lhs.target.name == "project"
        and isinstance(project.rhs, int)
        and not isinstance(project.rhs, bool)
    ):
        return project.rhs
    return None


def _is_column_equality(node: Any) -> bool:
    """Whether a WHERE node compares a column of the contact with a value (`is_company`,
    `assigned_to`, out of the trash...); a range or a list of ids may drive a count instead."""
    return (
        isinstance(node, Exact | IsNull)
        and isinstance(node.lhs, Col)
        and (node.rhs is None or isinstance(node.rhs, str | int | bool))
    )


def _is_visibility(node: Any) -> bool:
    """Whether a WHERE node is `contact_visibility_q`'s "public, or ..." alternative."""
    if not isinstance(node, WhereNode) or node.connector != "OR" or node.negated or len(node.children) < 2:
        return False
    first = node.children[0]
    return (
        isinstance(first, Exact)
        and getattr(getattr(first.lhs, "target", None), "name", None) == "visibility"
        and first.rhs == Visibility.PUBLIC.value
    )


def contact_counts_by(*, user: AnyUser, field: str) -> dict[int, int]:
    """How many contacts the user can see per value of a foreign key (`contact_type`, `stage`, `company`)."""
    rows = contact_list(user=user, prefetch=False).order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows if row[field] is not None}


def custom_value_counts(*, user: AnyUser) -> dict[int, int]:
    """How many contacts the user can see have a value for each custom field."""
    values = CustomValue.objects.filter(contact_visible_q(user=user, contact_ref="contact_id"))
    rows = values.order_by().values("field_id").annotate(n=Count("pk"))
    return {row["field_id"]: row["n"] for row in rows}


def contact_counts(*, user: AnyUser) -> dict[str, int]:
    """How many persons and companies the user may see, in one query."""
    return contact_list(user=user, prefetch=False).aggregate(
        persons=Count("pk", filter=Q(is_company=False)), companies=Count("pk", filter=Q(is_company=True))
    )
