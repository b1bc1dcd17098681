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
from django.db.models.sql.where import WhereNode

from contacts.counts import stored_count, stored_count_sql
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
    stored counts (`contacts.counts`), and the public part of anyone else's unfiltered list too;
    a superuser's search with no other filter from the search index alone (`search_count_live`).
    """
    return _contact_count(qs, cap=cap)[0]


def _contact_count(qs: QuerySet, *, cap: int | None) -> tuple[int, str | None]:
    """`contact_count`, with the ids a capped search count found when it kept them (a JSON
    array, see `search_count_capped`), else None."""
    ids = qs.order_by().values("pk")
    if _counts_every_live_contact(ids.query):
        total = stored_count()
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


def _counts_every_live_contact(query: Any, *, where: WhereNode | None = None) -> bool:
    """Whether a query of contact ids reads every contact out of the trash, one row each: no
    slice, no union, and `where` (the query's own by default) is `LIVE` and nothing else."""
    return (
        query.model is Contact
        and not query.is_sliced
        and not query.combinator
        and _is_live_only(query.where if where is None else where)
    )


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

    The public ones are counted from the visibility index alone (from the stored counts when
    the list has no other condition than being out of the trash); only the others are checked
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
    if len(found) != 1 or not all(_is_column_equality(node) for node in others):
        return None
    index = found[0]
    node = where.children[index]
    public, hidden_ones = query.clone(), query.clone()
    public.where.children[index] = node.children[0]
    hidden = In(node.children[0].lhs, [Visibility.PROJECT.value, Visibility.PRIVATE.value])
    hidden_ones.where.children[index] = WhereNode([hidden, WhereNode(node.children[1:], connector="OR")])
    connection = connections[ids.db]
    parts, params = [], []
    if _counts_every_live_contact(query, where=WhereNode(others)):
        sql, part_params = stored_count_sql(visibility=Visibility.PUBLIC.value)
        parts.append(sql)
        params.extend(part_params)
    else:
        sql, part_params = public.get_compiler(connection=connection).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(part_params)
    sql, part_params = hidden_ones.get_compiler(connection=connection).as_sql()
    parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
    params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' + '.join(parts)}", params)
        return cursor.fetchone()[0]


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
